// A read-only workspace (issue 18, point 3) is refused before the first paid call by every
// model-calling command, naming the folder; so is a read-only `eval --out` folder. Through the
// executable, against a loopback sim-server that counts the requests it gets (SIMULATED replies).
// Permission bits do not stop root, so when the tests run as root the refused commands run as
// the unprivileged user `nobody` (setpriv, util-linux); the workspace probe itself does not rely
// on permission bits (it creates a file, base/files.h CheckWritableDir).

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <string>
#include <vector>

#include "cpp/apps/cli_runner.h"
#include "cpp/apps/loopback_sim.h"

namespace judgeopt::testing {
namespace {

namespace fs = std::filesystem;

constexpr const char* kSetpriv = "/usr/bin/setpriv";

// What runs a refused command: as `nobody` when this process is root, else as it is.
std::string Unprivileged() {
  return geteuid() == 0 ? std::string(kSetpriv) + " --reuid=65534 --regid=65534 --clear-groups"
                        : "";
}

// Sets or clears every write bit under `root` (and on it); restored when `writable` is true.
void SetWritable(const fs::path& root, bool writable) {
  const auto change = [writable](const fs::path& p) {
    const fs::perms w = fs::perms::owner_write | fs::perms::group_write | fs::perms::others_write;
    fs::permissions(p, writable ? fs::perms::owner_write : w,
                    writable ? fs::perm_options::add : fs::perm_options::remove);
  };
  change(root);
  for (const auto& entry : fs::recursive_directory_iterator(root)) change(entry.path());
}

// Makes `root` writable again when the test ends, so the scratch folder can be removed.
struct Rewritable {
  fs::path root;
  ~Rewritable() {
    if (fs::exists(root)) SetWritable(root, true);
  }
};

class ReadOnlyWorkspaceCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    REQUIRE_DATA();
    if (geteuid() == 0 && !fs::exists(kSetpriv)) {
      JO_SKIP_OR_FAIL() << "running as root without " << kSetpriv << " to drop privileges";
    }
    // As root the refused commands run as `nobody`, which must be able to reach the executable
    // and the data (a checkout under a private home folder is not). Where it cannot, this test
    // skips by name, also in CI (scripts/run-tests.sh lists it): root can write anywhere, so
    // there is no other way to make a folder read-only for it.
    if (geteuid() == 0) {
      const std::string probe = Unprivileged() + " /bin/sh -c 'test -x " + JUDGEOPT_BINARY +
                                " && test -r " + kDataDir + "/summeval/summeval.jsonl'";
      if (std::system(probe.c_str()) != 0) {
        GTEST_SKIP() << "user nobody cannot reach " << JUDGEOPT_BINARY << " or " << kDataDir;
      }
    }
    ws_ = dir_.str() + "/ws";
  }

  // One tiny run made by the in-process simulator, so diagnose and cherrypick have a run to name.
  std::string MakeRun() {
    const fs::path config = dir_.path / "exp.toml";
    std::ofstream(config) << "dataset = \"summeval\"\n[optimize]\nsteps = 1\n[gate]\nmetric = "
                             "\"none\"\n[eval]\nevery = 1000\ninitial = false\nfirst = false\n"
                             "last = false\n";
    CliRun r = RunJudgeopt("optimize -q --config " + config.string() + " --workspace " + ws_ +
                           " --data-dir " + kDataDir);
    EXPECT_EQ(r.code, 0) << r.err;
    std::smatch m;
    std::regex_search(r.out, m, std::regex(R"(run (\S+) \()"));
    return m.size() > 1 ? m[1].str() : "";
  }

  std::string GridConfig() const {
    const fs::path path = dir_.path / "grid.toml";
    std::ofstream(path) << "[grid]\nname = \"ro\"\ndatasets = [\"summeval\"]\nmodes = [\"SSS\"]\n"
                           "gates = [\"mae\"]\nseeds = [1]\n[optimize]\nsteps = 1\n";
    return path.string();
  }

  Scratch dir_;
  std::string ws_;
};

TEST_F(ReadOnlyWorkspaceCliTest, EveryModelCallingCommandRefusesItBeforeAnyCall) {
  LoopbackSim server(io::SimServerOptions{});
  const std::string run_id = MakeRun();
  ASSERT_FALSE(run_id.empty());
  const std::string grid = GridConfig();
  Rewritable restore{ws_};
  SetWritable(ws_, false);
  const std::string remote = " --backend openai --base-url " + server.base_url() +
                             " --model judgeopt-sim --data-dir " + kDataDir + " --workspace " +
                             ws_;
  const std::vector<std::string> commands = {
      "optimize -q --steps 1" + remote,      "eval -q --limit 5" + remote,
      "grid -q --config " + grid + remote,   "diagnose specificity " + run_id + remote,
      "cherrypick " + run_id + remote,
  };
  for (const std::string& command : commands) {
    SCOPED_TRACE(command);
    CliRun r = RunJudgeopt(command, Unprivileged());
    EXPECT_NE(r.code, 0) << r.out;
    EXPECT_NE(r.err.find("workspace " + ws_ + " is read-only: " + ws_ + "/.judgeopt: not writable"),
              std::string::npos)
        << r.err;
    EXPECT_EQ(server.requests(), 0) << r.err;
  }
}

TEST_F(ReadOnlyWorkspaceCliTest, EvalRefusesAReadOnlyOutFolderBeforeAnyCall) {
  LoopbackSim server(io::SimServerOptions{});
  const fs::path out = dir_.path / "out";
  fs::create_directories(out);
  Rewritable restore{out};
  SetWritable(out, false);
  CliRun r = RunJudgeopt("eval -q --limit 5 --no-cache --out " + out.string() +
                             " --backend openai --base-url " + server.base_url() +
                             " --model judgeopt-sim --data-dir " + kDataDir,
                         Unprivileged());
  EXPECT_NE(r.code, 0) << r.out;
  EXPECT_NE(r.err.find("--out " + out.string() + ": not writable"), std::string::npos) << r.err;
  EXPECT_EQ(server.requests(), 0);
}

}  // namespace
}  // namespace judgeopt::testing

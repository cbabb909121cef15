// `judgeopt runs list|show|export` end to end: a workspace's run store is filled through the
// RunStore API, then the executable is run on it. Skipped while the command is not registered.

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "cpp/data/temp_dir.h"
#include "cpp/store/run_store_fixtures.h"
#include "judgeopt/store/run_export.h"
#include "judgeopt/store/run_store.h"

namespace judgeopt {
namespace {

namespace fs = std::filesystem;
using data::testing::TempDir;

struct CliRun {
  int code = -1;
  std::string out;
  std::string err;
};

std::string Slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

CliRun Judgeopt(const std::string& args, const std::string& cwd = "") {
  const fs::path err_path = fs::temp_directory_path() / ("jo_runs_err_" + std::to_string(getpid()));
  std::string cmd = std::string(JUDGEOPT_BINARY) + " " + args + " 2>" + err_path.string();
  if (!cwd.empty()) cmd = "cd '" + cwd + "' && " + cmd;
  CliRun r;
  FILE* p = popen(cmd.c_str(), "r");
  char buf[4096];
  while (std::size_t n = fread(buf, 1, sizeof(buf), p)) r.out.append(buf, n);
  const int status = pclose(p);
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.err = Slurp(err_path);
  fs::remove(err_path);
  return r;
}

// `judgeopt runs` is ours: its help failing is a failure, never a reason to skip (issue 18).
#define REQUIRE_RUNS_COMMAND()                                        \
  ASSERT_TRUE(fs::exists(JUDGEOPT_BINARY)) << "judgeopt is not built"; \
  ASSERT_EQ(Judgeopt("runs --help").code, 0) << "`judgeopt runs --help` failed"

class RunsCliTest : public ::testing::Test {
 protected:
  void Seed() {
    auto store = store::RunStore::OpenInWorkspace(store::Workspace(ws_));
    ASSERT_TRUE(store.ok()) << store.error().ToString();
    ASSERT_TRUE((*store)->BeginRun(store::testing::MakeRunInfo("r1")).ok());
    for (int s = 1; s <= 3; ++s) {
      ASSERT_TRUE((*store)->RecordStep("r1", store::testing::MakeStep(s, s != 2)).ok());
    }
  }

  TempDir dir_;
  std::string ws_ = dir_.path() + "/ws";
};

TEST_F(RunsCliTest, ListOnAnEmptyWorkspaceSaysSoAndCreatesNothing) {
  REQUIRE_RUNS_COMMAND();
  CliRun r = Judgeopt("runs list --workspace " + ws_);
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("no runs recorded"), std::string::npos) << r.out;
  EXPECT_FALSE(fs::exists(ws_));
}

TEST_F(RunsCliTest, ListAndShowPrintTheRecordedRun) {
  REQUIRE_RUNS_COMMAND();
  Seed();
  CliRun list = Judgeopt("runs list --workspace " + ws_);
  ASSERT_EQ(list.code, 0) << list.err;
  for (const char* want : {"r1", "summeval", "SSS", "3/12", "running", "0.300", "SIMULATED"}) {
    EXPECT_NE(list.out.find(want), std::string::npos) << want << "\n" << list.out;
  }
  CliRun show = Judgeopt("runs show r1 --workspace " + ws_);
  ASSERT_EQ(show.code, 0) << show.err;
  for (const char* want : {"run r1 [SIMULATED]", "optimizer", "Test metrics at step 3"}) {
    EXPECT_NE(show.out.find(want), std::string::npos) << want << "\n" << show.out;
  }
  CliRun json = Judgeopt("runs show r1 --json --workspace " + ws_);
  ASSERT_EQ(json.code, 0) << json.err;
  auto doc = nlohmann::json::parse(json.out, nullptr, false);
  ASSERT_FALSE(doc.is_discarded()) << json.out;
  EXPECT_EQ(doc["step_summaries"].size(), 3u);
  EXPECT_EQ(doc["step_summaries"][1]["accepted"], false);
}

TEST_F(RunsCliTest, UnknownRunIsNamedWithAHint) {
  REQUIRE_RUNS_COMMAND();
  Seed();
  for (const std::string cmd : {"runs show nope", "runs export nope --format csv"}) {
    CliRun r = Judgeopt(cmd + " --workspace " + ws_);
    EXPECT_EQ(r.code, 1) << cmd;
    EXPECT_NE(r.err.find("'nope'"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("runs list"), std::string::npos) << r.err;
  }
}

TEST_F(RunsCliTest, ExportIsByteForByteReproducible) {
  REQUIRE_RUNS_COMMAND();
  Seed();
  for (const char* format : {"csv", "jsonl"}) {
    const std::string a = dir_.path() + "/a_" + format;
    const std::string b = dir_.path() + "/b_" + format;
    ASSERT_EQ(Judgeopt("runs export r1 --format " + std::string(format) + " --workspace " + ws_ +
                       " --out " + a)
                  .code,
              0);
    ASSERT_EQ(Judgeopt("runs export r1 --format " + std::string(format) + " --workspace " + ws_ +
                       " --out " + b)
                  .code,
              0);
    int files = 0;
    for (const auto& entry : fs::directory_iterator(a)) {
      ++files;
      EXPECT_EQ(entry.path().extension(), std::string(".") + format);
      EXPECT_EQ(Slurp(entry.path()), Slurp(fs::path(b) / entry.path().filename()))
          << entry.path();
    }
    EXPECT_EQ(files, static_cast<int>(store::ExportTableNames().size()));
  }
  // Default output folder: exports/RUN_ID under the current directory.
  CliRun r = Judgeopt("runs export r1 --format csv --workspace " + ws_, dir_.path());
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_TRUE(fs::exists(fs::path(dir_.path()) / "exports" / "r1" / "steps.csv"));
}

}  // namespace
}  // namespace judgeopt

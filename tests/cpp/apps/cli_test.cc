// End-to-end tests of the judgeopt executable: exit codes, stdout and stderr of real commands.

#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "cpp/apps/cli_runner.h"

namespace {

using judgeopt::testing::CliRun;

CliRun Judgeopt(const std::string& args) { return judgeopt::testing::RunJudgeopt(args); }

bool HaveSharedData() {
  return std::filesystem::exists(std::string(JUDGEOPT_SOURCE_DIR) +
                                 "/../shared/data/summeval/summeval.jsonl");
}

#define REQUIRE_DATA() \
  if (!HaveSharedData()) GTEST_SKIP() << "../shared/data is absent"

TEST(CliTest, EveryCommandHasHelp) {
  for (const char* cmd : {"eval", "prompt", "score", "datasets"}) {
    CliRun r = Judgeopt(std::string(cmd) + " --help");
    EXPECT_EQ(r.code, 0) << cmd;
    EXPECT_NE(r.out.find("--"), std::string::npos) << cmd;
  }
  EXPECT_NE(Judgeopt("").code, 0);
}

// --mode's help and its error name every mode the parser accepts, methods included (the names
// come from the method registry, so a new method shows up without editing the help).
TEST(CliTest, ModeHelpAndErrorListEveryAcceptedMode) {
  for (const char* cmd : {"optimize", "estimate"}) {
    CliRun help = Judgeopt(std::string(cmd) + " --help");
    ASSERT_EQ(help.code, 0) << cmd;
    CliRun bad = Judgeopt(std::string(cmd) + " --mode XYZ");
    EXPECT_NE(bad.code, 0) << cmd;
    const std::size_t at = help.out.find("\n  --mode ");
    ASSERT_NE(at, std::string::npos) << help.out;
    const std::string line = help.out.substr(at + 1, help.out.find('\n', at + 1) - at - 1);
    for (const char* mode : {"SSS", "SSC", "SCC", "CCC", "ST", "SPC", "MGDA", "ROUTER"}) {
      EXPECT_NE(line.find(mode), std::string::npos) << cmd << " --help: " << line;
      EXPECT_NE(bad.err.find(mode), std::string::npos) << cmd << ": " << bad.err;
    }
  }
}

TEST(CliTest, EvalSummevalPrintsSimulatedTable) {
  REQUIRE_DATA();
  CliRun r = Judgeopt("eval --dataset summeval --split test --limit 40 -q");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("summeval / test: 40 examples [SIMULATED]"), std::string::npos) << r.out;
  for (const char* c : {"fluency", "relevance", "coherence", "consistency", "average"}) {
    EXPECT_NE(r.out.find(c), std::string::npos) << c;
  }
  EXPECT_NE(r.out.find("not findings about LLMs"), std::string::npos);
}

TEST(CliTest, EvalIsReproducibleAndWritesFiles) {
  REQUIRE_DATA();
  const auto dir = std::filesystem::temp_directory_path() / ("jo_cli_" + std::to_string(getpid()));
  CliRun a = Judgeopt("eval --dataset brighter --limit 30 -q --seed 5 --out " + (dir / "a").string());
  CliRun b = Judgeopt("eval --dataset brighter --limit 30 -q --seed 5 --out " + (dir / "b").string());
  ASSERT_EQ(a.code, 0) << a.err;
  ASSERT_EQ(b.code, 0) << b.err;
  for (const char* f : {"predictions.csv", "predictions.jsonl", "metrics.json"}) {
    std::ifstream fa(dir / "a" / f), fb(dir / "b" / f);
    std::string sa(std::istreambuf_iterator<char>(fa), {}), sb(std::istreambuf_iterator<char>(fb), {});
    EXPECT_FALSE(sa.empty()) << f;
    EXPECT_EQ(sa, sb) << f;
  }
  EXPECT_NE(a.out.find("anger"), std::string::npos);
  std::filesystem::remove_all(dir);
}

TEST(CliTest, EvalOnGenericSpecDataset) {
  const std::string spec = std::string(JUDGEOPT_SOURCE_DIR) +
                           "/tests/data/datasets/reviews/reviews.toml";
  CliRun r = Judgeopt("eval --dataset " + spec + " --split test -q");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("helpfulness"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("politeness"), std::string::npos);
}

TEST(CliTest, BadInputFailsWithMessageOnStderr) {
  CliRun r = Judgeopt("eval --dataset no-such-dataset -q");
  EXPECT_NE(r.code, 0);
  EXPECT_NE(r.err.find("judgeopt eval: error:"), std::string::npos) << r.err;
  EXPECT_TRUE(r.out.empty());
  CliRun s = Judgeopt("score /nonexistent.csv --gold a --pred b");
  EXPECT_NE(s.code, 0);
  EXPECT_NE(s.err.find("/nonexistent.csv"), std::string::npos) << s.err;
}

TEST(CliTest, PromptPrintsTheJudgeMessage) {
  REQUIRE_DATA();
  CliRun list = Judgeopt("eval --dataset summeval --split test --limit 1 -q --out /dev/null/x");
  EXPECT_NE(list.code, 0);  // an unwritable --out is an error, after the table
  CliRun r = Judgeopt("prompt --dataset summeval --example "
                   "dm-test-8764fb95bfad8ee849274873a92fb8d6b400eee2/M11 --criterion fluency");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("## Instructions:\n- fluency:"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("- relevance:"), std::string::npos);
  EXPECT_NE(r.out.find("## Sample:\nSummary: paul merson"), std::string::npos);
  EXPECT_EQ(r.out.substr(r.out.size() - 13), "## Response:\n");
  CliRun bad = Judgeopt("prompt --dataset summeval --example nope");
  EXPECT_NE(bad.code, 0);
  EXPECT_NE(bad.err.find("nope"), std::string::npos);
}

TEST(CliTest, DatasetsListsBuiltins) {
  REQUIRE_DATA();
  CliRun r = Judgeopt("datasets");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("summeval"), std::string::npos);
  EXPECT_NE(r.out.find("480"), std::string::npos);
  EXPECT_NE(r.out.find("brighter"), std::string::npos);
}

}  // namespace

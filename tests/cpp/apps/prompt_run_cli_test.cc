// `judgeopt prompt --run ID --step K` end to end: after a simulated SummEval optimization, the
// command prints the step's prompts from the run store (no model call), filtered by stage,
// criterion and sample, as text or JSON; bad selections fail with a reason.

#include <filesystem>
#include <fstream>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "cpp/apps/cli_runner.h"
#include "cpp/skip_policy.h"

namespace judgeopt {
namespace {

namespace fs = std::filesystem;
using testing::RunJudgeopt;

const std::string kData = std::string(JUDGEOPT_SOURCE_DIR) + "/../shared/data";

class PromptRunCliTest : public ::testing::Test {
 protected:
  // One optimization for the whole suite: one SSC step on a batch of 2, no gate and no test
  // evaluation (a few dozen simulated calls).
  static void SetUpTestSuite() {
    if (!fs::exists(kData + "/summeval/summeval.jsonl")) return;
    run_ = testing::OptimizeInTempDir("jo_prompt_run",
                                      "dataset = \"summeval\"\n"
                                      "[optimize]\nmode = \"SSC\"\nsteps = 1\nbatch_size = 2\n"
                                      "[eval]\ninitial = false\nfirst = false\nlast = false\n"
                                      "every = 100\n",
                                      kData);
    run_id_ = run_.run_id;
    optimize_error_ = run_.error;
  }
  static void TearDownTestSuite() {
    if (!run_.root.empty()) fs::remove_all(run_.root);
  }
  void SetUp() override {
    if (!fs::exists(kData + "/summeval/summeval.jsonl")) JO_SKIP_OR_FAIL() << kData << " is absent";
    ASSERT_TRUE(optimize_error_.empty()) << optimize_error_;
    ASSERT_FALSE(run_id_.empty());
  }
  static std::string Ws() { return run_.Workspace(); }
  static testing::CliRun Prompt(const std::string& args) {
    return RunJudgeopt("prompt --run " + run_id_ + " --workspace " + Ws() + " --data-dir " +
                       kData + " " + args);
  }

  static inline testing::OptimizedRun run_;
  static inline std::string run_id_;
  static inline std::string optimize_error_;
};

TEST_F(PromptRunCliTest, PrintsEveryStageOfTheStepAsJson) {
  auto r = Prompt("--step 1 --json");
  ASSERT_EQ(r.code, 0) << r.err;
  const auto all = nlohmann::json::parse(r.out);
  std::map<std::string, int> per_stage;
  for (const auto& p : all) {
    ++per_stage[p["stage"].get<std::string>()];
    ASSERT_FALSE(p["messages"].empty());
    EXPECT_FALSE(p["messages"].back()["content"].get<std::string>().empty()) << p["tag"];
  }
  // SSC on 4 criteria and a batch of 2: 2 judge prompts, 8 loss, 8 gradient, 1 optimizer.
  EXPECT_EQ(per_stage["predict"], 2);
  EXPECT_EQ(per_stage["loss"], 8);
  EXPECT_EQ(per_stage["gradient"], 8);
  EXPECT_EQ(per_stage["optimizer"], 1);
}

TEST_F(PromptRunCliTest, FiltersByStageCriterionAndSample) {
  auto r = Prompt("--step 1 --json --stage gradient --criterion fluency");
  ASSERT_EQ(r.code, 0) << r.err;
  auto sel = nlohmann::json::parse(r.out);
  ASSERT_EQ(sel.size(), 2u);
  for (const auto& p : sel) EXPECT_EQ(p["criterion"], "fluency");
  r = Prompt("--step 1 --json --stage loss --sample 1");
  ASSERT_EQ(r.code, 0) << r.err;
  sel = nlohmann::json::parse(r.out);
  ASSERT_EQ(sel.size(), 4u);
  for (const auto& p : sel) EXPECT_EQ(p["sample"], 1);
  // As text: the prompt on stdout, one header per message on stderr.
  r = Prompt("--step 1 --stage optimizer");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.err.find("step1/optimizer/all/k0"), std::string::npos) << r.err;
  EXPECT_FALSE(r.out.empty());
}

TEST_F(PromptRunCliTest, BadSelectionsFailWithAReason) {
  auto r = Prompt("--step 0");
  EXPECT_NE(r.code, 0);
  EXPECT_NE(r.err.find("--step"), std::string::npos) << r.err;
  r = Prompt("--step 5");
  EXPECT_NE(r.code, 0);
  EXPECT_NE(r.err.find("5"), std::string::npos) << r.err;
  r = RunJudgeopt("prompt --run no-such-run --step 1 --workspace " + Ws());
  EXPECT_NE(r.code, 0);
  EXPECT_NE(r.err.find("no-such-run"), std::string::npos) << r.err;
  r = Prompt("--step 1 --criterion not-a-criterion");
  EXPECT_NE(r.code, 0);
  EXPECT_NE(r.err.find("not a criterion"), std::string::npos) << r.err;
  r = Prompt("--step 1 --stage loss --sample 7");
  EXPECT_NE(r.code, 0);
  EXPECT_NE(r.err.find("matches"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace judgeopt

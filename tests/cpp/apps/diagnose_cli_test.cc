// `judgeopt diagnose` and `judgeopt cherrypick` end to end through the executable, on SummEval
// with the simulator: tiny runs made by `judgeopt optimize`, then the tables (labelled
// SIMULATED), JSON output, a rerun that asks nothing, and unknown run ids.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "cpp/apps/cli_runner.h"
#include "cpp/skip_policy.h"
#include "judgeopt/store/run_store.h"

namespace judgeopt {
namespace {

namespace fs = std::filesystem;
using testing::RunJudgeopt;

const std::string kData = std::string(JUDGEOPT_SOURCE_DIR) + "/../shared/data";

class DiagnoseCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!fs::exists(kData + "/summeval/summeval.jsonl")) JO_SKIP_OR_FAIL() << kData << " is absent";
    ASSERT_TRUE(fs::exists(JUDGEOPT_BINARY)) << "the judgeopt executable is not built";
    root_ = fs::temp_directory_path() /
            ("jo_diag_cli_" + std::to_string(getpid()) + "_" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(root_);
    fs::create_directories(root_);
    // One step, no gate, no test evaluation (the diagnostics do not need one; cherry-pick
    // makes its own, on a cut test split).
    std::ofstream(root_ / "exp.toml")
        << "dataset = \"summeval\"\n[optimize]\nsteps = 1\n[gate]\nmetric = \"none\"\n"
           "[eval]\nevery = 1000\ninitial = false\nfirst = false\nlast = false\n";
  }
  void TearDown() override {
    if (!root_.empty()) fs::remove_all(root_);
  }

  std::string Common() const {
    return " --workspace " + (root_ / "ws").string() + " --data-dir " + kData;
  }

  // Runs optimize in `mode`; returns the run ids it printed.
  std::vector<std::string> Optimize(const std::string& mode) {
    auto r = RunJudgeopt("optimize --quiet --config " + (root_ / "exp.toml").string() + " --mode " +
                         mode + Common());
    EXPECT_EQ(r.code, 0) << r.err;
    std::vector<std::string> ids;
    const std::regex line(R"(^run (\S+) \()");
    std::smatch m;
    std::istringstream in(r.out);
    for (std::string l; std::getline(in, l);) {
      if (std::regex_search(l, m, line)) ids.push_back(m[1]);
    }
    return ids;
  }

  fs::path root_;
};

TEST_F(DiagnoseCliTest, SpecificityTablesJsonAndARerunThatAsksNothing) {
  const auto sss = Optimize("SSS");
  const auto ccc = Optimize("CCC");
  ASSERT_EQ(sss.size(), 1u);
  ASSERT_EQ(ccc.size(), 1u);
  const std::string args = "diagnose specificity " + sss[0] + " " + ccc[0] + Common();
  auto first = RunJudgeopt(args);
  ASSERT_EQ(first.code, 0) << first.err;
  EXPECT_NE(first.err.find("0 scored before, 8 asked now"), std::string::npos) << first.err;
  EXPECT_NE(first.out.find("specificity (1-10) by mode [SIMULATED]"), std::string::npos);
  EXPECT_NE(first.out.find("by mode and criterion"), std::string::npos);
  EXPECT_NE(first.out.find("mean by step"), std::string::npos);
  EXPECT_NE(first.out.find("SIMULATED: these numbers"), std::string::npos);

  auto again = RunJudgeopt(args + " --json -");
  ASSERT_EQ(again.code, 0) << again.err;
  EXPECT_NE(again.err.find("8 scored before, 0 asked now"), std::string::npos) << again.err;
  const auto json = nlohmann::json::parse(again.out);
  EXPECT_EQ(json["kind"], "specificity");
  EXPECT_TRUE(json["simulated"].get<bool>());
  EXPECT_EQ(json["rows"].size(), 8u);  // 2 runs x 1 step x 4 criteria
  ASSERT_EQ(json["by_mode"].size(), 2u);
  EXPECT_EQ(json["by_mode"][0]["mode"], "SSS");
  EXPECT_GT(json["by_mode"][0]["mean"].get<double>(), json["by_mode"][1]["mean"].get<double>());

  auto adherence = RunJudgeopt("diagnose adherence " + sss[0] + Common());
  ASSERT_EQ(adherence.code, 0) << adherence.err;
  EXPECT_NE(adherence.out.find("adherence (1-10) by mode [SIMULATED]"), std::string::npos);
}

TEST_F(DiagnoseCliTest, UnknownRunsAreNamed) {
  ASSERT_TRUE(store::RunStore::OpenInWorkspace(store::Workspace(root_ / "ws")).ok());
  auto r = RunJudgeopt("diagnose specificity no-such-run" + Common());
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("no-such-run"), std::string::npos) << r.err;
  auto c = RunJudgeopt("cherrypick no-such-group" + Common());
  EXPECT_EQ(c.code, 1);
  EXPECT_NE(c.err.find("no-such-group"), std::string::npos) << c.err;
}

TEST_F(DiagnoseCliTest, CherrypickPrintsTable2AndARerunMakesNoEvaluation) {
  const auto st = Optimize("ST");
  ASSERT_EQ(st.size(), 4u);
  const std::string group = st[0].substr(0, st[0].rfind('-'));
  const std::string args =
      "cherrypick " + group + " --validation-samples 20 --test-samples 30" + Common();
  auto first = RunJudgeopt(args);
  ASSERT_EQ(first.code, 0) << first.err;
  EXPECT_NE(first.out.find("Spearman on test [SIMULATED]"), std::string::npos) << first.out;
  EXPECT_NE(first.out.find("MAE on test [SIMULATED]"), std::string::npos);
  EXPECT_NE(first.out.find("Cherry-pick (stitched)"), std::string::npos);
  EXPECT_NE(first.out.find("SIMULATED: these numbers"), std::string::npos);
  EXPECT_EQ(first.err.find(" 0 evaluations made"), std::string::npos) << first.err;

  auto again = RunJudgeopt(args + " --json -");
  ASSERT_EQ(again.code, 0) << again.err;
  EXPECT_NE(again.err.find(" 0 evaluations made"), std::string::npos) << again.err;
  const auto json = nlohmann::json::parse(again.out);
  EXPECT_EQ(json["pick_split"], "validation");
  EXPECT_EQ(json["pick_samples"], 20);
  EXPECT_EQ(json["rows"].size(), 5u);
  EXPECT_EQ(json["group_id"], group);
  EXPECT_EQ(json["rows"][0]["stitched"]["n"].get<int>() +
                json["rows"][0]["stitched"]["missing"].get<int>(),
            30);
}

}  // namespace
}  // namespace judgeopt

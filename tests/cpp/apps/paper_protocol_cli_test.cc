// A paper-protocol SummEval optimization through the executable (issue 20): it evaluates exactly
// the study's 480 test rows, in the study's step-0 order (its published golden rows lead), and
// `judgeopt prompt --run RUN --step 1 --stage loss` shows integer gold values, while the judge
// prompts carry the study's seed text and no separation rule.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cpp/skip_policy.h"
#include "cpp/apps/cli_runner.h"

namespace judgeopt {
namespace {

namespace fs = std::filesystem;
using testing::RunJudgeopt;

const std::string kData = std::string(JUDGEOPT_SOURCE_DIR) + "/../shared/data";

class PaperProtocolCliTest : public ::testing::Test {
 protected:
  // One SSS step on the study's batch of 3, no gate; the seed prompt evaluated at step 0 only.
  static void SetUpTestSuite() {
    if (!fs::exists(kData + "/summeval/study-split/test.jsonl")) return;
    run_ = testing::OptimizeInTempDir("jo_paper_protocol",
                                      "protocol = \"paper\"\ndataset = \"summeval\"\n"
                                      "[optimize]\nmode = \"SSS\"\nsteps = 1\n"
                                      "[eval]\nfirst = false\nlast = false\nevery = 100\n",
                                      kData);
  }
  static void TearDownTestSuite() {
    if (!run_.root.empty()) fs::remove_all(run_.root);
  }
  void SetUp() override {
    if (!fs::exists(kData + "/summeval/study-split/test.jsonl")) {
      JO_SKIP_OR_FAIL() << kData << "/summeval/study-split is absent";
    }
    ASSERT_TRUE(run_.error.empty()) << run_.error;
    ASSERT_FALSE(run_.run_id.empty());
  }
  static nlohmann::json PromptJson(const std::string& args) {
    auto r = RunJudgeopt("prompt --run " + run_.run_id + " --workspace " + run_.Workspace() + " --data-dir " +
                         kData + " --json " + args);
    EXPECT_EQ(r.code, 0) << r.err;
    return r.code == 0 ? nlohmann::json::parse(r.out) : nlohmann::json::array();
  }
  // The step-0 test predictions' example ids, in stored order (runs export, JSONL).
  static std::vector<std::string> StepZeroTestIds() {
    const fs::path out = run_.root / "export";
    auto r = RunJudgeopt("runs export " + run_.run_id + " --format jsonl --out " + out.string() +
                         " --workspace " + run_.Workspace());
    EXPECT_EQ(r.code, 0) << r.err;
    std::ifstream in(out / "predictions.jsonl");
    std::vector<std::string> ids;
    std::string line;
    while (std::getline(in, line)) {
      const auto row = nlohmann::json::parse(line);
      if (row["step"] == 0 && row["split"] == "test") {
        ids.push_back(row["example_id"].get<std::string>());
      }
    }
    return ids;
  }

  static inline testing::OptimizedRun run_;
};

TEST_F(PaperProtocolCliTest, EvaluatesTheStudysTestRowsWithItsGoldenRowsFirst) {
  const std::vector<std::string> ids = StepZeroTestIds();
  ASSERT_EQ(ids.size(), 480u);
  EXPECT_EQ(std::set<std::string>(ids.begin(), ids.end()).size(), 480u);
  // The study's published step-0 evaluation: test-file rows 93, 31, 451, 287, 141.
  const std::vector<std::string> golden = {
      "dm-test-18243373494a1722ddcd162ec67b63dd749633ab/M17/e1",
      "dm-test-4f3b35b540ba05f0f82d71a694ec23dde4dc3e01/M2/e2",
      "dm-test-8764fb95bfad8ee849274873a92fb8d6b400eee2/M9/e0",
      "dm-test-8b51a10370a1219137e231192e65b9cd52238ea6/M12/e2",
      "dm-test-096e418a953af86df0d1560bec95bc7bfee2e34b/M11/e0"};
  EXPECT_EQ(std::vector<std::string>(ids.begin(), ids.begin() + 5), golden);
  // Every id is a row of the study's test file.
  std::ifstream in(kData + "/summeval/study-split/test.jsonl");
  std::set<std::string> file_ids;
  std::string line;
  while (std::getline(in, line)) {
    const auto row = nlohmann::json::parse(line);
    file_ids.insert(row["doc_id"].get<std::string>() + "/" + row["system_id"].get<std::string>() +
                    "/e" + std::to_string(row["expert"].get<int>()));
  }
  EXPECT_EQ(std::set<std::string>(ids.begin(), ids.end()), file_ids);
}

TEST_F(PaperProtocolCliTest, LossPromptsShowIntegerGoldValues) {
  const auto loss = PromptJson("--step 1 --stage loss");
  ASSERT_EQ(loss.size(), 12u);  // SSS: 4 criteria x 3 samples
  const std::string marker = "**Ground truth (";
  for (const auto& p : loss) {
    const std::string text = p["messages"].back()["content"].get<std::string>();
    const auto at = text.find(marker);
    ASSERT_NE(at, std::string::npos) << text;
    const auto colon = text.find("**: ", at);
    const std::string gold = text.substr(colon + 4, text.find('\n', colon) - colon - 4);
    EXPECT_EQ(gold.size(), 1u) << gold;  // one digit, 1-5: no fraction, no ".0"
    EXPECT_TRUE(gold >= "1" && gold <= "5") << gold;
  }
}

TEST_F(PaperProtocolCliTest, JudgePromptsCarryTheStudysSeedTextAndGuidance) {
  const auto judge = PromptJson("--step 1 --stage predict");
  ASSERT_EQ(judge.size(), 3u);
  std::string text;
  for (const auto& m : judge[0]["messages"]) text += m["content"].get<std::string>() + "\n";
  for (const char* c : {"fluency", "relevance", "coherence", "consistency"}) {
    EXPECT_NE(text.find(std::string("- ") + c + ": Rate from 1 to 5.\n"), std::string::npos)
        << c << "\n" << text;
  }
  EXPECT_NE(text.find("how serious each one is"), std::string::npos) << text;
  EXPECT_EQ(text.find("separately"), std::string::npos) << text;
}

}  // namespace
}  // namespace judgeopt

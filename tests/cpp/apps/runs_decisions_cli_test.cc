// `judgeopt runs show` on a run whose steps carry the methods' decisions (recorded through the
// RunStore API with synthetic steps): the decisions table, payloads with --decisions, and the
// JSON document; a plain run prints no decisions section.

#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

#include "cpp/apps/cli_runner.h"
#include "cpp/data/temp_dir.h"
#include "cpp/store/run_store_fixtures.h"
#include "judgeopt/store/run_store.h"

namespace judgeopt {
namespace {

using data::testing::TempDir;
using testing::CliRun;
using testing::RunJudgeopt;

class RunsShowDecisionsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(std::filesystem::exists(JUDGEOPT_BINARY)) << "judgeopt is not built";
    auto store = store::RunStore::OpenInWorkspace(store::Workspace(ws_));
    ASSERT_TRUE(store.ok()) << store.error().ToString();
    optim::RunInfo spc = store::testing::MakeRunInfo("spc");
    spc.mode = "SPC";
    ASSERT_TRUE((*store)->BeginRun(spc).ok());
    ASSERT_TRUE((*store)->RecordStep("spc", store::testing::MakeBaseline()).ok());
    for (int s = 1; s <= 2; ++s) {
      ASSERT_TRUE((*store)->RecordStep("spc", store::testing::MakeStep(s)).ok());
    }
    ASSERT_TRUE((*store)->BeginRun(store::testing::MakeRunInfo("plain")).ok());
    optim::StepRecord plain = store::testing::MakeStep(1);
    plain.decisions.clear();
    ASSERT_TRUE((*store)->RecordStep("plain", plain).ok());
  }

  std::string Show(const std::string& run, const std::string& flags = "") {
    CliRun r = RunJudgeopt("runs show " + run + " " + flags + " --workspace " + ws_);
    EXPECT_EQ(r.code, 0) << r.err;
    return r.out;
  }

  TempDir dir_;
  std::string ws_ = dir_.path() + "/ws";
};

TEST_F(RunsShowDecisionsTest, TextListsEachStepsDecisionsInOrder) {
  const std::string out = Show("spc");
  const auto table = out.find("Decisions (in the order the methods took them)");
  ASSERT_NE(table, std::string::npos) << out;
  const auto step1 = out.find("1 of 4 edit pairs contradict", table);
  const auto pcgrad = out.find("dropped 1 of 2 edits, \"contradict\" with coherence", table);
  const auto step2 = out.find("2 of 4 edit pairs contradict", table);
  ASSERT_NE(step1, std::string::npos) << out;
  ASSERT_NE(pcgrad, std::string::npos) << out;
  ASSERT_NE(step2, std::string::npos) << out;
  EXPECT_LT(step1, pcgrad);
  EXPECT_LT(pcgrad, step2);
  EXPECT_NE(out.find("kept the incumbent"), std::string::npos);
  EXPECT_EQ(out.find("Decision payloads"), std::string::npos) << out;
  EXPECT_EQ(Show("plain").find("Decisions"), std::string::npos);
}

TEST_F(RunsShowDecisionsTest, DecisionsFlagAddsThePayloads) {
  const std::string out = Show("spc", "--decisions");
  const auto payloads = out.find("Decision payloads");
  ASSERT_NE(payloads, std::string::npos) << out;
  EXPECT_NE(out.find("step 1 #1 conflict_matrix (-):", payloads), std::string::npos) << out;
  EXPECT_NE(out.find("\"contradict\": 2", payloads), std::string::npos) << out;
  EXPECT_NE(out.find("step 2 #2 pcgrad (fluency):", payloads), std::string::npos) << out;
  EXPECT_NE(out.find("(no payload)", payloads), std::string::npos) << out;
}

TEST_F(RunsShowDecisionsTest, JsonCarriesDecisionsWithParsedPayloads) {
  const auto doc = nlohmann::json::parse(Show("spc", "--json"), nullptr, false);
  ASSERT_FALSE(doc.is_discarded());
  ASSERT_EQ(doc["step_summaries"].size(), 3u);
  EXPECT_TRUE(doc["step_summaries"][0]["decisions"].empty());
  const auto& step2 = doc["step_summaries"][2]["decisions"];
  ASSERT_EQ(step2.size(), 3u);
  EXPECT_EQ(step2[0]["kind"], "conflict_matrix");
  EXPECT_EQ(step2[0]["payload"]["pairs"][0]["contradict"], 2);
  EXPECT_EQ(step2[1]["criterion"], "fluency");
  EXPECT_EQ(step2[1]["payload"]["dropped"][0]["against"], "coherence");
  EXPECT_TRUE(step2[2]["payload"].is_null());
}

}  // namespace
}  // namespace judgeopt

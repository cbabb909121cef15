#include "judgeopt/report/eval_files.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "cpp/judge/review_dataset.h"
#include "judgeopt/base/files.h"

namespace judgeopt::report {
namespace {

experiments::EvalResult TwoPredictions(const data::Dataset& ds) {
  std::vector<judge::Prediction> preds(2);
  for (int i = 0; i < 2; ++i) {
    preds[i].id = ds.examples[i].id;
    preds[i].values.resize(ds.criteria.size());
    preds[i].attempts = 1;
  }
  preds[0].values[0].value = 4;
  preds[0].raw_reply = "{\"clarity\": 4,\n \"x\": \"a\"}";
  preds[1].values[0].problem = "out of range";
  preds[1].error = Error(ErrorCode::kParse, "no usable value");
  return *experiments::ScorePredictions(ds, {0, 1}, preds);
}

TEST(EvalFilesTest, CsvQuotesRawRepliesAndLeavesMissingEmpty) {
  auto ds = judge::testdata::MakeReviewDataset();
  const std::string csv = PredictionsCsv(ds, TwoPredictions(ds), /*simulated=*/false);
  EXPECT_EQ(csv.substr(0, csv.find('\n')),
            "id,gold_clarity,pred_clarity,gold_tone,pred_tone,gold_accuracy,pred_accuracy,"
            "gold_helpfulness,pred_helpfulness,attempts,error,simulated,raw_reply");
  EXPECT_NE(
      csv.find("r1,4,4,5,,3,,4,,1,,false,\"{\"\"clarity\"\": 4,\n \"\"x\"\": \"\"a\"\"}\"\n"),
      std::string::npos)
      << csv;
  EXPECT_NE(csv.find("r2,3,,2,,2,,3,,1,parse error: no usable value,false,\n"), std::string::npos)
      << csv;
}

TEST(EvalFilesTest, EveryPredictionRowCarriesTheEvaluationsLabel) {
  auto ds = judge::testdata::MakeReviewDataset();
  const auto result = TwoPredictions(ds);
  const std::string csv = PredictionsCsv(ds, result, /*simulated=*/true);
  EXPECT_NE(csv.find("r1,4,4,5,,3,,4,,1,,true,"), std::string::npos) << csv;
  EXPECT_NE(csv.find("r2,3,,2,,2,,3,,1,parse error: no usable value,true,\n"), std::string::npos)
      << csv;
  for (bool simulated : {true, false}) {
    const std::string jsonl = PredictionsJsonl(ds, result, simulated);
    std::size_t lines = 0;
    for (std::size_t at = 0; at < jsonl.size(); at = jsonl.find('\n', at) + 1, ++lines) {
      auto line = nlohmann::json::parse(jsonl.substr(at, jsonl.find('\n', at) - at));
      EXPECT_EQ(line["simulated"], simulated) << line.dump();
    }
    EXPECT_EQ(lines, 2u);
  }
  EvalProvenance real{"reviews", "test", "openai", "gpt", false, 0, "", {}};
  auto metrics = nlohmann::json::parse(MetricsJson(result, real));
  EXPECT_FALSE(metrics["simulated"].get<bool>());
  EXPECT_TRUE(metrics["simulated_roles"].empty());
  EXPECT_FALSE(metrics.contains("note"));
}

TEST(EvalFilesTest, JsonlAndMetricsAreValidJsonWithSimulatedLabel) {
  auto ds = judge::testdata::MakeReviewDataset();
  auto result = TwoPredictions(ds);
  const std::string jsonl = PredictionsJsonl(ds, result, /*simulated=*/true);
  auto first = nlohmann::json::parse(jsonl.substr(0, jsonl.find('\n')));
  EXPECT_EQ(first["pred"]["clarity"], 4);
  EXPECT_TRUE(first["pred"]["tone"].is_null());
  auto second = nlohmann::json::parse(jsonl.substr(jsonl.find('\n') + 1));
  EXPECT_EQ(second["problems"]["clarity"], "out of range");
  EvalProvenance prov{"reviews", "test", "sim", "judgeopt-sim", true, 3, R"({"a": 1})", {"judge"}};
  auto metrics = nlohmann::json::parse(MetricsJson(result, prov));
  EXPECT_TRUE(metrics["simulated"].get<bool>());
  EXPECT_EQ(metrics["simulated_roles"], nlohmann::json::array({"judge"}));
  EXPECT_NE(metrics["note"].get<std::string>().find("not findings about LLMs"), std::string::npos);
  EXPECT_EQ(metrics["criteria"]["clarity"]["n"], 1);
  EXPECT_EQ(metrics["prompt"]["a"], 1);
}

TEST(EvalFilesTest, WriteEvalFilesCreatesAllThree) {
  auto ds = judge::testdata::MakeReviewDataset();
  auto dir = std::filesystem::temp_directory_path() / ("jo_evalfiles_" + std::to_string(getpid()));
  EvalProvenance prov{"reviews", "test", "sim", "m", true, 0, "", {"judge"}};
  ASSERT_TRUE(WriteEvalFiles((dir / "out").string(), ds, TwoPredictions(ds), prov).ok());
  for (const char* f : {"predictions.csv", "predictions.jsonl", "metrics.json"}) {
    EXPECT_TRUE(std::filesystem::exists(dir / "out" / f)) << f;
  }
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace judgeopt::report

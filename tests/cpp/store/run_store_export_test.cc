// `runs export`: CSV and JSONL per table, byte for byte the same whatever else the database
// holds or in which order runs were written; the comparable form drops call observations and
// the stored config.

#include "judgeopt/store/run_export.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cpp/data/temp_dir.h"
#include "cpp/store/run_store_fixtures.h"
#include "judgeopt/base/files.h"
#include "judgeopt/store/run_store.h"

namespace judgeopt::store {
namespace {

using data::testing::TempDir;
using testing::MakeRunInfo;
using testing::MakeStep;

std::map<std::string, std::string> Export(const std::string& path, const std::string& run,
                                          ExportOptions options) {
  auto reader = RunReader::Open(path);
  EXPECT_TRUE(reader.ok()) << reader.error().ToString();
  auto tables = ExportRun(*reader, run, options);
  EXPECT_TRUE(tables.ok()) << tables.error().ToString();
  std::map<std::string, std::string> out;
  if (tables.ok()) {
    for (const auto& t : *tables) out[t.name] = t.content;
  }
  return out;
}

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

class RunExportTest : public ::testing::Test {
 protected:
  // Database A holds only r1; database B holds another run written first and interleaved.
  void SetUp() override {
    auto a = RunStore::Open(path_a_);
    auto b = RunStore::Open(path_b_);
    ASSERT_TRUE(a.ok() && b.ok());
    ASSERT_TRUE((*a)->BeginRun(MakeRunInfo("r1")).ok());
    ASSERT_TRUE((*b)->BeginRun(MakeRunInfo("other")).ok());
    ASSERT_TRUE((*b)->BeginRun(MakeRunInfo("r1")).ok());
    for (int s = 1; s <= 3; ++s) {
      ASSERT_TRUE((*a)->RecordStep("r1", MakeStep(s, s != 2)).ok());
    }
    for (int s = 3; s >= 1; --s) {
      ASSERT_TRUE((*b)->RecordStep("other", MakeStep(s)).ok());
      ASSERT_TRUE((*b)->RecordStep("r1", MakeStep(s, s != 2)).ok());
    }
  }

  TempDir dir_;
  std::string path_a_ = dir_.path() + "/a.db";
  std::string path_b_ = dir_.path() + "/b.db";
};

TEST_F(RunExportTest, ExportsAreIdenticalAcrossDatabasesAndRepeats) {
  for (ExportFormat format : {ExportFormat::kCsv, ExportFormat::kJsonl}) {
    const auto a = Export(path_a_, "r1", {format, false});
    EXPECT_EQ(a, Export(path_a_, "r1", {format, false}));
    EXPECT_EQ(a, Export(path_b_, "r1", {format, false}));
    std::vector<std::string> names;
    for (const auto& [name, content] : a) names.push_back(name);
    std::vector<std::string> want = ExportTableNames();
    std::sort(want.begin(), want.end());
    EXPECT_EQ(names, want);
  }
}

TEST_F(RunExportTest, CsvHasAHeaderQuotesTextAndLeavesNullsEmpty) {
  const auto t = Export(path_a_, "r1", {ExportFormat::kCsv, false});
  const auto steps = Lines(t.at("steps"));
  ASSERT_EQ(steps.size(), 4u);  // header + 3 steps
  EXPECT_EQ(steps[0],
            "run_id,step,batch_json,incumbent_before,candidate,incumbent_after,accepted,"
            "gate_metric,gate_skipped,gate_incumbent_score,gate_candidate_score,"
            "candidate_batch_scores_json,chosen_candidate,carried_gate_score");
  EXPECT_EQ(steps[1], "r1,1,\"[3,1,4]\",fp-before1,fp-cand1,fp-cand1,true,mae,false,1.25,1.125,"
                      "\"[0.5,0.75]\",1,1.875");
  // A reply with a comma, quotes and a newline is one quoted field; a missing value is null
  // inside the JSON array; whole numbers have no fraction.
  EXPECT_NE(t.at("predictions").find("r1,1,batch,0,3,ex3,\"[2,1]\",\"reply, \"\"quoted\"\"\nline "
                                     "3\",\n"),
            std::string::npos)
      << t.at("predictions");
  EXPECT_NE(t.at("predictions").find("\"[null,5]\""), std::string::npos);
  // An absent Spearman is an empty field.
  EXPECT_NE(t.at("evaluation_metrics").find("r1,1,test,1,coherence,,0.1,,1.5,0.5,0.25,2,1\n"),
            std::string::npos)
      << t.at("evaluation_metrics");
  // Step 2 had no evaluation: evaluations has steps 1 and 3 only.
  EXPECT_EQ(Lines(t.at("evaluations")).size(), 3u);
  EXPECT_EQ(Lines(t.at("run")).size(), 2u);
  EXPECT_EQ(Lines(t.at("calls")).size(), 10u);
  EXPECT_NE(t.at("prompts").find("fp-before1"), std::string::npos);
}

TEST_F(RunExportTest, JsonlLinesAreObjectsInColumnOrder) {
  const auto t = Export(path_a_, "r1", {ExportFormat::kJsonl, false});
  const auto lines = Lines(t.at("calls"));
  ASSERT_EQ(lines.size(), 9u);
  for (const auto& line : lines) {
    auto j = nlohmann::ordered_json::parse(line, nullptr, false);
    ASSERT_FALSE(j.is_discarded()) << line;
    EXPECT_EQ(j.begin().key(), "run_id");
  }
  auto first = nlohmann::json::parse(lines[0]);
  EXPECT_EQ(first["step"], 1);
  EXPECT_EQ(first["role"], "judge");
  EXPECT_EQ(first["cache_hit"], false);
  EXPECT_DOUBLE_EQ(first["latency_ms"].get<double>(), 12.5);
  auto metrics = nlohmann::json::parse(Lines(t.at("evaluation_metrics"))[1]);
  EXPECT_TRUE(metrics["spearman"].is_null());
  auto pred = nlohmann::json::parse(Lines(t.at("predictions"))[0]);
  EXPECT_EQ(pred["raw_reply"], "reply, \"quoted\"\nline 3");
}

TEST_F(RunExportTest, ComparableExportIgnoresCallObservations) {
  TempDir other("_other");  // its own folder (the fixture's TempDir has the default name)
  const std::string path = other.path() + "/c.db";
  {
    auto store = RunStore::Open(path);
    ASSERT_TRUE(store.ok());
    ASSERT_TRUE((*store)->BeginRun(MakeRunInfo("r1")).ok());
    for (int s = 1; s <= 3; ++s) {
      optim::StepRecord step = MakeStep(s, s != 2);
      for (auto& c : step.calls) {  // as if every call had been served from the cache
        c.cache_hit = true;
        c.latency_ms = 0;
        c.attempts = 0;
        c.cost_usd = 0;
      }
      ASSERT_TRUE((*store)->RecordStep("r1", step).ok());
    }
  }
  for (ExportFormat format : {ExportFormat::kCsv, ExportFormat::kJsonl}) {
    EXPECT_NE(Export(path_a_, "r1", {format, false}).at("calls"),
              Export(path, "r1", {format, false}).at("calls"));
    EXPECT_EQ(Export(path_a_, "r1", {format, true}), Export(path, "r1", {format, true}));
  }
  const auto header = Lines(Export(path, "r1", {ExportFormat::kCsv, true}).at("calls"))[0];
  EXPECT_EQ(header, "step,ordinal,call_step,stage,role,tag,prompt_tokens,completion_tokens,error,"
                    "finish_reason,simulated,total_tokens,cached_tokens,reasoning_tokens");
  // The stored config (its concurrency may differ after a resume) is left out, and so are the ids
  // that hash the backend and model (another backend giving the same replies compares equal).
  const auto run_header = Lines(Export(path, "r1", {ExportFormat::kCsv, true}).at("run"))[0];
  EXPECT_EQ(run_header.find("config_json"), std::string::npos) << run_header;
  EXPECT_EQ(run_header.rfind("dataset,mode,", 0), 0u) << run_header;
  const auto evals = Lines(Export(path, "r1", {ExportFormat::kCsv, true}).at("evaluations"))[0];
  EXPECT_EQ(evals.find("settings_key"), std::string::npos) << evals;
  EXPECT_NE(Lines(Export(path, "r1", {ExportFormat::kCsv, false}).at("run"))[0].find("config_json"),
            std::string::npos);
}

TEST_F(RunExportTest, UnknownRunAndBadFormatAreErrors) {
  auto reader = RunReader::Open(path_a_);
  ASSERT_TRUE(reader.ok());
  auto tables = ExportRun(*reader, "nope", {});
  ASSERT_FALSE(tables.ok());
  EXPECT_NE(tables.error().message.find("'nope'"), std::string::npos);
  EXPECT_FALSE(ParseExportFormat("parquet").ok());
  EXPECT_EQ(*ParseExportFormat("jsonl"), ExportFormat::kJsonl);
}

// Each table names its columns with their types: the CSV header, in order, and the types the
// Python module's tables read (src/python).
TEST_F(RunExportTest, TablesNameTheirColumnsAndTypesAsTheHeaderDoes) {
  for (const bool comparable : {false, true}) {
    auto reader = RunReader::Open(path_a_);
    ASSERT_TRUE(reader.ok());
    auto tables = ExportRun(*reader, "r1", {ExportFormat::kCsv, comparable});
    ASSERT_TRUE(tables.ok()) << tables.error().ToString();
    for (const ExportedTable& t : *tables) {
      std::string header;
      for (const ExportedColumn& c : t.columns) {
        header += (header.empty() ? "" : ",") + c.name;
        EXPECT_TRUE(c.type == "int" || c.type == "real" || c.type == "text" || c.type == "bool")
            << t.name << "." << c.name << ": " << c.type;
      }
      EXPECT_EQ(header, Lines(t.content).at(0)) << t.name;
    }
    const auto& steps = (*tables)[2];
    ASSERT_EQ(steps.name, "steps");
    EXPECT_EQ(steps.columns.front(),
              (ExportedColumn{comparable ? "step" : "run_id", comparable ? "int" : "text"}));
  }
}

TEST_F(RunExportTest, WriteExportWritesOneFilePerTable) {
  const auto t = Export(path_a_, "r1", {ExportFormat::kJsonl, false});
  std::vector<ExportedTable> tables;
  for (const auto& [name, content] : t) tables.push_back({name, {}, content});
  const std::string out = dir_.path() + "/out/nested";
  auto paths = WriteExport(tables, out, ExportFormat::kJsonl);
  ASSERT_TRUE(paths.ok()) << paths.error().ToString();
  EXPECT_EQ(paths->size(), t.size());
  EXPECT_EQ(*ReadFile(out + "/steps.jsonl"), t.at("steps"));
}

}  // namespace
}  // namespace judgeopt::store

// Reading a report's input from the run store: selectors (run id, group id, grid, --all, unknown),
// gate and seed from the stored config, usage totals, and the same tables as from plain values.

#include "judgeopt/report/report_source.h"

#include <gtest/gtest.h>

#include "cpp/report/report_fixtures.h"
#include "judgeopt/report/report_document.h"
#include "judgeopt/store/grid_store.h"

namespace judgeopt::report {
namespace {

using testing::SmallStudy;
using testing::StoreRun;
using testing::TempDir;

class ReportSourceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = dir_.path() + "/runs.db";
    auto runs = store::RunStore::Open(path_);
    ASSERT_TRUE(runs.ok()) << runs.error().message;
    for (const ReportRun& r : SmallStudy()) StoreRun(**runs, r);
    auto reader = store::RunReader::Open(path_);
    ASSERT_TRUE(reader.ok()) << reader.error().message;
    reader_.emplace(std::move(*reader));
    auto listed = reader_->ListRuns();
    ASSERT_TRUE(listed.ok());
    listings_ = std::move(*listed);
  }

  Result<std::vector<std::string>> Select(std::vector<std::string> args, bool all = false) {
    const SelectorContext ctx{listings_, reader_->db()};
    return SelectRuns(ctx, {std::move(args), all}, DefaultSelectorRules());
  }

  TempDir dir_;
  std::string path_;
  std::optional<store::RunReader> reader_;
  std::vector<store::RunListing> listings_;
};

TEST_F(ReportSourceTest, SelectsByRunIdGroupIdAndAllInStoreOrder) {
  auto one = Select({"CCC-s2"});
  ASSERT_TRUE(one.ok());
  EXPECT_EQ(*one, (std::vector<std::string>{"CCC-s2"}));
  auto group = Select({"st-g1", "SSS-s1", "st-g1-fluency"});
  ASSERT_TRUE(group.ok());
  EXPECT_EQ(*group, (std::vector<std::string>{"SSS-s1", "st-g1-fluency", "st-g1-coherence"}));
  auto all = Select({}, true);
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->size(), 6u);
  EXPECT_EQ(all->front(), "SSS-s1");  // the order runs were begun
}

TEST_F(ReportSourceTest, SelectsTheBegunRunsOfAGrid) {
  auto none = Select({"study"});
  ASSERT_FALSE(none.ok());  // no grid_runs table yet: not a grid
  auto grids = store::GridStore::Open(path_);
  ASSERT_TRUE(grids.ok()) << grids.error().message;
  ASSERT_TRUE(
      grids->SetMembers("study", {{"CCC-s2", "c1", 0}, {"SSS-s1", "c2", 1}, {"not-begun", "c3", 2}})
          .ok());
  auto grid = Select({"study"});
  ASSERT_TRUE(grid.ok()) << grid.error().message;
  EXPECT_EQ(*grid, (std::vector<std::string>{"SSS-s1", "CCC-s2"}));
}

TEST_F(ReportSourceTest, UnknownOrEmptySelectionIsAnErrorNamingIt) {
  auto unknown = Select({"SSS-s1", "nope"});
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().code, ErrorCode::kNotFound);
  EXPECT_NE(unknown.error().message.find("'nope'"), std::string::npos);
  EXPECT_NE(unknown.error().message.find("runs list"), std::string::npos);
  auto none = Select({});
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.error().code, ErrorCode::kInvalidArgument);
}

TEST_F(ReportSourceTest, ReadsGateSeedEvaluationsAndUsage) {
  auto input = LoadReportInput(*reader_, {"SSS-s2"});
  ASSERT_TRUE(input.ok()) << input.error().message;
  ASSERT_EQ(input->runs.size(), 1u);
  const ReportRun& r = input->runs[0];
  EXPECT_EQ(r.gate, "mae");
  EXPECT_EQ(r.seed, 2);
  EXPECT_EQ(r.status, "finished");
  ASSERT_EQ(r.evaluations.size(), 3u);
  EXPECT_EQ(r.evaluations[2].step, 2);
  EXPECT_EQ(r.usage.calls, 9);  // 3 calls at each of 3 steps
  EXPECT_EQ(r.usage.cache_hits, 3);
  EXPECT_EQ(r.usage.prompt_tokens, 900);
  EXPECT_NEAR(r.usage.usd, 0.009, 1e-12);
}

TEST_F(ReportSourceTest, StoredRunsGiveTheSameTablesAsPlainValues) {
  auto ids = Select({}, true);
  ASSERT_TRUE(ids.ok());
  auto stored = LoadReportInput(*reader_, *ids);
  ASSERT_TRUE(stored.ok());
  ReportInput plain;
  plain.runs = SmallStudy();
  auto a = BuildReportModel(*stored);
  auto b = BuildReportModel(plain);
  ASSERT_TRUE(a.ok() && b.ok());
  const auto fa = ReportFiles(BuildDocument(*a)), fb = ReportFiles(BuildDocument(*b));
  for (const char* f : {"table1.csv", "trajectories.csv", "hypervolume.csv", "runs.csv"}) {
    EXPECT_EQ(fa.at(f), fb.at(f)) << f;
  }
  EXPECT_NE(fa.at("cost.csv"), fb.at("cost.csv"));  // only the stored runs made calls
}

TEST_F(ReportSourceTest, ReadsTheDiagnosticsOfTheSelectedRunsAndTheirCherrypicks) {
  testing::StoreAnalyses(path_);
  auto all = LoadReportInput(*reader_, *Select({}, true));
  ASSERT_TRUE(all.ok()) << all.error().message;
  EXPECT_EQ(all->diagnostics.size(), 10u);
  ASSERT_EQ(all->cherrypicks.size(), 1u);
  EXPECT_EQ(all->cherrypicks[0].rows.size(), 3u);
  auto multi = LoadReportInput(*reader_, {"SSS-s1", "CCC-s1"});
  ASSERT_TRUE(multi.ok());
  EXPECT_EQ(multi->diagnostics.size(), 8u);
  EXPECT_TRUE(multi->cherrypicks.empty());  // made from runs that are not selected
  auto st = LoadReportInput(*reader_, *Select({"st-g1"}));
  ASSERT_TRUE(st.ok());
  EXPECT_EQ(st->diagnostics.size(), 2u);
  EXPECT_EQ(st->cherrypicks.size(), 1u);
}

TEST(ReportRunFromTest, GateFallsBackToTheStepsAndBadConfigIsAnError) {
  store::RunDetail d;
  d.run.info.run_id = "r";
  d.run.info.config_json = "{}";
  store::StepSummary s0, s1;
  s1.step = 1;
  s1.gate.metric = "spearman";
  d.steps = {s0, s1};
  auto run = ReportRunFrom(d);
  ASSERT_TRUE(run.ok());
  EXPECT_EQ(run->gate, "spearman");
  EXPECT_EQ(run->seed, 0);
  d.run.info.config_json = "{not json";
  auto bad = ReportRunFrom(d);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message.find("run r"), std::string::npos);
}

}  // namespace
}  // namespace judgeopt::report

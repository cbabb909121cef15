// `judgeopt report` through the built executable: a workspace's runs to a report folder, the
// SIMULATED note, usage errors and unknown ids. Skipped when the executable is not built.

#include <gtest/gtest.h>

#include <filesystem>

#include "cpp/apps/cli_runner.h"
#include "cpp/report/report_fixtures.h"
#include "judgeopt/base/files.h"
#include "judgeopt/store/workspace.h"

namespace judgeopt::report {
namespace {

using judgeopt::testing::RunJudgeopt;

class ReportCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(std::filesystem::exists(JUDGEOPT_BINARY))
        << "judgeopt executable not built at " << JUDGEOPT_BINARY;
    const store::Workspace ws(Ws());
    ASSERT_TRUE(ws.EnsureStateDir().ok());
    auto runs = store::RunStore::OpenInWorkspace(ws);
    ASSERT_TRUE(runs.ok());
    for (const ReportRun& r : testing::SmallStudy()) testing::StoreRun(**runs, r);
  }

  std::string Ws() const { return dir_.path() + "/ws"; }
  std::string Out() const { return dir_.path() + "/out"; }

  testing::TempDir dir_;
};

TEST_F(ReportCliTest, WritesTheReportOfEveryRun) {
  const auto r = RunJudgeopt("report --all --out " + Out() + " --workspace " + Ws());
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("report of 6 run(s) in 3 configuration(s)"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("SIMULATED"), std::string::npos);
  for (const char* f : {"report.html", "report.md", "table1.csv", "charts/cost.svg"}) {
    EXPECT_TRUE(std::filesystem::exists(std::filesystem::path(Out()) / f)) << f;
  }
  const auto first = ReadFile(Out() + "/report.html");
  ASSERT_TRUE(first.ok());
  const auto again = RunJudgeopt("report --all --out " + Out() + " --workspace " + Ws());
  ASSERT_EQ(again.code, 0);
  EXPECT_EQ(*ReadFile(Out() + "/report.html"), *first);  // byte-identical rerun
}

TEST_F(ReportCliTest, SelectsAGroupAndRejectsUnknownIdsAndEmptySelections) {
  const auto group = RunJudgeopt("report st-g1 --out " + Out() + " --workspace " + Ws());
  ASSERT_EQ(group.code, 0) << group.err;
  EXPECT_NE(group.out.find("report of 2 run(s) in 1 configuration(s)"), std::string::npos);
  const auto unknown = RunJudgeopt("report nope --out " + Out() + " --workspace " + Ws());
  EXPECT_EQ(unknown.code, 1);
  EXPECT_NE(unknown.err.find("'nope'"), std::string::npos) << unknown.err;
  const auto empty = RunJudgeopt("report --out " + Out() + " --workspace " + Ws());
  EXPECT_EQ(empty.code, 2);
  EXPECT_NE(empty.err.find("--all"), std::string::npos);
  const auto no_store = RunJudgeopt("report --all --workspace " + dir_.path() + "/none");
  EXPECT_EQ(no_store.code, 1);
  EXPECT_NE(no_store.err.find("no run store"), std::string::npos) << no_store.err;
}

}  // namespace
}  // namespace judgeopt::report

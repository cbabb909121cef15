// Issue 17, point 6: the main job's closing lines say what the simulated trajectory shows and
// that the simulator is calibrated to the study; the figures they quote are the table's.

#include <gtest/gtest.h>

#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "cpp/apps/cli_runner.h"
#include "cpp/apps/loopback_sim.h"

namespace judgeopt::testing {
namespace {

// The last column (avg spearman) of the per-step table, row by row.
std::vector<std::string> AverageColumn(const std::string& out) {
  std::vector<std::string> values;
  std::istringstream lines(out);
  const std::regex row(R"(^\d+\s+(baseline|accepted|rejected|unchanged).*\s(\S+)$)");
  std::smatch m;
  for (std::string line; std::getline(lines, line);) {
    if (std::regex_match(line, m, row)) values.push_back(m[2]);
  }
  return values;
}

TEST(MainJobSummaryTest, ClosingLinesQuoteTheTrajectoryAndTheCalibration) {
  REQUIRE_DATA();
  Scratch dir;
  const CliRun r = RunJudgeopt("optimize --config " + std::string(JUDGEOPT_SOURCE_DIR) +
                               "/configs/summeval-sim.toml --steps 4 --workspace " + dir.str() +
                               " --data-dir " + kDataDir);
  ASSERT_EQ(r.code, 0) << r.err;
  const std::vector<std::string> avg = AverageColumn(r.out);
  ASSERT_EQ(avg.size(), 5u) << r.out;
  const std::string quoted = "Simulated trajectory: average test Spearman " + avg.front() +
                             " -> " + avg.back() + " (best ";
  EXPECT_NE(r.out.find(quoted), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("candidates rejected by the gate)"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("The simulator is calibrated to the study's findings"), std::string::npos);
  // A rerun shows the same stored run and the same closing lines.
  const CliRun again = RunJudgeopt("optimize --config " + std::string(JUDGEOPT_SOURCE_DIR) +
                                   "/configs/summeval-sim.toml --steps 4 --workspace " +
                                   dir.str() + " --data-dir " + kDataDir);
  EXPECT_NE(again.out.find(quoted), std::string::npos) << again.out;
}

}  // namespace
}  // namespace judgeopt::testing

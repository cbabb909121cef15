// How a committed step is named in the per-step table and the progress lines.

#include "judgeopt/optim/engine/run_record.h"

#include <gtest/gtest.h>

namespace judgeopt::optim {
namespace {

StepRecord Step(int step, const std::string& before, const std::string& candidate, bool accepted,
                bool skipped) {
  StepRecord r;
  r.step = step;
  r.incumbent_before.fingerprint = before;
  r.candidate.fingerprint = candidate;
  r.gate.accepted = accepted;
  r.gate.skipped = skipped;
  return r;
}

TEST(StepDecisionTest, NamesEachWayAStepEnds) {
  EXPECT_STREQ(StepDecision(Step(0, "a", "a", false, false)), "baseline");
  // The optimizer proposed the prompt it was given: not "accepted", whatever the gate said.
  EXPECT_STREQ(StepDecision(Step(4, "a", "a", true, false)), "unchanged");
  EXPECT_STREQ(StepDecision(Step(4, "a", "b", false, false)), "rejected");
  EXPECT_STREQ(StepDecision(Step(4, "a", "b", true, true)), "kept (no gate)");
  EXPECT_STREQ(StepDecision(Step(4, "a", "b", true, false)), "accepted");
}

}  // namespace
}  // namespace judgeopt::optim

#include "judgeopt/llm/usage_tally.h"

#include <gtest/gtest.h>

#include "judgeopt/llm/ledger.h"

namespace judgeopt::llm {
namespace {

UsageTally Sample(int64_t k) {
  UsageTally t;
  t.calls = k;
  t.cache_hits = 2 * k;
  t.failed = 3 * k;
  t.prompt_tokens = 4 * k;
  t.completion_tokens = 5 * k;
  t.usd = 0.5 * static_cast<double>(k);
  return t;
}

TEST(UsageTallyTest, AddsEveryCounter) {
  UsageTally t = Sample(1);
  t += Sample(2);
  EXPECT_EQ(t, Sample(3));
}

TEST(UsageTallyTest, LedgerLineAddsItsOwnCountersToo) {
  LedgerLine a;
  static_cast<UsageTally&>(a) = Sample(1);
  a.refused = 1;
  a.saved_usd = 0.25;
  LedgerLine b = a;
  a.Add(b);
  EXPECT_EQ(static_cast<const UsageTally&>(a), Sample(2));
  EXPECT_EQ(a.refused, 2);
  EXPECT_DOUBLE_EQ(a.saved_usd, 0.5);
}

}  // namespace
}  // namespace judgeopt::llm

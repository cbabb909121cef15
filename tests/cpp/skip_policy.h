#pragma once
// The one way a test may skip for a missing prerequisite (the shared data directory ../shared/data).
// Locally such a test skips with its reason; with CI=true (or CI=1) it fails instead, so a CI run
// can never pass by silently skipping (issue 18, point 6). The deliberate exception, the report's
// browser test without Chromium, uses GTEST_SKIP itself and names itself.
//
// Usage: `if (!HaveIt()) JO_SKIP_OR_FAIL() << "what is missing";` (the statement returns).
// Thread-safety: reads the environment only; call from the test's thread.

#include <gtest/gtest.h>

#include <cstdlib>
#include <string_view>

namespace judgeopt::testing {

/// True where the environment says this is a CI run (CI=true or CI=1, as CI services set it).
inline bool SkipsForbidden() {
  const char* ci = std::getenv("CI");
  if (ci == nullptr) return false;
  const std::string_view value(ci);
  return value == "true" || value == "1" || value == "TRUE" || value == "True";
}

/// A skip locally, a fatal failure in CI.
inline ::testing::TestPartResult::Type SkipOrFailure() {
  return SkipsForbidden() ? ::testing::TestPartResult::kFatalFailure
                          : ::testing::TestPartResult::kSkip;
}

inline const char* SkipOrFailurePrefix() {
  return SkipsForbidden() ? "CI=true forbids skipping; the reason:" : "";
}

}  // namespace judgeopt::testing

// Returns from the test: skipped locally, failed in CI, with the streamed reason.
#define JO_SKIP_OR_FAIL()                                                               \
  return GTEST_MESSAGE_(::judgeopt::testing::SkipOrFailurePrefix(),                     \
                        ::judgeopt::testing::SkipOrFailure())

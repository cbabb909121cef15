// The test suite's skip policy (tests/cpp/skip_policy.h, issue 18 point 6): a missing
// prerequisite skips locally and fails under CI=true.

#include <gtest/gtest-spi.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <optional>
#include <string>

#include "cpp/skip_policy.h"

namespace judgeopt::testing {
namespace {

/// Sets CI for the scope, restoring its previous value.
class ScopedCi {
 public:
  explicit ScopedCi(const char* value) {
    if (const char* old = std::getenv("CI")) old_ = old;
    if (value) {
      setenv("CI", value, 1);
    } else {
      unsetenv("CI");
    }
  }
  ~ScopedCi() {
    if (old_) {
      setenv("CI", old_->c_str(), 1);
    } else {
      unsetenv("CI");
    }
  }

 private:
  std::optional<std::string> old_;
};

void MissingPrerequisite() { JO_SKIP_OR_FAIL() << "../shared/data is absent"; }

TEST(CiSkipPolicyTest, CiTrueOrOneForbidsSkipping) {
  for (const char* value : {"true", "1", "TRUE"}) {
    ScopedCi ci(value);
    EXPECT_TRUE(SkipsForbidden()) << value;
    EXPECT_EQ(SkipOrFailure(), ::testing::TestPartResult::kFatalFailure) << value;
  }
}

TEST(CiSkipPolicyTest, OutsideCiAMissingPrerequisiteSkips) {
  for (const char* value : {static_cast<const char*>(nullptr), "false", "0", ""}) {
    ScopedCi ci(value);
    EXPECT_FALSE(SkipsForbidden()) << (value ? value : "(unset)");
    EXPECT_EQ(SkipOrFailure(), ::testing::TestPartResult::kSkip);
  }
}

TEST(CiSkipPolicyTest, UnderCiTheSkipIsAFatalFailureNamingTheReason) {
  ScopedCi ci("true");
  EXPECT_FATAL_FAILURE(MissingPrerequisite(), "CI=true forbids skipping");
  EXPECT_FATAL_FAILURE(MissingPrerequisite(), "../shared/data is absent");
}

}  // namespace
}  // namespace judgeopt::testing

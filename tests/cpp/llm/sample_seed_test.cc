#include "judgeopt/llm/sample_seed.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <set>

#include "judgeopt/llm/openai_wire.h"

namespace judgeopt::llm {
namespace {

TEST(SampleSeedTest, SampleZeroKeepsTheRunSeed) {
  EXPECT_EQ(SampleSeed(42, Role::kOptimizer, 3, 0), std::optional<int64_t>(42));
  EXPECT_EQ(SampleSeed(std::nullopt, Role::kJudge, 0, 0), std::nullopt);
}

TEST(SampleSeedTest, EverySampleRoleStepAndRunSeedGetsItsOwnSeed) {
  std::set<int64_t> seen;
  int n = 0;
  for (int64_t base : {0, 1, 42}) {
    for (Role role : kAllRoles) {
      for (int step = 0; step < 4; ++step) {
        for (int k = 1; k <= 8; ++k) {
          const std::optional<int64_t> s = SampleSeed(base, role, step, k);
          ASSERT_TRUE(s.has_value());
          EXPECT_GE(*s, 0);
          EXPECT_LT(*s, int64_t{1} << 31);
          EXPECT_EQ(s, SampleSeed(base, role, step, k)) << "deterministic";
          seen.insert(*s);
          ++n;
        }
      }
    }
  }
  EXPECT_EQ(static_cast<int>(seen.size()), n);
  // Without a run seed a sample still gets one (derived from 0).
  EXPECT_EQ(SampleSeed(std::nullopt, Role::kJudge, 0, 2), SampleSeed(0, Role::kJudge, 0, 2));
}

TEST(SampleSeedTest, SetSampleSetsIndexAndSeed) {
  ChatRequest r;
  r.role = Role::kOptimizer;
  SetSample(r, 7, 2, 5);
  EXPECT_EQ(r.sample_index, 5);
  EXPECT_EQ(r.seed, SampleSeed(7, Role::kOptimizer, 2, 5));
  SetSample(r, 7, 2, 0);
  EXPECT_EQ(r.sample_index, 0);
  EXPECT_EQ(r.seed, std::optional<int64_t>(7));
}

// What a server sees: the bodies of N candidates differ (by their seed) even without `user`, so a
// server whose reply depends only on the body answers N different samples.
TEST(SampleSeedTest, TheBodiesOfNSamplesDifferWithoutUser) {
  std::set<std::string> bodies;
  for (int k = 0; k < 8; ++k) {
    ChatRequest r;
    r.role = Role::kOptimizer;
    r.model = "m";
    r.messages = {{"user", "propose a better prompt"}};
    r.temperature = 0.7;
    SetSample(r, 0, 4, k);
    Result<std::string> body = BuildChatBody(r);
    ASSERT_TRUE(body.ok());
    EXPECT_FALSE(nlohmann::json::parse(*body).contains("user")) << *body;
    bodies.insert(*body);
  }
  EXPECT_EQ(bodies.size(), 8u);
}

}  // namespace
}  // namespace judgeopt::llm

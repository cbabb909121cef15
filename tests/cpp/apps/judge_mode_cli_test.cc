// --judge-mode on the command line: eval prints the judge calls it made, prompt prints the calls
// of a mode, estimate multiplies judge calls for per-criterion, and bad modes are rejected.

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <string>

#include "cpp/apps/cli_runner.h"
#include "cpp/skip_policy.h"

namespace {

using judgeopt::testing::CliRun;

CliRun Judgeopt(const std::string& args) { return judgeopt::testing::RunJudgeopt(args); }

bool HaveSharedData() {
  return std::filesystem::exists(std::string(JUDGEOPT_SOURCE_DIR) +
                                 "/../shared/data/summeval/summeval.jsonl");
}

#define REQUIRE_DATA() \
  if (!HaveSharedData()) JO_SKIP_OR_FAIL() << "../shared/data is absent"

// The numbers of "judge mode M: N judge calls (K per example x E examples, R re-asks)".
struct CallLine {
  std::string mode;
  long long calls = -1, per_example = -1, examples = -1, reasks = -1;
};

CallLine ReadCallLine(const std::string& out) {
  CallLine l;
  const auto at = out.find("judge mode ");
  if (at == std::string::npos) return l;
  char mode[32] = {0};
  std::sscanf(out.c_str() + at,
              "judge mode %31[^:]: %lld judge calls (%lld per example x %lld examples, %lld "
              "re-asks)",
              mode, &l.calls, &l.per_example, &l.examples, &l.reasks);
  l.mode = mode;
  return l;
}

class JudgeModeCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("jo_judge_mode_cli_" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string Ws() const { return " --workspace " + dir_.string(); }

  std::filesystem::path dir_;
};

TEST_F(JudgeModeCliTest, EvalPerCriterionPrintsItsJudgeCalls) {
  REQUIRE_DATA();
  CliRun per = Judgeopt(
      "eval --dataset summeval --split test --limit 12 -q --no-cache "
      "--judge-mode per-criterion" +
      Ws());
  ASSERT_EQ(per.code, 0) << per.err;
  EXPECT_NE(per.out.find("summeval / test: 12 examples [SIMULATED]"), std::string::npos);
  const CallLine p = ReadCallLine(per.out);
  EXPECT_EQ(p.mode, "per-criterion") << per.out;
  EXPECT_EQ(p.per_example, 4);
  EXPECT_EQ(p.examples, 12);
  EXPECT_GE(p.reasks, 0);
  EXPECT_EQ(p.calls, 4 * 12 + p.reasks);

  CliRun joint = Judgeopt("eval --dataset summeval --split test --limit 12 -q --no-cache" + Ws());
  ASSERT_EQ(joint.code, 0) << joint.err;
  const CallLine j = ReadCallLine(joint.out);
  EXPECT_EQ(j.mode, "joint") << joint.out;
  EXPECT_EQ(j.per_example, 1);
  EXPECT_EQ(j.calls, 12 + j.reasks);

  CliRun sectioned = Judgeopt(
      "eval --dataset summeval --split test --limit 12 -q --no-cache "
      "--judge-mode sectioned" +
      Ws());
  ASSERT_EQ(sectioned.code, 0) << sectioned.err;
  const CallLine s = ReadCallLine(sectioned.out);
  EXPECT_EQ(s.mode, "sectioned");
  EXPECT_EQ(s.per_example, 1);
  EXPECT_EQ(sectioned.out.find("examples gave no usable score"), std::string::npos)
      << sectioned.out;  // the sectioned replies were read
}

TEST_F(JudgeModeCliTest, UnknownModeIsRejected) {
  CliRun r = Judgeopt("eval --dataset summeval --judge-mode separate -q" + Ws());
  EXPECT_NE(r.code, 0);
  EXPECT_NE(r.err.find("--judge-mode"), std::string::npos) << r.err;
}

TEST_F(JudgeModeCliTest, PromptPrintsTheCallsOfTheMode) {
  REQUIRE_DATA();
  const std::string example =
      "prompt --dataset summeval --example dm-test-8764fb95bfad8ee849274873a92fb8d6b400eee2/M11";
  CliRun per = Judgeopt(example + " --judge-mode per-criterion");
  ASSERT_EQ(per.code, 0) << per.err;
  EXPECT_NE(per.err.find("call 4 of 4 (consistency)"), std::string::npos) << per.err;
  std::size_t prompts = 0;
  for (auto at = per.out.find("## Response:"); at != std::string::npos;
       at = per.out.find("## Response:", at + 1)) {
    ++prompts;
  }
  EXPECT_EQ(prompts, 4u);
  EXPECT_NE(per.out.find("## Instructions:\n- coherence:"), std::string::npos);

  CliRun one = Judgeopt(example + " --judge-mode per-criterion --criterion relevance");
  ASSERT_EQ(one.code, 0) << one.err;
  EXPECT_NE(one.out.find("## Instructions:\n- relevance:"), std::string::npos);
  EXPECT_EQ(one.out.find("- fluency:"), std::string::npos);

  CliRun sec = Judgeopt(example + " --judge-mode sectioned");
  ASSERT_EQ(sec.code, 0) << sec.err;
  EXPECT_NE(sec.out.find("## Criteria (score each one right after reading its instruction):"),
            std::string::npos);
  EXPECT_NE(sec.out.find("### 4. consistency\n"), std::string::npos);
  EXPECT_NE(sec.out.find("Reply line: fluency: 1|2|3|4|5\n"), std::string::npos);
  EXPECT_EQ(sec.out.substr(sec.out.size() - 13), "## Response:\n");
  EXPECT_NE(Judgeopt(example + " --judge-mode sectioned --criterion fluency").code, 0);
}

TEST_F(JudgeModeCliTest, EstimateMultipliesJudgeCallsForPerCriterion) {
  REQUIRE_DATA();
  auto judge_row = [](const std::string& out) {
    const auto at = out.find("\njudge ");
    return at == std::string::npos ? std::string()
                                   : out.substr(at + 1, out.find('\n', at + 1) - at - 1);
  };
  auto calls_of = [](const std::string& row) {
    long long lo = -1;
    long long hi = -1;
    const auto sim = row.find("(sim)");
    if (sim == std::string::npos) return std::pair<long long, long long>{-1, -1};
    std::string cells;
    for (char c : row.substr(sim + 5)) {
      if (c != ',') cells += c;  // thousands separators
    }
    if (std::sscanf(cells.c_str(), " %lld-%lld", &lo, &hi) < 2) hi = lo;
    return std::pair<long long, long long>{lo, hi};
  };
  const std::string base = "estimate --dataset summeval --steps 2 --gate none";
  CliRun joint = Judgeopt(base);
  CliRun per = Judgeopt(base + " --judge-mode per-criterion");
  ASSERT_EQ(joint.code, 0) << joint.err;
  ASSERT_EQ(per.code, 0) << per.err;
  const auto j = calls_of(judge_row(joint.out));
  const auto p = calls_of(judge_row(per.out));
  ASSERT_GT(j.first, 0) << joint.out;
  EXPECT_EQ(p.first, 4 * j.first) << per.out;
  EXPECT_EQ(p.second, 4 * j.second) << per.out;
  EXPECT_NE(per.out.find("+per-criterion"), std::string::npos) << per.out;
}

}  // namespace

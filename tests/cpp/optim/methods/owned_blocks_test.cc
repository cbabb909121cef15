// Criterion-owned blocks against a scripted model (no simulator): in a combined optimizer mode one
// owned-block call per criterion (and candidate) that sees every instruction and all the feedback;
// a reply's rewrites of other blocks are ignored and recorded (identical copies are not); a reply
// without its own block is asked again and then falls back; in a separate mode the other
// instructions are shown read-only.

#include "judgeopt/optim/methods/owned_blocks.h"

#include <gtest/gtest.h>

#include "cpp/optim/methods/router_fixtures.h"
#include "judgeopt/optim/textgrad/stages.h"
#include "judgeopt/prompts/layout.h"

namespace judgeopt::optim {
namespace {

using prompts::PromptKind;
using testdata::Payload;

const std::vector<SampleText> kGradients = {{"*", 0, "Name what to check for each criterion."}};

class OwnedBlocksTest : public ::testing::Test {
 protected:
  explicit OwnedBlocksTest(const std::string& mode = "SCC") : h_(mode) {
    h_.config().method.owned_blocks = true;
  }

  testdata::MethodHarness h_;
};

TEST_F(OwnedBlocksTest, OneCallPerCriterionThatMayChangeOnlyItsOwnBlock) {
  h_.config().num_candidates = 2;
  const judge::JudgePrompt seed = h_.Seed();
  h_.llm.SetFallback([&](const llm::ChatRequest& r) -> testing::ScriptedLlm::Reply {
    const auto layout = prompts::ReadPromptLayout(testing::ScriptedLlm::LastUserMessage(r));
    if (layout.kind != PromptKind::kOptimizerOwned) return Error(ErrorCode::kInternal, r.tag);
    nlohmann::ordered_json j;
    j["instructions"][layout.owner] = "new " + layout.owner + " " + r.tag;
    if (layout.owner == "clarity") {
      j["instructions"]["tone"] = "tone rewritten by clarity";        // ignored, recorded
      j["instructions"]["accuracy"] = *seed.Instruction("accuracy");  // a copy: dropped quietly
    }
    return j.dump();
  });
  auto opt = RunOptimizerStage(h_.ctx(), 1, seed, h_.Batch(2), kGradients);
  ASSERT_TRUE(opt.ok()) << opt.error().ToString();

  ASSERT_EQ(opt->calls.size(), 8u);  // 4 criteria x 2 candidates
  for (const auto& call : opt->calls) {
    const auto layout = prompts::ReadPromptLayout(call.meta_prompt);
    EXPECT_EQ(layout.kind, PromptKind::kOptimizerOwned);
    EXPECT_EQ(layout.owner, call.criterion);
    EXPECT_EQ(layout.criteria, h_.criteria());
    // The whole prompt and all the feedback.
    for (const auto& c : h_.criteria()) {
      EXPECT_NE(call.meta_prompt.find(*seed.Instruction(c)), std::string::npos);
    }
    EXPECT_NE(call.meta_prompt.find(kGradients[0].text), std::string::npos);
    EXPECT_EQ(nlohmann::json::parse(call.parsed_json).size(),
              1u);  // its own block only
  }
  ASSERT_EQ(opt->candidates.size(), 2u);
  for (int k = 0; k < 2; ++k) {
    const judge::JudgePrompt& cand = opt->candidates[static_cast<std::size_t>(k)];
    for (const auto& c : h_.criteria()) {
      EXPECT_EQ(*cand.Instruction(c), fmt::format("new {} step1/optimizer/{}/k{}", c, c, k));
    }
  }
  ASSERT_EQ(opt->decisions.size(), 2u);  // clarity's reply, once per candidate
  for (int k = 0; k < 2; ++k) {
    const DecisionRecord& d = opt->decisions[static_cast<std::size_t>(k)];
    EXPECT_EQ(d.kind, "owned_block");
    EXPECT_EQ(d.criterion, "clarity");
    const auto p = Payload(d);
    EXPECT_EQ(p["candidate"], k);
    ASSERT_EQ(p["ignored"].size(), 1u);
    EXPECT_EQ(p["ignored"][0]["criterion"], "tone");
    EXPECT_EQ(p["ignored"][0]["text"], "tone rewritten by clarity");
  }
}

TEST_F(OwnedBlocksTest, AReplyWithoutItsOwnBlockIsAskedAgainThenFallsBack) {
  h_.config().optimizer_retries = 1;
  const judge::JudgePrompt seed = h_.Seed();
  h_.llm.SetFallback([&](const llm::ChatRequest& r) -> testing::ScriptedLlm::Reply {
    const auto layout = prompts::ReadPromptLayout(testing::ScriptedLlm::LastUserMessage(r));
    nlohmann::ordered_json j;
    // helpfulness's call answers for tone only, every time.
    const std::string key = layout.owner == "helpfulness" ? "tone" : layout.owner;
    j["instructions"][key] = "new " + layout.owner;
    return j.dump();
  });
  auto opt = RunOptimizerStage(h_.ctx(), 1, seed, h_.Batch(1), kGradients);
  ASSERT_TRUE(opt.ok()) << opt.error().ToString();
  ASSERT_EQ(opt->calls.size(), 5u);  // 4 + one retry
  int errors = 0;
  for (const auto& call : opt->calls) {
    if (call.criterion != "helpfulness") continue;
    ++errors;
    EXPECT_NE(call.error.find("no instruction for 'helpfulness'"), std::string::npos) << call.error;
  }
  EXPECT_EQ(errors, 2);
  EXPECT_EQ(*opt->candidates[0].Instruction("helpfulness"), *seed.Instruction("helpfulness"));
  EXPECT_EQ(*opt->candidates[0].Instruction("tone"), "new tone");
  EXPECT_TRUE(opt->decisions.empty());  // unusable replies are not used at all
}

TEST(OwnedBlocksParseTest, UnchangedCopiesAreNotRewrites) {
  testdata::MethodHarness h("CCC");
  const judge::JudgePrompt seed = h.Seed();
  nlohmann::ordered_json j;
  j["instructions"]["tone"] = "  " + *seed.Instruction("tone") + " ";
  j["instructions"]["clarity"] = "mine";
  auto parsed = ParseOwnedReply(h.ctx(), seed, "clarity", j.dump());
  ASSERT_TRUE(parsed.ok()) << parsed.error().ToString();
  EXPECT_EQ(parsed->text, "mine");
  EXPECT_TRUE(parsed->ignored.empty());
  EXPECT_FALSE(ParseOwnedReply(h.ctx(), seed, "clarity", "no json here").ok());
}

class OwnedSeparateTest : public OwnedBlocksTest {
 protected:
  OwnedSeparateTest() : OwnedBlocksTest("SSS") {}
};

TEST_F(OwnedSeparateTest, SeparateCallsShowTheOtherBlocksReadOnly) {
  const judge::JudgePrompt seed = h_.Seed().WithInstruction("tone", "TONE-TEXT").value();
  h_.llm.SetFallback(
      [](const llm::ChatRequest& r) -> testing::ScriptedLlm::Reply { return "improved " + r.tag; });
  const std::vector<SampleText> gradients = {{"clarity", 0, "g"}, {"tone", 0, "g"}};
  auto opt = RunOptimizerStage(h_.ctx(), 1, seed, h_.Batch(1), gradients);
  ASSERT_TRUE(opt.ok()) << opt.error().ToString();
  ASSERT_EQ(opt->calls.size(), 2u);
  // The OTHER_INSTRUCTIONS block of each call: every other criterion, not its own.
  auto block_of = [](const std::string& meta) {
    const auto open = meta.find("<OTHER_INSTRUCTIONS>");
    const auto close = meta.find("</OTHER_INSTRUCTIONS>");
    if (open == std::string::npos || close == std::string::npos) return std::string();
    EXPECT_LT(meta.find("<VARIABLE>"), open);
    EXPECT_LT(close, meta.find("<CONTEXT>"));
    return meta.substr(open, close - open);
  };
  EXPECT_EQ(prompts::ReadPromptLayout(opt->calls[0].meta_prompt).kind,
            PromptKind::kOptimizerSeparate);
  const std::string clarity = block_of(opt->calls[0].meta_prompt);
  const std::string tone = block_of(opt->calls[1].meta_prompt);
  EXPECT_NE(clarity.find("- tone: TONE-TEXT"), std::string::npos) << clarity;
  EXPECT_NE(clarity.find("- helpfulness: "), std::string::npos) << clarity;
  EXPECT_EQ(clarity.find("- clarity:"), std::string::npos) << clarity;
  EXPECT_NE(tone.find("- clarity: "), std::string::npos) << tone;
  EXPECT_EQ(tone.find("- tone:"), std::string::npos) << tone;

  h_.config().method.owned_blocks = false;  // the study's prompt has no such block
  auto plain = RunOptimizerStage(h_.ctx(), 1, seed, h_.Batch(1), gradients);
  ASSERT_TRUE(plain.ok());
  EXPECT_EQ(plain->calls[0].meta_prompt.find("OTHER_INSTRUCTIONS"), std::string::npos);
}

}  // namespace
}  // namespace judgeopt::optim

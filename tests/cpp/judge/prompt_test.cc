#include "judgeopt/judge/prompt.h"

#include <gtest/gtest.h>

#include "cpp/judge/review_dataset.h"
#include "judgeopt/base/sha256.h"

namespace judgeopt::judge {
namespace {

using testdata::MakeReviewDataset;

TEST(JudgePromptTest, FromDatasetTakesPreambleAndSeedsInOrder) {
  const auto d = MakeReviewDataset();
  const auto p = JudgePrompt::FromDataset(d);
  EXPECT_EQ(p.preamble(), d.preamble);
  EXPECT_TRUE(p.output_format());
  ASSERT_EQ(p.instructions().size(), 4u);
  EXPECT_EQ(p.instructions()[2],
            (CriterionInstruction{"accuracy", "Rate factual accuracy from 0 to 3."}));
  EXPECT_EQ(*p.Instruction("tone"), "Rate politeness from 1 to 5.");
  EXPECT_EQ(p.Instruction("humour"), nullptr);
  EXPECT_TRUE(p.CheckAgainst(d).ok());
}

TEST(JudgePromptTest, WithMethodsReturnModifiedCopies) {
  const auto d = MakeReviewDataset();
  const auto seed = JudgePrompt::FromDataset(d);
  auto changed = seed.WithInstruction("tone", "Be strict about tone.");
  ASSERT_TRUE(changed.ok());
  EXPECT_EQ(*changed->Instruction("tone"), "Be strict about tone.");
  EXPECT_EQ(*seed.Instruction("tone"), "Rate politeness from 1 to 5.");
  EXPECT_FALSE(seed.WithInstruction("humour", "x").ok());
  EXPECT_FALSE(seed.WithOutputFormat(false).output_format());
  EXPECT_TRUE(seed.output_format());
  EXPECT_EQ(seed.WithPreamble("P").preamble(), "P");
}

TEST(JudgePromptTest, EqualityAndFingerprintFollowContent) {
  const auto d = MakeReviewDataset();
  const auto a = JudgePrompt::FromDataset(d);
  const auto b = JudgePrompt::FromDataset(d);
  EXPECT_EQ(a, b);
  EXPECT_EQ(a.Fingerprint(), b.Fingerprint());
  EXPECT_EQ(a.Fingerprint().size(), 64u);

  const JudgePrompt variants[] = {a.WithPreamble("other"), a.WithOutputFormat(false),
                                  *a.WithInstruction("clarity", "Rate from 1 to 5. "),
                                  *a.OnlyCriterion("clarity")};
  for (const auto& v : variants) {
    EXPECT_NE(v, a);
    EXPECT_NE(v.Fingerprint(), a.Fingerprint());
  }
  // Moving text between fields must not collide (the encoding is length-prefixed).
  const JudgePrompt x("", true, {{"ab", "c"}});
  const JudgePrompt y("", true, {{"a", "bc"}});
  EXPECT_NE(x.Fingerprint(), y.Fingerprint());
}

TEST(JudgePromptTest, FingerprintIsSha256OfTheDocumentedEncoding) {
  const JudgePrompt p("Pre", false, {{"fluency", "Rate."}, {"tone", ""}});
  const std::string expected_encoding =
      "24:judgeopt.judge_prompt.v1"
      "3:Pre"
      "1:0"
      "1:2"
      "7:fluency"
      "5:Rate."
      "4:tone"
      "0:";
  EXPECT_EQ(p.CanonicalEncoding(), expected_encoding);
  EXPECT_EQ(p.Fingerprint(), Sha256Hex(expected_encoding));
}

TEST(JudgePromptTest, CopiesShareStateAndStayEqual) {
  const auto a = JudgePrompt::FromDataset(MakeReviewDataset());
  const JudgePrompt b = a;  // NOLINT(performance-unnecessary-copy-initialization)
  EXPECT_EQ(&a.instructions(), &b.instructions());
  EXPECT_EQ(a, b);
}

TEST(JudgePromptTest, OnlyCriterionKeepsPreambleAndSwitch) {
  const auto seed = JudgePrompt::FromDataset(MakeReviewDataset()).WithOutputFormat(false);
  auto single = seed.OnlyCriterion("accuracy");
  ASSERT_TRUE(single.ok());
  EXPECT_EQ(single->preamble(), seed.preamble());
  EXPECT_FALSE(single->output_format());
  ASSERT_EQ(single->instructions().size(), 1u);
  EXPECT_EQ(single->instructions()[0].criterion, "accuracy");
  EXPECT_FALSE(seed.OnlyCriterion("humour").ok());
}

TEST(JudgePromptTest, CheckAgainstRejectsUnknownRepeatedOrReordered) {
  const auto d = MakeReviewDataset();
  const JudgePrompt unknown("", true, {{"clarity", ""}, {"humour", ""}});
  const JudgePrompt repeated("", true, {{"clarity", ""}, {"clarity", ""}});
  const JudgePrompt reordered("", true, {{"tone", ""}, {"clarity", ""}});
  ASSERT_FALSE(unknown.CheckAgainst(d).ok());
  EXPECT_NE(unknown.CheckAgainst(d).error().message.find("'humour'"), std::string::npos);
  EXPECT_FALSE(repeated.CheckAgainst(d).ok());
  EXPECT_FALSE(reordered.CheckAgainst(d).ok());
  const JudgePrompt subset("", true, {{"tone", ""}, {"helpfulness", ""}});
  EXPECT_TRUE(subset.CheckAgainst(d).ok());
  auto criteria = subset.Criteria(d);
  ASSERT_TRUE(criteria.ok());
  ASSERT_EQ(criteria->size(), 2u);
  EXPECT_EQ((*criteria)[1], &d.criteria[3]);
}

}  // namespace
}  // namespace judgeopt::judge

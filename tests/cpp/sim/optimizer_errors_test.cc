// The simulated optimizer's writing errors (issue 17): vaguer rewording that loses a concept and
// padding that grows an instruction, at rates that rise with the criteria rewritten together and
// with the temperature.
#include "judgeopt/sim/optimizer_errors.h"

#include <gtest/gtest.h>

#include "judgeopt/base/strings.h"
#include "judgeopt/sim/concepts.h"
#include "judgeopt/sim/prompt_text.h"
#include "judgeopt/sim/stable_hash.h"

namespace judgeopt::sim {
namespace {

CriterionModel Fluency() {
  auto catalog = ConceptCatalog::Embedded();
  EXPECT_TRUE(catalog.ok());
  CriterionModel m;
  m.name = "fluency";
  m.concepts = *catalog->Find("summeval", "fluency");
  return m;
}

int Covered(const CriterionModel& m, const std::string& text) {
  return CountMentions(m.concepts, AsciiLower(text));
}

std::string Covering(const CriterionModel& m, int k) {
  std::string text = "Rate from 1 to 5.";
  for (int i = 0; i < k; ++i) text += " Pay attention to " + m.concepts[i].name + ".";
  return text;
}

TEST(OptimizerErrorsTest, RatesRiseWithCriteriaAndTemperature) {
  SimConstants k;
  auto one = ErrorRates(k, 1, 0.7);
  EXPECT_DOUBLE_EQ(one.vague, k.optimizer_vague_base);
  EXPECT_DOUBLE_EQ(one.filler, k.optimizer_filler_base);
  auto four = ErrorRates(k, 4, 0.7);
  EXPECT_GT(four.vague, one.vague);
  EXPECT_GT(four.filler, one.filler);
  auto cold = ErrorRates(k, 1, 0.0);
  EXPECT_LT(cold.vague, one.vague);
  EXPECT_LT(cold.filler, one.filler);
  EXPECT_LE(ErrorRates(k, 50, 0.7).vague, k.optimizer_vague_max + 1e-12);
}

TEST(OptimizerErrorsTest, VagueRewordingLosesExactlyOneConcept) {
  CriterionModel m = Fluency();
  std::string text = Covering(m, 4);
  ASSERT_EQ(Covered(m, text), 4);
  for (uint64_t key = 0; key < 20; ++key) {
    std::string out = WithWritingErrors(text, m, {1.0, 0.0}, key);
    EXPECT_EQ(Covered(m, out), 3) << out;
  }
  // Nothing concrete to lose: the text stays as it was.
  EXPECT_EQ(WithWritingErrors("Rate from 1 to 5.", m, {1.0, 0.0}, 3), "Rate from 1 to 5.");
}

TEST(OptimizerErrorsTest, PaddingGrowsTheInstructionWithoutGuidance) {
  CriterionModel m = Fluency();
  std::string text = Covering(m, 2);
  std::string out = WithWritingErrors(text, m, {0.0, 1.0}, 11);
  EXPECT_GE(CountWords(out), CountWords(text) + 20);
  EXPECT_EQ(Covered(m, out), 2);
  EXPECT_TRUE(out.starts_with(text));
  EXPECT_EQ(WithWritingErrors(text, m, {0.0, 0.0}, 11), text);  // no error, no change
}

TEST(OptimizerErrorsTest, ErrorsHappenAtTheirRate) {
  CriterionModel m = Fluency();
  std::string text = Covering(m, 3);
  int vague = 0;
  int padded = 0;
  constexpr int kDraws = 2000;
  for (uint64_t key = 0; key < kDraws; ++key) {
    std::string out = WithWritingErrors(text, m, {0.3, 0.2}, StableHash(key).Digest());
    vague += Covered(m, out) < 3 ? 1 : 0;
    padded += CountWords(out) > CountWords(text) + 10 ? 1 : 0;
  }
  EXPECT_NEAR(vague / double(kDraws), 0.3, 0.04);
  EXPECT_NEAR(padded / double(kDraws), 0.2, 0.04);
}

}  // namespace
}  // namespace judgeopt::sim

#include "judgeopt/sim/concepts.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "judgeopt/base/strings.h"
#include "judgeopt/data/catalog.h"
#include "judgeopt/sim/embedded_concepts.h"

namespace judgeopt::sim {
namespace {

const std::vector<std::string> kSummEval = {"fluency", "relevance", "coherence", "consistency"};
const std::vector<std::string> kBrighter = {"anger", "fear", "joy", "sadness", "surprise"};

ConceptCatalog Shipped() {
  auto catalog = ConceptCatalog::Embedded();
  EXPECT_TRUE(catalog.ok()) << catalog.error().ToString();
  return *catalog;
}

TEST(ConceptsTest, EmbeddedCatalogIsTheShippedFile) {
  std::ifstream in(JUDGEOPT_SOURCE_DIR "/data/sim/concepts.json", std::ios::binary);
  ASSERT_TRUE(in.good());
  std::stringstream text;
  text << in.rdbuf();
  EXPECT_EQ(EmbeddedConceptsJson(), text.str());
}

TEST(ConceptsTest, ShippedListsHaveAboutEightConceptsWithSynonyms) {
  ConceptCatalog catalog = Shipped();
  EXPECT_EQ(catalog.Datasets(), (std::vector<std::string>{"brighter", "summeval"}));
  for (const auto& [dataset, criteria] :
       {std::pair{"summeval", kSummEval}, std::pair{"brighter", kBrighter}}) {
    for (const auto& c : criteria) {
      const auto* list = catalog.Find(dataset, c);
      ASSERT_NE(list, nullptr) << dataset << "/" << c;
      EXPECT_GE(list->size(), 6u) << c;
      EXPECT_LE(list->size(), 10u) << c;
      for (const auto& k : *list) {
        EXPECT_GE(k.phrases.size(), 2u) << c << ": " << k.name;
        for (const auto& p : k.phrases) EXPECT_EQ(p, AsciiLower(p));
      }
    }
  }
}

// A phrase of one criterion inside a phrase of another would make mentions ambiguous.
TEST(ConceptsTest, PhrasesDoNotOverlapAcrossCriteriaOfADataset) {
  ConceptCatalog catalog = Shipped();
  for (const auto& [dataset, criteria] :
       {std::pair{"summeval", kSummEval}, std::pair{"brighter", kBrighter}}) {
    for (const auto& c : criteria) {
      for (const auto& d : criteria) {
        if (c == d) continue;
        for (const auto& kc : *catalog.Find(dataset, c)) {
          for (const auto& kd : *catalog.Find(dataset, d)) {
            for (const auto& p : kc.phrases) {
              for (const auto& q : kd.phrases) {
                EXPECT_EQ(q.find(p), std::string::npos) << c << " '" << p << "' in " << d;
              }
            }
          }
        }
      }
    }
  }
}

// The shipped seed instructions (every built-in dataset, both protocols: the study's own under
// "paper") must score zero coverage, or the seed prompt would not be weak.
TEST(ConceptsTest, ShippedSeedInstructionsMentionNoConcept) {
  ConceptCatalog catalog = Shipped();
  int checked = 0;
  for (const data::BuiltinDataset& builtin : data::BuiltinDatasets()) {
    for (const char* protocol : {"default", "paper"}) {
      auto spec = data::BuiltinSpec(builtin, protocol);
      ASSERT_TRUE(spec.ok()) << spec.error().ToString();
      for (const data::CriterionSpec& c : spec->criteria) {
        const std::vector<Concept>* concepts = catalog.Find(spec->name, c.criterion.name);
        ASSERT_NE(concepts, nullptr) << spec->name << "/" << c.criterion.name;
        for (const std::string& seed : {c.criterion.seed_instruction, c.paper_seed_instruction}) {
          EXPECT_EQ(CountMentions(*concepts, AsciiLower(seed)), 0)
              << spec->name << "/" << c.criterion.name << " (" << protocol << "): " << seed;
          ++checked;
        }
      }
    }
  }
  EXPECT_EQ(checked, 2 * 2 * (4 + 5));  // SummEval's 4 and BRIGHTER's 5 criteria
}

TEST(ConceptsTest, MentionsAreCaseInsensitiveSubstrings) {
  ConceptCatalog catalog = Shipped();
  const auto& list = *catalog.Find("summeval", "consistency");
  EXPECT_EQ(CountMentions(list, AsciiLower("Penalize HALLUCINATED facts that Contradict it.")),
            2);
  EXPECT_EQ(CountMentions(list, AsciiLower("Rate how good the summary is.")), 0);
}

// The catalog is world vocabulary found through the dataset's criteria, never its name: a
// dataset called anything with SummEval's criteria (or some of them) gets SummEval's lists; one
// that mixes in a criterion no set lists derives every criterion's concepts.
TEST(ConceptsTest, CatalogSetsAreFoundByTheDatasetsCriteriaNotItsName) {
  ConceptCatalog catalog = Shipped();
  EXPECT_EQ(catalog.SetListing(kSummEval), "summeval");
  EXPECT_EQ(catalog.SetListing({"coherence", "fluency"}), "summeval");
  EXPECT_EQ(catalog.SetListing(kBrighter), "brighter");
  EXPECT_EQ(catalog.SetListing({"fluency", "anger"}), "");
  EXPECT_EQ(catalog.SetListing({"fluency", "tone"}), "");
  EXPECT_EQ(catalog.SetListing({}), "");
  data::Criterion fluency;
  fluency.name = "fluency";
  fluency.description = "How well the summary reads.";
  const auto listed = ConceptsFor(fluency, {"fluency", "relevance"}, catalog);
  ASSERT_EQ(listed.size(), catalog.Find("summeval", "fluency")->size());
  EXPECT_EQ(listed.front().name, catalog.Find("summeval", "fluency")->front().name);
  const auto derived = ConceptsFor(fluency, {"fluency", "tone"}, catalog);
  ASSERT_FALSE(derived.empty());
  EXPECT_EQ(derived.front().name, "fluency");  // the derivation rule: the name, then words
}

TEST(ConceptsTest, CriterionConceptsWinAndSplitSynonymsOnBars) {
  data::Criterion c;
  c.name = "fluency";
  c.concepts = {"Grammar|syntax", "tone"};
  auto list = ConceptsFor(c, {"fluency", "coherence"}, Shipped());
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list[0].name, "grammar");
  EXPECT_EQ(list[0].phrases, (std::vector<std::string>{"grammar", "syntax"}));
  EXPECT_EQ(list[1].phrases, (std::vector<std::string>{"tone"}));
}

TEST(ConceptsTest, UnknownCriteriaDeriveConceptsFromNameAndDescription) {
  data::Criterion c;
  c.name = "tone_match";
  c.description = "Whether the reply keeps a polite, professional register and avoids sarcasm.";
  auto list = ConceptsFor(c, {"tone_match", "resolution"}, Shipped());
  std::vector<std::string> names;
  for (const auto& k : list) names.push_back(k.name);
  EXPECT_EQ(names, (std::vector<std::string>{"tone match", "reply", "keeps", "polite",
                                             "professional", "register", "avoids", "sarcasm"}));
  // Long words also match through their stem.
  EXPECT_EQ(list[4].phrases, (std::vector<std::string>{"professional", "profession"}));
  EXPECT_EQ(DeriveConcepts("clarity", "").size(), 1u);
}

TEST(ConceptsTest, BadCatalogErrorsNameTheKey) {
  auto bad = ConceptCatalog::Parse(
      R"({"datasets": {"x": {"c": [{"concept": "a", "phrase": []}]}}})", "cat.json");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message.find("cat.json"), std::string::npos) << bad.error().message;
  EXPECT_NE(bad.error().message.find("phrase"), std::string::npos) << bad.error().message;
  EXPECT_FALSE(ConceptCatalog::Parse(R"({"datasets": {"x": {"c": []}}})", "e.json").ok());
  EXPECT_FALSE(ConceptCatalog::Parse("{", "e.json").ok());
}

}  // namespace
}  // namespace judgeopt::sim

// Loads the real SummEval and BRIGHTER files from ../shared/data (skipped when absent).

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>

#include "cpp/skip_policy.h"
#include "judgeopt/base/numpy_random.h"
#include "judgeopt/data/catalog.h"
#include "judgeopt/data/records.h"
#include "judgeopt/data/splits.h"

namespace judgeopt::data {
namespace {

const std::string kDataRoot = JUDGEOPT_SOURCE_DIR "/../shared/data";

DataLocator SharedLocator() { return DataLocator(kDataRoot, "", {}); }

#define SKIP_WITHOUT(dir)                                                     \
  if (!std::filesystem::is_directory(kDataRoot + "/" + dir))                  \
  JO_SKIP_OR_FAIL() << "shared data not found at " << kDataRoot << "/" << dir \
                    << " (the dataset files live outside the repository)"

std::set<std::size_t> AsSet(const std::vector<std::size_t>& v) { return {v.begin(), v.end()}; }

std::vector<std::string> Ids(const Dataset& ds, const std::vector<std::size_t>& rows) {
  std::vector<std::string> out;
  for (std::size_t r : rows) out.push_back(ds.examples[r].id);
  return out;
}

// Loads SummEval once for the whole suite (it is the largest file).
class SummEvalTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (!std::filesystem::is_directory(kDataRoot + "/summeval")) return;
    auto ds = LoadDataset("summeval", SharedLocator(), {});
    if (ds.ok()) {
      shared_ = new Dataset(std::move(ds).value());
    } else {
      load_error_ = new std::string(ds.error().ToString());
    }
  }
  static void TearDownTestSuite() {
    delete shared_;
    delete load_error_;
    shared_ = nullptr;
    load_error_ = nullptr;
  }
  void SetUp() override {
    SKIP_WITHOUT("summeval");
    ASSERT_EQ(load_error_, nullptr) << *load_error_;
  }

  static Dataset* shared_;
  static std::string* load_error_;
  static const Dataset& ds() { return *shared_; }
};
Dataset* SummEvalTest::shared_ = nullptr;
std::string* SummEvalTest::load_error_ = nullptr;

TEST_F(SummEvalTest, OneExamplePerRowWithCompositeIds) {
  ASSERT_EQ(ds().examples.size(), 1600u);
  // Independently read the first line of the file.
  auto raw = ReadRecordFile(kDataRoot + "/summeval/summeval.jsonl", FileFormat::kJsonl);
  ASSERT_TRUE(raw.ok());
  const auto& first = raw->records[0].fields;
  const Example& ex = ds().examples[0];
  EXPECT_EQ(ex.id,
            first["doc_id"].get<std::string>() + "/" + first["system_id"].get<std::string>());
  EXPECT_EQ(ex.group, first["doc_id"].get<std::string>());
  EXPECT_EQ(ex.inputs[0], first["system_output"].get<std::string>());
  EXPECT_EQ(ex.line, 1u);
  // Criteria in the brief's order; gold = the file's 3-expert mean.
  std::vector<std::string> names;
  for (const auto& c : ds().criteria) names.push_back(c.name);
  EXPECT_EQ(names, (std::vector<std::string>{"fluency", "relevance", "coherence", "consistency"}));
  EXPECT_DOUBLE_EQ(ex.gold[2], first["coherence"].get<double>());
  EXPECT_DOUBLE_EQ(ex.gold[0], first["fluency"].get<double>());
  for (const auto& c : ds().criteria) {
    EXPECT_EQ(c.scale.min, 1);
    EXPECT_EQ(c.scale.max, 5);
    EXPECT_TRUE(c.scale.integer);
    EXPECT_FALSE(c.seed_instruction.empty());
  }
  EXPECT_EQ(ds().inputs[0].label, "Summary");
  EXPECT_EQ(ds().inputs[1].label, "Source Text");
  EXPECT_NE(ds().preamble.find("## Task"), std::string::npos);
  EXPECT_NE(ds().preamble.find("\n1. "), std::string::npos);
  EXPECT_NE(ds().preamble.find("\n2. "), std::string::npos);
}

TEST_F(SummEvalTest, ArticleIsThePublishedTextBeforeTheHighlights) {
  std::set<std::string> groups;
  for (const auto& ex : ds().examples) {
    const std::string& article = ex.inputs[1];
    ASSERT_EQ(article.find("@highlight"), std::string::npos) << ex.id;
    ASSERT_EQ(article.find("\xC2\xA0"), std::string::npos) << ex.id;
    ASSERT_FALSE(article.empty());
    ASSERT_NE(article.front(), ' ');
    ASSERT_NE(article.back(), '\n');
    groups.insert(ex.group);
  }
  EXPECT_EQ(groups.size(), 100u);
  // The first article is the Paul Merson story (see LICENSE-AND-SOURCE.md); it is untokenized.
  EXPECT_EQ(ds().examples[0].inputs[1].rfind("Paul Merson has restarted his row", 0), 0u);
  EXPECT_NE(ds().examples[0].inputs[1].find("team's 0-0 draw"), std::string::npos);
}

TEST_F(SummEvalTest, DefaultSplitsArePermutationRangesAndDisjoint) {
  const Splits& s = ds().splits;
  ASSERT_EQ(s.train.size(), 160u);
  ASSERT_EQ(s.test.size(), 480u);
  ASSERT_EQ(s.validation.size(), 100u);
  std::vector<std::size_t> perm = Permutation(1600, 42);
  EXPECT_EQ(s.train, std::vector<std::size_t>(perm.begin(), perm.begin() + 160));
  EXPECT_EQ(s.test, std::vector<std::size_t>(perm.begin() + 160, perm.begin() + 640));
  EXPECT_EQ(s.validation, std::vector<std::size_t>(perm.begin() + 640, perm.begin() + 740));
  std::set<std::size_t> all = AsSet(s.train);
  all.merge(AsSet(s.test));
  all.merge(AsSet(s.validation));
  EXPECT_EQ(all.size(), 740u);
}

TEST_F(SummEvalTest, SplitIdsAreDeterministic) {
  auto again = LoadDataset("summeval", SharedLocator(), {});
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(Ids(ds(), ds().splits.train), Ids(*again, again->splits.train));
  EXPECT_EQ(Ids(ds(), ds().splits.validation), Ids(*again, again->splits.validation));
  EXPECT_EQ(Ids(ds(), ds().splits.test), Ids(*again, again->splits.test));
}

TEST_F(SummEvalTest, PaperProtocolReproducesTheStudysOrders) {
  LoadOptions paper;
  paper.protocol = "paper";
  auto p = LoadDataset("summeval", SharedLocator(), paper);
  ASSERT_TRUE(p.ok()) << p.error().ToString();
  const Splits& s = p->splits;
  ASSERT_EQ(s.train.size(), 160u);
  ASSERT_EQ(s.validation.size(), 100u);
  ASSERT_EQ(s.test.size(), 480u);
  // Same rows as the default split, in the study's working order: the stored frame shuffled
  // again with seed 42, whose first positions are the golden perm(160, 42) vector.
  EXPECT_EQ(AsSet(s.train), AsSet(ds().splits.train));
  EXPECT_EQ(AsSet(s.test), AsSet(ds().splits.test));
  const std::size_t golden[] = {105, 108, 141, 55, 94, 29, 101, 51, 100, 142};
  for (int k = 0; k < 10; ++k) EXPECT_EQ(s.train[k], ds().splits.train[golden[k]]) << k;
  // Validation is drawn from train, so it overlaps it completely.
  std::set<std::size_t> train = AsSet(s.train);
  for (std::size_t v : s.validation) EXPECT_TRUE(train.count(v)) << v;
  EXPECT_EQ(AsSet(s.validation).size(), 100u);
  EXPECT_EQ(p->protocol, "paper");
}

TEST(BrighterTest, CurrentVersionDropsNameRowsWithWarnings) {
  SKIP_WITHOUT("brighter-eng-track-b");
  auto ds = LoadDataset("brighter", SharedLocator(), {});
  ASSERT_TRUE(ds.ok()) << ds.error().ToString();
  EXPECT_EQ(ds->version, "current");
  EXPECT_EQ(ds->splits.train.size(), 2763u - 5u);
  EXPECT_EQ(ds->splits.validation.size(), 115u);
  EXPECT_EQ(ds->splits.test.size(), 2765u - 5u);
  EXPECT_EQ(ds->examples.size(), 2758u + 115u + 2760u);
  ASSERT_EQ(ds->warnings.size(), 2u);
  EXPECT_NE(ds->warnings[0].find("eng_train.csv: dropped 5 rows"), std::string::npos)
      << ds->warnings[0];
  EXPECT_NE(ds->warnings[1].find("eng_test.csv: dropped 5 rows"), std::string::npos);
  EXPECT_NE(ds->warnings[0].find("#NAME?"), std::string::npos);
  for (const auto& ex : ds->examples) ASSERT_NE(ex.inputs[0], "#NAME?") << ex.id;
  std::vector<std::string> names;
  for (const auto& c : ds->criteria) names.push_back(c.name);
  EXPECT_EQ(names, (std::vector<std::string>{"anger", "fear", "joy", "sadness", "surprise"}));
  EXPECT_EQ(ds->criteria[0].scale.max, 3);
  EXPECT_EQ(ds->inputs[0].label, "Text");
  // Official files in file order: the first train row is the one quoted in LICENSE-AND-SOURCE.md.
  const Example& first = ds->examples[ds->splits.train[0]];
  EXPECT_EQ(first.id, "eng_train_track_b_00001");
  EXPECT_EQ(first.inputs[0], "Colorado, middle of nowhere.");
  EXPECT_EQ(first.gold, (std::vector<double>{0, 1, 0, 0, 1}));
}

TEST(BrighterTest, CompetitionVersionIsSelectable) {
  SKIP_WITHOUT("brighter-eng-track-b");
  LoadOptions opts;
  opts.version = "competition";
  auto ds = LoadDataset("brighter", SharedLocator(), opts);
  ASSERT_TRUE(ds.ok()) << ds.error().ToString();
  EXPECT_EQ(ds->splits.train.size(), 2768u);
  EXPECT_EQ(ds->splits.validation.size(), 116u);
  EXPECT_EQ(ds->splits.test.size(), 2767u - 5u);
  ASSERT_EQ(ds->warnings.size(), 1u);
  EXPECT_NE(ds->warnings[0].find("competition-version-44ddc04/eng_test.csv: dropped 5 rows"),
            std::string::npos)
      << ds->warnings[0];
  opts.version = "nightly";
  auto bad = LoadDataset("brighter", SharedLocator(), opts);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message.find("known: competition, current"), std::string::npos)
      << bad.error().message;
}

TEST(BrighterTest, PaperProtocolTakesValidationFromTrain) {
  SKIP_WITHOUT("brighter-eng-track-b");
  LoadOptions paper;
  paper.protocol = "paper";
  auto ds = LoadDataset("brighter", SharedLocator(), paper);
  ASSERT_TRUE(ds.ok()) << ds.error().ToString();
  EXPECT_EQ(ds->splits.train.size(), 2758u);
  ASSERT_EQ(ds->splits.validation.size(), 100u);
  std::set<std::size_t> train = AsSet(ds->splits.train);
  for (std::size_t v : ds->splits.validation) EXPECT_TRUE(train.count(v));
}

TEST(CatalogTest, ListsBuiltinsWithSizesAndCriteria) {
  SKIP_WITHOUT("summeval");
  SKIP_WITHOUT("brighter-eng-track-b");
  auto infos = ListBuiltinDatasets(SharedLocator());
  ASSERT_EQ(infos.size(), 2u);
  EXPECT_EQ(infos[0].name, "summeval");
  EXPECT_TRUE(infos[0].found) << infos[0].location;
  EXPECT_EQ(infos[0].train, 160u);
  EXPECT_EQ(infos[0].validation, 100u);
  EXPECT_EQ(infos[0].test, 480u);
  EXPECT_EQ(infos[0].criteria.size(), 4u);
  EXPECT_EQ(infos[1].name, "brighter");
  EXPECT_TRUE(infos[1].found);
  EXPECT_EQ(infos[1].versions, (std::vector<std::string>{"competition", "current"}));
  EXPECT_EQ(infos[1].warnings.size(), 2u);
}

}  // namespace
}  // namespace judgeopt::data

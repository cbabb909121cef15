// Loads the real SummEval and BRIGHTER files from ../shared/data (skipped when absent).

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
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

// Under the paper protocol SummEval is the study's own split files (study-split/): 160 train and
// 480 test rows, one expert's integer rating each, in the study's working order.
class SummEvalStudyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    SKIP_WITHOUT("summeval/study-split");
    LoadOptions paper;
    paper.protocol = "paper";
    auto ds = LoadDataset("summeval", SharedLocator(), paper);
    ASSERT_TRUE(ds.ok()) << ds.error().ToString();
    ds_ = std::move(ds).value();
  }
  Dataset ds_;
};

TEST_F(SummEvalStudyTest, LoadsTheStudysRowsInItsWorkingOrder) {
  const Splits& s = ds_.splits;
  ASSERT_EQ(ds_.examples.size(), 640u);
  ASSERT_EQ(s.train.size(), 160u);
  ASSERT_EQ(s.validation.size(), 100u);
  ASSERT_EQ(s.test.size(), 480u);
  EXPECT_EQ(ds_.protocol, "paper");
  // The train file's rows come first; its working order is the file shuffled once with seed 42
  // (the golden perm(160, 42) vector), not twice: the files are the study's stored splits.
  const std::size_t golden[] = {105, 108, 141, 55, 94, 29, 101, 51, 100, 142};
  for (int k = 0; k < 10; ++k) EXPECT_EQ(s.train[k], golden[k]) << k;
  std::set<std::size_t> test = AsSet(s.test);
  EXPECT_EQ(test.size(), 480u);
  EXPECT_EQ(*test.begin(), 160u);
  EXPECT_EQ(*test.rbegin(), 639u);
  // Validation is drawn from train, so it overlaps it completely.
  std::set<std::size_t> train = AsSet(s.train);
  for (std::size_t v : s.validation) EXPECT_TRUE(train.count(v)) << v;
  EXPECT_EQ(AsSet(s.validation).size(), 100u);
}

// The study's published step-0 evaluation starts with these five rows of its test file.
TEST_F(SummEvalStudyTest, StepZeroEvaluationOrderMatchesTheStudysGoldenRows) {
  const std::vector<std::size_t> order = StudyEvaluationOrder(ds_.splits.test, 0);
  ASSERT_EQ(order.size(), 480u);
  const std::size_t rows[] = {93, 31, 451, 287, 141};
  const char* ids[] = {"dm-test-18243373494a1722ddcd162ec67b63dd749633ab/M17/e1",
                       "dm-test-4f3b35b540ba05f0f82d71a694ec23dde4dc3e01/M2/e2",
                       "dm-test-8764fb95bfad8ee849274873a92fb8d6b400eee2/M9/e0",
                       "dm-test-8b51a10370a1219137e231192e65b9cd52238ea6/M12/e2",
                       "dm-test-096e418a953af86df0d1560bec95bc7bfee2e34b/M11/e0"};
  for (int k = 0; k < 5; ++k) {
    const Example& ex = ds_.examples[order[k]];
    EXPECT_EQ(order[k], 160 + rows[k]) << k;  // test rows follow the 160 train rows
    EXPECT_EQ(ex.line, rows[k] + 1) << k;     // file row r is line r + 1
    EXPECT_EQ(ex.id, ids[k]) << k;
  }
  // Row 93 of the test file: that expert's own integer ratings.
  EXPECT_EQ(ds_.examples[order[0]].gold, (std::vector<double>{5, 4, 3, 5}));
  EXPECT_EQ(ds_.examples[order[0]].group, "dm-test-18243373494a1722ddcd162ec67b63dd749633ab");
  EXPECT_NE(StudyEvaluationOrder(ds_.splits.test, 1), order);
}

TEST_F(SummEvalStudyTest, CarriesTheStudysSeedTextAndGuidance) {
  ASSERT_EQ(ds_.criteria.size(), 4u);
  for (const auto& c : ds_.criteria) EXPECT_EQ(c.seed_instruction, "Rate from 1 to 5.") << c.name;
  EXPECT_EQ(ds_.inputs[0].label, "Summary");
  EXPECT_EQ(ds_.inputs[1].label, "Source Text");
  EXPECT_NE(ds_.preamble.find("how serious"), std::string::npos) << ds_.preamble;
  EXPECT_EQ(ds_.preamble.find("separately"), std::string::npos) << ds_.preamble;
  for (const auto& ex : ds_.examples) {
    for (double g : ex.gold) ASSERT_EQ(g, std::floor(g)) << ex.id;
  }
}

TEST_F(SummEvalTest, DefaultProtocolKeepsMeansOwnSeedAndSeparationRule) {
  for (const auto& c : ds().criteria) {
    EXPECT_EQ(c.seed_instruction, "Give a score from 1 (poor) to 5 (excellent).") << c.name;
  }
  EXPECT_NE(ds().preamble.find("Score each criterion separately"), std::string::npos);
  bool fractional = false;
  for (const auto& ex : ds().examples) fractional |= ex.gold[0] != std::floor(ex.gold[0]);
  EXPECT_TRUE(fractional);
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
  // The study's seed text; the default protocol keeps ours.
  EXPECT_EQ(ds->criteria[0].seed_instruction,
            "Rate anger intensity from 0 (none) to 3 (most intense).");
  EXPECT_EQ(ds->criteria[4].seed_instruction,
            "Rate surprise intensity from 0 (none) to 3 (most intense).");
  auto own = LoadDataset("brighter", SharedLocator(), {});
  ASSERT_TRUE(own.ok());
  EXPECT_EQ(own->criteria[0].seed_instruction,
            "Score the intensity of anger from 0 (absent) to 3 (very strong).");
  EXPECT_EQ(own->preamble, ds->preamble);
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

#include "judgeopt/data/loader.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "cpp/data/temp_dir.h"
#include "judgeopt/data/catalog.h"
#include "judgeopt/data/splits.h"

namespace judgeopt::data {
namespace {

using testing::TempDir;

const std::string kFixture = JUDGEOPT_SOURCE_DIR "/tests/data/datasets/reviews/reviews.toml";

// A small CSV spec: id, text, one 1-5 criterion `q` read from column `score`.
constexpr const char* kCsvSpec = R"(
name = "t"
data = "d.csv"
id_field = "id"
[[inputs]]
field = "text"
[[criteria]]
name = "q"
gold_field = "score"
scale = { min = 1, max = 5 }
seed_instruction = "Rate it."
)";

Result<Dataset> LoadWith(const TempDir& dir, const std::string& spec_text,
                         const std::string& protocol = "default") {
  auto spec = ParseDatasetSpecToml(spec_text, "spec.toml");
  if (!spec.ok()) return spec.error();
  LoadOptions options;
  options.protocol = protocol;
  return LoadDatasetFromSpec(*spec, dir.path(), options);
}

// Expects failure whose message holds every one of `parts`.
void ExpectError(const Result<Dataset>& r, std::initializer_list<std::string> parts) {
  ASSERT_FALSE(r.ok());
  for (const auto& p : parts) {
    EXPECT_NE(r.error().message.find(p), std::string::npos)
        << "missing '" << p << "' in: " << r.error().message;
  }
}

TEST(LoaderTest, MissingFieldNamesFileLineAndField) {
  TempDir dir;
  std::string path = dir.Write("d.jsonl",
                               "{\"id\":\"a\",\"text\":\"x\",\"score\":1}\n"
                               "{\"id\":\"b\",\"score\":2}\n");
  std::string spec = kCsvSpec;
  spec.replace(spec.find("d.csv"), 5, "d.jsonl");
  ExpectError(LoadWith(dir, spec), {path + ":2:", "field 'text'", "missing"});
}

TEST(LoaderTest, NonNumericAndEmptyGoldAreRejected) {
  TempDir dir;
  std::string path = dir.Write("d.csv", "id,text,score\na,x,3\nb,y,abc\n");
  ExpectError(LoadWith(dir, kCsvSpec), {path + ":3:", "field 'score'", "'abc' is not a number"});
  dir.Write("d.csv", "id,text,score\na,x,\n");
  ExpectError(LoadWith(dir, kCsvSpec), {path + ":2:", "field 'score'", "empty"});
}

TEST(LoaderTest, GoldOutsideTheScaleIsRejected) {
  TempDir dir;
  std::string path = dir.Write("d.csv", "id,text,score\na,x,3\nb,y,7\n");
  ExpectError(LoadWith(dir, kCsvSpec), {path + ":3:", "field 'score'", "7", "[1, 5]"});
  dir.Write("d.csv", "id,text,score\na,x,0.5\n");
  ExpectError(LoadWith(dir, kCsvSpec), {path + ":2:", "outside the scale"});
}

TEST(LoaderTest, WholeGoldOnlyWhenTheSpecAsksForIt) {
  TempDir dir;
  std::string path = dir.Write("d.csv", "id,text,score\na,x,3.5\n");
  auto lenient = LoadWith(dir, kCsvSpec);
  ASSERT_TRUE(lenient.ok()) << lenient.error().ToString();
  EXPECT_DOUBLE_EQ(lenient->examples[0].gold[0], 3.5);
  std::string strict = std::string(kCsvSpec) + "whole_gold = true\n";
  ExpectError(LoadWith(dir, strict), {path + ":2:", "field 'score'", "not a whole number"});
}

TEST(LoaderTest, DuplicateIdNamesBothLines) {
  TempDir dir;
  std::string path = dir.Write("d.csv", "id,text,score\na,x,1\nb,y,2\na,z,3\n");
  ExpectError(LoadWith(dir, kCsvSpec),
              {path + ":4:", "field 'id'", "duplicate id 'a'", "first at " + path + ":2"});
}

TEST(LoaderTest, BadUtf8AndEmptyFilesAreReported) {
  TempDir dir;
  std::string path = dir.Write("d.csv", "id,text,score\na,x,1\nb,caf\xE9,2\n");
  ExpectError(LoadWith(dir, kCsvSpec), {path + ":3:", "invalid UTF-8"});
  dir.Write("d.csv", "");
  ExpectError(LoadWith(dir, kCsvSpec), {path, "empty file"});
  dir.Write("d.csv", "id,text,score\n");
  ExpectError(LoadWith(dir, kCsvSpec), {path, "empty file"});
}

TEST(LoaderTest, UnknownCriterionColumnIsNamed) {
  TempDir dir;
  std::string path = dir.Write("d.csv", "id,text,scor\na,x,1\n");
  ExpectError(LoadWith(dir, kCsvSpec),
              {path + ":1:", "field 'score'", "no such column", "criterion 'q'", "scor"});
}

TEST(LoaderTest, MissingDataFileIsNotFound) {
  TempDir dir;
  auto r = LoadWith(dir, kCsvSpec);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kNotFound);
  EXPECT_NE(r.error().message.find("d.csv"), std::string::npos);
}

TEST(LoaderTest, JoinWithoutMatchNamesKeyAndFile) {
  TempDir dir;
  std::string path = dir.Write("d.csv", "id,doc,score\na,d1,1\nb,d2,2\n");
  dir.Write("docs.jsonl", "{\"doc\":\"d1\",\"body\":\"hello\"}\n");
  std::string spec = R"(
name = "t"
data = "d.csv"
id_field = "id"
[[joins]]
file = "docs.jsonl"
key = "doc"
fields = { text = "body" }
[[inputs]]
field = "text"
[[criteria]]
name = "score"
scale = { min = 1, max = 5 }
seed_instruction = "Rate it."
)";
  ExpectError(LoadWith(dir, spec),
              {path + ":3:", "field 'doc'", "'d2' has no match", "docs.jsonl"});
  dir.Write("docs.jsonl",
            "{\"doc\":\"d1\",\"body\":\"hello\"}\n{\"doc\":\"d2\",\"body\":\" hi \"}\n");
  auto ok = LoadWith(dir, spec);
  ASSERT_TRUE(ok.ok()) << ok.error().ToString();
  EXPECT_EQ(ok->examples[1].inputs[0], " hi ");
}

TEST(LoaderTest, UnknownProtocolAndVersionAreRejected) {
  TempDir dir;
  dir.Write("d.csv", "id,text,score\na,x,1\n");
  auto spec = ParseDatasetSpecToml(kCsvSpec, "spec.toml");
  ASSERT_TRUE(spec.ok());
  LoadOptions opts;
  opts.protocol = "papr";
  auto r = LoadDatasetFromSpec(*spec, dir.path(), opts);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("unknown protocol 'papr'"), std::string::npos);
  opts.protocol = "default";
  opts.version = "v2";
  EXPECT_FALSE(LoadDatasetFromSpec(*spec, dir.path(), opts).ok());
}

TEST(LoaderTest, WithoutSplitSettingsEveryRowIsTest) {
  TempDir dir;
  dir.Write("d.csv", "id,text,score\na,x,1\nb,y,2\nc,z,3\n");
  auto r = LoadWith(dir, kCsvSpec);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->splits.train.empty());
  EXPECT_EQ(r->splits.test, (std::vector<std::size_t>{0, 1, 2}));
}

TEST(FixtureTest, TheDocumentedExampleLoads) {
  auto r = LoadDatasetFromSpecFile(kFixture, {});
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  const Dataset& ds = *r;
  EXPECT_EQ(ds.name, "reviews");
  EXPECT_EQ(ds.source, kFixture);
  ASSERT_EQ(ds.examples.size(), 12u);  // 13 rows, one "[removed]"
  ASSERT_EQ(ds.warnings.size(), 1u);
  EXPECT_NE(ds.warnings[0].find("dropped 1 row whose body is '[removed]'"), std::string::npos)
      << ds.warnings[0];
  ASSERT_EQ(ds.inputs.size(), 2u);
  EXPECT_EQ(ds.inputs[0].label, "Product");
  EXPECT_EQ(ds.inputs[1].label, "Review");
  ASSERT_EQ(ds.criteria.size(), 2u);
  EXPECT_EQ(ds.criteria[0].concepts.size(), 3u);
  EXPECT_EQ(ds.criteria[1].scale.max, 2);
  EXPECT_NE(ds.preamble.find("## Task"), std::string::npos);

  const Example& first = ds.examples[0];
  EXPECT_EQ(first.id, "r01");
  EXPECT_EQ(first.group, "p1");
  EXPECT_EQ(first.inputs[0], "Steel kettle, 1.7 l");  // joined from products.jsonl
  EXPECT_EQ(first.inputs[1], "Sturdy kettle, boils fast.");
  EXPECT_EQ(first.gold, (std::vector<double>{4.5, 2}));
  EXPECT_EQ(ds.examples[2].inputs[1],
            "The handle gets hot. I burned my hand twice, so "
            "\"cool-touch\" is a lie.");
  EXPECT_EQ(ds.examples[3].inputs[1], "Line one of the review.\nLine two, after a break.");
  EXPECT_EQ(ds.examples[3].line, 5u);
  EXPECT_EQ(ds.examples[6].id, "r08");
  EXPECT_EQ(ds.examples[6].inputs[1], "Good value for the price.");  // NBSP and spaces trimmed

  // Ratios 0.5 / 0.25 / 0.25 of 12 rows, disjoint, covering everything.
  EXPECT_EQ(ds.splits.train.size(), 6u);
  EXPECT_EQ(ds.splits.validation.size(), 3u);
  EXPECT_EQ(ds.splits.test.size(), 3u);
  std::set<std::size_t> all(ds.splits.train.begin(), ds.splits.train.end());
  all.insert(ds.splits.validation.begin(), ds.splits.validation.end());
  all.insert(ds.splits.test.begin(), ds.splits.test.end());
  EXPECT_EQ(all.size(), 12u);
}

TEST(FixtureTest, LoadDatasetAcceptsASpecPathAndThePaperProtocol) {
  LoadOptions paper;
  paper.protocol = "paper";
  auto r = LoadDataset(kFixture, DataLocator("", "", {}), paper);
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  // With 6 training rows the study's validation is all of them (min(100, n)).
  std::set<std::size_t> train(r->splits.train.begin(), r->splits.train.end());
  std::set<std::size_t> val(r->splits.validation.begin(), r->splits.validation.end());
  EXPECT_EQ(train, val);
  auto unknown = LoadDataset("no-such-dataset", DataLocator("", "", {}), {});
  ASSERT_FALSE(unknown.ok());
  EXPECT_NE(unknown.error().message.find("summeval, brighter"), std::string::npos);
}

// A per-split spec with the paper-protocol keys: paper_preamble, paper_seed_instruction and
// split.setup_shuffle.
constexpr const char* kPaperKeysSpec = R"(
name = "t"
files = { train = "train.csv", test = "test.csv" }
id_field = "id"
preamble = "Our guidance."
paper_preamble = "The study's guidance."
[[inputs]]
field = "text"
[[criteria]]
name = "q"
gold_field = "score"
scale = { min = 1, max = 5 }
seed_instruction = "Give a score."
paper_seed_instruction = "Rate it."
[split]
setup_shuffle = false
)";

TEST(LoaderTest, PaperKeysApplyOnlyUnderThePaperProtocol) {
  TempDir dir;
  std::string rows = "id,text,score\n";
  for (int i = 0; i < 10; ++i) rows += "r" + std::to_string(i) + ",x" + std::to_string(i) + ",3\n";
  dir.Write("train.csv", rows);
  dir.Write("test.csv", "id,text,score\nt0,y,2\nt1,z,4\n");
  auto own = LoadWith(dir, kPaperKeysSpec);
  ASSERT_TRUE(own.ok()) << own.error().ToString();
  EXPECT_EQ(own->preamble, "Our guidance.");
  EXPECT_EQ(own->criteria[0].seed_instruction, "Give a score.");
  auto paper = LoadWith(dir, kPaperKeysSpec, "paper");
  ASSERT_TRUE(paper.ok()) << paper.error().ToString();
  EXPECT_EQ(paper->preamble, "The study's guidance.");
  EXPECT_EQ(paper->criteria[0].seed_instruction, "Rate it.");
  // The files are stored splits: the working order is the file shuffled once with seed 42.
  const std::vector<std::size_t> file_order = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
  EXPECT_EQ(paper->splits.train, StudyWorkingOrder(file_order));
  // With the set-up shuffle (the default) the file is shuffled twice.
  std::string twice = kPaperKeysSpec;
  twice.replace(twice.find("setup_shuffle = false"), 21, "seed = 42");
  auto shuffled = LoadWith(dir, twice, "paper");
  ASSERT_TRUE(shuffled.ok()) << shuffled.error().ToString();
  EXPECT_EQ(shuffled->splits.train, StudyWorkingOrder(Shuffled(file_order, 42)));
  EXPECT_NE(shuffled->splits.train, paper->splits.train);
}

}  // namespace
}  // namespace judgeopt::data

#include "judgeopt/data/dataset_spec.h"

#include <gtest/gtest.h>

#include <string>

#include "cpp/data/temp_dir.h"
#include "judgeopt/data/builtin_specs.h"
#include "judgeopt/data/catalog.h"

namespace judgeopt::data {
namespace {

constexpr const char* kCriterion = R"(
[[inputs]]
field = "text"
[[criteria]]
name = "q"
scale = { min = 1, max = 5 }
seed_instruction = "Rate it."
)";

std::string Spec(const std::string& head) { return head + kCriterion; }

std::string ErrorOf(const std::string& text) {
  auto r = ParseDatasetSpecToml(text, "s.toml");
  return r.ok() ? "" : r.error().message;
}

TEST(DatasetSpecTest, MinimalSpecGetsDefaults) {
  auto r =
      ParseDatasetSpecToml(Spec("name = \"t\"\ndata = \"d.csv\"\nid_field = \"id\"\n"), "s.toml");
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_EQ(r->inputs[0].input.label, "text");          // label defaults to the field
  EXPECT_EQ(r->criteria[0].criterion.gold_field, "q");  // gold field defaults to the name
  EXPECT_TRUE(r->criteria[0].criterion.scale.integer);
  EXPECT_FALSE(r->criteria[0].whole_gold);
  EXPECT_EQ(r->split.seed, 42u);
  EXPECT_EQ(r->files.data, "d.csv");
}

TEST(DatasetSpecTest, UnknownKeysAreNamed) {
  EXPECT_NE(ErrorOf(Spec("name = \"t\"\ndata = \"d.csv\"\nid_field = \"id\"\nsplits = 1\n"))
                .find("key 'splits': unknown key"),
            std::string::npos);
  std::string nested = "name = \"t\"\ndata = \"d.csv\"\nid_field = \"id\"\n" +
                       std::string(kCriterion) + "scael = 3\n";
  EXPECT_NE(ErrorOf(nested).find("key 'criteria[0].scael': unknown key"), std::string::npos)
      << ErrorOf(nested);
}

TEST(DatasetSpecTest, StructuralMistakesAreRejected) {
  const std::string id = "id_field = \"id\"\n";
  EXPECT_NE(ErrorOf(Spec("name = \"t\"\n" + id)).find("name the data"), std::string::npos);
  EXPECT_NE(ErrorOf(Spec("name = \"t\"\ndata = \"a.csv\"\nfiles = { test = \"b.csv\" }\n" + id))
                .find("not both"),
            std::string::npos);
  EXPECT_NE(ErrorOf(Spec("name = \"t\"\ndata = \"a.csv\"\n")).find("exactly one of 'id_field'"),
            std::string::npos);
  EXPECT_NE(ErrorOf(Spec("name = \"t\"\ndata = \"a.csv\"\nid_template = \"plain\"\n"))
                .find("names no {field}"),
            std::string::npos);
  std::string base = "name = \"t\"\ndata = \"a.csv\"\n" + id;
  EXPECT_NE(ErrorOf(base + "[[inputs]]\nfield = \"x\"\ntransforms = [\"upper\"]\n")
                .find("unknown transform 'upper'"),
            std::string::npos);
  EXPECT_NE(ErrorOf(base + "[[inputs]]\nfield = \"x\"\n").find("key 'criteria'"),
            std::string::npos);
  EXPECT_NE(ErrorOf(Spec(base + "[split]\ntrain = 0.7\ntest = 0.5\n")).find("more than 1"),
            std::string::npos);
  EXPECT_NE(ErrorOf(Spec(base + "[split]\ntrain = 1.5\n")).find("ratio"), std::string::npos);
  EXPECT_NE(
      ErrorOf(Spec(base + "[split]\norder = [\"train\", \"test\"]\n")).find("key 'split.order'"),
      std::string::npos);
  std::string twice = base + kCriterion +
                      "[[criteria]]\nname = \"q\"\nscale = { min = 0, max = 1 }\n"
                      "seed_instruction = \"x\"\n";
  EXPECT_NE(ErrorOf(twice).find("defined twice"), std::string::npos) << ErrorOf(twice);
  EXPECT_NE(ErrorOf(base + "[[inputs]]\nfield = \"x\"\n[[criteria]]\nname = \"q\"\n"
                           "scale = { min = 5, max = 1 }\nseed_instruction = \"x\"\n")
                .find("min must be below max"),
            std::string::npos);
}

TEST(DatasetSpecTest, SplitSizesNeedOneDataFile) {
  std::string text = Spec(
      "name = \"t\"\nfiles = { train = \"a.csv\", test = \"b.csv\" }\n"
      "id_field = \"id\"\n[split]\ntrain = 10\n");
  EXPECT_NE(ErrorOf(text).find("not to per-split files"), std::string::npos) << ErrorOf(text);
}

TEST(DatasetSpecTest, VersionsPickFiles) {
  std::string text = Spec(R"(
name = "t"
id_field = "id"
default_version = "new"
[versions.new]
data = "new.csv"
[versions.old]
files = { train = "old/train.csv", test = "old/test.csv" }
)");
  auto r = ParseDatasetSpecToml(text, "s.toml");
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_EQ(r->FilesFor("")->data, "new.csv");
  EXPECT_EQ(r->FilesFor("old")->train, "old/train.csv");
  EXPECT_EQ(r->ResolvedVersion(""), "new");
  auto unknown = r->FilesFor("mid");
  ASSERT_FALSE(unknown.ok());
  EXPECT_NE(unknown.error().message.find("known: new, old"), std::string::npos);
  std::string no_default = text;
  no_default.erase(no_default.find("default_version"),
                   std::string("default_version = \"new\"").size());
  EXPECT_NE(ErrorOf(no_default).find("key 'default_version'"), std::string::npos);
}

TEST(DatasetSpecTest, JsonSpecFilesWorkLikeToml) {
  testing::TempDir dir;
  std::string path = dir.Write("s.json", R"({
    "name": "j", "data": "d.jsonl", "id_template": "{a}-{b}",
    "inputs": [{"field": "text", "label": "Text", "transforms": ["trim"]}],
    "criteria": [{"name": "q", "scale": {"min": 0, "max": 1, "integer": false},
                  "seed_instruction": "Rate it."}],
    "split": {"seed": 3, "train": 2, "test": 0.5}
  })");
  auto r = LoadDatasetSpecFile(path);
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_EQ(r->id_template, "{a}-{b}");
  EXPECT_FALSE(r->criteria[0].criterion.scale.integer);
  EXPECT_EQ(r->split.seed, 3u);
  EXPECT_FALSE(r->split.train.ratio);
  EXPECT_TRUE(r->split.test.ratio);
  EXPECT_FALSE(r->split.validation.given);
}

TEST(DatasetSpecTest, BuiltinSpecsParse) {
  ASSERT_EQ(BuiltinDatasets().size(), 2u);
  for (const auto& b : BuiltinDatasets()) {
    auto spec = BuiltinSpec(b);
    ASSERT_TRUE(spec.ok()) << spec.error().ToString();
    EXPECT_EQ(spec->name, b.name);
    EXPECT_FALSE(spec->preamble.empty());
  }
  auto summeval = BuiltinSpec(*FindBuiltinDataset("summeval"));
  EXPECT_FALSE(summeval->criteria[0].whole_gold);  // its gold is a 3-expert mean
  auto brighter = BuiltinSpec(*FindBuiltinDataset("brighter"));
  EXPECT_TRUE(brighter->criteria[0].whole_gold);
  EXPECT_EQ(brighter->preamble.find('\n'), std::string::npos);  // one line
  EXPECT_EQ(FindBuiltinDataset("wildguard"), nullptr);
}

}  // namespace
}  // namespace judgeopt::data

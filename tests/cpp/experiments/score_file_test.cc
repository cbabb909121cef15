#include "judgeopt/experiments/score_file.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "judgeopt/base/files.h"

namespace judgeopt::experiments {
namespace {

std::string TempFile(const std::string& name, const std::string& content) {
  auto dir = std::filesystem::temp_directory_path() / ("jo_score_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::string path = (dir / name).string();
  EXPECT_TRUE(WriteFileAtomic(path, content).ok());
  return path;
}

TEST(ScoreFileTest, CsvWithGroupsAndNonNumericCells) {
  const std::string path = TempFile("p.csv",
                                    "id,doc,gold_f,pred_f\n"
                                    "a,d1,1,1\nb,d1,2,2\nc,d1,3,3\n"
                                    "d,d2,1,3\ne,d2,2,2\nf,d2,3,1\ng,d2,2,n/a\n");
  ScoreFileRequest req;
  req.path = path;
  req.gold_columns = {"gold_f"};
  req.pred_columns = {"pred_f"};
  req.group_column = "doc";
  auto r = ScoreFile(req);
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  ASSERT_EQ(r->pairs.size(), 1u);
  EXPECT_EQ(r->pairs[0].criterion, "f");
  EXPECT_EQ(r->rows, 7u);
  EXPECT_EQ(r->non_numeric, 1u);
  EXPECT_EQ(r->pairs[0].metrics.n, 6);
  EXPECT_EQ(r->pairs[0].metrics.missing, 1);
  // d1 is perfectly ranked (+1), d2 reversed (-1): the per-group mean is 0.
  ASSERT_TRUE(r->pairs[0].grouped_spearman.has_value());
  EXPECT_NEAR(*r->pairs[0].grouped_spearman, 0.0, 1e-12);
}

TEST(ScoreFileTest, JsonlMissingFieldNamesLine) {
  const std::string path = TempFile("p.jsonl", "{\"g\": 1, \"p\": 1}\n{\"g\": 2}\n");
  ScoreFileRequest req{path, "", {"g"}, {"p"}, "", {}, {}};
  auto r = ScoreFile(req);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("p.jsonl:2"), std::string::npos) << r.error().message;
  EXPECT_NE(r.error().message.find("'p'"), std::string::npos);
}

TEST(ScoreFileTest, ColumnCountsMustMatch) {
  ScoreFileRequest req{"x.csv", "", {"a", "b"}, {"c"}, "", {}, {}};
  EXPECT_FALSE(ScoreFile(req).ok());
}

}  // namespace
}  // namespace judgeopt::experiments

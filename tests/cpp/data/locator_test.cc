#include "judgeopt/data/locator.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "cpp/data/temp_dir.h"

namespace judgeopt::data {
namespace {

using testing::TempDir;

// Lays out <tmp>/{flag,env}/<ds>/f.csv and a repository <tmp>/repo with <tmp>/shared/data/<ds>.
class LocatorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_.Write("flag/ds/f.csv", "x\n");
    dir_.Write("env/ds/f.csv", "x\n");
    dir_.Write("shared/data/ds/f.csv", "x\n");
    dir_.Write("repo/build/release/.keep", "");
  }
  std::string P(const std::string& rel) const { return dir_.path() + "/" + rel; }
  TempDir dir_;
};

TEST_F(LocatorTest, FlagThenEnvironmentThenRepository) {
  std::vector<std::string> starts = {P("repo")};
  EXPECT_EQ(*DataLocator(P("flag"), P("env"), starts).Find("ds", "f.csv"), P("flag/ds"));
  EXPECT_EQ(*DataLocator("", P("env"), starts).Find("ds", "f.csv"), P("env/ds"));
  EXPECT_EQ(*DataLocator("", "", starts).Find("ds", "f.csv"), P("shared/data/ds"));
}

TEST_F(LocatorTest, RepositoryIsFoundFromANestedBuildDirectory) {
  DataLocator loc("", "", {P("repo/build/release")});
  EXPECT_EQ(*loc.Find("ds", "f.csv"), P("shared/data/ds"));
  ASSERT_EQ(loc.candidates().size(), 3u);
  EXPECT_NE(loc.candidates()[2].origin.find(P("repo")), std::string::npos);
}

TEST_F(LocatorTest, RootsWithoutTheDatasetAreSkipped) {
  dir_.Write("other/unrelated.txt", "");
  DataLocator loc(P("other"), P("missing"), {P("repo")});
  EXPECT_EQ(*loc.Find("ds", "f.csv"), P("shared/data/ds"));
  // A root that holds the probe file itself is the dataset folder.
  EXPECT_EQ(*DataLocator(P("env/ds"), "", {}).Find("ds", "f.csv"), P("env/ds"));
}

TEST_F(LocatorTest, MissingDatasetListsEveryPlace) {
  TempDir elsewhere("_elsewhere");  // directly under the temp dir: no shared/data above it
  DataLocator loc(P("flag"), "", {P("repo"), elsewhere.path()});
  auto r = loc.Find("nope", "n.csv");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kNotFound);
  const std::string& m = r.error().message;
  EXPECT_NE(m.find(P("flag") + " (--data-dir): no nope/n.csv"), std::string::npos) << m;
  EXPECT_NE(m.find("JUDGEOPT_DATA: not set"), std::string::npos) << m;
  EXPECT_NE(m.find(P("shared/data") + " (../shared/data next to " + P("repo") + ", found from " +
                   P("repo") + "): no nope/n.csv"),
            std::string::npos)
      << m;
  EXPECT_NE(m.find("repository search from " + elsewhere.path() +
                   ": no directory above it has a sibling shared/data"),
            std::string::npos)
      << m;
}

TEST_F(LocatorTest, NonexistentExplicitRootsSaySo) {
  DataLocator loc(P("nowhere"), P("also-nowhere"), {});
  auto r = loc.Find("ds", "f.csv");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find(P("nowhere") + " (--data-dir): no such directory"),
            std::string::npos)
      << r.error().message;
  EXPECT_NE(r.error().message.find(P("also-nowhere") + " (JUDGEOPT_DATA): no such directory"),
            std::string::npos);
}

TEST(LocatorProcessTest, FromProcessReadsTheEnvironment) {
  TempDir dir;
  dir.Write("root/ds/f.csv", "x\n");
  ::setenv("JUDGEOPT_DATA", (dir.path() + "/root").c_str(), 1);
  DataLocator loc = DataLocator::FromProcess("");
  ::unsetenv("JUDGEOPT_DATA");
  EXPECT_EQ(loc.candidates()[1].path, dir.path() + "/root");
  EXPECT_EQ(*loc.Find("ds", "f.csv"), dir.path() + "/root/ds");
}

}  // namespace
}  // namespace judgeopt::data

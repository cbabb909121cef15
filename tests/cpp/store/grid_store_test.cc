// Grid membership in runs.db: the grid_runs table is created beside the run store's tables
// (either may be opened first), a grid's members come back in run order, setting them again
// replaces the grid's list without touching other grids, and grids are listed by name.

#include "judgeopt/store/grid_store.h"

#include <gtest/gtest.h>

#include "cpp/data/temp_dir.h"
#include "judgeopt/store/run_reader.h"
#include "judgeopt/store/run_store.h"

namespace judgeopt::store {
namespace {

using data::testing::TempDir;

std::vector<GridMember> Members(std::initializer_list<const char*> ids) {
  std::vector<GridMember> out;
  for (const char* id : ids) {
    out.push_back({id, std::string("label-") + id, static_cast<int>(out.size())});
  }
  return out;
}

TEST(GridStoreTest, MembersRoundTripInRunOrderAndReplacePerGrid) {
  TempDir dir;
  const std::string path = dir.path() + "/runs.db";
  auto grids = GridStore::Open(path);
  ASSERT_TRUE(grids.ok()) << grids.error().ToString();
  ASSERT_TRUE(grids->SetMembers("b", Members({"r9", "r1", "r5"})).ok());
  ASSERT_TRUE(grids->SetMembers("a", Members({"r1"})).ok());
  auto b = grids->Members("b");
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(*b, Members({"r9", "r1", "r5"}));

  // A grid whose cells changed lists only its current runs; other grids keep theirs.
  ASSERT_TRUE(grids->SetMembers("b", Members({"r5", "r7"})).ok());
  EXPECT_EQ(*grids->Members("b"), Members({"r5", "r7"}));
  EXPECT_EQ(*grids->Members("a"), Members({"r1"}));
  EXPECT_TRUE(grids->Members("nope")->empty());
  EXPECT_EQ(*grids->Grids(), (std::vector<std::string>{"a", "b"}));
}

TEST(GridStoreTest, LivesBesideTheRunStoreInOneFile) {
  TempDir dir;
  const std::string path = dir.path() + "/runs.db";
  {
    auto runs = RunStore::Open(path);
    ASSERT_TRUE(runs.ok()) << runs.error().ToString();
  }
  {
    auto grids = GridStore::Open(path);
    ASSERT_TRUE(grids.ok()) << grids.error().ToString();
    ASSERT_TRUE(grids->SetMembers("g", Members({"r1"})).ok());
  }
  // The run store and its reader still open the file; the membership survives reopening.
  auto runs = RunStore::Open(path);
  ASSERT_TRUE(runs.ok()) << runs.error().ToString();
  auto reader = RunReader::Open(path);
  ASSERT_TRUE(reader.ok()) << reader.error().ToString();
  auto again = GridStore::Open(path);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again->Members("g"), Members({"r1"}));
}

}  // namespace
}  // namespace judgeopt::store

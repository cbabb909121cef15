// A damaged runs.db or cache.db (issue 18, point 3): truncated at many offsets or overwritten
// with garbage, it is refused with what to do (for the run store: the runs still readable and
// the command that exports them; for the cache: `judgeopt cache clear`), and nothing crashes.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "cpp/data/temp_dir.h"
#include "cpp/store/run_store_fixtures.h"
#include "judgeopt/store/response_cache.h"
#include "judgeopt/store/run_reader.h"
#include "judgeopt/store/run_store.h"

namespace judgeopt::store {
namespace {

namespace fs = std::filesystem;

std::string Bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

void Write(const std::string& path, const std::string& bytes) {
  fs::remove(path + "-wal");
  fs::remove(path + "-shm");
  std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
}

// `bytes` with `n` bytes of garbage written from `at`.
std::string Garbled(std::string bytes, std::size_t at, std::size_t n) {
  for (std::size_t i = at; i < std::min(bytes.size(), at + n); ++i) {
    bytes[i] = static_cast<char>(0xA5 ^ (i * 31));
  }
  return bytes;
}

// A closed runs.db (its WAL folded in) with run-a (6 steps), then run-b (`b_steps` steps), whose
// rows fill the file's last pages.
std::string TwoRuns(const data::testing::TempDir& dir, int b_steps = 6) {
  const std::string path = dir.path() + "/ws/.judgeopt/runs.db";
  fs::create_directories(dir.path() + "/ws/.judgeopt");
  {
    auto store = RunStore::Open(path);
    EXPECT_TRUE(store.ok());
    for (const std::string id : {"run-a", "run-b"}) {
      EXPECT_TRUE((*store)->BeginRun(testing::MakeRunInfo(id)).ok());
      for (int s = 0; s < (id == "run-a" ? 6 : b_steps); ++s) {
        EXPECT_TRUE((*store)->RecordStep(id, testing::MakeStep(s, /*with_eval=*/true)).ok());
      }
    }
  }
  return Bytes(path);
}

// The damaged variants of `good`: truncated at many offsets, and garbage over page headers and
// over the whole file.
std::vector<std::pair<std::string, std::string>> Damaged(const std::string& good) {
  std::vector<std::pair<std::string, std::string>> out;
  // A file shorter than SQLite's 100-byte header reads as an empty database (SQLite's rule), so
  // truncations start past the header.
  for (std::size_t at = 100; at < good.size(); at += good.size() / 17 + 1) {
    out.emplace_back("truncated at " + std::to_string(at), good.substr(0, at));
  }
  out.emplace_back("truncated by one page", good.substr(0, good.size() - 4096));
  for (std::size_t at : {std::size_t{0}, std::size_t{4096}, good.size() / 2 / 4096 * 4096}) {
    out.emplace_back("garbage at " + std::to_string(at), Garbled(good, at, 512));
  }
  out.emplace_back("all garbage", Garbled(good, 0, good.size()));
  return out;
}

TEST(DamagedDbTest, ADamagedRunStoreIsRefusedWithTheReadableRunsAndWhatToDo) {
  data::testing::TempDir dir;
  const std::string good = TwoRuns(dir);
  const std::string path = dir.path() + "/ws/.judgeopt/runs.db";
  ASSERT_GT(good.size(), 8u * 4096);
  for (const auto& [what, bytes] : Damaged(good)) {
    SCOPED_TRACE(what);
    Write(path, bytes);
    auto store = RunStore::Open(path);
    ASSERT_FALSE(store.ok());
    const std::string& m = store.error().message;
    EXPECT_NE(m.find(path), std::string::npos) << m;
    EXPECT_NE(m.find("the file is damaged"), std::string::npos) << m;
    EXPECT_NE(m.find("mv " + path + " " + path + ".damaged"), std::string::npos) << m;
    const bool listed = m.find("Runs still readable") != std::string::npos;
    EXPECT_TRUE(listed || m.find("No run can be read") != std::string::npos) << m;
    if (listed) {
      EXPECT_NE(m.find("judgeopt runs export RUN_ID --workspace " + dir.path() + "/ws"),
                std::string::npos)
          << m;
    }
  }
}

TEST(DamagedDbTest, RunsOnUndamagedPagesAreListedAsReadable) {
  data::testing::TempDir dir;
  const std::string good = TwoRuns(dir, /*b_steps=*/40);
  const std::string path = dir.path() + "/ws/.judgeopt/runs.db";
  Write(path, Garbled(good, good.size() - 4096, 512));  // the last page's header is garbage
  auto store = RunStore::Open(path);
  ASSERT_FALSE(store.ok());
  const std::string& m = store.error().message;
  EXPECT_NE(m.find("Runs still readable (1): run-a (running)"), std::string::npos) << m;
}

TEST(DamagedDbTest, ADamagedCacheIsRefusedNamingTheCommandThatClearsIt) {
  data::testing::TempDir dir;
  const std::string path = dir.path() + "/ws/.judgeopt/cache.db";
  fs::create_directories(dir.path() + "/ws/.judgeopt");
  {
    auto cache = SqliteResponseCache::Open(path);
    ASSERT_TRUE(cache.ok());
    for (int i = 0; i < 200; ++i) {
      llm::ChatResponse r;
      r.content = std::string(300, static_cast<char>('a' + i % 26));
      ASSERT_TRUE((*cache)->Put("key" + std::to_string(i), {"sim", "m", "judge", "t", 10}, r).ok());
    }
  }
  const std::string good = Bytes(path);
  for (const auto& [what, bytes] : Damaged(good)) {
    SCOPED_TRACE(what);
    Write(path, bytes);
    auto cache = SqliteResponseCache::Open(path);
    ASSERT_FALSE(cache.ok());
    const std::string& m = cache.error().message;
    EXPECT_NE(m.find("the file is damaged"), std::string::npos) << m;
    EXPECT_NE(m.find("judgeopt cache clear --workspace " + dir.path() + "/ws"), std::string::npos)
        << m;
    EXPECT_TRUE(RemoveCacheFiles(path).ok());
    EXPECT_TRUE(SqliteResponseCache::Open(path).ok()) << "a cleared cache opens empty";
  }
}

}  // namespace
}  // namespace judgeopt::store

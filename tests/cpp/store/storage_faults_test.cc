// Storage faults (issue 18, point 3): a full disk during a step leaves nothing of the step and a
// rerun ends with the records of an uninterrupted run; a damaged runs.db or cache.db is refused
// with what to do, never a crash. The disk fills through OpenOptions::max_page_count, which makes
// SQLite itself answer SQLITE_FULL ("database or disk is full") as on a full file system.
// Replies come from the in-process simulator (SIMULATED).

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "cpp/data/temp_dir.h"
#include "cpp/skip_policy.h"
#include "cpp/store/run_store_fixtures.h"
#include "cpp/sim/small_summeval_run.h"
#include "judgeopt/store/response_cache.h"
#include "judgeopt/store/run_export.h"
#include "judgeopt/store/run_reader.h"
#include "judgeopt/store/run_store.h"

namespace judgeopt::store {
namespace {

namespace fs = std::filesystem;
using optim::testing::RunSim;
using optim::testing::SmallSummEval;

optim::OptimizeConfig TwoSteps() {
  optim::OptimizeConfig c;
  c.llm = llm::DefaultLlmConfig([](const std::string&) { return std::optional<std::string>(); });
  c.steps = 2;
  EXPECT_TRUE(optim::ValidateOptimizeConfig(c).ok());
  return c;
}

// Every table of the run as `runs export --comparable` writes it.
std::string Exported(const std::string& path, const std::string& run_id) {
  auto reader = RunReader::Open(path);
  EXPECT_TRUE(reader.ok()) << reader.error().ToString();
  if (!reader.ok()) return "";
  ExportOptions options;
  options.comparable = true;
  auto tables = ExportRun(*reader, run_id, options);
  EXPECT_TRUE(tables.ok()) << tables.error().ToString();
  std::string all;
  if (tables.ok()) {
    for (const auto& t : *tables) all += t.name + "\n" + t.content;
  }
  return all;
}

OpenOptions ReadOnly() {
  OpenOptions options;
  options.read_only = true;
  return options;
}

int64_t PageCount(const std::string& path) {
  auto db = Db::Open(path, ReadOnly());
  EXPECT_TRUE(db.ok());
  auto n = db->QueryInt64("PRAGMA page_count");
  return n.ok() && *n ? **n : 0;
}

int64_t Count(const std::string& path, const std::string& sql) {
  auto db = Db::Open(path, ReadOnly());
  EXPECT_TRUE(db.ok());
  auto n = db->QueryInt64(sql);
  EXPECT_TRUE(n.ok()) << n.error().ToString();
  return n.ok() && *n ? **n : -1;
}

TEST(StorageFaultsTest, ADiskFullDuringAStepStoresNothingOfItAndTheRerunMatches) {
  const auto dataset = SmallSummEval();
  if (!dataset) JO_SKIP_OR_FAIL() << "SummEval data not found under ../shared/data";
  data::testing::TempDir dir;
  const optim::OptimizeConfig config = TwoSteps();
  const std::string reference_path = dir.path() + "/reference.db";
  std::string run_id;
  {
    auto store = RunStore::Open(reference_path);
    ASSERT_TRUE(store.ok());
    auto done = RunSim(dataset, config, **store, std::make_shared<llm::MemoryResponseCache>());
    ASSERT_TRUE(done.ok()) << done.error().ToString();
    run_id = done->plan.run_id;
  }
  // The file may not grow past what steps 0 and 1 need: step 2 finds the disk full.
  const int64_t full_size = PageCount(reference_path);
  const std::string path = dir.path() + "/runs.db";
  auto cache = std::make_shared<llm::MemoryResponseCache>();  // the replies paid for survive
  {
    OpenOptions small;
    small.max_page_count = full_size - 2;
    auto store = RunStore::Open(path, small);
    ASSERT_TRUE(store.ok()) << store.error().ToString();
    auto failed = RunSim(dataset, config, **store, cache);
    ASSERT_FALSE(failed.ok());
    EXPECT_NE(failed.error().message.find(path), std::string::npos) << failed.error().message;
    EXPECT_NE(failed.error().message.find("database or disk is full"), std::string::npos);
    EXPECT_NE(failed.error().message.find("the disk (or the file system holding the file) is full"),
              std::string::npos);
  }
  const int64_t stored = Count(path, "SELECT MAX(step) FROM steps");
  ASSERT_GE(stored, 0);
  ASSERT_LT(stored, config.steps);
  for (const char* table : {"steps", "predictions", "losses", "gradients", "calls"}) {
    SCOPED_TRACE(table);
    EXPECT_EQ(Count(path, "SELECT COUNT(*) FROM " + std::string(table) + " WHERE step > " +
                              std::to_string(stored)),
              0);
  }
  {  // space freed: the same run again, with no cap
    auto store = RunStore::Open(path);
    ASSERT_TRUE(store.ok()) << store.error().ToString();
    auto resumed = RunSim(dataset, config, **store, cache);
    ASSERT_TRUE(resumed.ok()) << resumed.error().ToString();
    EXPECT_EQ(resumed->resumed_after_step, stored);
  }
  EXPECT_EQ(Exported(path, run_id), Exported(reference_path, run_id));
}

}  // namespace
}  // namespace judgeopt::store

#include "judgeopt/store/sqlite.h"

#include <gtest/gtest.h>

#include "cpp/data/temp_dir.h"
#include "judgeopt/store/workspace.h"

namespace judgeopt::store {
namespace {

using data::testing::TempDir;

Db OpenOrDie(const std::string& path, OpenOptions options = {}) {
  Result<Db> db = Db::Open(path, options);
  EXPECT_TRUE(db.ok()) << db.error().ToString();
  return std::move(db).value();
}

int64_t CountRows(Db& db, const std::string& table) {
  Result<std::optional<int64_t>> n = db.QueryInt64("SELECT COUNT(*) FROM " + table);
  EXPECT_TRUE(n.ok()) << n.error().ToString();
  return n.ok() ? n->value_or(-1) : -1;
}

TEST(SqliteTest, OpensInWalModeWithTypedRoundTrip) {
  TempDir dir;
  Db db = OpenOrDie(dir.path() + "/a.db");
  Result<std::string> mode = db.JournalMode();
  ASSERT_TRUE(mode.ok());
  EXPECT_EQ(*mode, "wal");
  ASSERT_TRUE(db.Exec("CREATE TABLE t (i INTEGER, d REAL, s TEXT, n TEXT)").ok());

  Result<Statement> ins = db.Prepare("INSERT INTO t VALUES (?1, ?2, ?3, ?4)");
  ASSERT_TRUE(ins.ok()) << ins.error().ToString();
  const std::string with_nul("a\0b\xc3\xa9", 5);
  ASSERT_TRUE(ins->Bind(1, int64_t{1} << 40).ok());
  ASSERT_TRUE(ins->Bind(2, 0.1).ok());
  ASSERT_TRUE(ins->Bind(3, std::string_view(with_nul)).ok());
  ASSERT_TRUE(ins->BindNull(4).ok());
  ASSERT_TRUE(ins->Run().ok());
  EXPECT_EQ(db.Changes(), 1);

  Result<Statement> sel = db.Prepare("SELECT i, d, s, n FROM t");
  ASSERT_TRUE(sel.ok());
  Result<bool> row = sel->Step();
  ASSERT_TRUE(row.ok() && *row);
  EXPECT_EQ(sel->ColumnInt64(0), int64_t{1} << 40);
  EXPECT_EQ(sel->ColumnDouble(1), 0.1);
  EXPECT_EQ(sel->ColumnText(2), with_nul);
  EXPECT_TRUE(sel->ColumnIsNull(3));
  EXPECT_FALSE(sel->ColumnIsNull(2));
  row = sel->Step();
  ASSERT_TRUE(row.ok());
  EXPECT_FALSE(*row);
}

TEST(SqliteTest, StatementResetRebinds) {
  TempDir dir;
  Db db = OpenOrDie(dir.path() + "/a.db");
  ASSERT_TRUE(db.Exec("CREATE TABLE t (i INTEGER)").ok());
  Result<Statement> ins = db.Prepare("INSERT INTO t VALUES (?1)");
  ASSERT_TRUE(ins.ok());
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(ins->Bind(1, i).ok());
    ASSERT_TRUE(ins->Run().ok());
    ins->Reset();
  }
  Result<std::optional<int64_t>> sum = db.QueryInt64("SELECT SUM(i) FROM t");
  ASSERT_TRUE(sum.ok());
  EXPECT_EQ(sum->value_or(-1), 0 + 1 + 2 + 3 + 4);
}

TEST(SqliteTest, TransactionRollsBackUnlessCommitted) {
  TempDir dir;
  Db db = OpenOrDie(dir.path() + "/a.db");
  ASSERT_TRUE(db.Exec("CREATE TABLE t (i INTEGER)").ok());
  {
    Result<Transaction> tx = Transaction::Begin(db);
    ASSERT_TRUE(tx.ok());
    ASSERT_TRUE(db.Exec("INSERT INTO t VALUES (1)").ok());
  }  // destroyed without Commit
  EXPECT_EQ(CountRows(db, "t"), 0);
  {
    Result<Transaction> tx = Transaction::Begin(db, Transaction::Mode::kDeferred);
    ASSERT_TRUE(tx.ok());
    ASSERT_TRUE(db.Exec("INSERT INTO t VALUES (1)").ok());
    ASSERT_TRUE(tx->Commit().ok());
  }
  EXPECT_EQ(CountRows(db, "t"), 1);
}

const std::vector<Migration> kTwoSteps = {
    {1, "CREATE TABLE a (x INTEGER);"},
    {2, "CREATE TABLE b (y TEXT); INSERT INTO b VALUES ('seeded');"},
};

TEST(SqliteTest, MigrationsAreIdempotentAndIncremental) {
  TempDir dir;
  Db db = OpenOrDie(dir.path() + "/m.db");
  ASSERT_TRUE(db.Migrate(kTwoSteps).ok());
  EXPECT_EQ(db.UserVersion().value(), 2);
  // Re-running would fail on CREATE TABLE or duplicate the seed row if anything re-applied.
  Status again = db.Migrate(kTwoSteps);
  ASSERT_TRUE(again.ok()) << again.error().ToString();
  EXPECT_EQ(CountRows(db, "b"), 1);

  std::vector<Migration> three = kTwoSteps;
  three.push_back({3, "ALTER TABLE a ADD COLUMN z TEXT;"});
  ASSERT_TRUE(db.Migrate(three).ok());
  EXPECT_EQ(db.UserVersion().value(), 3);
  EXPECT_EQ(CountRows(db, "b"), 1);
  EXPECT_TRUE(db.Exec("INSERT INTO a (x, z) VALUES (1, 'new column')").ok());
}

TEST(SqliteTest, FailedMigrationLeavesVersionAndSchemaUntouched) {
  TempDir dir;
  Db db = OpenOrDie(dir.path() + "/m.db");
  std::vector<Migration> broken = {{1, "CREATE TABLE a (x INTEGER);"},
                                   {2, "CREATE TABLE nonsense ("}};
  Status st = db.Migrate(broken);
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.error().message.find("migration to version 2"), std::string::npos)
      << st.error().message;
  EXPECT_EQ(db.UserVersion().value(), 0);
  EXPECT_FALSE(db.Exec("SELECT * FROM a").ok()) << "table of step 1 must be rolled back";
}

TEST(SqliteTest, NewerSchemaIsRefusedWithFileName) {
  TempDir dir;
  const std::string path = dir.path() + "/m.db";
  Db db = OpenOrDie(path);
  ASSERT_TRUE(db.Exec("PRAGMA user_version = 7").ok());
  Status st = db.Migrate(kTwoSteps);
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.error().message.find(path), std::string::npos);
  EXPECT_NE(st.error().message.find("newer"), std::string::npos);
}

TEST(SqliteTest, TwoConnectionsShareTheFileAndReadersDoNotBlockWriters) {
  TempDir dir;
  const std::string path = dir.path() + "/shared.db";
  Db writer = OpenOrDie(path);
  Db reader = OpenOrDie(path);
  ASSERT_TRUE(writer.Migrate(kTwoSteps).ok());
  ASSERT_TRUE(reader.Migrate(kTwoSteps).ok());  // second "process" sees the schema as current

  // The reader holds a read snapshot open; in WAL mode the writer still commits.
  Result<Transaction> snapshot = Transaction::Begin(reader, Transaction::Mode::kDeferred);
  ASSERT_TRUE(snapshot.ok());
  EXPECT_EQ(CountRows(reader, "a"), 0);
  ASSERT_TRUE(writer.Exec("INSERT INTO a VALUES (42)").ok());
  EXPECT_EQ(CountRows(reader, "a"), 0) << "snapshot isolation";
  ASSERT_TRUE(snapshot->Commit().ok());
  EXPECT_EQ(CountRows(reader, "a"), 1);
}

TEST(SqliteTest, ErrorsNameTheFileAndStatement) {
  TempDir dir;
  const std::string path = dir.path() + "/e.db";
  Db db = OpenOrDie(path);
  Result<Statement> bad = db.Prepare("SELEC nothing");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, ErrorCode::kIo);
  EXPECT_NE(bad.error().message.find(path), std::string::npos);
  EXPECT_NE(bad.error().message.find("SELEC nothing"), std::string::npos);

  Result<Db> missing = Db::Open(dir.path() + "/no/such/dir/x.db");
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().message.find("no/such/dir/x.db"), std::string::npos);
}

TEST(WorkspaceTest, PathsAndStateDir) {
  TempDir dir;
  const std::filesystem::path root = std::filesystem::path(dir.path()) / "ws";
  Workspace ws(root);
  EXPECT_EQ(ws.CachePath(), root / ".judgeopt" / "cache.db");
  EXPECT_EQ(ws.RunsPath(), root / ".judgeopt" / "runs.db");
  EXPECT_EQ(Workspace().root(), std::filesystem::path("."));
  ASSERT_TRUE(ws.EnsureStateDir().ok());
  EXPECT_TRUE(std::filesystem::is_directory(ws.StateDir()));
  ASSERT_TRUE(ws.EnsureStateDir().ok());  // idempotent

  Workspace blocked(dir.Write("file", "not a folder"));
  EXPECT_FALSE(blocked.EnsureStateDir().ok());
}

}  // namespace
}  // namespace judgeopt::store

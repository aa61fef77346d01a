#include "storage/database.h"

#include <unistd.h>

#include <cstdio>
#include <fstream>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "storage/test_util.h"

namespace gongkai::storage {
namespace {

using ::testing::HasSubstr;

TEST(DatabaseTest, OpensInWalModeWithFullSync) {
  TempDir dir;
  auto db = Database::Open(dir.File("a.db"));
  ASSERT_TRUE(db.ok()) << db.status();
  EXPECT_EQ(*(*db)->QueryText("PRAGMA journal_mode"), "wal");
  EXPECT_EQ(*(*db)->QueryInt("PRAGMA synchronous"), 2);  // FULL
  EXPECT_EQ(*(*db)->QueryInt("PRAGMA foreign_keys"), 1);
}

TEST(DatabaseTest, TransactionRollsBackUnlessCommitted) {
  TempDir dir;
  auto db = *Database::Open(dir.File("a.db"));
  ASSERT_TRUE(db->Execute("CREATE TABLE t (x INTEGER) STRICT").ok());
  {
    Transaction txn(db.get());
    ASSERT_TRUE(txn.Begin().ok());
    ASSERT_TRUE(db->Execute("INSERT INTO t VALUES (1)").ok());
  }
  EXPECT_EQ(*db->QueryInt("SELECT count(*) FROM t"), 0);
  {
    Transaction txn(db.get());
    ASSERT_TRUE(txn.Begin().ok());
    ASSERT_TRUE(db->Execute("INSERT INTO t VALUES (1)").ok());
    ASSERT_TRUE(txn.Commit().ok());
  }
  EXPECT_EQ(*db->QueryInt("SELECT count(*) FROM t"), 1);
}

TEST(DatabaseTest, CachedStatementsAreResetBetweenUses) {
  TempDir dir;
  auto db = *Database::Open(dir.File("a.db"));
  ASSERT_TRUE(db->Execute("CREATE TABLE t (x INTEGER) STRICT;"
                          "INSERT INTO t VALUES (1), (2), (3);")
                  .ok());
  for (int i = 0; i < 3; ++i) {
    auto s = db->Prepare("SELECT x FROM t ORDER BY x");
    ASSERT_TRUE(s.ok());
    ASSERT_TRUE(*(*s)->Step());
    EXPECT_EQ((*s)->ColumnInt(0), 1);
  }
}

TEST(DatabaseTest, AFailedBindIsTheErrorOfTheNextStep) {
  TempDir dir;
  auto db = *Database::Open(dir.File("a.db"));
  ASSERT_TRUE(db->Execute("CREATE TABLE t (x INTEGER) STRICT").ok());
  {
    auto s = *db->Prepare("INSERT INTO t VALUES (?)");
    s->BindInt(1, 7);
    s->BindText(2, "no such parameter");  // SQLITE_RANGE
    absl::Status run = s->Run();
    EXPECT_FALSE(run.ok());
    EXPECT_THAT(run.message(), HasSubstr("parameter 2"));
    EXPECT_THAT(run.message(), HasSubstr("INSERT INTO t VALUES (?)"));
    auto step = s->Step();  // still refused: the statement is not run
    EXPECT_FALSE(step.ok());
  }
  EXPECT_EQ(*db->QueryInt("SELECT count(*) FROM t"), 0);
  // The next borrower starts clean.
  auto s = *db->Prepare("INSERT INTO t VALUES (?)");
  s->BindInt(1, 8);
  EXPECT_TRUE(s->Run().ok());
  EXPECT_EQ(*db->QueryInt("SELECT count(*) FROM t"), 1);
}

TEST(DatabaseTest, RefusesAFileThatIsNotADatabase) {
  TempDir dir;
  std::ofstream(dir.File("junk.db")) << std::string(8192, 'x');
  auto db = Database::Open(dir.File("junk.db"));
  ASSERT_FALSE(db.ok());
  EXPECT_THAT(db.status().message(), HasSubstr("not a usable SQLite database"));
}

TEST(DatabaseTest, RefusesACorruptDatabase) {
  TempDir dir;
  std::string path = dir.File("c.db");
  {
    auto db = *Database::Open(path);
    ASSERT_TRUE(db->Execute("PRAGMA journal_mode=DELETE; "
                            "CREATE TABLE t (x TEXT) STRICT; "
                            "CREATE INDEX tx ON t (x);")
                    .ok());
    for (int i = 0; i < 200; ++i) {
      ASSERT_TRUE(
          db->Execute("INSERT INTO t VALUES (hex(randomblob(100)))").ok());
    }
  }
  // Overwrite the middle of the file: pages of the table and its index.
  {
    std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(4096 * 3 + 100);
    std::string garbage(3000, '\x5a');
    f.write(garbage.data(), garbage.size());
  }
  auto db = Database::Open(path);
  ASSERT_FALSE(db.ok());
  EXPECT_THAT(db.status().code(),
              ::testing::AnyOf(absl::StatusCode::kDataLoss,
                               absl::StatusCode::kFailedPrecondition));
}

// The daemon's defence against a database deleted or replaced under it:
// the path is compared with the file open, and writes stop for good.
TEST(DatabaseTest, NoticesTheFileDeletedUnderIt) {
  TempDir dir;
  OpenOptions options;
  options.watch_file = true;
  auto db = *Database::Open(dir.File("a.db"), options);
  ASSERT_TRUE(db->Execute("CREATE TABLE t (x INTEGER) STRICT").ok());
  ASSERT_TRUE(db->CheckFile().ok());
  int told = 0;
  db->file_identity()->OnFailure([&](const absl::Status&) { ++told; });
  ASSERT_EQ(unlink(dir.File("a.db").c_str()), 0);
  Transaction txn(db.get());
  absl::Status begun = txn.Begin();
  EXPECT_EQ(begun.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(begun.message(),
              HasSubstr("the database file was deleted or replaced"));
  EXPECT_THAT(begun.message(), HasSubstr("no longer exists"));
  EXPECT_EQ(told, 1);
  EXPECT_FALSE(db->InTransaction());
  // A new file at the path is not taken for the old one.
  { std::ofstream(dir.File("a.db")) << ""; }
  EXPECT_FALSE(db->CheckFile().ok());
  EXPECT_EQ(told, 1);
}

TEST(DatabaseTest, NoticesTheFileReplacedUnderIt) {
  TempDir dir;
  OpenOptions options;
  options.watch_file = true;
  auto db = *Database::Open(dir.File("a.db"), options);
  { std::ofstream(dir.File("other.db")) << "x"; }
  ASSERT_EQ(rename(dir.File("other.db").c_str(), dir.File("a.db").c_str()), 0);
  absl::Status checked = db->CheckFile();
  EXPECT_EQ(checked.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(checked.message(), HasSubstr("now names another file"));
  // A handler set afterwards hears of it at once.
  std::string heard;
  db->file_identity()->OnFailure(
      [&](const absl::Status& s) { heard = std::string(s.message()); });
  EXPECT_THAT(heard, HasSubstr("deleted or replaced"));
}

TEST(DatabaseTest, UnwatchedDatabaseDoesNotCheck) {
  TempDir dir;
  auto db = *Database::Open(dir.File("a.db"));
  EXPECT_EQ(db->file_identity(), nullptr);
  ASSERT_EQ(unlink(dir.File("a.db").c_str()), 0);
  EXPECT_TRUE(db->CheckFile().ok());
}

}  // namespace
}  // namespace gongkai::storage

#include "storage/checkpointer.h"

#include <chrono>
#include <filesystem>
#include <thread>

#include "gtest/gtest.h"
#include "storage/test_util.h"

namespace gongkai::storage {
namespace {

TEST(CheckpointerTest, NudgeCopiesTheLogIntoTheDatabaseFile) {
  TempDir dir;
  const std::string path = dir.File("c.db");
  auto db = *Database::Open(path);
  ASSERT_TRUE(db->Execute("PRAGMA wal_autocheckpoint=0;"
                          "CREATE TABLE t (x TEXT) STRICT")
                  .ok());
  ASSERT_TRUE(db->Execute("BEGIN; WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL "
                          "SELECT i + 1 FROM n WHERE i < 5000) INSERT INTO t "
                          "SELECT printf('%0100d', i) FROM n; COMMIT")
                  .ok());
  const auto before = std::filesystem::file_size(path);
  auto checkpointer = Checkpointer::Start(path);
  ASSERT_TRUE(checkpointer.ok()) << checkpointer.status();
  // Nothing happens until nudged.
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  EXPECT_EQ(std::filesystem::file_size(path), before);
  (*checkpointer)->Nudge();
  for (int i = 0; i < 250 && std::filesystem::file_size(path) == before; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_GT(std::filesystem::file_size(path), before + 400 * 1024);
  EXPECT_EQ(*db->QueryInt("SELECT count(*) FROM t"), 5000);
}

}  // namespace
}  // namespace gongkai::storage

#include "storage/migrations.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "storage/test_util.h"

namespace gongkai::storage {
namespace {

using ::testing::HasSubstr;

constexpr Migration kV1[] = {{1, "one", "CREATE TABLE a (x INTEGER) STRICT;"}};
constexpr Migration kV2[] = {{1, "one", "CREATE TABLE a (x INTEGER) STRICT;"},
                             {2, "two", "CREATE TABLE b (y TEXT) STRICT;"}};

TEST(MigrationsTest, UpgradesAnOlderFile) {
  TempDir dir;
  std::string path = dir.File("m.db");
  {
    auto db = *Database::Open(path);
    ASSERT_TRUE(Migrate(*db, kV1).ok());
    EXPECT_EQ(*db->QueryInt("PRAGMA user_version"), 1);
  }
  auto db = *Database::Open(path);
  ASSERT_TRUE(Migrate(*db, kV2).ok());
  EXPECT_EQ(*db->QueryInt("PRAGMA user_version"), 2);
  EXPECT_EQ(*db->QueryInt("SELECT count(*) FROM b"), 0);
  // Running again is a no-op.
  ASSERT_TRUE(Migrate(*db, kV2).ok());
}

TEST(MigrationsTest, RefusesANewerFile) {
  TempDir dir;
  std::string path = dir.File("m.db");
  {
    auto db = *Database::Open(path);
    ASSERT_TRUE(Migrate(*db, kV2).ok());
  }
  auto db = *Database::Open(path);
  absl::Status s = Migrate(*db, kV1);
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(s.message(), HasSubstr("schema version 2, newer than this "
                                     "gongkaid supports (1)"));
}

TEST(MigrationsTest, RefusesAnotherApplicationsDatabase) {
  TempDir dir;
  std::string path = dir.File("other.db");
  {
    auto db = *Database::Open(path);
    ASSERT_TRUE(db->Execute("CREATE TABLE foreign_stuff (x INTEGER)").ok());
  }
  auto db = *Database::Open(path);
  absl::Status s = Migrate(*db, SchemaMigrations());
  EXPECT_THAT(s.message(), HasSubstr("not a gongkai database"));
}

TEST(MigrationsTest, FailedMigrationLeavesTheFileAsItWas) {
  TempDir dir;
  std::string path = dir.File("m.db");
  auto db = *Database::Open(path);
  ASSERT_TRUE(Migrate(*db, kV1).ok());
  constexpr Migration kBroken[] = {
      {1, "one", ""}, {2, "broken", "CREATE TABLE c (z INTEGER); SELEC oops;"}};
  EXPECT_FALSE(Migrate(*db, kBroken).ok());
  EXPECT_EQ(*db->QueryInt("PRAGMA user_version"), 1);
  EXPECT_EQ(
      *db->QueryInt("SELECT count(*) FROM sqlite_schema WHERE name = 'c'"), 0);
}

}  // namespace
}  // namespace gongkai::storage

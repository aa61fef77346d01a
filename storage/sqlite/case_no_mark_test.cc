// The case-number mark: numbering continues past every number ever issued,
// even after the database is restored from an older backup.
#include "storage/sqlite/case_no_mark.h"

#include <filesystem>
#include <fstream>

#include "absl/strings/str_format.h"
#include "common/dates.h"
#include "common/status_macros.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "storage/sqlite_store.h"
#include "storage/test_util.h"

namespace gongkai::storage {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

const absl::Time kAt = absl::FromUnixSeconds(1700000000);

TEST(CaseNoMarkTest, RaisedNumbersSurviveReopening) {
  TempDir dir;
  const std::string path = dir.File("db.case-numbers");
  {
    auto mark = CaseNoMark::Open(path);
    ASSERT_TRUE(mark.ok()) << mark.status();
    EXPECT_EQ((*mark)->Highest("default", 2023), 0);
    ASSERT_TRUE((*mark)->Raise("default", 2023, 5).ok());
    ASSERT_TRUE((*mark)->Raise("default", 2023, 3).ok());  // lower: kept 5
    ASSERT_TRUE((*mark)->Raise("agency:zgx", 2023, 47).ok());
    EXPECT_FALSE(std::filesystem::exists(path + ".new"));
  }
  auto again = CaseNoMark::Open(path);
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ((*again)->Highest("default", 2023), 5);
  EXPECT_EQ((*again)->Highest("agency:zgx", 2023), 47);
  EXPECT_EQ((*again)->Highest("default", 2024), 0);
}

// One write of the file reserves a block; the numbers in it cost no disk
// flush. Closing gives back what was not issued.
TEST(CaseNoMarkTest, ABlockOfNumbersIsReservedAtOnce) {
  TempDir dir;
  const std::string path = dir.File("db.case-numbers");
  const std::string crashed = dir.File("crashed.case-numbers");
  constexpr int64_t kBlock = CaseNoMark::kReserveBlock;
  {
    auto mark = CaseNoMark::Open(path);
    ASSERT_TRUE(mark.ok()) << mark.status();
    for (int64_t n = 1; n <= kBlock; ++n) {
      ASSERT_TRUE((*mark)->Raise("default", 2023, n).ok());
    }
    EXPECT_EQ((*mark)->file_writes(), 1);
    ASSERT_TRUE((*mark)->Raise("default", 2023, kBlock + 1).ok());
    EXPECT_EQ((*mark)->file_writes(), 2);
    EXPECT_EQ((*mark)->Highest("default", 2023), kBlock + 1);
    // The file as a crash now would leave it.
    std::filesystem::copy_file(path, crashed);
  }
  // Closed cleanly: the numbers issued, exactly.
  auto clean = CaseNoMark::Open(path);
  ASSERT_TRUE(clean.ok()) << clean.status();
  EXPECT_EQ((*clean)->Highest("default", 2023), kBlock + 1);
  // After the crash, none of the reserved block is issued again.
  auto after_crash = CaseNoMark::Open(crashed);
  ASSERT_TRUE(after_crash.ok()) << after_crash.status();
  EXPECT_EQ((*after_crash)->Highest("default", 2023), 2 * kBlock);
}

TEST(CaseNoMarkTest, AnUndoneRaiseIsIssuedAgainWithoutWriting) {
  TempDir dir;
  const std::string path = dir.File("db.case-numbers");
  {
    auto mark = CaseNoMark::Open(path);
    ASSERT_TRUE(mark.ok()) << mark.status();
    auto first = (*mark)->Raise("default", 2023, 1);
    ASSERT_TRUE(first.ok() && first->has_value());
    auto second = (*mark)->Raise("default", 2023, 2);
    ASSERT_TRUE(second.ok() && second->has_value());
    (*mark)->Undo({**second});
    EXPECT_EQ((*mark)->Highest("default", 2023), 1);
    // Only a later raise's undo is refused: 1 is not the highest any more.
    ASSERT_TRUE((*mark)->Raise("default", 2023, 2).ok());
    (*mark)->Undo({**first});
    EXPECT_EQ((*mark)->Highest("default", 2023), 2);
    EXPECT_EQ((*mark)->file_writes(), 1);
  }
  auto again = CaseNoMark::Open(path);
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ((*again)->Highest("default", 2023), 2);
}

TEST(CaseNoMarkTest, ADamagedMarkIsRefused) {
  TempDir dir;
  const std::string db = dir.File("gongkai.db");
  std::ofstream(CaseNoMark::PathFor(db)) << "default 2023 x\n";
  auto store = SqliteStore::Open(db);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(store.status().message(), HasSubstr("case-number mark"));
}

class RestoreTest : public ::testing::Test {
 protected:
  void Open() {
    store_.reset();
    auto store = SqliteStore::Open(db_);
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = *std::move(store);
  }

  std::string NewCase(const std::string& agency) {
    CaseRecord c;
    c.agency = agency;
    c.received_on = absl::CivilDay(2023, 3, 1);
    c.applicant = "申请人";
    c.request = "x";
    c.created_at = c.updated_at = kAt;
    CaseEvent ev;
    ev.kind = "received";
    ev.effective_on = c.received_on;
    ev.recorded_at = kAt;
    ev.actor = "t";
    auto stored = WriteValue<CaseRecord>(
        *store_, [&](Tables& t) { return t.cases().Insert(c, &ev); });
    EXPECT_TRUE(stored.ok()) << stored.status();
    return stored.ok() ? stored->case_no : "";
  }

  // What docs/operations.md says: stop, put the backup in place of the
  // file (without its log), start.
  void Restore(const std::string& backup) {
    store_.reset();
    std::filesystem::remove(db_ + "-wal");
    std::filesystem::remove(db_ + "-shm");
    std::filesystem::copy_file(
        backup, db_, std::filesystem::copy_options::overwrite_existing);
    Open();
  }

  TempDir dir_;
  const std::string db_ = dir_.File("gongkai.db");
  std::unique_ptr<SqliteStore> store_;
};

TEST_F(RestoreTest, ARestoreNeverReissuesANumber) {
  Open();
  ASSERT_TRUE(
      store_
          ->Write([&](Tables& t) {
            RETURN_IF_ERROR(t.agencies().Insert(
                "zgx", "驻京办", {"agency_created", "agency zgx", "t", kAt}));
            return t.agencies().SetCaseNoPattern(
                "zgx", "驻公信〔{year}〕{n}号",
                {"agency_changed", "agency zgx", "t", kAt});
          })
          .ok());
  EXPECT_EQ(NewCase(""), "2023-0001");
  EXPECT_EQ(NewCase("zgx"), "驻公信〔2023〕1号");
  const std::string backup = dir_.File("backup.db");
  ASSERT_TRUE(store_->Backup(backup).ok());
  // Issued after the backup, to other applicants.
  EXPECT_EQ(NewCase(""), "2023-0002");
  EXPECT_EQ(NewCase(""), "2023-0003");
  EXPECT_EQ(NewCase("zgx"), "驻公信〔2023〕2号");

  Restore(backup);
  // The restored file has only the first two cases, and its counters say
  // 2023-0002 and 2号 are next; the mark says they were issued.
  EXPECT_EQ(NewCase(""), "2023-0004");
  EXPECT_EQ(NewCase("zgx"), "驻公信〔2023〕3号");
  // And again from the same backup, after more numbers.
  Restore(backup);
  EXPECT_EQ(NewCase(""), "2023-0005");
  EXPECT_EQ(NewCase("zgx"), "驻公信〔2023〕4号");
}

// A clean stop continues the numbering without a gap; a crash skips what
// was reserved but never reissues a number.
TEST_F(RestoreTest, ACrashLeavesAGapNeverAReissue) {
  Open();
  EXPECT_EQ(NewCase(""), "2023-0001");
  store_.reset();
  Open();
  EXPECT_EQ(NewCase(""), "2023-0002");
  const std::string mark = CaseNoMark::PathFor(db_);
  const std::string at_crash = dir_.File("at-crash");
  std::filesystem::copy_file(mark, at_crash);
  const std::string backup = dir_.File("backup.db");
  ASSERT_TRUE(store_->Backup(backup).ok());
  // The process dies: its mark file is as the last reservation left it.
  store_.reset();
  std::filesystem::copy_file(at_crash, mark,
                             std::filesystem::copy_options::overwrite_existing);
  Restore(backup);
  EXPECT_EQ(NewCase(""),
            absl::StrFormat("2023-%04d", 2 + CaseNoMark::kReserveBlock));
}

TEST_F(RestoreTest, EachPatternedAgencyCountsOnItsOwnPerYear) {
  Open();
  ASSERT_TRUE(store_
                  ->Write([&](Tables& t) {
                    for (const char* code : {"a", "b"}) {
                      RETURN_IF_ERROR(t.agencies().Insert(
                          code, code, {"agency_created", "agency", "t", kAt}));
                    }
                    return t.agencies().SetCaseNoPattern(
                        "a", "A{year}-{n:3}",
                        {"agency_changed", "agency a", "t", kAt});
                  })
                  .ok());
  std::vector<std::string> numbers = {NewCase("a"), NewCase("b"), NewCase("a"),
                                      NewCase("b")};
  EXPECT_THAT(numbers,
              ElementsAre("A2023-001", "2023-0001", "A2023-002", "2023-0002"));
  auto pattern = ReadValue<std::string>(
      *store_, [&](Tables& t) { return t.agencies().CaseNoPattern("a"); });
  EXPECT_EQ(*pattern, "A{year}-{n:3}");
}

}  // namespace
}  // namespace gongkai::storage

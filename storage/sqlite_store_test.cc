#include "storage/sqlite_store.h"

#include <random>
#include <thread>

#include "absl/strings/str_format.h"
#include "common/dates.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "domain/lifecycle.h"
#include "storage/test_util.h"

namespace gongkai::storage {
namespace {

using ::testing::HasSubstr;

absl::CivilDay D(const char* s) { return *ParseDate(s); }

ActionContext Ctx() {
  return {"clerk", absl::FromUnixSeconds(1700000000), D("2023-11-15")};
}

absl::StatusOr<CaseEvent> Answer(CaseRecord& c,
                                 const std::vector<CaseEvent>& events) {
  return Lifecycle(Ctx(), WorkCalendar::Official(), {})
      .Answer(c, events, {D("2023-03-10"), Outcome::kDisclosed, ""});
}

std::pair<CaseRecord, CaseEvent> NewRecord(const char* received,
                                           const char* case_no = "") {
  NewCase n;
  n.case_no = case_no;
  n.received_on = D(received);
  n.applicant = "李四";
  n.request = "请求公开某文件";
  CaseEvent ev;
  CaseRecord c = *OpenCase(n, Ctx(), &ev);
  return {c, ev};
}

class SqliteStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = SqliteStore::Open(dir_.File("gongkai.db"));
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = *std::move(store);
  }
  CaseRecord Create(const char* received, const char* case_no = "") {
    auto [c, ev] = NewRecord(received, case_no);
    auto stored = store_->CreateCase(c, &ev);
    EXPECT_TRUE(stored.ok()) << stored.status();
    return *stored;
  }

  TempDir dir_;
  std::unique_ptr<SqliteStore> store_;
};

TEST_F(SqliteStoreTest, AssignsPerYearCaseNumbers) {
  EXPECT_EQ(Create("2023-03-06").case_no, "2023-0001");
  EXPECT_EQ(Create("2023-03-07").case_no, "2023-0002");
  EXPECT_EQ(Create("2022-12-30").case_no, "2022-0001");
  EXPECT_EQ(Create("2023-03-08", "2023-0003").case_no, "2023-0003");
  EXPECT_EQ(Create("2023-03-09").case_no, "2023-0004");  // skips the taken one
}

TEST_F(SqliteStoreTest, DuplicateCaseNumberIsRefusedAndChangesNothing) {
  Create("2023-03-06", "X-1");
  auto [c, ev] = NewRecord("2023-03-07", "X-1");
  auto dup = store_->CreateCase(c, &ev);
  EXPECT_EQ(dup.status().code(), absl::StatusCode::kAlreadyExists);
  EXPECT_THAT(dup.status().message(), HasSubstr("already used"));
  EXPECT_EQ(store_->ListCases({})->total, 1);
}

TEST_F(SqliteStoreTest, GetReturnsWhatWasStored) {
  CaseRecord created = Create("2023-03-06");
  auto got = store_->GetCase(created.case_no);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->applicant, "李四");
  EXPECT_EQ(got->received_on, D("2023-03-06"));
  EXPECT_EQ(got->state, CaseState::kOpen);
  EXPECT_FALSE(got->answered_on.has_value());
  auto events = store_->GetEvents(got->id);
  ASSERT_EQ(events->size(), 1u);
  EXPECT_EQ((*events)[0].kind, "received");
  EXPECT_EQ((*events)[0].seq, 1);
  EXPECT_EQ(store_->GetCase("nope").status().code(),
            absl::StatusCode::kNotFound);
}

TEST_F(SqliteStoreTest, UpdateWritesCaseAndEventTogether) {
  CaseRecord created = Create("2023-03-06");
  auto answered = store_->UpdateCase(
      created.case_no, [](CaseRecord& c, const std::vector<CaseEvent>& events) {
        return Answer(c, events);
      });
  ASSERT_TRUE(answered.ok()) << answered.status();
  auto got = *store_->GetCase(created.case_no);
  EXPECT_EQ(got.state, CaseState::kClosed);
  EXPECT_EQ(got.outcome, Outcome::kDisclosed);
  EXPECT_EQ(got.version, 2);
  auto events = *store_->GetEvents(got.id);
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[1].kind, "answered");
  EXPECT_EQ(events[1].details.Find("outcome")->as_string(), "disclosed");
}

TEST_F(SqliteStoreTest, FailedChangeWritesNothing) {
  CaseRecord created = Create("2023-03-06");
  auto r = store_->UpdateCase(
      created.case_no, [](CaseRecord& c, const std::vector<CaseEvent>&) {
        c.applicant = "changed";  // mutated, then the transition fails
        return absl::StatusOr<CaseEvent>(absl::FailedPreconditionError("no"));
      });
  EXPECT_EQ(r.status().code(), absl::StatusCode::kFailedPrecondition);
  auto got = *store_->GetCase(created.case_no);
  EXPECT_EQ(got.applicant, "李四");
  EXPECT_EQ(store_->GetEvents(got.id)->size(), 1u);
}

TEST_F(SqliteStoreTest, EventsAreAppendOnly) {
  Create("2023-03-06");
  auto db = *Database::Open(dir_.File("gongkai.db"));
  absl::Status upd = db->Execute("UPDATE case_events SET actor = 'x'");
  EXPECT_THAT(upd.message(), HasSubstr("append-only"));
  absl::Status del = db->Execute("DELETE FROM case_events");
  EXPECT_THAT(del.message(), HasSubstr("append-only"));
  EXPECT_FALSE(db->Execute("DELETE FROM cases").ok());
}

TEST_F(SqliteStoreTest, ListFiltersAndPages) {
  for (int i = 1; i <= 9; ++i) {
    Create(absl::StrFormat("2023-03-%02d", i).c_str());
  }
  Create("2022-05-05");
  store_
      ->UpdateCase("2023-0002",
                   [](CaseRecord& c, const std::vector<CaseEvent>& events) {
                     return Answer(c, events);
                   })
      .IgnoreError();

  CaseQuery all;
  EXPECT_EQ(store_->ListCases(all)->total, 10);
  CaseQuery y2023;
  y2023.receipt_year = 2023;
  EXPECT_EQ(store_->ListCases(y2023)->total, 9);
  CaseQuery closed;
  closed.state = CaseState::kClosed;
  auto closed_page = *store_->ListCases(closed);
  ASSERT_EQ(closed_page.cases.size(), 1u);
  EXPECT_EQ(closed_page.cases[0].case_no, "2023-0002");
  CaseQuery legal;
  legal.applicant_type = ApplicantType::kLegalServiceOrg;
  EXPECT_EQ(store_->ListCases(legal)->total, 0);

  CaseQuery paged;
  paged.limit = 4;
  std::vector<std::string> seen;
  while (true) {
    auto page = *store_->ListCases(paged);
    for (const auto& c : page.cases) seen.push_back(c.case_no);
    if (!page.more) break;
    paged.after = {{page.cases.back().received_on, page.cases.back().id}};
  }
  ASSERT_EQ(seen.size(), 10u);
  EXPECT_EQ(seen[0], "2022-0001");  // oldest receipt first
  EXPECT_EQ(seen[9], "2023-0009");
}

TEST_F(SqliteStoreTest, DataSurvivesReopen) {
  Create("2023-03-06");
  store_.reset();
  auto reopened = SqliteStore::Open(dir_.File("gongkai.db"));
  ASSERT_TRUE(reopened.ok());
  EXPECT_TRUE((*reopened)->GetCase("2023-0001").ok());
}

TEST_F(SqliteStoreTest, ConcurrentAnswersApplyOnce) {
  CaseRecord created = Create("2023-03-06");
  std::atomic<int> ok{0}, refused{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&] {
      auto r = store_->UpdateCase(
          created.case_no,
          [](CaseRecord& c, const std::vector<CaseEvent>& events) {
            return Answer(c, events);
          });
      (r.ok() ? ok : refused)++;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok, 1);
  EXPECT_EQ(refused, 7);
  EXPECT_EQ(store_->GetEvents(created.id)->size(), 2u);
}

TEST_F(SqliteStoreTest, OpenOnlyCountsEveryStateButClosed) {
  Create("2023-03-06");
  Create("2023-03-07");
  store_
      ->UpdateCase("2023-0002",
                   [](CaseRecord& c, const std::vector<CaseEvent>& e) {
                     return Lifecycle(Ctx(), WorkCalendar::Official(), {})
                         .RequestCorrection(c, e, D("2023-03-08"), 10);
                   })
      .IgnoreError();
  CaseQuery open;
  open.open_only = true;
  EXPECT_EQ(store_->ListCases(open)->total, 2);
  auto events = *store_->GetEventsOfCases({1, 2});
  EXPECT_EQ(events[1].size(), 1u);
  EXPECT_EQ(events[2].size(), 2u);
}

TEST_F(SqliteStoreTest, AlertsAreRecordedOnceAndDeliveredOnce) {
  absl::Time t = absl::FromUnixSeconds(1700000000);
  EXPECT_THAT(*store_->RecordAlerts({{"k1", "{}"}}, t, true),
              ::testing::ElementsAre(0));
  EXPECT_THAT(*store_->RecordAlerts({{"k0", "{}"}, {"k1", "{}"}}, t, false),
              ::testing::ElementsAre(0));  // k1 is known already
  EXPECT_THAT(*store_->RecordAlerts({{"k2", "{}"}}, t, false),
              ::testing::ElementsAre(0));
  auto pending = *store_->PendingAlerts(t);
  ASSERT_EQ(pending.size(), 1u);
  ASSERT_TRUE(
      store_->MarkAlertFailed("k1", "exit 1", t + absl::Seconds(10)).ok());
  EXPECT_TRUE(store_->PendingAlerts(t)->empty());
  ASSERT_EQ(store_->PendingAlerts(t + absl::Seconds(10))->size(), 1u);
  ASSERT_TRUE(store_->MarkAlertDelivered("k1", t).ok());
  EXPECT_TRUE(store_->PendingAlerts(t + absl::Hours(1))->empty());
}

TEST_F(SqliteStoreTest, CalendarYearsAreStoredAndReplaced) {
  absl::Time t = absl::FromUnixSeconds(1700000000);
  ASSERT_TRUE(store_
                  ->SaveCalendarYears({{2027, "year 2027\n"}}, "a.cal",
                                      "year 2027\n", "admin", t)
                  .ok());
  ASSERT_TRUE(store_
                  ->SaveCalendarYears({{2027, "year 2027\noff 2027-01-01\n"}},
                                      "b.cal", "…", "admin", t)
                  .ok());
  auto years = *store_->LoadCalendarYears();
  ASSERT_EQ(years.size(), 1u);
  EXPECT_EQ(years[2027], "year 2027\noff 2027-01-01\n");
}

TEST_F(SqliteStoreTest, ReportCountsEqualTheTallyOverCaseFacts) {
  std::mt19937 rng(20240628);
  const char* agencies[] = {"", "psb", "edu"};
  std::vector<std::string> numbers;
  for (int i = 0; i < 400; ++i) {
    NewCase n;
    n.received_on = absl::CivilDay(2020, 1, 1) + static_cast<int>(rng() % 1400);
    n.applicant = "申请人";
    n.request = "x";
    n.applicant_type = AllApplicantTypes()[rng() % 6].value;
    n.agency = agencies[rng() % 3];
    CaseEvent ev;
    ActionContext ctx{"t", absl::FromUnixSeconds(1700000000), D("2024-12-31")};
    CaseRecord c = *OpenCase(n, ctx, &ev);
    auto stored = store_->CreateCase(c, &ev);
    ASSERT_TRUE(stored.ok()) << stored.status();
    if (rng() % 4 != 0) {
      absl::CivilDay closed =
          stored->received_on + static_cast<int>(rng() % 500);
      if (closed > D("2024-12-31")) closed = D("2024-12-31");
      Outcome o = AllOutcomes()[rng() % 21].value;
      ASSERT_TRUE(
          store_
              ->UpdateCase(stored->case_no,
                           [&](CaseRecord& r, const std::vector<CaseEvent>&)
                               -> absl::StatusOr<CaseEvent> {
                             r.state = CaseState::kClosed;
                             r.answered_on = closed;
                             r.outcome = o;
                             ++r.version;
                             CaseEvent e;
                             e.kind = "answered";
                             e.effective_on = closed;
                             e.recorded_at = absl::FromUnixSeconds(1700000000);
                             return e;
                           })
              .ok());
    }
  }
  for (int year = 2019; year <= 2025; ++year) {
    for (std::vector<std::string> filter :
         {std::vector<std::string>{}, std::vector<std::string>{"psb"},
          std::vector<std::string>{"", "edu"}}) {
      auto facts = store_->ReportCaseFacts(year, filter);
      auto counted = store_->ReportTable3(year, filter);
      ASSERT_TRUE(facts.ok() && counted.ok());
      EXPECT_EQ(*counted, TallyTable3(year, *facts)) << year;
      EXPECT_TRUE(VerifyTable3(*counted).ok());
    }
  }
}

TEST_F(SqliteStoreTest, UsersByTokenHash) {
  RecordEvent e{"user_created", "user ana", "root",
                absl::FromUnixSeconds(1700000000)};
  ASSERT_TRUE(store_->CreateUser("ana", "clerk", "*", "hash1", e).ok());
  EXPECT_EQ(store_->CreateUser("ana", "head", "*", "hash2", e).status().code(),
            absl::StatusCode::kAlreadyExists);
  auto ana = store_->FindUserByTokenHash("hash1");
  ASSERT_TRUE(ana.ok());
  EXPECT_EQ(ana->role, "clerk");
  EXPECT_FALSE(store_->FindUserByTokenHash("nope").ok());
  ASSERT_TRUE(store_->SetUserToken("ana", "hash3", e).ok());
  EXPECT_FALSE(store_->FindUserByTokenHash("hash1").ok());
  ASSERT_TRUE(store_->SetUserDisabled("ana", true, e).ok());
  EXPECT_TRUE(store_->FindUserByTokenHash("hash3")->disabled);
  EXPECT_EQ(store_->SetUserDisabled("bob", true, e).code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(store_->ListUsers()->size(), 1u);
}

TEST_F(SqliteStoreTest, AuditChainDetectsTampering) {
  Create("2023-03-06");
  Create("2023-03-07");
  RecordEvent e{"note", "x", "root", absl::FromUnixSeconds(1700000000)};
  ASSERT_TRUE(store_->AppendRecord(e).ok());
  EXPECT_TRUE(store_->VerifyAuditChain()->empty());
  EXPECT_EQ(store_->ListAudit(std::nullopt, "", 100)->size(), 3u);
  EXPECT_EQ(store_->ListAudit(std::nullopt, "nobody", 100)->size(), 0u);
  {
    // Someone edits the file directly, removing the guard first.
    auto db = *Database::Open(dir_.File("gongkai.db"));
    ASSERT_TRUE(
        db->Execute("DROP TRIGGER case_events_no_update; "
                    "UPDATE case_events SET actor = 'mallory' WHERE id = 1")
            .ok());
  }
  auto problems = store_->VerifyAuditChain();
  ASSERT_TRUE(problems.ok());
  ASSERT_EQ(problems->size(), 1u);
  EXPECT_THAT((*problems)[0],
              HasSubstr("case_events row 1 breaks the checksum chain"));
}

TEST_F(SqliteStoreTest, BackupIsAConsistentCopy) {
  Create("2023-03-06");
  ASSERT_TRUE(store_->Backup(dir_.File("copy.db")).ok());
  auto copy = SqliteStore::Open(dir_.File("copy.db"));
  ASSERT_TRUE(copy.ok()) << copy.status();
  EXPECT_TRUE((*copy)->GetCase("2023-0001").ok());
  EXPECT_TRUE((*copy)->VerifyAuditChain()->empty());
  EXPECT_EQ(*store_->CheckIntegrity(), "ok");
}

}  // namespace
}  // namespace gongkai::storage

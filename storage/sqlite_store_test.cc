#include "storage/sqlite_store.h"

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <random>
#include <thread>

#include "absl/strings/str_format.h"
#include "common/dates.h"
#include "common/lang.h"
#include "common/status_macros.h"
#include "domain/lifecycle.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "storage/test_engines.h"
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

// The Store contract, on every engine (test_engines.h).
class StoreTest : public ::testing::TestWithParam<TestEngine> {
 protected:
  void SetUp() override {
    auto store = db_.Open();
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = *std::move(store);
  }
  // The SQLite engine's own features (its file, its backups).
  SqliteStore* sqlite() { return dynamic_cast<SqliteStore*>(store_.get()); }
  CaseRecord Create(const char* received, const char* case_no = "") {
    auto [c, ev] = NewRecord(received, case_no);
    auto stored = CreateCase(c, &ev);
    EXPECT_TRUE(stored.ok()) << stored.status();
    return *stored;
  }

  // The use cases of the old interface, as the application layer writes
  // them over Write/Read.
  absl::StatusOr<CaseRecord> CreateCase(const CaseRecord& c, CaseEvent* ev) {
    return WriteValue<CaseRecord>(
        *store_, [&](Tables& t) { return t.cases().Insert(c, ev); });
  }
  absl::StatusOr<CaseRecord> GetCase(const std::string& no) {
    return ReadValue<CaseRecord>(*store_,
                                 [&](Tables& t) { return t.cases().Get(no); });
  }
  absl::StatusOr<std::vector<CaseEvent>> GetEvents(int64_t id) {
    return ReadValue<std::vector<CaseEvent>>(
        *store_, [&](Tables& t) { return t.cases().Events(id); });
  }
  absl::StatusOr<CasePage> ListCases(const CaseQuery& q) {
    return ReadValue<CasePage>(*store_,
                               [&](Tables& t) { return t.cases().List(q); });
  }
  using Change = std::function<absl::StatusOr<CaseEvent>(
      CaseRecord&, const std::vector<CaseEvent>&)>;
  // Loads the case and its events, applies `change` and writes the result,
  // all in one write transaction.
  absl::StatusOr<CaseRecord> UpdateCase(const std::string& no,
                                        const Change& change) {
    return WriteValue<CaseRecord>(
        *store_, [&](Tables& t) -> absl::StatusOr<CaseRecord> {
          ASSIGN_OR_RETURN(CaseRecord before, t.cases().Get(no));
          ASSIGN_OR_RETURN(std::vector<CaseEvent> events,
                           t.cases().Events(before.id));
          CaseRecord after = before;
          ASSIGN_OR_RETURN(CaseEvent event, change(after, events));
          RETURN_IF_ERROR(t.cases().Update(before, after, &event));
          return after;
        });
  }
  template <typename T, typename Body>
  absl::StatusOr<T> R(Body body) {
    return ReadValue<T>(*store_, body);
  }
  template <typename T, typename Body>
  absl::StatusOr<T> W(Body body) {
    return WriteValue<T>(*store_, body);
  }
  using Alerts = std::vector<size_t>;
  using Pending = std::vector<AlertOutbox::StoredAlert>;
  absl::StatusOr<Alerts> RecordAlerts(
      const std::vector<AlertOutbox::NewAlert>& alerts, absl::Time t,
      bool deliver) {
    return W<Alerts>(
        [&](Tables& tb) { return tb.alerts().Record(alerts, t, deliver); });
  }
  absl::StatusOr<Pending> PendingAlerts(absl::Time t) {
    return R<Pending>([&](Tables& tb) { return tb.alerts().Pending(t); });
  }
  absl::StatusOr<UserRecord> FindUser(const std::string& hash) {
    return R<UserRecord>(
        [&](Tables& t) { return t.users().FindByTokenHash(hash); });
  }
  absl::StatusOr<std::vector<std::string>> Verify() {
    return R<std::vector<std::string>>(
        [](Tables& t) { return t.audit().Verify(); });
  }
  absl::StatusOr<std::vector<AuditEntry>> ListAudit(const std::string& actor) {
    return R<std::vector<AuditEntry>>([&](Tables& t) {
      return t.audit().List(std::nullopt, actor, 100, {});
    });
  }

  TestDatabase db_{GetParam()};
  std::unique_ptr<Store> store_;
};

INSTANTIATE_TEST_SUITE_P(Engines, StoreTest, ::testing::ValuesIn(TestEngines()),
                         TestEngineName);

TEST_P(StoreTest, AssignsPerYearCaseNumbers) {
  EXPECT_EQ(Create("2023-03-06").case_no, "2023-0001");
  EXPECT_EQ(Create("2023-03-07").case_no, "2023-0002");
  EXPECT_EQ(Create("2022-12-30").case_no, "2022-0001");
  EXPECT_EQ(Create("2023-03-08", "2023-0003").case_no, "2023-0003");
  EXPECT_EQ(Create("2023-03-09").case_no, "2023-0004");  // skips the taken one
}

TEST_P(StoreTest, DuplicateCaseNumberIsRefusedAndChangesNothing) {
  Create("2023-03-06", "X-1");
  auto [c, ev] = NewRecord("2023-03-07", "X-1");
  auto dup = CreateCase(c, &ev);
  EXPECT_EQ(dup.status().code(), absl::StatusCode::kAlreadyExists);
  EXPECT_THAT(dup.status().message(), HasSubstr("已被使用"));
  EXPECT_THAT(MessageIn(dup.status(), Lang::kEn), HasSubstr("is taken"));
  EXPECT_EQ(ListCases({})->total, 1);
}

TEST_P(StoreTest, GetReturnsWhatWasStored) {
  CaseRecord created = Create("2023-03-06");
  auto got = GetCase(created.case_no);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->applicant, "李四");
  EXPECT_EQ(got->received_on, D("2023-03-06"));
  EXPECT_EQ(got->state, CaseState::kOpen);
  EXPECT_FALSE(got->answered_on.has_value());
  auto events = GetEvents(got->id);
  ASSERT_EQ(events->size(), 1u);
  EXPECT_EQ((*events)[0].kind, "received");
  EXPECT_EQ((*events)[0].seq, 1);
  EXPECT_EQ(GetCase("nope").status().code(), absl::StatusCode::kNotFound);
}

TEST_P(StoreTest, UpdateWritesCaseAndEventTogether) {
  CaseRecord created = Create("2023-03-06");
  auto answered = UpdateCase(
      created.case_no, [](CaseRecord& c, const std::vector<CaseEvent>& events) {
        return Answer(c, events);
      });
  ASSERT_TRUE(answered.ok()) << answered.status();
  auto got = *GetCase(created.case_no);
  EXPECT_EQ(got.state, CaseState::kClosed);
  EXPECT_EQ(got.outcome, Outcome::kDisclosed);
  EXPECT_EQ(got.version, 2);
  auto events = *GetEvents(got.id);
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[1].kind, "answered");
  EXPECT_EQ(events[1].details.Find("outcome")->as_string(), "disclosed");
}

TEST_P(StoreTest, FailedChangeWritesNothing) {
  CaseRecord created = Create("2023-03-06");
  auto r = UpdateCase(
      created.case_no, [](CaseRecord& c, const std::vector<CaseEvent>&) {
        c.applicant = "changed";  // mutated, then the transition fails
        return absl::StatusOr<CaseEvent>(absl::FailedPreconditionError("no"));
      });
  EXPECT_EQ(r.status().code(), absl::StatusCode::kFailedPrecondition);
  auto got = *GetCase(created.case_no);
  EXPECT_EQ(got.applicant, "李四");
  EXPECT_EQ(GetEvents(got.id)->size(), 1u);
}

TEST_P(StoreTest, EventsAreAppendOnly) {
  Create("2023-03-06");
  absl::Status upd = db_.Tamper("UPDATE case_events SET actor = 'x'");
  EXPECT_THAT(upd.message(), HasSubstr("append-only"));
  absl::Status del = db_.Tamper("DELETE FROM case_events");
  EXPECT_THAT(del.message(), HasSubstr("append-only"));
  EXPECT_FALSE(db_.Tamper("DELETE FROM cases").ok());
  if (db_.postgres()) {
    // TRUNCATE passes by row triggers; its own trigger refuses it.
    EXPECT_THAT(db_.Tamper("TRUNCATE case_events CASCADE").message(),
                HasSubstr("append-only"));
    EXPECT_FALSE(db_.Tamper("TRUNCATE cases CASCADE").ok());
  }
  EXPECT_TRUE(GetCase("2023-0001").ok());
  EXPECT_EQ(GetEvents(GetCase("2023-0001")->id)->size(), 1u);
}

TEST_P(StoreTest, ListFiltersAndPages) {
  for (int i = 1; i <= 9; ++i) {
    Create(absl::StrFormat("2023-03-%02d", i).c_str());
  }
  Create("2022-05-05");
  UpdateCase("2023-0002", [](CaseRecord& c,
                             const std::vector<CaseEvent>& events) {
    return Answer(c, events);
  }).IgnoreError();

  CaseQuery all;
  EXPECT_EQ(ListCases(all)->total, 10);
  CaseQuery y2023;
  y2023.receipt_year = 2023;
  EXPECT_EQ(ListCases(y2023)->total, 9);
  CaseQuery closed;
  closed.state = CaseState::kClosed;
  auto closed_page = *ListCases(closed);
  ASSERT_EQ(closed_page.cases.size(), 1u);
  EXPECT_EQ(closed_page.cases[0].case_no, "2023-0002");
  CaseQuery legal;
  legal.applicant_type = ApplicantType::kLegalServiceOrg;
  EXPECT_EQ(ListCases(legal)->total, 0);

  CaseQuery paged;
  paged.limit = 4;
  std::vector<std::string> seen;
  while (true) {
    auto page = *ListCases(paged);
    for (const auto& c : page.cases) seen.push_back(c.case_no);
    if (!page.more) break;
    paged.after = {{page.cases.back().received_on, page.cases.back().id}};
  }
  ASSERT_EQ(seen.size(), 10u);
  EXPECT_EQ(seen[0], "2022-0001");  // oldest receipt first
  EXPECT_EQ(seen[9], "2023-0009");
}

TEST_P(StoreTest, DataSurvivesReopen) {
  Create("2023-03-06");
  store_.reset();
  auto reopened = db_.Open();
  ASSERT_TRUE(reopened.ok());
  EXPECT_TRUE(ReadValue<CaseRecord>(**reopened, [](Tables& t) {
                return t.cases().Get("2023-0001");
              }).ok());
}

TEST_P(StoreTest, ConcurrentAnswersApplyOnce) {
  CaseRecord created = Create("2023-03-06");
  std::atomic<int> ok{0}, refused{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&] {
      auto r =
          UpdateCase(created.case_no,
                     [](CaseRecord& c, const std::vector<CaseEvent>& events) {
                       return Answer(c, events);
                     });
      (r.ok() ? ok : refused)++;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok, 1);
  EXPECT_EQ(refused, 7);
  EXPECT_EQ(GetEvents(created.id)->size(), 2u);
}

TEST_P(StoreTest, OpenOnlyCountsEveryStateButClosed) {
  Create("2023-03-06");
  Create("2023-03-07");
  UpdateCase("2023-0002", [](CaseRecord& c, const std::vector<CaseEvent>& e) {
    return Lifecycle(Ctx(), WorkCalendar::Official(), {})
        .RequestCorrection(c, e, D("2023-03-08"), 10);
  }).IgnoreError();
  CaseQuery open;
  open.open_only = true;
  EXPECT_EQ(ListCases(open)->total, 2);
  auto events = *R<std::map<int64_t, std::vector<CaseEvent>>>([](Tables& t) {
    return t.cases().EventsOf({1, 2});
  });
  EXPECT_EQ(events[1].size(), 1u);
  EXPECT_EQ(events[2].size(), 2u);
}

TEST_P(StoreTest, AlertsAreRecordedOnceAndDeliveredOnce) {
  absl::Time t = absl::FromUnixSeconds(1700000000);
  EXPECT_THAT(*RecordAlerts({{"k1", "{}"}}, t, true),
              ::testing::ElementsAre(0));
  EXPECT_THAT(*RecordAlerts({{"k0", "{}"}, {"k1", "{}"}}, t, false),
              ::testing::ElementsAre(0));  // k1 is known already
  EXPECT_THAT(*RecordAlerts({{"k2", "{}"}}, t, false),
              ::testing::ElementsAre(0));
  auto pending = *PendingAlerts(t);
  ASSERT_EQ(pending.size(), 1u);
  ASSERT_TRUE(store_
                  ->Write([&](Tables& tb) {
                    return tb.alerts().MarkFailed("k1", "exit 1",
                                                  t + absl::Seconds(10));
                  })
                  .ok());
  EXPECT_TRUE(PendingAlerts(t)->empty());
  ASSERT_EQ(PendingAlerts(t + absl::Seconds(10))->size(), 1u);
  ASSERT_TRUE(store_
                  ->Write([&](Tables& tb) {
                    return tb.alerts().MarkDelivered("k1", t);
                  })
                  .ok());
  EXPECT_TRUE(PendingAlerts(t + absl::Hours(1))->empty());
}

TEST_P(StoreTest, CalendarYearsAreStoredAndReplaced) {
  absl::Time t = absl::FromUnixSeconds(1700000000);
  auto save = [&](const std::map<int, std::string>& years,
                  const std::string& source, const std::string& text) {
    return store_->Write([&](Tables& tb) {
      return tb.calendar().SaveYears(years, source, text, "admin", t);
    });
  };
  ASSERT_TRUE(save({{2027, "year 2027\n"}}, "a.cal", "year 2027\n").ok());
  ASSERT_TRUE(save({{2027, "year 2027\noff 2027-01-01\n"}}, "b.cal", "…").ok());
  auto years = *R<std::map<int, std::string>>(
      [](Tables& tb) { return tb.calendar().LoadYears(); });
  ASSERT_EQ(years.size(), 1u);
  EXPECT_EQ(years[2027], "year 2027\noff 2027-01-01\n");
}

TEST_P(StoreTest, ReportCountsEqualTheTallyOverCaseFacts) {
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
    auto stored = CreateCase(c, &ev);
    ASSERT_TRUE(stored.ok()) << stored.status();
    if (rng() % 4 != 0) {
      absl::CivilDay closed =
          stored->received_on + static_cast<int>(rng() % 500);
      if (closed > D("2024-12-31")) closed = D("2024-12-31");
      Outcome o = AllOutcomes()[rng() % 21].value;
      ASSERT_TRUE(UpdateCase(stored->case_no,
                             [&](CaseRecord& r, const std::vector<CaseEvent>&)
                                 -> absl::StatusOr<CaseEvent> {
                               r.state = CaseState::kClosed;
                               r.answered_on = closed;
                               r.outcome = o;
                               ++r.version;
                               CaseEvent e;
                               e.kind = "answered";
                               e.effective_on = closed;
                               e.recorded_at =
                                   absl::FromUnixSeconds(1700000000);
                               return e;
                             })
                      .ok());
    }
  }
  for (int year = 2019; year <= 2025; ++year) {
    for (std::vector<std::string> filter :
         {std::vector<std::string>{}, std::vector<std::string>{"psb"},
          std::vector<std::string>{"", "edu"}}) {
      auto facts = R<std::vector<CaseFact>>(
          [&](Tables& t) { return t.cases().ReportFacts(year, filter); });
      auto counted = R<Table3>(
          [&](Tables& t) { return t.cases().Table3Of(year, filter); });
      ASSERT_TRUE(facts.ok() && counted.ok());
      EXPECT_EQ(*counted, TallyTable3(year, *facts)) << year;
      EXPECT_TRUE(VerifyTable3(*counted).ok());
    }
  }
}

TEST_P(StoreTest, UsersByTokenHash) {
  RecordEvent e{"user_created", "user ana", "root",
                absl::FromUnixSeconds(1700000000)};
  auto create = [&](const char* role, const char* hash) {
    return W<UserRecord>(
        [&](Tables& t) { return t.users().Insert("ana", role, "*", hash, e); });
  };
  auto set_token = [&](const char* name, const char* hash) {
    return store_->Write(
        [&](Tables& t) { return t.users().SetToken(name, hash, e); });
  };
  auto set_disabled = [&](const char* name, bool disabled) {
    return store_->Write(
        [&](Tables& t) { return t.users().SetDisabled(name, disabled, e); });
  };
  ASSERT_TRUE(create("clerk", "hash1").ok());
  EXPECT_EQ(create("head", "hash2").status().code(),
            absl::StatusCode::kAlreadyExists);
  auto ana = FindUser("hash1");
  ASSERT_TRUE(ana.ok());
  EXPECT_EQ(ana->role, "clerk");
  EXPECT_FALSE(FindUser("nope").ok());
  ASSERT_TRUE(set_token("ana", "hash3").ok());
  EXPECT_FALSE(FindUser("hash1").ok());
  ASSERT_TRUE(set_disabled("ana", true).ok());
  EXPECT_TRUE(FindUser("hash3")->disabled);
  EXPECT_EQ(set_disabled("bob", true).code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(R<std::vector<UserRecord>>([](Tables& t) {
              return t.users().List();
            })->size(),
            1u);
  auto by_name =
      R<UserRecord>([](Tables& t) { return t.users().FindByName("ana"); });
  ASSERT_TRUE(by_name.ok()) << by_name.status();
  EXPECT_TRUE(by_name->disabled);
  EXPECT_EQ(R<UserRecord>([](Tables& t) { return t.users().FindByName("bob"); })
                .status()
                .code(),
            absl::StatusCode::kNotFound);
}

TEST_P(StoreTest, AuditChainDetectsTampering) {
  Create("2023-03-06");
  Create("2023-03-07");
  RecordEvent e{"note", "x", "root", absl::FromUnixSeconds(1700000000)};
  ASSERT_TRUE(
      store_->Write([&](Tables& t) { return t.audit().Append(e); }).ok());
  EXPECT_TRUE(Verify()->empty());
  EXPECT_EQ(ListAudit("")->size(), 3u);
  EXPECT_EQ(ListAudit("nobody")->size(), 0u);
  {
    // Someone edits the file directly, removing the guard first.
    ASSERT_TRUE(
        db_.Tamper(absl::StrCat(
                       db_.DropTrigger("case_events", "case_events_no_update"),
                       "; UPDATE case_events SET actor = 'mallory' "
                       "WHERE id = 1"))
            .ok());
  }
  auto problems = Verify();
  ASSERT_TRUE(problems.ok());
  ASSERT_EQ(problems->size(), 1u);
  EXPECT_THAT((*problems)[0],
              HasSubstr("case_events row 1 breaks the checksum chain"));
}

TEST_P(StoreTest, BackupIsAConsistentCopy) {
  if (db_.postgres()) {
    // pg_dump's job: refused, saying so, and nothing made.
    absl::Status refused = store_->Backup(db_.dir().File("copy.db"));
    EXPECT_EQ(refused.code(), absl::StatusCode::kFailedPrecondition);
    EXPECT_THAT(refused.message(), HasSubstr("pg_dump"));
    EXPECT_FALSE(std::filesystem::exists(db_.dir().File("copy.db")));
    return;
  }
  Create("2023-03-06");
  ASSERT_TRUE(store_->Backup(db_.dir().File("copy.db")).ok());
  auto copy = SqliteStore::Open(db_.dir().File("copy.db"));
  ASSERT_TRUE(copy.ok()) << copy.status();
  EXPECT_TRUE(ReadValue<CaseRecord>(**copy, [](Tables& t) {
                return t.cases().Get("2023-0001");
              }).ok());
  EXPECT_TRUE(ReadValue<std::vector<std::string>>(**copy, [](Tables& t) {
                return t.audit().Verify();
              })->empty());
  EXPECT_TRUE(store_->CheckIntegrity()->problems.empty());
}

TEST_P(StoreTest, BackupRefusesExistingFilesAndSymlinks) {
  if (db_.postgres()) GTEST_SKIP() << "backups of files: SQLite only";
  const mode_t old_umask = umask(0077);
  ASSERT_TRUE(store_->Backup(db_.dir().File("copy.db")).ok());
  struct stat st;
  ASSERT_EQ(stat(db_.dir().File("copy.db").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  umask(old_umask);
  // Never overwritten.
  EXPECT_EQ(store_->Backup(db_.dir().File("copy.db")).code(),
            absl::StatusCode::kAlreadyExists);
  // A symlink is not followed, not even a dangling one (which would make
  // the file where it points).
  ASSERT_EQ(symlink(db_.dir().File("elsewhere.db").c_str(),
                    db_.dir().File("link.db").c_str()),
            0);
  absl::Status linked = store_->Backup(db_.dir().File("link.db"));
  EXPECT_EQ(linked.code(), absl::StatusCode::kAlreadyExists) << linked;
  EXPECT_FALSE(std::filesystem::exists(db_.dir().File("elsewhere.db")));
  // A failed copy leaves nothing behind.
  EXPECT_FALSE(store_->Backup(db_.dir().File("missing/copy.db")).ok());
}

TEST_P(StoreTest, DeletedFileStopsWritesAndFailsTheCheck) {
  if (db_.postgres()) GTEST_SKIP() << "the database file: SQLite only";
  Create("2023-03-01");
  ASSERT_TRUE(sqlite()->CheckFile().ok());
  ASSERT_EQ(unlink(db_.location().c_str()), 0);
  auto [c, ev] = NewRecord("2023-03-02", "");
  auto refused = CreateCase(c, &ev);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(refused.status().message(),
              HasSubstr("the database file was deleted or replaced"));
  auto check = store_->CheckIntegrity();
  ASSERT_TRUE(check.ok()) << check.status();
  ASSERT_FALSE(check->problems.empty());
  EXPECT_THAT(check->problems[0].message, HasSubstr("deleted or replaced"));
}

}  // namespace
}  // namespace gongkai::storage

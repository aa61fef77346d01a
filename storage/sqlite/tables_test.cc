// The transaction contract of SqliteStore: what a failed body leaves, which
// thread runs a body, snapshots, the read caches, and the smaller tables.
#include <atomic>
#include <future>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/notification.h"
#include "common/dates.h"
#include "common/lang.h"
#include "common/status_macros.h"
#include "domain/lifecycle.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "storage/sqlite_store.h"
#include "storage/test_engines.h"
#include "storage/test_util.h"

namespace gongkai::storage {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Pair;

using Agencies = std::vector<std::pair<std::string, std::string>>;
using Periods = std::set<std::pair<int, std::string>>;
using PublishedMap = std::map<std::pair<int, std::string>, std::string>;
using EventsById = std::map<int64_t, std::vector<CaseEvent>>;

absl::CivilDay D(const char* s) { return *ParseDate(s); }
const absl::Time kAt = absl::FromUnixSeconds(1700000000);

std::pair<CaseRecord, CaseEvent> NewRecord(const std::string& applicant,
                                           const char* received = "2023-03-06",
                                           const std::string& agency = "") {
  NewCase n;
  n.received_on = D(received);
  n.applicant = applicant;
  n.request = "请求公开某文件";
  n.agency = agency;
  CaseEvent ev;
  CaseRecord c = *OpenCase(n, {"clerk", kAt, D("2023-11-15")}, &ev);
  return {c, ev};
}

RecordEvent Event(const std::string& kind, const std::string& subject = "") {
  return RecordEvent{kind, subject, "root", kAt};
}

// On every engine (test_engines.h); what is SQLite's own (group commit)
// is skipped on the others.
class TablesTest : public ::testing::TestWithParam<TestEngine> {
 protected:
  void SetUp() override {
    auto store = db_.Open();
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = *std::move(store);
  }
  SqliteStore* sqlite() { return dynamic_cast<SqliteStore*>(store_.get()); }

  template <typename T, typename Body>
  absl::StatusOr<T> R(Body body) {
    return ReadValue<T>(*store_, body);
  }
  template <typename T, typename Body>
  absl::StatusOr<T> W(Body body) {
    return WriteValue<T>(*store_, body);
  }
  absl::StatusOr<CaseRecord> Create(const std::string& applicant) {
    auto [c, ev] = NewRecord(applicant);
    return W<CaseRecord>([&](Tables& t) { return t.cases().Insert(c, &ev); });
  }
  int64_t Total() {
    return R<CasePage>([](Tables& t) { return t.cases().List({}); })->total;
  }

  TestDatabase db_{GetParam()};
  std::unique_ptr<Store> store_;
};

INSTANTIATE_TEST_SUITE_P(Engines, TablesTest,
                         ::testing::ValuesIn(TestEngines()), TestEngineName);

TEST_P(TablesTest, AFailedBodyLeavesNothing) {
  absl::Status s = store_->Write([&](Tables& t) -> absl::Status {
    auto [c, ev] = NewRecord("张三");
    ASSIGN_OR_RETURN(CaseRecord stored, t.cases().Insert(c, &ev));
    RETURN_IF_ERROR(t.audit().Append(Event("note", "x")));
    RETURN_IF_ERROR(t.agencies().Insert("psb", "公安局", Event("agency")));
    // The body sees its own writes...
    EXPECT_EQ(t.cases().Get(stored.case_no)->applicant, "张三");
    EXPECT_EQ(t.agencies().List()->size(), 1u);
    // ...then a rule refuses the whole change.
    return absl::FailedPreconditionError("refused");
  });
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(Total(), 0);
  auto events =
      R<EventsById>([](Tables& t) { return t.cases().EventsOf({1}); });
  EXPECT_TRUE(events->empty());
  auto table3 =
      R<Table3>([](Tables& t) { return t.cases().Table3Of(2023, {}); });
  EXPECT_EQ(*table3, Table3());
  EXPECT_TRUE(R<std::vector<AuditEntry>>([](Tables& t) {
                return t.audit().List(std::nullopt, "", 100, {});
              })->empty());
  EXPECT_TRUE(
      R<Agencies>([](Tables& t) { return t.agencies().List(); })->empty());
  // Not even the case number was used up.
  EXPECT_EQ(Create("李四")->case_no, "2023-0001");
  EXPECT_TRUE(R<std::vector<std::string>>([](Tables& t) {
                return t.audit().Verify();
              })->empty());
}

TEST_P(TablesTest, BodiesRunOnTheLeadersThreadWithTheirOwnCaptures) {
  if (sqlite() == nullptr) GTEST_SKIP() << "group commit: SQLite only";
  constexpr int kWriters = 8;
  std::promise<void> go;
  std::shared_future<void> started = go.get_future().share();
  std::atomic<bool> leader_in{false};
  std::vector<absl::StatusOr<CaseRecord>> results(kWriters);
  std::vector<std::thread::id> body_thread(kWriters), caller_thread(kWriters);
  std::vector<std::thread> threads;
  for (int i = 0; i < kWriters; ++i) {
    threads.emplace_back([&, i] {
      // Everything the body needs travels in its captures, never in the
      // thread it runs on.
      const std::string applicant = absl::StrCat("applicant-", i);
      caller_thread[i] = std::this_thread::get_id();
      if (i > 0) started.wait();
      results[i] = W<CaseRecord>([&, applicant](Tables& t) {
        body_thread[i] = std::this_thread::get_id();
        if (i == 0) {
          // Hold the connection until every other writer has queued, so
          // that they form one batch led by one of them.
          leader_in = true;
          go.set_value();
          while (sqlite()->WritesWaiting() < kWriters - 1) {
            std::this_thread::yield();
          }
        }
        auto [c, ev] = NewRecord(applicant);
        return t.cases().Insert(c, &ev);
      });
    });
  }
  for (auto& t : threads) t.join();
  int foreign = 0;
  std::set<std::string> numbers;
  for (int i = 0; i < kWriters; ++i) {
    ASSERT_TRUE(results[i].ok()) << results[i].status();
    EXPECT_EQ(results[i]->applicant, absl::StrCat("applicant-", i));
    numbers.insert(results[i]->case_no);
    auto stored = R<CaseRecord>(
        [&](Tables& t) { return t.cases().Get(results[i]->case_no); });
    EXPECT_EQ(stored->applicant, absl::StrCat("applicant-", i));
    if (body_thread[i] != caller_thread[i]) ++foreign;
  }
  EXPECT_EQ(numbers.size(), static_cast<size_t>(kWriters));
  // The queued writers' batch ran on one of them: all but its leader's
  // bodies ran on a thread that was not their caller's.
  EXPECT_EQ(foreign, kWriters - 2);
  EXPECT_EQ(sqlite()->WriteStats(),
            std::make_pair(int64_t{kWriters}, int64_t{2}));
}

TEST_P(TablesTest, ForEachOpenCaseVisitsEveryOpenCaseWithItsEvents) {
  ASSERT_TRUE(store_
                  ->Write([&](Tables& t) -> absl::Status {
                    for (int i = 0; i < 1205; ++i) {  // two pages
                      auto [c, ev] = NewRecord("甲");
                      RETURN_IF_ERROR(t.cases().Insert(c, &ev).status());
                    }
                    return absl::OkStatus();
                  })
                  .ok());
  // Close one.
  ASSERT_TRUE(store_
                  ->Write([&](Tables& t) -> absl::Status {
                    ASSIGN_OR_RETURN(CaseRecord before,
                                     t.cases().Get("2023-0007"));
                    CaseRecord after = before;
                    after.state = CaseState::kClosed;
                    after.answered_on = D("2023-04-01");
                    after.outcome = Outcome::kDisclosed;
                    ++after.version;
                    CaseEvent e{0, "answered", D("2023-04-01"), kAt, "a"};
                    return t.cases().Update(before, after, &e);
                  })
                  .ok());
  std::set<std::string> seen;
  absl::Status s = ForEachOpenCase(
      *store_, [&](const CaseRecord& c, const std::vector<CaseEvent>& events) {
        EXPECT_EQ(events.size(), 1u) << c.case_no;
        EXPECT_TRUE(seen.insert(c.case_no).second) << c.case_no;
        // The visitor may use the store: it runs outside the transaction.
        return store_->Read([](Tables&) { return absl::OkStatus(); });
      });
  ASSERT_TRUE(s.ok()) << s;
  EXPECT_EQ(seen.size(), 1204u);
  EXPECT_EQ(seen.count("2023-0007"), 0u);
  EXPECT_EQ(
      ForEachOpenCase(*store_,
                      [](const CaseRecord&, const std::vector<CaseEvent>&) {
                        return absl::CancelledError("stop");
                      })
          .code(),
      absl::StatusCode::kCancelled);
}

TEST_P(TablesTest, BackgroundReadsDoNotWaitForTheConnection) {
  ASSERT_TRUE(Create("甲").ok());
  // A write holds the store's connection (its body is running) while a
  // background read runs: it must finish, on its own connection, and see
  // what was committed, not the write in progress.
  absl::Notification in_write, read_done;
  std::thread writer([&] {
    absl::Status s = store_->Write([&](Tables& t) -> absl::Status {
      auto [c, ev] = NewRecord("乙");
      RETURN_IF_ERROR(t.cases().Insert(c, &ev).status());
      in_write.Notify();
      read_done.WaitForNotification();
      return absl::OkStatus();
    });
    EXPECT_TRUE(s.ok()) << s;
  });
  in_write.WaitForNotification();
  int64_t seen = -1;
  absl::Status read = store_->ReadInBackground([&](Tables& t) -> absl::Status {
    ASSIGN_OR_RETURN(CasePage page, t.cases().List({}));
    seen = static_cast<int64_t>(page.cases.size());
    return absl::OkStatus();
  });
  read_done.Notify();
  writer.join();
  ASSERT_TRUE(read.ok()) << read;
  EXPECT_EQ(seen, 1);
  // Once committed, the next background read sees it.
  ASSERT_TRUE(store_
                  ->ReadInBackground([&](Tables& t) -> absl::Status {
                    ASSIGN_OR_RETURN(CasePage page, t.cases().List({}));
                    seen = static_cast<int64_t>(page.cases.size());
                    return absl::OkStatus();
                  })
                  .ok());
  EXPECT_EQ(seen, 2);
}

TEST_P(TablesTest, ReadIsAConsistentSnapshot) {
  ASSERT_TRUE(Create("甲").ok());
  auto other = db_.Open();
  ASSERT_TRUE(other.ok()) << other.status();
  absl::Status s = store_->Read([&](Tables& t) -> absl::Status {
    ASSIGN_OR_RETURN(CasePage before, t.cases().List({}));
    // Another connection commits a case in the middle of the read.
    auto [c, ev] = NewRecord("乙");
    absl::StatusOr<CaseRecord> added = WriteValue<CaseRecord>(
        **other, [&](Tables& o) { return o.cases().Insert(c, &ev); });
    EXPECT_TRUE(added.ok()) << added.status();
    ASSIGN_OR_RETURN(CasePage after, t.cases().List({}));
    EXPECT_EQ(before.total, 1);
    EXPECT_EQ(after.total, 1);
    EXPECT_TRUE(absl::IsNotFound(t.cases().Get("2023-0002").status()));
    return absl::OkStatus();
  });
  ASSERT_TRUE(s.ok()) << s;
  EXPECT_EQ(Total(), 2);  // the next read sees it
}

TEST_P(TablesTest, AReadBodyCannotWrite) {
  absl::Status s = store_->Read([&](Tables& t) -> absl::Status {
    auto [c, ev] = NewRecord("甲");
    return t.cases().Insert(c, &ev).status();
  });
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(MessageIn(s, Lang::kEn), HasSubstr("write transaction"));
  EXPECT_EQ(Total(), 0);
}

TEST_P(TablesTest, AUserAddedByAnotherProcessIsFound) {
  ASSERT_TRUE(W<UserRecord>([](Tables& t) {
                return t.users().Insert("ana", "clerk", "*", "h1",
                                        Event("user_created"));
              }).ok());
  // The running daemon has looked users up (and cached them).
  ASSERT_TRUE(R<UserRecord>([](Tables& t) {
                return t.users().FindByTokenHash("h1");
              }).ok());
  EXPECT_TRUE(absl::IsNotFound(R<UserRecord>([](Tables& t) {
                                 return t.users().FindByTokenHash("h2");
                               }).status()));
  {
    // gongkaid --create-admin, run against the same file.
    auto admin_tool = db_.Open();
    ASSERT_TRUE(admin_tool.ok()) << admin_tool.status();
    ASSERT_TRUE(WriteValue<UserRecord>(**admin_tool, [](Tables& t) {
                  return t.users().Insert("root", "admin", "*", "h2",
                                          Event("user_created"));
                }).ok());
  }
  auto root =
      R<UserRecord>([](Tables& t) { return t.users().FindByTokenHash("h2"); });
  ASSERT_TRUE(root.ok()) << root.status();
  EXPECT_EQ(root->name, "root");
  EXPECT_EQ(root->role, "admin");
  EXPECT_EQ(R<UserRecord>([](Tables& t) {
              return t.users().FindByTokenHash("h1");
            })->name,
            "ana");
}

TEST_P(TablesTest, CachesNeverKeepWhatARolledBackWriteRead) {
  // Prime the caches, so that a stale entry would be served.
  ASSERT_TRUE(
      R<UserRecord>([](Tables& t) { return t.users().FindByTokenHash("x"); })
          .status()
          .code() == absl::StatusCode::kNotFound);
  ASSERT_TRUE(R<Periods>([](Tables& t) {
                return t.reports().PublishedPeriods();
              })->empty());
  absl::Status s = store_->Write([&](Tables& t) -> absl::Status {
    RETURN_IF_ERROR(
        t.users().Insert("bob", "clerk", "*", "hb", Event("user")).status());
    RETURN_IF_ERROR(t.agencies().Insert("edu", "教育局", Event("agency")));
    RETURN_IF_ERROR(t.reports().Publish(2023, "", "{}", Event("publish")));
    // Read back inside the write: the tables themselves, not the caches.
    EXPECT_EQ(t.users().FindByTokenHash("hb")->name, "bob");
    EXPECT_EQ(t.agencies().List()->size(), 1u);
    EXPECT_EQ(t.reports().PublishedPeriods()->size(), 1u);
    EXPECT_EQ(t.reports().Published()->size(), 1u);
    return absl::AbortedError("rolled back");
  });
  ASSERT_EQ(s.code(), absl::StatusCode::kAborted);
  EXPECT_TRUE(absl::IsNotFound(R<UserRecord>([](Tables& t) {
                                 return t.users().FindByTokenHash("hb");
                               }).status()));
  EXPECT_TRUE(
      R<Agencies>([](Tables& t) { return t.agencies().List(); })->empty());
  EXPECT_TRUE(R<Periods>([](Tables& t) {
                return t.reports().PublishedPeriods();
              })->empty());

  // Committed: every later read sees it, cached or not.
  ASSERT_TRUE(store_
                  ->Write([&](Tables& t) {
                    return t.reports().Publish(2023, "", "{\"a\":1}",
                                               Event("publish"));
                  })
                  .ok());
  EXPECT_THAT(
      *R<Periods>([](Tables& t) { return t.reports().PublishedPeriods(); }),
      ElementsAre(Pair(2023, "")));
  EXPECT_EQ(R<PublishedMap>([](Tables& t) {
              return t.reports().Published();
            })->at({2023, ""}),
            "{\"a\":1}");
  absl::Status again = store_->Write([&](Tables& t) {
    return t.reports().Publish(2023, "", "{}", Event("publish"));
  });
  EXPECT_EQ(again.code(), absl::StatusCode::kAlreadyExists);
  EXPECT_THAT(MessageIn(again, Lang::kEn), HasSubstr("already published"));
}

TEST_P(TablesTest, AgenciesAreListedByCodeAndUnique) {
  for (const char* code : {"psb", "edu"}) {
    ASSERT_TRUE(store_
                    ->Write([&](Tables& t) {
                      return t.agencies().Insert(code, code, Event("agency"));
                    })
                    .ok());
  }
  auto list = R<Agencies>([](Tables& t) { return t.agencies().List(); });
  EXPECT_THAT(*list, ElementsAre(Pair("edu", "edu"), Pair("psb", "psb")));
  EXPECT_EQ(store_
                ->Write([&](Tables& t) {
                  return t.agencies().Insert("psb", "x", Event("agency"));
                })
                .code(),
            absl::StatusCode::kAlreadyExists);
}

TEST_P(TablesTest, AppealsCarryTheirCasesAgencyAndAreAudited) {
  auto [c, ev] = NewRecord("甲", "2023-03-06", "psb");
  ASSERT_TRUE(
      W<CaseRecord>([&](Tables& t) { return t.cases().Insert(c, &ev); }).ok());
  AppealRecord a;
  a.case_no = "2023-0001";
  a.kind = AppealKind::kReconsideration;
  a.filed_on = D("2023-05-01");
  auto filed = W<AppealRecord>(
      [&](Tables& t) { return t.appeals().Insert(a, Event("appeal_filed")); });
  ASSERT_TRUE(filed.ok()) << filed.status();
  EXPECT_EQ(filed->id, 1);
  EXPECT_EQ(filed->agency, "psb");
  a.case_no = "nope";
  EXPECT_TRUE(absl::IsNotFound(W<AppealRecord>([&](Tables& t) {
                                 return t.appeals().Insert(
                                     a, Event("appeal_filed"));
                               }).status()));

  AppealRecord decided = *filed;
  decided.result = AppealResult::kCorrected;
  decided.decided_on = D("2024-02-01");
  ASSERT_TRUE(store_
                  ->Write([&](Tables& t) {
                    return t.appeals().Update(
                        decided, Event("appeal_decided", "appeal 1"));
                  })
                  .ok());
  auto got = R<AppealRecord>([](Tables& t) { return t.appeals().Get(1); });
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->decided_on, D("2024-02-01"));
  EXPECT_EQ(got->result, AppealResult::kCorrected);
  // Pending through 2023, decided in 2024: listed for both, not for 2025.
  for (int year : {2023, 2024}) {
    EXPECT_EQ(R<std::vector<AppealRecord>>([&](Tables& t) {
                return t.appeals().List(year, {"psb"});
              })->size(),
              1u)
        << year;
  }
  EXPECT_TRUE(R<std::vector<AppealRecord>>([](Tables& t) {
                return t.appeals().List(2025, {});
              })->empty());
  EXPECT_TRUE(R<std::vector<AppealRecord>>([](Tables& t) {
                return t.appeals().List(0, {"edu"});
              })->empty());
  decided.id = 99;
  EXPECT_TRUE(absl::IsNotFound(store_->Write([&](Tables& t) {
    return t.appeals().Update(decided, Event("appeal_decided"));
  })));
  auto audit = R<std::vector<AuditEntry>>(
      [](Tables& t) { return t.audit().List(std::nullopt, "root", 100, {}); });
  ASSERT_EQ(audit->size(), 2u);
  EXPECT_EQ((*audit)[0].subject, "appeal 1");  // set by Insert
}

TEST_P(TablesTest, ProactiveFiguresAddUpAcrossAgencies) {
  ProactiveItem item = AllProactiveItems()[0].item;
  for (const char* agency : {"psb", "edu"}) {
    ProactiveRow row;
    row.issued = 2;
    row.in_force = 5;
    ASSERT_TRUE(store_
                    ->Write([&](Tables& t) {
                      return t.reports().SetProactive(2023, agency, item, row,
                                                      Event("table2"));
                    })
                    .ok());
  }
  using Rows = std::array<ProactiveRow, kProactiveItemCount>;
  auto all =
      R<Rows>([&](Tables& t) { return t.reports().GetProactive(2023, {}); });
  EXPECT_EQ((*all)[static_cast<int>(item) - 1].issued, 4);
  EXPECT_EQ((*all)[static_cast<int>(item) - 1].in_force, 10);
  auto psb = R<Rows>(
      [&](Tables& t) { return t.reports().GetProactive(2023, {"psb"}); });
  EXPECT_EQ((*psb)[static_cast<int>(item) - 1].issued, 2);
}

}  // namespace
}  // namespace gongkai::storage

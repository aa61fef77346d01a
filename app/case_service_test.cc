// The case use cases against a temporary SQLite file with a fixed "today":
// agencies never cross, every check runs inside the write, a refused request
// changes nothing — also when many callers write at once and group commit
// runs their bodies on one another's threads.
#include "app/case_service.h"

#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "app/due_date.h"
#include "common/lang.h"
#include "common/status_macros.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "storage/sqlite_store.h"
#include "storage/test_util.h"

namespace gongkai::app {
namespace {

using ::testing::HasSubstr;

constexpr absl::CivilDay kToday(2026, 6, 30);

class CaseServiceTest : public ::testing::Test {
 protected:
  CaseServiceTest() : calendar_(WorkCalendar::Official()), time_(kToday) {
    store_ = *storage::SqliteStore::Open(dir_.File("t.db"));
    env_.store = store_.get();
    env_.calendar = &calendar_;
    env_.time = &time_;
    env_.require_auth = true;
    service_ = std::make_unique<CaseService>(env_);
    AddAgency("A", "甲局");
    AddAgency("B", "乙局");
    clerk_a_ = AddUser("clerk-a", Role::kClerk, "A");
    clerk_b_ = AddUser("clerk-b", Role::kClerk, "B");
    head_ = AddUser("head", Role::kHead, "*");
  }

  void AddAgency(const std::string& code, const std::string& name) {
    ASSERT_TRUE(store_
                    ->Write([&](storage::Tables& t) {
                      return t.agencies().Insert(
                          code, name, {"agency_added", code, "test", Now()});
                    })
                    .ok());
  }

  Caller AddUser(const std::string& name, Role role,
                 const std::string& agencies) {
    absl::Status s = store_->Write([&](storage::Tables& t) -> absl::Status {
      return t.users()
          .Insert(name, std::string(RoleCode(role)), agencies,
                  absl::StrCat("hash-of-", name),
                  {"user_added", name, "test", Now()})
          .status();
    });
    EXPECT_TRUE(s.ok()) << s;
    return Caller{name, role, ParseAgencyList(agencies)};
  }

  NewCase Request(const std::string& agency,
                  absl::CivilDay received = absl::CivilDay(2026, 6, 1)) {
    NewCase c;
    c.agency = agency;
    c.received_on = received;
    c.channel = Channel::kOnline;
    c.applicant_type = ApplicantType::kNaturalPerson;
    c.applicant = "张三";
    c.id_number = "110101199001011234";
    c.request = "2025年度部门预算";
    return c;
  }

  std::vector<CaseEvent> EventsOf(const std::string& case_no) {
    auto events = storage::ReadValue<std::vector<CaseEvent>>(
        *store_,
        [&](storage::Tables& t) -> absl::StatusOr<std::vector<CaseEvent>> {
          ASSIGN_OR_RETURN(CaseRecord c, t.cases().Get(case_no));
          return t.cases().Events(c.id);
        });
    EXPECT_TRUE(events.ok()) << events.status();
    return events.ok() ? *events : std::vector<CaseEvent>{};
  }

  static absl::Time Now() {
    return absl::FromCivil(kToday, absl::UTCTimeZone());
  }

  storage::TempDir dir_;
  std::unique_ptr<storage::SqliteStore> store_;
  CalendarHolder calendar_;
  TimeSource time_;
  Environment env_;
  std::unique_ptr<CaseService> service_;
  Caller clerk_a_, clerk_b_, head_;
};

TEST_F(CaseServiceTest, CreateTakesTheCallersOnlyAgencyAndRecordsTheActor) {
  absl::StatusOr<CaseView> v = service_->Create(clerk_a_, Request(""));
  ASSERT_TRUE(v.ok()) << v.status();
  EXPECT_EQ(v->record.agency, "A");
  ASSERT_EQ(v->events.size(), 1u);
  EXPECT_EQ(v->events[0].actor, "clerk-a");
  EXPECT_TRUE(v->clocks.ok());
  EXPECT_TRUE(v->working_days_left.has_value());
}

TEST_F(CaseServiceTest, NobodyLogsARequestForAnotherAgency) {
  // Another agency is named exactly like one that does not exist.
  absl::StatusOr<CaseView> v = service_->Create(clerk_a_, Request("B"));
  absl::StatusOr<CaseView> missing = service_->Create(clerk_a_, Request("Z"));
  EXPECT_EQ(v.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(MessageIn(v.status(), Lang::kEn),
              HasSubstr("unknown agency 'B'"));
  EXPECT_EQ(v.status().code(), missing.status().code());
  EXPECT_EQ(std::string(v.status().message()),
            absl::StrReplaceAll(missing.status().message(), {{"“Z”", "“B”"}}));
  EXPECT_EQ(MessageIn(v.status(), Lang::kEn),
            absl::StrReplaceAll(MessageIn(missing.status(), Lang::kEn),
                                {{"'Z'", "'B'"}}));
}

TEST_F(CaseServiceTest, AnotherAgencysCaseLooksMissingAndStaysUnchanged) {
  CaseView b = *service_->Create(clerk_b_, Request("B"));
  const std::string no = b.record.case_no;
  absl::StatusOr<CaseView> w =
      service_->Withdraw(clerk_a_, no, kToday, "不需要了");
  EXPECT_EQ(w.status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(MessageIn(w.status(), Lang::kEn),
            absl::StrCat("no case numbered '", no, "'"));
  EXPECT_EQ(service_->Get(clerk_a_, no).status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(EventsOf(no).size(), 1u);
  EXPECT_TRUE(service_->Withdraw(clerk_b_, no, kToday, "").ok());
}

TEST_F(CaseServiceTest, ListingShowsOnlyTheCallersAgencies) {
  ASSERT_TRUE(service_->Create(clerk_a_, Request("A")).ok());
  ASSERT_TRUE(service_->Create(clerk_b_, Request("B")).ok());
  storage::CaseQuery query;
  query.agencies = {"A", "B"};  // asking for B changes nothing
  absl::StatusOr<CaseListing> list = service_->List(clerk_a_, query);
  ASSERT_TRUE(list.ok()) << list.status();
  ASSERT_EQ(list->cases.size(), 1u);
  EXPECT_EQ(list->cases[0].record.agency, "A");
  EXPECT_EQ(service_->List(head_, {})->cases.size(), 2u);
}

TEST_F(CaseServiceTest, ARoleThatMayNotActIsRefusedInsideTheWrite) {
  CaseView a = *service_->Create(clerk_a_, Request("A"));
  AnswerInput answer{kToday, Outcome::kDisclosed, ""};
  absl::StatusOr<CaseView> v =
      service_->Answer(clerk_a_, a.record.case_no, answer);
  EXPECT_EQ(v.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(EventsOf(a.record.case_no).size(), 1u);
}

TEST_F(CaseServiceTest, AUserDisabledAfterSigningInCanNoLongerWrite) {
  CaseView a = *service_->Create(clerk_a_, Request("A"));
  ASSERT_TRUE(store_
                  ->Write([&](storage::Tables& t) {
                    return t.users().SetDisabled(
                        "clerk-a", true,
                        {"user_disabled", "clerk-a", "head", Now()});
                  })
                  .ok());
  absl::StatusOr<CaseView> w =
      service_->Withdraw(clerk_a_, a.record.case_no, kToday, "");
  EXPECT_EQ(w.status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(EventsOf(a.record.case_no).size(), 1u);
}

TEST_F(CaseServiceTest, APublishedYearIsLockedUnlessTheHeadForcesIt) {
  ASSERT_TRUE(store_
                  ->Write([&](storage::Tables& t) {
                    return t.reports().Publish(
                        2025, "A", "{}",
                        {"report_published", "report 2025 A", "head", Now()});
                  })
                  .ok());
  NewCase late = Request("A", absl::CivilDay(2025, 12, 30));
  absl::StatusOr<CaseView> v = service_->Create(clerk_a_, late);
  EXPECT_EQ(v.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(MessageIn(v.status(), Lang::kEn),
              HasSubstr("2025 report is published"));
  // Agency B's report of 2025 is not published: its records stay open.
  EXPECT_TRUE(service_->Create(clerk_b_, Request("B", late.received_on)).ok());
  EXPECT_EQ(service_->Create(clerk_a_, late, {"补录"}).status().code(),
            absl::StatusCode::kPermissionDenied);
  absl::StatusOr<CaseView> forced = service_->Create(head_, late, {"补录"});
  ASSERT_TRUE(forced.ok()) << forced.status();
  const Json* reason = forced->events[0].details.Find("forced");
  ASSERT_NE(reason, nullptr);
  EXPECT_EQ(reason->as_string(), "补录");
}

TEST_F(CaseServiceTest, RevealIsForRolesThatMayAndIsAudited) {
  CaseView a = *service_->Create(clerk_a_, Request("A"));
  EXPECT_EQ(service_->Get(clerk_a_, a.record.case_no, true).status().code(),
            absl::StatusCode::kPermissionDenied);
  absl::StatusOr<CaseView> shown = service_->Get(head_, a.record.case_no, true);
  ASSERT_TRUE(shown.ok()) << shown.status();
  EXPECT_EQ(shown->record.id_number, "110101199001011234");
  auto audit = storage::ReadValue<std::vector<storage::AuditEntry>>(
      *store_, [&](storage::Tables& t) {
        return t.audit().List(std::nullopt, "head", 100, {});
      });
  ASSERT_TRUE(audit.ok()) << audit.status();
  bool revealed = false;
  for (const auto& e : *audit) revealed |= e.kind == "personal_data_revealed";
  EXPECT_TRUE(revealed);
}

TEST_F(CaseServiceTest, CasesGoOnlyToActiveHandlersOfTheirAgency) {
  AddUser("handler-b", Role::kHandler, "B");
  AddUser("handler-a", Role::kHandler, "A");
  CaseView a = *service_->Create(clerk_a_, Request("A"));
  EXPECT_EQ(
      service_->Assign(head_, a.record.case_no, "handler-b").status().code(),
      absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(
      service_->Assign(head_, a.record.case_no, "clerk-a").status().code(),
      absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(service_->Assign(head_, a.record.case_no, "nobody").status().code(),
            absl::StatusCode::kNotFound);
  absl::StatusOr<CaseView> v =
      service_->Assign(head_, a.record.case_no, "handler-a");
  ASSERT_TRUE(v.ok()) << v.status();
  EXPECT_EQ(v->record.assignee, "handler-a");
  EXPECT_EQ(v->events.back().actor, "head");
}

TEST_F(CaseServiceTest, AnIllegalStepCitesTheLawAndChangesNothing) {
  CaseView a = *service_->Create(clerk_a_, Request("A"));
  ASSERT_TRUE(service_->Withdraw(clerk_a_, a.record.case_no, kToday, "").ok());
  absl::StatusOr<CaseView> again =
      service_->Withdraw(clerk_a_, a.record.case_no, kToday, "");
  EXPECT_EQ(again.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(EventsOf(a.record.case_no).size(), 2u);
}

// The attack from the issue: A's clerk withdraws B's cases while B's clerk
// withdraws its own and others create, all at once. Group commit runs many
// of these bodies on one leader thread; each must judge its own caller.
TEST_F(CaseServiceTest, ConcurrentWritersNeverCrossAgencies) {
  constexpr int kCases = 30;
  std::vector<std::string> b_cases;
  for (int i = 0; i < kCases; ++i) {
    b_cases.push_back(service_->Create(clerk_b_, Request("B"))->record.case_no);
  }
  std::atomic<int> crossed{0}, refused_own{0}, b_done{0}, a_created{0};
  std::vector<std::thread> threads;
  for (int round = 0; round < 3; ++round) {
    for (int i = 0; i < kCases; ++i) {
      const std::string no = b_cases[i];
      threads.emplace_back([&, no] {
        if (service_->Withdraw(clerk_a_, no, kToday, "attack").ok()) ++crossed;
      });
      threads.emplace_back([&, no, round] {
        if (round != 0) return;
        if (service_->Withdraw(clerk_b_, no, kToday, "").ok()) {
          ++b_done;
        } else {
          ++refused_own;
        }
      });
      threads.emplace_back([&] {
        if (service_->Create(clerk_a_, Request("A")).ok()) ++a_created;
      });
    }
    for (std::thread& t : threads) t.join();
    threads.clear();
  }
  EXPECT_EQ(crossed, 0);
  EXPECT_EQ(refused_own, 0);
  EXPECT_EQ(b_done, kCases);
  EXPECT_EQ(a_created, 3 * kCases);
  for (const std::string& no : b_cases) {
    for (const CaseEvent& e : EventsOf(no)) EXPECT_EQ(e.actor, "clerk-b") << no;
  }
  absl::StatusOr<CaseListing> a_list =
      service_->List(clerk_a_, {.limit = 1000});
  ASSERT_TRUE(a_list.ok());
  for (const CaseView& v : a_list->cases) {
    EXPECT_EQ(v.record.agency, "A");
    for (const CaseEvent& e : v.events) EXPECT_EQ(e.actor, "clerk-a");
  }
}

// Amendments and reopenings (issue 13): the year's table follows, the
// period lock guards both years, the roles are those of the matrix.

TEST_F(CaseServiceTest, AWrongOutcomeReopenedAndAnsweredAgainMovesTable3) {
  Caller handler = AddUser("handler-a", Role::kHandler, "A");
  CaseView a = *service_->Create(clerk_a_, Request("A"));
  const std::string no = a.record.case_no;
  ASSERT_TRUE(
      service_
          ->Answer(handler, no,
                   {absl::CivilDay(2026, 6, 10), Outcome::kDisclosed, ""})
          .ok());
  auto row = [&](Outcome o) {
    auto t = storage::ReadValue<Table3>(*store_, [](storage::Tables& t) {
      return t.cases().Table3Of(2026, {"A"});
    });
    EXPECT_TRUE(t.ok()) << t.status();
    return t->outcomes[static_cast<int>(o) - 1].total();
  };
  EXPECT_EQ(row(Outcome::kDisclosed), 1);
  // A clerk may correct intake fields, not reopen.
  EXPECT_EQ(service_->Reopen(clerk_a_, no, "错").status().code(),
            absl::StatusCode::kPermissionDenied);
  absl::StatusOr<CaseView> reopened =
      service_->Reopen(handler, no, "办理结果登记错误");
  ASSERT_TRUE(reopened.ok()) << reopened.status();
  EXPECT_EQ(reopened->record.state, CaseState::kOpen);
  EXPECT_EQ(reopened->events.back().details.Find("state_after")->as_string(),
            "open");
  EXPECT_EQ(row(Outcome::kDisclosed), 0);
  EXPECT_TRUE(reopened->clocks.ok());
  EXPECT_TRUE(reopened->working_days_left.has_value());
  ASSERT_TRUE(service_
                  ->Answer(handler, no,
                           {absl::CivilDay(2026, 6, 10),
                            Outcome::kPartiallyDisclosed, ""})
                  .ok());
  EXPECT_EQ(row(Outcome::kDisclosed), 0);
  EXPECT_EQ(row(Outcome::kPartiallyDisclosed), 1);
  EXPECT_EQ(EventsOf(no).size(), 4u);  // received, answered, reopened, answered
}

TEST_F(CaseServiceTest, AReceiptDateAmendedAcrossTheYearMovesBothYears) {
  CaseView a =
      *service_->Create(clerk_a_, Request("A", absl::CivilDay(2026, 1, 5)));
  const std::string no = a.record.case_no;
  auto new_requests = [&](int year) {
    auto t = storage::ReadValue<Table3>(*store_, [&](storage::Tables& t) {
      return t.cases().Table3Of(year, {"A"});
    });
    EXPECT_TRUE(t.ok()) << t.status();
    return t->new_requests.total();
  };
  EXPECT_EQ(new_requests(2026), 1);
  AmendInput in;
  in.reason = "收件登记日期录错";
  in.received_on = absl::CivilDay(2025, 12, 31);
  in.applicant_type = ApplicantType::kCommercialEnterprise;
  absl::StatusOr<CaseView> v = service_->Amend(clerk_a_, no, in);
  ASSERT_TRUE(v.ok()) << v.status();
  EXPECT_EQ(v->record.received_on, absl::CivilDay(2025, 12, 31));
  EXPECT_EQ(v->clocks->received_on, absl::CivilDay(2025, 12, 31));
  EXPECT_EQ(new_requests(2026), 0);
  EXPECT_EQ(new_requests(2025), 1);
  // The 2025 report is published: moving the case back into 2026 would
  // alter it, so it is refused unless the head forces it; 2026 counts too.
  ASSERT_TRUE(store_
                  ->Write([&](storage::Tables& t) {
                    return t.reports().Publish(
                        2025, "A", "{}",
                        {"report_published", "report 2025 A", "head", Now()});
                  })
                  .ok());
  in.received_on = absl::CivilDay(2026, 1, 5);
  in.applicant_type.reset();
  absl::StatusOr<CaseView> locked = service_->Amend(clerk_a_, no, in);
  EXPECT_EQ(locked.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(locked.status().message(), HasSubstr("2025"));
  EXPECT_EQ(EventsOf(no).size(), 2u);
  absl::StatusOr<CaseView> forced =
      service_->Amend(head_, no, in, {"原登记日期有误，经主任批准"});
  ASSERT_TRUE(forced.ok()) << forced.status();
  EXPECT_EQ(forced->events.back().details.Find("forced")->as_string(),
            "原登记日期有误，经主任批准");
  EXPECT_EQ(new_requests(2025), 0);
  EXPECT_EQ(new_requests(2026), 1);
}

TEST_F(CaseServiceTest, AnAmendmentThatChangesNothingWritesNothing) {
  CaseView a = *service_->Create(clerk_a_, Request("A"));
  AmendInput in;
  in.reason = "核对";
  in.applicant = "张三";
  in.channel = Channel::kOnline;
  absl::StatusOr<CaseView> v = service_->Amend(clerk_a_, a.record.case_no, in);
  EXPECT_EQ(v.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(EventsOf(a.record.case_no).size(), 1u);
  // The identity number is kept masked in the history, unmasked in the row.
  in.id_number = "110101199001011239";
  v = service_->Amend(clerk_a_, a.record.case_no, in);
  ASSERT_TRUE(v.ok()) << v.status();
  EXPECT_EQ(v->record.id_number, "110101199001011239");
  EXPECT_THAT(v->events.back().details.Dump(),
              ::testing::Not(HasSubstr("199001011239")));
  auto report = store_->CheckIntegrity();
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_TRUE(report->problems.empty()) << report->problems[0].field;
}

// --- Finding cases: the deadline kept for listing, search, confinement ---

class CaseSearchServiceTest : public CaseServiceTest {};

TEST_F(CaseSearchServiceTest, TheDeadlineKeptFollowsEveryWrite) {
  CaseView v = *service_->Create(clerk_a_, Request("A"));
  ASSERT_TRUE(v.clocks.ok());
  ASSERT_TRUE(v.clocks->reply_due.has_value());
  EXPECT_EQ(v.record.due_on, v.clocks->reply_due);
  // A consultation pauses the period: the deadline kept is the one that
  // holds if the party never replies, later than before.
  ConsultationInput consult{absl::CivilDay(2026, 6, 10), "某公司", false,
                            absl::CivilDay(2026, 6, 10)};
  absl::StatusOr<CaseView> paused =
      service_->StartConsultation(head_, v.record.case_no, consult);
  ASSERT_TRUE(paused.ok()) << paused.status();
  ASSERT_TRUE(paused->record.due_on.has_value());
  EXPECT_GT(*paused->record.due_on, *v.record.due_on);
  // Closed: nothing kept (closed cases are never overdue).
  absl::StatusOr<CaseView> closed = service_->Answer(
      head_, v.record.case_no, {kToday, Outcome::kDisclosed, ""});
  ASSERT_TRUE(closed.ok()) << closed.status();
  EXPECT_FALSE(closed->record.due_on.has_value());
  auto stored = storage::ReadValue<CaseRecord>(
      *store_,
      [&](storage::Tables& t) { return t.cases().Get(v.record.case_no); });
  ASSERT_TRUE(stored.ok());
  EXPECT_FALSE(stored->due_on.has_value());
}

TEST_F(CaseSearchServiceTest, OverdueListsOpenCasesPastTheirDeadlineToday) {
  const std::string late =
      service_->Create(clerk_a_, Request("A", absl::CivilDay(2026, 5, 4)))
          ->record.case_no;
  const std::string answered =
      service_->Create(clerk_a_, Request("A", absl::CivilDay(2026, 5, 4)))
          ->record.case_no;
  ASSERT_TRUE(
      service_
          ->Answer(head_, answered,
                   {absl::CivilDay(2026, 6, 20), Outcome::kDisclosed, ""})
          .ok());
  ASSERT_TRUE(service_->Create(clerk_a_, Request("A")).ok());  // in time
  storage::CaseQuery q;
  q.overdue_on = kToday;
  absl::StatusOr<CaseListing> list = service_->List(head_, q);
  ASSERT_TRUE(list.ok()) << list.status();
  ASSERT_EQ(list->cases.size(), 1u);
  EXPECT_EQ(list->cases[0].record.case_no, late);
  ASSERT_TRUE(list->cases[0].working_days_left.has_value());
  EXPECT_LT(*list->cases[0].working_days_left, 0);
}

TEST_F(CaseSearchServiceTest, RefreshWorksOutDeadlinesOfCasesStoredWithout) {
  CaseView v = *service_->Create(clerk_a_, Request("A"));
  ASSERT_TRUE(store_
                  ->Write([&](storage::Tables& t) {
                    return t.cases().SetDueDates(
                        {{v.record.id, v.record.version, std::nullopt}});
                  })
                  .ok());
  absl::StatusOr<int64_t> n = RefreshDueDates(env_);
  ASSERT_TRUE(n.ok()) << n.status();
  EXPECT_EQ(*n, 1);
  auto stored = storage::ReadValue<CaseRecord>(
      *store_,
      [&](storage::Tables& t) { return t.cases().Get(v.record.case_no); });
  EXPECT_EQ(stored->due_on, v.clocks->reply_due);
  EXPECT_EQ(*RefreshDueDates(env_), 0);  // nothing left to change
}

TEST_F(CaseSearchServiceTest, SearchSeesOnlyTheCallersAgencies) {
  NewCase a = Request("A");
  a.applicant = "王五";
  NewCase b = Request("B");
  b.applicant = "王五";
  ASSERT_TRUE(service_->Create(clerk_a_, a).ok());
  ASSERT_TRUE(service_->Create(clerk_b_, b).ok());
  storage::CaseQuery q;
  q.search = "王五";
  q.sort = storage::CaseSort::kDue;
  absl::StatusOr<CaseListing> mine = service_->List(clerk_a_, q);
  ASSERT_TRUE(mine.ok()) << mine.status();
  ASSERT_EQ(mine->cases.size(), 1u);
  EXPECT_EQ(mine->total, 1);
  EXPECT_EQ(mine->cases[0].record.agency, "A");
  EXPECT_EQ(service_->List(head_, q)->cases.size(), 2u);
}

}  // namespace
}  // namespace gongkai::app

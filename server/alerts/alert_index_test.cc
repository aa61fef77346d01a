#include "server/alerts/alert_index.h"

#include <chrono>
#include <future>
#include <random>

#include "absl/strings/str_cat.h"
#include "common/dates.h"
#include "common/status_macros.h"
#include "domain/test_history.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/alerts/alert_engine.h"
#include "storage/sqlite_store.h"
#include "storage/test_util.h"

namespace gongkai::alerts {
namespace {

std::string Line(const Alert& a) {
  return absl::StrCat(a.key, " ", a.kind, " ", a.case_no, " ", a.clock_id, " ",
                      FormatDate(a.due_on), " ", a.working_days_left, " ",
                      a.message, " ", a.assignee, " ", a.agency);
}

std::vector<std::string> Lines(const std::vector<Alert>& alerts) {
  std::vector<std::string> out;
  for (const Alert& a : alerts) out.push_back(Line(a));
  return out;
}

std::set<std::string> Keys(const std::vector<Alert>& alerts) {
  std::set<std::string> out;
  for (const Alert& a : alerts) out.insert(a.key);
  return out;
}

class AlertIndexTest : public ::testing::Test {
 protected:
  AlertIndexTest()
      : calendar_(WorkCalendar::Official()), time_(absl::CivilDay(2025, 1, 1)) {
    store_ = *storage::SqliteStore::Open(dir_.File("a.db"));
    env_.store = store_.get();
    env_.calendar = &calendar_;
    env_.time = &time_;
  }

  // A random history: receipt, then a few of the events that move clocks.
  // A random history (as storage holds it: with the time and actor).
  std::vector<CaseEvent> RandomEvents(absl::CivilDay received) {
    std::vector<CaseEvent> events =
        RandomHistory(rng_, received, /*may_close=*/false).events();
    for (CaseEvent& e : events) {
      e.recorded_at = absl::Now();
      e.actor = "test";
    }
    return events;
  }

  std::vector<CaseEvent> EventsOf(int64_t case_id) {
    auto events = storage::ReadValue<std::vector<CaseEvent>>(
        *store_, [&](storage::Tables& t) { return t.cases().Events(case_id); });
    EXPECT_TRUE(events.ok()) << events.status();
    return events.ok() ? *events : std::vector<CaseEvent>{};
  }

  // Writes one event (`kind`, on `on` or the receipt) as a transition would:
  // the version moves on, and the handler becomes "v<version>"; "answered"
  // closes the case.
  CaseRecord Write(const std::string& no, const char* kind, absl::CivilDay on) {
    auto updated = storage::WriteValue<CaseRecord>(
        *store_, [&](storage::Tables& t) -> absl::StatusOr<CaseRecord> {
          ASSIGN_OR_RETURN(const CaseRecord before, t.cases().Get(no));
          CaseRecord c = before;
          CaseEvent e;
          e.kind = kind;
          e.effective_on = std::max(on, c.received_on);
          e.recorded_at = absl::Now();
          e.actor = "test";
          e.details.Set("days", int64_t{20});
          if (e.kind == "answered") {
            c.state = CaseState::kClosed;
            c.answered_on = e.effective_on;
            c.outcome = Outcome::kDisclosed;
          }
          ++c.version;
          c.assignee = absl::StrCat("v", c.version);
          RETURN_IF_ERROR(t.cases().Update(before, c, &e));
          return c;
        });
    EXPECT_TRUE(updated.ok()) << updated.status();
    return updated.ok() ? *updated : CaseRecord();
  }

  void ImportRandomCases(int n, absl::CivilDay from) {
    std::vector<storage::ImportedCase> cases;
    for (int i = 0; i < n; ++i) {
      storage::ImportedCase ic;
      ic.record.case_no = absl::StrCat("T", next_no_++);
      ic.record.received_on = from + static_cast<int>(rng_() % 120);
      ic.record.applicant = "张三";
      ic.record.request = "x";
      ic.record.assignee = rng_() % 2 ? "li" : "";
      ic.record.created_at = absl::Now();
      ic.record.updated_at = absl::Now();
      ic.events = RandomEvents(ic.record.received_on);
      ic.line = i + 2;
      cases.push_back(std::move(ic));
    }
    storage::RecordEvent ev{"import", "test", "test", absl::Now()};
    ASSERT_TRUE(store_
                    ->Write([&](storage::Tables& t) {
                      return t.cases().Import(std::move(cases),
                                              absl::StrCat("h", next_no_), ev);
                    })
                    .ok());
  }

  // The index agrees with a full evaluation, and `raised` holds exactly the
  // keys that were not in force the day before.
  void ExpectAgrees(const AlertIndex& index, absl::CivilDay day,
                    const std::vector<Alert>& raised,
                    const std::set<std::string>& before) {
    AlertEngine engine(env_);
    auto expected = engine.Evaluate(day);
    ASSERT_TRUE(expected.ok()) << expected.status();
    const std::vector<Alert> current = index.Current();
    ASSERT_EQ(Lines(current), Lines(*expected)) << FormatDate(day);
    std::set<std::string> fresh;
    for (const std::string& k : Keys(current)) {
      if (before.count(k) == 0 && k.find("annual_report") == std::string::npos)
        fresh.insert(k);
    }
    EXPECT_EQ(Keys(raised), fresh) << FormatDate(day);
  }

  storage::TempDir dir_;
  std::unique_ptr<storage::SqliteStore> store_;
  app::CalendarHolder calendar_;
  app::TimeSource time_;
  app::Environment env_;
  std::mt19937 rng_{11};
  int next_no_ = 1;
};

TEST_F(AlertIndexTest, AdvancingDayByDayMatchesFullEvaluation) {
  ImportRandomCases(300, absl::CivilDay(2024, 9, 1));
  AlertIndex index(env_);
  absl::CivilDay day(2024, 10, 8);
  std::vector<Alert> raised;
  ASSERT_TRUE(index.Rebuild(day, &raised).ok());
  EXPECT_EQ(index.open_cases(), 300u);
  ExpectAgrees(index, day, raised, {});
  size_t seen = 0;
  for (int i = 0; i < 90; ++i) {
    const std::set<std::string> before = Keys(index.Current());
    ++day;
    raised.clear();
    ASSERT_TRUE(index.Advance(day, &raised).ok());
    ExpectAgrees(index, day, raised, before);
    seen += raised.size();
  }
  EXPECT_GT(seen, 100u);  // alerts did come and go
}

TEST_F(AlertIndexTest, RefreshFollowsChangedNewAndClosedCases) {
  ImportRandomCases(100, absl::CivilDay(2024, 9, 1));
  AlertIndex index(env_);
  absl::CivilDay day(2024, 11, 20);
  std::vector<Alert> raised;
  ASSERT_TRUE(index.Rebuild(day, &raised).ok());
  // Close some, add events to others, add new cases.
  std::set<std::string> changed;
  for (int i = 1; i <= 100; i += 3) {
    const std::string no = absl::StrCat("T", i);
    const bool close = i % 2 == 0;
    Write(no, close ? "answered" : "extended", day - 3);
    changed.insert(no);
  }
  ImportRandomCases(20, absl::CivilDay(2024, 10, 1));
  for (int i = 101; i <= 120; ++i) changed.insert(absl::StrCat("T", i));
  const std::set<std::string> before = Keys(index.Current());
  raised.clear();
  ASSERT_TRUE(index.Refresh(changed, day, &raised).ok());
  ExpectAgrees(index, day, raised, before);
  EXPECT_EQ(index.open_cases(), 120u - 17u);  // 17 of the 34 closed
}

TEST_F(AlertIndexTest, TakesCasesAsWrittenKeepingTheLaterVersion) {
  ImportRandomCases(10, absl::CivilDay(2024, 9, 1));
  AlertIndex index(env_);
  const absl::CivilDay day(2024, 11, 20);
  std::vector<Alert> raised;
  ASSERT_TRUE(index.Rebuild(day, &raised).ok());
  auto write = [&](const std::string& no, bool close) -> AlertIndex::SavedCase {
    // "assigned" moves only the handler, which every alert names.
    CaseRecord c = Write(no, close ? "answered" : "assigned", day - 2);
    return {c, EventsOf(c.id)};
  };
  // A case with an alert, so that its handler shows.
  std::string alerting;
  for (const Alert& a : index.Current()) {
    if (!a.case_no.empty()) alerting = a.case_no;
  }
  ASSERT_FALSE(alerting.empty());
  AlertIndex::SavedCase older = write(alerting, false);
  AlertIndex::SavedCase later = write(alerting, false);
  AlertIndex::SavedCase closed = write(alerting == "T2" ? "T3" : "T2", true);
  const std::set<std::string> before = Keys(index.Current());
  raised.clear();
  // The later write reports back first.
  index.Take({later, closed}, &raised);
  index.Take({older}, &raised);
  ExpectAgrees(index, day, raised, before);
  EXPECT_EQ(index.open_cases(), 9u);
}

TEST_F(AlertIndexTest, NewCalendarRecountsEveryCase) {
  ImportRandomCases(50, absl::CivilDay(2026, 9, 1));
  AlertIndex index(env_);
  const absl::CivilDay day(2026, 12, 10);
  std::vector<Alert> raised;
  ASSERT_TRUE(index.Rebuild(day, &raised).ok());
  // Without 2027 some deadlines are unknown; with it, they are known.
  size_t unknown_before = 0;
  for (const Alert& a : index.Current())
    unknown_before += a.kind == "deadline_unknown";
  EXPECT_GT(unknown_before, 0u);
  calendar_.Set(WorkCalendar::Official().MergedWith(
      *WorkCalendar::Parse("year 2027\noff 2027-01-01 元旦\n", "test")));
  const std::set<std::string> before = Keys(index.Current());
  raised.clear();
  ASSERT_TRUE(index.Advance(day, &raised).ok());
  ExpectAgrees(index, day, raised, before);
  size_t unknown_after = 0;
  for (const Alert& a : index.Current())
    unknown_after += a.kind == "deadline_unknown";
  EXPECT_LT(unknown_after, unknown_before);
}

// Changes written and delivered (Take, Refresh) in the middle of a rebuild's
// scan, from another thread, while the scan waits: they must not wait for
// the scan (the index's mutex is free), and every one of them must be in the
// index that the rebuild swaps in, whether the scan read its case before or
// after the change.
class RebuildWithChangesTest : public AlertIndexTest,
                               public ::testing::WithParamInterface<bool> {};

TEST_P(RebuildWithChangesTest, ChangesDeliveredDuringTheScanAreKept) {
  const bool built_before = GetParam();
  ImportRandomCases(300, absl::CivilDay(2024, 9, 1));
  AlertIndex index(env_);
  const absl::CivilDay day(2024, 11, 20);
  std::vector<Alert> raised;
  if (built_before) ASSERT_TRUE(index.Rebuild(day, &raised).ok());
  const std::set<std::string> before = Keys(index.Current());

  // What the deliveries raise (in the index in use, once built).
  std::vector<Alert> r;
  auto deliver = [&] {
    // Every open case among the first 60 gets a new handler (which every
    // alert names) and ten are closed; delivered as written.
    std::vector<AlertIndex::SavedCase> written;
    for (int i = 1; i <= 60; ++i) {
      const std::string no = absl::StrCat("T", i);
      if (!storage::ReadValue<CaseRecord>(*store_, [&](storage::Tables& t) {
             return t.cases().Get(no);
           }).ok()) {
        continue;
      }
      CaseRecord c = Write(no, i <= 10 ? "answered" : "assigned", day - 2);
      written.push_back({c, EventsOf(c.id)});
    }
    index.Take(std::move(written), &r);
    // New cases, delivered by number (read back by the index).
    ImportRandomCases(10, absl::CivilDay(2024, 10, 1));
    std::set<std::string> added;
    for (int i = 301; i <= 310; ++i) added.insert(absl::StrCat("T", i));
    EXPECT_TRUE(index.Refresh(added, day, &r).ok());
  };
  int scanned = 0;
  bool delivered = false;
  // Outside the hook: if the changes do wait for the scan, they finish once
  // the scan goes on.
  std::future<void> done;
  index.SetScanHookForTesting([&] {
    // Late in the scan, so that most changed cases were read before.
    if (++scanned != 250) return;
    done = std::async(std::launch::async, deliver);
    delivered =
        done.wait_for(std::chrono::seconds(20)) == std::future_status::ready;
    EXPECT_TRUE(delivered) << "the changes waited for the scan";
  });
  raised.clear();
  ASSERT_TRUE(index.Rebuild(day, &raised).ok());
  done.wait();
  index.SetScanHookForTesting(nullptr);
  EXPECT_EQ(scanned, 300);
  ASSERT_TRUE(delivered);
  // The index agrees with a full evaluation of the database as it is now,
  // and each alert not in force before was raised once, by a delivery or by
  // the rebuild.
  if (!built_before) EXPECT_TRUE(r.empty());
  for (Alert& a : r) raised.push_back(std::move(a));
  ExpectAgrees(index, day, raised, before);
}

INSTANTIATE_TEST_SUITE_P(FirstBuildAndRebuild, RebuildWithChangesTest,
                         ::testing::Bool());

// A refresh that names no case (the scheduler's, when every change came
// with its record) reads nothing: it does not even wait for the database.
TEST_F(AlertIndexTest, RefreshOfNoCasesReadsNothing) {
  ImportRandomCases(20, absl::CivilDay(2024, 9, 1));
  AlertIndex index(env_);
  const absl::CivilDay day(2024, 11, 20);
  std::vector<Alert> raised;
  ASSERT_TRUE(index.Rebuild(day, &raised).ok());
  // A write whose body waits holds the store's connection: any read waits.
  std::promise<void> entered, release;
  std::shared_future<void> released = release.get_future().share();
  std::future<void> writer = std::async(std::launch::async, [&] {
    (void)store_->Write([&](storage::Tables&) -> absl::Status {
      entered.set_value();
      released.wait();
      return absl::AbortedError("test: no change");
    });
  });
  entered.get_future().wait();
  std::future<absl::Status> refresh = std::async(std::launch::async, [&] {
    std::vector<Alert> r;
    return index.Refresh({}, day + 1, &r);
  });
  const bool prompt =
      refresh.wait_for(std::chrono::seconds(20)) == std::future_status::ready;
  release.set_value();
  EXPECT_TRUE(prompt) << "Refresh of no cases waited for the database";
  EXPECT_TRUE(refresh.get().ok());
  writer.get();
  EXPECT_EQ(index.day(), day + 1);
}

// The report alerts in the index follow publication once it re-reads it,
// and agree with a full evaluation before and after.
TEST_F(AlertIndexTest, ReportAlertsFollowPublication) {
  ImportRandomCases(20, absl::CivilDay(2024, 9, 1));
  AlertIndex index(env_);
  const absl::CivilDay day(2025, 2, 3);
  std::vector<Alert> raised;
  ASSERT_TRUE(index.Rebuild(day, &raised).ok());
  std::vector<std::string> reports;
  for (const Alert& a : index.ReportsInForce()) reports.push_back(a.key);
  EXPECT_THAT(reports, ::testing::ElementsAre("annual_report_overdue|2024|"));
  ExpectAgrees(index, day, raised, {});

  Json figures = Json::MakeObject();
  figures.Set("published_at", FormatTimestamp(absl::Now()));
  storage::RecordEvent ev{"report_published", "report 2024", "test",
                          absl::Now()};
  ASSERT_TRUE(store_
                  ->Write([&](storage::Tables& t) {
                    return t.reports().Publish(2024, "", figures.Dump(), ev);
                  })
                  .ok());
  // Not yet re-read: still in force.
  EXPECT_EQ(index.ReportsInForce().size(), 1u);
  ASSERT_TRUE(index.RefreshReports().ok());
  EXPECT_TRUE(index.ReportsInForce().empty());
  for (const Alert& a : index.Current()) EXPECT_FALSE(a.case_no.empty());
}

}  // namespace
}  // namespace gongkai::alerts

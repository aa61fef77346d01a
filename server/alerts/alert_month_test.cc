// A month of the daemon's daily passes over one store, day by day with an
// injected "today" (no threads, no sleeps): each fact an office must act on
// reaches the alert hook exactly once, across days, publications and a
// restart.
#include <fstream>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/dates.h"
#include "common/status_macros.h"
#include "domain/test_history.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/alerts/alert_engine.h"
#include "server/alerts/alert_scheduler.h"
#include "storage/sqlite_store.h"
#include "storage/test_util.h"

namespace gongkai::alerts {
namespace {

using ::testing::Contains;
using ::testing::Not;

// The official calendar without 2024: the cases whose clocks count days of
// 2024 cannot be worked out, as when an administrator never loaded a year.
WorkCalendar CalendarWithout2024() {
  const WorkCalendar& official = WorkCalendar::Official();
  std::string text;
  for (int year : official.Years()) {
    if (year != 2024) text += official.YearText(year);
  }
  absl::StatusOr<WorkCalendar> c = WorkCalendar::Parse(text, "test");
  EXPECT_TRUE(c.ok()) << c.status();
  return c.ok() ? *std::move(c) : WorkCalendar();
}

// Noon of `day` in China.
absl::Time Noon(absl::CivilDay day) {
  return absl::FromCivil(absl::CivilHour(day) + 12,
                         absl::FixedTimeZone(8 * 60 * 60));
}

class AlertMonthTest : public ::testing::Test {
 protected:
  AlertMonthTest() : calendar_(CalendarWithout2024()) {
    hook_log_ = dir_.File("hook.log");
    Open();
    env_.calendar = &calendar_;
    env_.agency = "某市人民政府";
  }

  // Opens (or reopens, as a restarted daemon does) the database.
  void Open() {
    store_.reset();
    absl::StatusOr<std::unique_ptr<storage::SqliteStore>> s =
        storage::SqliteStore::Open(dir_.File("a.db"));
    ASSERT_TRUE(s.ok()) << s.status();
    store_ = *std::move(s);
    env_.store = store_.get();
  }

  void SetToday(absl::CivilDay day) {
    time_ = std::make_unique<app::TimeSource>(day);
    env_.time = time_.get();
  }

  void AddAgency(const std::string& code, const std::string& name) {
    storage::RecordEvent ev{"agency_created", code, "test", absl::Now()};
    ASSERT_TRUE(store_
                    ->Write([&](storage::Tables& t) {
                      return t.agencies().Insert(code, name, ev);
                    })
                    .ok());
  }

  void Import(const std::string& no, const std::string& agency,
              const History& h) {
    storage::ImportedCase ic;
    ic.record.case_no = no;
    ic.record.agency = agency;
    ic.record.received_on = h.events().front().effective_on;
    ic.record.applicant = "张三";
    ic.record.request = "x";
    ic.record.created_at = absl::Now();
    ic.record.updated_at = absl::Now();
    ic.events = h.events();
    for (CaseEvent& e : ic.events) {
      e.recorded_at = absl::Now();
      e.actor = "test";
    }
    ic.line = 2;
    storage::RecordEvent ev{"import", "test", "test", absl::Now()};
    std::vector<storage::ImportedCase> cases;
    cases.push_back(std::move(ic));
    ASSERT_TRUE(store_
                    ->Write([&](storage::Tables& t) {
                      return t.cases().Import(std::move(cases),
                                              absl::StrCat("ledger ", no), ev);
                    })
                    .ok());
  }

  // Publishes the 2024 report of `scope` on `day`, as PublishReport freezes
  // it (the figures carry published_at).
  void Publish(const std::string& scope, absl::CivilDay day) {
    Json figures = Json::MakeObject();
    figures.Set("published_at", FormatTimestamp(Noon(day)));
    storage::RecordEvent ev{"report_published", "report 2024", "test",
                            absl::Now()};
    ASSERT_TRUE(store_
                    ->Write([&](storage::Tables& t) {
                      return t.reports().Publish(2024, scope, figures.Dump(),
                                                 ev);
                    })
                    .ok());
  }

  std::unique_ptr<AlertScheduler> NewScheduler() {
    SchedulerOptions options;
    options.hook_command = absl::StrCat("cat >> '", hook_log_, "'");
    return std::make_unique<AlertScheduler>(env_, nullptr, options);
  }

  // How often the hook was given each key.
  std::map<std::string, int> Delivered() {
    std::map<std::string, int> out;
    std::ifstream in(hook_log_);
    std::string line;
    while (std::getline(in, line)) {
      if (line.empty()) continue;
      absl::StatusOr<Json> j = Json::Parse(line);
      EXPECT_TRUE(j.ok()) << line;
      if (!j.ok()) continue;
      const Json* key = j->Find("key");
      EXPECT_TRUE(key != nullptr && key->is_string()) << line;
      if (key != nullptr && key->is_string()) ++out[key->as_string()];
    }
    return out;
  }

  storage::TempDir dir_;
  std::string hook_log_;
  std::unique_ptr<storage::SqliteStore> store_;
  app::CalendarHolder calendar_;
  std::unique_ptr<app::TimeSource> time_;
  app::Environment env_;
};

TEST_F(AlertMonthTest, EachFactReachesTheHookOnce) {
  AddAgency("edu", "教育局");
  AddAgency("psb", "公安局");
  // A: due 2025-02-06 (the Spring Festival, 01-28 to 02-04, in between).
  Import("2025-0001", "psb", History("2025-01-02"));
  // B: a consultation of another agency from 2025-01-08, never answered.
  Import("2025-0002", "edu",
         History("2025-01-06")
             .Add("consultation_started", "2025-01-08",
                  {{"id", "C1"}, {"party", "某局"}, {"kind", "agency"}}));
  // U: received 2024-12-27; the calendar lacks 2024, so its deadline is
  // unknown every day of the month, for the same cause.
  Import("2024-0100", "psb", History("2024-12-27"));
  // A case of edu received in 2024 (so edu's 2024 report counts it), also
  // with its deadline unknown.
  Import("2024-0101", "edu", History("2024-12-30"));
  // D: received during the month (2025-01-20).
  Import("2025-0003", "edu", History("2025-01-20"));

  std::unique_ptr<AlertScheduler> scheduler = NewScheduler();
  std::set<std::string> in_force_some_day;
  std::vector<std::string> report_alerts_last_day;
  const absl::CivilDay first(2025, 1, 15), last(2025, 2, 14);
  for (absl::CivilDay day = first; day <= last; ++day) {
    SetToday(day);
    // psb publishes its 2024 report in time, edu late; the government's
    // summary is due by 31 March and stays unpublished.
    if (day == absl::CivilDay(2025, 1, 24)) {
      Publish("psb", day);
      scheduler->NotifyReports();
    }
    if (day == absl::CivilDay(2025, 2, 5)) {
      Publish("edu", day);
      scheduler->NotifyReports();
    }
    absl::StatusOr<int> pass = scheduler->EvaluateOnce();
    ASSERT_TRUE(pass.ok()) << pass.status();
    scheduler->DeliverPending();
    if (day == absl::CivilDay(2025, 1, 31)) {
      // The daemon restarts: a new scheduler and index over the reopened
      // database, evaluating the same day again, then the days after.
      scheduler.reset();
      Open();
      scheduler = NewScheduler();
      pass = scheduler->EvaluateOnce();
      ASSERT_TRUE(pass.ok()) << pass.status();
      EXPECT_EQ(*pass, 0) << "a restart raised facts already recorded";
      scheduler->DeliverPending();
    }
    absl::StatusOr<std::vector<Alert>> now = AlertEngine(env_).Evaluate(day);
    ASSERT_TRUE(now.ok()) << now.status();
    report_alerts_last_day.clear();
    for (const Alert& a : *now) {
      in_force_some_day.insert(a.key);
      if (a.case_no.empty()) report_alerts_last_day.push_back(a.key);
    }
    // Once edu has published, no report alert of edu remains.
    if (day >= absl::CivilDay(2025, 2, 5)) {
      for (const Alert& a : *now) {
        EXPECT_FALSE(a.case_no.empty() && a.agency == "edu")
            << FormatDate(day) << " " << a.key;
      }
    }
  }

  const std::map<std::string, int> delivered = Delivered();
  std::set<std::string> keys;
  for (const auto& [key, times] : delivered) {
    EXPECT_EQ(times, 1) << key << " was delivered " << times << " times";
    keys.insert(key);
  }
  // Every fact in force on some day of the month reached the hook.
  EXPECT_EQ(keys, in_force_some_day);
  // The facts themselves.
  EXPECT_THAT(keys, Contains("annual_report_due|2024|psb"));
  EXPECT_THAT(keys, Not(Contains("annual_report_overdue|2024|psb")));
  EXPECT_THAT(keys, Contains("annual_report_due|2024|edu"));
  EXPECT_THAT(keys, Contains("annual_report_overdue|2024|edu"));
  EXPECT_THAT(keys, Contains("annual_report_due|2024|"));
  EXPECT_THAT(keys, Not(Contains("annual_report_overdue|2024|")));
  // One fact for the case whose year is missing, not one a day.
  EXPECT_THAT(keys, Contains("2024-0100|deadline_unknown|calendar:2024"));
  int unknown = 0;
  for (const std::string& k : keys) unknown += k.rfind("2024-0100|", 0) == 0;
  EXPECT_EQ(unknown, 1);
  EXPECT_THAT(keys, Contains("2025-0001|reply_due_soon@5||2025-02-06"));
  EXPECT_THAT(keys, Contains("2025-0001|reply_due_soon@1||2025-02-06"));
  EXPECT_THAT(keys, Contains("2025-0001|reply_due_today||2025-02-06"));
  EXPECT_THAT(keys, Contains("2025-0001|reply_overdue||2025-02-06"));
  bool consultation = false;
  for (const std::string& k : keys) {
    consultation |= k.rfind("2025-0002|agency_reply_overdue|C1|", 0) == 0;
  }
  EXPECT_TRUE(consultation);
  // On the last day only the government's summary is still to publish.
  EXPECT_THAT(report_alerts_last_day,
              ::testing::ElementsAre("annual_report_due|2024|"));
}

}  // namespace
}  // namespace gongkai::alerts

#include "domain/alerts.h"

#include <random>

#include "common/lang.h"
#include "domain/test_history.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace gongkai {
namespace {

std::vector<Alert> On(const History& h, const char* day) {
  auto clocks = ComputeClocks(h.events(), WorkCalendar::Official(), {}, D(day));
  EXPECT_TRUE(clocks.ok()) << clocks.status();
  AlertOptions english;
  english.lang = Lang::kEn;
  auto alerts = CaseAlerts("2023-0001", *clocks, D(day),
                           WorkCalendar::Official(), english);
  EXPECT_TRUE(alerts.ok());
  return *alerts;
}

std::vector<std::string> Kinds(const std::vector<Alert>& alerts) {
  std::vector<std::string> kinds;
  for (const Alert& a : alerts) kinds.push_back(a.kind);
  return kinds;
}

using ::testing::ElementsAre;
using ::testing::IsEmpty;

TEST(AlertsTest, ReplyClockAsTheDeadlineNears) {
  History h("2023-03-06");  // due 2023-04-03 (Monday)
  EXPECT_THAT(Kinds(On(h, "2023-03-20")), IsEmpty());
  std::vector<Alert> five = On(h, "2023-03-27");  // 5 working days left
  ASSERT_THAT(Kinds(five), ElementsAre("reply_due_soon"));
  EXPECT_EQ(five[0].working_days_left, 5);
  std::vector<Alert> four = On(h, "2023-03-28");
  EXPECT_EQ(four[0].key, five[0].key);  // same threshold, same alert
  std::vector<Alert> one = On(h, "2023-03-31");
  EXPECT_EQ(one[0].working_days_left, 1);
  EXPECT_NE(one[0].key, five[0].key);  // a new threshold crossed
  EXPECT_THAT(Kinds(On(h, "2023-04-03")), ElementsAre("reply_due_today"));
  std::vector<Alert> late = On(h, "2023-04-05");
  ASSERT_THAT(Kinds(late), ElementsAre("reply_overdue"));
  EXPECT_EQ(late[0].working_days_left, -1);  // 04-05 is 清明, a day off
}

TEST(AlertsTest, CorrectionNoticeOnItsLastDays) {
  History h("2023-03-06");  // notice due 2023-03-15
  EXPECT_THAT(Kinds(On(h, "2023-03-13")), IsEmpty());
  EXPECT_THAT(Kinds(On(h, "2023-03-14")), ElementsAre("correction_notice_due"));
  EXPECT_THAT(Kinds(On(h, "2023-03-15")), ElementsAre("correction_notice_due"));
  EXPECT_THAT(Kinds(On(h, "2023-03-16")), IsEmpty());
}

TEST(AlertsTest, ExpiredPeriods) {
  History h("2023-03-06");
  h.Add("correction_requested", "2023-03-08", {{"period_days", 10}});
  EXPECT_THAT(Kinds(On(h, "2023-03-22")), IsEmpty());
  EXPECT_THAT(Kinds(On(h, "2023-03-23")),
              ElementsAre("correction_period_expired"));

  History c("2023-03-06");
  c.Add("consultation_started", "2023-03-08",
        {{"id", "C1"}, {"party", "甲"}, {"kind", "agency"}});
  EXPECT_THAT(Kinds(On(c, "2023-03-30")),
              ::testing::Contains("agency_reply_overdue"));

  History f("2023-03-06");
  f.Add("fee_notified", "2023-03-10", {{"amount_fen", 100}});
  EXPECT_THAT(Kinds(On(f, "2023-04-11")), ElementsAre("fee_payment_expired"));
}

TEST(AlertsTest, ClosedCasesRaiseNothing) {
  History h("2023-03-06");
  h.Add("answered", "2023-03-10");
  EXPECT_THAT(Kinds(On(h, "2023-05-01")), IsEmpty());
}

// The alerts' kind and key, one line each, for comparing.
std::vector<std::string> KindsAndKeys(const std::vector<Alert>& alerts) {
  std::vector<std::string> out;
  for (const Alert& a : alerts) out.push_back(a.kind + " " + a.key);
  return out;
}

// An office without agencies, whose first case was received in 2022.
PublicationState OneOffice() {
  PublicationState p;
  p.duties = ReportDuties({}, "某局");
  p.duties[0].records_from = 2022;
  return p;
}

std::vector<Alert> Reports(const PublicationState& p, const char* day) {
  return ReportAlerts(D(day), p, WorkCalendar::Official(), Lang::kEn);
}

TEST(ReportDutiesTest, WhoMustPublish) {
  // No agencies: the office itself, by 31 January.
  std::vector<ReportDuty> one = ReportDuties({}, "某局");
  ASSERT_EQ(one.size(), 1u);
  EXPECT_EQ(one[0].scope, "");
  EXPECT_EQ(one[0].due_month, 1);
  // One agency: it, and the combined report is the same report.
  std::vector<ReportDuty> single = ReportDuties({{"psb", "公安局"}}, "某市");
  ASSERT_EQ(single.size(), 1u);
  EXPECT_EQ(single[0].scope, "psb");
  EXPECT_THAT(single[0].also_counts, ElementsAre(""));
  // Several: each by 31 January, the government's summary by 31 March.
  std::vector<ReportDuty> several =
      ReportDuties({{"edu", "教育局"}, {"psb", "公安局"}}, "某市人民政府");
  ASSERT_EQ(several.size(), 3u);
  EXPECT_EQ(several[0].scope, "edu");
  EXPECT_EQ(several[1].scope, "psb");
  EXPECT_EQ(several[2].scope, "");
  EXPECT_EQ(several[2].due_month, 3);
  EXPECT_EQ(several[2].due_day, 31);
}

TEST(ReportAlertsTest, DueInJanuaryOverdueAfterUntilPublished) {
  PublicationState p = OneOffice();
  p.published[{2022, ""}] = D("2023-01-20");
  // 2023-12-29: the 2023 report cannot be published yet; 2022's is.
  EXPECT_THAT(Reports(p, "2023-12-29"), IsEmpty());
  // 2024-01-02 (01-01 is a day off): due 2024-01-31, 21 working days left.
  std::vector<Alert> first = Reports(p, "2024-01-02");
  ASSERT_THAT(KindsAndKeys(first),
              ElementsAre("annual_report_due annual_report_due|2023|"));
  EXPECT_EQ(first[0].working_days_left, 21);
  EXPECT_EQ(first[0].due_on, D("2024-01-31"));
  EXPECT_EQ(first[0].case_no, "");
  EXPECT_EQ(first[0].message,
            "the 2023 annual report of 某局 must be published by 2024-01-31 "
            "(Art. 49); 21 working days left");
  // 2024-01-31, the last day: the same fact, the same key.
  std::vector<Alert> last = Reports(p, "2024-01-31");
  ASSERT_THAT(KindsAndKeys(last), ElementsAre(KindsAndKeys(first)[0]));
  EXPECT_EQ(last[0].working_days_left, 0);
  // 2024-02-01 (Thursday): overdue, a new fact.
  std::vector<Alert> late = Reports(p, "2024-02-01");
  ASSERT_THAT(KindsAndKeys(late),
              ElementsAre("annual_report_overdue annual_report_overdue|2023|"));
  EXPECT_EQ(late[0].working_days_left, -1);
  EXPECT_EQ(late[0].message,
            "the 2023 annual report of 某局 was due by 2024-01-31 (Art. 49) "
            "and is not published; 1 working day overdue");
  // 2024-11-29: still overdue, still the same key.
  EXPECT_THAT(KindsAndKeys(Reports(p, "2024-11-29")),
              ElementsAre(KindsAndKeys(late)[0]));
  // Published on 2024-12-02: gone from that day, but still in force the day
  // before (a past day is evaluated as it stood).
  p.published[{2023, ""}] = D("2024-12-02");
  EXPECT_THAT(Reports(p, "2024-12-02"), IsEmpty());
  EXPECT_THAT(KindsAndKeys(Reports(p, "2024-12-01")),
              ElementsAre(KindsAndKeys(late)[0]));
}

TEST(ReportAlertsTest, PublishedInTimeRaisesNothingMore) {
  PublicationState p = OneOffice();
  p.published[{2023, ""}] = D("2024-01-15");
  EXPECT_THAT(Reports(p, "2024-01-12"), ::testing::SizeIs(1));
  EXPECT_THAT(Reports(p, "2024-01-15"), IsEmpty());
  EXPECT_THAT(Reports(p, "2024-02-01"), IsEmpty());
}

TEST(ReportAlertsTest, YearsOwedStartAtTheFirstPublicationHere) {
  // Nothing ever published here: only the year just ended is asked about
  // (earlier reports may have been published before gongkai was used).
  PublicationState none = OneOffice();
  EXPECT_THAT(KindsAndKeys(Reports(none, "2025-01-02")),
              ElementsAre("annual_report_due annual_report_due|2024|"));
  // An office whose first case here came in 2025 owes no 2024 report that
  // gongkai could know of; on 2026-01-05 it owes the 2025 one.
  PublicationState fresh = OneOffice();
  fresh.duties[0].records_from = 2025;
  EXPECT_THAT(Reports(fresh, "2025-03-03"), IsEmpty());
  EXPECT_THAT(KindsAndKeys(Reports(fresh, "2026-01-05")),
              ElementsAre("annual_report_due annual_report_due|2025|"));
  fresh.duties[0].records_from = 0;  // no case at all
  EXPECT_THAT(Reports(fresh, "2026-01-05"), IsEmpty());
  // 2022 was published here and 2023 never was: on 2025-01-02 the 2023
  // report is still overdue, and the 2024 one due.
  PublicationState p = OneOffice();
  p.published[{2022, ""}] = D("2023-01-20");
  EXPECT_THAT(KindsAndKeys(Reports(p, "2025-01-02")),
              ElementsAre("annual_report_overdue annual_report_overdue|2023|",
                          "annual_report_due annual_report_due|2024|"));
}

TEST(ReportAlertsTest, OnePerAgencyAndTheGovernmentSummaryByMarch) {
  PublicationState p;
  p.duties =
      ReportDuties({{"edu", "教育局"}, {"psb", "公安局"}}, "某市人民政府");
  for (ReportDuty& d : p.duties) d.records_from = 2023;
  p.published[{2023, "psb"}] = D("2024-01-25");
  // 2024-02-01: edu is late, psb published, the summary due by 2024-03-31.
  std::vector<Alert> feb = Reports(p, "2024-02-01");
  ASSERT_THAT(
      KindsAndKeys(feb),
      ElementsAre("annual_report_overdue annual_report_overdue|2023|edu",
                  "annual_report_due annual_report_due|2023|"));
  EXPECT_EQ(feb[0].agency, "edu");
  EXPECT_EQ(feb[1].agency, "");
  EXPECT_EQ(feb[1].due_on, D("2024-03-31"));
  // 2024-04-01: the summary is late too.
  EXPECT_THAT(
      KindsAndKeys(Reports(p, "2024-04-01")),
      ElementsAre("annual_report_overdue annual_report_overdue|2023|edu",
                  "annual_report_overdue annual_report_overdue|2023|"));
}

TEST(ReportAlertsTest, ASingleAgencysCombinedReportIsItsReport) {
  PublicationState p;
  p.duties = ReportDuties({{"psb", "公安局"}}, "");
  p.duties[0].records_from = 2023;
  EXPECT_THAT(KindsAndKeys(Reports(p, "2024-01-02")),
              ElementsAre("annual_report_due annual_report_due|2023|psb"));
  p.published[{2023, ""}] = D("2024-01-10");
  EXPECT_THAT(Reports(p, "2024-01-10"), IsEmpty());
}

TEST(DeadlineUnknownTest, OneKeyPerCaseAndCauseWhateverTheDay) {
  // Received 2026-12-10: its 20 working days reach into 2027, which the
  // shipped calendar does not cover.
  History h("2026-12-10");
  const WorkCalendar& calendar = WorkCalendar::Official();
  auto on_11 = ComputeClocks(h.events(), calendar, {}, D("2026-12-11"));
  auto on_14 = ComputeClocks(h.events(), calendar, {}, D("2026-12-14"));
  ASSERT_FALSE(on_11.ok());
  ASSERT_FALSE(on_14.ok());
  Alert a = DeadlineUnknownAlert("2026-0100", D("2026-12-11"), on_11.status(),
                                 Lang::kEn);
  Alert b = DeadlineUnknownAlert("2026-0100", D("2026-12-14"), on_14.status(),
                                 Lang::kEn);
  EXPECT_EQ(a.key, "2026-0100|deadline_unknown|calendar:2027");
  EXPECT_EQ(a.key, b.key);
  EXPECT_EQ(b.due_on, D("2026-12-14"));
  // Another case, or another missing year: another fact.
  EXPECT_NE(DeadlineUnknownAlert("2026-0101", D("2026-12-11"), on_11.status(),
                                 Lang::kEn)
                .key,
            a.key);
  EXPECT_EQ(DeadlineUnknownCause(
                "the working-day calendar has no official schedule for 2028 "
                "(needed for 2028-01-03); an administrator must load that "
                "year's schedule first"),
            "calendar:2028");
}

TEST(DeadlineUnknownTest, OtherCausesIgnoreTheDatesInTheirWords) {
  const std::string one =
      DeadlineUnknownCause("the case had not been received by 2024-03-01");
  EXPECT_EQ(one, DeadlineUnknownCause(
                     "the case had not been received by 2024-03-02"));
  EXPECT_THAT(one, ::testing::StartsWith("reason:"));
  EXPECT_NE(one, DeadlineUnknownCause("some other reason on 2024-03-01"));
}

}  // namespace
}  // namespace gongkai

namespace gongkai {
namespace {

// Until `next_change` (and while the clocks hold), a case raises exactly the
// same alerts, bar the days left.
TEST(NextChangeTest, AlertsStayTheSameUntilThatDay) {
  std::mt19937 rng(99);
  const WorkCalendar& calendar = WorkCalendar::Official();
  int checked_days = 0;
  for (int trial = 0; trial < 400; ++trial) {
    const absl::CivilDay received =
        absl::CivilDay(2023, 1, 3) + static_cast<int>(rng() % 600);
    const History h = RandomHistory(rng, received, /*may_close=*/false);
    const absl::CivilDay as_of = received + static_cast<int>(rng() % 60);
    auto clocks = ComputeClocks(h.events(), calendar, {}, as_of);
    if (!clocks.ok()) continue;
    absl::CivilDay next;
    auto first = AlertConditions(*clocks, as_of, calendar, {}, &next);
    ASSERT_TRUE(first.ok());
    ASSERT_GT(next, as_of);
    std::vector<std::string> expected;
    auto now = CaseAlerts("X", *clocks, as_of, calendar, {});
    ASSERT_TRUE(now.ok());
    for (const Alert& a : *now) expected.push_back(a.key + a.message);
    const absl::CivilDay last =
        std::min({next - 1, clocks->holds_through, as_of + 100});
    for (absl::CivilDay day = as_of + 1; day <= last; ++day) {
      auto later = CaseAlerts("X", *clocks, day, calendar, {});
      ASSERT_TRUE(later.ok());
      std::vector<std::string> got;
      for (const Alert& a : *later) got.push_back(a.key + a.message);
      ASSERT_EQ(got, expected)
          << "trial " << trial << " as of " << FormatDate(as_of)
          << " differs on " << FormatDate(day);
      ++checked_days;
    }
  }
  EXPECT_GT(checked_days, 1000);
}

}  // namespace
}  // namespace gongkai

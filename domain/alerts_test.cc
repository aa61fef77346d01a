#include "domain/alerts.h"

#include <random>

#include "domain/test_history.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace gongkai {
namespace {

std::vector<Alert> On(const History& h, const char* day) {
  auto clocks = ComputeClocks(h.events(), WorkCalendar::Official(), {}, D(day));
  EXPECT_TRUE(clocks.ok()) << clocks.status();
  auto alerts =
      CaseAlerts("2023-0001", *clocks, D(day), WorkCalendar::Official(), {});
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

TEST(AlertsTest, AnnualReportInJanuary) {
  EXPECT_THAT(ReportAlerts(D("2024-01-02"), WorkCalendar::Official()).size(),
              1u);
  EXPECT_EQ(ReportAlerts(D("2024-01-02"), WorkCalendar::Official())[0].message,
            "the 2023 annual report must be published by 2024-01-31 (Art. 49)");
  EXPECT_TRUE(ReportAlerts(D("2024-02-01"), WorkCalendar::Official()).empty());
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

#include "server/domain/clocks.h"

#include "absl/strings/str_join.h"
#include "common/dates.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace gongkai {
namespace {

using ::testing::HasSubstr;

absl::CivilDay D(const char* s) { return *ParseDate(s); }

absl::CivilDay Due(const char* received) {
  auto r = ComputeClocks({D(received), std::nullopt}, WorkCalendar::Official());
  EXPECT_TRUE(r.ok()) << r.status();
  return r->reply_due;
}

TEST(ReplyDeadlineTest, TwentyWorkingDays) {
  EXPECT_EQ(Due("2023-03-06"), D("2023-04-03"));
  EXPECT_EQ(Due("2023-01-19"), D("2023-02-21"));
  EXPECT_EQ(Due("2019-05-15"), D("2019-06-13"));
  EXPECT_EQ(Due("2026-10-30"), D("2026-11-27"));
}

TEST(ReplyDeadlineTest, LegacyCasesHaveFifteenDays) {
  EXPECT_EQ(ReplyPeriodDays(D("2019-05-14")), 15);
  EXPECT_EQ(ReplyPeriodDays(D("2019-05-15")), 20);
  EXPECT_EQ(Due("2019-05-14"), D("2019-06-04"));
  EXPECT_EQ(Due("2019-01-02"), D("2019-01-23"));
}

TEST(ReplyDeadlineTest, RefusesWhenCalendarRunsOut) {
  auto r = ComputeClocks({D("2026-12-15"), std::nullopt},
                         WorkCalendar::Official());
  EXPECT_EQ(r.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(r.status().message(), HasSubstr("no official schedule for 2027"));
}

TEST(ReplyDeadlineTest, ExplainsItsArithmetic) {
  auto r = ComputeClocks({D("2023-01-19"), std::nullopt},
                         WorkCalendar::Official());
  ASSERT_TRUE(r.ok());
  std::string text = absl::StrJoin(r->explanation, "\n");
  EXPECT_THAT(text, HasSubstr("Received on 2023-01-19 (Thursday)"));
  EXPECT_THAT(text, HasSubstr("20 working days (Regulations, Art. 33)"));
  EXPECT_THAT(text, HasSubstr("not counted (Civil Code Art. 201)"));
  EXPECT_THAT(text, HasSubstr("skipped days off"));
  EXPECT_THAT(text, HasSubstr("Reply due on 2023-02-21 (Tuesday)"));
}

TEST(ReplyDeadlineTest, ClockStateFollowsTheAnswer) {
  auto on_time = ComputeClocks({D("2023-03-06"), D("2023-04-03")},
                               WorkCalendar::Official());
  ASSERT_TRUE(on_time.ok());
  EXPECT_EQ(on_time->clocks[0].state, "met");
  auto late = ComputeClocks({D("2023-03-06"), D("2023-04-04")},
                            WorkCalendar::Official());
  EXPECT_EQ(late->clocks[0].state, "missed");
  auto open = ComputeClocks({D("2023-03-06"), std::nullopt},
                            WorkCalendar::Official());
  EXPECT_EQ(open->clocks[0].state, "running");
}

}  // namespace
}  // namespace gongkai

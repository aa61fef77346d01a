#include "domain/calendar.h"

#include "absl/strings/str_join.h"
#include "common/dates.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace gongkai {
namespace {

using ::testing::HasSubstr;

absl::CivilDay D(const char* s) { return *ParseDate(s); }

const WorkCalendar& Cal() { return WorkCalendar::Official(); }

TEST(OfficialCalendarTest, CoversExactly2019To2026) {
  EXPECT_EQ(Cal().Years(),
            (std::vector<int>{2019, 2020, 2021, 2022, 2023, 2024, 2025, 2026}));
}

TEST(OfficialCalendarTest, ClassifiesHolidaysAndMakeupDays) {
  EXPECT_EQ(*Cal().Classify(D("2023-01-23")), DayKind::kDayOff);  // 春节 Monday
  EXPECT_EQ(*Cal().Classify(D("2023-01-28")), DayKind::kMakeupWorkday);
  EXPECT_EQ(*Cal().Classify(D("2023-03-06")), DayKind::kWorkday);
  EXPECT_EQ(*Cal().Classify(D("2023-03-11")), DayKind::kWeekend);
  EXPECT_EQ(*Cal().Classify(D("2024-02-18")), DayKind::kMakeupWorkday);
  EXPECT_EQ(*Cal().Classify(D("2020-01-31")), DayKind::kDayOff);  // epidemic
  EXPECT_EQ(*Cal().Classify(D("2025-02-04")), DayKind::kDayOff);
  EXPECT_EQ(*Cal().Classify(D("2026-02-23")), DayKind::kDayOff);
  EXPECT_EQ(*Cal().Classify(D("2026-01-04")), DayKind::kMakeupWorkday);
  EXPECT_TRUE(*Cal().IsWorkingDay(D("2019-10-12")));
  EXPECT_FALSE(*Cal().IsWorkingDay(D("2019-10-07")));
}

TEST(OfficialCalendarTest, EveryMakeupDayIsAWeekendDay) {
  for (int y : Cal().Years()) {
    for (const ScheduledDay& s : Cal().Schedule(y)) {
      if (s.kind == DayKind::kMakeupWorkday) {
        EXPECT_TRUE(IsWeekend(s.day)) << FormatDate(s.day);
      }
    }
  }
}

TEST(OfficialCalendarTest, WorkingDaysPerYear) {
  // Mon-Fri days, less weekday holidays, plus make-up days; computed by hand
  // from the State Council notices.
  const std::pair<int, int> expected[] = {{2019, 250}, {2020, 249}, {2021, 250},
                                          {2022, 249}, {2023, 249}, {2024, 251},
                                          {2025, 248}, {2026, 248}};
  for (auto [year, count] : expected) {
    // 1 January is a day off every year, so counting from it loses nothing.
    auto n = Cal().WorkingDaysBetween(absl::CivilDay(year, 1, 1),
                                      absl::CivilDay(year, 12, 31));
    ASSERT_TRUE(n.ok()) << n.status();
    EXPECT_EQ(*n, count) << year;
  }
}

TEST(AddWorkingDaysTest, ExamplesFromTheDomainReference) {
  EXPECT_EQ(*Cal().AddWorkingDays(D("2023-03-06"), 20), D("2023-04-03"));
  EXPECT_EQ(*Cal().AddWorkingDays(D("2023-01-19"), 20), D("2023-02-21"));
}

TEST(AddWorkingDaysTest, HolidayEdges) {
  // National Day 2019 with make-up Sunday 09-29 and Saturday 10-12.
  EXPECT_EQ(*Cal().AddWorkingDays(D("2019-09-20"), 20), D("2019-10-23"));
  // Spring Festival 2020, extended for the epidemic.
  EXPECT_EQ(*Cal().AddWorkingDays(D("2020-01-20"), 20), D("2020-02-25"));
  // Mid-Autumn and National Day 2021, make-up Saturday 09-18.
  EXPECT_EQ(*Cal().AddWorkingDays(D("2021-09-17"), 20), D("2021-10-21"));
  // Across the 2022/2023 year end and the 2023 Spring Festival.
  EXPECT_EQ(*Cal().AddWorkingDays(D("2022-12-30"), 20), D("2023-02-02"));
  // Mid-Autumn and National Day 2023 joined into eight days.
  EXPECT_EQ(*Cal().AddWorkingDays(D("2023-09-28"), 20), D("2023-11-01"));
  // Spring Festival 2024 with two make-up Sundays.
  EXPECT_EQ(*Cal().AddWorkingDays(D("2024-02-08"), 20), D("2024-03-13"));
  // Four-day Spring Festival of 2025, across the year end too.
  EXPECT_EQ(*Cal().AddWorkingDays(D("2025-01-24"), 20), D("2025-02-27"));
  EXPECT_EQ(*Cal().AddWorkingDays(D("2024-12-20"), 20), D("2025-01-20"));
  // Nine days of Spring Festival 2026 between two make-up Saturdays.
  EXPECT_EQ(*Cal().AddWorkingDays(D("2026-02-13"), 20), D("2026-03-19"));
  EXPECT_EQ(*Cal().AddWorkingDays(D("2026-09-18"), 20), D("2026-10-22"));
}

TEST(AddWorkingDaysTest, CountsFromTheDayAfter) {
  // Friday + 1 working day is Monday; a make-up Saturday counts.
  EXPECT_EQ(*Cal().AddWorkingDays(D("2023-03-10"), 1), D("2023-03-13"));
  EXPECT_EQ(*Cal().AddWorkingDays(D("2023-01-27"), 1), D("2023-01-28"));
}

TEST(AddWorkingDaysTest, RefusesYearsWithoutSchedule) {
  auto r = Cal().AddWorkingDays(D("2026-12-15"), 20);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(r.status().message(), HasSubstr("2027"));
  // Starting on 2018-12-31 is fine: the first day counted is 2019-01-01.
  EXPECT_EQ(*Cal().AddWorkingDays(D("2018-12-31"), 1), D("2019-01-02"));
  EXPECT_FALSE(Cal().Classify(D("2018-12-31")).ok());
}

// The indexed answers equal a day-by-day walk, on the official calendar and
// on one with a year missing in the middle (where every answer that needs
// the missing year is the same error).
TEST(CalendarIndexTest, AgreesWithWalkingDayByDay) {
  const WorkCalendar gappy = *WorkCalendar::Parse(
      "year 2021\noff 2021-10-01 2021-10-07 国庆节\nyear 2023\n", "gappy");
  for (const WorkCalendar* cal : {&Cal(), &gappy}) {
    const std::vector<int> years = cal->Years();
    const absl::CivilDay first(years.front() - 1, 12, 20);
    const absl::CivilDay last(years.back() + 1, 1, 10);
    for (absl::CivilDay from = first; from <= last; from += 3) {
      for (int n : {1, 2, 5, 15, 20, 40, 300}) {
        std::vector<CountedDay> trace;  // a trace forces the walk
        auto walked = cal->AddWorkingDays(from, n, &trace);
        auto indexed = cal->AddWorkingDays(from, n);
        ASSERT_EQ(walked.ok(), indexed.ok()) << FormatDate(from) << " +" << n;
        if (walked.ok()) {
          EXPECT_EQ(*walked, *indexed) << FormatDate(from) << " +" << n;
        } else {
          EXPECT_EQ(walked.status(), indexed.status());
        }
      }
      for (int span : {0, 1, 6, 30, 200}) {
        const absl::CivilDay to = from + span;
        int walked = 0;
        bool ok = true;
        for (absl::CivilDay d = from + 1; d <= to && ok; ++d) {
          auto working = cal->IsWorkingDay(d);
          ok = working.ok();
          if (ok && *working) ++walked;
        }
        auto indexed = cal->WorkingDaysBetween(from, to);
        ASSERT_EQ(ok, indexed.ok()) << FormatDate(from) << " .. " << span;
        if (ok) EXPECT_EQ(walked, *indexed) << FormatDate(from);
      }
    }
  }
}

TEST(AddWorkingDaysTest, RejectsSillyCounts) {
  EXPECT_FALSE(Cal().AddWorkingDays(D("2023-03-06"), 0).ok());
  EXPECT_FALSE(Cal().AddWorkingDays(D("2023-03-06"), -3).ok());
}

TEST(CalendarParseTest, ParsesRangesAndNames) {
  auto cal = WorkCalendar::Parse(
      "# test\nyear 2027\noff 2027-02-06 2027-02-12 春节\nwork 2027-02-14 "
      "春节调休\n",
      "test");
  ASSERT_TRUE(cal.ok()) << cal.status();
  EXPECT_TRUE(cal->Covers(2027));
  EXPECT_EQ(cal->Schedule(2027).size(), 8u);
  EXPECT_EQ(cal->Schedule(2027)[0].name, "春节");
}

TEST(CalendarParseTest, RejectsBadFiles) {
  const char* bad[] = {
      "off 2027-01-01\n",              // no year line
      "year 2027\nwork 2027-01-04\n",  // make-up day on a Monday
      "year 2027\noff 2027-02-30\n",   // impossible date
      "year 2027\noff 2027-01-02\nwork 2027-01-02\n",       // both
      "year 2027\nholiday 2027-01-01\n",                    // unknown directive
      "year 2027\noff 2027-03-01 2027-02-01\n",             // backwards range
      "year 2027\nyear 2027\n",                             // duplicate year
      "year 2027\noff 2030-01-01\n",                        // far from its year
      "year 2027\noff 2027-01-01 2027-01-02 2027-05-01\n",  // three dates
      "",                                                   // empty
  };
  for (const char* text : bad) {
    EXPECT_FALSE(WorkCalendar::Parse(text, "t").ok()) << text;
  }
  auto r = WorkCalendar::Parse("year 2027\n\nwork 2027-01-04\n", "my.cal");
  EXPECT_THAT(r.status().message(), HasSubstr("my.cal:3"));
}

TEST(CalendarParseTest, ToTextRoundTrips) {
  auto again = WorkCalendar::Parse(Cal().ToText(), "round trip");
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->ToText(), Cal().ToText());
}

TEST(CalendarMergeTest, NewYearExtendsAndCorrectedYearReplaces) {
  auto extra = WorkCalendar::Parse(
      "year 2027\noff 2027-01-01\nyear 2023\noff 2023-03-07 测试\n", "extra");
  ASSERT_TRUE(extra.ok());
  WorkCalendar merged = Cal().MergedWith(*extra);
  EXPECT_TRUE(merged.Covers(2027));
  EXPECT_EQ(*merged.Classify(D("2023-03-07")), DayKind::kDayOff);
  // The replaced 2023 schedule no longer has the Spring Festival.
  EXPECT_EQ(*merged.Classify(D("2023-01-23")), DayKind::kWorkday);
  EXPECT_EQ(*merged.Classify(D("2024-02-12")), DayKind::kDayOff);
}

TEST(DescribeCountTest, NamesSkippedAndMakeupDays) {
  std::vector<CountedDay> trace;
  ASSERT_TRUE(Cal().AddWorkingDays(D("2023-01-19"), 20, &trace).ok());
  std::string text = absl::StrJoin(DescribeCount(trace), "\n");
  EXPECT_THAT(text, HasSubstr("skipped days off 01-21 Sat 春节"));
  EXPECT_THAT(text, HasSubstr("01-27 Fri 春节"));
  EXPECT_THAT(text,
              HasSubstr("counted make-up working days 01-28 Sat 春节调休"));
  EXPECT_THAT(text, HasSubstr("skipped weekend 02-04 Sat, 02-05 Sun"));
  EXPECT_THAT(text,
              HasSubstr("week of 2023-02-20: counted working days 19-20"));
}

}  // namespace
}  // namespace gongkai

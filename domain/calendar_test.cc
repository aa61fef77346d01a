#include "domain/calendar.h"

#include "absl/strings/str_join.h"
#include "common/dates.h"
#include "common/lang.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace gongkai {
namespace {

using ::testing::HasSubstr;

absl::CivilDay D(const char* s) { return *ParseDate(s); }

const WorkCalendar& Cal() { return WorkCalendar::Official(); }

TEST(OfficialCalendarTest, CoversEveryYearFrom2008To2026) {
  // 2008 is the year the first Regulations took effect; no year may be
  // missing, or a deadline running through it would be refused.
  std::vector<int> expected;
  for (int y = 2008; y <= 2026; ++y) {
    EXPECT_TRUE(Cal().Covers(y)) << y;
    expected.push_back(y);
  }
  EXPECT_EQ(Cal().Years(), expected);
  EXPECT_FALSE(Cal().Covers(2007));
  EXPECT_FALSE(Cal().Covers(2027));
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
  // Computed by hand from each year's notice: Monday-Friday days of the
  // calendar year, less the days off that fall on a weekday, plus the
  // weekend days declared working days. A notice's late-December days count
  // in the calendar year they fall in (2011-12-31 from the 2012 notice,
  // 2018-12-29/31 from the 2019 notice).
  const std::pair<int, int> expected[] = {
      // 366 days from Tue: 262 weekdays. Off: 01-01; 02-06..08, 02-11, 12;
      // 04-04; 05-01, 02; 06-09; 09-15; 09-29..10-03 = 16. Work: 02-02,
      // 02-03, 05-04, 09-27, 09-28 = 5. 262 - 16 + 5 = 251.
      {2008, 251},
      // 365 from Thu: 261. Off: 01-01, 02; 01-26..30; 04-06; 05-01;
      // 05-28, 29; 10-01, 02, 05..08 = 17. Work: 01-04, 01-24, 02-01, 05-31,
      // 09-27, 10-10 = 6. 261 - 17 + 6 = 250.
      {2009, 250},
      // 365 from Fri: 261. Off: 01-01; 02-15..19; 04-05; 05-03;
      // 06-14..16; 09-22..24; 10-01, 04..07 = 19. Work: 02-20, 21, 06-12,
      // 13, 09-19, 25, 26, 10-09 = 8. 261 - 19 + 8 = 250.
      {2010, 250},
      // 365 from Sat: 260. Off: 01-03; 02-02..04, 07, 08; 04-04, 05; 05-02;
      // 06-06; 09-12; 10-03..07 = 16. Work: 01-30, 02-12, 04-02, 10-08,
      // 10-09, 12-31 = 6. 260 - 16 + 6 = 250.
      {2011, 250},
      // 366 from Sun: 261. Off: 01-02, 03; 01-23..27; 04-02..04; 04-30,
      // 05-01; 06-22; 10-01..05 = 18. Work: 01-21, 01-29, 03-31, 04-01,
      // 04-28, 09-29 = 6. 261 - 18 + 6 = 249.
      {2012, 249},
      // 365 from Tue: 261. Off: 01-01..03; 02-11..15; 04-04, 05;
      // 04-29..05-01; 06-10..12; 09-19, 20; 10-01..04, 07 = 23. Work: 01-05,
      // 06, 02-16, 17, 04-07, 27, 28, 06-08, 09, 09-22, 29, 10-12 = 12.
      // 261 - 23 + 12 = 250.
      {2013, 250},
      // 365 from Wed: 261. Off: 01-01; 01-31, 02-03..06; 04-07; 05-01, 02;
      // 06-02; 09-08; 10-01..03, 06, 07 = 16. Work: 01-26, 02-08, 05-04,
      // 09-28, 10-11 = 5. 261 - 16 + 5 = 250.
      {2014, 250},
      // 365 from Thu: 261. Off: 01-01, 02; 02-18..20, 23, 24; 04-06; 05-01;
      // 06-22; 09-03, 04 (victory anniversary); 10-01, 02, 05..07 = 17.
      // Work: 01-04, 02-15, 02-28, 09-06, 10-10 = 5. 261 - 17 + 5 = 249.
      {2015, 249},
      // 366 from Fri: 261. Off: 01-01; 02-08..12; 04-04; 05-02; 06-09, 10;
      // 09-15, 16; 10-03..07 = 17. Work: 02-06, 02-14, 06-12, 09-18, 10-08,
      // 10-09 = 6. 261 - 17 + 6 = 250.
      {2016, 250},
      // 365 from Sun: 260. Off: 01-02; 01-27, 30, 31, 02-01, 02; 04-03, 04;
      // 05-01; 05-29, 30; 10-02..06 = 16. Work: 01-22, 02-04, 04-01, 05-27,
      // 09-30 = 5. 260 - 16 + 5 = 249.
      {2017, 249},
      // 365 from Mon: 261. Off: 01-01; 02-15, 16, 19..21; 04-05, 06; 04-30,
      // 05-01; 06-18; 09-24; 10-01..05; 12-31 = 18. Work: 02-11, 02-24,
      // 04-08, 04-28, 09-29, 09-30, 12-29 = 7. 261 - 18 + 7 = 250.
      {2018, 250},
      // 365 from Tue: 261. Off: 01-01; 02-04..08; 04-05; 05-01..03; 06-07;
      // 09-13; 10-01..04, 07 = 17. Work: 02-02, 02-03, 04-28, 05-05, 09-29,
      // 10-12 = 6. 261 - 17 + 6 = 250.
      {2019, 250},
      // 366 from Wed: 262. Off: 01-01; 01-24, 27..31 (extended); 04-06;
      // 05-01, 04, 05; 06-25, 26; 10-01, 02, 05..08 = 19. Work: 01-19,
      // 04-26, 05-09, 06-28, 09-27, 10-10 = 6. 262 - 19 + 6 = 249.
      {2020, 249},
      // 365 from Fri: 261. Off: 01-01; 02-11, 12, 15..17; 04-05;
      // 05-03..05; 06-14; 09-20, 21; 10-01, 04..07 = 18. Work: 02-07, 02-20,
      // 04-25, 05-08, 09-18, 09-26, 10-09 = 7. 261 - 18 + 7 = 250.
      {2021, 250},
      // 365 from Sat: 260. Off: 01-03; 01-31..02-04; 04-04, 05; 05-02..04;
      // 06-03; 09-12; 10-03..07 = 18. Work: 01-29, 01-30, 04-02, 04-24,
      // 05-07, 10-08, 10-09 = 7. 260 - 18 + 7 = 249.
      {2022, 249},
      // 365 from Sun: 260. Off: 01-02; 01-23..27; 04-05; 05-01..03;
      // 06-22, 23; 09-29, 10-02..06 = 18. Work: 01-28, 01-29, 04-23, 05-06,
      // 06-25, 10-07, 10-08 = 7. 260 - 18 + 7 = 249.
      {2023, 249},
      // 366 from Mon: 262. Off: 01-01; 02-12..16; 04-04, 05; 05-01..03;
      // 06-10; 09-16, 17; 10-01..04, 07 = 19. Work: 02-04, 02-18, 04-07,
      // 04-28, 05-11, 09-14, 09-29, 10-12 = 8. 262 - 19 + 8 = 251.
      {2024, 251},
      // 365 from Wed: 261. Off: 01-01; 01-28..31, 02-03, 04; 04-04;
      // 05-01, 02, 05; 06-02; 10-01..03, 06..08 = 18. Work: 01-26, 02-08,
      // 04-27, 09-28, 10-11 = 5. 261 - 18 + 5 = 248.
      {2025, 248},
      // 365 from Thu: 261. Off: 01-01, 02; 02-16..20, 23; 04-06; 05-01, 04,
      // 05; 06-19; 09-25; 10-01, 02, 05..07 = 19. Work: 01-04, 02-14, 02-28,
      // 05-09, 09-20, 10-10 = 6. 261 - 19 + 6 = 248.
      {2026, 248},
  };
  int checked = 0;
  for (auto [year, count] : expected) {
    // From 31 December of the year before (not counted) to 31 December.
    auto n = Cal().WorkingDaysBetween(absl::CivilDay(year, 1, 1) - 1,
                                      absl::CivilDay(year, 12, 31));
    ASSERT_TRUE(n.ok()) << n.status();
    EXPECT_EQ(*n, count) << year;
    ++checked;
  }
  EXPECT_EQ(checked, 2026 - 2008 + 1);
  // All of them together, counted in one go across the years.
  int total = 0;
  for (auto [year, count] : expected) total += count;
  EXPECT_EQ(*Cal().WorkingDaysBetween(absl::CivilDay(2007, 12, 31),
                                      absl::CivilDay(2026, 12, 31)),
            total);
}

TEST(OfficialCalendarTest, EarlyYearsFollowTheirNotices) {
  // 2008: the first Labour Day of one statutory day (05-01 to 05-03 with
  // make-up Sunday 05-04), and the first 清明节, 端午节 and 中秋节.
  EXPECT_EQ(*Cal().Classify(D("2008-05-02")), DayKind::kDayOff);
  EXPECT_EQ(*Cal().Classify(D("2008-05-04")), DayKind::kMakeupWorkday);
  EXPECT_EQ(*Cal().Classify(D("2008-04-04")), DayKind::kDayOff);
  EXPECT_EQ(*Cal().Classify(D("2008-06-09")), DayKind::kDayOff);
  EXPECT_EQ(*Cal().Classify(D("2008-09-15")), DayKind::kDayOff);
  // The 2012 notice makes Saturday 2011-12-31 a working day.
  EXPECT_EQ(*Cal().Classify(D("2011-12-31")), DayKind::kMakeupWorkday);
  // 2014: the Spring Festival starts on 01-31, so 除夕 (Thursday 01-30) is
  // worked.
  EXPECT_EQ(*Cal().Classify(D("2014-01-30")), DayKind::kWorkday);
  EXPECT_EQ(*Cal().Classify(D("2014-01-31")), DayKind::kDayOff);
  // 2015: the victory anniversary (国发明电〔2015〕1号), 09-03 and 09-04 off
  // and Sunday 09-06 worked.
  EXPECT_EQ(*Cal().Classify(D("2015-09-03")), DayKind::kDayOff);
  EXPECT_EQ(*Cal().Classify(D("2015-09-04")), DayKind::kDayOff);
  EXPECT_EQ(*Cal().Classify(D("2015-09-06")), DayKind::kMakeupWorkday);
  // A notice's December days belong to that notice's schedule.
  auto has = [](int year, const char* day) {
    for (const ScheduledDay& s : Cal().Schedule(year)) {
      if (s.day == D(day)) return true;
    }
    return false;
  };
  EXPECT_TRUE(has(2008, "2007-12-29"));
  EXPECT_TRUE(has(2012, "2011-12-31"));
  EXPECT_TRUE(has(2019, "2018-12-29"));
  EXPECT_FALSE(has(2018, "2018-12-29"));
  EXPECT_TRUE(has(2023, "2022-12-31"));
}

TEST(OfficialCalendarTest, TheLastDaysOf2018FollowThe2019Notice) {
  EXPECT_EQ(*Cal().Classify(D("2018-12-28")), DayKind::kWorkday);
  EXPECT_EQ(*Cal().Classify(D("2018-12-29")), DayKind::kMakeupWorkday);
  EXPECT_TRUE(*Cal().IsWorkingDay(D("2018-12-29")));
  EXPECT_FALSE(*Cal().IsWorkingDay(D("2018-12-30")));
  EXPECT_EQ(*Cal().Classify(D("2018-12-31")), DayKind::kDayOff);
  EXPECT_FALSE(*Cal().IsWorkingDay(D("2018-12-31")));
  EXPECT_FALSE(*Cal().IsWorkingDay(D("2019-01-01")));
  // Friday 2018-12-28 + 1 is the make-up Saturday; + 2 skips 12-30 to 01-01.
  EXPECT_EQ(*Cal().AddWorkingDays(D("2018-12-28"), 1), D("2018-12-29"));
  EXPECT_EQ(*Cal().AddWorkingDays(D("2018-12-28"), 2), D("2019-01-02"));
}

TEST(OfficialCalendarTest, CaseReceivedInDecember2018) {
  // Received Thursday 2018-12-20; the 2008 Regulations give 15 working days.
  // 12-21 Fri (1), 12-24..28 Mon-Fri (2-6), 12-29 Sat make-up (7);
  // 12-30 Sun, 12-31 Mon and 01-01 Tue off; 01-02..04 Wed-Fri (8-10),
  // 01-07..11 Mon-Fri (11-15): due Friday 2019-01-11.
  std::vector<CountedDay> trace;
  EXPECT_EQ(*Cal().AddWorkingDays(D("2018-12-20"), 15, &trace),
            D("2019-01-11"));
  EXPECT_EQ(*Cal().AddWorkingDays(D("2018-12-20"), 15), D("2019-01-11"));
  ASSERT_EQ(trace.size(), 22u);  // 2018-12-21 to 2019-01-11
  EXPECT_EQ(trace[8].day, D("2018-12-29"));
  EXPECT_EQ(trace[8].kind, DayKind::kMakeupWorkday);
  EXPECT_EQ(trace[8].ordinal, 7);
  EXPECT_EQ(trace[10].day, D("2018-12-31"));
  EXPECT_EQ(trace[10].kind, DayKind::kDayOff);
  EXPECT_EQ(trace[10].ordinal, 0);
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
  EXPECT_THAT(MessageIn(r.status(), Lang::kEn), HasSubstr("2027"));
  // Starting on 2007-12-31 is fine: the first day counted is 2008-01-01.
  EXPECT_EQ(*Cal().AddWorkingDays(D("2007-12-31"), 1), D("2008-01-02"));
  // The 2008 notice lists 2007-12-29 to 31, but 2007 has no schedule: those
  // lines alone do not make the calendar answer for 2007.
  EXPECT_FALSE(Cal().Classify(D("2007-12-31")).ok());
  auto early = Cal().AddWorkingDays(D("2007-12-20"), 15);
  ASSERT_FALSE(early.ok());
  EXPECT_EQ(early.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(MessageIn(early.status(), Lang::kEn), HasSubstr("2007"));
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
        if (ok) {
          EXPECT_EQ(walked, *indexed) << FormatDate(from);
        }
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
  EXPECT_THAT(MessageIn(r.status(), Lang::kEn), HasSubstr("my.cal:3"));
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
  std::string text = absl::StrJoin(DescribeCount(trace, Lang::kEn), "\n");
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

namespace gongkai {
namespace {

TEST(CalendarParseTest, DayNamesHoldNoControlCharacters) {
  const std::string nul("year 2027\noff 2027-02-10 Spring\0Festival\n", 41);
  auto r = WorkCalendar::Parse(nul, "cal");
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(MessageIn(r.status(), Lang::kEn), HasSubstr("cal:2"));
  EXPECT_THAT(MessageIn(r.status(), Lang::kEn),
              HasSubstr("control characters"));
  EXPECT_FALSE(
      WorkCalendar::Parse("year 2027\noff 2027-02-10 \x1b[2J\n", "cal").ok());
  EXPECT_TRUE(
      WorkCalendar::Parse("year 2027\noff 2027-02-10 春节\n", "cal").ok());
}

}  // namespace
}  // namespace gongkai

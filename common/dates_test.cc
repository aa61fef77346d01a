#include "common/dates.h"

#include <random>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"

namespace gongkai {
namespace {

TEST(ParseDateTest, AcceptsIsoDates) {
  auto d = ParseDate("2023-03-06");
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(*d, absl::CivilDay(2023, 3, 6));
  EXPECT_EQ(FormatDate(*d), "2023-03-06");
}

TEST(ParseDateTest, RejectsImpossibleDates) {
  EXPECT_FALSE(ParseDate("2023-02-30").ok());
  EXPECT_FALSE(ParseDate("2023-02-29").ok());
  EXPECT_TRUE(ParseDate("2024-02-29").ok());
  EXPECT_FALSE(ParseDate("2023-13-01").ok());
  EXPECT_FALSE(ParseDate("2023-00-10").ok());
  EXPECT_FALSE(ParseDate("2023-04-31").ok());
}

TEST(ParseDateTest, RejectsOtherShapes) {
  for (const char* bad :
       {"", "2023-3-6", "20230306", "2023/03/06", "2023-03-06 ", " 2023-03-06",
        "abcd-ef-gh", "2023-03-0x", "+023-03-06"}) {
    EXPECT_FALSE(ParseDate(bad).ok()) << bad;
  }
}

TEST(ParseDateTest, ErrorNamesTheValue) {
  auto d = ParseDate("2023-02-30");
  EXPECT_NE(d.status().message().find("2023-02-30"), std::string::npos);
}

TEST(DatesTest, Weekdays) {
  EXPECT_EQ(WeekdayName(absl::CivilDay(2023, 3, 6)), "Monday");
  EXPECT_EQ(WeekdayNameZh(absl::CivilDay(2023, 3, 5)), "星期日");
  EXPECT_TRUE(IsWeekend(absl::CivilDay(2023, 3, 4)));
  EXPECT_FALSE(IsWeekend(absl::CivilDay(2023, 3, 3)));
}

TEST(DatesTest, ChinaDayIsUtcPlusEight) {
  absl::Time t = absl::FromCivil(absl::CivilSecond(2023, 3, 5, 17, 0, 0),
                                 absl::UTCTimeZone());
  EXPECT_EQ(ChinaDay(t), absl::CivilDay(2023, 3, 6));
}

TEST(DatesTest, ShowsTimesInChinaStandardTime) {
  EXPECT_EQ(ChinaTimeText("2026-12-01T00:21:43.250Z"),
            "2026-12-01 08:21:43 +08:00");
  EXPECT_EQ(ChinaTimeText("2026-11-30T16:00:00Z"),
            "2026-12-01 00:00:00 +08:00");
  EXPECT_EQ(ChinaTimeText("not a time"), "not a time");
  EXPECT_EQ(ChinaTimeText(""), "");
}

}  // namespace
}  // namespace gongkai

namespace gongkai {
namespace {

TEST(FormatTimestampTest, RoundTripsToTheMillisecond) {
  std::mt19937_64 rng(5);
  for (int i = 0; i < 2000; ++i) {
    const absl::Time t = absl::FromUnixMicros(
        static_cast<int64_t>(rng() % 4102444800000000ULL));  // to 2100
    const std::string text = FormatTimestamp(t);
    ASSERT_EQ(text.size(), 24u) << text;
    EXPECT_EQ(text[10], 'T') << text;
    EXPECT_EQ(text.back(), 'Z') << text;
    absl::StatusOr<absl::Time> back = ParseTimestamp(text);
    ASSERT_TRUE(back.ok()) << back.status();
    EXPECT_EQ(*back, absl::FromUnixMillis(absl::ToUnixMillis(t))) << text;
  }
  EXPECT_EQ(FormatTimestamp(absl::FromUnixMillis(1700000000123)),
            "2023-11-14T22:13:20.123Z");
}

TEST(ParseTimestampTest, ReadsRfc3339) {
  EXPECT_EQ(*ParseTimestamp("2023-11-14T22:13:20.123Z"),
            absl::FromUnixMillis(1700000000123));
  EXPECT_EQ(*ParseTimestamp("2023-11-15T06:13:20.123+08:00"),
            absl::FromUnixMillis(1700000000123));
  EXPECT_EQ(*ParseTimestamp("2023-11-14T22:13:20Z"),
            absl::FromUnixSeconds(1700000000));
  EXPECT_EQ(*ParseTimestamp("1969-12-31T23:59:59.999Z"),
            absl::FromUnixMillis(-1));
  EXPECT_EQ(*ParseTimestamp(FormatTimestamp(absl::InfiniteFuture())),
            absl::InfiniteFuture());
}

TEST(ParseTimestampTest, RefusesOtherText) {
  for (const char* bad :
       {"", "2023-11-14", "2023-11-14 22:13:20Z", "2023-11-14T22:13:20",
        "2023-13-14T22:13:20Z", "2023-11-14T22:13:20.123Zx", "yesterday"}) {
    absl::StatusOr<absl::Time> t = ParseTimestamp(bad);
    ASSERT_FALSE(t.ok()) << bad;
    EXPECT_EQ(t.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_NE(t.status().message().find(absl::StrCat("'", bad, "'")),
              std::string::npos)
        << t.status();
  }
}

}  // namespace
}  // namespace gongkai

namespace gongkai {
namespace {

absl::Time Utc(int y, int mo, int d, int h, int mi, int s) {
  return absl::FromCivil(absl::CivilSecond(y, mo, d, h, mi, s),
                         absl::UTCTimeZone());
}

// Stored rows, event checksums and logs carry these bytes; they are frozen.
TEST(FormatTimestampTest, BytesAreFrozen) {
  EXPECT_EQ(FormatTimestamp(absl::UnixEpoch()), "1970-01-01T00:00:00.000Z");
  // Sub-millisecond parts are cut, not rounded, also before the epoch.
  EXPECT_EQ(FormatTimestamp(absl::FromUnixMillis(-1)),
            "1969-12-31T23:59:59.999Z");
  EXPECT_EQ(FormatTimestamp(absl::FromUnixMicros(-1)),
            "1969-12-31T23:59:59.999Z");
  EXPECT_EQ(FormatTimestamp(absl::FromUnixMicros(1999)),
            "1970-01-01T00:00:00.001Z");
  EXPECT_EQ(FormatTimestamp(absl::FromUnixNanos(999999999)),
            "1970-01-01T00:00:00.999Z");
  EXPECT_EQ(FormatTimestamp(Utc(2024, 2, 29, 23, 59, 59)),
            "2024-02-29T23:59:59.000Z");
  EXPECT_EQ(
      FormatTimestamp(Utc(9999, 12, 31, 23, 59, 59) + absl::Milliseconds(999)),
      "9999-12-31T23:59:59.999Z");
  // Four-digit years are zero-padded; years outside 0-9999 are written as
  // they are.
  EXPECT_EQ(FormatTimestamp(Utc(999, 5, 6, 7, 8, 9)),
            "0999-05-06T07:08:09.000Z");
  EXPECT_EQ(FormatTimestamp(Utc(0, 1, 1, 0, 0, 0)), "0000-01-01T00:00:00.000Z");
  EXPECT_EQ(FormatTimestamp(Utc(10000, 1, 1, 0, 0, 0)),
            "10000-01-01T00:00:00.000Z");
  EXPECT_EQ(FormatTimestamp(Utc(-1, 1, 1, 0, 0, 0)), "-1-01-01T00:00:00.000Z");
  EXPECT_EQ(FormatTimestamp(absl::InfiniteFuture()), "infinite-future");
  EXPECT_EQ(FormatTimestamp(absl::InfinitePast()), "infinite-past");
}

}  // namespace
}  // namespace gongkai

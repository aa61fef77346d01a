#include "common/dates.h"

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace gongkai {
namespace {

bool ParseDigits(absl::string_view s, int* out) {
  int v = 0;
  for (char c : s) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(c))) return false;
    v = v * 10 + (c - '0');
  }
  *out = v;
  return !s.empty();
}

}  // namespace

bool IsValidDate(int year, int month, int day) {
  if (year < 1900 || year > 9999 || month < 1 || month > 12 || day < 1) {
    return false;
  }
  absl::CivilDay d(year, month, day);
  return d.year() == year && d.month() == month && d.day() == day;
}

absl::StatusOr<absl::CivilDay> ParseDate(absl::string_view text) {
  int y, m, d;
  if (text.size() != 10 || text[4] != '-' || text[7] != '-' ||
      !ParseDigits(text.substr(0, 4), &y) ||
      !ParseDigits(text.substr(5, 2), &m) ||
      !ParseDigits(text.substr(8, 2), &d)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "'", text,
        "' is not a date; write dates as YYYY-MM-DD, e.g. 2023-03-06"));
  }
  if (!IsValidDate(y, m, d)) {
    return absl::InvalidArgumentError(
        absl::StrCat("'", text, "' is not a real calendar date"));
  }
  return absl::CivilDay(y, m, d);
}

std::string FormatDate(absl::CivilDay day) {
  return absl::StrFormat("%04d-%02d-%02d", day.year(), day.month(), day.day());
}

std::string WeekdayName(absl::CivilDay day) {
  switch (absl::GetWeekday(day)) {
    case absl::Weekday::monday:
      return "Monday";
    case absl::Weekday::tuesday:
      return "Tuesday";
    case absl::Weekday::wednesday:
      return "Wednesday";
    case absl::Weekday::thursday:
      return "Thursday";
    case absl::Weekday::friday:
      return "Friday";
    case absl::Weekday::saturday:
      return "Saturday";
    case absl::Weekday::sunday:
      return "Sunday";
  }
  return "";
}

std::string WeekdayNameZh(absl::CivilDay day) {
  switch (absl::GetWeekday(day)) {
    case absl::Weekday::monday:
      return "星期一";
    case absl::Weekday::tuesday:
      return "星期二";
    case absl::Weekday::wednesday:
      return "星期三";
    case absl::Weekday::thursday:
      return "星期四";
    case absl::Weekday::friday:
      return "星期五";
    case absl::Weekday::saturday:
      return "星期六";
    case absl::Weekday::sunday:
      return "星期日";
  }
  return "";
}

bool IsWeekend(absl::CivilDay day) {
  absl::Weekday w = absl::GetWeekday(day);
  return w == absl::Weekday::saturday || w == absl::Weekday::sunday;
}

absl::CivilDay ChinaDay(absl::Time t) {
  static const absl::TimeZone kChina = absl::FixedTimeZone(8 * 60 * 60);
  return absl::ToCivilDay(t, kChina);
}

std::string FormatTimestamp(absl::Time t) {
  // %E4Y zero-pads years 0-999 to four digits, as RFC 3339 wants; %Y before
  // year 0 keeps the bytes the old hand-written formatter wrote ("-1-01-01"),
  // though no stored timestamp is that old.
  static const absl::Time kYearZero =
      absl::FromCivil(absl::CivilSecond(0, 1, 1, 0, 0, 0), absl::UTCTimeZone());
  return absl::FormatTime(
      t < kYearZero ? "%Y-%m-%dT%H:%M:%E3SZ" : "%E4Y-%m-%dT%H:%M:%E3SZ", t,
      absl::UTCTimeZone());
}

absl::StatusOr<absl::Time> ParseTimestamp(absl::string_view text) {
  absl::Time t;
  std::string err;
  if (!absl::ParseTime(absl::RFC3339_full, text, &t, &err)) {
    return absl::InvalidArgumentError(
        absl::StrCat("'", text, "' is not an RFC 3339 timestamp such as ",
                     "2023-03-06T01:02:03.456Z: ", err));
  }
  return t;
}

std::string FormatChinaTime(absl::Time t) {
  return absl::FormatTime("%Y-%m-%d %H:%M:%S %Ez", t,
                          absl::FixedTimeZone(8 * 60 * 60));
}

std::string ChinaTimeText(absl::string_view rfc3339) {
  if (rfc3339.empty()) return "";
  absl::StatusOr<absl::Time> t = ParseTimestamp(rfc3339);
  return t.ok() ? FormatChinaTime(*t) : std::string(rfc3339);
}

}  // namespace gongkai

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
  // By hand: it runs several times on every write, and absl::FormatTime's
  // general parser costs about a microsecond each time.
  const absl::TimeZone utc = absl::UTCTimeZone();
  const absl::TimeZone::CivilInfo ci = utc.At(t);
  const absl::CivilSecond s = ci.cs;
  if (s.year() < 0 || s.year() > 9999) {
    return absl::FormatTime("%Y-%m-%dT%H:%M:%E3SZ", t, utc);
  }
  const int64_t ms = absl::ToInt64Milliseconds(ci.subsecond);
  char out[25];
  auto put = [&](int at, int64_t value, int digits) {
    for (int i = digits - 1; i >= 0; --i) {
      out[at + i] = static_cast<char>('0' + value % 10);
      value /= 10;
    }
  };
  put(0, s.year(), 4);
  out[4] = '-';
  put(5, s.month(), 2);
  out[7] = '-';
  put(8, s.day(), 2);
  out[10] = 'T';
  put(11, s.hour(), 2);
  out[13] = ':';
  put(14, s.minute(), 2);
  out[16] = ':';
  put(17, s.second(), 2);
  out[19] = '.';
  put(20, ms, 3);
  out[23] = 'Z';
  return std::string(out, 24);
}

}  // namespace gongkai

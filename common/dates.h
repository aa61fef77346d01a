// Calendar dates and timestamps as text: strict YYYY-MM-DD parsing and
// formatting, RFC 3339 timestamps through absl::FormatTime/ParseTime.
// Pure functions; safe from any thread.
#ifndef GONGKAI_COMMON_DATES_H_
#define GONGKAI_COMMON_DATES_H_

#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"

namespace gongkai {

// Parses "YYYY-MM-DD". Rejects anything else, including impossible dates
// such as 2023-02-30, with a message that names the bad value.
absl::StatusOr<absl::CivilDay> ParseDate(absl::string_view text);

// Formats as "YYYY-MM-DD".
std::string FormatDate(absl::CivilDay day);

// True when (year, month, day) is a real calendar date in years 1900-9999.
bool IsValidDate(int year, int month, int day);

// English weekday name ("Monday") and Chinese (星期一).
std::string WeekdayName(absl::CivilDay day);
std::string WeekdayNameZh(absl::CivilDay day);

// True for Saturday and Sunday.
bool IsWeekend(absl::CivilDay day);

// The civil day of `t` in China Standard Time (UTC+8, no daylight saving).
absl::CivilDay ChinaDay(absl::Time t);

// RFC 3339 UTC timestamp with milliseconds, e.g. 2023-03-06T01:02:03.456Z.
// Sub-millisecond parts are cut, not rounded. Stored rows and audit checksums
// hold these bytes, so the format never changes.
std::string FormatTimestamp(absl::Time t);

// Parses an RFC 3339 timestamp: what FormatTimestamp writes, and also other
// offsets ("+08:00"), any number of fractional digits, lower-case 't'/'z',
// surrounding spaces and "infinite-future"/"infinite-past" (absl::ParseTime's
// rules). InvalidArgument, naming the text, for anything else.
absl::StatusOr<absl::Time> ParseTimestamp(absl::string_view text);

// A time as the office reads it: China Standard Time, to the second, with
// its offset, e.g. "2026-12-01 08:21:43 +08:00". For display only; stored
// rows keep FormatTimestamp's UTC.
std::string FormatChinaTime(absl::Time t);
// The same for a stored RFC 3339 timestamp; text that does not parse is
// returned unchanged.
std::string ChinaTimeText(absl::string_view rfc3339);

}  // namespace gongkai

#endif  // GONGKAI_COMMON_DATES_H_

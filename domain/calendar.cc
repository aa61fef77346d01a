#include "domain/calendar.h"

#include <algorithm>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "common/dates.h"
#include "common/lang.h"
#include "common/status_macros.h"
#include "domain/case.h"

namespace gongkai {

// Defined in the generated official_calendar_data.cc (from
// data/calendar/official.txt).
extern const char kOfficialCalendarText[];

namespace {

// A schedule line may name a day of an adjacent year only.
bool NearYear(absl::CivilDay day, int year) {
  return day.year() >= year - 1 && day.year() <= year + 1;
}

std::string ShortDay(absl::CivilDay d, Lang lang) {
  if (lang == Lang::kZh) {
    return absl::StrFormat("%02d-%02d %s", d.month(), d.day(),
                           WeekdayNameZh(d));
  }
  return absl::StrFormat("%02d-%02d %s", d.month(), d.day(),
                         WeekdayName(d).substr(0, 3));
}

}  // namespace

absl::Status WorkCalendar::Add(int year, absl::CivilDay day, DayKind kind,
                               std::string name) {
  if (kind == DayKind::kMakeupWorkday && !IsWeekend(day)) {
    return LocalizedError(
        absl::StatusCode::kInvalidArgument,
        absl::StrCat(FormatDate(day), " 是", WeekdayNameZh(day),
                     "；只有周六或周日才能是调休上班日"),
        absl::StrCat(FormatDate(day), " is a ", WeekdayName(day),
                     "; only a Saturday or Sunday can be a make-up working "
                     "day"));
  }
  auto [it, inserted] =
      listed_.emplace(day, Listed{kind, std::move(name), year});
  if (!inserted) {
    if (it->second.kind != kind) {
      return LocalizedError(
          absl::StatusCode::kInvalidArgument,
          absl::StrCat(FormatDate(day), " 既被列为放假日又被列为上班日"),
          absl::StrCat(FormatDate(day),
                       " is listed both as a day off and as a working day"));
    }
    return LocalizedError(absl::StatusCode::kInvalidArgument,
                          absl::StrCat(FormatDate(day), " 被列了两次"),
                          absl::StrCat(FormatDate(day), " is listed twice"));
  }
  return absl::OkStatus();
}

absl::StatusOr<WorkCalendar> WorkCalendar::Parse(absl::string_view text,
                                                 absl::string_view source) {
  WorkCalendar cal;
  int current_year = 0;
  int line_no = 0;
  for (absl::string_view raw : absl::StrSplit(text, '\n')) {
    ++line_no;
    const std::string where = absl::StrCat(source, ":", line_no, ": ");
    auto fail = [&](absl::string_view zh, absl::string_view en) {
      return PrefixError(
          LocalizedError(absl::StatusCode::kInvalidArgument, zh, en), where,
          where);
    };
    auto fail_with = [&](const absl::Status& why) {
      return PrefixError(why, where, where);
    };
    absl::string_view line = raw;
    if (size_t hash = line.find('#'); hash != absl::string_view::npos) {
      line = line.substr(0, hash);
    }
    line = absl::StripAsciiWhitespace(line);
    if (line.empty()) continue;
    std::vector<absl::string_view> words =
        absl::StrSplit(line, absl::ByAnyChar(" \t"), absl::SkipEmpty());
    absl::string_view directive = words[0];
    if (directive == "year") {
      int y = 0;
      if (words.size() != 2 || !absl::SimpleAtoi(words[1], &y) || y < 1949 ||
          y > 9999) {
        return fail("应为“year YYYY”", "expected 'year YYYY'");
      }
      if (cal.years_.count(y)) {
        return fail(absl::StrCat(y, " 年出现了两次"),
                    absl::StrCat("year ", y, " appears twice"));
      }
      cal.years_.insert(y);
      current_year = y;
      continue;
    }
    if (directive != "off" && directive != "work") {
      return fail(
          absl::StrCat("未知的指令“", directive, "”；应为 year、off 或 work"),
          absl::StrCat("unknown directive '", directive,
                       "'; expected 'year', 'off' or 'work'"));
    }
    if (current_year == 0) {
      return fail("第一行必须是“year YYYY”",
                  "a 'year YYYY' line must come first");
    }
    if (words.size() < 2) {
      return fail("应为日期 YYYY-MM-DD", "expected a date YYYY-MM-DD");
    }
    absl::StatusOr<absl::CivilDay> first = ParseDate(words[1]);
    if (!first.ok()) return fail_with(first.status());
    absl::CivilDay last = *first;
    size_t name_start = 2;
    if (words.size() > 2 && ParseDate(words[2]).ok()) {
      last = *ParseDate(words[2]);
      name_start = 3;
      if (last < *first) {
        return fail("日期范围的结束早于开始",
                    "the range ends before it starts");
      }
      if (last - *first > 31) {
        return fail("一个日期范围最多一个月",
                    "a range may span at most a month");
      }
    }
    if (words.size() > name_start && ParseDate(words[name_start]).ok()) {
      return fail(absl::StrCat("多余的日期“", words[name_start],
                               "”；每行只写一天或一个日期范围"),
                  absl::StrCat("unexpected date '", words[name_start],
                               "'; a line names one day or one range"));
    }
    std::string name;
    for (size_t i = name_start; i < words.size(); ++i) {
      absl::StrAppend(&name, name.empty() ? "" : " ", words[i]);
    }
    // The name is shown in `calendar show` and the deadline explanations:
    // no NUL, no terminal escapes.
    if (absl::Status s =
            ValidateText("the day's name", name, false, 100, 0, false);
        !s.ok()) {
      return fail_with(s);
    }
    DayKind kind =
        directive == "off" ? DayKind::kDayOff : DayKind::kMakeupWorkday;
    for (absl::CivilDay d = *first; d <= last; ++d) {
      if (!NearYear(d, current_year)) {
        return fail(
            absl::StrCat(FormatDate(d), " 不在 ", current_year, " 年前后"),
            absl::StrCat(FormatDate(d), " is not near year ", current_year));
      }
      if (absl::Status s = cal.Add(current_year, d, kind, name); !s.ok()) {
        return fail_with(s);
      }
    }
  }
  if (cal.years_.empty()) {
    return LocalizedError(
        absl::StatusCode::kInvalidArgument,
        absl::StrCat(source, "：文件中没有“year YYYY”安排"),
        absl::StrCat(source, ": no 'year YYYY' schedule in the file"));
  }
  cal.BuildIndex();
  return cal;
}

const WorkCalendar& WorkCalendar::Official() {
  static const WorkCalendar* const kOfficial = [] {
    absl::StatusOr<WorkCalendar> cal =
        Parse(kOfficialCalendarText, "official calendar");
    // The file is checked by the unit tests; an error here is a build defect.
    if (!cal.ok()) abort();
    return new WorkCalendar(*std::move(cal));
  }();
  return *kOfficial;
}

WorkCalendar WorkCalendar::MergedWith(const WorkCalendar& other) const {
  WorkCalendar merged;
  merged.years_ = years_;
  for (const auto& [day, listed] : listed_) {
    if (!other.Covers(listed.year)) merged.listed_.emplace(day, listed);
  }
  for (int y : other.years_) merged.years_.insert(y);
  for (const auto& [day, listed] : other.listed_) {
    merged.listed_.insert_or_assign(day, listed);
  }
  merged.BuildIndex();
  return merged;
}

namespace {
constexpr uint8_t kUncovered = 0xff;

bool Working(DayKind kind) {
  return kind == DayKind::kWorkday || kind == DayKind::kMakeupWorkday;
}
}  // namespace

void WorkCalendar::BuildIndex() {
  kinds_.clear();
  working_upto_.clear();
  uncovered_upto_.clear();
  if (years_.empty()) return;
  index_base_ = absl::CivilDay(*years_.begin(), 1, 1);
  const absl::CivilDay last(*years_.rbegin(), 12, 31);
  int32_t working = 0, uncovered = 0;
  for (absl::CivilDay d = index_base_; d <= last; ++d) {
    absl::StatusOr<DayKind> kind = ClassifySlowly(d);
    if (kind.ok()) {
      kinds_.push_back(static_cast<uint8_t>(*kind));
      if (Working(*kind)) ++working;
    } else {
      kinds_.push_back(kUncovered);
      ++uncovered;
    }
    working_upto_.push_back(working);
    uncovered_upto_.push_back(uncovered);
  }
}

int64_t WorkCalendar::Slot(absl::CivilDay day) const {
  if (kinds_.empty()) return -1;
  const int64_t i = day - index_base_;
  return i >= 0 && i < static_cast<int64_t>(kinds_.size()) ? i : -1;
}

std::vector<int> WorkCalendar::Years() const {
  return std::vector<int>(years_.begin(), years_.end());
}

absl::StatusOr<DayKind> WorkCalendar::Classify(absl::CivilDay day) const {
  if (int64_t i = Slot(day); i >= 0 && kinds_[i] != kUncovered) {
    return static_cast<DayKind>(kinds_[i]);
  }
  return ClassifySlowly(day);
}

absl::StatusOr<DayKind> WorkCalendar::ClassifySlowly(absl::CivilDay day) const {
  if (!Covers(static_cast<int>(day.year()))) {
    return LocalizedError(
        absl::StatusCode::kFailedPrecondition,
        absl::StrCat("工作日历中没有 ", day.year(), " 年的官方放假安排（计算 ",
                     FormatDate(day), " 时需要）；请管理员先导入该年的安排"),
        absl::StrCat(
            "the working-day calendar has no official schedule for ",
            day.year(), " (needed for ", FormatDate(day),
            "); an administrator must load that year's schedule first"));
  }
  if (auto it = listed_.find(day); it != listed_.end()) return it->second.kind;
  return IsWeekend(day) ? DayKind::kWeekend : DayKind::kWorkday;
}

absl::StatusOr<bool> WorkCalendar::IsWorkingDay(absl::CivilDay day) const {
  ASSIGN_OR_RETURN(DayKind kind, Classify(day));
  return kind == DayKind::kWorkday || kind == DayKind::kMakeupWorkday;
}

absl::StatusOr<absl::CivilDay> WorkCalendar::AddWorkingDays(
    absl::CivilDay start, int n, std::vector<CountedDay>* trace) const {
  if (n < 1 || n > 3660) {
    return LocalizedError(
        absl::StatusCode::kInvalidArgument,
        absl::StrCat("工作日数应为 1 至 3660，不能是 ", n),
        absl::StrCat("a number of working days must be 1 to 3660, not ", n));
  }
  if (trace == nullptr) {
    // From the index: the first day whose running count reaches n more.
    if (const int64_t i = Slot(start); i >= 0) {
      auto it = std::lower_bound(working_upto_.begin() + i + 1,
                                 working_upto_.end(), working_upto_[i] + n);
      const int64_t j = it - working_upto_.begin();
      if (it != working_upto_.end() &&
          uncovered_upto_[j] == uncovered_upto_[i]) {
        return index_base_ + j;
      }
    }
  }
  int counted = 0;
  absl::CivilDay d = start;
  while (counted < n) {
    ++d;
    ASSIGN_OR_RETURN(DayKind kind, Classify(d));
    const bool working = Working(kind);
    if (working) ++counted;
    if (trace != nullptr) {
      auto it = listed_.find(d);
      trace->push_back(CountedDay{d, kind,
                                  it == listed_.end() ? "" : it->second.name,
                                  working ? counted : 0});
    }
  }
  return d;
}

absl::StatusOr<int> WorkCalendar::WorkingDaysBetween(absl::CivilDay from,
                                                     absl::CivilDay to) const {
  if (to <= from) return 0;
  if (const int64_t i = Slot(from), j = Slot(to);
      i >= 0 && j >= 0 && uncovered_upto_[j] == uncovered_upto_[i]) {
    return working_upto_[j] - working_upto_[i];
  }
  int count = 0;
  for (absl::CivilDay d = from + 1; d <= to; ++d) {
    ASSIGN_OR_RETURN(bool working, IsWorkingDay(d));
    if (working) ++count;
  }
  return count;
}

absl::StatusOr<int> WorkCalendar::WorkingDaysLeft(absl::CivilDay today,
                                                  absl::CivilDay due) const {
  if (today <= due) return WorkingDaysBetween(today, due);
  ASSIGN_OR_RETURN(int late, WorkingDaysBetween(due, today));
  return -late;
}

std::vector<ScheduledDay> WorkCalendar::Schedule(int year) const {
  std::vector<ScheduledDay> out;
  for (const auto& [day, listed] : listed_) {
    if (listed.year == year) out.push_back({day, listed.kind, listed.name});
  }
  return out;
}

std::string WorkCalendar::YearText(int year) const {
  std::string out = absl::StrCat("year ", year, "\n");
  for (const ScheduledDay& s : Schedule(year)) {
    absl::StrAppend(&out, s.kind == DayKind::kDayOff ? "off  " : "work ",
                    FormatDate(s.day), s.name.empty() ? "" : " ", s.name, "\n");
  }
  return out;
}

std::string WorkCalendar::ToText() const {
  std::string out;
  for (int y : years_) absl::StrAppend(&out, YearText(y));
  return out;
}

std::vector<std::string> DescribeCount(const std::vector<CountedDay>& trace,
                                       Lang lang) {
  const bool en = lang == Lang::kEn;
  std::vector<std::string> lines;
  size_t i = 0;
  while (i < trace.size()) {
    // One line per Monday-to-Sunday week.
    absl::CivilDay week_start =
        trace[i].day - ((static_cast<int>(absl::GetWeekday(trace[i].day)) -
                         static_cast<int>(absl::Weekday::monday) + 7) %
                        7);
    int first_ordinal = 0, last_ordinal = 0;
    std::vector<std::string> makeups, holidays, weekends;
    for (; i < trace.size() && trace[i].day < week_start + 7; ++i) {
      const CountedDay& c = trace[i];
      if (c.ordinal > 0) {
        if (first_ordinal == 0) first_ordinal = c.ordinal;
        last_ordinal = c.ordinal;
      }
      std::string label = ShortDay(c.day, lang);
      if (!c.name.empty()) absl::StrAppend(&label, " ", c.name);
      switch (c.kind) {
        case DayKind::kMakeupWorkday:
          makeups.push_back(label);
          break;
        case DayKind::kDayOff:
          holidays.push_back(label);
          break;
        case DayKind::kWeekend:
          weekends.push_back(ShortDay(c.day, lang));
          break;
        case DayKind::kWorkday:
          break;
      }
    }
    if (!en) {
      std::string line = absl::StrCat(FormatDate(week_start), " 这一周：");
      if (first_ordinal == 0) {
        absl::StrAppend(&line, "未计入工作日");
      } else if (first_ordinal == last_ordinal) {
        absl::StrAppend(&line, "计入第 ", first_ordinal, " 个工作日");
      } else {
        absl::StrAppend(&line, "计入第 ", first_ordinal, "-", last_ordinal,
                        " 个工作日");
      }
      if (!makeups.empty()) {
        absl::StrAppend(&line, "；计入调休上班日 ",
                        absl::StrJoin(makeups, "、"));
      }
      if (!holidays.empty()) {
        absl::StrAppend(&line, "；跳过放假日 ", absl::StrJoin(holidays, "、"));
      }
      if (!weekends.empty()) {
        absl::StrAppend(&line, "；跳过周末 ", absl::StrJoin(weekends, "、"));
      }
      lines.push_back(std::move(line));
      continue;
    }
    std::string line = absl::StrCat("week of ", FormatDate(week_start), ": ");
    if (first_ordinal == 0) {
      absl::StrAppend(&line, "no working day counted");
    } else if (first_ordinal == last_ordinal) {
      absl::StrAppend(&line, "counted working day ", first_ordinal);
    } else {
      absl::StrAppend(&line, "counted working days ", first_ordinal, "-",
                      last_ordinal);
    }
    if (!makeups.empty()) {
      absl::StrAppend(&line, "; counted make-up working day",
                      makeups.size() > 1 ? "s " : " ",
                      absl::StrJoin(makeups, ", "));
    }
    if (!holidays.empty()) {
      absl::StrAppend(&line, "; skipped day", holidays.size() > 1 ? "s" : "",
                      " off ", absl::StrJoin(holidays, ", "));
    }
    if (!weekends.empty()) {
      absl::StrAppend(&line, "; skipped weekend ",
                      absl::StrJoin(weekends, ", "));
    }
    lines.push_back(std::move(line));
  }
  return lines;
}

}  // namespace gongkai

#include "app/calendar_service.h"

#include <algorithm>
#include <map>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "app/due_date.h"
#include "common/dates.h"
#include "common/lang.h"
#include "common/status_macros.h"
#include "domain/case.h"
#include "domain/clocks.h"

namespace gongkai::app {
namespace {

// Open cases are read a page at a time within the load's transaction.
constexpr int kPage = 500;

struct Moved {
  CaseRecord record;
  std::string from, to;
};

// Every line valid UTF-8 without control characters but tabs (and the CR
// of a CRLF line end), so that no holiday name can carry a NUL or a
// terminal escape into the records, the logs or a clerk's screen.
absl::Status CheckCalendarText(absl::string_view text,
                               absl::string_view source) {
  int line_no = 0;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    ++line_no;
    absl::ConsumeSuffix(&line, "\r");
    RETURN_IF_ERROR(PrefixError(ValidateText("text", line, false, 0, 0, false),
                                absl::StrCat(source, " 第 ", line_no, " 行："),
                                absl::StrCat(source, " line ", line_no, ": ")));
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status CheckCalendarYears(const std::vector<int>& years, int this_year,
                                absl::string_view source) {
  const int last = this_year + 2;
  for (int y : years) {
    if (y < kFirstCalendarYear || y > last) {
      return LocalizedError(
          absl::StatusCode::kInvalidArgument,
          absl::StrCat(source, "：", y, " 年不在 ", kFirstCalendarYear, "-",
                       last, " 之内（放假安排自 ", kFirstCalendarYear,
                       " 年起才有，且最多提前一年公布）"),
          absl::StrCat(source, ": year ", y, " is outside ", kFirstCalendarYear,
                       "-", last, " (schedules exist from ", kFirstCalendarYear,
                       ", and are published at most a year ahead)"));
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<WorkingDayCount> CalendarService::AddWorkingDays(
    const Caller& caller, absl::CivilDay start, int days) const {
  RETURN_IF_ERROR(CheckAllowed(caller, "AddWorkingDays"));
  if (days < 1 || days > 366) {
    return LocalizedError(
        absl::StatusCode::kInvalidArgument,
        absl::StrCat("工作日数应为 1 至 366，不能是 ", days),
        absl::StrCat("the number of working days must be 1 to 366, not ",
                     days));
  }
  std::shared_ptr<const WorkCalendar> calendar = env_.calendar->Get();
  std::vector<CountedDay> trace;
  WorkingDayCount out;
  ASSIGN_OR_RETURN(out.result, calendar->AddWorkingDays(start, days, &trace));
  if (caller.lang == Lang::kEn) {
    out.explanation.push_back(absl::StrCat(
        "Counting ", days, " working days after ", FormatDate(start), " (",
        WeekdayName(start), "), which is not itself counted:"));
  } else {
    out.explanation.push_back(
        absl::StrCat("自 ", FormatDate(start), "（", WeekdayNameZh(start),
                     "）之后计算 ", days, " 个工作日，起算日当天不计入："));
  }
  for (const std::string& line : DescribeCount(trace, caller.lang)) {
    out.explanation.push_back(absl::StrCat("  ", line));
  }
  if (caller.lang == Lang::kEn) {
    out.explanation.push_back(absl::StrCat("Result: ", FormatDate(out.result),
                                           " (", WeekdayName(out.result),
                                           ")."));
  } else {
    out.explanation.push_back(absl::StrCat("结果：", FormatDate(out.result),
                                           "（", WeekdayNameZh(out.result),
                                           "）。"));
  }
  return out;
}

absl::StatusOr<CalendarYearView> CalendarService::GetCalendarYear(
    const Caller& caller, int year) const {
  RETURN_IF_ERROR(CheckAllowed(caller, "GetCalendarYear"));
  std::shared_ptr<const WorkCalendar> calendar = env_.calendar->Get();
  if (!calendar->Covers(year)) {
    std::string years;
    for (int y : calendar->Years())
      absl::StrAppend(&years, years.empty() ? "" : ", ", y);
    return LocalizedError(
        absl::StatusCode::kNotFound,
        absl::StrCat("工作日历中没有 ", year, " 年的安排；已有的年份：", years),
        absl::StrCat("the calendar has no schedule for ", year, "; it covers ",
                     years));
  }
  CalendarYearView view;
  view.year = year;
  view.schedule = calendar->Schedule(year);
  ASSIGN_OR_RETURN(view.working_days,
                   calendar->WorkingDaysBetween(absl::CivilDay(year, 1, 1) - 1,
                                                absl::CivilDay(year, 12, 31)));
  return view;
}

absl::StatusOr<CalendarLoadResult> CalendarService::LoadCalendar(
    const Caller& caller, const std::string& text, const std::string& source,
    bool replace) {
  if (text.size() > 1024 * 1024) {
    return LocalizedError(absl::StatusCode::kInvalidArgument,
                          "日历文件最大为 1 MiB",
                          "a calendar file may be at most 1 MiB");
  }
  RETURN_IF_ERROR(
      ValidateText("calendar source name", source, false, 200, 0, false));
  const std::string name = source.empty() ? "calendar" : source;
  RETURN_IF_ERROR(CheckCalendarText(text, name));
  ASSIGN_OR_RETURN(WorkCalendar loaded, WorkCalendar::Parse(text, name));
  const std::vector<int> years = loaded.Years();
  if (years.size() > static_cast<size_t>(kMaxYearsPerLoad)) {
    return LocalizedError(
        absl::StatusCode::kInvalidArgument,
        absl::StrCat(name, " 含有 ", years.size(), " 年的安排；每次最多导入 ",
                     kMaxYearsPerLoad, " 年"),
        absl::StrCat(name, " holds ", years.size(), " years; load at most ",
                     kMaxYearsPerLoad, " at a time"));
  }
  RETURN_IF_ERROR(CheckCalendarYears(years, env_.time->Today().year(), name));
  std::map<int, std::string> year_texts;
  for (int y : years) year_texts[y] = loaded.YearText(y);

  std::lock_guard<std::mutex> lock(load_mu_);
  const std::shared_ptr<const WorkCalendar> before = env_.calendar->Get();
  if (!replace) {
    // (Someone who may not load calendars hears that instead.)
    std::string present;
    for (int y : years) {
      if (before->Covers(y)) {
        absl::StrAppend(&present, present.empty() ? "" : ", ", y);
      }
    }
    if (!present.empty()) {
      RETURN_IF_ERROR(CheckAllowed(caller, "LoadCalendar"));
      return LocalizedError(
          absl::StatusCode::kFailedPrecondition,
          absl::StrCat("工作日历中已有 ", present,
                       " 年的安排；如要替换正在使用的安排，请加 --replace 重新"
                       "导入（未办结案件的期限将重新计算）"),
          absl::StrCat(
              "the calendar already has ", present,
              "; to replace a schedule in force, load it again with --replace "
              "(open cases' deadlines are recounted)"));
    }
  }
  const WorkCalendar after = before->MergedWith(loaded);
  const absl::CivilDay today = env_.time->Today();
  const absl::Time at = env_.time->Now();
  // The reply deadline as a clerk reads it: a date, "paused" or "unknown".
  auto due_text = [&](const std::vector<CaseEvent>& events,
                      const WorkCalendar& cal, absl::CivilDay received) {
    absl::StatusOr<ClockReport> r = ComputeClocks(
        events, cal, env_.clock_options, std::max(today, received));
    if (!r.ok()) return std::string("unknown");
    return r->reply_due ? FormatDate(*r->reply_due) : std::string("paused");
  };

  int rescheduled = 0;
  std::string actor;
  RETURN_IF_ERROR(env_.store->Write([&](storage::Tables& t) -> absl::Status {
    ASSIGN_OR_RETURN(Caller now, ConfirmCaller(t, caller, "LoadCalendar"));
    actor = now.name;
    // Every open case whose deadline moves, judged on this transaction's
    // rows so none changed in between is missed.
    std::vector<Moved> moved;
    storage::CaseQuery query;
    query.open_only = true;
    query.limit = kPage;
    while (true) {
      ASSIGN_OR_RETURN(storage::CasePage page, t.cases().List(query));
      std::vector<int64_t> ids;
      ids.reserve(page.cases.size());
      for (const CaseRecord& c : page.cases) ids.push_back(c.id);
      ASSIGN_OR_RETURN(auto events, t.cases().EventsOf(ids));
      if (page.cases.empty()) break;
      query.after =
          std::make_pair(page.cases.back().received_on, page.cases.back().id);
      for (CaseRecord& c : page.cases) {
        const std::vector<CaseEvent>& e = events[c.id];
        std::string from = due_text(e, *before, c.received_on);
        std::string to = due_text(e, after, c.received_on);
        if (from != to) {
          moved.push_back({std::move(c), std::move(from), std::move(to)});
        }
      }
      if (!page.more) break;
    }
    RETURN_IF_ERROR(
        t.calendar().SaveYears(year_texts, name, text, now.name, at));
    // Each moved deadline is recorded in its case's history; the report's
    // figures do not depend on deadlines, so no published year is touched.
    for (const Moved& m : moved) {
      CaseRecord changed = m.record;
      ++changed.version;
      changed.updated_at = at;
      CaseEvent e;
      e.kind = "deadline_recalculated";
      e.effective_on = std::max(today, m.record.received_on);
      e.recorded_at = at;
      e.actor = now.name;
      e.details.Set("from", m.from);
      e.details.Set("to", m.to);
      e.details.Set("source", name);
      RETURN_IF_ERROR(t.cases().Update(m.record, changed, &e));
    }
    rescheduled = static_cast<int>(moved.size());
    return absl::OkStatus();
  }));
  env_.calendar->Set(after);
  // The deadlines kept for listing follow the new calendar (not in the
  // load's transaction: a failure here leaves them to the next start).
  if (absl::StatusOr<int64_t> n = RefreshDueDates(env_); !n.ok() && env_.log) {
    env_.log(
        absl::StrCat("reply deadlines not recounted after the "
                     "calendar load: ",
                     n.status().message()));
  }
  if (env_.on_case_changed) env_.on_case_changed("");
  if (env_.log) {
    env_.log(absl::StrCat("calendar loaded from ", name, " by ", actor, ": ",
                          year_texts.size(), " year(s), ", rescheduled,
                          " open case(s) rescheduled"));
  }
  CalendarLoadResult result;
  result.years = loaded.Years();
  result.covered_years = after.Years();
  result.cases_rescheduled = rescheduled;
  return result;
}

}  // namespace gongkai::app

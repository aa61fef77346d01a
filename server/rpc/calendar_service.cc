#include "server/rpc/calendar_service.h"

#include "absl/strings/str_cat.h"
#include "common/dates.h"
#include "common/status_macros.h"
#include "domain/clocks.h"
#include "server/rpc/boundary.h"
#include "convert/proto_convert.h"

namespace gongkai::rpc {

grpc::Status CalendarServiceImpl::AddWorkingDays(
    grpc::ServerContext* context, const v1::AddWorkingDaysRequest* request,
    v1::AddWorkingDaysResponse* response) {
  return Serve(env_, "AddWorkingDays", *context, [&]() -> absl::Status {
    ASSIGN_OR_RETURN(absl::CivilDay start,
                     FromProto(request->start(), "start date"));
    if (request->days() < 1 || request->days() > 366) {
      return absl::InvalidArgumentError(
          absl::StrCat("the number of working days must be 1 to 366, not ",
                       request->days()));
    }
    std::shared_ptr<const WorkCalendar> calendar = env_.calendar->Get();
    std::vector<CountedDay> trace;
    ASSIGN_OR_RETURN(absl::CivilDay result,
                     calendar->AddWorkingDays(start, request->days(), &trace));
    ToProto(result, response->mutable_result());
    response->add_explanation(absl::StrCat(
        "Counting ", request->days(), " working days after ", FormatDate(start),
        " (", WeekdayName(start), "), which is not itself counted:"));
    for (const std::string& line : DescribeCount(trace)) {
      response->add_explanation(absl::StrCat("  ", line));
    }
    response->add_explanation(absl::StrCat("Result: ", FormatDate(result), " (",
                                           WeekdayName(result), ")."));
    return absl::OkStatus();
  });
}

grpc::Status CalendarServiceImpl::GetCalendarYear(
    grpc::ServerContext* context, const v1::GetCalendarYearRequest* request,
    v1::CalendarYear* response) {
  return Serve(env_, "GetCalendarYear", *context, [&]() -> absl::Status {
    std::shared_ptr<const WorkCalendar> calendar = env_.calendar->Get();
    const int year = request->year();
    if (!calendar->Covers(year)) {
      std::string years;
      for (int y : calendar->Years())
        absl::StrAppend(&years, years.empty() ? "" : ", ", y);
      return absl::NotFoundError(absl::StrCat(
          "the calendar has no schedule for ", year, "; it covers ", years));
    }
    response->set_year(year);
    for (const ScheduledDay& s : calendar->Schedule(year)) {
      v1::CalendarDay* day = s.kind == DayKind::kDayOff
                                 ? response->add_days_off()
                                 : response->add_makeup_workdays();
      ToProto(s.day, day->mutable_date());
      day->set_name(s.name);
    }
    ASSIGN_OR_RETURN(int working, calendar->WorkingDaysBetween(
                                      absl::CivilDay(year, 1, 1) - 1,
                                      absl::CivilDay(year, 12, 31)));
    response->set_working_days(working);
    return absl::OkStatus();
  });
}

grpc::Status CalendarServiceImpl::LoadCalendar(
    grpc::ServerContext* context, const v1::LoadCalendarRequest* request,
    v1::LoadCalendarResponse* response) {
  return Serve(env_, "LoadCalendar", *context, [&]() -> absl::Status {
    if (request->text().size() > 1024 * 1024) {
      return absl::InvalidArgumentError("a calendar file may be at most 1 MiB");
    }
    RETURN_IF_ERROR(ValidateText("calendar source name", request->source(),
                                 false, 200, 0, false));
    const std::string source =
        request->source().empty() ? "calendar" : request->source();
    ASSIGN_OR_RETURN(WorkCalendar loaded,
                     WorkCalendar::Parse(request->text(), source));
    std::shared_ptr<const WorkCalendar> before = env_.calendar->Get();
    WorkCalendar after = before->MergedWith(loaded);

    // The reply deadline of every open case before and after the change.
    const absl::CivilDay today = env_.time->Today();
    struct Moved {
      std::string case_no;
      std::string from, to;
    };
    std::vector<Moved> moved;
    auto due_text = [&](const std::vector<CaseEvent>& events,
                        const WorkCalendar& cal, absl::CivilDay received) {
      absl::StatusOr<ClockReport> r = ComputeClocks(
          events, cal, env_.clock_options, std::max(today, received));
      if (!r.ok()) return std::string("unknown");
      return r->reply_due ? FormatDate(*r->reply_due) : std::string("paused");
    };
    RETURN_IF_ERROR(storage::ForEachOpenCase(
        *env_.store,
        [&](const CaseRecord& c, const std::vector<CaseEvent>& events) {
          std::string from = due_text(events, *before, c.received_on);
          std::string to = due_text(events, after, c.received_on);
          if (from != to) moved.push_back({c.case_no, from, to});
          return absl::OkStatus();
        }));

    std::map<int, std::string> year_texts;
    for (int y : loaded.Years()) year_texts[y] = loaded.YearText(y);
    const ActionContext action{CallerName(*context), env_.time->Now(), today};
    RETURN_IF_ERROR(env_.store->SaveCalendarYears(
        year_texts, source, request->text(), action.actor, action.now));
    env_.calendar->Set(after);

    // Each moved deadline is recorded in its case's history.
    for (const Moved& m : moved) {
      absl::Status s =
          env_.store
              ->UpdateCase(m.case_no,
                           [&](CaseRecord& c, const std::vector<CaseEvent>&)
                               -> absl::StatusOr<CaseEvent> {
                             ++c.version;
                             c.updated_at = action.now;
                             CaseEvent e;
                             e.kind = "deadline_recalculated";
                             e.effective_on = std::max(today, c.received_on);
                             e.recorded_at = action.now;
                             e.actor = action.actor;
                             e.details.Set("from", m.from);
                             e.details.Set("to", m.to);
                             e.details.Set("source", source);
                             return e;
                           })
              .status();
      if (!s.ok() && env_.log) {
        env_.log(absl::StrCat("error: cannot record the new deadline of ",
                              m.case_no, ": ", s.message()));
      }
    }
    if (env_.on_case_changed) env_.on_case_changed("");
    if (env_.log) {
      env_.log(absl::StrCat("calendar loaded from ", source, " by ",
                            action.actor, ": ", year_texts.size(), " year(s), ",
                            moved.size(), " open case(s) rescheduled"));
    }
    for (int y : loaded.Years()) response->add_years(y);
    for (int y : after.Years()) response->add_covered_years(y);
    response->set_cases_rescheduled(static_cast<int>(moved.size()));
    return absl::OkStatus();
  });
}

}  // namespace gongkai::rpc

#include "server/rpc/calendar_service.h"

#include "absl/strings/str_cat.h"
#include "common/dates.h"
#include "common/status_macros.h"
#include "server/rpc/boundary.h"
#include "server/rpc/convert.h"

namespace gongkai::rpc {

grpc::Status CalendarServiceImpl::AddWorkingDays(
    grpc::ServerContext* context, const v1::AddWorkingDaysRequest* request,
    v1::AddWorkingDaysResponse* response) {
  return Serve(env_, "AddWorkingDays", *context, [&]() -> absl::Status {
    ASSIGN_OR_RETURN(absl::CivilDay start, FromProto(request->start(), "start date"));
    if (request->days() < 1 || request->days() > 366) {
      return absl::InvalidArgumentError(absl::StrCat(
          "the number of working days must be 1 to 366, not ", request->days()));
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
      for (int y : calendar->Years()) absl::StrAppend(&years, years.empty() ? "" : ", ", y);
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
    ASSIGN_OR_RETURN(int working,
                     calendar->WorkingDaysBetween(absl::CivilDay(year, 1, 1) - 1,
                                                  absl::CivilDay(year, 12, 31)));
    response->set_working_days(working);
    return absl::OkStatus();
  });
}

}  // namespace gongkai::rpc

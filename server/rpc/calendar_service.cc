#include "server/rpc/calendar_service.h"

#include "common/status_macros.h"
#include "convert/proto_convert.h"
#include "server/rpc/boundary.h"

namespace gongkai::rpc {

grpc::Status CalendarServiceImpl::AddWorkingDays(
    grpc::ServerContext* context, const v1::AddWorkingDaysRequest* request,
    v1::AddWorkingDaysResponse* response) {
  return Serve(env_, "AddWorkingDays", *context,
               [&](const Caller& caller) -> absl::Status {
                 ASSIGN_OR_RETURN(absl::CivilDay start,
                                  FromProto(request->start(), "start date"));
                 ASSIGN_OR_RETURN(
                     app::WorkingDayCount count,
                     calendar_.AddWorkingDays(caller, start, request->days()));
                 ToProto(count.result, response->mutable_result());
                 for (const std::string& line : count.explanation) {
                   response->add_explanation(line);
                 }
                 return absl::OkStatus();
               });
}

grpc::Status CalendarServiceImpl::GetCalendarYear(
    grpc::ServerContext* context, const v1::GetCalendarYearRequest* request,
    v1::CalendarYear* response) {
  return Serve(env_, "GetCalendarYear", *context,
               [&](const Caller& caller) -> absl::Status {
                 ASSIGN_OR_RETURN(
                     app::CalendarYearView view,
                     calendar_.GetCalendarYear(caller, request->year()));
                 response->set_year(view.year);
                 for (const ScheduledDay& s : view.schedule) {
                   v1::CalendarDay* day = s.kind == DayKind::kDayOff
                                              ? response->add_days_off()
                                              : response->add_makeup_workdays();
                   ToProto(s.day, day->mutable_date());
                   day->set_name(s.name);
                 }
                 response->set_working_days(view.working_days);
                 return absl::OkStatus();
               });
}

grpc::Status CalendarServiceImpl::LoadCalendar(
    grpc::ServerContext* context, const v1::LoadCalendarRequest* request,
    v1::LoadCalendarResponse* response) {
  return Serve(env_, "LoadCalendar", *context,
               [&](const Caller& caller) -> absl::Status {
                 ASSIGN_OR_RETURN(app::CalendarLoadResult loaded,
                                  calendar_.LoadCalendar(
                                      caller, request->text(),
                                      request->source(), request->replace()));
                 for (int y : loaded.years) response->add_years(y);
                 for (int y : loaded.covered_years) {
                   response->add_covered_years(y);
                 }
                 response->set_cases_rescheduled(loaded.cases_rescheduled);
                 return absl::OkStatus();
               });
}

}  // namespace gongkai::rpc

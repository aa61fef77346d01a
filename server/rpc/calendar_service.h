// CalendarService: the gRPC face of app::CalendarService — counting working
// days, showing a year's schedule, loading a calendar. Thread-safe.
#ifndef GONGKAI_SERVER_RPC_CALENDAR_SERVICE_H_
#define GONGKAI_SERVER_RPC_CALENDAR_SERVICE_H_

#include "app/calendar_service.h"
#include "app/environment.h"
#include "gongkai/v1/calendar_service.grpc.pb.h"
#include "server/rpc/boundary.h"

namespace gongkai::rpc {

class CalendarServiceImpl final : public v1::CalendarService::Service {
 public:
  explicit CalendarServiceImpl(const Environment& env)
      : env_(env), calendar_(env) {}

  grpc::Status AddWorkingDays(grpc::ServerContext* context,
                              const v1::AddWorkingDaysRequest* request,
                              v1::AddWorkingDaysResponse* response) override;
  grpc::Status GetCalendarYear(grpc::ServerContext* context,
                               const v1::GetCalendarYearRequest* request,
                               v1::CalendarYear* response) override;
  grpc::Status LoadCalendar(grpc::ServerContext* context,
                            const v1::LoadCalendarRequest* request,
                            v1::LoadCalendarResponse* response) override;

 private:
  Environment env_;
  app::CalendarService calendar_;
};

}  // namespace gongkai::rpc

#endif  // GONGKAI_SERVER_RPC_CALENDAR_SERVICE_H_

// AlertService: lists the alerts in force on a day (less those the caller
// acknowledged or snoozed), marks them for the caller, and streams new ones.
// Thread-safe.
#ifndef GONGKAI_SERVER_RPC_ALERT_SERVICE_H_
#define GONGKAI_SERVER_RPC_ALERT_SERVICE_H_

#include <atomic>

#include "app/alert_marks.h"
#include "app/environment.h"
#include "gongkai/v1/alert_service.grpc.pb.h"
#include "server/rpc/boundary.h"

namespace gongkai::rpc {

class AlertServiceImpl final : public v1::AlertService::Service {
 public:
  explicit AlertServiceImpl(const Environment& env) : env_(env), marks_(env) {}

  grpc::Status ListAlerts(grpc::ServerContext* context,
                          const v1::ListAlertsRequest* request,
                          v1::ListAlertsResponse* response) override;
  grpc::Status MarkAlert(grpc::ServerContext* context,
                         const v1::MarkAlertRequest* request,
                         v1::MarkAlertResponse* response) override;
  grpc::Status WatchAlerts(grpc::ServerContext* context,
                           const v1::WatchAlertsRequest* request,
                           grpc::ServerWriter<v1::Alert>* writer) override;

  // Ends every open watch stream (at shutdown).
  void StopWatches() { stopping_ = true; }

 private:
  // Every alert in force on `as_of`, from the scheduler's index when it is
  // up to date, else from the records.
  absl::StatusOr<std::vector<Alert>> InForce(absl::CivilDay as_of) const;

  Environment env_;
  app::AlertMarks marks_;
  std::atomic<bool> stopping_{false};
};

}  // namespace gongkai::rpc

#endif  // GONGKAI_SERVER_RPC_ALERT_SERVICE_H_

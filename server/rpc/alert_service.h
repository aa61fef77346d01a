// AlertService: lists the alerts in force on a day and streams new ones.
// Thread-safe.
#ifndef GONGKAI_SERVER_RPC_ALERT_SERVICE_H_
#define GONGKAI_SERVER_RPC_ALERT_SERVICE_H_

#include <atomic>

#include "app/environment.h"
#include "gongkai/v1/alert_service.grpc.pb.h"
#include "server/rpc/boundary.h"

namespace gongkai::rpc {

class AlertServiceImpl final : public v1::AlertService::Service {
 public:
  explicit AlertServiceImpl(const Environment& env) : env_(env) {}

  grpc::Status ListAlerts(grpc::ServerContext* context,
                          const v1::ListAlertsRequest* request,
                          v1::ListAlertsResponse* response) override;
  grpc::Status WatchAlerts(grpc::ServerContext* context,
                           const v1::WatchAlertsRequest* request,
                           grpc::ServerWriter<v1::Alert>* writer) override;

  // Ends every open watch stream (at shutdown).
  void StopWatches() { stopping_ = true; }

 private:
  Environment env_;
  std::atomic<bool> stopping_{false};
};

}  // namespace gongkai::rpc

#endif  // GONGKAI_SERVER_RPC_ALERT_SERVICE_H_

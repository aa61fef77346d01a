// ReportService: the gRPC face of app::ReportService — the year-end report,
// its publication, appeals, table 2 figures and the case ledger. Each handler
// converts the request to domain values, calls the application layer with
// the authenticated caller, and converts the result. Thread-safe.
#ifndef GONGKAI_SERVER_RPC_REPORT_SERVICE_H_
#define GONGKAI_SERVER_RPC_REPORT_SERVICE_H_

#include "app/environment.h"
#include "app/report_service.h"
#include "gongkai/v1/report_service.grpc.pb.h"
#include "server/rpc/boundary.h"

namespace gongkai::rpc {

class ReportServiceImpl final : public v1::ReportService::Service {
 public:
  explicit ReportServiceImpl(const Environment& env)
      : env_(env), reports_(env) {}

  grpc::Status GetReport(grpc::ServerContext* context,
                         const v1::GetReportRequest* request,
                         v1::Report* response) override;
  grpc::Status PublishReport(grpc::ServerContext* context,
                             const v1::PublishReportRequest* request,
                             v1::Report* response) override;
  grpc::Status CreateAppeal(grpc::ServerContext* context,
                            const v1::CreateAppealRequest* request,
                            v1::Appeal* response) override;
  grpc::Status DecideAppeal(grpc::ServerContext* context,
                            const v1::DecideAppealRequest* request,
                            v1::Appeal* response) override;
  grpc::Status ListAppeals(grpc::ServerContext* context,
                           const v1::ListAppealsRequest* request,
                           v1::ListAppealsResponse* response) override;
  grpc::Status SetProactive(grpc::ServerContext* context,
                            const v1::SetProactiveRequest* request,
                            v1::ProactiveFigures* response) override;
  grpc::Status GetProactive(grpc::ServerContext* context,
                            const v1::GetProactiveRequest* request,
                            v1::ProactiveFigures* response) override;
  grpc::Status ImportLedger(grpc::ServerContext* context,
                            grpc::ServerReader<v1::ImportLedgerRequest>* reader,
                            v1::ImportLedgerResponse* response) override;
  grpc::Status ExportLedger(grpc::ServerContext* context,
                            const v1::ExportLedgerRequest* request,
                            v1::ExportLedgerResponse* response) override;

 private:
  Environment env_;
  app::ReportService reports_;
};

}  // namespace gongkai::rpc

#endif  // GONGKAI_SERVER_RPC_REPORT_SERVICE_H_

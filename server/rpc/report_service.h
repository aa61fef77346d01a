// ReportService: the year-end report computed from the records, its
// publication (period lock), appeals, table 2 figures, and the case ledger.
// Thread-safe.
#ifndef GONGKAI_SERVER_RPC_REPORT_SERVICE_H_
#define GONGKAI_SERVER_RPC_REPORT_SERVICE_H_

#include "gongkai/v1/report_service.grpc.pb.h"
#include "domain/report.h"
#include "app/environment.h"
#include "server/rpc/boundary.h"

namespace gongkai::rpc {

// Which records a report covers and how it is published.
struct ReportScope {
  std::string key;                    // publication key: agency code, or ''
  std::vector<std::string> agencies;  // agencies counted; empty: all
  std::string name;                   // printed on the report
};

// One agency's scope, or (agency empty) everything the caller sees.
absl::StatusOr<ReportScope> ScopeFor(const Environment& env,
                                     const std::string& agency);

// Computes and verifies the report of `year` from the store.
absl::StatusOr<AnnualReport> BuildReport(const Environment& env, int year,
                                         const ReportScope& scope);

class ReportServiceImpl final : public v1::ReportService::Service {
 public:
  explicit ReportServiceImpl(const Environment& env) : env_(env) {}

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
                            const v1::ImportLedgerRequest* request,
                            v1::ImportLedgerResponse* response) override;
  grpc::Status ExportLedger(grpc::ServerContext* context,
                            const v1::ExportLedgerRequest* request,
                            v1::ExportLedgerResponse* response) override;

 private:
  absl::Status FillReport(int year, const ReportScope& scope,
                          v1::Report* out) const;

  Environment env_;
};

}  // namespace gongkai::rpc

#endif  // GONGKAI_SERVER_RPC_REPORT_SERVICE_H_

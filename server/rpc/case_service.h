// CaseService: logs applications and moves them through their lifecycle.
// Handlers are thin: validate the request, let the domain decide, let the
// store persist (case and event in one transaction), reply. Thread-safe.
#ifndef GONGKAI_SERVER_RPC_CASE_SERVICE_H_
#define GONGKAI_SERVER_RPC_CASE_SERVICE_H_

#include "gongkai/v1/case_service.grpc.pb.h"
#include "server/rpc/environment.h"

namespace gongkai::rpc {

class CaseServiceImpl final : public v1::CaseService::Service {
 public:
  explicit CaseServiceImpl(const Environment& env) : env_(env) {}

  grpc::Status CreateCase(grpc::ServerContext* context,
                          const v1::CreateCaseRequest* request,
                          v1::Case* response) override;
  grpc::Status GetCase(grpc::ServerContext* context,
                       const v1::GetCaseRequest* request,
                       v1::Case* response) override;
  grpc::Status ListCases(grpc::ServerContext* context,
                         const v1::ListCasesRequest* request,
                         v1::ListCasesResponse* response) override;
  grpc::Status AnswerCase(grpc::ServerContext* context,
                          const v1::AnswerCaseRequest* request,
                          v1::Case* response) override;

 private:
  ActionContext Action(const grpc::ServerContext& context) const;
  // The stored case plus its derived deadline (and events when asked).
  absl::Status Render(const CaseRecord& record, bool with_events,
                      v1::Case* out) const;

  Environment env_;
};

}  // namespace gongkai::rpc

#endif  // GONGKAI_SERVER_RPC_CASE_SERVICE_H_

// CaseService: logs applications and moves them through their lifecycle.
// Handlers are thin: validate the request, let the domain decide, let the
// store persist (case and event in one transaction), reply. Thread-safe.
#ifndef GONGKAI_SERVER_RPC_CASE_SERVICE_H_
#define GONGKAI_SERVER_RPC_CASE_SERVICE_H_

#include <functional>

#include "gongkai/v1/case_service.grpc.pb.h"
#include "domain/lifecycle.h"
#include "app/environment.h"
#include "server/rpc/boundary.h"

namespace gongkai::rpc {

// The stored case with its derived clocks (and events when `with_events`).
// The case if it exists and the caller may see its agency; NOT_FOUND
// otherwise (another agency's case is indistinguishable from a missing one).
absl::StatusOr<CaseRecord> VisibleCase(const Environment& env,
                                       absl::string_view case_no);

// The agency for a new record: the requested one, or the caller's only
// agency; checks it exists and the caller works for it. "" when no agencies
// are set up.
absl::StatusOr<std::string> ResolveAgency(const Environment& env,
                                          const std::string& requested);

// Identity numbers and contacts are masked unless `reveal`.
absl::Status RenderCase(const Environment& env, const CaseRecord& record,
                        const std::vector<CaseEvent>& events, bool with_events,
                        v1::Case* out, bool reveal = false);

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
  grpc::Status WithdrawCase(grpc::ServerContext* context,
                            const v1::WithdrawCaseRequest* request,
                            v1::Case* response) override;
  grpc::Status RequestCorrection(grpc::ServerContext* context,
                                 const v1::RequestCorrectionRequest* request,
                                 v1::Case* response) override;
  grpc::Status RecordCorrection(grpc::ServerContext* context,
                                const v1::RecordCorrectionRequest* request,
                                v1::Case* response) override;
  grpc::Status StartConsultation(grpc::ServerContext* context,
                                 const v1::StartConsultationRequest* request,
                                 v1::Case* response) override;
  grpc::Status RecordConsultationReply(
      grpc::ServerContext* context,
      const v1::RecordConsultationReplyRequest* request,
      v1::Case* response) override;
  grpc::Status ExtendDeadline(grpc::ServerContext* context,
                              const v1::ExtendDeadlineRequest* request,
                              v1::Case* response) override;
  grpc::Status SendFeeNotice(grpc::ServerContext* context,
                             const v1::SendFeeNoticeRequest* request,
                             v1::Case* response) override;
  grpc::Status RecordFeePayment(grpc::ServerContext* context,
                                const v1::RecordFeePaymentRequest* request,
                                v1::Case* response) override;
  grpc::Status AssignCase(grpc::ServerContext* context,
                          const v1::AssignCaseRequest* request,
                          v1::Case* response) override;
  grpc::Status ExplainDeadline(grpc::ServerContext* context,
                               const v1::ExplainDeadlineRequest* request,
                               v1::DeadlineExplanation* response) override;

 private:
  using Transition = std::function<absl::StatusOr<CaseEvent>(
      const Lifecycle&, CaseRecord&, const std::vector<CaseEvent>&)>;

  // The shared path of every lifecycle action: resolve the case, apply the
  // transition in one store transaction, reply with the updated case.
  grpc::Status Act(absl::string_view method, grpc::ServerContext* context,
                   const std::string& name,
                   const std::function<absl::Status()>& validate,
                   const Transition& transition, v1::Case* response);

  ActionContext Action(const grpc::ServerContext& context) const;

  Environment env_;
};

}  // namespace gongkai::rpc

#endif  // GONGKAI_SERVER_RPC_CASE_SERVICE_H_

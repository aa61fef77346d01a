// The gRPC face of app::CaseService. Each handler authenticates the call,
// converts the request to domain values, calls the use case with the caller,
// and converts the result back; no rule is decided here. Thread-safe.
#ifndef GONGKAI_SERVER_RPC_CASE_SERVICE_H_
#define GONGKAI_SERVER_RPC_CASE_SERVICE_H_

#include <functional>

#include "app/case_service.h"
#include "app/environment.h"
#include "gongkai/v1/case_service.grpc.pb.h"
#include "server/rpc/boundary.h"

namespace gongkai::rpc {

// Fills `out` from a case view: stored fields, clocks, consultations, the
// fee asked, events when `with_events`. Identity numbers and contacts are
// masked unless `reveal`. Texts for a reader (event summaries, clock state
// labels, a deadline problem) are in `lang`.
void RenderCase(const app::CaseView& view, bool with_events, bool reveal,
                Lang lang, v1::Case* out);

class CaseServiceImpl final : public v1::CaseService::Service {
 public:
  explicit CaseServiceImpl(const Environment& env) : env_(env), cases_(env) {}

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
  grpc::Status RecordConsultationReceipt(
      grpc::ServerContext* context,
      const v1::RecordConsultationReceiptRequest* request,
      v1::Case* response) override;
  grpc::Status MarkComplete(grpc::ServerContext* context,
                            const v1::MarkCompleteRequest* request,
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
  grpc::Status AmendCase(grpc::ServerContext* context,
                         const v1::AmendCaseRequest* request,
                         v1::Case* response) override;
  grpc::Status ReopenCase(grpc::ServerContext* context,
                          const v1::ReopenCaseRequest* request,
                          v1::Case* response) override;
  grpc::Status ExplainDeadline(grpc::ServerContext* context,
                               const v1::ExplainDeadlineRequest* request,
                               v1::DeadlineExplanation* response) override;

 private:
  // Runs one lifecycle step named `method` on the case `name` and replies
  // with the case as committed.
  grpc::Status Step(absl::string_view method, grpc::ServerContext* context,
                    v1::Case* response,
                    const std::function<absl::StatusOr<app::CaseView>(
                        const app::Caller&, const app::WriteOptions&)>& call);

  const Environment& env_;
  app::CaseService cases_;
};

}  // namespace gongkai::rpc

#endif  // GONGKAI_SERVER_RPC_CASE_SERVICE_H_

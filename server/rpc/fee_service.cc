#include "server/rpc/fee_service.h"

#include "common/status_macros.h"
#include "convert/proto_convert.h"
#include "server/rpc/boundary.h"

namespace gongkai::rpc {

grpc::Status FeeServiceImpl::QuoteFee(grpc::ServerContext* context,
                                      const v1::QuoteFeeRequest* request,
                                      v1::FeeQuote* response) {
  return Serve(
      env_, "QuoteFee", *context, [&](const Caller& caller) -> absl::Status {
        app::FeeBasis basis;
        switch (request->basis_case()) {
          case v1::QuoteFeeRequest::kPages:
            basis.pages = request->pages();
            break;
          case v1::QuoteFeeRequest::kPiecesThisMonth:
            basis.pieces_this_month = request->pieces_this_month();
            break;
          case v1::QuoteFeeRequest::kApplicant:
            basis.applicant = request->applicant();
            if (request->has_month_of()) {
              ASSIGN_OR_RETURN(basis.month_of,
                               FromProto(request->month_of(), "month"));
            }
            break;
          default:
            break;  // the application layer says what to give
        }
        ASSIGN_OR_RETURN(app::FeeQuote quote, fees_.QuoteFee(caller, basis));
        response->set_method(quote.method);
        if (quote.method == "per_page") {
          response->set_pages(quote.pages);
        } else {
          response->set_pieces_this_month(quote.pieces_this_month);
          response->set_month_total_yuan(quote.month_total_yuan);
        }
        response->set_fee_yuan(quote.fee_yuan);
        for (const std::string& line : quote.explanation) {
          response->add_explanation(line);
        }
        return absl::OkStatus();
      });
}

}  // namespace gongkai::rpc

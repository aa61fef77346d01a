#include "server/rpc/fee_service.h"

#include "absl/strings/str_cat.h"
#include "common/dates.h"
#include "common/status_macros.h"
#include "domain/case.h"
#include "domain/fees.h"
#include "server/rpc/boundary.h"
#include "convert/proto_convert.h"

namespace gongkai::rpc {

grpc::Status FeeServiceImpl::QuoteFee(grpc::ServerContext* context,
                                      const v1::QuoteFeeRequest* request,
                                      v1::FeeQuote* response) {
  return Serve(env_, "QuoteFee", *context, [&]() -> absl::Status {
    constexpr int kMaxCount = 100000;
    int pieces = 0;
    switch (request->basis_case()) {
      case v1::QuoteFeeRequest::kPages: {
        const int pages = request->pages();
        if (pages < 1 || pages > kMaxCount) {
          return absl::InvalidArgumentError(
              absl::StrCat("pages must be 1 to ", kMaxCount, ", not ", pages));
        }
        response->set_method("per_page");
        response->set_pages(pages);
        response->set_fee_yuan(PerPageFeeYuan(pages));
        for (const std::string& l : ExplainPerPageFee(pages)) {
          response->add_explanation(l);
        }
        return absl::OkStatus();
      }
      case v1::QuoteFeeRequest::kPiecesThisMonth:
        pieces = request->pieces_this_month();
        if (pieces < 1 || pieces > kMaxCount) {
          return absl::InvalidArgumentError(absl::StrCat(
              "the number of applications this month must be 1 to ", kMaxCount,
              ", not ", pieces));
        }
        break;
      case v1::QuoteFeeRequest::kApplicant: {
        RETURN_IF_ERROR(ValidateText("applicant name", request->applicant(),
                                     true, kMaxNameChars, 0, false));
        absl::CivilDay day = env_.time->Today();
        if (request->has_month_of()) {
          ASSIGN_OR_RETURN(day, FromProto(request->month_of(), "month"));
        }
        const absl::CivilDay first(day.year(), day.month(), 1);
        const absl::CivilDay last =
            absl::CivilDay(absl::CivilMonth(first) + 1) - 1;
        ASSIGN_OR_RETURN(int64_t count, env_.store->CountApplications(
                                            request->applicant(), first, last));
        if (count == 0) {
          return absl::NotFoundError(
              absl::StrCat("no applications from '", request->applicant(),
                           "' received in ", FormatDate(first).substr(0, 7)));
        }
        pieces = static_cast<int>(count);
        response->add_explanation(
            absl::StrCat(request->applicant(), " has ", count, " application",
                         count == 1 ? "" : "s", " received in ",
                         FormatDate(first).substr(0, 7), " on record"));
        break;
      }
      default:
        return absl::InvalidArgumentError(
            "give the number of pages, the applications this month, or the "
            "applicant");
    }
    response->set_method("per_piece");
    response->set_pieces_this_month(pieces);
    response->set_fee_yuan(PerPieceFeeYuan(pieces));
    response->set_month_total_yuan(PerPieceMonthTotalYuan(pieces));
    response->add_explanation(absl::StrCat(
        "application no. ", pieces, " of the month: ", PerPieceFeeYuan(pieces),
        " yuan (1-10 free; 11-30: 100; 31-40: 200; 41-50: 300; +100 per "
        "further "
        "10)"));
    response->add_explanation(
        absl::StrCat("applications 1-", pieces,
                     " together: ", PerPieceMonthTotalYuan(pieces), " yuan"));
    return absl::OkStatus();
  });
}

}  // namespace gongkai::rpc

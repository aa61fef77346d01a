#include "app/fee_service.h"

#include <algorithm>
#include <optional>

#include "absl/strings/str_cat.h"
#include "common/dates.h"
#include "common/lang.h"
#include "common/status_macros.h"
#include "domain/case.h"
#include "domain/fees.h"

namespace gongkai::app {

absl::StatusOr<FeeQuote> FeeService::QuoteFee(const Caller& caller,
                                              const FeeBasis& basis) const {
  RETURN_IF_ERROR(CheckAllowed(caller, "QuoteFee"));
  constexpr int kMaxCount = 100000;
  const int given = basis.pages.has_value() +
                    basis.pieces_this_month.has_value() +
                    basis.applicant.has_value();
  if (given != 1) {
    return LocalizedError(
        absl::StatusCode::kInvalidArgument, "请给出页数、本月申请件数或申请人",
        "give the number of pages, the applications this month, or the "
        "applicant");
  }
  FeeQuote quote;
  if (basis.pages.has_value()) {
    const int pages = *basis.pages;
    if (pages < 1 || pages > kMaxCount) {
      return LocalizedError(
          absl::StatusCode::kInvalidArgument,
          absl::StrCat("页数应为 1 至 ", kMaxCount, "，不能是 ", pages),
          absl::StrCat("pages must be 1 to ", kMaxCount, ", not ", pages));
    }
    quote.method = "per_page";
    quote.pages = pages;
    quote.fee_yuan = PerPageFeeYuan(pages);
    quote.explanation = ExplainPerPageFee(pages, caller.lang);
    return quote;
  }
  int pieces = 0;
  if (basis.pieces_this_month.has_value()) {
    pieces = *basis.pieces_this_month;
    if (pieces < 1 || pieces > kMaxCount) {
      return LocalizedError(
          absl::StatusCode::kInvalidArgument,
          absl::StrCat("本月申请件数应为 1 至 ", kMaxCount, "，不能是 ",
                       pieces),
          absl::StrCat("the number of applications this month must be 1 to ",
                       kMaxCount, ", not ", pieces));
    }
  } else {
    const std::string& applicant = *basis.applicant;
    RETURN_IF_ERROR(ValidateText("applicant name", applicant, true,
                                 kMaxNameChars, 0, false));
    // Without a month, the month of the applicant's latest application:
    // the quote is almost always for the application just logged, and
    // "this month" finds nothing once the month has turned.
    std::optional<absl::CivilDay> month_of = basis.month_of;
    if (!month_of.has_value()) {
      ASSIGN_OR_RETURN(std::optional<absl::CivilDay> latest,
                       storage::ReadValue<std::optional<absl::CivilDay>>(
                           *env_.store, [&](storage::Tables& t) {
                             return t.cases().LatestApplication(
                                 applicant, caller.agencies);
                           }));
      if (!latest.has_value()) {
        return LocalizedError(
            absl::StatusCode::kNotFound,
            absl::StrCat("没有申请人“", applicant, "”的申请记录"),
            absl::StrCat("no applications from '", applicant, "' on record"));
      }
      month_of = latest;
    }
    const absl::CivilDay day = *month_of;
    const absl::CivilDay first(day.year(), day.month(), 1);
    const absl::CivilDay last = absl::CivilDay(absl::CivilMonth(first) + 1) - 1;
    ASSIGN_OR_RETURN(
        int64_t count,
        storage::ReadValue<int64_t>(*env_.store, [&](storage::Tables& t) {
          // Only the caller's agencies' applications: another agency's
          // are neither counted nor hinted at.
          return t.cases().CountApplications(applicant, first, last,
                                             caller.agencies);
        }));
    const std::string month = FormatDate(first).substr(0, 7);
    if (count == 0) {
      return LocalizedError(
          absl::StatusCode::kNotFound,
          absl::StrCat(month, " 没有收到“", applicant, "”的申请"),
          absl::StrCat("no applications from '", applicant, "' received in ",
                       month));
    }
    pieces = static_cast<int>(std::min<int64_t>(count, kMaxCount));
    quote.explanation.push_back(
        caller.lang == Lang::kEn
            ? absl::StrCat(applicant, " has ", count, " application",
                           count == 1 ? "" : "s", " received in ", month,
                           " on record")
            : absl::StrCat("“", applicant, "”在 ", month, " 共有 ", count,
                           " 件申请记录"));
  }
  quote.method = "per_piece";
  quote.pieces_this_month = pieces;
  quote.fee_yuan = PerPieceFeeYuan(pieces);
  quote.month_total_yuan = PerPieceMonthTotalYuan(pieces);
  if (caller.lang == Lang::kEn) {
    quote.explanation.push_back(absl::StrCat(
        "application no. ", pieces, " of the month: ", PerPieceFeeYuan(pieces),
        " yuan (1-10 free; 11-30: 100; 31-40: 200; 41-50: 300; +100 per "
        "further 10)"));
    quote.explanation.push_back(
        absl::StrCat("applications 1-", pieces,
                     " together: ", PerPieceMonthTotalYuan(pieces), " yuan"));
  } else {
    quote.explanation.push_back(absl::StrCat(
        "本月第 ", pieces, " 件：", PerPieceFeeYuan(pieces),
        " 元（第 1-10 件免费；11-30 件每件 100 元；31-40 件 200 元；41-50 件 "
        "300 元；此后每 10 件加 100 元）"));
    quote.explanation.push_back(absl::StrCat(
        "第 1-", pieces, " 件合计：", PerPieceMonthTotalYuan(pieces), " 元"));
  }
  return quote;
}

}  // namespace gongkai::app

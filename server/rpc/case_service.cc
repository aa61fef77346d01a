#include "server/rpc/case_service.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/dates.h"
#include "common/lang.h"
#include "common/status_macros.h"
#include "convert/proto_convert.h"
#include "domain/clocks.h"
#include "domain/documents.h"
#include "domain/permissions.h"
#include "server/rpc/boundary.h"

namespace gongkai::rpc {
namespace {

constexpr int kDefaultPageSize = 100;
constexpr int kMaxPageSize = 1000;

// Page tokens are "<order>~<key>~<id>" of the last case returned: its
// order (r, d or n), its sort key there (a date or a case number, which may
// itself hold '~') and its id. Earlier daemons' "<received_on>~<id>" still
// reads as the receipt order.
char SortLetter(storage::CaseSort sort) {
  switch (sort) {
    case storage::CaseSort::kDue:
      return 'd';
    case storage::CaseSort::kCaseNo:
      return 'n';
    case storage::CaseSort::kReceived:
      break;
  }
  return 'r';
}

std::string EncodePageToken(const storage::CaseQuery& query,
                            const CaseRecord& last) {
  storage::CaseCursor cursor = query.Cursor(last);
  return absl::StrCat(std::string(1, SortLetter(query.sort)), "~", cursor.key,
                      "~", cursor.id);
}

absl::StatusOr<storage::CaseCursor> DecodePageToken(absl::string_view token,
                                                    storage::CaseSort sort) {
  const absl::Status bad = LocalizedError(
      absl::StatusCode::kInvalidArgument,
      "page_token 无效：请原样传回上一页答复中的 "
      "next_page_token，且筛选和排序不变",
      "invalid page_token; pass the next_page_token of the previous reply, "
      "with the same filters and order");
  const size_t first = token.find('~');
  const size_t last = token.rfind('~');
  if (first == absl::string_view::npos) return bad;
  int64_t id = 0;
  if (!absl::SimpleAtoi(token.substr(last + 1), &id) || id < 0) return bad;
  if (first == last) {  // "<received_on>~<id>"
    if (sort != storage::CaseSort::kReceived ||
        !ParseDate(token.substr(0, first)).ok()) {
      return bad;
    }
    return storage::CaseCursor(std::string(token.substr(0, first)), id);
  }
  if (token.substr(0, first) != std::string(1, SortLetter(sort))) return bad;
  std::string key(token.substr(first + 1, last - first - 1));
  if (sort != storage::CaseSort::kCaseNo && !ParseDate(key).ok()) return bad;
  return storage::CaseCursor(std::move(key), id);
}

// The write options with the request's late reason (the steps that may be
// recorded out of time carry one).
template <typename Request>
app::WriteOptions WithLateReason(app::WriteOptions options,
                                 const Request& request) {
  options.late_reason = request.late_reason();
  return options;
}

}  // namespace

void RenderCase(const app::CaseView& view, bool with_events, bool reveal,
                Lang lang, v1::Case* out) {
  const CaseRecord& record = view.record;
  ToProto(record, out);
  out->set_assignee(record.assignee);
  out->set_agency(record.agency);
  out->set_query_code(FormatQueryCode(record.query_code));
  out->set_revealed(reveal);
  if (!reveal) {
    out->set_id_number(MaskSensitive(record.id_number));
    out->set_contact(MaskSensitive(record.contact));
  }
  if (view.clocks.ok()) {
    const ClockReport& clocks = *view.clocks;
    out->set_paused(clocks.paused);
    out->set_pause_reason(clocks.pause_reason);
    out->set_extension_days(clocks.extension_days);
    out->set_unreasonable_period_days(clocks.unreasonable_period_days);
    if (clocks.complete_on.has_value()) {
      ToProto(*clocks.complete_on, out->mutable_complete_on());
    }
    for (const LateStep& late : clocks.late_steps) {
      v1::LateStep* pl = out->add_late_steps();
      pl->set_kind(late.kind);
      ToProto(late.on, pl->mutable_on());
      pl->set_why(late.why);
    }
    out->set_pause_days(clocks.pause_days);
    ToProto(clocks.reply_start, out->mutable_reply_started_on());
    if (clocks.reply_due.has_value()) {
      ToProto(*clocks.reply_due, out->mutable_due_on());
    }
    if (view.working_days_left.has_value()) {
      out->set_working_days_left(*view.working_days_left);
    }
    for (const Clock& c : clocks.clocks) {
      v1::CaseClock* pc = out->add_clocks();
      pc->set_kind(c.kind);
      pc->set_id(c.id);
      pc->set_label(c.label);
      if (c.due_on.has_value()) ToProto(*c.due_on, pc->mutable_due_on());
      pc->set_state(c.state);
      pc->set_state_label(ClockStateLabel(c.state, lang));
    }
    for (const ConsultationInfo& ci : clocks.consultations) {
      v1::Consultation* pc = out->add_consultations();
      pc->set_id(ci.id);
      pc->set_party(ci.party);
      pc->set_kind(ci.kind);
      ToProto(ci.sent_on, pc->mutable_sent_on());
      ToProto(ci.lapses_on, pc->mutable_lapses_on());
      if (ci.replied_on.has_value())
        ToProto(*ci.replied_on, pc->mutable_replied_on());
      pc->set_open(ci.open);
      pc->set_pause_days(ci.pause_days);
      ToProto(ci.received_on, pc->mutable_received_on());
      pc->set_receipt_recorded(ci.receipt_recorded);
      pc->set_late(ci.late);
    }
  } else {
    // The case is still shown when its deadline cannot be computed; the
    // reason travels with it so staff can act (e.g. load next year's calendar).
    out->set_due_on_problem(MessageIn(view.clocks.status(), lang));
  }
  for (const CaseEvent& e : view.events) {
    if (e.kind == "fee_notified") {
      if (const Json* a = e.details.Find("amount_fen");
          a != nullptr && a->is_int()) {
        out->set_fee_amount_fen(a->as_int());
      }
    }
  }
  if (with_events) {
    for (const CaseEvent& e : view.events) {
      ToProto(e, lang, out->add_events());
    }
  }
}

grpc::Status CaseServiceImpl::CreateCase(grpc::ServerContext* context,
                                         const v1::CreateCaseRequest* request,
                                         v1::Case* response) {
  return Serve(
      env_, "CreateCase", *context, [&](const Caller& caller) -> absl::Status {
        NewCase input;
        input.case_no = request->case_no();
        ASSIGN_OR_RETURN(input.received_on,
                         FromProto(request->received_on(), "receipt date"));
        ASSIGN_OR_RETURN(input.channel, FromProto(request->channel()));
        ASSIGN_OR_RETURN(input.applicant_type,
                         FromProto(request->applicant_type()));
        input.applicant = request->applicant();
        input.contact = request->contact();
        input.id_number = request->id_number();
        input.request = request->request();
        input.agency = request->agency();
        ASSIGN_OR_RETURN(
            app::CaseView view,
            cases_.Create(caller, std::move(input), {ForceReason(*context)}));
        RenderCase(view, /*with_events=*/true, /*reveal=*/false, caller.lang,
                   response);
        return absl::OkStatus();
      });
}

grpc::Status CaseServiceImpl::GetCase(grpc::ServerContext* context,
                                      const v1::GetCaseRequest* request,
                                      v1::Case* response) {
  return Serve(
      env_, "GetCase", *context, [&](const Caller& caller) -> absl::Status {
        ASSIGN_OR_RETURN(std::string case_no, CaseNoFromName(request->name()));
        ASSIGN_OR_RETURN(app::CaseView view,
                         cases_.Get(caller, case_no, request->reveal()));
        RenderCase(view, /*with_events=*/true, request->reveal(), caller.lang,
                   response);
        return absl::OkStatus();
      });
}

grpc::Status CaseServiceImpl::ListCases(grpc::ServerContext* context,
                                        const v1::ListCasesRequest* request,
                                        v1::ListCasesResponse* response) {
  return Serve(
      env_, "ListCases", *context, [&](const Caller& caller) -> absl::Status {
        storage::CaseQuery query;
        switch (request->state()) {
          case v1::ListCasesRequest::STATE_FILTER_ANY:
            break;
          case v1::ListCasesRequest::STATE_FILTER_OPEN:
            query.open_only = true;
            break;
          case v1::ListCasesRequest::STATE_FILTER_CLOSED:
            query.state = CaseState::kClosed;
            break;
          default:
            return LocalizedError(absl::StatusCode::kInvalidArgument,
                                  "状态筛选只能是 any、open 或 closed",
                                  "state filter must be any, open or closed");
        }
        if (request->receipt_year() != 0 && (request->receipt_year() < 2008 ||
                                             request->receipt_year() > 9999)) {
          return LocalizedError(
              absl::StatusCode::kInvalidArgument,
              absl::StrCat("收到年份 ", request->receipt_year(), " 超出范围"),
              absl::StrCat("receipt year ", request->receipt_year(),
                           " is out of range"));
        }
        query.receipt_year = request->receipt_year();
        if (request->applicant_type() != v1::APPLICANT_TYPE_UNSPECIFIED) {
          ASSIGN_OR_RETURN(query.applicant_type,
                           FromProto(request->applicant_type()));
        }
        if (request->page_size() < 0) {
          return LocalizedError(absl::StatusCode::kInvalidArgument,
                                "page_size 不能为负数",
                                "page_size may not be negative");
        }
        query.limit = request->page_size() == 0
                          ? kDefaultPageSize
                          : std::min(request->page_size(), kMaxPageSize);
        query.assignee = request->assignee();
        query.search = request->search();
        query.applicant = request->applicant();
        if (request->has_received_from()) {
          ASSIGN_OR_RETURN(
              query.received_from,
              FromProto(request->received_from(), "received_from"));
        }
        if (request->has_received_to()) {
          ASSIGN_OR_RETURN(query.received_to,
                           FromProto(request->received_to(), "received_to"));
        }
        if (query.received_from && query.received_to &&
            *query.received_from > *query.received_to) {
          return LocalizedError(absl::StatusCode::kInvalidArgument,
                                "收到日期范围的起日晚于止日",
                                "received_from is after received_to");
        }
        if (request->outcome() != v1::OUTCOME_UNSPECIFIED) {
          ASSIGN_OR_RETURN(query.outcome, FromProto(request->outcome()));
        }
        if (request->overdue()) query.overdue_on = env_.time->Today();
        switch (request->sort()) {
          case v1::ListCasesRequest::SORT_RECEIVED:
            query.sort = storage::CaseSort::kReceived;
            break;
          case v1::ListCasesRequest::SORT_DUE:
            query.sort = storage::CaseSort::kDue;
            break;
          case v1::ListCasesRequest::SORT_CASE_NO:
            query.sort = storage::CaseSort::kCaseNo;
            break;
          default:
            return LocalizedError(absl::StatusCode::kInvalidArgument,
                                  "排序方式只能是 received、due 或 case_no",
                                  "sort must be received, due or case_no");
        }
        if (!request->page_token().empty()) {
          ASSIGN_OR_RETURN(query.after,
                           DecodePageToken(request->page_token(), query.sort));
        }
        const storage::CaseQuery asked = query;
        ASSIGN_OR_RETURN(app::CaseListing listing,
                         cases_.List(caller, std::move(query)));
        for (const app::CaseView& view : listing.cases) {
          RenderCase(view, /*with_events=*/false, /*reveal=*/false, caller.lang,
                     response->add_cases());
        }
        if (listing.more) {
          response->set_next_page_token(
              EncodePageToken(asked, listing.cases.back().record));
        }
        response->set_total_size(listing.total);
        response->set_total_is_lower_bound(listing.total_is_lower_bound);
        return absl::OkStatus();
      });
}

grpc::Status CaseServiceImpl::Step(
    absl::string_view method, grpc::ServerContext* context, v1::Case* response,
    const std::function<absl::StatusOr<app::CaseView>(
        const app::Caller&, const app::WriteOptions&)>& call) {
  return Serve(env_, method, *context,
               [&](const Caller& caller) -> absl::Status {
                 ASSIGN_OR_RETURN(
                     app::CaseView view,
                     call(caller, app::WriteOptions{ForceReason(*context)}));
                 RenderCase(view, /*with_events=*/true, /*reveal=*/false,
                            caller.lang, response);
                 return absl::OkStatus();
               });
}

grpc::Status CaseServiceImpl::AnswerCase(grpc::ServerContext* context,
                                         const v1::AnswerCaseRequest* request,
                                         v1::Case* response) {
  return Step(
      "AnswerCase", context, response,
      [&](const Caller& caller,
          const app::WriteOptions& options) -> absl::StatusOr<app::CaseView> {
        ASSIGN_OR_RETURN(std::string case_no, CaseNoFromName(request->name()));
        AnswerInput input;
        input.note = request->note();
        ASSIGN_OR_RETURN(input.answered_on,
                         FromProto(request->answered_on(), "answer date"));
        ASSIGN_OR_RETURN(input.outcome, FromProto(request->outcome()));
        return cases_.Answer(caller, case_no, input, options);
      });
}

grpc::Status CaseServiceImpl::WithdrawCase(
    grpc::ServerContext* context, const v1::WithdrawCaseRequest* request,
    v1::Case* response) {
  return Step(
      "WithdrawCase", context, response,
      [&](const Caller& caller,
          const app::WriteOptions& options) -> absl::StatusOr<app::CaseView> {
        ASSIGN_OR_RETURN(std::string case_no, CaseNoFromName(request->name()));
        ASSIGN_OR_RETURN(absl::CivilDay date,
                         FromProto(request->withdrawn_on(), "withdrawal date"));
        return cases_.Withdraw(caller, case_no, date, request->reason(),
                               options);
      });
}

grpc::Status CaseServiceImpl::RequestCorrection(
    grpc::ServerContext* context, const v1::RequestCorrectionRequest* request,
    v1::Case* response) {
  return Step(
      "RequestCorrection", context, response,
      [&](const Caller& caller,
          const app::WriteOptions& options) -> absl::StatusOr<app::CaseView> {
        ASSIGN_OR_RETURN(std::string case_no, CaseNoFromName(request->name()));
        const int period = request->period_days() == 0
                               ? kDefaultCorrectionPeriodDays
                               : request->period_days();
        ASSIGN_OR_RETURN(absl::CivilDay date,
                         FromProto(request->notice_on(), "notice date"));
        return cases_.RequestCorrection(caller, case_no, date, period,
                                        WithLateReason(options, *request));
      });
}

grpc::Status CaseServiceImpl::RecordCorrection(
    grpc::ServerContext* context, const v1::RecordCorrectionRequest* request,
    v1::Case* response) {
  return Step(
      "RecordCorrection", context, response,
      [&](const Caller& caller,
          const app::WriteOptions& options) -> absl::StatusOr<app::CaseView> {
        ASSIGN_OR_RETURN(std::string case_no, CaseNoFromName(request->name()));
        ASSIGN_OR_RETURN(absl::CivilDay date,
                         FromProto(request->corrected_on(), "correction date"));
        return cases_.RecordCorrection(caller, case_no, date,
                                       WithLateReason(options, *request));
      });
}

grpc::Status CaseServiceImpl::StartConsultation(
    grpc::ServerContext* context, const v1::StartConsultationRequest* request,
    v1::Case* response) {
  return Step(
      "StartConsultation", context, response,
      [&](const Caller& caller,
          const app::WriteOptions& options) -> absl::StatusOr<app::CaseView> {
        ASSIGN_OR_RETURN(std::string case_no, CaseNoFromName(request->name()));
        if (!v1::StartConsultationRequest::Kind_IsValid(request->kind())) {
          return LocalizedError(
              absl::StatusCode::kInvalidArgument,
              "征求意见对象类型只能是 third_party（第三方）或 "
              "agency（其他机关）",
              "consultation kind must be third_party or agency");
        }
        ConsultationInput input;
        input.party = request->party();
        input.agency =
            request->kind() == v1::StartConsultationRequest::KIND_AGENCY;
        ASSIGN_OR_RETURN(input.date,
                         FromProto(request->sent_on(), "consultation date"));
        if (request->has_received_on()) {
          ASSIGN_OR_RETURN(
              input.received_on,
              FromProto(request->received_on(), "the party's receipt date"));
        }
        return cases_.StartConsultation(caller, case_no, input,
                                        WithLateReason(options, *request));
      });
}

grpc::Status CaseServiceImpl::RecordConsultationReply(
    grpc::ServerContext* context,
    const v1::RecordConsultationReplyRequest* request, v1::Case* response) {
  return Step(
      "RecordConsultationReply", context, response,
      [&](const Caller& caller,
          const app::WriteOptions& options) -> absl::StatusOr<app::CaseView> {
        ASSIGN_OR_RETURN(std::string case_no, CaseNoFromName(request->name()));
        ASSIGN_OR_RETURN(absl::CivilDay date,
                         FromProto(request->replied_on(), "reply date"));
        RETURN_IF_ERROR(ValidateText("consultation id",
                                     request->consultation_id(), false, 16, 0,
                                     false));
        return cases_.RecordConsultationReply(
            caller, case_no, date, request->consultation_id(), options);
      });
}

grpc::Status CaseServiceImpl::RecordConsultationReceipt(
    grpc::ServerContext* context,
    const v1::RecordConsultationReceiptRequest* request, v1::Case* response) {
  return Step(
      "RecordConsultationReceipt", context, response,
      [&](const Caller& caller,
          const app::WriteOptions& options) -> absl::StatusOr<app::CaseView> {
        ASSIGN_OR_RETURN(std::string case_no, CaseNoFromName(request->name()));
        ASSIGN_OR_RETURN(absl::CivilDay date,
                         FromProto(request->received_on(), "receipt date"));
        RETURN_IF_ERROR(ValidateText("consultation id",
                                     request->consultation_id(), false, 16, 0,
                                     false));
        return cases_.RecordConsultationReceipt(
            caller, case_no, date, request->consultation_id(), options);
      });
}

grpc::Status CaseServiceImpl::MarkComplete(
    grpc::ServerContext* context, const v1::MarkCompleteRequest* request,
    v1::Case* response) {
  return Step(
      "MarkComplete", context, response,
      [&](const Caller& caller,
          const app::WriteOptions& options) -> absl::StatusOr<app::CaseView> {
        ASSIGN_OR_RETURN(std::string case_no, CaseNoFromName(request->name()));
        ASSIGN_OR_RETURN(absl::CivilDay date,
                         FromProto(request->complete_on(), "review date"));
        return cases_.MarkComplete(caller, case_no, date, request->note(),
                                   options);
      });
}

grpc::Status CaseServiceImpl::ExtendDeadline(
    grpc::ServerContext* context, const v1::ExtendDeadlineRequest* request,
    v1::Case* response) {
  return Step(
      "ExtendDeadline", context, response,
      [&](const Caller& caller,
          const app::WriteOptions& options) -> absl::StatusOr<app::CaseView> {
        ASSIGN_OR_RETURN(std::string case_no, CaseNoFromName(request->name()));
        if (!v1::ExtendDeadlineRequest::Kind_IsValid(request->kind())) {
          return LocalizedError(absl::StatusCode::kInvalidArgument,
                                "延期类型只能是 statutory（第三十三条）或 "
                                "unreasonable_volume（第三十五条）",
                                "extension kind must be statutory or "
                                "unreasonable_volume");
        }
        ExtensionInput input;
        input.days = request->days();
        input.approved_by = request->approved_by();
        input.reason = request->reason();
        input.unreasonable_volume =
            request->kind() ==
            v1::ExtendDeadlineRequest::KIND_UNREASONABLE_VOLUME;
        ASSIGN_OR_RETURN(input.date,
                         FromProto(request->approved_on(), "extension date"));
        return cases_.Extend(caller, case_no, std::move(input),
                             WithLateReason(options, *request));
      });
}

grpc::Status CaseServiceImpl::SendFeeNotice(
    grpc::ServerContext* context, const v1::SendFeeNoticeRequest* request,
    v1::Case* response) {
  return Step(
      "SendFeeNotice", context, response,
      [&](const Caller& caller,
          const app::WriteOptions& options) -> absl::StatusOr<app::CaseView> {
        ASSIGN_OR_RETURN(std::string case_no, CaseNoFromName(request->name()));
        ASSIGN_OR_RETURN(absl::CivilDay date,
                         FromProto(request->notice_on(), "fee notice date"));
        if (request->amount_fen() <= 0 ||
            request->amount_fen() > 100000000000) {
          return LocalizedError(
              absl::StatusCode::kInvalidArgument,
              "信息处理费金额必须大于零且在合理范围内",
              "the fee amount must be more than zero (and sane)");
        }
        return cases_.SendFeeNotice(caller, case_no, date,
                                    request->amount_fen(),
                                    WithLateReason(options, *request));
      });
}

grpc::Status CaseServiceImpl::RecordFeePayment(
    grpc::ServerContext* context, const v1::RecordFeePaymentRequest* request,
    v1::Case* response) {
  return Step(
      "RecordFeePayment", context, response,
      [&](const Caller& caller,
          const app::WriteOptions& options) -> absl::StatusOr<app::CaseView> {
        ASSIGN_OR_RETURN(std::string case_no, CaseNoFromName(request->name()));
        ASSIGN_OR_RETURN(absl::CivilDay date,
                         FromProto(request->paid_on(), "payment date"));
        return cases_.RecordFeePayment(caller, case_no, date,
                                       WithLateReason(options, *request));
      });
}

grpc::Status CaseServiceImpl::AssignCase(grpc::ServerContext* context,
                                         const v1::AssignCaseRequest* request,
                                         v1::Case* response) {
  return Step(
      "AssignCase", context, response,
      [&](const Caller& caller,
          const app::WriteOptions& options) -> absl::StatusOr<app::CaseView> {
        ASSIGN_OR_RETURN(std::string case_no, CaseNoFromName(request->name()));
        return cases_.Assign(caller, case_no, request->assignee(), options);
      });
}

grpc::Status CaseServiceImpl::AmendCase(grpc::ServerContext* context,
                                        const v1::AmendCaseRequest* request,
                                        v1::Case* response) {
  return Step(
      "AmendCase", context, response,
      [&](const Caller& caller,
          const app::WriteOptions& options) -> absl::StatusOr<app::CaseView> {
        ASSIGN_OR_RETURN(std::string case_no, CaseNoFromName(request->name()));
        AmendInput input;
        input.reason = request->reason();
        if (request->has_received_on()) {
          ASSIGN_OR_RETURN(input.received_on,
                           FromProto(request->received_on(), "receipt date"));
        }
        if (request->channel() != v1::CHANNEL_UNSPECIFIED) {
          ASSIGN_OR_RETURN(input.channel, FromProto(request->channel()));
        }
        if (request->applicant_type() != v1::APPLICANT_TYPE_UNSPECIFIED) {
          ASSIGN_OR_RETURN(input.applicant_type,
                           FromProto(request->applicant_type()));
        }
        if (request->has_applicant()) input.applicant = request->applicant();
        if (request->has_request()) input.request = request->request();
        if (request->has_contact()) input.contact = request->contact();
        if (request->has_id_number()) input.id_number = request->id_number();
        return cases_.Amend(caller, case_no, input, options);
      });
}

grpc::Status CaseServiceImpl::ReopenCase(grpc::ServerContext* context,
                                         const v1::ReopenCaseRequest* request,
                                         v1::Case* response) {
  return Step(
      "ReopenCase", context, response,
      [&](const Caller& caller,
          const app::WriteOptions& options) -> absl::StatusOr<app::CaseView> {
        ASSIGN_OR_RETURN(std::string case_no, CaseNoFromName(request->name()));
        return cases_.Reopen(caller, case_no, request->reason(), options);
      });
}

grpc::Status CaseServiceImpl::ExplainDeadline(
    grpc::ServerContext* context, const v1::ExplainDeadlineRequest* request,
    v1::DeadlineExplanation* response) {
  return Serve(env_, "ExplainDeadline", *context,
               [&](const Caller& caller) -> absl::Status {
                 ASSIGN_OR_RETURN(std::string case_no,
                                  CaseNoFromName(request->name()));
                 ASSIGN_OR_RETURN(app::CaseView view,
                                  cases_.ExplainDeadline(caller, case_no));
                 response->set_case_no(view.record.case_no);
                 for (const std::string& line : view.clocks->explanation) {
                   response->add_lines(line);
                 }
                 if (view.clocks->reply_due.has_value()) {
                   ToProto(*view.clocks->reply_due, response->mutable_due_on());
                 }
                 return absl::OkStatus();
               });
}

}  // namespace gongkai::rpc

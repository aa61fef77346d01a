#include "server/rpc/case_service.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/dates.h"
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

// Page tokens are "<received_on>~<id>" of the last case returned.
std::string EncodePageToken(const CaseRecord& last) {
  return absl::StrCat(FormatDate(last.received_on), "~", last.id);
}

absl::StatusOr<std::pair<absl::CivilDay, int64_t>> DecodePageToken(
    absl::string_view token) {
  std::vector<std::string> parts = absl::StrSplit(token, '~');
  int64_t id = 0;
  absl::StatusOr<absl::CivilDay> day =
      parts.size() == 2 ? ParseDate(parts[0]) : absl::InvalidArgumentError("");
  if (!day.ok() || !absl::SimpleAtoi(parts[1], &id) || id < 0) {
    return absl::InvalidArgumentError(
        "invalid page_token; pass the next_page_token of the previous reply");
  }
  return std::make_pair(*day, id);
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
                v1::Case* out) {
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
    out->set_due_on_problem(std::string(view.clocks.status().message()));
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
    for (const CaseEvent& e : view.events) ToProto(e, out->add_events());
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
        RenderCase(view, /*with_events=*/true, /*reveal=*/false, response);
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
        RenderCase(view, /*with_events=*/true, request->reveal(), response);
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
            return absl::InvalidArgumentError(
                "state filter must be any, open or closed");
        }
        if (request->receipt_year() != 0 && (request->receipt_year() < 2008 ||
                                             request->receipt_year() > 9999)) {
          return absl::InvalidArgumentError(absl::StrCat(
              "receipt year ", request->receipt_year(), " is out of range"));
        }
        query.receipt_year = request->receipt_year();
        if (request->applicant_type() != v1::APPLICANT_TYPE_UNSPECIFIED) {
          ASSIGN_OR_RETURN(query.applicant_type,
                           FromProto(request->applicant_type()));
        }
        if (request->page_size() < 0) {
          return absl::InvalidArgumentError("page_size may not be negative");
        }
        query.limit = request->page_size() == 0
                          ? kDefaultPageSize
                          : std::min(request->page_size(), kMaxPageSize);
        if (!request->page_token().empty()) {
          ASSIGN_OR_RETURN(query.after, DecodePageToken(request->page_token()));
        }
        query.assignee = request->assignee();
        ASSIGN_OR_RETURN(app::CaseListing listing,
                         cases_.List(caller, std::move(query)));
        for (const app::CaseView& view : listing.cases) {
          RenderCase(view, /*with_events=*/false, /*reveal=*/false,
                     response->add_cases());
        }
        if (listing.more) {
          response->set_next_page_token(
              EncodePageToken(listing.cases.back().record));
        }
        response->set_total_size(listing.total);
        return absl::OkStatus();
      });
}

grpc::Status CaseServiceImpl::Step(
    absl::string_view method, grpc::ServerContext* context, v1::Case* response,
    const std::function<absl::StatusOr<app::CaseView>(
        const app::Caller&, const app::WriteOptions&)>& call) {
  return Serve(
      env_, method, *context, [&](const Caller& caller) -> absl::Status {
        ASSIGN_OR_RETURN(
            app::CaseView view,
            call(caller, app::WriteOptions{ForceReason(*context)}));
        RenderCase(view, /*with_events=*/true, /*reveal=*/false, response);
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
          return absl::InvalidArgumentError(
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
          return absl::InvalidArgumentError(
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
          return absl::InvalidArgumentError(
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

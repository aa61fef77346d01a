#include "server/rpc/case_service.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/dates.h"
#include "common/status_macros.h"
#include "domain/clocks.h"
#include "domain/lifecycle.h"
#include "domain/permissions.h"
#include "server/rpc/boundary.h"
#include "convert/proto_convert.h"
#include "server/rpc/period_lock.h"

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

}  // namespace

ActionContext CaseServiceImpl::Action(
    const grpc::ServerContext& context) const {
  return ActionContext{CallerName(context), env_.time->Now(),
                       env_.time->Today()};
}

absl::StatusOr<CaseRecord> VisibleCase(const Environment& env,
                                       absl::string_view case_no) {
  absl::StatusOr<CaseRecord> c = env.store->GetCase(case_no);
  // Another agency's case is reported exactly like a missing one.
  if (c.ok() && !CallerSeesAgency(c->agency)) {
    return absl::NotFoundError(
        absl::StrCat("no case numbered '", case_no, "'"));
  }
  return c;
}

absl::StatusOr<std::string> ResolveAgency(const Environment& env,
                                          const std::string& requested) {
  ASSIGN_OR_RETURN(auto agencies, env.store->ListAgencies());
  std::vector<std::string> mine = CallerAgencies();
  if (agencies.empty()) {
    if (!requested.empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat("unknown agency '", requested,
                       "'; no agencies are set up (gongkai admin agency add)"));
    }
    return std::string();
  }
  std::string agency = requested;
  if (agency.empty() && mine.size() == 1) agency = mine[0];
  std::string codes;
  for (const auto& [code, name] : agencies) {
    absl::StrAppend(&codes, codes.empty() ? "" : ", ", code, " (", name, ")");
  }
  if (agency.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "say which agency the case belongs to (--agency): ", codes));
  }
  bool known = false;
  for (const auto& [code, name] : agencies) known |= code == agency;
  if (!known) {
    return absl::InvalidArgumentError(
        absl::StrCat("unknown agency '", agency, "'; agencies: ", codes));
  }
  if (!CallerSeesAgency(agency)) {
    return absl::PermissionDeniedError(
        absl::StrCat("you do not work for agency ", agency));
  }
  return agency;
}

absl::Status RenderCase(const Environment& env, const CaseRecord& record,
                        const std::vector<CaseEvent>& events, bool with_events,
                        v1::Case* out, bool reveal) {
  ToProto(record, out);
  out->set_assignee(record.assignee);
  out->set_agency(record.agency);
  out->set_revealed(reveal);
  if (!reveal) {
    out->set_id_number(MaskSensitive(record.id_number));
    out->set_contact(MaskSensitive(record.contact));
  }
  std::shared_ptr<const WorkCalendar> calendar = env.calendar->Get();
  const absl::CivilDay today = env.time->Today();
  ClockOptions options = env.clock_options;
  options.explain = false;  // the day-by-day account is for `case deadline`
  absl::StatusOr<ClockReport> clocks = ComputeClocks(
      events, *calendar, options, std::max(today, record.received_on));
  if (clocks.ok()) {
    out->set_paused(clocks->paused);
    out->set_pause_reason(clocks->pause_reason);
    out->set_extension_days(clocks->extension_days);
    out->set_pause_days(clocks->pause_days);
    ToProto(clocks->reply_start, out->mutable_reply_started_on());
    if (clocks->reply_due.has_value()) {
      ToProto(*clocks->reply_due, out->mutable_due_on());
      if (record.state != CaseState::kClosed) {
        absl::StatusOr<int> left =
            calendar->WorkingDaysLeft(today, *clocks->reply_due);
        if (left.ok()) out->set_working_days_left(*left);
      }
    }
    for (const Clock& c : clocks->clocks) {
      v1::CaseClock* pc = out->add_clocks();
      pc->set_kind(c.kind);
      pc->set_id(c.id);
      pc->set_label(c.label);
      if (c.due_on.has_value()) ToProto(*c.due_on, pc->mutable_due_on());
      pc->set_state(c.state);
    }
    for (const ConsultationInfo& ci : clocks->consultations) {
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
    }
  } else {
    // The case is still shown when its deadline cannot be computed; the
    // reason travels with it so staff can act (e.g. load next year's calendar).
    out->set_due_on_problem(std::string(clocks.status().message()));
  }
  for (const CaseEvent& e : events) {
    if (e.kind == "fee_notified") {
      if (const Json* a = e.details.Find("amount_fen");
          a != nullptr && a->is_int()) {
        out->set_fee_amount_fen(a->as_int());
      }
    }
  }
  if (with_events) {
    for (const CaseEvent& e : events) ToProto(e, out->add_events());
  }
  return absl::OkStatus();
}

grpc::Status CaseServiceImpl::CreateCase(grpc::ServerContext* context,
                                         const v1::CreateCaseRequest* request,
                                         v1::Case* response) {
  return Serve(env_, "CreateCase", *context, [&]() -> absl::Status {
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
    ASSIGN_OR_RETURN(input.agency, ResolveAgency(env_, request->agency()));

    CaseEvent event;
    ASSIGN_OR_RETURN(CaseRecord record,
                     OpenCase(input, Action(*context), &event));
    ASSIGN_OR_RETURN(PeriodLock lock, PeriodLock::Load(*env_.store, *context));
    RETURN_IF_ERROR(
        lock.CheckCase(std::nullopt, FactOf(record), record.agency));
    if (!lock.force_reason().empty())
      event.details.Set("forced", lock.force_reason());
    ASSIGN_OR_RETURN(CaseRecord stored,
                     env_.store->CreateCase(std::move(record), &event));
    const std::vector<CaseEvent> events = {event};
    if (env_.on_case_saved) {
      env_.on_case_saved(stored, events);
    } else if (env_.on_case_changed) {
      env_.on_case_changed(stored.case_no);
    }
    return RenderCase(env_, stored, events, /*with_events=*/true, response);
  });
}

grpc::Status CaseServiceImpl::GetCase(grpc::ServerContext* context,
                                      const v1::GetCaseRequest* request,
                                      v1::Case* response) {
  return Serve(env_, "GetCase", *context, [&]() -> absl::Status {
    ASSIGN_OR_RETURN(std::string case_no, CaseNoFromName(request->name()));
    ASSIGN_OR_RETURN(CaseRecord record, VisibleCase(env_, case_no));
    ASSIGN_OR_RETURN(std::vector<CaseEvent> events,
                     env_.store->GetEvents(record.id));
    if (request->reveal()) {
      std::optional<Role> role = CallerRole();
      if (role.has_value() && !MayReveal(*role)) {
        return absl::PermissionDeniedError(
            absl::StrCat(RoleCode(*role),
                         " may not see identity numbers and contacts "
                         "unmasked"));
      }
      // Every reveal of personal data is itself on the audit trail.
      storage::RecordEvent e{"personal_data_revealed",
                             absl::StrCat("case ", record.case_no),
                             CallerName(*context), env_.time->Now()};
      RETURN_IF_ERROR(env_.store->AppendRecord(e));
    }
    return RenderCase(env_, record, events, /*with_events=*/true, response,
                      request->reveal());
  });
}

grpc::Status CaseServiceImpl::ListCases(grpc::ServerContext* context,
                                        const v1::ListCasesRequest* request,
                                        v1::ListCasesResponse* response) {
  return Serve(env_, "ListCases", *context, [&]() -> absl::Status {
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
    if (request->receipt_year() != 0 &&
        (request->receipt_year() < 2008 || request->receipt_year() > 9999)) {
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
    query.agencies = CallerAgencies();
    ASSIGN_OR_RETURN(storage::CasePage page, env_.store->ListCases(query));
    std::vector<int64_t> ids;
    for (const CaseRecord& c : page.cases) ids.push_back(c.id);
    ASSIGN_OR_RETURN(auto events, env_.store->GetEventsOfCases(ids));
    for (const CaseRecord& c : page.cases) {
      RETURN_IF_ERROR(RenderCase(env_, c, events[c.id], /*with_events=*/false,
                                 response->add_cases()));
    }
    if (page.more) {
      response->set_next_page_token(EncodePageToken(page.cases.back()));
    }
    response->set_total_size(page.total);
    return absl::OkStatus();
  });
}

grpc::Status CaseServiceImpl::Act(absl::string_view method,
                                  grpc::ServerContext* context,
                                  const std::string& name,
                                  const std::function<absl::Status()>& validate,
                                  const Transition& transition,
                                  v1::Case* response) {
  return Serve(env_, method, *context, [&]() -> absl::Status {
    ASSIGN_OR_RETURN(std::string case_no, CaseNoFromName(name));
    RETURN_IF_ERROR(validate());
    const ActionContext action = Action(*context);
    std::shared_ptr<const WorkCalendar> calendar = env_.calendar->Get();
    const Lifecycle lifecycle(action, *calendar, env_.clock_options);
    ASSIGN_OR_RETURN(PeriodLock lock, PeriodLock::Load(*env_.store, *context));
    ASSIGN_OR_RETURN(
        CaseRecord updated,
        env_.store->UpdateCase(
            case_no,
            [&](CaseRecord& c, const std::vector<CaseEvent>& events)
                -> absl::StatusOr<CaseEvent> {
              if (!CallerSeesAgency(c.agency)) {
                return absl::NotFoundError(
                    absl::StrCat("no case numbered '", c.case_no, "'"));
              }
              const CaseFact before = FactOf(c);
              const CaseState state_before = c.state;
              ASSIGN_OR_RETURN(CaseEvent event,
                               transition(lifecycle, c, events));
              RETURN_IF_ERROR(lock.CheckCase(before, FactOf(c), c.agency));
              // Before and after values for the case history.
              if (c.state != state_before) {
                event.details.Set("state_before",
                                  std::string(Info(state_before).code));
                event.details.Set("state_after",
                                  std::string(Info(c.state).code));
              }
              if (!lock.force_reason().empty()) {
                event.details.Set("forced", lock.force_reason());
              }
              return event;
            }));
    absl::StatusOr<std::vector<CaseEvent>> events =
        env_.store->GetEvents(updated.id);
    if (events.ok() && env_.on_case_saved) {
      env_.on_case_saved(updated, *events);
    } else if (env_.on_case_changed) {
      env_.on_case_changed(updated.case_no);
    }
    RETURN_IF_ERROR(events.status());
    return RenderCase(env_, updated, *events, /*with_events=*/true, response);
  });
}

grpc::Status CaseServiceImpl::AnswerCase(grpc::ServerContext* context,
                                         const v1::AnswerCaseRequest* request,
                                         v1::Case* response) {
  AnswerInput input;
  input.note = request->note();
  return Act(
      "AnswerCase", context, request->name(),
      [&]() -> absl::Status {
        ASSIGN_OR_RETURN(input.answered_on,
                         FromProto(request->answered_on(), "answer date"));
        ASSIGN_OR_RETURN(input.outcome, FromProto(request->outcome()));
        return absl::OkStatus();
      },
      [&](const Lifecycle& l, CaseRecord& c, const std::vector<CaseEvent>& e) {
        return l.Answer(c, e, input);
      },
      response);
}

grpc::Status CaseServiceImpl::WithdrawCase(
    grpc::ServerContext* context, const v1::WithdrawCaseRequest* request,
    v1::Case* response) {
  absl::CivilDay date;
  return Act(
      "WithdrawCase", context, request->name(),
      [&]() -> absl::Status {
        ASSIGN_OR_RETURN(date,
                         FromProto(request->withdrawn_on(), "withdrawal date"));
        return absl::OkStatus();
      },
      [&](const Lifecycle& l, CaseRecord& c, const std::vector<CaseEvent>& e) {
        return l.Withdraw(c, e, date, request->reason());
      },
      response);
}

grpc::Status CaseServiceImpl::RequestCorrection(
    grpc::ServerContext* context, const v1::RequestCorrectionRequest* request,
    v1::Case* response) {
  absl::CivilDay date;
  const int period = request->period_days() == 0 ? kDefaultCorrectionPeriodDays
                                                 : request->period_days();
  return Act(
      "RequestCorrection", context, request->name(),
      [&]() -> absl::Status {
        ASSIGN_OR_RETURN(date, FromProto(request->notice_on(), "notice date"));
        return absl::OkStatus();
      },
      [&](const Lifecycle& l, CaseRecord& c, const std::vector<CaseEvent>& e) {
        return l.RequestCorrection(c, e, date, period);
      },
      response);
}

grpc::Status CaseServiceImpl::RecordCorrection(
    grpc::ServerContext* context, const v1::RecordCorrectionRequest* request,
    v1::Case* response) {
  absl::CivilDay date;
  return Act(
      "RecordCorrection", context, request->name(),
      [&]() -> absl::Status {
        ASSIGN_OR_RETURN(date,
                         FromProto(request->corrected_on(), "correction date"));
        return absl::OkStatus();
      },
      [&](const Lifecycle& l, CaseRecord& c, const std::vector<CaseEvent>& e) {
        return l.RecordCorrection(c, e, date);
      },
      response);
}

grpc::Status CaseServiceImpl::StartConsultation(
    grpc::ServerContext* context, const v1::StartConsultationRequest* request,
    v1::Case* response) {
  ConsultationInput input;
  input.party = request->party();
  input.agency = request->kind() == v1::StartConsultationRequest::KIND_AGENCY;
  return Act(
      "StartConsultation", context, request->name(),
      [&]() -> absl::Status {
        if (!v1::StartConsultationRequest::Kind_IsValid(request->kind())) {
          return absl::InvalidArgumentError(
              "consultation kind must be third_party or agency");
        }
        ASSIGN_OR_RETURN(input.date,
                         FromProto(request->sent_on(), "consultation date"));
        return absl::OkStatus();
      },
      [&](const Lifecycle& l, CaseRecord& c, const std::vector<CaseEvent>& e) {
        return l.StartConsultation(c, e, input);
      },
      response);
}

grpc::Status CaseServiceImpl::RecordConsultationReply(
    grpc::ServerContext* context,
    const v1::RecordConsultationReplyRequest* request, v1::Case* response) {
  absl::CivilDay date;
  return Act(
      "RecordConsultationReply", context, request->name(),
      [&]() -> absl::Status {
        ASSIGN_OR_RETURN(date, FromProto(request->replied_on(), "reply date"));
        return ValidateText("consultation id", request->consultation_id(),
                            false, 16, 0, false);
      },
      [&](const Lifecycle& l, CaseRecord& c, const std::vector<CaseEvent>& e) {
        return l.RecordConsultationReply(c, e, date,
                                         request->consultation_id());
      },
      response);
}

grpc::Status CaseServiceImpl::ExtendDeadline(
    grpc::ServerContext* context, const v1::ExtendDeadlineRequest* request,
    v1::Case* response) {
  ExtensionInput input;
  input.days = request->days();
  input.approved_by = request->approved_by();
  input.reason = request->reason();
  input.unreasonable_volume =
      request->kind() == v1::ExtendDeadlineRequest::KIND_UNREASONABLE_VOLUME;
  return Act(
      "ExtendDeadline", context, request->name(),
      [&]() -> absl::Status {
        if (!v1::ExtendDeadlineRequest::Kind_IsValid(request->kind())) {
          return absl::InvalidArgumentError(
              "extension kind must be statutory or unreasonable_volume");
        }
        // The approver is the authenticated office head, not free text.
        if (env_.require_auth) input.approved_by = CallerName(*context);
        ASSIGN_OR_RETURN(input.date,
                         FromProto(request->approved_on(), "extension date"));
        return absl::OkStatus();
      },
      [&](const Lifecycle& l, CaseRecord& c, const std::vector<CaseEvent>& e) {
        return l.Extend(c, e, input);
      },
      response);
}

grpc::Status CaseServiceImpl::SendFeeNotice(
    grpc::ServerContext* context, const v1::SendFeeNoticeRequest* request,
    v1::Case* response) {
  absl::CivilDay date;
  return Act(
      "SendFeeNotice", context, request->name(),
      [&]() -> absl::Status {
        ASSIGN_OR_RETURN(date,
                         FromProto(request->notice_on(), "fee notice date"));
        if (request->amount_fen() <= 0 ||
            request->amount_fen() > 100000000000) {
          return absl::InvalidArgumentError(
              "the fee amount must be more than zero (and sane)");
        }
        return absl::OkStatus();
      },
      [&](const Lifecycle& l, CaseRecord& c, const std::vector<CaseEvent>& e) {
        return l.SendFeeNotice(c, e, date, request->amount_fen());
      },
      response);
}

grpc::Status CaseServiceImpl::RecordFeePayment(
    grpc::ServerContext* context, const v1::RecordFeePaymentRequest* request,
    v1::Case* response) {
  absl::CivilDay date;
  return Act(
      "RecordFeePayment", context, request->name(),
      [&]() -> absl::Status {
        ASSIGN_OR_RETURN(date, FromProto(request->paid_on(), "payment date"));
        return absl::OkStatus();
      },
      [&](const Lifecycle& l, CaseRecord& c, const std::vector<CaseEvent>& e) {
        return l.RecordFeePayment(c, e, date);
      },
      response);
}

grpc::Status CaseServiceImpl::AssignCase(grpc::ServerContext* context,
                                         const v1::AssignCaseRequest* request,
                                         v1::Case* response) {
  std::string assignee = request->assignee();
  return Act(
      "AssignCase", context, request->name(),
      [&]() -> absl::Status {
        if (assignee.empty() || !env_.require_auth) return absl::OkStatus();
        ASSIGN_OR_RETURN(std::vector<storage::UserRecord> users,
                         env_.store->ListUsers());
        for (const storage::UserRecord& u : users) {
          if (u.name != assignee) continue;
          if (u.disabled) {
            return absl::FailedPreconditionError(
                absl::StrCat("user ", assignee, " is disabled"));
          }
          if (u.role != "handler" && u.role != "head") {
            return absl::InvalidArgumentError(absl::StrCat(
                assignee, " is a ", u.role, "; cases go to a handler or head"));
          }
          return absl::OkStatus();
        }
        return absl::NotFoundError(
            absl::StrCat("no user named '", assignee, "'"));
      },
      [&](const Lifecycle& l, CaseRecord& c,
          const std::vector<CaseEvent>& e) -> absl::StatusOr<CaseEvent> {
        if (c.state == CaseState::kClosed) {
          return absl::FailedPreconditionError(
              absl::StrCat("case ", c.case_no, " is closed"));
        }
        CaseEvent event;
        event.kind = "assigned";
        event.effective_on = std::max(env_.time->Today(), c.received_on);
        event.recorded_at = env_.time->Now();
        event.actor = CallerName(*context);
        event.details.Set("before", c.assignee);
        event.details.Set("after", assignee);
        c.assignee = assignee;
        ++c.version;
        c.updated_at = event.recorded_at;
        return event;
      },
      response);
}

grpc::Status CaseServiceImpl::ExplainDeadline(
    grpc::ServerContext* context, const v1::ExplainDeadlineRequest* request,
    v1::DeadlineExplanation* response) {
  return Serve(env_, "ExplainDeadline", *context, [&]() -> absl::Status {
    ASSIGN_OR_RETURN(std::string case_no, CaseNoFromName(request->name()));
    ASSIGN_OR_RETURN(CaseRecord record, VisibleCase(env_, case_no));
    ASSIGN_OR_RETURN(std::vector<CaseEvent> events,
                     env_.store->GetEvents(record.id));
    std::shared_ptr<const WorkCalendar> calendar = env_.calendar->Get();
    ASSIGN_OR_RETURN(
        ClockReport clocks,
        ComputeClocks(events, *calendar, env_.clock_options,
                      std::max(env_.time->Today(), record.received_on)));
    response->set_case_no(record.case_no);
    for (const std::string& line : clocks.explanation)
      response->add_lines(line);
    if (clocks.reply_due.has_value())
      ToProto(*clocks.reply_due, response->mutable_due_on());
    return absl::OkStatus();
  });
}

}  // namespace gongkai::rpc

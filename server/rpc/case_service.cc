#include "server/rpc/case_service.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/dates.h"
#include "common/status_macros.h"
#include "server/domain/clocks.h"
#include "server/rpc/boundary.h"
#include "server/rpc/convert.h"

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

ActionContext CaseServiceImpl::Action(const grpc::ServerContext& context) const {
  return ActionContext{CallerName(context), env_.time->Now(),
                       env_.time->Today()};
}

absl::Status CaseServiceImpl::Render(const CaseRecord& record, bool with_events,
                                     v1::Case* out) const {
  ToProto(record, out);
  std::shared_ptr<const WorkCalendar> calendar = env_.calendar->Get();
  absl::StatusOr<ClockReport> clocks =
      ComputeClocks({record.received_on, record.answered_on}, *calendar);
  if (clocks.ok()) {
    ToProto(clocks->reply_due, out->mutable_due_on());
    if (record.state != CaseState::kClosed) {
      absl::CivilDay today = env_.time->Today();
      absl::StatusOr<int> left =
          today <= clocks->reply_due
              ? calendar->WorkingDaysBetween(today, clocks->reply_due)
              : calendar->WorkingDaysBetween(clocks->reply_due, today);
      if (left.ok()) {
        out->set_working_days_left(today <= clocks->reply_due ? *left : -*left);
      }
    }
  } else {
    // A case is still shown when its deadline cannot be computed; the reason
    // travels with it so staff can act (e.g. load next year's calendar).
    out->set_due_on_problem(std::string(clocks.status().message()));
  }
  if (with_events) {
    ASSIGN_OR_RETURN(std::vector<CaseEvent> events,
                     env_.store->GetEvents(record.id));
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

    CaseEvent event;
    ASSIGN_OR_RETURN(CaseRecord record,
                     OpenCase(input, Action(*context), &event));
    ASSIGN_OR_RETURN(CaseRecord stored,
                     env_.store->CreateCase(std::move(record), std::move(event)));
    return Render(stored, /*with_events=*/true, response);
  });
}

grpc::Status CaseServiceImpl::GetCase(grpc::ServerContext* context,
                                      const v1::GetCaseRequest* request,
                                      v1::Case* response) {
  return Serve(env_, "GetCase", *context, [&]() -> absl::Status {
    ASSIGN_OR_RETURN(std::string case_no, CaseNoFromName(request->name()));
    ASSIGN_OR_RETURN(CaseRecord record, env_.store->GetCase(case_no));
    return Render(record, /*with_events=*/true, response);
  });
}

grpc::Status CaseServiceImpl::ListCases(grpc::ServerContext* context,
                                        const v1::ListCasesRequest* request,
                                        v1::ListCasesResponse* response) {
  return Serve(env_, "ListCases", *context, [&]() -> absl::Status {
    storage::CaseQuery query;
    switch (request->state()) {
      case v1::ListCasesRequest::STATE_FILTER_ANY: break;
      case v1::ListCasesRequest::STATE_FILTER_OPEN:
        query.state = CaseState::kOpen;
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
    ASSIGN_OR_RETURN(storage::CasePage page, env_.store->ListCases(query));
    for (const CaseRecord& c : page.cases) {
      RETURN_IF_ERROR(Render(c, /*with_events=*/false, response->add_cases()));
    }
    if (page.more) {
      response->set_next_page_token(EncodePageToken(page.cases.back()));
    }
    response->set_total_size(page.total);
    return absl::OkStatus();
  });
}

grpc::Status CaseServiceImpl::AnswerCase(grpc::ServerContext* context,
                                         const v1::AnswerCaseRequest* request,
                                         v1::Case* response) {
  return Serve(env_, "AnswerCase", *context, [&]() -> absl::Status {
    ASSIGN_OR_RETURN(std::string case_no, CaseNoFromName(request->name()));
    AnswerInput input;
    ASSIGN_OR_RETURN(input.answered_on,
                     FromProto(request->answered_on(), "answer date"));
    ASSIGN_OR_RETURN(input.outcome, FromProto(request->outcome()));
    input.note = request->note();
    const ActionContext action = Action(*context);
    ASSIGN_OR_RETURN(CaseRecord updated,
                     env_.store->UpdateCase(case_no, [&](CaseRecord& c) {
                       return gongkai::AnswerCase(c, input, action);
                     }));
    return Render(updated, /*with_events=*/true, response);
  });
}

}  // namespace gongkai::rpc

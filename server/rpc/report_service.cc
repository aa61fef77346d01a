#include "server/rpc/report_service.h"

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/dates.h"
#include "common/status_macros.h"
#include "formats/ledger.h"
#include "server/rpc/boundary.h"
#include "server/rpc/case_service.h"
#include "convert/proto_convert.h"
#include "server/rpc/period_lock.h"

namespace gongkai::rpc {
namespace {

absl::Status CheckYear(int year) {
  if (year < 2008 || year > 9999) {
    return absl::InvalidArgumentError(
        absl::StrCat("year must be a year such as 2023, not ", year));
  }
  return absl::OkStatus();
}

void ToProto(const storage::AppealRecord& a, v1::Appeal* out) {
  out->set_id(a.id);
  out->set_case_no(a.case_no);
  out->set_kind(static_cast<v1::AppealKind>(a.kind));
  ToProto(a.filed_on, out->mutable_filed_on());
  if (a.result.has_value()) {
    out->set_result(static_cast<v1::AppealResult>(*a.result));
    ToProto(*a.decided_on, out->mutable_decided_on());
  }
}

Json ProactiveJson(const std::array<ProactiveRow, kProactiveItemCount>& rows) {
  AnnualReport r;
  r.proactive = rows;
  return *ReportToJson(r).Find("proactive");
}

// A stable fingerprint of the ledger's content, to import a file once.
std::string ContentHash(const std::string& content) {
  // FNV-1a 64 twice with different offsets: not cryptographic, only a
  // duplicate detector; the content length is part of the key too.
  uint64_t a = 1469598103934665603ULL, b = 0x84222325cbf29ce4ULL;
  for (unsigned char c : content) {
    a = (a ^ c) * 1099511628211ULL;
    b = (b ^ c) * 1099511628211ULL + 0x9E3779B97F4A7C15ULL;
  }
  return absl::StrCat(absl::Hex(a, absl::kZeroPad16),
                      absl::Hex(b, absl::kZeroPad16), "-", content.size());
}

}  // namespace

absl::StatusOr<ReportScope> ScopeFor(const Environment& env,
                                     const std::string& agency) {
  ReportScope scope;
  if (agency.empty()) {
    scope.agencies = CallerAgencies();
    scope.name = env.agency;
    return scope;
  }
  ASSIGN_OR_RETURN(auto agencies, env.store->ListAgencies());
  for (const auto& [code, name] : agencies) {
    if (code != agency) continue;
    if (!CallerSeesAgency(code)) {
      return absl::PermissionDeniedError(
          absl::StrCat("you do not work for agency ", code));
    }
    scope.key = code;
    scope.agencies = {code};
    scope.name = name;
    return scope;
  }
  return absl::NotFoundError(absl::StrCat("no agency '", agency, "'"));
}

absl::StatusOr<AnnualReport> BuildReport(const Environment& env, int year,
                                         const ReportScope& scope) {
  RETURN_IF_ERROR(CheckYear(year));
  AnnualReport r;
  r.year = year;
  r.agency = scope.name;
  ASSIGN_OR_RETURN(r.table3, env.store->ReportTable3(year, scope.agencies));
  ASSIGN_OR_RETURN(std::vector<storage::AppealRecord> appeals,
                   env.store->ListAppeals(year, scope.agencies));
  std::vector<AppealFact> appeal_facts;
  for (const auto& a : appeals) appeal_facts.push_back(FactOf(a));
  r.table4 = TallyTable4(year, appeal_facts);
  ASSIGN_OR_RETURN(r.proactive, env.store->GetProactive(year, scope.agencies));
  ASSIGN_OR_RETURN(r.fees_collected_fen,
                   env.store->FeesCollectedFen(year, scope.agencies));
  // Computed from records the rules always hold; if one breaks it is a bug,
  // and no report is given rather than a wrong one.
  if (absl::Status s = VerifyReport(r); !s.ok()) {
    return absl::InternalError(
        absl::StrCat("internal error, no report produced: ", s.message()));
  }
  return r;
}

absl::Status ReportServiceImpl::FillReport(int year, const ReportScope& scope,
                                           v1::Report* out) const {
  ASSIGN_OR_RETURN(AnnualReport report, BuildReport(env_, year, scope));
  out->set_year(year);
  out->set_json(ReportToJson(report).Dump(2));
  ASSIGN_OR_RETURN(auto published, env_.store->PublishedReports());
  if (auto it = published.find({year, scope.key}); it != published.end()) {
    out->set_published(true);
    absl::StatusOr<Json> j = Json::Parse(it->second);
    absl::StatusOr<AnnualReport> frozen =
        j.ok() ? ReportFromJson(*j) : absl::StatusOr<AnnualReport>(j.status());
    if (!frozen.ok()) {
      return absl::DataLossError(
          absl::StrCat("the published ", year, " figures are unreadable"));
    }
    if (const Json* at = j->Find("published_at"); at && at->is_string()) {
      out->set_published_at(at->as_string());
    }
    frozen->agency = report.agency;
    for (const std::string& d : DiffReports(*frozen, report))
      out->add_differences(d);
  }
  if (auto it = published.find({year - 1, scope.key}); it != published.end()) {
    absl::StatusOr<Json> j = Json::Parse(it->second);
    absl::StatusOr<AnnualReport> last =
        j.ok() ? ReportFromJson(*j) : absl::StatusOr<AnnualReport>(j.status());
    if (last.ok() && !(last->table3.carried_out == report.table3.carried_in)) {
      out->add_warnings(
          absl::StrCat("row 二 (", report.table3.carried_in.total(),
                       ") differs from row 四 of the published ", year - 1,
                       " report (", last->table3.carried_out.total(), ")"));
    }
  }
  return absl::OkStatus();
}

grpc::Status ReportServiceImpl::GetReport(grpc::ServerContext* context,
                                          const v1::GetReportRequest* request,
                                          v1::Report* response) {
  return Serve(env_, "GetReport", *context, [&]() -> absl::Status {
    ASSIGN_OR_RETURN(ReportScope scope, ScopeFor(env_, request->agency()));
    return FillReport(request->year(), scope, response);
  });
}

grpc::Status ReportServiceImpl::PublishReport(
    grpc::ServerContext* context, const v1::PublishReportRequest* request,
    v1::Report* response) {
  return Serve(env_, "PublishReport", *context, [&]() -> absl::Status {
    const int year = request->year();
    RETURN_IF_ERROR(CheckYear(year));
    if (year >= env_.time->Today().year()) {
      return absl::FailedPreconditionError(
          absl::StrCat("the year ", year,
                       " has not ended; its report can be published from ",
                       year + 1, "-01-01"));
    }
    ASSIGN_OR_RETURN(ReportScope scope, ScopeFor(env_, request->agency()));
    if (scope.key.empty() && !CallerAgencies().empty()) {
      return absl::PermissionDeniedError(
          "only a user of every agency may publish the combined report; give "
          "--agency");
    }
    ASSIGN_OR_RETURN(AnnualReport report, BuildReport(env_, year, scope));
    Json figures = ReportToJson(report);
    const absl::Time now = env_.time->Now();
    figures.Set("published_at", FormatTimestamp(now));
    storage::RecordEvent event{
        "report_published",
        absl::StrCat("report ", year, scope.key.empty() ? "" : " ", scope.key),
        CallerName(*context), now};
    event.details.Set("new", report.table3.new_requests.total());
    event.details.Set("carried_out", report.table3.carried_out.total());
    RETURN_IF_ERROR(
        env_.store->PublishReport(year, scope.key, figures.Dump(), event));
    if (env_.log)
      env_.log(absl::StrCat("report ", year, " published by ", event.actor));
    return FillReport(year, scope, response);
  });
}

grpc::Status ReportServiceImpl::CreateAppeal(
    grpc::ServerContext* context, const v1::CreateAppealRequest* request,
    v1::Appeal* response) {
  return Serve(env_, "CreateAppeal", *context, [&]() -> absl::Status {
    storage::AppealRecord a;
    ASSIGN_OR_RETURN(a.case_no, CaseNoFromName(request->case_no()));
    if (request->kind() < 1 || request->kind() > 3) {
      return absl::InvalidArgumentError(
          "appeal kind is required: reconsideration, litigation_direct or "
          "litigation_after_reconsideration");
    }
    a.kind = static_cast<AppealKind>(request->kind());
    ASSIGN_OR_RETURN(a.filed_on, FromProto(request->filed_on(), "filing date"));
    const absl::CivilDay today = env_.time->Today();
    if (a.filed_on > today) {
      return absl::InvalidArgumentError(absl::StrCat(
          "filing date ", FormatDate(a.filed_on), " is in the future"));
    }
    ASSIGN_OR_RETURN(CaseRecord c, VisibleCase(env_, a.case_no));
    if (a.filed_on < c.received_on) {
      return absl::InvalidArgumentError(absl::StrCat(
          "filing date ", FormatDate(a.filed_on), " is before case ", c.case_no,
          " was received (", FormatDate(c.received_on), ")"));
    }
    ASSIGN_OR_RETURN(PeriodLock lock, PeriodLock::Load(*env_.store, *context));
    RETURN_IF_ERROR(lock.CheckAppeal(std::nullopt, FactOf(a), c.agency));
    storage::RecordEvent event{"appeal_filed", "", CallerName(*context),
                               env_.time->Now()};
    event.details.Set("case_no", a.case_no);
    event.details.Set("kind", std::string(AppealKindCode(a.kind)));
    event.details.Set("filed_on", FormatDate(a.filed_on));
    if (!lock.force_reason().empty())
      event.details.Set("forced", lock.force_reason());
    ASSIGN_OR_RETURN(storage::AppealRecord stored,
                     env_.store->CreateAppeal(a, event));
    ToProto(stored, response);
    return absl::OkStatus();
  });
}

grpc::Status ReportServiceImpl::DecideAppeal(
    grpc::ServerContext* context, const v1::DecideAppealRequest* request,
    v1::Appeal* response) {
  return Serve(env_, "DecideAppeal", *context, [&]() -> absl::Status {
    if (request->result() < 1 || request->result() > 3) {
      return absl::InvalidArgumentError(
          "appeal result is required: upheld, corrected or other");
    }
    ASSIGN_OR_RETURN(absl::CivilDay decided,
                     FromProto(request->decided_on(), "decision date"));
    if (decided > env_.time->Today()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "decision date ", FormatDate(decided), " is in the future"));
    }
    ASSIGN_OR_RETURN(PeriodLock lock, PeriodLock::Load(*env_.store, *context));
    storage::RecordEvent event{"appeal_decided",
                               absl::StrCat("appeal ", request->id()),
                               CallerName(*context), env_.time->Now()};
    event.details.Set("result",
                      std::string(AppealResultCode(
                          static_cast<AppealResult>(request->result()))));
    event.details.Set("decided_on", FormatDate(decided));
    if (!lock.force_reason().empty())
      event.details.Set("forced", lock.force_reason());
    ASSIGN_OR_RETURN(storage::AppealRecord stored,
                     env_.store->UpdateAppeal(
                         request->id(),
                         [&](storage::AppealRecord& a) -> absl::Status {
                           if (!CallerSeesAgency(a.agency)) {
                             return absl::NotFoundError(
                                 absl::StrCat("no appeal with id ", a.id));
                           }
                           if (a.result.has_value()) {
                             return absl::FailedPreconditionError(absl::StrCat(
                                 "appeal ", a.id, " was already decided on ",
                                 FormatDate(*a.decided_on), " (",
                                 AppealResultCode(*a.result), ")"));
                           }
                           if (decided < a.filed_on) {
                             return absl::InvalidArgumentError(absl::StrCat(
                                 "decision date ", FormatDate(decided),
                                 " is before the appeal was filed (",
                                 FormatDate(a.filed_on), ")"));
                           }
                           const AppealFact before = FactOf(a);
                           a.result =
                               static_cast<AppealResult>(request->result());
                           a.decided_on = decided;
                           return lock.CheckAppeal(before, FactOf(a), a.agency);
                         },
                         event));
    ToProto(stored, response);
    return absl::OkStatus();
  });
}

grpc::Status ReportServiceImpl::ListAppeals(
    grpc::ServerContext* context, const v1::ListAppealsRequest* request,
    v1::ListAppealsResponse* response) {
  return Serve(env_, "ListAppeals", *context, [&]() -> absl::Status {
    if (request->year() != 0) RETURN_IF_ERROR(CheckYear(request->year()));
    ASSIGN_OR_RETURN(auto appeals, env_.store->ListAppeals(request->year(),
                                                           CallerAgencies()));
    for (const auto& a : appeals) ToProto(a, response->add_appeals());
    return absl::OkStatus();
  });
}

grpc::Status ReportServiceImpl::SetProactive(
    grpc::ServerContext* context, const v1::SetProactiveRequest* request,
    v1::ProactiveFigures* response) {
  return Serve(env_, "SetProactive", *context, [&]() -> absl::Status {
    const int year = request->year();
    RETURN_IF_ERROR(CheckYear(year));
    ASSIGN_OR_RETURN(ProactiveItem item, ParseProactiveItem(request->item()));
    const bool documents = item == ProactiveItem::kRules ||
                           item == ProactiveItem::kNormativeDocuments;
    const bool fees = item == ProactiveItem::kFees;
    struct Field {
      const char* flag;
      bool present;
      int64_t value;
      bool allowed;
    };
    const Field fields[] = {
        {"issued", request->has_issued(), request->issued(), documents},
        {"repealed", request->has_repealed(), request->repealed(), documents},
        {"in-force", request->has_in_force(), request->in_force(), documents},
        {"decisions", request->has_decisions(), request->decisions(),
         !documents && !fees},
        {"amount-yuan", request->has_amount_fen(), request->amount_fen(), fees},
    };
    bool any = false;
    for (const Field& f : fields) {
      if (!f.present) continue;
      any = true;
      if (!f.allowed) {
        return absl::InvalidArgumentError(
            absl::StrCat("--", f.flag, " does not apply to ", request->item(),
                         documents ? "; use --issued, --repealed, --in-force"
                         : fees    ? "; use --amount-yuan"
                                   : "; use --decisions"));
      }
      if (f.value < 0 || f.value > 1000000000000000LL) {
        return absl::InvalidArgumentError(
            absl::StrCat("--", f.flag, " must be a count of 0 or more"));
      }
    }
    if (!any)
      return absl::InvalidArgumentError("give at least one figure to set");
    ASSIGN_OR_RETURN(PeriodLock lock, PeriodLock::Load(*env_.store, *context));
    ASSIGN_OR_RETURN(std::string agency,
                     ResolveAgency(env_, request->agency()));
    RETURN_IF_ERROR(lock.CheckYear(year, agency, "table 2"));
    ASSIGN_OR_RETURN(auto rows, env_.store->GetProactive(year, {agency}));
    ProactiveRow row = rows[static_cast<int>(item) - 1];
    if (request->has_issued()) row.issued = request->issued();
    if (request->has_repealed()) row.repealed = request->repealed();
    if (request->has_in_force()) row.in_force = request->in_force();
    if (request->has_decisions()) row.decisions = request->decisions();
    if (request->has_amount_fen()) row.amount_fen = request->amount_fen();
    storage::RecordEvent event{
        "proactive_set", absl::StrCat("table 2 ", year, " ", request->item()),
        CallerName(*context), env_.time->Now()};
    event.details.Set("issued", row.issued);
    event.details.Set("repealed", row.repealed);
    event.details.Set("in_force", row.in_force);
    event.details.Set("decisions", row.decisions);
    event.details.Set("amount_fen", row.amount_fen);
    if (!lock.force_reason().empty())
      event.details.Set("forced", lock.force_reason());
    RETURN_IF_ERROR(env_.store->SetProactive(year, agency, item, row, event));
    ASSIGN_OR_RETURN(rows, env_.store->GetProactive(year, {agency}));
    response->set_year(year);
    response->set_json(ProactiveJson(rows).Dump(2));
    return absl::OkStatus();
  });
}

grpc::Status ReportServiceImpl::GetProactive(
    grpc::ServerContext* context, const v1::GetProactiveRequest* request,
    v1::ProactiveFigures* response) {
  return Serve(env_, "GetProactive", *context, [&]() -> absl::Status {
    RETURN_IF_ERROR(CheckYear(request->year()));
    ASSIGN_OR_RETURN(ReportScope scope, ScopeFor(env_, request->agency()));
    ASSIGN_OR_RETURN(auto rows,
                     env_.store->GetProactive(request->year(), scope.agencies));
    response->set_year(request->year());
    response->set_json(ProactiveJson(rows).Dump(2));
    return absl::OkStatus();
  });
}

grpc::Status ReportServiceImpl::ImportLedger(
    grpc::ServerContext* context, const v1::ImportLedgerRequest* request,
    v1::ImportLedgerResponse* response) {
  return Serve(env_, "ImportLedger", *context, [&]() -> absl::Status {
    const std::string hash = ContentHash(request->content());
    ASSIGN_OR_RETURN(std::optional<std::string> previous,
                     env_.store->FindImport(hash));
    if (previous.has_value()) {
      response->set_already_imported(true);
      response->set_previous_import(*previous);
      return absl::OkStatus();
    }
    const absl::CivilDay today = env_.time->Today();
    ASSIGN_OR_RETURN(std::string agency,
                     ResolveAgency(env_, request->agency()));
    ASSIGN_OR_RETURN(LedgerParse parsed,
                     ParseLedger(request->content(), today));
    std::vector<std::string> errors = parsed.errors;
    std::vector<std::string> numbers;
    for (const LedgerRow& row : parsed.rows) {
      if (!row.case_no.empty()) numbers.push_back(row.case_no);
    }
    ASSIGN_OR_RETURN(std::vector<std::string> existing,
                     env_.store->ExistingCaseNos(numbers));
    std::set<std::string> taken(existing.begin(), existing.end());
    ASSIGN_OR_RETURN(PeriodLock lock, PeriodLock::Load(*env_.store, *context));
    const std::string actor = CallerName(*context);
    const absl::Time now = env_.time->Now();
    std::vector<storage::ImportedCase> cases;
    for (const LedgerRow& row : parsed.rows) {
      if (taken.count(row.case_no)) {
        errors.push_back(absl::StrCat("line ", row.line, ": case number ",
                                      row.case_no,
                                      " is already in the records"));
        continue;
      }
      storage::ImportedCase ic;
      ic.line = row.line;
      ic.record = RecordFromLedgerRow(row, now);
      CaseRecord& c = ic.record;
      c.agency = agency;
      if (absl::Status s = lock.CheckCase(std::nullopt, FactOf(c), agency);
          !s.ok()) {
        errors.push_back(absl::StrCat("line ", row.line, ": ", s.message()));
        continue;
      }
      CaseEvent received;
      received.kind = "received";
      received.effective_on = row.received_on;
      received.recorded_at = now;
      received.actor = actor;
      received.details.Set("channel", std::string(Info(row.channel).code));
      received.details.Set("applicant_type",
                           std::string(Info(row.applicant_type).code));
      received.details.Set("applicant", row.applicant);
      received.details.Set("imported_from", request->source());
      ic.events.push_back(received);
      if (row.answered_on.has_value()) {
        CaseEvent answered = received;
        answered.kind = "answered";
        answered.effective_on = *row.answered_on;
        answered.details = Json::MakeObject();
        answered.details.Set("outcome", std::string(Info(*row.outcome).code));
        answered.details.Set("imported_from", request->source());
        ic.events.push_back(answered);
      }
      cases.push_back(std::move(ic));
    }
    if (!errors.empty()) {
      std::sort(errors.begin(), errors.end(),
                [](const std::string& a, const std::string& b) {
                  auto line = [](const std::string& s) {
                    int n = 0;
                    sscanf(s.c_str(), "line %d", &n);
                    return n;
                  };
                  return line(a) < line(b);
                });
      constexpr size_t kShown = 200;
      std::string list =
          absl::StrJoin(errors.begin(),
                        errors.begin() + std::min(errors.size(), kShown), "\n");
      if (errors.size() > kShown) {
        absl::StrAppend(&list, "\n… and ", errors.size() - kShown, " more");
      }
      return absl::InvalidArgumentError(
          absl::StrCat("nothing imported: ", errors.size(), " bad row",
                       errors.size() == 1 ? "" : "s", ":\n", list));
    }
    const int count = static_cast<int>(cases.size());
    storage::RecordEvent event{"ledger_imported", request->source(), actor,
                               now};
    event.details.Set("rows", count);
    if (!lock.force_reason().empty())
      event.details.Set("forced", lock.force_reason());
    absl::Status s = env_.store->ImportCases(std::move(cases), hash, event);
    if (s.code() == absl::StatusCode::kAlreadyExists &&
        s.message() == "this ledger was already imported") {
      response->set_already_imported(true);
      return absl::OkStatus();
    }
    RETURN_IF_ERROR(s);
    response->set_imported(count);
    if (env_.on_case_changed) env_.on_case_changed("");
    if (env_.log)
      env_.log(absl::StrCat("ledger ", request->source(), ": ", count,
                            " cases imported"));
    return absl::OkStatus();
  });
}

grpc::Status ReportServiceImpl::ExportLedger(
    grpc::ServerContext* context, const v1::ExportLedgerRequest* request,
    v1::ExportLedgerResponse* response) {
  return Serve(env_, "ExportLedger", *context, [&]() -> absl::Status {
    RETURN_IF_ERROR(CheckYear(request->year()));
    ASSIGN_OR_RETURN(
        std::vector<CaseRecord> cases,
        env_.store->LedgerCases(request->year(), CallerAgencies()));
    for (const std::string& h : LedgerHeader()) response->add_header(h);
    for (const CaseRecord& c : cases) {
      v1::LedgerRow* row = response->add_rows();
      for (std::string& cell : LedgerCells(c)) row->add_cells(std::move(cell));
    }
    return absl::OkStatus();
  });
}

}  // namespace gongkai::rpc

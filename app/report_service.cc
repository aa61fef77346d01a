#include "app/report_service.h"

#include <algorithm>
#include <set>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "app/due_date.h"
#include "app/period_lock.h"
#include "common/dates.h"
#include "common/lang.h"
#include "common/status_macros.h"
#include "domain/case_history.h"
#include "formats/ledger.h"

namespace gongkai::app {
namespace {

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

// The line number a ledger error starts with ("line 7: ..."), 0 if none.
absl::StatusOr<AnnualReport> ParsePublished(const std::string& figures) {
  ASSIGN_OR_RETURN(Json j, Json::Parse(figures));
  return ReportFromJson(j);
}

// The report with its publication state, read from `tables` (inside a
// publication's own write, so the reply needs no read after the commit).
absl::StatusOr<ReportView> ViewOf(storage::Tables& tables, int year,
                                  const ReportScope& scope,
                                  AnnualReport report) {
  ReportView view;
  ASSIGN_OR_RETURN(auto published, tables.reports().Published());
  if (auto it = published.find({year, scope.key}); it != published.end()) {
    view.published = true;
    absl::StatusOr<Json> j = Json::Parse(it->second);
    absl::StatusOr<AnnualReport> frozen =
        j.ok() ? ReportFromJson(*j) : absl::StatusOr<AnnualReport>(j.status());
    if (!frozen.ok()) {
      return absl::DataLossError(
          absl::StrCat("the published ", year, " figures are unreadable"));
    }
    if (const Json* at = j->Find("published_at"); at && at->is_string()) {
      view.published_at = at->as_string();
    }
    frozen->agency = report.agency;
    view.differences = DiffReports(*frozen, report);
    view.published_report = *std::move(frozen);
  }
  if (auto it = published.find({year - 1, scope.key}); it != published.end()) {
    absl::StatusOr<AnnualReport> last = ParsePublished(it->second);
    if (last.ok() && !(last->table3.carried_out == report.table3.carried_in)) {
      view.warnings.push_back(
          absl::StrCat("row 二 (", report.table3.carried_in.total(),
                       ") differs from row 四 of the published ", year - 1,
                       " report (", last->table3.carried_out.total(), ")"));
    }
  }
  view.report = std::move(report);
  return view;
}

void MarkForced(const PeriodLock& lock, storage::RecordEvent& event) {
  if (!lock.force_reason().empty())
    event.details.Set("forced", lock.force_reason());
}

// Which figures an item of table 2 has, and the flags that set them.
absl::Status CheckProactiveFigures(const ProactiveChange& change,
                                   ProactiveItem item) {
  const bool documents = item == ProactiveItem::kRules ||
                         item == ProactiveItem::kNormativeDocuments;
  const bool fees = item == ProactiveItem::kFees;
  struct Field {
    const char* flag;
    const std::optional<int64_t>& value;
    bool allowed;
  };
  const Field fields[] = {
      {"issued", change.issued, documents},
      {"repealed", change.repealed, documents},
      {"in-force", change.in_force, documents},
      {"decisions", change.decisions, !documents && !fees},
      {"amount-yuan", change.amount_fen, fees},
  };
  bool any = false;
  for (const Field& f : fields) {
    if (!f.value.has_value()) continue;
    any = true;
    if (!f.allowed) {
      return absl::InvalidArgumentError(
          absl::StrCat("--", f.flag, " does not apply to ", change.item,
                       documents ? "; use --issued, --repealed, --in-force"
                       : fees    ? "; use --amount-yuan"
                                 : "; use --decisions"));
    }
    if (*f.value < 0 || *f.value > 1000000000000000LL) {
      return absl::InvalidArgumentError(
          absl::StrCat("--", f.flag, " must be a count of 0 or more"));
    }
  }
  if (!any)
    return absl::InvalidArgumentError("give at least one figure to set");
  return absl::OkStatus();
}

}  // namespace

absl::Status CheckReportYear(int year) {
  if (year < 2008 || year > 9999) {
    return absl::InvalidArgumentError(
        absl::StrCat("year must be a year such as 2023, not ", year));
  }
  return absl::OkStatus();
}

Json ProactiveJson(const ProactiveTable& rows) {
  AnnualReport r;
  r.proactive = rows;
  return *ReportToJson(r).Find("proactive");
}

absl::StatusOr<AnnualReport> BuildReport(storage::Tables& tables, int year,
                                         const ReportScope& scope) {
  RETURN_IF_ERROR(CheckReportYear(year));
  AnnualReport r;
  r.year = year;
  r.agency = scope.name;
  ASSIGN_OR_RETURN(r.table3, tables.cases().Table3Of(year, scope.agencies));
  ASSIGN_OR_RETURN(std::vector<storage::AppealRecord> appeals,
                   tables.appeals().List(year, scope.agencies));
  std::vector<AppealFact> appeal_facts;
  appeal_facts.reserve(appeals.size());
  for (const auto& a : appeals) appeal_facts.push_back(FactOf(a));
  r.table4 = TallyTable4(year, appeal_facts);
  ASSIGN_OR_RETURN(r.proactive,
                   tables.reports().GetProactive(year, scope.agencies));
  ASSIGN_OR_RETURN(r.fees_collected_fen,
                   tables.cases().FeesCollectedFen(year, scope.agencies));
  // Computed from records the rules always hold; if one breaks it is a bug,
  // and no report is given rather than a wrong one.
  if (absl::Status s = VerifyReport(r); !s.ok()) {
    return absl::InternalError(
        absl::StrCat("internal error, no report produced: ", s.message()));
  }
  return r;
}

absl::StatusOr<ReportView> ReportService::GetReport(
    const Caller& caller, int year, const std::string& agency) const {
  RETURN_IF_ERROR(CheckAllowed(caller, "GetReport"));
  RETURN_IF_ERROR(CheckReportYear(year));
  return storage::ReadValue<ReportView>(
      *env_.store, [&](storage::Tables& t) -> absl::StatusOr<ReportView> {
        ASSIGN_OR_RETURN(ReportScope scope,
                         ScopeFor(t, caller, agency, env_.agency));
        ASSIGN_OR_RETURN(AnnualReport report, BuildReport(t, year, scope));
        return ViewOf(t, year, scope, std::move(report));
      });
}

absl::StatusOr<ReportView> ReportService::GetPublishedReport(
    const Caller& caller, int year, const std::string& agency) const {
  ASSIGN_OR_RETURN(ReportView view, GetReport(caller, year, agency));
  if (!view.published_report.has_value()) {
    return LocalizedError(
        absl::StatusCode::kFailedPrecondition,
        absl::StrCat(year,
                     " 年度报告尚未发布，没有已发布的数字；发布用 "
                     "gongkai report publish --year ",
                     year),
        absl::StrCat("the ", year,
                     " report is not published, so there are no published "
                     "figures; publish it with gongkai report publish --year ",
                     year));
  }
  view.report = *view.published_report;
  view.shows_published = true;
  return view;
}

absl::StatusOr<ReportView> ReportService::PublishReport(
    const Caller& caller, int year, const std::string& agency) const {
  RETURN_IF_ERROR(CheckReportYear(year));
  if (year >= env_.time->Today().year()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "the year ", year, " has not ended; its report can be published from ",
        year + 1, "-01-01"));
  }
  const absl::Time at = env_.time->Now();
  std::string actor;
  ASSIGN_OR_RETURN(
      ReportView view,
      storage::WriteValue<ReportView>(
          *env_.store, [&](storage::Tables& t) -> absl::StatusOr<ReportView> {
            ASSIGN_OR_RETURN(Caller now,
                             ConfirmCaller(t, caller, "PublishReport"));
            ASSIGN_OR_RETURN(ReportScope scope,
                             ScopeFor(t, now, agency, env_.agency));
            if (scope.key.empty() && !now.SeesAllAgencies()) {
              return absl::PermissionDeniedError(
                  "only a user of every agency may publish the combined "
                  "report; give --agency");
            }
            // The figures frozen are those of this transaction, so no change
            // can slip in between computing and publishing them.
            ASSIGN_OR_RETURN(AnnualReport report, BuildReport(t, year, scope));
            Json figures = ReportToJson(report);
            figures.Set("published_at", FormatTimestamp(at));
            storage::RecordEvent event{
                "report_published",
                absl::StrCat("report ", year, scope.key.empty() ? "" : " ",
                             scope.key),
                now.name, at};
            event.details.Set("new", report.table3.new_requests.total());
            event.details.Set("carried_out", report.table3.carried_out.total());
            if (!scope.key.empty()) event.details.Set("agency", scope.key);
            RETURN_IF_ERROR(
                t.reports().Publish(year, scope.key, figures.Dump(), event));
            actor = now.name;
            return ViewOf(t, year, scope, std::move(report));
          }));
  if (env_.log)
    env_.log(absl::StrCat("report ", year, " published by ", actor));
  // The report alerts of this year and scope end with it.
  if (env_.on_reports_changed) env_.on_reports_changed();
  return view;
}

absl::StatusOr<storage::AppealRecord> ReportService::CreateAppeal(
    const Caller& caller, const NewAppeal& appeal,
    const std::string& force_reason) const {
  const absl::CivilDay today = env_.time->Today();
  if (appeal.filed_on > today) {
    return absl::InvalidArgumentError(absl::StrCat(
        "filing date ", FormatDate(appeal.filed_on), " is in the future"));
  }
  const absl::Time at = env_.time->Now();
  return storage::WriteValue<storage::AppealRecord>(
      *env_.store,
      [&](storage::Tables& t) -> absl::StatusOr<storage::AppealRecord> {
        ASSIGN_OR_RETURN(Caller now, ConfirmCaller(t, caller, "CreateAppeal"));
        ASSIGN_OR_RETURN(PeriodLock lock,
                         PeriodLock::Load(t, now, force_reason));
        ASSIGN_OR_RETURN(CaseRecord c, VisibleCase(t, now, appeal.case_no));
        if (appeal.filed_on < c.received_on) {
          return absl::InvalidArgumentError(absl::StrCat(
              "filing date ", FormatDate(appeal.filed_on), " is before case ",
              c.case_no, " was received (", FormatDate(c.received_on), ")"));
        }
        storage::AppealRecord a;
        a.case_no = c.case_no;
        a.agency = c.agency;
        a.kind = appeal.kind;
        a.filed_on = appeal.filed_on;
        RETURN_IF_ERROR(lock.CheckAppeal(std::nullopt, FactOf(a), c.agency));
        storage::RecordEvent event{"appeal_filed", "", now.name, at};
        event.details.Set("case_no", a.case_no);
        event.details.Set("kind", std::string(AppealKindCode(a.kind)));
        event.details.Set("filed_on", FormatDate(a.filed_on));
        MarkForced(lock, event);
        return t.appeals().Insert(std::move(a), std::move(event));
      });
}

absl::StatusOr<storage::AppealRecord> ReportService::DecideAppeal(
    const Caller& caller, int64_t id, AppealResult result,
    absl::CivilDay decided_on, const std::string& force_reason) const {
  if (decided_on > env_.time->Today()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "decision date ", FormatDate(decided_on), " is in the future"));
  }
  const absl::Time at = env_.time->Now();
  return storage::WriteValue<storage::AppealRecord>(
      *env_.store,
      [&](storage::Tables& t) -> absl::StatusOr<storage::AppealRecord> {
        ASSIGN_OR_RETURN(Caller now, ConfirmCaller(t, caller, "DecideAppeal"));
        ASSIGN_OR_RETURN(PeriodLock lock,
                         PeriodLock::Load(t, now, force_reason));
        ASSIGN_OR_RETURN(storage::AppealRecord a, t.appeals().Get(id));
        if (!now.SeesAgency(a.agency)) {
          // Another agency's appeal is indistinguishable from a missing one.
          return LocalizedError(absl::StatusCode::kNotFound,
                                absl::StrCat("没有编号为 ", id, " 的复议诉讼"),
                                absl::StrCat("no appeal with id ", id));
        }
        if (a.result.has_value()) {
          return absl::FailedPreconditionError(
              absl::StrCat("appeal ", a.id, " was already decided on ",
                           FormatDate(*a.decided_on), " (",
                           AppealResultCode(*a.result), ")"));
        }
        if (decided_on < a.filed_on) {
          return absl::InvalidArgumentError(
              absl::StrCat("decision date ", FormatDate(decided_on),
                           " is before the appeal was filed (",
                           FormatDate(a.filed_on), ")"));
        }
        const AppealFact before = FactOf(a);
        a.result = result;
        a.decided_on = decided_on;
        RETURN_IF_ERROR(lock.CheckAppeal(before, FactOf(a), a.agency));
        storage::RecordEvent event{"appeal_decided",
                                   absl::StrCat("appeal ", id), now.name, at};
        event.details.Set("result", std::string(AppealResultCode(result)));
        event.details.Set("decided_on", FormatDate(decided_on));
        MarkForced(lock, event);
        RETURN_IF_ERROR(t.appeals().Update(a, event));
        return a;
      });
}

absl::StatusOr<std::vector<storage::AppealRecord>> ReportService::ListAppeals(
    const Caller& caller, int year) const {
  RETURN_IF_ERROR(CheckAllowed(caller, "ListAppeals"));
  if (year != 0) RETURN_IF_ERROR(CheckReportYear(year));
  return storage::ReadValue<std::vector<storage::AppealRecord>>(
      *env_.store, [&](storage::Tables& t) {
        return t.appeals().List(year, caller.agencies);
      });
}

absl::StatusOr<ProactiveTable> ReportService::SetProactive(
    const Caller& caller, const ProactiveChange& change,
    const std::string& force_reason) const {
  RETURN_IF_ERROR(CheckReportYear(change.year));
  ASSIGN_OR_RETURN(ProactiveItem item, ParseProactiveItem(change.item));
  RETURN_IF_ERROR(CheckProactiveFigures(change, item));
  const absl::Time at = env_.time->Now();
  return storage::WriteValue<ProactiveTable>(
      *env_.store, [&](storage::Tables& t) -> absl::StatusOr<ProactiveTable> {
        ASSIGN_OR_RETURN(Caller now, ConfirmCaller(t, caller, "SetProactive"));
        ASSIGN_OR_RETURN(PeriodLock lock,
                         PeriodLock::Load(t, now, force_reason));
        ASSIGN_OR_RETURN(std::string agency,
                         ResolveAgency(t, now, change.agency));
        RETURN_IF_ERROR(lock.CheckYear(change.year, agency, "table 2"));
        ASSIGN_OR_RETURN(ProactiveTable rows,
                         t.reports().GetProactive(change.year, {agency}));
        ProactiveRow& row = rows[static_cast<int>(item) - 1];
        if (change.issued) row.issued = *change.issued;
        if (change.repealed) row.repealed = *change.repealed;
        if (change.in_force) row.in_force = *change.in_force;
        if (change.decisions) row.decisions = *change.decisions;
        if (change.amount_fen) row.amount_fen = *change.amount_fen;
        storage::RecordEvent event{
            "proactive_set",
            absl::StrCat("table 2 ", change.year, " ", change.item), now.name,
            at};
        event.details.Set("issued", row.issued);
        event.details.Set("repealed", row.repealed);
        event.details.Set("in_force", row.in_force);
        event.details.Set("decisions", row.decisions);
        event.details.Set("amount_fen", row.amount_fen);
        if (!agency.empty()) event.details.Set("agency", agency);
        MarkForced(lock, event);
        RETURN_IF_ERROR(
            t.reports().SetProactive(change.year, agency, item, row, event));
        return rows;
      });
}

absl::StatusOr<ProactiveTable> ReportService::GetProactive(
    const Caller& caller, int year, const std::string& agency) const {
  RETURN_IF_ERROR(CheckAllowed(caller, "GetProactive"));
  RETURN_IF_ERROR(CheckReportYear(year));
  return storage::ReadValue<ProactiveTable>(
      *env_.store, [&](storage::Tables& t) -> absl::StatusOr<ProactiveTable> {
        ASSIGN_OR_RETURN(ReportScope scope,
                         ScopeFor(t, caller, agency, env_.agency));
        return t.reports().GetProactive(year, scope.agencies);
      });
}

absl::StatusOr<LedgerImportResult> ReportService::ImportLedger(
    const Caller& caller, const LedgerImport& ledger,
    const std::string& force_reason) const {
  const std::string hash = ContentHash(ledger.content);
  const absl::CivilDay today = env_.time->Today();
  const absl::Time at = env_.time->Now();
  // Parsing is pure and may be long; it is done before the transaction, and
  // its verdict given only after the checks that came first before.
  const absl::StatusOr<LedgerParse> parsed = ParseLedger(ledger.content, today);
  LedgerImportResult result;
  std::string actor;
  absl::Status status = env_.store->Write([&](storage::Tables& t)
                                              -> absl::Status {
    result = LedgerImportResult();
    ASSIGN_OR_RETURN(Caller now, ConfirmCaller(t, caller, "ImportLedger"));
    actor = now.name;
    // Only into the caller's agencies; judged first, so that nothing about
    // earlier imports is said to a caller who may not import here.
    ASSIGN_OR_RETURN(std::string agency, ResolveAgency(t, now, ledger.agency));
    ASSIGN_OR_RETURN(std::optional<std::string> previous,
                     t.cases().FindImport(hash));
    if (previous.has_value()) {
      result.already_imported = true;
      // Who imported it, when and from which file is not said to a caller
      // of some agencies: it may have been another agency's import.
      if (now.SeesAllAgencies()) result.previous_import = *previous;
      return absl::OkStatus();
    }
    RETURN_IF_ERROR(parsed.status());
    std::vector<LedgerError> errors = parsed->errors;
    std::vector<std::string> numbers;
    for (const LedgerRow& row : parsed->rows) {
      if (!row.case_no.empty()) numbers.push_back(row.case_no);
    }
    ASSIGN_OR_RETURN(std::vector<std::string> existing,
                     t.cases().Existing(numbers));
    const std::set<std::string> taken(existing.begin(), existing.end());
    ASSIGN_OR_RETURN(PeriodLock lock, PeriodLock::Load(t, now, force_reason));
    std::vector<storage::ImportedCase> cases;
    for (const LedgerRow& row : parsed->rows) {
      if (taken.count(row.case_no)) {
        errors.push_back(
            {row.line,
             LocalizedError(
                 absl::StatusCode::kInvalidArgument,
                 absl::StrCat("第 ", row.line, " 行：「申请编号」：",
                              row.case_no, " 已在记录中"),
                 absl::StrCat("line ", row.line, ": case_no: case number ",
                              row.case_no, " is already in the records"))});
        continue;
      }
      storage::ImportedCase ic;
      ic.line = row.line;
      ic.record = RecordFromLedgerRow(row, at);
      CaseRecord& c = ic.record;
      c.agency = agency;
      if (absl::Status s = lock.CheckCase(std::nullopt, FactOf(c), agency);
          !s.ok()) {
        errors.push_back(
            {row.line, PrefixError(s, absl::StrCat("第 ", row.line, " 行："),
                                   absl::StrCat("line ", row.line, ": "))});
        continue;
      }
      CaseEvent received;
      received.kind = "received";
      received.effective_on = row.received_on;
      received.recorded_at = at;
      received.actor = now.name;
      received.details = ReceivedDetails(c);
      received.details.Set("imported_from", ledger.source);
      ic.events.push_back(received);
      if (row.answered_on.has_value()) {
        CaseEvent answered = received;
        answered.kind = "answered";
        answered.effective_on = *row.answered_on;
        answered.details = Json::MakeObject();
        answered.details.Set("outcome", std::string(Info(*row.outcome).code));
        answered.details.Set("imported_from", ledger.source);
        ic.events.push_back(answered);
      }
      ic.record.due_on =
          DueDateToKeep(ic.record, ic.events, *env_.calendar->Get(),
                        env_.clock_options, env_.time->Today());
      cases.push_back(std::move(ic));
    }
    if (!errors.empty()) {
      std::stable_sort(errors.begin(), errors.end(),
                       [](const LedgerError& a, const LedgerError& b) {
                         return a.line < b.line;
                       });
      // Every bad row is listed (up to a screenful), in both languages.
      constexpr size_t kShown = 200;
      std::string zh, en;
      for (size_t i = 0; i < errors.size() && i < kShown; ++i) {
        absl::StrAppend(&zh, "\n", MessageIn(errors[i].status, Lang::kZh));
        absl::StrAppend(&en, "\n", MessageIn(errors[i].status, Lang::kEn));
      }
      if (errors.size() > kShown) {
        absl::StrAppend(&zh, "\n…… 另有 ", errors.size() - kShown, " 行");
        absl::StrAppend(&en, "\n… and ", errors.size() - kShown, " more");
      }
      return LocalizedError(
          absl::StatusCode::kInvalidArgument,
          absl::StrCat("未导入任何案件：", errors.size(), " 行有误：", zh),
          absl::StrCat("nothing imported: ", errors.size(), " bad row",
                       errors.size() == 1 ? "" : "s", ":", en));
    }
    result.imported = static_cast<int>(cases.size());
    result.format = parsed->format;
    result.encoding = parsed->encoding;
    result.sheet = parsed->sheet;
    storage::RecordEvent event{"ledger_imported", ledger.source, now.name, at};
    event.details.Set("rows", result.imported);
    if (!agency.empty()) event.details.Set("agency", agency);
    MarkForced(lock, event);
    return t.cases().Import(std::move(cases), hash, event);
  });
  if (status.code() == absl::StatusCode::kAlreadyExists &&
      status.message() == "this ledger was already imported") {
    // The body failed, so nothing of this import was written.
    LedgerImportResult again;
    again.already_imported = true;
    return again;
  }
  RETURN_IF_ERROR(status);
  if (!result.already_imported) {
    if (env_.on_case_changed) env_.on_case_changed("");
    if (env_.log) {
      env_.log(absl::StrCat("ledger ", ledger.source, ": ", result.imported,
                            " cases imported by ", actor));
    }
  }
  return result;
}

absl::StatusOr<LedgerExport> ReportService::ExportLedger(
    const Caller& caller, int year, const std::string& agency,
    LedgerStyle style) const {
  RETURN_IF_ERROR(CheckAllowed(caller, "ExportLedger"));
  RETURN_IF_ERROR(CheckReportYear(year));
  ASSIGN_OR_RETURN(
      std::vector<CaseRecord> cases,
      storage::ReadValue<std::vector<CaseRecord>>(
          *env_.store,
          [&](storage::Tables& t) -> absl::StatusOr<std::vector<CaseRecord>> {
            ASSIGN_OR_RETURN(ReportScope scope,
                             ScopeFor(t, caller, agency, env_.agency));
            return t.cases().Ledger(year, scope.agencies);
          }));
  LedgerExport out;
  out.header = LedgerHeader(style);
  out.rows.reserve(cases.size());
  for (const CaseRecord& c : cases) out.rows.push_back(LedgerCells(c, style));
  return out;
}

}  // namespace gongkai::app

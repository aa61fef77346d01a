#include "storage/postgres/pg_tables.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/crypto.h"
#include "common/dates.h"
#include "common/lang.h"
#include "common/status_macros.h"
#include "storage/postgres/pg_audit.h"
#include "storage/postgres/pg_rows.h"
#include "storage/sqlite/audit_chain.h"
#include "storage/sqlite/rows.h"

namespace gongkai::storage {

// --- Appeals ---

namespace {

constexpr char kAppealSelect[] =
    "SELECT a.id, c.case_no, a.kind, a.filed_on, a.result, a.decided_on, "
    "c.agency FROM appeals a JOIN cases c ON c.id = a.case_id";

absl::StatusOr<AppealRecord> ReadAppeal(const PgStatement& s) {
  AppealRecord a;
  a.id = s.ColumnInt(0);
  a.case_no = s.ColumnText(1);
  absl::StatusOr<AppealKind> kind = ParseAppealKind(s.ColumnText(2));
  if (!kind.ok()) return absl::DataLossError("an appeal has an unknown kind");
  a.kind = *kind;
  ASSIGN_OR_RETURN(a.filed_on, StoredDate(s.ColumnText(3)));
  if (!s.IsNull(4)) {
    absl::StatusOr<AppealResult> r = ParseAppealResult(s.ColumnText(4));
    if (!r.ok()) return absl::DataLossError("an appeal has an unknown result");
    a.result = *r;
    ASSIGN_OR_RETURN(a.decided_on, StoredDate(s.ColumnText(5)));
  }
  a.agency = s.ColumnText(6);
  return a;
}

absl::Status NoAppeal(int64_t id) {
  return LocalizedError(absl::StatusCode::kNotFound,
                        absl::StrCat("没有编号为 ", id, " 的复议诉讼"),
                        absl::StrCat("no appeal with id ", id));
}

}  // namespace

absl::StatusOr<AppealRecord> PgAppealTable::Get(int64_t id) {
  ASSIGN_OR_RETURN(
      PgStmt s, db().Prepare(absl::StrCat(kAppealSelect, " WHERE a.id = ?")));
  s->BindInt(1, id);
  ASSIGN_OR_RETURN(bool found, s->Step());
  if (!found) return NoAppeal(id);
  return ReadAppeal(*s);
}

absl::StatusOr<std::vector<AppealRecord>> PgAppealTable::List(
    int year, const std::vector<std::string>& agencies) {
  ASSIGN_OR_RETURN(
      PgStmt s,
      db().Prepare(absl::StrCat(
          kAppealSelect,
          " WHERE (?1 = 0 OR (a.filed_on <= ?2 AND "
          "(a.decided_on IS NULL OR a.decided_on >= ?3))) AND ",
          PgAgencyFilter(4, "c.agency"), " ORDER BY a.filed_on, a.id")));
  s->BindInt(1, year);
  s->BindText(2, YearEnd(year));
  s->BindText(3, YearStart(year));
  s->BindText(4, AgencyList(agencies));
  return CollectPgRows(*s, ReadAppeal);
}

absl::StatusOr<AppealRecord> PgAppealTable::Insert(AppealRecord appeal,
                                                   RecordEvent event) {
  RETURN_IF_ERROR(session_->RequireWrite("recording an appeal"));
  ASSIGN_OR_RETURN(
      PgStmt c, db().Prepare("SELECT id, agency FROM cases WHERE case_no = ?"));
  c->BindText(1, appeal.case_no);
  ASSIGN_OR_RETURN(bool found, c->Step());
  if (!found) {
    return LocalizedError(
        absl::StatusCode::kNotFound,
        absl::StrCat("没有编号为“", appeal.case_no, "”的案件"),
        absl::StrCat("no case numbered '", appeal.case_no, "'"));
  }
  const int64_t case_id = c->ColumnInt(0);
  appeal.agency = c->ColumnText(1);
  ASSIGN_OR_RETURN(PgStmt s, db().Prepare("INSERT INTO appeals (case_id, kind, "
                                          "filed_on, created_at, updated_at) "
                                          "VALUES (?, ?, ?, ?, ?) RETURNING "
                                          "id"));
  s->BindInt(1, case_id);
  s->BindText(2, AppealKindCode(appeal.kind));
  s->BindText(3, FormatDate(appeal.filed_on));
  s->BindText(4, FormatTimestamp(event.at));
  s->BindText(5, FormatTimestamp(event.at));
  ASSIGN_OR_RETURN(bool row, s->Step());
  (void)row;
  appeal.id = s->ColumnInt(0);
  event.subject = absl::StrCat("appeal ", appeal.id);
  RETURN_IF_ERROR(PgAppendRecordEvent(*session_, event));
  return appeal;
}

absl::Status PgAppealTable::Update(const AppealRecord& appeal,
                                   const RecordEvent& event) {
  RETURN_IF_ERROR(session_->RequireWrite("deciding an appeal"));
  if (appeal.result.has_value() != appeal.decided_on.has_value()) {
    return LocalizedError(absl::StatusCode::kInvalidArgument,
                          "复议诉讼的结果和结案日期必须同时给出",
                          "an appeal's result and decision date go together");
  }
  ASSIGN_OR_RETURN(PgStmt s, db().Prepare("UPDATE appeals SET result = ?, "
                                          "decided_on = ?, updated_at = ? "
                                          "WHERE id = ?"));
  if (appeal.result.has_value()) {
    s->BindText(1, AppealResultCode(*appeal.result));
    s->BindText(2, FormatDate(*appeal.decided_on));
  } else {
    s->BindNull(1);
    s->BindNull(2);
  }
  s->BindText(3, FormatTimestamp(event.at));
  s->BindInt(4, appeal.id);
  RETURN_IF_ERROR(s->Run());
  if (s->Changes() != 1) return NoAppeal(appeal.id);
  return PgAppendRecordEvent(*session_, event);
}

// --- Table 2 and published reports ---

absl::StatusOr<std::array<ProactiveRow, kProactiveItemCount>>
PgReportTable::GetProactive(int year,
                            const std::vector<std::string>& agencies) {
  ASSIGN_OR_RETURN(
      PgStmt s, db().Prepare(absl::StrCat(
                    "SELECT item, SUM(issued), SUM(repealed), SUM(in_force), "
                    "SUM(decisions), SUM(amount_fen) FROM proactive_figures "
                    "WHERE year = ?1 AND ",
                    PgAgencyFilter(2, "agency"), " GROUP BY item")));
  s->BindInt(1, year);
  s->BindText(2, AgencyList(agencies));
  std::array<ProactiveRow, kProactiveItemCount> rows{};
  while (true) {
    ASSIGN_OR_RETURN(bool row, s->Step());
    if (!row) break;
    absl::StatusOr<ProactiveItem> item = ParseProactiveItem(s->ColumnText(0));
    if (!item.ok()) {
      return absl::DataLossError("unknown table 2 item in the database");
    }
    ProactiveRow& r = rows[static_cast<int>(*item) - 1];
    r.issued = s->ColumnInt(1);
    r.repealed = s->ColumnInt(2);
    r.in_force = s->ColumnInt(3);
    r.decisions = s->ColumnInt(4);
    r.amount_fen = s->ColumnInt(5);
  }
  return rows;
}

absl::Status PgReportTable::SetProactive(int year, const std::string& agency,
                                         ProactiveItem item,
                                         const ProactiveRow& row,
                                         const RecordEvent& event) {
  RETURN_IF_ERROR(session_->RequireWrite("setting table 2 figures"));
  std::string code;
  for (const ProactiveInfo& p : AllProactiveItems()) {
    if (p.item == item) code = std::string(p.code);
  }
  ASSIGN_OR_RETURN(
      PgStmt s,
      db().Prepare(
          "INSERT INTO proactive_figures (year, agency, item, issued, "
          "repealed, in_force, decisions, amount_fen, updated_at, "
          "updated_by) VALUES (?1, ?10, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) "
          "ON CONFLICT (year, agency, item) DO UPDATE SET "
          "issued = excluded.issued, repealed = excluded.repealed, "
          "in_force = excluded.in_force, decisions = excluded.decisions, "
          "amount_fen = excluded.amount_fen, updated_at = excluded.updated_at, "
          "updated_by = excluded.updated_by"));
  s->BindInt(1, year);
  s->BindText(2, code);
  s->BindInt(3, row.issued);
  s->BindInt(4, row.repealed);
  s->BindInt(5, row.in_force);
  s->BindInt(6, row.decisions);
  s->BindInt(7, row.amount_fen);
  s->BindText(8, FormatTimestamp(event.at));
  s->BindText(9, event.actor);
  s->BindText(10, agency);
  RETURN_IF_ERROR(s->Run());
  return PgAppendRecordEvent(*session_, event);
}

absl::StatusOr<std::map<std::pair<int, std::string>, std::string>>
PgReportTable::Published() {
  ASSIGN_OR_RETURN(PgStmt s, db().Prepare("SELECT year, agency, figures FROM "
                                          "published_reports"));
  std::map<std::pair<int, std::string>, std::string> out;
  while (true) {
    ASSIGN_OR_RETURN(bool row, s->Step());
    if (!row) break;
    out[{static_cast<int>(s->ColumnInt(0)), s->ColumnText(1)}] =
        s->ColumnText(2);
  }
  return out;
}

absl::StatusOr<std::set<std::pair<int, std::string>>>
PgReportTable::PublishedPeriods() {
  // Only the keys: every write asks this, the figures are large.
  ASSIGN_OR_RETURN(PgStmt s, db().Prepare("SELECT year, agency FROM "
                                          "published_reports"));
  std::set<std::pair<int, std::string>> out;
  while (true) {
    ASSIGN_OR_RETURN(bool row, s->Step());
    if (!row) break;
    out.emplace(static_cast<int>(s->ColumnInt(0)), s->ColumnText(1));
  }
  return out;
}

absl::Status PgReportTable::Publish(int year, const std::string& agency,
                                    const std::string& figures,
                                    const RecordEvent& event) {
  RETURN_IF_ERROR(session_->RequireWrite("publishing a report"));
  ASSIGN_OR_RETURN(PgStmt existing,
                   db().Prepare("SELECT published_at, published_by FROM "
                                "published_reports WHERE year = ? AND "
                                "agency = ?"));
  existing->BindInt(1, year);
  existing->BindText(2, agency);
  ASSIGN_OR_RETURN(bool found, existing->Step());
  if (found) {
    return LocalizedError(
        absl::StatusCode::kAlreadyExists,
        absl::StrCat(agency.empty() ? "" : agency + " 的", year,
                     " 年度报告已由 ", existing->ColumnText(1), " 于 ",
                     ChinaTimeText(existing->ColumnText(0)), " 公布"),
        absl::StrCat("the ", year, " report",
                     agency.empty() ? "" : " of " + agency,
                     " was already published on ", existing->ColumnText(0),
                     " by ", existing->ColumnText(1)));
  }
  ASSIGN_OR_RETURN(PgStmt s,
                   db().Prepare("INSERT INTO published_reports (year, agency, "
                                "figures, published_at, published_by) "
                                "VALUES (?, ?, ?, ?, ?)"));
  s->BindInt(1, year);
  s->BindText(2, agency);
  s->BindText(3, figures);
  s->BindText(4, FormatTimestamp(event.at));
  s->BindText(5, event.actor);
  RETURN_IF_ERROR(s->Run());
  return PgAppendRecordEvent(*session_, event);
}

// --- Users ---

namespace {

constexpr char kUserColumns[] =
    "id, name, role, disabled, created_at, agencies";

absl::StatusOr<UserRecord> ReadUser(const PgStatement& s) {
  UserRecord u;
  u.id = s.ColumnInt(0);
  u.name = s.ColumnText(1);
  u.role = s.ColumnText(2);
  u.disabled = s.ColumnInt(3) != 0;
  ASSIGN_OR_RETURN(u.created_at, StoredTimestamp(s.ColumnText(4)));
  u.agencies = s.ColumnText(5);
  return u;
}

absl::Status NoUser(const std::string& name) {
  return LocalizedError(absl::StatusCode::kNotFound,
                        absl::StrCat("没有名为“", name, "”的用户"),
                        absl::StrCat("no user named '", name, "'"));
}

}  // namespace

absl::StatusOr<UserRecord> PgUserTable::Insert(const std::string& name,
                                               const std::string& role,
                                               const std::string& agencies,
                                               const std::string& token_hash,
                                               const RecordEvent& event) {
  RETURN_IF_ERROR(session_->RequireWrite("adding a user"));
  ASSIGN_OR_RETURN(
      PgStmt s,
      db().Prepare("INSERT INTO users (name, role, token_hash, created_at, "
                   "updated_at, agencies) VALUES (?1, ?2, ?3, ?4, ?4, ?5) "
                   "ON CONFLICT (name) DO NOTHING RETURNING id"));
  s->BindText(1, name);
  s->BindText(2, role);
  s->BindText(3, token_hash);
  s->BindText(4, FormatTimestamp(event.at));
  s->BindText(5, agencies);
  ASSIGN_OR_RETURN(bool inserted, s->Step());
  if (!inserted) {
    return LocalizedError(absl::StatusCode::kAlreadyExists,
                          absl::StrCat("已有名为“", name, "”的用户"),
                          absl::StrCat("a user named '", name, "' exists"));
  }
  UserRecord u{s->ColumnInt(0), name, role, false, event.at, agencies};
  RETURN_IF_ERROR(PgAppendRecordEvent(*session_, event));
  return u;
}

absl::StatusOr<UserRecord> PgUserTable::FindByTokenHash(
    const std::string& token_hash) {
  ASSIGN_OR_RETURN(PgStmt s,
                   db().Prepare(absl::StrCat("SELECT ", kUserColumns,
                                             " FROM users WHERE token_hash = ? "
                                             "ORDER BY id LIMIT 1")));
  s->BindText(1, token_hash);
  ASSIGN_OR_RETURN(bool found, s->Step());
  if (!found) return absl::NotFoundError("unknown token");
  return ReadUser(*s);
}

absl::StatusOr<UserRecord> PgUserTable::FindByName(const std::string& name) {
  ASSIGN_OR_RETURN(PgStmt s,
                   db().Prepare(absl::StrCat("SELECT ", kUserColumns,
                                             " FROM users WHERE name = ?")));
  s->BindText(1, name);
  ASSIGN_OR_RETURN(bool found, s->Step());
  if (!found) return NoUser(name);
  return ReadUser(*s);
}

absl::StatusOr<std::vector<UserRecord>> PgUserTable::List() {
  ASSIGN_OR_RETURN(PgStmt s,
                   db().Prepare(absl::StrCat("SELECT ", kUserColumns,
                                             " FROM users ORDER BY name")));
  return CollectPgRows(*s, ReadUser);
}

absl::Status PgUserTable::UpdateUser(const std::string& name,
                                     const char* set_sql,
                                     const std::vector<std::string>& values,
                                     const RecordEvent& event) {
  RETURN_IF_ERROR(session_->RequireWrite("changing a user"));
  ASSIGN_OR_RETURN(PgStmt s, db().Prepare(absl::StrCat(
                                 "UPDATE users SET ", set_sql,
                                 ", updated_at = ?2 WHERE name = ?1")));
  s->BindText(1, name);
  s->BindText(2, FormatTimestamp(event.at));
  for (size_t i = 0; i < values.size(); ++i) {
    s->BindText(static_cast<int>(i) + 3, values[i]);
  }
  RETURN_IF_ERROR(s->Run());
  if (s->Changes() != 1) return NoUser(name);
  return PgAppendRecordEvent(*session_, event);
}

absl::Status PgUserTable::SetDisabled(const std::string& name, bool disabled,
                                      const RecordEvent& event) {
  return UpdateUser(name, "disabled = CAST(?3 AS BIGINT)",
                    {disabled ? "1" : "0"}, event);
}

absl::Status PgUserTable::SetToken(const std::string& name,
                                   const std::string& token_hash,
                                   const RecordEvent& event) {
  return UpdateUser(name, "token_hash = ?3", {token_hash}, event);
}

absl::Status PgUserTable::SetRole(const std::string& name,
                                  const std::string& role,
                                  const std::string& agencies,
                                  const RecordEvent& event) {
  return UpdateUser(name, "role = ?3, agencies = ?4", {role, agencies}, event);
}

// --- Agencies ---

absl::Status PgAgencyTable::Insert(const std::string& code,
                                   const std::string& name,
                                   const RecordEvent& event) {
  RETURN_IF_ERROR(session_->RequireWrite("adding an agency"));
  ASSIGN_OR_RETURN(PgStmt s,
                   db().Prepare("INSERT INTO agencies (code, name, created_at) "
                                "VALUES (?, ?, ?) ON CONFLICT DO NOTHING"));
  s->BindText(1, code);
  s->BindText(2, name);
  s->BindText(3, FormatTimestamp(event.at));
  RETURN_IF_ERROR(s->Run());
  if (s->Changes() != 1) {
    return LocalizedError(absl::StatusCode::kAlreadyExists,
                          absl::StrCat("机关 ", code, " 已存在"),
                          absl::StrCat("agency ", code, " exists"));
  }
  return PgAppendRecordEvent(*session_, event);
}

absl::StatusOr<std::vector<std::pair<std::string, std::string>>>
PgAgencyTable::List() {
  ASSIGN_OR_RETURN(PgStmt s, db().Prepare("SELECT code, name FROM agencies "
                                          "ORDER BY code"));
  return CollectPgRows(
      *s,
      [](const PgStatement& row)
          -> absl::StatusOr<std::pair<std::string, std::string>> {
        return std::make_pair(row.ColumnText(0), row.ColumnText(1));
      });
}

absl::StatusOr<std::string> PgAgencyTable::CaseNoPattern(
    const std::string& code) {
  ASSIGN_OR_RETURN(PgStmt s, db().Prepare("SELECT case_no_pattern FROM "
                                          "agencies WHERE code = ?"));
  s->BindText(1, code);
  ASSIGN_OR_RETURN(bool found, s->Step());
  if (!found) return absl::NotFoundError(absl::StrCat("no agency ", code));
  return s->ColumnText(0);
}

absl::Status PgAgencyTable::SetCaseNoPattern(const std::string& code,
                                             const std::string& pattern,
                                             const RecordEvent& event) {
  RETURN_IF_ERROR(session_->RequireWrite("changing an agency"));
  ASSIGN_OR_RETURN(PgStmt s, db().Prepare("UPDATE agencies SET "
                                          "case_no_pattern = ? WHERE code = "
                                          "?"));
  s->BindText(1, pattern);
  s->BindText(2, code);
  RETURN_IF_ERROR(s->Run());
  if (s->Changes() != 1) {
    return absl::NotFoundError(absl::StrCat("no agency ", code));
  }
  return PgAppendRecordEvent(*session_, event);
}

// --- Documents ---

absl::StatusOr<DocumentSettings> PgDocumentTable::Settings(
    const std::string& agency) {
  ASSIGN_OR_RETURN(
      PgStmt s,
      db().Prepare("SELECT full_name, address, contact, reconsideration_body, "
                   "court, number_prefix FROM document_settings "
                   "WHERE agency = ?"));
  s->BindText(1, agency);
  DocumentSettings out;
  ASSIGN_OR_RETURN(bool found, s->Step());
  if (!found) return out;
  out.full_name = s->ColumnText(0);
  out.address = s->ColumnText(1);
  out.contact = s->ColumnText(2);
  out.reconsideration_body = s->ColumnText(3);
  out.court = s->ColumnText(4);
  out.number_prefix = s->ColumnText(5);
  return out;
}

absl::Status PgDocumentTable::SetSettings(const std::string& agency,
                                          const DocumentSettings& settings,
                                          const RecordEvent& event) {
  RETURN_IF_ERROR(session_->RequireWrite("setting document settings"));
  ASSIGN_OR_RETURN(
      PgStmt s,
      db().Prepare(
          "INSERT INTO document_settings (agency, full_name, address, "
          "contact, reconsideration_body, court, number_prefix, updated_at, "
          "updated_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) "
          "ON CONFLICT (agency) DO UPDATE SET full_name = excluded.full_name, "
          "address = excluded.address, contact = excluded.contact, "
          "reconsideration_body = excluded.reconsideration_body, "
          "court = excluded.court, number_prefix = excluded.number_prefix, "
          "updated_at = excluded.updated_at, updated_by = "
          "excluded.updated_by"));
  s->BindText(1, agency);
  s->BindText(2, settings.full_name);
  s->BindText(3, settings.address);
  s->BindText(4, settings.contact);
  s->BindText(5, settings.reconsideration_body);
  s->BindText(6, settings.court);
  s->BindText(7, settings.number_prefix);
  s->BindText(8, FormatTimestamp(event.at));
  s->BindText(9, event.actor);
  RETURN_IF_ERROR(s->Run());
  return PgAppendRecordEvent(*session_, event);
}

absl::StatusOr<std::map<std::string, std::string>> PgDocumentTable::Templates(
    const std::string& agency) {
  ASSIGN_OR_RETURN(PgStmt s, db().Prepare("SELECT name, docx FROM "
                                          "document_templates WHERE agency = "
                                          "? ORDER BY name"));
  s->BindText(1, agency);
  std::map<std::string, std::string> out;
  while (true) {
    ASSIGN_OR_RETURN(bool row, s->Step());
    if (!row) break;
    out[s->ColumnText(0)] = s->ColumnBlob(1);
  }
  return out;
}

absl::StatusOr<std::optional<std::string>> PgDocumentTable::Template(
    const std::string& agency, const std::string& name) {
  ASSIGN_OR_RETURN(PgStmt s, db().Prepare("SELECT docx FROM "
                                          "document_templates WHERE agency = "
                                          "? AND name = ?"));
  s->BindText(1, agency);
  s->BindText(2, name);
  ASSIGN_OR_RETURN(bool found, s->Step());
  if (!found) return std::optional<std::string>();
  return std::optional<std::string>(s->ColumnBlob(0));
}

absl::Status PgDocumentTable::SaveTemplates(
    const std::string& agency,
    const std::map<std::string, std::string>& templates,
    const RecordEvent& event) {
  RETURN_IF_ERROR(session_->RequireWrite("loading document templates"));
  ASSIGN_OR_RETURN(
      PgStmt s,
      db().Prepare("INSERT INTO document_templates (agency, name, docx, "
                   "sha256, loaded_at, loaded_by) VALUES (?1, ?2, ?3, ?4, ?5, "
                   "?6) ON CONFLICT (agency, name) DO UPDATE SET docx = "
                   "excluded.docx, sha256 = excluded.sha256, loaded_at = "
                   "excluded.loaded_at, loaded_by = excluded.loaded_by"));
  for (const auto& [name, docx] : templates) {
    s->BindText(1, agency);
    s->BindText(2, name);
    s->BindBlob(3, docx);
    s->BindText(4, Sha256Hex(docx));
    s->BindText(5, FormatTimestamp(event.at));
    s->BindText(6, event.actor);
    RETURN_IF_ERROR(s->Run());
  }
  return PgAppendRecordEvent(*session_, event);
}

absl::StatusOr<int64_t> PgDocumentTable::NextNumber(const std::string& agency,
                                                    const std::string& kind,
                                                    int year) {
  ASSIGN_OR_RETURN(PgStmt s, db().Prepare("SELECT next FROM document_numbers "
                                          "WHERE agency = ? AND kind = ? AND "
                                          "year = ?"));
  s->BindText(1, agency);
  s->BindText(2, kind);
  s->BindInt(3, year);
  ASSIGN_OR_RETURN(bool found, s->Step());
  return found ? s->ColumnInt(0) : 1;
}

absl::StatusOr<int64_t> PgDocumentTable::TakeNumber(const std::string& agency,
                                                    const std::string& kind,
                                                    int year) {
  RETURN_IF_ERROR(session_->RequireWrite("numbering a document"));
  // One statement takes the number and moves the sequence on, holding the
  // row's lock to the transaction's end.
  ASSIGN_OR_RETURN(
      PgStmt s,
      db().Prepare("INSERT INTO document_numbers AS d (agency, kind, year, "
                   "next) VALUES (?1, ?2, ?3, 2) ON CONFLICT (agency, kind, "
                   "year) DO UPDATE SET next = d.next + 1 RETURNING next - 1"));
  s->BindText(1, agency);
  s->BindText(2, kind);
  s->BindInt(3, year);
  ASSIGN_OR_RETURN(bool row, s->Step());
  (void)row;
  return s->ColumnInt(0);
}

absl::StatusOr<std::optional<std::string>> PgDocumentTable::CaseNoByQueryCode(
    const std::string& code) {
  if (code.empty()) return std::optional<std::string>();
  ASSIGN_OR_RETURN(PgStmt s, db().Prepare("SELECT case_no FROM cases WHERE "
                                          "query_code = ?"));
  s->BindText(1, code);
  ASSIGN_OR_RETURN(bool found, s->Step());
  if (!found) return std::optional<std::string>();
  return std::optional<std::string>(s->ColumnText(0));
}

// --- Audit log ---

namespace {

absl::StatusOr<AuditEntry> ReadAuditEntry(const PgStatement& row) {
  AuditEntry e;
  ASSIGN_OR_RETURN(e.recorded_at, StoredTimestamp(row.ColumnText(0)));
  e.actor = row.ColumnText(1);
  e.kind = row.ColumnText(2);
  e.subject = row.ColumnText(3);
  if (!row.ColumnText(4).empty()) {
    ASSIGN_OR_RETURN(e.effective_on, StoredDate(row.ColumnText(4)));
  }
  absl::StatusOr<Json> details = Json::Parse(row.ColumnText(5));
  e.details = details.ok() ? *details : Json(row.ColumnText(5));
  return e;
}

// The scope of a record event, as the SQLite engine works it out
// (storage/sqlite/audit_log.cc). gk_json_agency reads details' "agency"
// without failing on details that are not JSON.
constexpr char kRecordScope[] = R"sql(CASE
  WHEN substr(r.subject, 1, 5) = 'case ' THEN
    coalesce((SELECT agency FROM cases WHERE case_no = substr(r.subject, 6)), '')
  WHEN substr(r.subject, 1, 7) = 'appeal ' AND substr(r.subject, 8) ~ '^[0-9]+$' THEN
    coalesce((SELECT c.agency FROM appeals a JOIN cases c ON c.id = a.case_id
              WHERE a.id = CAST(substr(r.subject, 8) AS BIGINT)), '')
  WHEN substr(r.subject, 1, 5) = 'user ' THEN
    coalesce((SELECT agencies FROM users WHERE name = substr(r.subject, 6)),
             '')
  WHEN r.kind = 'agency_created' AND substr(r.subject, 1, 7) = 'agency ' THEN
    substr(r.subject, 8)
  WHEN r.kind = 'report_published' THEN
    CASE WHEN length(r.subject) > 12 THEN substr(r.subject, 13) ELSE '' END
  ELSE gk_json_agency(r.details)
END COLLATE "C")sql";

}  // namespace

absl::Status PgAuditLog::Append(const RecordEvent& event) {
  RETURN_IF_ERROR(session_->RequireWrite("recording an audit event"));
  return PgAppendRecordEvent(*session_, event);
}

absl::StatusOr<std::vector<AuditEntry>> PgAuditLog::List(
    std::optional<absl::Time> since, const std::string& actor, int limit,
    const std::vector<std::string>& agencies) {
  ASSIGN_OR_RETURN(
      PgStmt s,
      db().Prepare(absl::StrCat(
          "SELECT recorded_at, actor, kind, subject, effective_on, details, "
          "scope, src, id FROM (SELECT e.recorded_at, e.actor, e.kind, "
          "'case ' || c.case_no AS subject, e.effective_on, e.details, "
          "c.agency AS scope, e.id AS id, 0 AS src FROM case_events e JOIN "
          "cases c ON c.id = e.case_id UNION ALL SELECT r.recorded_at, "
          "r.actor, r.kind, r.subject, '', r.details, ",
          kRecordScope,
          ", r.id, 1 FROM record_events r) AS trail "
          "WHERE recorded_at >= ?1 AND (?2 = '' OR actor = ?2) "
          "AND (?4 = '' OR strpos(?4, ',' || scope || ',') > 0 "
          "OR strpos(scope, ',') > 0) "
          "AND (recorded_at, src, id) > (?5, CAST(?6 AS INT), CAST(?7 AS "
          "BIGINT)) ORDER BY recorded_at, src, id LIMIT ?3")));
  const std::string wanted = AgencyList(agencies);
  const std::set<std::string> readable(agencies.begin(), agencies.end());
  auto within = [&](const std::string& scope) {
    if (agencies.empty()) return true;
    if (scope.empty() || scope == "*") return false;
    for (absl::string_view a : absl::StrSplit(scope, ',')) {
      if (!readable.count(std::string(a))) return false;
    }
    return true;
  };
  std::vector<AuditEntry> out;
  std::string after_at;
  int64_t after_src = -1, after_id = 0;
  const int page = agencies.empty() ? limit : std::max(limit, 500);
  while (static_cast<int>(out.size()) < limit) {
    s->Reset();
    s->BindText(1, since ? FormatTimestamp(*since) : "");
    s->BindText(2, actor);
    s->BindInt(3, page);
    s->BindText(4, wanted);
    s->BindText(5, after_at);
    s->BindInt(6, after_src);
    s->BindInt(7, after_id);
    int rows = 0;
    while (static_cast<int>(out.size()) < limit) {
      ASSIGN_OR_RETURN(bool row, s->Step());
      if (!row) break;
      ++rows;
      after_at = s->ColumnText(0);
      after_src = s->ColumnInt(7);
      after_id = s->ColumnInt(8);
      if (!within(s->ColumnText(6))) continue;
      ASSIGN_OR_RETURN(AuditEntry e, ReadAuditEntry(*s));
      out.push_back(std::move(e));
    }
    if (rows < page) break;
  }
  return out;
}

absl::StatusOr<std::vector<std::string>> PgAuditLog::Verify() {
  return PgVerifyAuditChains(db(), session_->audit_key());
}

// --- Calendar ---

absl::Status PgCalendarTable::SaveYears(
    const std::map<int, std::string>& year_texts, const std::string& source,
    const std::string& full_text, const std::string& actor, absl::Time at) {
  RETURN_IF_ERROR(session_->RequireWrite("loading a calendar"));
  ASSIGN_OR_RETURN(
      PgStmt s,
      db().Prepare("INSERT INTO calendar_years (year, schedule, loaded_at, "
                   "loaded_by, source) VALUES (?, ?, ?, ?, ?) "
                   "ON CONFLICT (year) DO UPDATE SET schedule = "
                   "excluded.schedule, loaded_at = excluded.loaded_at, "
                   "loaded_by = excluded.loaded_by, source = excluded.source"));
  std::string years;
  for (const auto& [year, text] : year_texts) {
    s->BindInt(1, year);
    s->BindText(2, text);
    s->BindText(3, FormatTimestamp(at));
    s->BindText(4, actor);
    s->BindText(5, source);
    RETURN_IF_ERROR(s->Run());
    absl::StrAppend(&years, years.empty() ? "" : ",", year);
  }
  ASSIGN_OR_RETURN(
      PgStmt log,
      db().Prepare("INSERT INTO calendar_loads (loaded_at, loaded_by, source, "
                   "years, text) VALUES (?, ?, ?, ?, ?)"));
  log->BindText(1, FormatTimestamp(at));
  log->BindText(2, actor);
  log->BindText(3, source);
  log->BindText(4, years);
  log->BindText(5, full_text);
  return log->Run();
}

absl::StatusOr<std::map<int, std::string>> PgCalendarTable::LoadYears() {
  ASSIGN_OR_RETURN(PgStmt s, db().Prepare("SELECT year, schedule FROM "
                                          "calendar_years ORDER BY year"));
  std::map<int, std::string> out;
  while (true) {
    ASSIGN_OR_RETURN(bool row, s->Step());
    if (!row) break;
    out[static_cast<int>(s->ColumnInt(0))] = s->ColumnText(1);
  }
  return out;
}

// --- Alerts ---

absl::StatusOr<std::vector<size_t>> PgAlertOutbox::Record(
    const std::vector<NewAlert>& alerts, absl::Time raised_at, bool deliver) {
  RETURN_IF_ERROR(session_->RequireWrite("recording alerts"));
  std::vector<size_t> fresh;
  if (alerts.empty()) return fresh;
  const std::string at = FormatTimestamp(raised_at);
  ASSIGN_OR_RETURN(
      PgStmt s,
      db().Prepare("INSERT INTO alerts (alert_key, payload, raised_at, "
                   "hook_state, next_attempt_at) VALUES (?1, ?2, ?3, ?4, ?3) "
                   "ON CONFLICT (alert_key) DO NOTHING"));
  for (size_t i = 0; i < alerts.size(); ++i) {
    s->BindText(1, alerts[i].key);
    s->BindText(2, alerts[i].payload);
    s->BindText(3, at);
    s->BindText(4, deliver ? "pending" : "none");
    RETURN_IF_ERROR(s->Run());
    if (s->Changes() == 1) fresh.push_back(i);
  }
  return fresh;
}

absl::StatusOr<std::vector<AlertOutbox::StoredAlert>> PgAlertOutbox::Pending(
    absl::Time now) {
  ASSIGN_OR_RETURN(
      PgStmt s,
      db().Prepare("SELECT alert_key, payload, raised_at, attempts FROM alerts "
                   "WHERE hook_state = 'pending' AND next_attempt_at <= ? "
                   "ORDER BY raised_at, alert_key LIMIT 100"));
  s->BindText(1, FormatTimestamp(now));
  return CollectPgRows(
      *s, [](const PgStatement& row) -> absl::StatusOr<StoredAlert> {
        StoredAlert a;
        a.key = row.ColumnText(0);
        a.payload = row.ColumnText(1);
        ASSIGN_OR_RETURN(a.raised_at, StoredTimestamp(row.ColumnText(2)));
        a.attempts = static_cast<int>(row.ColumnInt(3));
        return a;
      });
}

absl::Status PgAlertOutbox::MarkDelivered(const std::string& key,
                                          absl::Time at) {
  RETURN_IF_ERROR(session_->RequireWrite("marking an alert delivered"));
  ASSIGN_OR_RETURN(PgStmt s,
                   db().Prepare("UPDATE alerts SET hook_state = 'delivered', "
                                "delivered_at = ?, attempts = attempts + 1, "
                                "last_error = NULL WHERE alert_key = ?"));
  s->BindText(1, FormatTimestamp(at));
  s->BindText(2, key);
  return s->Run();
}

absl::Status PgAlertOutbox::MarkFailed(const std::string& key,
                                       const std::string& error,
                                       absl::Time next_attempt) {
  RETURN_IF_ERROR(session_->RequireWrite("marking an alert failed"));
  ASSIGN_OR_RETURN(PgStmt s,
                   db().Prepare("UPDATE alerts SET attempts = attempts + 1, "
                                "last_error = ?, next_attempt_at = ? "
                                "WHERE alert_key = ?"));
  s->BindText(1, error);
  s->BindText(2, FormatTimestamp(next_attempt));
  s->BindText(3, key);
  return s->Run();
}

absl::Status PgAlertOutbox::SetUserMark(const std::string& user,
                                        const UserMark& mark,
                                        const RecordEvent& event) {
  RETURN_IF_ERROR(session_->RequireWrite("marking an alert"));
  ASSIGN_OR_RETURN(
      PgStmt s,
      db().Prepare("INSERT INTO alert_marks (user_name, alert_key, state, "
                   "snoozed_until, marked_at) VALUES (?, ?, ?, ?, ?) "
                   "ON CONFLICT (user_name, alert_key) DO UPDATE SET "
                   "state = excluded.state, snoozed_until = "
                   "excluded.snoozed_until, marked_at = excluded.marked_at"));
  s->BindText(1, user);
  s->BindText(2, mark.key);
  s->BindText(3, mark.state);
  if (mark.snoozed_until.has_value()) {
    s->BindText(4, FormatDate(*mark.snoozed_until));
  } else {
    s->BindNull(4);
  }
  s->BindText(5, FormatTimestamp(mark.marked_at));
  RETURN_IF_ERROR(s->Run());
  return PgAppendRecordEvent(*session_, event);
}

absl::StatusOr<std::vector<AlertOutbox::UserMark>> PgAlertOutbox::UserMarks(
    const std::string& user) {
  ASSIGN_OR_RETURN(
      PgStmt s,
      db().Prepare("SELECT alert_key, state, snoozed_until, marked_at FROM "
                   "alert_marks WHERE user_name = ? AND state != 'cleared' "
                   "ORDER BY alert_key"));
  s->BindText(1, user);
  return CollectPgRows(
      *s, [](const PgStatement& row) -> absl::StatusOr<UserMark> {
        UserMark m;
        m.key = row.ColumnText(0);
        m.state = row.ColumnText(1);
        if (const std::string until = row.ColumnText(2); !until.empty()) {
          ASSIGN_OR_RETURN(m.snoozed_until, ParseDate(until));
        }
        ASSIGN_OR_RETURN(m.marked_at, StoredTimestamp(row.ColumnText(3)));
        return m;
      });
}

}  // namespace gongkai::storage

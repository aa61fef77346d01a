#include "storage/sqlite/document_table.h"

#include "absl/strings/str_cat.h"
#include "common/crypto.h"
#include "common/dates.h"
#include "common/status_macros.h"
#include "storage/sqlite/audit_chain.h"

namespace gongkai::storage {

absl::StatusOr<std::string> NewQueryCode(Database& db) {
  ASSIGN_OR_RETURN(ScopedStatement taken,
                   db.Prepare("SELECT 1 FROM cases WHERE query_code = ?"));
  // 26^8 codes: a collision is rare, a run of them means broken randomness.
  for (int attempt = 0; attempt < 16; ++attempt) {
    std::string code;
    while (code.size() < static_cast<size_t>(kQueryCodeLength)) {
      code = QueryCodeFromBytes(RandomBytes(32));
    }
    taken->BindText(1, code);
    ASSIGN_OR_RETURN(bool used, taken->Step());
    taken->Reset();
    if (!used) return code;
  }
  return absl::InternalError("could not find an unused query code");
}

absl::StatusOr<DocumentSettings> SqliteDocumentTable::Settings(
    const std::string& agency) {
  ASSIGN_OR_RETURN(
      ScopedStatement s,
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

absl::Status SqliteDocumentTable::SetSettings(const std::string& agency,
                                              const DocumentSettings& settings,
                                              const RecordEvent& event) {
  RETURN_IF_ERROR(session_->RequireWrite("setting document settings"));
  ASSIGN_OR_RETURN(
      ScopedStatement s,
      db().Prepare(
          "INSERT INTO document_settings (agency, full_name, address, "
          "contact, reconsideration_body, court, number_prefix, updated_at, "
          "updated_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) "
          "ON CONFLICT (agency) DO UPDATE SET full_name = ?2, address = ?3, "
          "contact = ?4, reconsideration_body = ?5, court = ?6, "
          "number_prefix = ?7, updated_at = ?8, updated_by = ?9"));
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
  return AppendRecordEvent(*session_, event);
}

absl::StatusOr<std::map<std::string, std::string>>
SqliteDocumentTable::Templates(const std::string& agency) {
  ASSIGN_OR_RETURN(ScopedStatement s,
                   db().Prepare("SELECT name, docx FROM document_templates "
                                "WHERE agency = ? ORDER BY name"));
  s->BindText(1, agency);
  std::map<std::string, std::string> out;
  while (true) {
    ASSIGN_OR_RETURN(bool row, s->Step());
    if (!row) break;
    out[s->ColumnText(0)] = s->ColumnBlob(1);
  }
  return out;
}

absl::StatusOr<std::optional<std::string>> SqliteDocumentTable::Template(
    const std::string& agency, const std::string& name) {
  ASSIGN_OR_RETURN(ScopedStatement s,
                   db().Prepare("SELECT docx FROM document_templates "
                                "WHERE agency = ? AND name = ?"));
  s->BindText(1, agency);
  s->BindText(2, name);
  ASSIGN_OR_RETURN(bool found, s->Step());
  if (!found) return std::optional<std::string>();
  return std::optional<std::string>(s->ColumnBlob(0));
}

absl::Status SqliteDocumentTable::SaveTemplates(
    const std::string& agency,
    const std::map<std::string, std::string>& templates,
    const RecordEvent& event) {
  RETURN_IF_ERROR(session_->RequireWrite("loading document templates"));
  ASSIGN_OR_RETURN(
      ScopedStatement s,
      db().Prepare("INSERT INTO document_templates (agency, name, docx, "
                   "sha256, loaded_at, loaded_by) VALUES (?1, ?2, ?3, ?4, ?5, "
                   "?6) ON CONFLICT (agency, name) DO UPDATE SET docx = ?3, "
                   "sha256 = ?4, loaded_at = ?5, loaded_by = ?6"));
  for (const auto& [name, docx] : templates) {
    s->BindText(1, agency);
    s->BindText(2, name);
    s->BindBlob(3, docx);
    s->BindText(4, Sha256Hex(docx));
    s->BindText(5, FormatTimestamp(event.at));
    s->BindText(6, event.actor);
    RETURN_IF_ERROR(s->Run());
    s->Reset();
  }
  return AppendRecordEvent(*session_, event);
}

absl::StatusOr<int64_t> SqliteDocumentTable::NextNumber(
    const std::string& agency, const std::string& kind, int year) {
  ASSIGN_OR_RETURN(ScopedStatement s,
                   db().Prepare("SELECT next FROM document_numbers WHERE "
                                "agency = ? AND kind = ? AND year = ?"));
  s->BindText(1, agency);
  s->BindText(2, kind);
  s->BindInt(3, year);
  ASSIGN_OR_RETURN(bool found, s->Step());
  return found ? s->ColumnInt(0) : 1;
}

absl::StatusOr<int64_t> SqliteDocumentTable::TakeNumber(
    const std::string& agency, const std::string& kind, int year) {
  RETURN_IF_ERROR(session_->RequireWrite("numbering a document"));
  ASSIGN_OR_RETURN(int64_t n, NextNumber(agency, kind, year));
  ASSIGN_OR_RETURN(
      ScopedStatement s,
      db().Prepare("INSERT INTO document_numbers (agency, kind, year, next) "
                   "VALUES (?1, ?2, ?3, ?4) ON CONFLICT (agency, kind, year) "
                   "DO UPDATE SET next = ?4"));
  s->BindText(1, agency);
  s->BindText(2, kind);
  s->BindInt(3, year);
  s->BindInt(4, n + 1);
  RETURN_IF_ERROR(s->Run());
  return n;
}

absl::StatusOr<std::optional<std::string>>
SqliteDocumentTable::CaseNoByQueryCode(const std::string& code) {
  ASSIGN_OR_RETURN(
      ScopedStatement s,
      db().Prepare("SELECT case_no FROM cases WHERE query_code = ?"));
  s->BindText(1, code);
  ASSIGN_OR_RETURN(bool found, s->Step());
  if (!found || code.empty()) return std::optional<std::string>();
  return std::optional<std::string>(s->ColumnText(0));
}

}  // namespace gongkai::storage

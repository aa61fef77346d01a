#include "storage/sqlite/agency_table.h"

#include "absl/strings/str_cat.h"
#include "common/dates.h"
#include "common/lang.h"
#include "common/status_macros.h"
#include "storage/sqlite/audit_chain.h"

namespace gongkai::storage {

absl::Status SqliteAgencyTable::Insert(const std::string& code,
                                       const std::string& name,
                                       const RecordEvent& event) {
  RETURN_IF_ERROR(session_->RequireWrite("adding an agency"));
  ASSIGN_OR_RETURN(ScopedStatement s,
                   db().Prepare("INSERT INTO agencies (code, name, created_at) "
                                "VALUES (?, ?, ?) ON CONFLICT DO NOTHING"));
  s->BindText(1, code);
  s->BindText(2, name);
  s->BindText(3, FormatTimestamp(event.at));
  session_->agencies_changed = true;
  RETURN_IF_ERROR(s->Run());
  if (db().Changes() != 1) {
    return LocalizedError(absl::StatusCode::kAlreadyExists,
                          absl::StrCat("机关 ", code, " 已存在"),
                          absl::StrCat("agency ", code, " exists"));
  }
  return AppendRecordEvent(*session_, event);
}

absl::StatusOr<SqliteCaches::Agencies> SqliteAgencyTable::Load() {
  ASSIGN_OR_RETURN(
      ScopedStatement s,
      db().Prepare("SELECT code, name FROM agencies ORDER BY code"));
  return CollectRows(
      *s,
      [](const Statement& row)
          -> absl::StatusOr<std::pair<std::string, std::string>> {
        return std::make_pair(row.ColumnText(0), row.ColumnText(1));
      });
}

absl::StatusOr<std::vector<std::pair<std::string, std::string>>>
SqliteAgencyTable::List() {
  if (!session_->may_use_caches()) return Load();
  ASSIGN_OR_RETURN(std::shared_ptr<const SqliteCaches::Agencies> agencies,
                   session_->caches().agencies.Get([&] { return Load(); }));
  return *agencies;
}

absl::StatusOr<std::string> SqliteAgencyTable::CaseNoPattern(
    const std::string& code) {
  ASSIGN_OR_RETURN(
      ScopedStatement s,
      db().Prepare("SELECT case_no_pattern FROM agencies WHERE code = ?"));
  s->BindText(1, code);
  ASSIGN_OR_RETURN(bool found, s->Step());
  if (!found) return absl::NotFoundError(absl::StrCat("no agency ", code));
  return s->ColumnText(0);
}

absl::Status SqliteAgencyTable::SetCaseNoPattern(const std::string& code,
                                                 const std::string& pattern,
                                                 const RecordEvent& event) {
  RETURN_IF_ERROR(session_->RequireWrite("changing an agency"));
  ASSIGN_OR_RETURN(
      ScopedStatement s,
      db().Prepare("UPDATE agencies SET case_no_pattern = ? WHERE code = ?"));
  s->BindText(1, pattern);
  s->BindText(2, code);
  RETURN_IF_ERROR(s->Run());
  if (db().Changes() != 1) {
    return absl::NotFoundError(absl::StrCat("no agency ", code));
  }
  return AppendRecordEvent(*session_, event);
}

}  // namespace gongkai::storage

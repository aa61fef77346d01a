#include "storage/sqlite/audit_log.h"

#include "common/dates.h"
#include "common/status_macros.h"
#include "storage/sqlite/audit_chain.h"
#include "storage/sqlite/rows.h"

namespace gongkai::storage {
namespace {

absl::StatusOr<AuditEntry> ReadAuditEntry(const Statement& row) {
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

}  // namespace

absl::Status SqliteAuditLog::Append(const RecordEvent& event) {
  RETURN_IF_ERROR(session_->RequireWrite("recording an audit event"));
  return AppendRecordEvent(*session_, event);
}

absl::StatusOr<std::vector<AuditEntry>> SqliteAuditLog::List(
    std::optional<absl::Time> since, const std::string& actor, int limit) {
  ASSIGN_OR_RETURN(
      ScopedStatement s,
      db().Prepare(
          "SELECT recorded_at, actor, kind, subject, effective_on, details "
          "FROM (SELECT e.recorded_at, e.actor, e.kind, "
          "'case ' || c.case_no AS subject, e.effective_on, e.details, "
          "e.id AS id, 0 AS src FROM case_events e JOIN cases c "
          "ON c.id = e.case_id UNION ALL SELECT recorded_at, actor, kind, "
          "subject, '', details, id, 1 FROM record_events) "
          "WHERE recorded_at >= ?1 AND (?2 = '' OR actor = ?2) "
          "ORDER BY recorded_at, src, id LIMIT ?3"));
  s->BindText(1, since ? FormatTimestamp(*since) : "");
  s->BindText(2, actor);
  s->BindInt(3, limit);
  return CollectRows(*s, ReadAuditEntry);
}

absl::StatusOr<std::vector<std::string>> SqliteAuditLog::Verify() {
  return VerifyAuditChains(db(), session_->audit_key, session_->anchor_path);
}

}  // namespace gongkai::storage

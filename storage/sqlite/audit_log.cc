#include "storage/sqlite/audit_log.h"

#include <algorithm>
#include <set>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
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

// The scope of a record event (see List): the case, appeal or account its
// subject names, the agency of a publication ("report 2024 a"), or the
// agency in its details (table 2 figures, imports).
constexpr char kRecordScope[] = R"sql(CASE
  WHEN substr(r.subject, 1, 5) = 'case ' THEN
    coalesce((SELECT agency FROM cases WHERE case_no = substr(r.subject, 6)), '')
  WHEN substr(r.subject, 1, 7) = 'appeal ' THEN
    coalesce((SELECT c.agency FROM appeals a JOIN cases c ON c.id = a.case_id
              WHERE a.id = CAST(substr(r.subject, 8) AS INTEGER)), '')
  WHEN substr(r.subject, 1, 5) = 'user ' THEN
    coalesce((SELECT agencies FROM users WHERE name = substr(r.subject, 6)),
             '')
  WHEN r.kind = 'agency_created' AND substr(r.subject, 1, 7) = 'agency ' THEN
    substr(r.subject, 8)
  WHEN r.kind = 'report_published' THEN
    CASE WHEN length(r.subject) > 12 THEN substr(r.subject, 13) ELSE '' END
  WHEN json_valid(r.details) THEN
    coalesce(CAST(json_extract(r.details, '$.agency') AS TEXT), '')
  ELSE ''
END AS scope)sql";

}  // namespace

absl::Status SqliteAuditLog::Append(const RecordEvent& event) {
  RETURN_IF_ERROR(session_->RequireWrite("recording an audit event"));
  return AppendRecordEvent(*session_, event);
}

absl::StatusOr<std::vector<AuditEntry>> SqliteAuditLog::List(
    std::optional<absl::Time> since, const std::string& actor, int limit,
    const std::vector<std::string>& agencies) {
  // Each entry with its scope: the stored agency list it is about ("a", or
  // "a,b" / "*" for a user's account; "" for what every agency shares). For
  // a confined reader, rows whose scope is one of its agencies or a list
  // are fetched, and lists are judged here; keyset pages continue until
  // `limit` entries are found or the trail ends.
  ASSIGN_OR_RETURN(
      ScopedStatement s,
      db().Prepare(absl::StrCat(
          "SELECT recorded_at, actor, kind, subject, effective_on, details, "
          "scope, src, id FROM (SELECT e.recorded_at, e.actor, e.kind, "
          "'case ' || c.case_no AS subject, e.effective_on, e.details, "
          "c.agency AS scope, e.id AS id, 0 AS src FROM case_events e JOIN "
          "cases c ON c.id = e.case_id UNION ALL SELECT r.recorded_at, "
          "r.actor, r.kind, r.subject, '', r.details, ",
          kRecordScope,
          ", r.id, 1 FROM record_events r) "
          "WHERE recorded_at >= ?1 AND (?2 = '' OR actor = ?2) "
          "AND (?4 = '' OR instr(?4, ',' || scope || ',') > 0 "
          "OR instr(scope, ',') > 0) "
          "AND (recorded_at, src, id) > (?5, ?6, ?7) "
          "ORDER BY recorded_at, src, id LIMIT ?3")));
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
    s->Reset();
    if (rows < page) break;
  }
  return out;
}

absl::StatusOr<std::vector<std::string>> SqliteAuditLog::Verify() {
  return VerifyAuditChains(db(), session_->audit_key, session_->anchor_path);
}

}  // namespace gongkai::storage

#include "storage/sqlite/audit_chain.h"

#include "absl/strings/str_cat.h"
#include "common/dates.h"
#include "common/status_macros.h"
#include "storage/migrations.h"

namespace gongkai::storage {
namespace {

absl::StatusOr<std::string> LastLink(Database& db, const char* table) {
  ASSIGN_OR_RETURN(ScopedStatement s,
                   db.Prepare(absl::StrCat("SELECT chain FROM ", table,
                                           " ORDER BY id DESC LIMIT 1")));
  ASSIGN_OR_RETURN(bool row, s->Step());
  return row ? s->ColumnText(0) : std::string();
}

}  // namespace

absl::Status AppendCaseEvent(Database& db, int64_t case_id, CaseEvent& event,
                             std::string* chain, int64_t known_seq) {
  if (known_seq > 0) {
    event.seq = known_seq;
  } else {
    ASSIGN_OR_RETURN(
        ScopedStatement seq,
        db.Prepare("SELECT COALESCE(MAX(seq), 0) + 1 FROM case_events "
                   "WHERE case_id = ?"));
    seq->BindInt(1, case_id);
    ASSIGN_OR_RETURN(bool row, seq->Step());
    (void)row;
    event.seq = seq->ColumnInt(0);
  }
  std::string prev;
  if (chain != nullptr && !chain->empty()) {
    prev = *chain;
  } else {
    ASSIGN_OR_RETURN(prev, LastLink(db, "case_events"));
  }
  const std::string details = event.details.Dump();
  const std::string recorded_at = FormatTimestamp(event.recorded_at);
  const std::string effective_on = FormatDate(event.effective_on);
  const std::string canonical =
      absl::StrCat(case_id, "|", event.seq, "|", event.kind, "|", effective_on,
                   "|", recorded_at, "|", event.actor, "|", details);
  ASSIGN_OR_RETURN(
      ScopedStatement insert,
      db.Prepare("INSERT INTO case_events (case_id, seq, kind, effective_on, "
                 "recorded_at, actor, details, chain) "
                 "VALUES (?, ?, ?, ?, ?, ?, ?, ?)"));
  insert->BindInt(1, case_id);
  insert->BindInt(2, event.seq);
  insert->BindText(3, event.kind);
  insert->BindText(4, effective_on);
  insert->BindText(5, recorded_at);
  insert->BindText(6, event.actor);
  insert->BindText(7, details);
  const std::string link = AuditChainLink(prev, canonical);
  insert->BindText(8, link);
  RETURN_IF_ERROR(insert->Run());
  if (chain != nullptr) *chain = link;
  return absl::OkStatus();
}

absl::Status AppendRecordEvent(Database& db, const RecordEvent& event) {
  ASSIGN_OR_RETURN(std::string prev, LastLink(db, "record_events"));
  const std::string details = event.details.Dump();
  const std::string at = FormatTimestamp(event.at);
  const std::string canonical = absl::StrCat(
      at, "|", event.actor, "|", event.kind, "|", event.subject, "|", details);
  ASSIGN_OR_RETURN(ScopedStatement s,
                   db.Prepare("INSERT INTO record_events (recorded_at, actor, "
                              "kind, subject, details, chain) "
                              "VALUES (?, ?, ?, ?, ?, ?)"));
  s->BindText(1, at);
  s->BindText(2, event.actor);
  s->BindText(3, event.kind);
  s->BindText(4, event.subject);
  s->BindText(5, details);
  s->BindText(6, AuditChainLink(prev, canonical));
  return s->Run();
}

absl::StatusOr<std::vector<std::string>> VerifyAuditChains(Database& db) {
  std::vector<std::string> problems;
  for (const char* table : {"case_events", "record_events"}) {
    ASSIGN_OR_RETURN(
        ScopedStatement s,
        db.Prepare(absl::StrCat("SELECT id, ", AuditCanonicalColumns(table),
                                ", chain FROM ", table, " ORDER BY id")));
    std::string prev;
    while (true) {
      ASSIGN_OR_RETURN(bool row, s->Step());
      if (!row) break;
      if (AuditChainLink(prev, s->ColumnText(1)) != s->ColumnText(2)) {
        problems.push_back(absl::StrCat(
            table, " row ", s->ColumnInt(0),
            " breaks the checksum chain: it, or a row before it, was changed, "
            "removed or inserted outside gongkai"));
        break;
      }
      prev = s->ColumnText(2);
    }
  }
  return problems;
}

}  // namespace gongkai::storage

#include "storage/postgres/pg_audit.h"

#include <map>

#include "absl/strings/str_cat.h"
#include "common/dates.h"
#include "common/status_macros.h"
#include "storage/migrations.h"
#include "storage/sqlite/audit_chain.h"

namespace gongkai::storage {
namespace {

absl::StatusOr<std::string> LastLink(PgConnection& db, const char* table) {
  return db.QueryText(
      absl::StrCat("SELECT chain FROM ", table, " ORDER BY id DESC LIMIT 1"));
}

std::string NewLink(const AuditKey* key, absl::string_view prev,
                    absl::string_view canonical) {
  return key != nullptr ? key->Link(prev, canonical)
                        : AuditChainLink(prev, canonical);
}

absl::Status InsertRecordEvent(PgConnection& db, const RecordEvent& event,
                               const AuditKey* key) {
  ASSIGN_OR_RETURN(std::string prev, LastLink(db, "record_events"));
  const std::string details = event.details.Dump();
  const std::string at = FormatTimestamp(event.at);
  const std::string canonical = absl::StrCat(
      at, "|", event.actor, "|", event.kind, "|", event.subject, "|", details);
  ASSIGN_OR_RETURN(PgStmt s,
                   db.Prepare("INSERT INTO record_events (recorded_at, actor, "
                              "kind, subject, details, chain) "
                              "VALUES (?, ?, ?, ?, ?, ?)"));
  s->BindText(1, at);
  s->BindText(2, event.actor);
  s->BindText(3, event.kind);
  s->BindText(4, event.subject);
  s->BindText(5, details);
  s->BindText(6, NewLink(key, prev, canonical));
  return s->Run();
}

struct Segment {
  std::string key_id;
  int64_t case_events_from = 0;
  int64_t record_events_from = 0;
};

absl::StatusOr<std::vector<Segment>> Segments(PgConnection& db) {
  ASSIGN_OR_RETURN(PgStmt s, db.Prepare("SELECT key_id, case_events_from, "
                                        "record_events_from FROM audit_keys "
                                        "ORDER BY id"));
  std::vector<Segment> out;
  while (true) {
    ASSIGN_OR_RETURN(bool row, s->Step());
    if (!row) break;
    out.push_back({s->ColumnText(0), s->ColumnInt(1), s->ColumnInt(2)});
  }
  return out;
}

}  // namespace

absl::Status PgAppendCaseEvent(PgSession& session, int64_t case_id,
                               CaseEvent& event, std::string* chain,
                               int64_t known_seq) {
  PgConnection& db = session.db();
  if (known_seq > 0) {
    event.seq = known_seq;
  } else {
    ASSIGN_OR_RETURN(PgStmt seq, db.Prepare("SELECT COALESCE(MAX(seq), 0) + 1 "
                                            "FROM case_events WHERE case_id = "
                                            "?"));
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
      PgStmt insert,
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
  const std::string link = NewLink(session.audit_key(), prev, canonical);
  insert->BindText(8, link);
  RETURN_IF_ERROR(insert->Run());
  if (chain != nullptr) *chain = link;
  return absl::OkStatus();
}

absl::Status PgAppendRecordEvent(PgSession& session, const RecordEvent& event) {
  return InsertRecordEvent(session.db(), event, session.audit_key());
}

absl::StatusOr<std::optional<std::string>> PgCurrentAuditKeyId(
    PgConnection& conn) {
  ASSIGN_OR_RETURN(std::vector<Segment> segments, Segments(conn));
  if (segments.empty()) return std::optional<std::string>();
  return std::optional<std::string>(segments.back().key_id);
}

absl::Status PgStartKeyedSegment(PgConnection& conn, const AuditKey& key,
                                 const std::string& note, absl::Time at) {
  ASSIGN_OR_RETURN(
      int64_t next_case,
      conn.QueryInt("SELECT COALESCE(MAX(id), 0) + 1 FROM case_events"));
  ASSIGN_OR_RETURN(
      int64_t next_record,
      conn.QueryInt("SELECT COALESCE(MAX(id), 0) + 1 FROM record_events"));
  ASSIGN_OR_RETURN(
      PgStmt s,
      conn.Prepare("INSERT INTO audit_keys (key_id, case_events_from, "
                   "record_events_from, keyed_at, note) VALUES (?, ?, ?, ?, "
                   "?)"));
  s->BindText(1, key.id());
  s->BindInt(2, next_case);
  s->BindInt(3, next_record);
  s->BindText(4, FormatTimestamp(at));
  s->BindText(5, note);
  RETURN_IF_ERROR(s->Run());
  RecordEvent event{"audit_chain_keyed", "audit trail", "gongkaid", at};
  event.details.Set("key_id", key.id());
  event.details.Set("case_events_from", next_case);
  event.details.Set("record_events_from", next_record);
  event.details.Set("note", note);
  return InsertRecordEvent(conn, event, &key);
}

absl::StatusOr<std::vector<std::string>> PgVerifyAuditChains(
    PgConnection& db, const AuditKey* key) {
  std::vector<std::string> problems;
  ASSIGN_OR_RETURN(std::vector<Segment> segments, Segments(db));
  for (const char* table : {"case_events", "record_events"}) {
    const bool case_table = std::string(table) == "case_events";
    // The canonical text, column by column as AppendCaseEvent and
    // InsertRecordEvent join it.
    ASSIGN_OR_RETURN(
        PgStmt s,
        db.Prepare(case_table
                       ? "SELECT id, chain, case_id, seq, kind, effective_on, "
                         "recorded_at, actor, details FROM case_events "
                         "ORDER BY id"
                       : "SELECT id, chain, recorded_at, actor, kind, "
                         "subject, details FROM record_events ORDER BY id"));
    std::string prev;
    const Segment* unverifiable = nullptr;
    while (true) {
      ASSIGN_OR_RETURN(bool row, s->Step());
      if (!row) break;
      const int64_t id = s->ColumnInt(0);
      const std::string stored = s->ColumnText(1);
      std::string canonical;
      const int columns = case_table ? 9 : 7;
      for (int c = 2; c < columns; ++c) {
        absl::StrAppend(&canonical, c == 2 ? "" : "|", s->ColumnText(c));
      }
      const Segment* segment = nullptr;
      for (const Segment& seg : segments) {
        if (id >= (case_table ? seg.case_events_from : seg.record_events_from))
          segment = &seg;
      }
      const std::string unkeyed = AuditChainLink(prev, canonical);
      std::string expected;
      if (segment == nullptr) {
        expected = unkeyed;
      } else if (key != nullptr && segment->key_id == key->id()) {
        expected = key->Link(prev, canonical);
      } else {
        if (unverifiable != segment) {
          unverifiable = segment;
          problems.push_back(absl::StrCat(
              table, " rows from ", id, " were linked with audit key ",
              segment->key_id,
              ", which this daemon does not have: they cannot be checked"));
        }
        prev = stored;
        continue;
      }
      if (expected != stored) {
        problems.push_back(absl::StrCat(
            table, " row ", id,
            segment != nullptr && stored == unkeyed
                ? " was linked with the unkeyed formula where the audit key "
                  "links: the chain was recomputed by someone without the key"
                : " breaks the checksum chain: it, or a row before it, was "
                  "changed, removed or inserted outside gongkai"));
        break;
      }
      prev = stored;
    }
  }
  return problems;
}

}  // namespace gongkai::storage

// The audit checksum chains on PostgreSQL: the same links as the SQLite
// engine (storage/sqlite/audit_chain.h: plain SHA-256 before a key, then
// HMAC-SHA256 under the audit key from each segment in audit_keys on), so
// that a chain copied between the engines verifies on both.
//
// Every link follows the last committed one. PgStore takes its write lock
// at the start of every write transaction, so one transaction at a time,
// across all replicas, reads the head and appends after it, and row ids
// (identity columns, taken under that lock) follow the chain's order.
//
// Anchoring the heads outside the database (the SQLite engine's anchor
// file) is not done here: replicas on several hosts have no one file to
// append to.
//
// Thread safety: functions of the caller's session or connection.
#ifndef GONGKAI_STORAGE_POSTGRES_PG_AUDIT_H_
#define GONGKAI_STORAGE_POSTGRES_PG_AUDIT_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "domain/case.h"
#include "storage/postgres/pg_session.h"
#include "storage/store.h"

namespace gongkai::storage {

// Appends `event` to the events of case `case_id` and sets its sequence
// number (`seq` when known). `chain` carries the last link through one
// transaction's bulk import.
absl::Status PgAppendCaseEvent(PgSession& session, int64_t case_id,
                               CaseEvent& event, std::string* chain = nullptr,
                               int64_t seq = 0);
absl::Status PgAppendRecordEvent(PgSession& session, const RecordEvent& event);

// The key id of the latest segment, if the chain was ever keyed.
absl::StatusOr<std::optional<std::string>> PgCurrentAuditKeyId(
    PgConnection& conn);
// Starts a segment keyed with `key` after the current heads and records it
// as the audit event "audit_chain_keyed" (in the caller's transaction).
absl::Status PgStartKeyedSegment(PgConnection& conn, const AuditKey& key,
                                 const std::string& note, absl::Time at);

// Recomputes both chains (keyed segments with `key`; null: those cannot be
// checked) and returns one message per break.
absl::StatusOr<std::vector<std::string>> PgVerifyAuditChains(
    PgConnection& conn, const AuditKey* key);

}  // namespace gongkai::storage

#endif  // GONGKAI_STORAGE_POSTGRES_PG_AUDIT_H_

// The audit checksum chains, in one place: every case event and every
// record event is linked to the one before it in its table by SHA-256
// (AuditChainLink over the canonical text of AuditCanonicalColumns), so an
// edit of the file outside gongkai shows up in Verify().
//
// Thread safety: functions of the caller's connection, which must be held
// and inside a write transaction for the appends.
#ifndef GONGKAI_STORAGE_SQLITE_AUDIT_CHAIN_H_
#define GONGKAI_STORAGE_SQLITE_AUDIT_CHAIN_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "domain/case.h"
#include "storage/database.h"
#include "storage/store.h"

namespace gongkai::storage {

// Appends `event` to the events of case `case_id` and sets its sequence
// number. `chain`, when given, carries the last link between calls of one
// transaction (a bulk import) instead of reading it back each time; `seq`,
// when known (a new case's events), saves looking it up.
absl::Status AppendCaseEvent(Database& db, int64_t case_id, CaseEvent& event,
                             std::string* chain = nullptr, int64_t seq = 0);

// Appends `event` to the record events.
absl::Status AppendRecordEvent(Database& db, const RecordEvent& event);

// Recomputes both chains; one message per chain that is broken.
absl::StatusOr<std::vector<std::string>> VerifyAuditChains(Database& db);

}  // namespace gongkai::storage

#endif  // GONGKAI_STORAGE_SQLITE_AUDIT_CHAIN_H_

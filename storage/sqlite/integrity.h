// The checks behind SqliteStore::CheckIntegrity (gongkai admin check), for
// someone who may have written the database file with other tools:
//   - SQLite's own integrity check;
//   - the schema, the append-only triggers included, against the schema the
//     migrations make (a dropped or altered trigger is reported);
//   - every case row against its event history (domain/case_history.h):
//     state, outcome, dates, intake fields, assignee;
//   - the kept report counts (case_counts) against the counts the histories
//     give, so a report cannot count what the events do not say.
// Each finds every problem rather than stopping at the first.
//
// Thread safety: functions of the caller's connection, which must be held,
// inside one read transaction (one snapshot).
#ifndef GONGKAI_STORAGE_SQLITE_INTEGRITY_H_
#define GONGKAI_STORAGE_SQLITE_INTEGRITY_H_

#include "absl/status/status.h"
#include "storage/database.h"
#include "storage/store.h"

namespace gongkai::storage {

absl::Status CheckEngine(Database& db, IntegrityReport& report);
absl::Status CheckSchema(Database& db, IntegrityReport& report);
absl::Status CheckCasesAgainstHistory(Database& db, IntegrityReport& report);

}  // namespace gongkai::storage

#endif  // GONGKAI_STORAGE_SQLITE_INTEGRITY_H_

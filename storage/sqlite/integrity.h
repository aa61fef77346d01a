// The checks behind SqliteStore::CheckIntegrity (gongkai admin check), for
// someone who may have written the database file with other tools:
//   - SQLite's own integrity check;
//   - the schema, the append-only triggers included, against the schema the
//     migrations make (a dropped or altered trigger is reported);
//   - every case row against its event history (domain/case_history.h):
//     state, outcome, dates, intake fields, assignee;
//   - the kept report counts (case_counts) against the counts the histories
//     give, so a report cannot count what the events do not say.
// Each finds every problem rather than stopping at the first. Together they
// read the whole file: seconds on a million cases. So they run on a
// connection of their own (CheckDatabaseFile), never at open, which checks
// only what stays small (TablesThatGrow).
//
// Thread safety: CheckDatabaseFile may be called from any thread, beside
// the connection that serves calls. The Check* functions work on the
// caller's connection, which must be held, inside one read transaction (one
// snapshot).
#ifndef GONGKAI_STORAGE_SQLITE_INTEGRITY_H_
#define GONGKAI_STORAGE_SQLITE_INTEGRITY_H_

#include <atomic>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "storage/database.h"
#include "storage/store.h"

namespace gongkai::storage {

// The tables that grow with the office's work (cases, their events and text
// index, alerts and their marks, appeals, the audit trail of other records,
// ledger imports), for OpenOptions::unbounded_tables: checking them at every
// start would cost time in proportion to the file. The others (users,
// agencies, calendars, counters, settings, report figures, the audit keys)
// stay small however many cases there are, and are checked at every open.
const std::vector<std::string>& TablesThatGrow();

// Every check above, of the database file at `path`, on a connection of its
// own in one read snapshot: the connection serving calls is not held. The
// file must be the one `expected` names (the one the caller serves); a path
// that names another file now is reported as the problem instead. Returns
// CANCELLED soon after `*stop` becomes true (null: never).
absl::StatusOr<IntegrityReport> CheckDatabaseFile(
    const std::string& path, const FileIdentity& expected,
    const std::atomic<bool>* stop);

absl::Status CheckEngine(Database& db, IntegrityReport& report);
absl::Status CheckSchema(Database& db, IntegrityReport& report);
// CheckCasesAgainstHistory: storage/sqlite/history_check.h (both engines).

}  // namespace gongkai::storage

#endif  // GONGKAI_STORAGE_SQLITE_INTEGRITY_H_

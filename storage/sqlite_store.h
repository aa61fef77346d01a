// SqliteStore: the Store on an embedded SQLite file.
//
// One connection serves all callers, guarded by a mutex; SQLite in WAL mode
// with synchronous=FULL makes every acknowledged write durable. Writes of
// concurrent callers are committed together (GroupCommit), one fsync for the
// lot, each body in its own savepoint. A read runs its body in one read
// transaction: a consistent snapshot. Each kind of record has its own table
// object (storage/sqlite/), all on the one connection, reached only through
// the Tables handed to a body.
//
// Users by token, agencies and published reports are cached in memory for
// read transactions; write bodies read the tables themselves, and a write
// that touched those rows drops the caches once its transaction has ended.
//
// Thread safety: every method may be called from any thread. Write bodies
// run on the thread of whichever caller leads the batch.
#ifndef GONGKAI_STORAGE_SQLITE_STORE_H_
#define GONGKAI_STORAGE_SQLITE_STORE_H_

#include <atomic>
#include <memory>
#include <string>
#include <utility>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "storage/checkpointer.h"
#include "storage/database.h"
#include "storage/group_commit.h"
#include "storage/sqlite/audit_chain.h"
#include "storage/sqlite/case_no_mark.h"
#include "storage/sqlite/session.h"
#include "storage/store.h"

namespace gongkai::storage {

class SqliteTables;

// Where the audit key and the anchor file live (storage/sqlite/audit_chain.h).
struct AuditOptions {
  // The audit key file, created (0600) when missing for a database that has
  // no key yet. Empty: no key, which only a database that was never keyed
  // accepts (tests, tools).
  std::string key_path;
  // The append-only anchor file of committed chain heads; needed with a key.
  std::string anchor_path;
  // For a keyed database whose key or anchor is missing or another: start a
  // new key segment and anchor from the current heads, recorded in the
  // audit trail, instead of refusing to open. Rows linked with a lost key
  // can then no longer be checked.
  bool reanchor = false;
};

class SqliteStore : public Store {
 public:
  // Opens or creates the database at `path`, checks its integrity, brings
  // its schema up to date, sets up the keyed audit chain (`audit`) and
  // reads the case-number mark beside it (CaseNoMark::PathFor(path); a
  // damaged one is refused with FAILED_PRECONDITION).
  // FAILED_PRECONDITION when the database is keyed and its key or anchor is
  // missing or another (unless audit.reanchor). From then on it watches that
  // `path` still names the file open: once it is deleted or replaced, every
  // write fails with FAILED_PRECONDITION saying so (see FileIdentity).
  static absl::StatusOr<std::unique_ptr<SqliteStore>> Open(
      const std::string& path, const AuditOptions& audit = {});
  ~SqliteStore() override;

  // Writes committed so far, and the transactions that carried them.
  std::pair<int64_t, int64_t> WriteStats() const {
    return {writes_.jobs(), writes_.batches()};
  }
  // Writes waiting for the batch in progress to commit.
  size_t WritesWaiting() const { return writes_.waiting(); }

  // OK while the database path names the file open; the reason otherwise.
  // Cheap (one stat) and callable without waiting for the connection, e.g.
  // from a health check or a timer.
  absl::Status CheckFile() const { return file_->Check(); }
  // What the database path named at open (device and inode): the identity
  // the daemon's lock and its messages go by.
  const FileIdentity& file_identity() const { return *file_; }

  absl::Status Write(absl::FunctionRef<absl::Status(Tables&)> body) override
      ABSL_LOCKS_EXCLUDED(mu_);
  absl::Status Read(absl::FunctionRef<absl::Status(Tables&)> body) override
      ABSL_LOCKS_EXCLUDED(mu_);
  // On a second, read-only use of the file, opened on first use, with
  // caches of its own (a snapshot older than a write's commit must never
  // refill the caches the calls use). WAL lets it read while the main
  // connection writes; it sees every transaction committed before its own
  // began.
  absl::Status ReadInBackground(absl::FunctionRef<absl::Status(Tables&)> body)
      override ABSL_LOCKS_EXCLUDED(background_mu_);
  // Creates `path` (mode 0660 less the umask's bits: the daemon's umask
  // makes it 0600, or 0660 with group access; O_EXCL|O_NOFOLLOW: an
  // existing file or any symlink there, even a dangling one, is refused
  // with ALREADY_EXISTS) and copies the database into it; a failed copy
  // removes the file it created.
  absl::Status Backup(const std::string& path) override
      ABSL_LOCKS_EXCLUDED(mu_);
  // The database checked against itself (see IntegrityReport), preceded by
  // the file check: a database file deleted or replaced under us is
  // reported as the problem. Runs on a connection of its own
  // (storage/sqlite/integrity.h): calls go on being served meanwhile.
  absl::StatusOr<IntegrityReport> CheckIntegrity() override
      ABSL_LOCKS_EXCLUDED(mu_);
  // Ends the integrity checks in progress (they return CANCELLED) and those
  // begun from now on: for a daemon shutting down, which should not wait
  // for a check of the whole file.
  void StopIntegrityChecks() override { stop_checks_ = true; }

 private:
  explicit SqliteStore(std::unique_ptr<Database> db);

  // Runs `body` on the tables in `mode`; the transaction is the caller's.
  absl::Status RunBody(Session::Mode mode,
                       absl::FunctionRef<absl::Status(Tables&)> body)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // After each write batch, committed or not: drops the caches it touched
  // and, after a bulk import, hands the checkpoint to the checkpointer.
  void AfterBatch() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const std::string path_;
  std::atomic<bool> stop_checks_{false};  // StopIntegrityChecks()
  mutable absl::Mutex mu_;                // guards the connection
  const std::unique_ptr<Database> db_ ABSL_PT_GUARDED_BY(mu_);
  // The database's FileIdentity (owned by db_, which lives as long as we
  // do); thread-safe on its own, so used without mu_.
  const FileIdentity* const file_;
  SqliteCaches caches_;  // thread-safe on its own
  Session session_ ABSL_GUARDED_BY(mu_);
  // ReadInBackground's connection and tables; null until first used.
  absl::Mutex background_mu_ ABSL_ACQUIRED_AFTER(mu_);
  std::unique_ptr<Database> background_db_ ABSL_GUARDED_BY(background_mu_);
  SqliteCaches background_caches_;  // thread-safe on its own
  std::unique_ptr<Session> background_session_ ABSL_GUARDED_BY(background_mu_);
  std::unique_ptr<SqliteTables> background_tables_
      ABSL_GUARDED_BY(background_mu_);
  const std::unique_ptr<SqliteTables> tables_ ABSL_PT_GUARDED_BY(mu_);
  std::unique_ptr<Checkpointer> checkpointer_;  // may be null; set in Open
  // Set in Open when the chain is keyed; the session points at the key.
  std::unique_ptr<AuditKey> audit_key_;
  std::unique_ptr<AuditAnchor> anchor_ ABSL_GUARDED_BY(mu_);
  // Set in Open; the session points at it.
  std::unique_ptr<CaseNoMark> case_no_mark_ ABSL_GUARDED_BY(mu_);
  // Why the last anchoring failed ("" when it did not): reported by
  // CheckIntegrity, since the write it followed is committed already.
  std::string anchor_failure_ ABSL_GUARDED_BY(mu_);
  GroupCommit writes_;
};

}  // namespace gongkai::storage

#endif  // GONGKAI_STORAGE_SQLITE_STORE_H_

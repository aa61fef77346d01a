// PgStore: the Store on a PostgreSQL 15 database (or one speaking its
// protocol), shared by several gongkaid replicas.
//
// Each Store::Write is one READ COMMITTED transaction on a connection of its
// own, taken from a small pool (one connection per concurrent caller, at
// most PgOptions::connections; more callers wait for one). Its first
// statement takes the database-wide write lock (a transaction-scoped
// advisory lock), so that the writes of every replica run one after another
// as SQLite's do:
//   - every check a body makes on what it read holds until it commits;
//   - the audit chain's head, the case-number counters and the document
//     numbers are read and moved by one transaction at a time (the counter
//     rows are locked FOR UPDATE as well, for any other writer);
//   - no two gongkai writes wait for each other's row locks, so there are
//     no deadlocks and no serialization failures, and a body is never run
//     twice: bodies move their inputs (a ledger import) and may not be
//     re-run.
// A body that fails, or a transaction PostgreSQL refuses, is rolled back:
// a refused write changes nothing. The transaction's id is read at its start;
// if the connection is lost during COMMIT the store reconnects and asks the
// server whether that transaction committed, so a write that committed is
// never reported as failed.
//
// Each Store::Read is one REPEATABLE READ READ ONLY transaction: one
// snapshot, without the write lock. Nothing is cached between transactions
// (another replica may have changed anything).
//
// A connection found lost (before a transaction or after one failed) is
// reconnected, and the store logs that it did. Backup is pg_dump's job and
// refused here; CheckIntegrity checks the schema (tables, the append-only
// triggers), the audit chain, every case against its history and the kept
// report counts.
//
// Thread safety: every method may be called from any thread; bodies run on
// the caller's thread.
#ifndef GONGKAI_STORAGE_POSTGRES_PG_STORE_H_
#define GONGKAI_STORAGE_POSTGRES_PG_STORE_H_

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "storage/postgres/pg_connection.h"
#include "storage/sqlite/audit_chain.h"
#include "storage/store.h"

namespace gongkai::storage {

struct PgOptions {
  // Most connections open at once (concurrent transactions of this store).
  int connections = 8;
  // The audit key file (storage/sqlite/audit_chain.h), created (0600) for a
  // database that was never keyed. Empty: no key, which only a database
  // that was never keyed accepts.
  std::string audit_key_path;
  // For a keyed database whose key is missing or another: start a new key
  // segment, recorded in the audit trail, instead of refusing to open.
  bool reanchor_audit = false;
  // Where the store says what it did beside the calls (reconnects); null:
  // standard error.
  std::function<void(const std::string&)> log;
};

class PgStore : public Store {
 public:
  // Connects to `url` (postgresql://… or postgres://…), brings the schema
  // up to date and sets up the audit key. UNAVAILABLE when the server
  // cannot be reached; FAILED_PRECONDITION for a database of another
  // application, a newer schema, or a keyed database without its key.
  static absl::StatusOr<std::unique_ptr<PgStore>> Open(const std::string& url,
                                                       PgOptions options = {});
  ~PgStore() override;

  absl::Status Write(absl::FunctionRef<absl::Status(Tables&)> body) override;
  absl::Status Read(absl::FunctionRef<absl::Status(Tables&)> body) override;
  // FAILED_PRECONDITION: a PostgreSQL database is backed up with pg_dump
  // (or the server's own base backups), not through gongkaid.
  absl::Status Backup(const std::string& path) override;
  absl::StatusOr<IntegrityReport> CheckIntegrity() override;

  // The database URL, password left out.
  std::string description() const { return RedactPostgresUrl(url_); }
  // Connections lost and made again so far.
  int64_t reconnects() const ABSL_LOCKS_EXCLUDED(mu_);

 private:
  PgStore(std::string url, PgOptions options);

  // A connection for one transaction: an idle one, a new one below the
  // limit, or the next one given back.
  absl::StatusOr<std::unique_ptr<PgConnection>> Acquire()
      ABSL_LOCKS_EXCLUDED(mu_);
  void Release(std::unique_ptr<PgConnection> conn) ABSL_LOCKS_EXCLUDED(mu_);
  // Starts a transaction with `begin`; a connection found lost is made
  // again once (nothing of the caller's has run yet).
  absl::Status Begin(PgConnection& conn, const std::string& begin)
      ABSL_LOCKS_EXCLUDED(mu_);
  absl::Status ReconnectLogged(PgConnection& conn, const absl::Status& why)
      ABSL_LOCKS_EXCLUDED(mu_);
  void Log(const std::string& line) const;

  const std::string url_;
  const PgOptions options_;
  std::unique_ptr<AuditKey> audit_key_;  // set in Open; null: unkeyed

  mutable absl::Mutex mu_;
  std::vector<std::unique_ptr<PgConnection>> idle_ ABSL_GUARDED_BY(mu_);
  int open_ ABSL_GUARDED_BY(mu_) = 0;  // connections made and not closed
  int64_t reconnects_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace gongkai::storage

#endif  // GONGKAI_STORAGE_POSTGRES_PG_STORE_H_

#include "storage/postgres/pg_store.h"

#include <climits>
#include <iostream>
#include <map>
#include <set>

#include "absl/cleanup/cleanup.h"
#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "domain/case_history.h"
#include "storage/postgres/pg_audit.h"
#include "storage/postgres/pg_rows.h"
#include "storage/postgres/pg_schema.h"
#include "storage/postgres/pg_session.h"
#include "storage/postgres/pg_tables.h"
#include "storage/sqlite/case_table.h"
#include "storage/sqlite/history_check.h"
#include "storage/sqlite/rows.h"

namespace gongkai::storage {
namespace {

// pg_advisory_xact_lock key of gongkai's writes ("gk-write").
constexpr int64_t kWriteLock = 0x676b2d7772697465;

constexpr char kBeginWrite[] = "BEGIN ISOLATION LEVEL READ COMMITTED";
constexpr char kBeginRead[] = "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY";

IntegrityProblem Problem(std::string subject, std::string message) {
  IntegrityProblem p;
  p.subject = std::move(subject);
  p.message = std::move(message);
  return p;
}

absl::Status CheckSchema(PgConnection& db, IntegrityReport& report) {
  ASSIGN_OR_RETURN(int version, PgSchemaVersion(db));
  const int latest = PgSchemaMigrations().back().version;
  if (version != latest) {
    report.problems.push_back(Problem(
        "schema",
        absl::StrCat("is at version ", version, ", expected ", latest)));
  }
  // Every append-only trigger must be there and enabled: a dropped or
  // disabled one lets the table it protects be changed unseen.
  ASSIGN_OR_RETURN(
      PgStmt s,
      db.Prepare("SELECT c.relname, t.tgname, t.tgenabled FROM pg_trigger t "
                 "JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON "
                 "n.oid = c.relnamespace WHERE n.nspname = current_schema() "
                 "AND NOT t.tgisinternal"));
  std::map<std::pair<std::string, std::string>, std::string> have;
  while (true) {
    ASSIGN_OR_RETURN(bool row, s->Step());
    if (!row) break;
    have[{s->ColumnText(0), s->ColumnText(1)}] = s->ColumnText(2);
  }
  for (const auto& [table, trigger] : PgAppendOnlyTriggers()) {
    auto it = have.find({table, trigger});
    const std::string subject = absl::StrCat("schema trigger ", trigger);
    if (it == have.end()) {
      report.problems.push_back(Problem(
          subject, absl::StrCat("is missing: it was dropped outside gongkai, "
                                "and ",
                                table, " could be changed unseen")));
    } else if (it->second == "D") {
      report.problems.push_back(Problem(
          subject,
          absl::StrCat("is disabled: ", table, " could be changed unseen")));
    }
  }
  return absl::OkStatus();
}

// Loads or creates the audit key and starts a keyed segment when the
// database has none with it (see PgOptions). Runs under the write lock.
absl::StatusOr<std::unique_ptr<AuditKey>> SetUpAuditKey(
    PgConnection& conn, const PgOptions& options) {
  ASSIGN_OR_RETURN(std::optional<std::string> current,
                   PgCurrentAuditKeyId(conn));
  const std::string where = RedactPostgresUrl(conn.url());
  if (options.audit_key_path.empty()) {
    if (current) {
      return absl::FailedPreconditionError(
          absl::StrCat("the audit trail of ", where, " is keyed (audit key ",
                       *current, "); open it with its audit key"));
    }
    return std::unique_ptr<AuditKey>();
  }
  std::string note;
  absl::StatusOr<AuditKey> key = AuditKey::Load(options.audit_key_path);
  if (absl::IsNotFound(key.status())) {
    if (current && !options.reanchor_audit) {
      return absl::FailedPreconditionError(absl::StrCat(
          "the audit trail of ", where, " is keyed (audit key ", *current,
          ") but its key ", options.audit_key_path,
          " is missing; copy the key file from another replica or its "
          "backup, or start once with --reanchor-audit to begin a new key"));
    }
    ASSIGN_OR_RETURN(key, AuditKey::Create(options.audit_key_path));
    note = current ? absl::StrCat("the audit key ", *current,
                                  " was missing; a new key was made "
                                  "(--reanchor-audit)")
                   : "audit key taken into use";
  } else if (!key.ok()) {
    return key.status();
  } else if (current && *current != key->id()) {
    if (!options.reanchor_audit) {
      return absl::FailedPreconditionError(
          absl::StrCat("the audit key ", options.audit_key_path, " (",
                       key->id(), ") is not the key of ", where, " (", *current,
                       "); every replica needs the same key file"));
    }
    note = absl::StrCat("the audit key changed from ", *current, " to ",
                        key->id(), " (--reanchor-audit)");
  } else if (!current) {
    note = "audit key taken into use";
  }
  auto owned = std::make_unique<AuditKey>(*std::move(key));
  if (!note.empty()) {
    RETURN_IF_ERROR(PgStartKeyedSegment(conn, *owned, note, absl::Now()));
  }
  return owned;
}

}  // namespace

PgStore::PgStore(std::string url, PgOptions options)
    : url_(std::move(url)), options_(std::move(options)) {}

PgStore::~PgStore() = default;

absl::StatusOr<std::unique_ptr<PgStore>> PgStore::Open(const std::string& url,
                                                       PgOptions options) {
  if (options.connections < 1) options.connections = 1;
  ASSIGN_OR_RETURN(std::unique_ptr<PgConnection> conn, PgConnection::Open(url));
  RETURN_IF_ERROR(PgMigrate(*conn));
  std::unique_ptr<PgStore> store(new PgStore(url, std::move(options)));
  // The key is set up under the write lock: replicas starting together
  // start one segment.
  RETURN_IF_ERROR(conn->Execute(kBeginWrite));
  absl::StatusOr<std::unique_ptr<AuditKey>> key = [&] {
    absl::Status locked = conn->Execute(
        absl::StrCat("SELECT pg_advisory_xact_lock(", kWriteLock, ")"));
    if (!locked.ok()) return absl::StatusOr<std::unique_ptr<AuditKey>>(locked);
    return SetUpAuditKey(*conn, store->options_);
  }();
  if (!key.ok()) {
    (void)conn->Execute("ROLLBACK");
    return key.status();
  }
  RETURN_IF_ERROR(conn->Execute("COMMIT"));
  store->audit_key_ = *std::move(key);
  {
    absl::MutexLock lock(&store->mu_);
    store->open_ = 1;
    store->idle_.push_back(std::move(conn));
  }
  return store;
}

void PgStore::Log(const std::string& line) const {
  if (options_.log) {
    options_.log(line);
  } else {
    std::cerr << line << std::endl;
  }
}

int64_t PgStore::reconnects() const {
  absl::MutexLock lock(&mu_);
  return reconnects_;
}

absl::StatusOr<std::unique_ptr<PgConnection>> PgStore::Acquire() {
  {
    absl::MutexLock lock(&mu_);
    auto available = [this]() ABSL_SHARED_LOCKS_REQUIRED(mu_) {
      return !idle_.empty() || open_ < options_.connections;
    };
    mu_.Await(absl::Condition(&available));
    if (!idle_.empty()) {
      std::unique_ptr<PgConnection> conn = std::move(idle_.back());
      idle_.pop_back();
      return conn;
    }
    ++open_;  // this caller opens one; counted now so others wait
  }
  absl::StatusOr<std::unique_ptr<PgConnection>> conn = PgConnection::Open(url_);
  if (!conn.ok()) {
    absl::MutexLock lock(&mu_);
    --open_;
  }
  return conn;
}

void PgStore::Release(std::unique_ptr<PgConnection> conn) {
  absl::MutexLock lock(&mu_);
  idle_.push_back(std::move(conn));
}

absl::Status PgStore::ReconnectLogged(PgConnection& conn,
                                      const absl::Status& why) {
  Log(absl::StrCat("warning: lost the connection to PostgreSQL at ",
                   description(), " (", why.message(), "); reconnecting"));
  absl::Status s = conn.Reconnect();
  if (!s.ok()) {
    Log(absl::StrCat("error: ", s.message()));
    return s;
  }
  {
    absl::MutexLock lock(&mu_);
    ++reconnects_;
  }
  Log(absl::StrCat("reconnected to PostgreSQL at ", description()));
  return absl::OkStatus();
}

absl::Status PgStore::Begin(PgConnection& conn, const std::string& begin) {
  if (!conn.Healthy()) {
    RETURN_IF_ERROR(ReconnectLogged(
        conn, absl::UnavailableError("found closed before a transaction")));
  }
  absl::Status s = conn.Execute(begin);
  if (absl::IsUnavailable(s)) {
    // The server went away while the connection sat idle (a restart, a
    // failover): nothing of this transaction has run, so start it again.
    RETURN_IF_ERROR(ReconnectLogged(conn, s));
    s = conn.Execute(begin);
  }
  return s;
}

absl::Status PgStore::Write(absl::FunctionRef<absl::Status(Tables&)> body) {
  ASSIGN_OR_RETURN(std::unique_ptr<PgConnection> conn, Acquire());
  absl::Cleanup give_back = [&] { Release(std::move(conn)); };
  RETURN_IF_ERROR(Begin(*conn, absl::StrCat(kBeginWrite,
                                            "; SELECT "
                                            "pg_advisory_xact_lock(",
                                            kWriteLock, ")")));
  absl::StatusOr<std::string> xid =
      conn->QueryText("SELECT pg_current_xact_id()::text");
  absl::Status status = xid.status();
  if (status.ok()) {
    PgSession session(conn.get(), PgSession::Mode::kWrite, audit_key_.get());
    PgTables tables(&session);
    status = body(tables);
  }
  if (!status.ok()) {
    // Rolled back; a lost connection rolls back by itself and is made again
    // before its next transaction.
    if (conn->Healthy()) (void)conn->Execute("ROLLBACK");
    return status;
  }
  absl::Status committed = conn->Execute("COMMIT");
  if (committed.ok() || conn->Healthy()) return committed;
  // Lost during COMMIT: the transaction may or may not have committed. Ask
  // the server (pg_xact_status keeps the answer for recent transactions).
  RETURN_IF_ERROR(ReconnectLogged(*conn, committed));
  absl::StatusOr<std::string> outcome = conn->QueryText(
      absl::StrCat("SELECT pg_xact_status('", *xid, "'::xid8)"));
  if (outcome.ok() && *outcome == "committed") return absl::OkStatus();
  if (outcome.ok() && *outcome == "aborted") {
    return absl::UnavailableError(absl::StrCat(
        "the connection to PostgreSQL was lost at commit and the write was "
        "not committed: ",
        committed.message()));
  }
  return absl::UnavailableError(absl::StrCat(
      "the connection to PostgreSQL was lost at commit; whether transaction ",
      *xid, " committed is unknown: ", committed.message()));
}

absl::Status PgStore::Read(absl::FunctionRef<absl::Status(Tables&)> body) {
  ASSIGN_OR_RETURN(std::unique_ptr<PgConnection> conn, Acquire());
  absl::Cleanup give_back = [&] { Release(std::move(conn)); };
  RETURN_IF_ERROR(Begin(*conn, kBeginRead));
  PgSession session(conn.get(), PgSession::Mode::kRead, audit_key_.get());
  PgTables tables(&session);
  absl::Status status = body(tables);
  if (!conn->Healthy()) return status.ok() ? conn->Execute("COMMIT") : status;
  absl::Status ended = conn->Execute(status.ok() ? "COMMIT" : "ROLLBACK");
  return status.ok() ? ended : status;
}

absl::Status PgStore::Backup(const std::string& path) {
  return absl::FailedPreconditionError(absl::StrCat(
      "cannot back up ", description(), " to ", path,
      ": gongkaid backs up only SQLite files; back up a PostgreSQL database "
      "with pg_dump or the server's base backups"));
}

absl::StatusOr<IntegrityReport> PgStore::CheckIntegrity() {
  ASSIGN_OR_RETURN(std::unique_ptr<PgConnection> conn, Acquire());
  absl::Cleanup give_back = [&] { Release(std::move(conn)); };
  RETURN_IF_ERROR(Begin(*conn, kBeginRead));
  absl::Cleanup end = [&] { (void)conn->Execute("ROLLBACK"); };
  IntegrityReport report;
  RETURN_IF_ERROR(CheckSchema(*conn, report));
  ASSIGN_OR_RETURN(std::vector<std::string> breaks,
                   PgVerifyAuditChains(*conn, audit_key_.get()));
  for (std::string& b : breaks) {
    report.problems.push_back(Problem("audit chain", std::move(b)));
  }
  RETURN_IF_ERROR(CheckCasesAgainstHistory(*conn, report));
  return report;
}

}  // namespace gongkai::storage

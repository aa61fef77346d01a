#include "storage/sqlite_store.h"

#include <sqlite3.h>

#include "absl/cleanup/cleanup.h"
#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "storage/migrations.h"
#include "storage/sqlite/agency_table.h"
#include "storage/sqlite/alert_outbox.h"
#include "storage/sqlite/appeal_table.h"
#include "storage/sqlite/audit_log.h"
#include "storage/sqlite/calendar_table.h"
#include "storage/sqlite/case_table.h"
#include "storage/sqlite/report_table.h"
#include "storage/sqlite/user_table.h"

namespace gongkai::storage {

// Every table on the one connection, sharing its session.
class SqliteTables : public Tables {
 public:
  explicit SqliteTables(Session* session)
      : cases_(session),
        appeals_(session),
        reports_(session),
        users_(session),
        agencies_(session),
        audit_(session),
        calendar_(session),
        alerts_(session) {}

  CaseTable& cases() override { return cases_; }
  AppealTable& appeals() override { return appeals_; }
  ReportTable& reports() override { return reports_; }
  UserTable& users() override { return users_; }
  AgencyTable& agencies() override { return agencies_; }
  AuditLog& audit() override { return audit_; }
  CalendarTable& calendar() override { return calendar_; }
  AlertOutbox& alerts() override { return alerts_; }

 private:
  SqliteCaseTable cases_;
  SqliteAppealTable appeals_;
  SqliteReportTable reports_;
  SqliteUserTable users_;
  SqliteAgencyTable agencies_;
  SqliteAuditLog audit_;
  SqliteCalendarTable calendar_;
  SqliteAlertOutbox alerts_;
};

SqliteStore::SqliteStore(std::unique_ptr<Database> db)
    : db_(std::move(db)),
      session_(db_.get(), &caches_),
      tables_(std::make_unique<SqliteTables>(&session_)),
      writes_(db_.get(), &mu_, [this] {
        // GroupCommit calls this with the connection (mu_) held.
        mu_.AssertHeld();
        AfterBatch();
      }) {}

SqliteStore::~SqliteStore() = default;

absl::StatusOr<std::unique_ptr<SqliteStore>> SqliteStore::Open(
    const std::string& path) {
  ASSIGN_OR_RETURN(std::unique_ptr<Database> db, Database::Open(path));
  RETURN_IF_ERROR(Migrate(*db, SchemaMigrations()));
  std::unique_ptr<SqliteStore> store(new SqliteStore(std::move(db)));
  // Checkpoints after bulk imports run beside the writes (see Checkpointer);
  // without the helper the import's commit checkpoints, as SQLite does.
  absl::StatusOr<std::unique_ptr<Checkpointer>> checkpointer =
      Checkpointer::Start(path);
  if (checkpointer.ok()) {
    store->checkpointer_ = *std::move(checkpointer);
    absl::MutexLock lock(&store->mu_);
    store->session_.has_checkpointer = true;
  }
  return store;
}

absl::Status SqliteStore::RunBody(
    Session::Mode mode, absl::FunctionRef<absl::Status(Tables&)> body) {
  session_.set_mode(mode);
  // Even a body that throws leaves the session idle.
  absl::Cleanup idle = [this] {
    mu_.AssertHeld();  // runs at the end of this function
    session_.set_mode(Session::Mode::kIdle);
  };
  return body(*tables_);
}

absl::Status SqliteStore::Write(absl::FunctionRef<absl::Status(Tables&)> body) {
  return writes_.Run([&]() -> absl::Status {
    // GroupCommit runs jobs on the leader's thread with the connection held.
    mu_.AssertHeld();
    return RunBody(Session::Mode::kWrite, body);
  });
}

void SqliteStore::AfterBatch() {
  // The batch's transaction has ended: whatever its bodies read or wrote is
  // committed or gone, so a cache rebuilt from now on is current.
  if (session_.users_changed) caches_.users.Invalidate();
  if (session_.agencies_changed) caches_.agencies.Invalidate();
  if (session_.published_changed) {
    caches_.published.Invalidate();
    caches_.published_periods.Invalidate();
  }
  session_.users_changed = false;
  session_.agencies_changed = false;
  session_.published_changed = false;
  if (session_.bulk_import) {
    session_.bulk_import = false;
    // Failing to turn it back on leaves the log to the checkpointer alone,
    // which is safe; the next import tries again.
    (void)db_->Execute("PRAGMA wal_autocheckpoint=1000");
    if (checkpointer_ != nullptr) checkpointer_->Nudge();
  }
}

absl::Status SqliteStore::Read(absl::FunctionRef<absl::Status(Tables&)> body) {
  absl::MutexLock lock(&mu_);
  // Prepared BEGIN ... COMMIT: one snapshot, one read lock.
  ReadTransaction snapshot(db_.get());
  RETURN_IF_ERROR(snapshot.Begin());
  return RunBody(Session::Mode::kRead, body);
}

absl::Status SqliteStore::Backup(const std::string& path) {
  sqlite3* dest = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &dest,
                           SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
  if (rc != SQLITE_OK) {
    absl::Status st =
        SqliteError(rc, absl::StrCat("cannot create backup ", path), dest);
    sqlite3_close_v2(dest);
    return st;
  }
  sqlite3_backup* backup = nullptr;
  {
    absl::MutexLock lock(&mu_);
    backup = sqlite3_backup_init(dest, "main", db_->handle(), "main");
  }
  if (backup == nullptr) {
    absl::Status st = SqliteError(sqlite3_errcode(dest), "backup failed", dest);
    sqlite3_close_v2(dest);
    return st;
  }
  // Copy in steps and let writers in between; SQLite restarts the copy when
  // the source changes, so the file is one consistent snapshot.
  do {
    absl::MutexLock lock(&mu_);
    rc = sqlite3_backup_step(backup, 1024);
  } while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
  {
    absl::MutexLock lock(&mu_);
    sqlite3_backup_finish(backup);
  }
  absl::Status st = rc == SQLITE_DONE ? absl::OkStatus()
                                      : SqliteError(rc, "backup failed", dest);
  sqlite3_close_v2(dest);
  return st;
}

absl::StatusOr<std::string> SqliteStore::CheckIntegrity() {
  absl::MutexLock lock(&mu_);
  ASSIGN_OR_RETURN(ScopedStatement s, db_->Prepare("PRAGMA integrity_check"));
  std::string out;
  while (true) {
    ASSIGN_OR_RETURN(bool row, s->Step());
    if (!row) break;
    absl::StrAppend(&out, out.empty() ? "" : "\n", s->ColumnText(0));
  }
  return out;
}

}  // namespace gongkai::storage

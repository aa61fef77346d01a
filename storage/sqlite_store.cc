#include "storage/sqlite_store.h"

#include <fcntl.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

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
#include "storage/sqlite/document_table.h"
#include "storage/sqlite/integrity.h"
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
        alerts_(session),
        documents_(session) {}

  CaseTable& cases() override { return cases_; }
  AppealTable& appeals() override { return appeals_; }
  ReportTable& reports() override { return reports_; }
  UserTable& users() override { return users_; }
  AgencyTable& agencies() override { return agencies_; }
  AuditLog& audit() override { return audit_; }
  CalendarTable& calendar() override { return calendar_; }
  AlertOutbox& alerts() override { return alerts_; }
  DocumentTable& documents() override { return documents_; }

 private:
  SqliteCaseTable cases_;
  SqliteAppealTable appeals_;
  SqliteReportTable reports_;
  SqliteUserTable users_;
  SqliteAgencyTable agencies_;
  SqliteAuditLog audit_;
  SqliteCalendarTable calendar_;
  SqliteAlertOutbox alerts_;
  SqliteDocumentTable documents_;
};

SqliteStore::SqliteStore(std::unique_ptr<Database> db)
    : path_(db->path()),
      db_(std::move(db)),
      file_(db_->file_identity()),
      session_(db_.get(), &caches_),
      tables_(std::make_unique<SqliteTables>(&session_)),
      writes_(db_.get(), &mu_, [this] {
        // GroupCommit calls this with the connection (mu_) held.
        mu_.AssertHeld();
        AfterBatch();
      }) {}

SqliteStore::~SqliteStore() = default;

namespace {

bool FileExists(const std::string& path) {
  struct stat st;
  return lstat(path.c_str(), &st) == 0;
}

// Loads (or, for a database without one, creates) the audit key and starts
// a new keyed segment when the database has none with this key (then sets
// `*new_segment`). Returns the key.
absl::StatusOr<std::unique_ptr<AuditKey>> SetUpAuditKey(
    Database& db, const AuditOptions& audit, bool* new_segment) {
  if (audit.anchor_path.empty()) {
    return absl::InvalidArgumentError("an audit key needs an anchor file");
  }
  ASSIGN_OR_RETURN(std::optional<std::string> current, CurrentAuditKeyId(db));
  const std::string name =
      current ? absl::StrCat(" (audit key ", *current, ")") : "";
  std::string note;
  absl::StatusOr<AuditKey> key = AuditKey::Load(audit.key_path);
  if (absl::IsNotFound(key.status())) {
    if (current && !audit.reanchor) {
      return absl::FailedPreconditionError(absl::StrCat(
          "the audit trail of ", db.path(), " is keyed", name, " but its key ",
          audit.key_path,
          " is missing; restore the key file from its backup, or start once "
          "with --reanchor-audit to begin a new key (the events linked with "
          "the lost key can then no longer be checked)"));
    }
    ASSIGN_OR_RETURN(key, AuditKey::Create(audit.key_path));
    ASSIGN_OR_RETURN(AuditHeads heads, ReadAuditHeads(db));
    if (current) {
      note = absl::StrCat("the audit key ", *current,
                          " was missing; a new key was made "
                          "(--reanchor-audit)");
    } else if (heads.case_event_id == 0 && heads.record_event_id == 0) {
      note = "audit key made for a new database";
    } else {
      note = "audit key made; the events before this one carry unkeyed links";
    }
  } else if (!key.ok()) {
    return key.status();
  } else if (current && *current != key->id()) {
    if (!audit.reanchor) {
      return absl::FailedPreconditionError(absl::StrCat(
          "the audit key ", audit.key_path, " (", key->id(),
          ") is not the key of ", db.path(), name,
          "; give the right --audit-key, or start once with --reanchor-audit "
          "to go on with this key"));
    }
    note = absl::StrCat("the audit key changed from ", *current, " to ",
                        key->id(), " (--reanchor-audit)");
  } else if (!current) {
    // A key but a database without segments: a key made just before a
    // crash, or an existing key given to an older database. A database
    // whose anchor already holds heads of this key was keyed, though, and
    // lost its record of it (the audit_keys rows were removed).
    absl::StatusOr<AnchorContents> anchored =
        ReadAuditAnchor(audit.anchor_path, *key);
    if (anchored.ok() && !anchored->heads.empty() && !audit.reanchor) {
      return absl::FailedPreconditionError(absl::StrCat(
          "the audit anchor ", audit.anchor_path,
          " records a keyed audit trail but ", db.path(),
          " has no record of its key: the database was altered; see "
          "gongkai admin verify-audit (or --reanchor-audit to go on)"));
    }
    note =
        "audit key taken into use; events before this one carry unkeyed "
        "links";
  } else if (!FileExists(audit.anchor_path)) {
    if (!audit.reanchor) {
      return absl::FailedPreconditionError(absl::StrCat(
          "the audit anchor ", audit.anchor_path, " of ", db.path(),
          " is missing; restore it, or start once with --reanchor-audit to "
          "anchor the audit trail anew from its current end (a tail cut off "
          "before then would not be seen)"));
    }
    note =
        "the audit anchor was missing and was begun anew "
        "(--reanchor-audit)";
  }
  auto owned = std::make_unique<AuditKey>(*std::move(key));
  if (!note.empty()) {
    Transaction txn(&db);
    RETURN_IF_ERROR(txn.Begin());
    RETURN_IF_ERROR(StartKeyedSegment(db, *owned, note, absl::Now()));
    RETURN_IF_ERROR(txn.Commit());
    *new_segment = true;
  }
  return owned;
}

}  // namespace

absl::StatusOr<std::unique_ptr<SqliteStore>> SqliteStore::Open(
    const std::string& path, const AuditOptions& audit) {
  OpenOptions options;
  options.watch_file = true;
  // Bounded, so that a start takes the same time on a million cases as on
  // ten: the full check is CheckIntegrity's.
  options.unbounded_tables = TablesThatGrow();
  ASSIGN_OR_RETURN(std::unique_ptr<Database> db, Database::Open(path, options));
  RETURN_IF_ERROR(Migrate(*db, SchemaMigrations()));
  std::unique_ptr<AuditKey> key;
  std::unique_ptr<AuditAnchor> anchor;
  if (audit.key_path.empty()) {
    ASSIGN_OR_RETURN(std::optional<std::string> current,
                     CurrentAuditKeyId(*db));
    if (current) {
      return absl::FailedPreconditionError(
          absl::StrCat("the audit trail of ", path, " is keyed (audit key ",
                       *current, "); open it with its audit key"));
    }
  } else {
    bool new_segment = false;
    ASSIGN_OR_RETURN(key, SetUpAuditKey(*db, audit, &new_segment));
    ASSIGN_OR_RETURN(anchor, AuditAnchor::Open(audit.anchor_path, key.get()));
    // Only a segment begun now is anchored at once; heads found on opening
    // are not vouched for (they may be someone's edit), only checked.
    if (new_segment) {
      ASSIGN_OR_RETURN(AuditHeads heads, ReadAuditHeads(*db));
      RETURN_IF_ERROR(anchor->Append(heads));
    }
  }
  ASSIGN_OR_RETURN(std::unique_ptr<CaseNoMark> case_no_mark,
                   CaseNoMark::Open(CaseNoMark::PathFor(path)));
  std::unique_ptr<SqliteStore> store(new SqliteStore(std::move(db)));
  store->audit_key_ = std::move(key);
  {
    absl::MutexLock lock(&store->mu_);
    store->anchor_ = std::move(anchor);
    store->case_no_mark_ = std::move(case_no_mark);
    store->session_.case_no_mark = store->case_no_mark_.get();
    store->session_.audit_key = store->audit_key_.get();
    store->session_.anchor_path =
        audit.key_path.empty() ? "" : audit.anchor_path;
  }
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
  std::vector<CaseNoMark::Raised> raised;
  absl::Status status = writes_.Run([&]() -> absl::Status {
    // GroupCommit runs jobs on the leader's thread with the connection held.
    mu_.AssertHeld();
    absl::Status s = RunBody(Session::Mode::kWrite, body);
    raised = std::move(session_.case_no_raised);
    session_.case_no_raised.clear();
    return s;
  });
  // Run() failing means the body's changes are rolled back: the numbers it
  // took were never issued, so the mark may forget them again.
  if (!status.ok() && !raised.empty()) {
    absl::MutexLock lock(&mu_);
    if (case_no_mark_ != nullptr) case_no_mark_->Undo(raised);
  }
  return status;
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
  if (session_.audit_appended && anchor_ != nullptr) {
    // The heads as committed (a batch that failed leaves the earlier ones,
    // which the anchor has already). Before the writers are answered: an
    // acknowledged event is anchored unless this fails.
    absl::StatusOr<AuditHeads> heads = ReadAuditHeads(*db_);
    absl::Status anchored =
        heads.ok() ? anchor_->Append(*heads) : heads.status();
    if (!anchored.ok()) anchor_failure_ = std::string(anchored.message());
  }
  session_.audit_appended = false;
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

absl::Status SqliteStore::ReadInBackground(
    absl::FunctionRef<absl::Status(Tables&)> body) {
  absl::MutexLock lock(&background_mu_);
  if (background_db_ == nullptr) {
    OpenOptions options;
    options.must_exist = true;
    options.check_integrity = false;  // the main connection's open did
    ASSIGN_OR_RETURN(background_db_, Database::Open(path_, options));
    background_session_ =
        std::make_unique<Session>(background_db_.get(), &background_caches_);
    background_tables_ =
        std::make_unique<SqliteTables>(background_session_.get());
  }
  ReadTransaction snapshot(background_db_.get());
  RETURN_IF_ERROR(snapshot.Begin());
  background_session_->set_mode(Session::Mode::kRead);
  absl::Status status = body(*background_tables_);
  background_session_->set_mode(Session::Mode::kIdle);
  return status;
}

absl::Status SqliteStore::Backup(const std::string& path) {
  // Our own descriptor makes the file: O_EXCL refuses anything already at
  // the path, O_NOFOLLOW (implied by O_EXCL, said for the reader) a
  // symlink, even one pointing nowhere, so a backup never overwrites or
  // lands outside where it was asked to go.
  const int fd = open(path.c_str(),
                      O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0660);
  if (fd < 0) {
    const int e = errno;
    if (e == EEXIST) {
      return absl::AlreadyExistsError(absl::StrCat(
          "cannot create backup ", path,
          ": something already exists there (a file or a symbolic link); "
          "choose a new name, no backup overwrites anything"));
    }
    return absl::FailedPreconditionError(
        absl::StrCat("cannot create backup ", path, ": ", strerror(e)));
  }
  struct stat created;
  fstat(fd, &created);
  bool keep = false;
  // Closed (and the file removed unless the copy succeeded) after SQLite's
  // connection: closing a descriptor drops the process's POSIX locks on
  // the file, SQLite's included.
  sqlite3* dest = nullptr;
  absl::Cleanup cleanup = [&] {
    sqlite3_close_v2(dest);
    if (!keep) unlink(path.c_str());
    close(fd);
  };
  int rc =
      sqlite3_open_v2(path.c_str(), &dest,
                      SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOFOLLOW, nullptr);
  if (rc != SQLITE_OK) {
    return SqliteError(rc, absl::StrCat("cannot create backup ", path), dest);
  }
  // SQLite opened the path again: it must be the file we created.
  struct stat opened;
  int moved = 0;
  if (stat(path.c_str(), &opened) != 0 || opened.st_dev != created.st_dev ||
      opened.st_ino != created.st_ino ||
      sqlite3_file_control(dest, "main", SQLITE_FCNTL_HAS_MOVED, &moved) !=
          SQLITE_OK ||
      moved != 0) {
    keep = true;  // not ours to remove any more
    return absl::FailedPreconditionError(absl::StrCat(
        "the backup file ", path,
        " was replaced while it was being made; nothing was written"));
  }
  // No journal beside the copy: a copy that fails is removed whole.
  if (char* error = nullptr;
      sqlite3_exec(dest, "PRAGMA journal_mode=OFF", nullptr, nullptr, &error) !=
      SQLITE_OK) {
    sqlite3_free(error);
    return SqliteError(sqlite3_errcode(dest), "backup failed", dest);
  }
  sqlite3_backup* backup = nullptr;
  {
    absl::MutexLock lock(&mu_);
    backup = sqlite3_backup_init(dest, "main", db_->handle(), "main");
  }
  if (backup == nullptr) {
    return SqliteError(sqlite3_errcode(dest), "backup failed", dest);
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
  if (rc != SQLITE_DONE) return SqliteError(rc, "backup failed", dest);
  // On disk before it is reported made.
  if (fsync(fd) != 0) {
    return absl::UnavailableError(absl::StrCat("cannot write backup ", path,
                                               " to disk: ", strerror(errno)));
  }
  keep = true;
  return absl::OkStatus();
}

absl::StatusOr<IntegrityReport> SqliteStore::CheckIntegrity() {
  if (absl::Status file = CheckFile(); !file.ok()) {
    IntegrityReport report;
    report.problems.push_back(IntegrityProblem{"database file", "", "", "",
                                               std::string(file.message())});
    return report;
  }
  // On a connection of its own: the check reads the whole file, and calls
  // are served meanwhile.
  ASSIGN_OR_RETURN(IntegrityReport report,
                   CheckDatabaseFile(path_, *file_, &stop_checks_));
  absl::MutexLock lock(&mu_);
  if (!anchor_failure_.empty()) {
    report.problems.push_back(IntegrityProblem{
        "audit anchor", "", "", "",
        absl::StrCat("the last anchoring of the audit trail failed: ",
                     anchor_failure_)});
  }
  return report;
}

}  // namespace gongkai::storage

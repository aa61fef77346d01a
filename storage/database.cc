#include "storage/database.h"

#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "common/status_macros.h"
#include "storage/sqlite/case_text.h"

namespace gongkai::storage {

absl::Status SqliteError(int code, absl::string_view context, sqlite3* db) {
  std::string detail =
      db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(code);
  std::string message = absl::StrCat(context, ": ", detail);
  switch (code & 0xFF) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return absl::UnavailableError(message);
    case SQLITE_FULL:
      return absl::ResourceExhaustedError(
          absl::StrCat(message, " (the disk is full)"));
    case SQLITE_READONLY:
    case SQLITE_PERM:
    case SQLITE_CANTOPEN:
      return absl::FailedPreconditionError(message);
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return absl::DataLossError(message);
    case SQLITE_CONSTRAINT:
      return absl::FailedPreconditionError(message);
    case SQLITE_IOERR:
      return absl::UnavailableError(absl::StrCat(
          message,
          " (the database file could not be written: is the disk "
          "full or read-only? Nothing was saved; try again once it "
          "is fixed)"));
    default:
      return absl::InternalError(message);
  }
}

absl::StatusOr<std::unique_ptr<FileIdentity>> FileIdentity::Of(
    const std::string& path) {
  struct stat st;
  if (stat(path.c_str(), &st) != 0) {
    return absl::FailedPreconditionError(absl::StrCat(
        "cannot stat the database file ", path, ": ", strerror(errno)));
  }
  return std::unique_ptr<FileIdentity>(
      new FileIdentity(path, static_cast<uint64_t>(st.st_dev),
                       static_cast<uint64_t>(st.st_ino)));
}

absl::Status FileIdentity::Check() const {
  {
    absl::MutexLock lock(&mu_);
    if (!failed_.ok()) return failed_;
  }
  struct stat st;
  std::string what;
  if (stat(path_.c_str(), &st) != 0) {
    what = errno == ENOENT || errno == ENOTDIR
               ? absl::StrCat(path_, " no longer exists")
               : absl::StrCat(path_, " cannot be examined (", strerror(errno),
                              ")");
  } else if (static_cast<uint64_t>(st.st_dev) != device_ ||
             static_cast<uint64_t>(st.st_ino) != inode_) {
    what = absl::StrCat(path_, " now names another file (device ", st.st_dev,
                        " inode ", st.st_ino, ", not device ", device_,
                        " inode ", inode_, ")");
  } else {
    return absl::OkStatus();
  }
  std::function<void(const absl::Status&)> notify;
  absl::Status failed;
  {
    absl::MutexLock lock(&mu_);
    if (failed_.ok()) {
      failed_ = absl::FailedPreconditionError(absl::StrCat(
          "the database file was deleted or replaced: ", what,
          "; writes are refused, since nobody would ever read them. Stop "
          "gongkaid, put the right file back (or restore a backup) and "
          "start it again"));
      notify = on_failure_;
    }
    failed = failed_;
  }
  if (notify) notify(failed);
  return failed;
}

void FileIdentity::OnFailure(
    std::function<void(const absl::Status&)> handler) const {
  absl::Status failed;
  {
    absl::MutexLock lock(&mu_);
    on_failure_ = handler;
    failed = failed_;
  }
  if (!failed.ok() && handler) handler(failed);
}

Statement::~Statement() { sqlite3_finalize(stmt_); }

void Statement::CheckBind(int rc, int index) {
  if (rc == SQLITE_OK || !bind_error_.ok()) return;
  bind_error_ = SqliteError(rc,
                            absl::StrCat("cannot bind parameter ", index,
                                         " of \"", sqlite3_sql(stmt_), "\""),
                            db_);
}

void Statement::BindInt(int index, int64_t value) {
  CheckBind(sqlite3_bind_int64(stmt_, index, value), index);
}

void Statement::BindText(int index, absl::string_view value) {
  CheckBind(sqlite3_bind_text64(stmt_, index, value.data(), value.size(),
                                SQLITE_TRANSIENT, SQLITE_UTF8),
            index);
}

void Statement::BindBlob(int index, absl::string_view bytes) {
  CheckBind(sqlite3_bind_blob64(stmt_, index, bytes.data(), bytes.size(),
                                SQLITE_TRANSIENT),
            index);
}

void Statement::BindNull(int index) {
  CheckBind(sqlite3_bind_null(stmt_, index), index);
}

void Statement::BindOptionalText(int index,
                                 const std::optional<std::string>& value) {
  if (value.has_value()) {
    BindText(index, *value);
  } else {
    BindNull(index);
  }
}

absl::StatusOr<bool> Statement::Step() {
  // A statement with a missing or wrong parameter must not run at all.
  if (!bind_error_.ok()) return bind_error_;
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return SqliteError(rc, "database statement failed", db_);
}

absl::Status Statement::Run() {
  ASSIGN_OR_RETURN(bool row, Step());
  (void)row;
  return absl::OkStatus();
}

bool Statement::IsNull(int column) const {
  return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
}

int64_t Statement::ColumnInt(int column) const {
  return sqlite3_column_int64(stmt_, column);
}

std::string Statement::ColumnText(int column) const {
  const unsigned char* text = sqlite3_column_text(stmt_, column);
  if (text == nullptr) return "";
  return std::string(reinterpret_cast<const char*>(text),
                     sqlite3_column_bytes(stmt_, column));
}

std::string Statement::ColumnBlob(int column) const {
  const void* data = sqlite3_column_blob(stmt_, column);
  if (data == nullptr) return "";
  return std::string(static_cast<const char*>(data),
                     sqlite3_column_bytes(stmt_, column));
}

void Statement::Reset() {
  bind_error_ = absl::OkStatus();
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

absl::StatusOr<std::unique_ptr<Database>> Database::Open(
    const std::string& path, const OpenOptions& options) {
  // SQLite's memory statistics take a process-wide mutex on every allocation;
  // nothing here reads them. (Only possible before SQLite starts up; a
  // program that used SQLite already keeps them, harmlessly.)
  static const bool kConfigured = [] {
    return sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0) == SQLITE_OK;
  }();
  (void)kConfigured;
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX;
  if (!options.must_exist) flags |= SQLITE_OPEN_CREATE;
  sqlite3* raw = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
  if (rc != SQLITE_OK) {
    absl::Status s =
        SqliteError(rc, absl::StrCat("cannot open database ", path), raw);
    sqlite3_close_v2(raw);
    return s;
  }
  std::unique_ptr<Database> db(new Database(raw, path));
  sqlite3_extended_result_codes(raw, 1);
  if (options.watch_file) {
    // SQLite has the file open now; the path names the same file unless it
    // moved in the meantime, which SQLite itself can tell (its own
    // descriptor's inode against the path's).
    ASSIGN_OR_RETURN(db->identity_, FileIdentity::Of(path));
    int moved = 0;
    if (sqlite3_file_control(raw, "main", SQLITE_FCNTL_HAS_MOVED, &moved) !=
            SQLITE_OK ||
        moved != 0) {
      return absl::FailedPreconditionError(absl::StrCat(
          "the database file ", path, " was replaced while it was opened"));
    }
  }
  sqlite3_busy_timeout(raw, 5000);
  // The full-text index's triggers call gk_bigrams on every case write.
  if (int fn = RegisterTextFunctions(raw); fn != SQLITE_OK) {
    return SqliteError(fn, "cannot register the full-text functions", raw);
  }
  // SQLite quietly opens a file it may not write read-only; then the first
  // write, not the start, would fail. Say so now.
  if (sqlite3_db_readonly(raw, "main") == 1) {
    return absl::FailedPreconditionError(absl::StrCat(
        "the database file ", path, " is read-only for this user (uid ",
        getuid(),
        "); gongkaid must be able to write it and its folder: check the "
        "owner and permissions (see docs/operations.md), or the disk's "
        "mount options"));
  }

  // The first read of the header tells whether this is an SQLite file at all.
  absl::StatusOr<std::string> mode = db->QueryText("PRAGMA journal_mode=WAL");
  if (!mode.ok()) {
    return absl::FailedPreconditionError(
        absl::StrCat(path, " is not a usable SQLite database (",
                     mode.status().message(), ")"));
  }
  if (*mode != "wal") {
    return absl::FailedPreconditionError(absl::StrCat(
        "cannot switch ", path, " to WAL mode (journal_mode is ", *mode, ")"));
  }
  // FULL: every commit is fsynced before it is acknowledged, so an
  // acknowledged write survives a power cut, not only a process crash.
  RETURN_IF_ERROR(
      db->Execute("PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; "
                  "PRAGMA temp_store=MEMORY; PRAGMA cache_size=-32768;"));
  if (options.check_integrity) RETURN_IF_ERROR(QuickCheck(*db, options));
  return db;
}

absl::Status Database::QuickCheck(Database& db, const OpenOptions& options) {
  // Reading the schema parses every CREATE statement in it: a damaged
  // sqlite_schema fails here.
  std::vector<std::string> checks;
  if (options.unbounded_tables.empty()) {
    checks.push_back("PRAGMA quick_check");
  } else {
    checks.push_back("PRAGMA quick_check('sqlite_schema')");
    ASSIGN_OR_RETURN(
        ScopedStatement tables,
        db.Prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND "
                   "sql NOT LIKE 'CREATE VIRTUAL%' ORDER BY name"));
    while (true) {
      ASSIGN_OR_RETURN(bool row, tables->Step());
      if (!row) break;
      const std::string name = tables->ColumnText(0);
      const bool unbounded = std::any_of(
          options.unbounded_tables.begin(), options.unbounded_tables.end(),
          [&](const std::string& big) {
            return name == big || absl::StartsWith(name, big + "_");
          });
      if (!unbounded) {
        // quick_check(TABLE) checks the table and its indexes only: its
        // cost is that of their pages, not the file's.
        checks.push_back(absl::StrCat("PRAGMA quick_check('",
                                      absl::StrReplaceAll(name, {{"'", "''"}}),
                                      "')"));
      }
    }
  }
  auto damaged = [&](absl::string_view what) {
    return absl::DataLossError(
        absl::StrCat("database ", db.path_, " failed its check at open (", what,
                     "); restore it from a backup before serving"));
  };
  for (const std::string& sql : checks) {
    // Each runs once: not kept among the cached statements.
    sqlite3_stmt* raw = nullptr;
    if (sqlite3_prepare_v2(db.db_, sql.c_str(), -1, &raw, nullptr) !=
        SQLITE_OK) {
      sqlite3_finalize(raw);
      return damaged(sqlite3_errmsg(db.db_));
    }
    Statement s(db.db_, raw);
    std::vector<std::string> found;
    while (true) {
      absl::StatusOr<bool> row = s.Step();
      if (!row.ok()) return damaged(row.status().message());
      if (!*row) break;
      if (s.ColumnText(0) != "ok") found.push_back(s.ColumnText(0));
    }
    if (!found.empty()) return damaged(absl::StrJoin(found, "; "));
  }
  return absl::OkStatus();
}

Database::~Database() {
  cache_.clear();  // finalize statements before closing
  sqlite3_close_v2(db_);
}

absl::Status Database::Execute(absl::string_view sql) {
  std::string text(sql);
  char* error = nullptr;
  int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &error);
  if (rc != SQLITE_OK) {
    sqlite3_free(error);
    return SqliteError(rc, "database update failed", db_);
  }
  return absl::OkStatus();
}

absl::Status Database::Run(const std::string& sql) {
  ASSIGN_OR_RETURN(ScopedStatement stmt, Prepare(sql));
  return stmt->Run();
}

absl::StatusOr<int64_t> Database::QueryInt(absl::string_view sql) {
  ASSIGN_OR_RETURN(ScopedStatement stmt, Prepare(std::string(sql)));
  ASSIGN_OR_RETURN(bool row, stmt->Step());
  if (!row) return absl::InternalError(absl::StrCat("no row from ", sql));
  return stmt->ColumnInt(0);
}

absl::StatusOr<std::string> Database::QueryText(absl::string_view sql) {
  ASSIGN_OR_RETURN(ScopedStatement stmt, Prepare(std::string(sql)));
  ASSIGN_OR_RETURN(bool row, stmt->Step());
  if (!row) return absl::InternalError(absl::StrCat("no row from ", sql));
  return stmt->ColumnText(0);
}

absl::StatusOr<ScopedStatement> Database::Prepare(const std::string& sql) {
  auto it = cache_.find(sql);
  if (it == cache_.end()) {
    sqlite3_stmt* stmt = nullptr;
    int rc = sqlite3_prepare_v3(db_, sql.c_str(), static_cast<int>(sql.size()),
                                SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
    if (rc != SQLITE_OK) {
      return SqliteError(rc, "cannot prepare database statement", db_);
    }
    it = cache_
             .emplace(sql, std::unique_ptr<Statement>(new Statement(db_, stmt)))
             .first;
  }
  return ScopedStatement(it->second.get());
}

absl::Status Database::CheckFile() const {
  return identity_ == nullptr ? absl::OkStatus() : identity_->Check();
}

int64_t Database::LastInsertRowId() const {
  return sqlite3_last_insert_rowid(db_);
}

int Database::Changes() const { return sqlite3_changes(db_); }

bool Database::InTransaction() const { return !sqlite3_get_autocommit(db_); }

ReadTransaction::~ReadTransaction() {
  if (open_ && db_->InTransaction()) (void)db_->Run("COMMIT");
}

absl::Status ReadTransaction::Begin() {
  RETURN_IF_ERROR(db_->Run("BEGIN"));
  open_ = true;
  return absl::OkStatus();
}

Transaction::~Transaction() { Rollback(); }

absl::Status Transaction::Begin() {
  RETURN_IF_ERROR(db_->CheckFile());
  RETURN_IF_ERROR(db_->Run("BEGIN IMMEDIATE"));
  open_ = true;
  return absl::OkStatus();
}

absl::Status Transaction::Commit() {
  absl::Status s = db_->Run("COMMIT");
  if (!s.ok()) {
    Rollback();
    return s;
  }
  open_ = false;
  return absl::OkStatus();
}

void Transaction::Rollback() {
  if (open_) {
    // A failed COMMIT may already have ended the transaction.
    if (!sqlite3_get_autocommit(db_->handle())) {
      (void)db_->Execute("ROLLBACK");
    }
    open_ = false;
  }
}

}  // namespace gongkai::storage

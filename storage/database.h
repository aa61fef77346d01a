// RAII wrappers over the SQLite C API, in the style of Chromium's sql/ and
// SQLiteCpp: a Database owns the connection and a cache of prepared
// statements, a ScopedStatement borrows one of them and resets it when done,
// and a Transaction rolls back unless it was committed.
//
// Thread safety: a Database and everything borrowed from it must be used by
// one thread at a time; callers serialise access (SqliteStore holds a mutex).
#ifndef GONGKAI_STORAGE_DATABASE_H_
#define GONGKAI_STORAGE_DATABASE_H_

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"

struct sqlite3;
struct sqlite3_stmt;

namespace gongkai::storage {

// Converts an SQLite result code to a status with `context` in the message.
absl::Status SqliteError(int code, absl::string_view context, sqlite3* db);

class Statement {
 public:
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  ~Statement();

  // Parameters are 1-based, as in SQLite. A bind that SQLite refuses (an
  // index out of range, out of memory) is not reported here but by the next
  // Step() or Run(), naming the parameter and the statement, so that no
  // caller can forget to check it. Reset() forgets it.
  void BindInt(int index, int64_t value);
  void BindText(int index, absl::string_view value);
  void BindNull(int index);
  // Bytes as a BLOB (any bytes, e.g. a DOCX file).
  void BindBlob(int index, absl::string_view bytes);
  void BindOptionalText(int index, const std::optional<std::string>& value);

  // Advances; true when a row is available, false when done.
  absl::StatusOr<bool> Step();
  // Runs a statement that returns no rows.
  absl::Status Run();

  // Columns are 0-based.
  bool IsNull(int column) const;
  int64_t ColumnInt(int column) const;
  std::string ColumnText(int column) const;
  std::string ColumnBlob(int column) const;

  void Reset();

 private:
  friend class Database;
  Statement(sqlite3* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
  // Keeps the first failed bind since the last Reset().
  void CheckBind(int rc, int index);
  sqlite3* db_;
  sqlite3_stmt* stmt_;
  absl::Status bind_error_;
};

// Steps `s` to its end and converts every row with `read`, a function of
// the statement returning absl::StatusOr<T>.
template <typename Read>
auto CollectRows(Statement& s, Read read)
    -> absl::StatusOr<std::vector<typename decltype(read(s))::value_type>> {
  std::vector<typename decltype(read(s))::value_type> out;
  while (true) {
    absl::StatusOr<bool> row = s.Step();
    if (!row.ok()) return row.status();
    if (!*row) return out;
    auto value = read(s);
    if (!value.ok()) return value.status();
    out.push_back(*std::move(value));
  }
}

// A prepared statement borrowed from the Database cache; reset on scope exit
// so the next borrower starts clean.
class ScopedStatement {
 public:
  explicit ScopedStatement(Statement* s) : s_(s) {}
  ScopedStatement(ScopedStatement&& o) noexcept : s_(o.s_) { o.s_ = nullptr; }
  ScopedStatement(const ScopedStatement&) = delete;
  ~ScopedStatement() {
    if (s_ != nullptr) s_->Reset();
  }
  Statement* operator->() { return s_; }
  Statement& operator*() { return *s_; }

 private:
  Statement* s_;
};

struct OpenOptions {
  // Refuse to create a missing file.
  bool must_exist = false;
  // Check what is cheap and certain before handing the file out, and
  // refuse a damaged one: the header, the schema, and a quick_check (the
  // pages of each b-tree, without cross-checking indexes against their
  // tables) of every table but `unbounded_tables`. The full
  // PRAGMA integrity_check reads and cross-checks the whole file, seconds
  // on a large one; it is SqliteStore::CheckIntegrity's (gongkai admin
  // check, the daemon's background pass), never the open's.
  bool check_integrity = true;
  // The tables (with their indexes, and for a virtual table its shadow
  // tables NAME_*) that grow with the data, left out of the open's check so
  // that its cost stays bounded whatever the file's size. Empty: a
  // quick_check of the whole file.
  std::vector<std::string> unbounded_tables = {};
  // Remember which file `path` names, so that CheckFile() can tell when it
  // is deleted or replaced under us (the main connection of a store).
  bool watch_file = false;
};

// Which file a path named when a database was opened (device and inode),
// and whether it still does. The open connection keeps that inode alive, so
// its number cannot be reused by a new file while we hold it: a different
// number (or no file) at the path means the file was deleted or replaced,
// and every write from then on would go to a file nobody will open again.
//
// Thread safety: Check() may be called from any thread, without the
// connection; it costs one stat().
class FileIdentity {
 public:
  // Records what `path` names now.
  static absl::StatusOr<std::unique_ptr<FileIdentity>> Of(
      const std::string& path);

  // OK while the path names the file recorded; FAILED_PRECONDITION
  // ("the database file was deleted or replaced: ...") from the first time
  // it does not, for good: a file put back is not trusted again.
  absl::Status Check() const ABSL_LOCKS_EXCLUDED(mu_);
  // `handler` is called once, on the thread of the Check() that first finds
  // the file gone or replaced (a write, a health check, a timer), with the
  // reason; at once if that has happened already. It must not call Check().
  void OnFailure(std::function<void(const absl::Status&)> handler) const
      ABSL_LOCKS_EXCLUDED(mu_);

  uint64_t device() const { return device_; }
  uint64_t inode() const { return inode_; }

 private:
  FileIdentity(std::string path, uint64_t device, uint64_t inode)
      : path_(std::move(path)), device_(device), inode_(inode) {}
  const std::string path_;
  const uint64_t device_;
  const uint64_t inode_;
  mutable absl::Mutex mu_;
  mutable absl::Status failed_ ABSL_GUARDED_BY(mu_);
  mutable std::function<void(const absl::Status&)> on_failure_
      ABSL_GUARDED_BY(mu_);
};

class Database {
 public:
  // Opens (or creates) `path` in WAL mode with synchronous=FULL, foreign keys
  // on and a busy timeout; a WAL left by a crash is recovered on the way.
  // Fails with DATA_LOSS on a damaged file (as far as `options` checks it)
  // and with FAILED_PRECONDITION when the file is not an SQLite database.
  static absl::StatusOr<std::unique_ptr<Database>> Open(
      const std::string& path, const OpenOptions& options = {});

  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;
  ~Database();

  // Runs one or more statements that return no rows.
  absl::Status Execute(absl::string_view sql);
  // Runs one statement that returns no rows, prepared once and kept (for
  // what runs on every write: BEGIN, COMMIT, SAVEPOINT ...).
  absl::Status Run(const std::string& sql);
  // Returns the single value of a one-row, one-column query.
  absl::StatusOr<int64_t> QueryInt(absl::string_view sql);
  absl::StatusOr<std::string> QueryText(absl::string_view sql);

  // Borrows the cached statement for `sql`, preparing it on first use.
  absl::StatusOr<ScopedStatement> Prepare(const std::string& sql);

  // OK unless the database was opened with `watch_file` and its path no
  // longer names the file open (see FileIdentity). Thread-safe, without the
  // connection. Transaction::Begin() checks it: no write goes to a file
  // that was deleted or replaced.
  absl::Status CheckFile() const;
  // What the path named at open; null unless opened with `watch_file`.
  const FileIdentity* file_identity() const { return identity_.get(); }

  int64_t LastInsertRowId() const;
  int Changes() const;
  // True between BEGIN and the end of the transaction (SQLite may end one on
  // its own after a full disk or an I/O error).
  bool InTransaction() const;
  const std::string& path() const { return path_; }
  sqlite3* handle() { return db_; }

 private:
  Database(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}
  // The check at open (OpenOptions::check_integrity).
  static absl::Status QuickCheck(Database& db, const OpenOptions& options);
  sqlite3* db_;
  std::string path_;
  std::map<std::string, std::unique_ptr<Statement>> cache_;
  std::unique_ptr<const FileIdentity> identity_;
};

// BEGIN IMMEDIATE ... COMMIT; rolls back in the destructor unless committed.
// Begin() fails, before touching the file, when the database file was
// deleted or replaced (Database::CheckFile()).
class Transaction {
 public:
  explicit Transaction(Database* db) : db_(db) {}
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  ~Transaction();

  absl::Status Begin();
  absl::Status Commit();
  void Rollback();

 private:
  Database* db_;
  bool open_ = false;
};

// BEGIN (deferred) ... COMMIT around reads: one consistent snapshot, and
// one acquisition of SQLite's read lock instead of one per statement. Ends
// in the destructor.
class ReadTransaction {
 public:
  explicit ReadTransaction(Database* db) : db_(db) {}
  ReadTransaction(const ReadTransaction&) = delete;
  ReadTransaction& operator=(const ReadTransaction&) = delete;
  ~ReadTransaction();
  absl::Status Begin();

 private:
  Database* db_;
  bool open_ = false;
};

}  // namespace gongkai::storage

#endif  // GONGKAI_STORAGE_DATABASE_H_

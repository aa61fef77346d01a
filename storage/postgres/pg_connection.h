// PgConnection and PgStatement: one libpq connection to PostgreSQL and the
// statements run on it, shaped like storage::Statement (1-based parameters,
// Step/Run, 0-based columns) so that the tables of PgStore read like their
// SQLite counterparts.
//
// SQL is written with SQLite's placeholders: "?N" is parameter N and a bare
// "?" the one after the highest used so far; they become $N before the text
// reaches the server. Every value travels as text (BLOBs as binary bytea)
// and every column comes back as text, so dates and timestamps keep the
// text forms the SQLite engine stores.
//
// Errors carry PostgreSQL's SQLSTATE in their code: unique violations are
// ALREADY_EXISTS, serialization failures and deadlocks ABORTED, a lost
// connection UNAVAILABLE, an append-only refusal FAILED_PRECONDITION.
//
// Thread safety: none. A connection and its statements are used by one
// thread at a time (PgStore hands each transaction one connection from its
// pool).
#ifndef GONGKAI_STORAGE_POSTGRES_PG_CONNECTION_H_
#define GONGKAI_STORAGE_POSTGRES_PG_CONNECTION_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

struct pg_conn;
struct pg_result;

namespace gongkai::storage {

class PgConnection;

// "postgresql://…" or "postgres://…": a database URL rather than a file.
bool IsPostgresUrl(absl::string_view db);

// `url` with any password left out, for messages and logs.
std::string RedactPostgresUrl(absl::string_view url);

// "?N" / "?" placeholders to "$K", numbered by first appearance, so that a
// statement whose text leaves some of its parameters out (the optional
// filters of a listing) sends only those it uses: PostgreSQL refuses a
// parameter whose type nothing in the text tells. `order`, when given,
// receives the original number of each $K. Quoted text is left alone.
std::string PgPlaceholders(absl::string_view sql,
                           std::vector<int>* order = nullptr);

class PgStatement {
 public:
  PgStatement(const PgStatement&) = delete;
  PgStatement& operator=(const PgStatement&) = delete;
  ~PgStatement();

  void BindInt(int index, int64_t value);
  void BindText(int index, absl::string_view value);
  void BindNull(int index);
  void BindBlob(int index, absl::string_view bytes);
  void BindOptionalText(int index, const std::optional<std::string>& value);

  // Runs the statement on the first call; true while a row is available.
  absl::StatusOr<bool> Step();
  // Runs a statement whose rows (if any) are not wanted.
  absl::Status Run();
  // Rows the last run inserted, updated or deleted.
  int64_t Changes() const { return changes_; }

  bool IsNull(int column) const;
  // 0 for NULL, as SQLite reads it.
  int64_t ColumnInt(int column) const;
  std::string ColumnText(int column) const;
  std::string ColumnBlob(int column) const;

  // Forgets the result; the bindings stay, as in SQLite.
  void Reset();

 private:
  friend class PgConnection;
  PgStatement(PgConnection* conn, absl::string_view sql);
  absl::Status Execute();
  void Set(int index, std::optional<std::string> value, bool binary);

  PgConnection* const conn_;
  std::vector<int> order_;  // $K+1 is parameter order_[K] of the caller
  const std::string sql_;
  std::vector<std::optional<std::string>> values_;
  std::vector<int> formats_;
  pg_result* result_ = nullptr;
  int row_ = -1;
  int rows_ = 0;
  int64_t changes_ = 0;
};

using PgStmt = std::unique_ptr<PgStatement>;

// Steps `s` to its end and converts every row with `read`.
template <typename Read>
auto CollectPgRows(PgStatement& s, Read read)
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

class PgConnection {
 public:
  // Connects to `url` (a libpq connection URI). UNAVAILABLE when the server
  // cannot be reached.
  static absl::StatusOr<std::unique_ptr<PgConnection>> Open(
      const std::string& url);
  ~PgConnection();
  PgConnection(const PgConnection&) = delete;
  PgConnection& operator=(const PgConnection&) = delete;

  // Runs `sql`, which may hold several statements and no parameters.
  absl::Status Execute(absl::string_view sql);
  // The first column of the first row of `sql` (0 when it has none).
  absl::StatusOr<int64_t> QueryInt(absl::string_view sql);
  absl::StatusOr<std::string> QueryText(absl::string_view sql);
  absl::StatusOr<PgStmt> Prepare(absl::string_view sql);

  // Whether the connection is still up (as libpq last saw it).
  bool Healthy() const;
  // Connects again after a lost connection.
  absl::Status Reconnect();

  const std::string& url() const { return url_; }
  pg_conn* handle() { return conn_; }

  // The status for a failed result (`result` may be null), with `context`.
  absl::Status Error(const pg_result* result, absl::string_view context);

 private:
  PgConnection(std::string url, pg_conn* conn)
      : url_(std::move(url)), conn_(conn) {}
  std::string url_;
  pg_conn* conn_;
};

}  // namespace gongkai::storage

#endif  // GONGKAI_STORAGE_POSTGRES_PG_CONNECTION_H_

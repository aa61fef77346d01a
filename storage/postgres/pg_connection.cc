#include "storage/postgres/pg_connection.h"

#include <libpq-fe.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"

namespace gongkai::storage {

bool IsPostgresUrl(absl::string_view db) {
  return absl::StartsWith(db, "postgresql://") ||
         absl::StartsWith(db, "postgres://");
}

std::string RedactPostgresUrl(absl::string_view url) {
  // postgresql://user:secret@host/db -> postgresql://user:***@host/db
  const size_t scheme = url.find("://");
  if (scheme == absl::string_view::npos) return std::string(url);
  const size_t at = url.find('@', scheme + 3);
  const size_t slash = url.find('/', scheme + 3);
  std::string out(url);
  if (at != absl::string_view::npos &&
      (slash == absl::string_view::npos || at < slash)) {
    const size_t colon = url.find(':', scheme + 3);
    if (colon != absl::string_view::npos && colon < at) {
      out = absl::StrCat(url.substr(0, colon + 1), "***", url.substr(at));
    }
  }
  // A password given as a parameter (?password=...).
  const size_t pw = out.find("password=");
  if (pw != std::string::npos) {
    const size_t end = out.find('&', pw);
    out.replace(pw + 9,
                (end == std::string::npos ? out.size() : end) - (pw + 9),
                "***");
  }
  return out;
}

std::string PgPlaceholders(absl::string_view sql, std::vector<int>* order) {
  std::vector<int> seen;
  std::string out;
  out.reserve(sql.size() + 16);
  int highest = 0;
  bool quoted = false;
  for (size_t i = 0; i < sql.size(); ++i) {
    const char c = sql[i];
    if (c == '\'') quoted = !quoted;
    if (quoted || c != '?') {
      out += c;
      continue;
    }
    size_t j = i + 1;
    while (j < sql.size() && absl::ascii_isdigit(sql[j])) ++j;
    int n = 0;
    if (j > i + 1) {
      (void)absl::SimpleAtoi(sql.substr(i + 1, j - i - 1), &n);
    } else {
      n = highest + 1;
    }
    if (n > highest) highest = n;
    auto it = std::find(seen.begin(), seen.end(), n);
    if (it == seen.end()) it = seen.insert(seen.end(), n);
    absl::StrAppend(&out, "$", it - seen.begin() + 1);
    i = j - 1;
  }
  if (order != nullptr) *order = std::move(seen);
  return out;
}

// --- PgStatement ---

PgStatement::PgStatement(PgConnection* conn, absl::string_view sql)
    : conn_(conn), sql_(PgPlaceholders(sql, &order_)) {
  values_.resize(order_.size());
  formats_.resize(order_.size(), 0);
}

PgStatement::~PgStatement() { PQclear(result_); }

void PgStatement::Set(int index, std::optional<std::string> value,
                      bool binary) {
  // A parameter the text does not use is dropped (see PgPlaceholders).
  auto it = std::find(order_.begin(), order_.end(), index);
  if (it == order_.end()) return;
  const size_t k = it - order_.begin();
  values_[k] = std::move(value);
  formats_[k] = binary ? 1 : 0;
}

void PgStatement::BindInt(int index, int64_t value) {
  Set(index, absl::StrCat(value), false);
}
void PgStatement::BindText(int index, absl::string_view value) {
  Set(index, std::string(value), false);
}
void PgStatement::BindNull(int index) { Set(index, std::nullopt, false); }
void PgStatement::BindBlob(int index, absl::string_view bytes) {
  Set(index, std::string(bytes), true);
}
void PgStatement::BindOptionalText(int index,
                                   const std::optional<std::string>& value) {
  Set(index, value, false);
}

absl::Status PgStatement::Execute() {
  PQclear(result_);
  result_ = nullptr;
  std::vector<const char*> values(values_.size());
  std::vector<int> lengths(values_.size());
  for (size_t i = 0; i < values_.size(); ++i) {
    values[i] = values_[i] ? values_[i]->data() : nullptr;
    lengths[i] = values_[i] ? static_cast<int>(values_[i]->size()) : 0;
  }
  result_ = PQexecParams(conn_->handle(), sql_.c_str(),
                         static_cast<int>(values.size()), nullptr,
                         values.data(), lengths.data(), formats_.data(), 0);
  const ExecStatusType st = PQresultStatus(result_);
  if (st != PGRES_TUPLES_OK && st != PGRES_COMMAND_OK) {
    return conn_->Error(result_, sql_.substr(0, 120));
  }
  rows_ = PQntuples(result_);
  row_ = -1;
  const char* changed = PQcmdTuples(result_);
  changes_ = 0;
  if (changed != nullptr && *changed != '\0') {
    (void)absl::SimpleAtoi(changed, &changes_);
  }
  return absl::OkStatus();
}

absl::StatusOr<bool> PgStatement::Step() {
  if (result_ == nullptr) {
    absl::Status s = Execute();
    if (!s.ok()) return s;
  }
  if (row_ < rows_) ++row_;
  return row_ < rows_;
}

absl::Status PgStatement::Run() {
  absl::Status s = Execute();
  row_ = rows_;
  return s;
}

bool PgStatement::IsNull(int column) const {
  return result_ == nullptr || row_ < 0 || row_ >= rows_ ||
         PQgetisnull(result_, row_, column);
}

int64_t PgStatement::ColumnInt(int column) const {
  if (IsNull(column)) return 0;
  int64_t v = 0;
  absl::string_view text = PQgetvalue(result_, row_, column);
  // SUM() of bigint is numeric: "12" (never a fraction for our sums).
  if (!absl::SimpleAtoi(text, &v)) {
    double d = 0;
    if (absl::SimpleAtod(text, &d)) v = static_cast<int64_t>(d);
  }
  return v;
}

std::string PgStatement::ColumnText(int column) const {
  if (IsNull(column)) return "";
  return std::string(PQgetvalue(result_, row_, column),
                     PQgetlength(result_, row_, column));
}

std::string PgStatement::ColumnBlob(int column) const {
  if (IsNull(column)) return "";
  size_t n = 0;
  unsigned char* bytes = PQunescapeBytea(
      reinterpret_cast<const unsigned char*>(PQgetvalue(result_, row_, column)),
      &n);
  if (bytes == nullptr) return "";
  std::string out(reinterpret_cast<char*>(bytes), n);
  PQfreemem(bytes);
  return out;
}

void PgStatement::Reset() {
  PQclear(result_);
  result_ = nullptr;
  row_ = -1;
  rows_ = 0;
}

// --- PgConnection ---

absl::StatusOr<std::unique_ptr<PgConnection>> PgConnection::Open(
    const std::string& url) {
  pg_conn* conn = PQconnectdb(url.c_str());
  if (conn == nullptr || PQstatus(conn) != CONNECTION_OK) {
    std::string why = conn != nullptr ? PQerrorMessage(conn) : "out of memory";
    PQfinish(conn);
    return absl::UnavailableError(
        absl::StrCat("cannot connect to PostgreSQL at ", RedactPostgresUrl(url),
                     ": ", absl::StripTrailingAsciiWhitespace(why)));
  }
  std::unique_ptr<PgConnection> c(new PgConnection(url, conn));
  // Text in UTF-8; messages the client reads are its own (in English, with
  // the SQLSTATE deciding the code); a statement stuck behind a lock for a
  // minute is an outage, not a wait.
  absl::Status s = c->Execute(
      "SET client_encoding = 'UTF8'; SET client_min_messages = 'warning'; "
      "SET lock_timeout = '60s'");
  if (!s.ok()) return s;
  return c;
}

PgConnection::~PgConnection() { PQfinish(conn_); }

bool PgConnection::Healthy() const { return PQstatus(conn_) == CONNECTION_OK; }

absl::Status PgConnection::Reconnect() {
  PQreset(conn_);
  if (PQstatus(conn_) != CONNECTION_OK) {
    return absl::UnavailableError(absl::StrCat(
        "cannot reconnect to PostgreSQL at ", RedactPostgresUrl(url_), ": ",
        absl::StripTrailingAsciiWhitespace(PQerrorMessage(conn_))));
  }
  return Execute(
      "SET client_encoding = 'UTF8'; SET client_min_messages = 'warning'; "
      "SET lock_timeout = '60s'");
}

absl::Status PgConnection::Error(const pg_result* result,
                                 absl::string_view context) {
  const char* state = result != nullptr
                          ? PQresultErrorField(result, PG_DIAG_SQLSTATE)
                          : nullptr;
  std::string message =
      result != nullptr && *PQresultErrorMessage(result) != '\0'
          ? PQresultErrorMessage(result)
          : PQerrorMessage(conn_);
  message = std::string(absl::StripTrailingAsciiWhitespace(message));
  const std::string sqlstate = state != nullptr ? state : "";
  const std::string text = absl::StrCat(
      "PostgreSQL", sqlstate.empty() ? "" : absl::StrCat(" ", sqlstate), ": ",
      message, context.empty() ? "" : absl::StrCat(" (in: ", context, ")"));
  if (!Healthy() || absl::StartsWith(sqlstate, "08") || sqlstate == "57P01") {
    return absl::UnavailableError(text);
  }
  if (sqlstate == "23505") return absl::AlreadyExistsError(text);
  if (sqlstate == "40001" || sqlstate == "40P01" || sqlstate == "55P03") {
    return absl::AbortedError(text);
  }
  // RAISE EXCEPTION in the append-only triggers.
  if (sqlstate == "P0001") return absl::FailedPreconditionError(message);
  return absl::InternalError(text);
}

absl::Status PgConnection::Execute(absl::string_view sql) {
  pg_result* r = PQexec(conn_, std::string(sql).c_str());
  const ExecStatusType st = PQresultStatus(r);
  absl::Status s = (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK)
                       ? absl::OkStatus()
                       : Error(r, sql.substr(0, 120));
  PQclear(r);
  return s;
}

absl::StatusOr<std::string> PgConnection::QueryText(absl::string_view sql) {
  absl::StatusOr<PgStmt> s = Prepare(sql);
  if (!s.ok()) return s.status();
  absl::StatusOr<bool> row = (*s)->Step();
  if (!row.ok()) return row.status();
  return *row ? (*s)->ColumnText(0) : std::string();
}

absl::StatusOr<int64_t> PgConnection::QueryInt(absl::string_view sql) {
  absl::StatusOr<PgStmt> s = Prepare(sql);
  if (!s.ok()) return s.status();
  absl::StatusOr<bool> row = (*s)->Step();
  if (!row.ok()) return row.status();
  return *row ? (*s)->ColumnInt(0) : 0;
}

absl::StatusOr<PgStmt> PgConnection::Prepare(absl::string_view sql) {
  return PgStmt(new PgStatement(this, sql));
}

}  // namespace gongkai::storage

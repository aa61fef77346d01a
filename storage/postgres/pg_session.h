// PgSession: what the table objects of a PgStore share about the
// transaction in progress: its connection, whether the body may write, and
// the audit key new events are linked with.
//
// Thread safety: none of its own; one session per running transaction,
// used by the thread that runs its body.
#ifndef GONGKAI_STORAGE_POSTGRES_PG_SESSION_H_
#define GONGKAI_STORAGE_POSTGRES_PG_SESSION_H_

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "storage/postgres/pg_connection.h"

namespace gongkai::storage {

class AuditKey;

class PgSession {
 public:
  enum class Mode { kRead, kWrite };

  PgSession(PgConnection* conn, Mode mode, const AuditKey* audit_key)
      : conn_(conn), mode_(mode), audit_key_(audit_key) {}
  PgSession(const PgSession&) = delete;
  PgSession& operator=(const PgSession&) = delete;

  PgConnection& db() { return *conn_; }
  const AuditKey* audit_key() const { return audit_key_; }

  // FAILED_PRECONDITION unless the transaction is a write (Store::Write).
  absl::Status RequireWrite(absl::string_view what) const {
    if (mode_ == Mode::kWrite) return absl::OkStatus();
    return absl::FailedPreconditionError(
        absl::StrCat(what, " needs a write transaction (Store::Write)"));
  }

 private:
  PgConnection* const conn_;
  const Mode mode_;
  const AuditKey* const audit_key_;
};

}  // namespace gongkai::storage

#endif  // GONGKAI_STORAGE_POSTGRES_PG_SESSION_H_

// Session: what the table objects of a SqliteStore share about the
// transaction in progress on its one connection: the connection itself,
// whether the body may write, the read caches, and what the body changed
// that must be acted on once the transaction has ended.
//
// Why: a value read inside a write transaction may still be rolled back, so
// the tables read the database directly while writing and use the caches
// only in read transactions; the caches they make stale are dropped by the
// store after the batch's transaction has ended, never before.
//
// Thread safety: none of its own. It is used only by the thread that runs a
// transaction's body, with the store's connection mutex held.
#ifndef GONGKAI_STORAGE_SQLITE_SESSION_H_
#define GONGKAI_STORAGE_SQLITE_SESSION_H_

#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "storage/database.h"
#include "storage/read_cache.h"
#include "storage/sqlite/case_no_mark.h"
#include "storage/store.h"

namespace gongkai::storage {

class AuditKey;

// What nearly every call consults, kept between transactions.
struct SqliteCaches {
  using UsersByToken = std::map<std::string, UserRecord>;
  using Agencies = std::vector<std::pair<std::string, std::string>>;
  using Published = std::map<std::pair<int, std::string>, std::string>;
  using Periods = std::set<std::pair<int, std::string>>;

  ReadCache<UsersByToken> users;
  ReadCache<Agencies> agencies;
  ReadCache<Published> published;
  ReadCache<Periods> published_periods;
};

class Session {
 public:
  enum class Mode { kIdle, kRead, kWrite };

  Session(Database* db, SqliteCaches* caches) : db_(db), caches_(caches) {}
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  Database& db() { return *db_; }
  SqliteCaches& caches() { return *caches_; }

  Mode mode() const { return mode_; }
  void set_mode(Mode mode) { mode_ = mode; }
  // Caches may be consulted (and filled) only from committed data.
  bool may_use_caches() const { return mode_ == Mode::kRead; }
  // FAILED_PRECONDITION unless a write transaction is in progress: a Read
  // body must not write (its BEGIN ... COMMIT would bypass group commit).
  absl::Status RequireWrite(absl::string_view what) const {
    if (mode_ == Mode::kWrite) return absl::OkStatus();
    return absl::FailedPreconditionError(
        absl::StrCat(what, " needs a write transaction (Store::Write)"));
  }

  // Set by the tables, consumed by the store after the batch has ended.
  bool users_changed = false;
  bool agencies_changed = false;
  bool published_changed = false;
  // A bulk import turned SQLite's automatic checkpoint off for its commit.
  bool bulk_import = false;
  // A checkpointer thread copies the log after a bulk import.
  bool has_checkpointer = false;
  // Audit events were appended: the store anchors the new heads once the
  // batch has committed.
  bool audit_appended = false;
  // Links new audit events when set (see audit_chain.h); the anchor file
  // verification compares the chains with. Set once when the store opens.
  const AuditKey* audit_key = nullptr;
  std::string anchor_path;
  // The highest case numbers ever issued, kept outside the database (see
  // case_no_mark.h); null only for stores opened without a file.
  CaseNoMark* case_no_mark = nullptr;
  // What the write body running now raised in it.
  std::vector<CaseNoMark::Raised> case_no_raised;

 private:
  Database* const db_;
  SqliteCaches* const caches_;
  Mode mode_ = Mode::kIdle;
};

}  // namespace gongkai::storage

#endif  // GONGKAI_STORAGE_SQLITE_SESSION_H_

// The audit checksum chains, in one place: every case event and every
// record event is linked to the one before it in its table, so an edit of
// the file outside gongkai shows up in VerifyAuditChains().
//
// Links are HMAC-SHA256 under an audit key kept outside the database (a file
// of 32 random bytes, mode 0600), so someone who can write the database but
// not read the key cannot recompute the chain after an edit. Databases made
// before the key existed keep their older links, which are plain SHA-256
// (AuditChainLink) and checked as such; the table audit_keys records from
// which row on each key links (a "segment"), and every new segment is itself
// an audit event.
//
// Cutting off the tail of a chain leaves a valid shorter chain, so each
// committed head (the last row id and link of both tables) is also appended,
// with its own MAC, to an anchor file outside the database
// (AuditAnchor). Verification checks the database's chains against the
// last anchored head: a head that is gone is a cut-off tail, a head whose
// link differs is a rewritten chain.
//
// Thread safety: the free functions use the caller's connection, which must
// be held, and the appends must run inside a write transaction. AuditKey is
// immutable once loaded. AuditAnchor::Append may be called from one thread
// at a time (the store calls it with its connection held).
#ifndef GONGKAI_STORAGE_SQLITE_AUDIT_CHAIN_H_
#define GONGKAI_STORAGE_SQLITE_AUDIT_CHAIN_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "domain/case.h"
#include "storage/database.h"
#include "storage/store.h"

namespace gongkai::storage {

class Session;

// The secret the chain links are keyed with.
class AuditKey {
 public:
  // Reads the key file at `path`. NOT_FOUND when there is none;
  // FAILED_PRECONDITION when it is malformed or other users may read it.
  static absl::StatusOr<AuditKey> Load(const std::string& path);
  // Creates a new key file at `path` (mode 0600; never overwrites one).
  static absl::StatusOr<AuditKey> Create(const std::string& path);
  // For tests: a key from raw bytes.
  static AuditKey FromSecret(std::string secret);

  // A public name of the key (not the key): recorded in the database so a
  // wrong key file is recognised as such.
  const std::string& id() const { return id_; }
  // The link after `previous` for an event with `canonical` text.
  std::string Link(absl::string_view previous,
                   absl::string_view canonical) const;
  // The MAC of an anchor line.
  std::string Mac(absl::string_view text) const;

 private:
  explicit AuditKey(std::string secret);
  std::string secret_;
  std::string id_;
};

// The last committed row of each chain.
struct AuditHeads {
  int64_t case_event_id = 0;
  std::string case_event_link;
  int64_t record_event_id = 0;
  std::string record_event_link;
};

absl::StatusOr<AuditHeads> ReadAuditHeads(Database& db);

// The append-only file of anchored heads: one line per committed write,
//   "v1 KEYID CASE_ID CASE_LINK RECORD_ID RECORD_LINK MAC".
class AuditAnchor {
 public:
  // Opens (creating, mode 0600) the anchor file at `path` for appending.
  static absl::StatusOr<std::unique_ptr<AuditAnchor>> Open(
      const std::string& path, const AuditKey* key);
  ~AuditAnchor();
  // Appends `heads` unless they equal the last heads appended.
  absl::Status Append(const AuditHeads& heads);
  const std::string& path() const { return path_; }

 private:
  AuditAnchor(std::string path, int fd, const AuditKey* key)
      : path_(std::move(path)), fd_(fd), key_(key) {}
  const std::string path_;
  const int fd_;
  const AuditKey* const key_;
  AuditHeads last_;
};

// What the anchor file says: every head anchored with `key`, oldest first,
// and every line whose MAC does not hold. NOT_FOUND when the file does not
// exist.
struct AnchorContents {
  std::vector<AuditHeads> heads;
  std::vector<std::string> problems;
};
absl::StatusOr<AnchorContents> ReadAuditAnchor(const std::string& path,
                                               const AuditKey& key);

// Whether the database has any audit key segment (was ever keyed), and the
// id of the key of its latest segment.
absl::StatusOr<std::optional<std::string>> CurrentAuditKeyId(Database& db);

// Starts a new segment keyed with `key` after the current heads, and
// records it as the audit event "audit_chain_keyed" with `note` (in the
// same transaction; the caller's).
absl::Status StartKeyedSegment(Database& db, const AuditKey& key,
                               const std::string& note, absl::Time at);

// Appends `event` to the events of case `case_id` and sets its sequence
// number. `chain`, when given, carries the last link between calls of one
// transaction (a bulk import) instead of reading it back each time; `seq`,
// when known (a new case's events), saves looking it up.
absl::Status AppendCaseEvent(Session& session, int64_t case_id,
                             CaseEvent& event, std::string* chain = nullptr,
                             int64_t seq = 0);

// Appends `event` to the record events.
absl::Status AppendRecordEvent(Session& session, const RecordEvent& event);

// Recomputes both chains with `key` (null: only unkeyed links can be
// checked) and compares them with every head in the anchor file at
// `anchor_path` (empty: none): each anchored row must still be there with
// the link it had. One message per problem: the first bad link of each
// chain (and whether it was recomputed with the unkeyed formula), a cut-off
// tail, a rewritten chain, segments whose key is not at hand, a damaged
// anchor.
absl::StatusOr<std::vector<std::string>> VerifyAuditChains(
    Database& db, const AuditKey* key, const std::string& anchor_path);

}  // namespace gongkai::storage

#endif  // GONGKAI_STORAGE_SQLITE_AUDIT_CHAIN_H_

#include "storage/sqlite/audit_chain.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <map>
#include <sstream>

#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/crypto.h"
#include "common/dates.h"
#include "common/status_macros.h"
#include "storage/migrations.h"
#include "storage/sqlite/session.h"

namespace gongkai::storage {
namespace {

constexpr size_t kKeyBytes = 32;
constexpr char kAnchorVersion[] = "v1";

absl::StatusOr<std::string> LastLink(Database& db, const char* table) {
  ASSIGN_OR_RETURN(ScopedStatement s,
                   db.Prepare(absl::StrCat("SELECT chain FROM ", table,
                                           " ORDER BY id DESC LIMIT 1")));
  ASSIGN_OR_RETURN(bool row, s->Step());
  return row ? s->ColumnText(0) : std::string();
}

// The link after `prev`: keyed when there is a key.
std::string NewLink(const AuditKey* key, absl::string_view prev,
                    absl::string_view canonical) {
  return key != nullptr ? key->Link(prev, canonical)
                        : AuditChainLink(prev, canonical);
}

absl::Status InsertRecordEvent(Database& db, const RecordEvent& event,
                               const AuditKey* key) {
  ASSIGN_OR_RETURN(std::string prev, LastLink(db, "record_events"));
  const std::string details = event.details.Dump();
  const std::string at = FormatTimestamp(event.at);
  const std::string canonical = absl::StrCat(
      at, "|", event.actor, "|", event.kind, "|", event.subject, "|", details);
  ASSIGN_OR_RETURN(ScopedStatement s,
                   db.Prepare("INSERT INTO record_events (recorded_at, actor, "
                              "kind, subject, details, chain) "
                              "VALUES (?, ?, ?, ?, ?, ?)"));
  s->BindText(1, at);
  s->BindText(2, event.actor);
  s->BindText(3, event.kind);
  s->BindText(4, event.subject);
  s->BindText(5, details);
  s->BindText(6, NewLink(key, prev, canonical));
  return s->Run();
}

std::string AnchorBody(const std::string& key_id, const AuditHeads& h) {
  return absl::StrCat(kAnchorVersion, " ", key_id, " ", h.case_event_id, " ",
                      h.case_event_link.empty() ? "-" : h.case_event_link, " ",
                      h.record_event_id, " ",
                      h.record_event_link.empty() ? "-" : h.record_event_link);
}

// One keyed segment: from these row ids on, links are made with key_id.
struct Segment {
  std::string key_id;
  int64_t case_events_from = 0;
  int64_t record_events_from = 0;
};

absl::StatusOr<std::vector<Segment>> Segments(Database& db) {
  ASSIGN_OR_RETURN(
      ScopedStatement s,
      db.Prepare("SELECT key_id, case_events_from, "
                 "record_events_from FROM audit_keys ORDER BY id"));
  std::vector<Segment> out;
  while (true) {
    ASSIGN_OR_RETURN(bool row, s->Step());
    if (!row) break;
    out.push_back({s->ColumnText(0), s->ColumnInt(1), s->ColumnInt(2)});
  }
  return out;
}

absl::Status Errno(absl::string_view what, const std::string& path) {
  return absl::FailedPreconditionError(
      absl::StrCat("cannot ", what, " ", path, ": ", strerror(errno)));
}

}  // namespace

AuditKey::AuditKey(std::string secret)
    : secret_(std::move(secret)),
      id_(HmacSha256Hex(secret_, "gongkai audit key id").substr(0, 16)) {}

AuditKey AuditKey::FromSecret(std::string secret) {
  return AuditKey(std::move(secret));
}

absl::StatusOr<AuditKey> AuditKey::Load(const std::string& path) {
  const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0) {
    if (errno == ENOENT) {
      return absl::NotFoundError(absl::StrCat("no audit key at ", path));
    }
    return Errno("read the audit key", path);
  }
  struct stat st;
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    close(fd);
    return absl::FailedPreconditionError(
        absl::StrCat("the audit key ", path, " is not a regular file"));
  }
  if ((st.st_mode & 0077) != 0) {
    close(fd);
    return absl::FailedPreconditionError(absl::StrCat(
        "the audit key ", path,
        " may be read by other users; make it readable by its owner only "
        "(chmod 600)"));
  }
  char buf[256];
  const ssize_t n = read(fd, buf, sizeof(buf));
  close(fd);
  std::string hex(buf, n > 0 ? static_cast<size_t>(n) : 0);
  while (!hex.empty() && (hex.back() == '\n' || hex.back() == '\r')) {
    hex.pop_back();
  }
  if (hex.size() != 2 * kKeyBytes ||
      hex.find_first_not_of("0123456789abcdef") != std::string::npos) {
    return absl::FailedPreconditionError(
        absl::StrCat("the audit key ", path, " is not ", 2 * kKeyBytes,
                     " lower-case hex digits"));
  }
  return AuditKey(absl::HexStringToBytes(hex));
}

absl::StatusOr<AuditKey> AuditKey::Create(const std::string& path) {
  const int fd = open(
      path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0) return Errno("create the audit key", path);
  const std::string secret = RandomBytes(kKeyBytes);
  const std::string text = absl::StrCat(absl::BytesToHexString(secret), "\n");
  const bool ok = write(fd, text.data(), text.size()) ==
                      static_cast<ssize_t>(text.size()) &&
                  fsync(fd) == 0;
  close(fd);
  if (!ok) {
    unlink(path.c_str());
    return Errno("write the audit key", path);
  }
  return AuditKey(secret);
}

std::string AuditKey::Link(absl::string_view previous,
                           absl::string_view canonical) const {
  return HmacSha256Hex(secret_, absl::StrCat(previous, "\n", canonical));
}

std::string AuditKey::Mac(absl::string_view text) const {
  return HmacSha256Hex(secret_, absl::StrCat("gongkai anchor\n", text));
}

absl::StatusOr<AuditHeads> ReadAuditHeads(Database& db) {
  AuditHeads h;
  for (const char* table : {"case_events", "record_events"}) {
    ASSIGN_OR_RETURN(ScopedStatement s,
                     db.Prepare(absl::StrCat("SELECT id, chain FROM ", table,
                                             " ORDER BY id DESC LIMIT 1")));
    ASSIGN_OR_RETURN(bool row, s->Step());
    if (!row) continue;
    if (std::string(table) == "case_events") {
      h.case_event_id = s->ColumnInt(0);
      h.case_event_link = s->ColumnText(1);
    } else {
      h.record_event_id = s->ColumnInt(0);
      h.record_event_link = s->ColumnText(1);
    }
  }
  return h;
}

absl::StatusOr<std::unique_ptr<AuditAnchor>> AuditAnchor::Open(
    const std::string& path, const AuditKey* key) {
  const int fd =
      open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW,
           0600);
  if (fd < 0) return Errno("open the audit anchor", path);
  return std::unique_ptr<AuditAnchor>(new AuditAnchor(path, fd, key));
}

AuditAnchor::~AuditAnchor() { close(fd_); }

absl::Status AuditAnchor::Append(const AuditHeads& heads) {
  if (heads.case_event_id == last_.case_event_id &&
      heads.record_event_id == last_.record_event_id &&
      heads.case_event_link == last_.case_event_link &&
      heads.record_event_link == last_.record_event_link) {
    return absl::OkStatus();
  }
  const std::string body = AnchorBody(key_->id(), heads);
  const std::string line = absl::StrCat(body, " ", key_->Mac(body), "\n");
  // One write(2) with O_APPEND: a line is never interleaved or split by
  // another writer. No fsync: the database commit before it is durable, so
  // after a crash the anchor lags the database at worst, never leads it.
  if (write(fd_, line.data(), line.size()) !=
      static_cast<ssize_t>(line.size())) {
    return Errno("append to the audit anchor", path_);
  }
  last_ = heads;
  return absl::OkStatus();
}

absl::StatusOr<AnchorContents> ReadAuditAnchor(const std::string& path,
                                               const AuditKey& key) {
  std::ifstream in(path);
  if (!in)
    return absl::NotFoundError(absl::StrCat("no audit anchor at ", path));
  AnchorContents out;
  std::string line;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    std::vector<std::string> f = absl::StrSplit(line, ' ');
    if (f.size() != 7 || f[0] != kAnchorVersion) {
      out.problems.push_back(absl::StrCat("audit anchor ", path, " line ",
                                          number, " is malformed"));
      continue;
    }
    if (f[1] != key.id()) continue;  // an earlier key's heads
    AuditHeads h;
    if (!absl::SimpleAtoi(f[2], &h.case_event_id) ||
        !absl::SimpleAtoi(f[4], &h.record_event_id)) {
      out.problems.push_back(absl::StrCat("audit anchor ", path, " line ",
                                          number, " is malformed"));
      continue;
    }
    h.case_event_link = f[3] == "-" ? "" : f[3];
    h.record_event_link = f[5] == "-" ? "" : f[5];
    if (key.Mac(AnchorBody(f[1], h)) != f[6]) {
      out.problems.push_back(
          absl::StrCat("audit anchor ", path, " line ", number,
                       " does not carry a valid MAC: the anchor file was "
                       "edited"));
      continue;
    }
    // Lines need not grow: a second process on the file (gongkaid
    // --create-admin) may append its heads between another's read and
    // write. Each line is checked on its own.
    out.heads.push_back(std::move(h));
  }
  return out;
}

absl::StatusOr<std::optional<std::string>> CurrentAuditKeyId(Database& db) {
  ASSIGN_OR_RETURN(std::vector<Segment> segments, Segments(db));
  if (segments.empty()) return std::optional<std::string>();
  return std::optional<std::string>(segments.back().key_id);
}

absl::Status StartKeyedSegment(Database& db, const AuditKey& key,
                               const std::string& note, absl::Time at) {
  ASSIGN_OR_RETURN(AuditHeads heads, ReadAuditHeads(db));
  ASSIGN_OR_RETURN(int64_t next_record,
                   db.QueryInt("SELECT COALESCE(MAX(id), 0) + 1 FROM "
                               "record_events"));
  ASSIGN_OR_RETURN(
      ScopedStatement s,
      db.Prepare("INSERT INTO audit_keys (key_id, case_events_from, "
                 "record_events_from, keyed_at, note) VALUES (?, ?, ?, ?, ?)"));
  s->BindText(1, key.id());
  s->BindInt(2, heads.case_event_id + 1);
  s->BindInt(3, next_record);
  s->BindText(4, FormatTimestamp(at));
  s->BindText(5, note);
  RETURN_IF_ERROR(s->Run());
  // The segment's first record event says where it starts and why; it is
  // linked with the new key to the last link before it.
  RecordEvent event{"audit_chain_keyed", "audit trail", "gongkaid", at};
  event.details.Set("key_id", key.id());
  event.details.Set("case_events_from", heads.case_event_id + 1);
  event.details.Set("record_events_from", next_record);
  event.details.Set("note", note);
  return InsertRecordEvent(db, event, &key);
}

absl::Status AppendCaseEvent(Session& session, int64_t case_id,
                             CaseEvent& event, std::string* chain,
                             int64_t known_seq) {
  Database& db = session.db();
  if (known_seq > 0) {
    event.seq = known_seq;
  } else {
    ASSIGN_OR_RETURN(
        ScopedStatement seq,
        db.Prepare("SELECT COALESCE(MAX(seq), 0) + 1 FROM case_events "
                   "WHERE case_id = ?"));
    seq->BindInt(1, case_id);
    ASSIGN_OR_RETURN(bool row, seq->Step());
    (void)row;
    event.seq = seq->ColumnInt(0);
  }
  std::string prev;
  if (chain != nullptr && !chain->empty()) {
    prev = *chain;
  } else {
    ASSIGN_OR_RETURN(prev, LastLink(db, "case_events"));
  }
  const std::string details = event.details.Dump();
  const std::string recorded_at = FormatTimestamp(event.recorded_at);
  const std::string effective_on = FormatDate(event.effective_on);
  const std::string canonical =
      absl::StrCat(case_id, "|", event.seq, "|", event.kind, "|", effective_on,
                   "|", recorded_at, "|", event.actor, "|", details);
  ASSIGN_OR_RETURN(
      ScopedStatement insert,
      db.Prepare("INSERT INTO case_events (case_id, seq, kind, effective_on, "
                 "recorded_at, actor, details, chain) "
                 "VALUES (?, ?, ?, ?, ?, ?, ?, ?)"));
  insert->BindInt(1, case_id);
  insert->BindInt(2, event.seq);
  insert->BindText(3, event.kind);
  insert->BindText(4, effective_on);
  insert->BindText(5, recorded_at);
  insert->BindText(6, event.actor);
  insert->BindText(7, details);
  const std::string link = NewLink(session.audit_key, prev, canonical);
  insert->BindText(8, link);
  RETURN_IF_ERROR(insert->Run());
  session.audit_appended = true;
  if (chain != nullptr) *chain = link;
  return absl::OkStatus();
}

absl::Status AppendRecordEvent(Session& session, const RecordEvent& event) {
  RETURN_IF_ERROR(InsertRecordEvent(session.db(), event, session.audit_key));
  session.audit_appended = true;
  return absl::OkStatus();
}

absl::StatusOr<std::vector<std::string>> VerifyAuditChains(
    Database& db, const AuditKey* key, const std::string& anchor_path) {
  std::vector<std::string> problems;
  ASSIGN_OR_RETURN(std::vector<Segment> segments, Segments(db));
  std::map<std::string, int64_t> ends;  // table -> last row id
  for (const char* table : {"case_events", "record_events"}) {
    const bool case_table = std::string(table) == "case_events";
    ASSIGN_OR_RETURN(
        ScopedStatement s,
        db.Prepare(absl::StrCat("SELECT id, ", AuditCanonicalColumns(table),
                                ", chain FROM ", table, " ORDER BY id")));
    std::string prev;
    const Segment* unverifiable = nullptr;
    int64_t last_id = 0;
    bool broken = false;
    while (true) {
      ASSIGN_OR_RETURN(bool row, s->Step());
      if (!row) break;
      const int64_t id = s->ColumnInt(0);
      last_id = id;
      if (broken) continue;
      const std::string canonical = s->ColumnText(1);
      const std::string stored = s->ColumnText(2);
      const Segment* segment = nullptr;
      for (const Segment& seg : segments) {
        if (id >= (case_table ? seg.case_events_from : seg.record_events_from))
          segment = &seg;
      }
      const std::string unkeyed = AuditChainLink(prev, canonical);
      std::string expected;
      if (segment == nullptr) {
        expected = unkeyed;
      } else if (key != nullptr && segment->key_id == key->id()) {
        expected = key->Link(prev, canonical);
      } else {
        // Made with a key not at hand: the link cannot be checked; follow
        // it and say so once.
        if (unverifiable != segment) {
          unverifiable = segment;
          problems.push_back(absl::StrCat(
              table, " rows from ", id, " were linked with audit key ",
              segment->key_id,
              ", which this daemon does not have: they cannot be checked"));
        }
        prev = stored;
        continue;
      }
      if (expected != stored) {
        problems.push_back(absl::StrCat(
            table, " row ", id,
            segment != nullptr && stored == unkeyed
                ? " was linked with the unkeyed formula where the audit key "
                  "links: the chain was recomputed by someone without the key"
                : " breaks the checksum chain: it, or a row before it, was "
                  "changed, removed or inserted outside gongkai"));
        broken = true;
        continue;
      }
      prev = stored;
    }
    ends[table] = last_id;
  }
  if (anchor_path.empty() || key == nullptr) {
    if (!segments.empty()) {
      problems.push_back(
          "the audit chain is keyed but this check has no audit key and "
          "anchor: a recomputed chain or a cut-off tail would not be seen");
    }
    return problems;
  }
  absl::StatusOr<AnchorContents> anchor = ReadAuditAnchor(anchor_path, *key);
  if (absl::IsNotFound(anchor.status())) {
    problems.push_back(absl::StrCat(
        "the audit anchor ", anchor_path,
        " is missing: a cut-off tail of the audit trail cannot be ruled out"));
    return problems;
  }
  if (!anchor.ok()) return anchor.status();
  for (std::string& p : anchor->problems) problems.push_back(std::move(p));
  for (const char* table : {"case_events", "record_events"}) {
    const bool case_table = std::string(table) == "case_events";
    ASSIGN_OR_RETURN(
        ScopedStatement s,
        db.Prepare(absl::StrCat("SELECT chain FROM ", table, " WHERE id = ?")));
    // Every anchored head must still be there as it was: the last one alone
    // would not show a tail cut off and then written over by new events.
    int64_t checked = 0;
    for (const AuditHeads& heads : anchor->heads) {
      const int64_t id =
          case_table ? heads.case_event_id : heads.record_event_id;
      const std::string& link =
          case_table ? heads.case_event_link : heads.record_event_link;
      if (id == 0 || id == checked) continue;
      checked = id;
      s->Reset();
      s->BindInt(1, id);
      ASSIGN_OR_RETURN(bool row, s->Step());
      if (!row && ends[table] < id) {
        problems.push_back(absl::StrCat(
            table, " ends at row ", ends[table],
            " but the audit anchor recorded row ", id,
            " as committed: the tail of the audit trail was cut off"));
        break;
      }
      if (!row) {
        problems.push_back(absl::StrCat(
            table, " row ", id, ", recorded in the audit anchor, was removed"));
        break;
      }
      if (s->ColumnText(0) != link) {
        problems.push_back(absl::StrCat(
            table, " row ", id,
            " has another link than the audit anchor recorded: the chain was "
            "rewritten (or its tail cut off and written over) from there or "
            "before"));
        break;
      }
    }
  }
  return problems;
}

}  // namespace gongkai::storage

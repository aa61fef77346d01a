// SqliteAuditLog: the record events and the whole trail (case and record
// events) read back; the checksum chains are kept by audit_chain.h.
//
// Thread safety: reached only through Tables inside a transaction of its
// SqliteStore, which holds the connection.
#ifndef GONGKAI_STORAGE_SQLITE_AUDIT_LOG_H_
#define GONGKAI_STORAGE_SQLITE_AUDIT_LOG_H_

#include <string>
#include <vector>

#include "storage/sqlite/session.h"
#include "storage/store.h"

namespace gongkai::storage {

class SqliteAuditLog : public AuditLog {
 public:
  explicit SqliteAuditLog(Session* session) : session_(session) {}

  absl::Status Append(const RecordEvent& event) override;
  absl::StatusOr<std::vector<AuditEntry>> List(
      std::optional<absl::Time> since, const std::string& actor, int limit,
      const std::vector<std::string>& agencies) override;
  absl::StatusOr<std::vector<std::string>> Verify() override;

 private:
  Database& db() { return session_->db(); }

  Session* const session_;
};

}  // namespace gongkai::storage

#endif  // GONGKAI_STORAGE_SQLITE_AUDIT_LOG_H_

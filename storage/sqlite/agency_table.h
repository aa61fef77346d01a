// SqliteAgencyTable: the departments sharing the daemon, served from a cache in
// read transactions.
//
// Thread safety: reached only through Tables inside a transaction of its
// SqliteStore, which holds the connection.
#ifndef GONGKAI_STORAGE_SQLITE_AGENCY_TABLE_H_
#define GONGKAI_STORAGE_SQLITE_AGENCY_TABLE_H_

#include "storage/sqlite/session.h"
#include "storage/store.h"

namespace gongkai::storage {

class SqliteAgencyTable : public AgencyTable {
 public:
  explicit SqliteAgencyTable(Session* session) : session_(session) {}

  absl::Status Insert(const std::string& code, const std::string& name,
                      const RecordEvent& event) override;
  absl::StatusOr<std::vector<std::pair<std::string, std::string>>> List()
      override;
  absl::StatusOr<std::string> CaseNoPattern(const std::string& code) override;
  absl::Status SetCaseNoPattern(const std::string& code,
                                const std::string& pattern,
                                const RecordEvent& event) override;

 private:
  Database& db() { return session_->db(); }
  absl::StatusOr<SqliteCaches::Agencies> Load();
  Session* const session_;
};

}  // namespace gongkai::storage

#endif  // GONGKAI_STORAGE_SQLITE_AGENCY_TABLE_H_

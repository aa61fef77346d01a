// SqliteAppealTable: appeals against a case's answer, with the case's number
// and agency joined in.
//
// Thread safety: reached only through Tables inside a transaction of its
// SqliteStore, which holds the connection.
#ifndef GONGKAI_STORAGE_SQLITE_APPEAL_TABLE_H_
#define GONGKAI_STORAGE_SQLITE_APPEAL_TABLE_H_

#include "storage/sqlite/session.h"
#include "storage/store.h"

namespace gongkai::storage {

class SqliteAppealTable : public AppealTable {
 public:
  explicit SqliteAppealTable(Session* session) : session_(session) {}

  absl::StatusOr<AppealRecord> Get(int64_t id) override;
  absl::StatusOr<std::vector<AppealRecord>> List(
      int year, const std::vector<std::string>& agencies) override;
  absl::StatusOr<AppealRecord> Insert(AppealRecord appeal,
                                      RecordEvent event) override;
  absl::Status Update(const AppealRecord& appeal,
                      const RecordEvent& event) override;

 private:
  Database& db() { return session_->db(); }

  Session* const session_;
};

}  // namespace gongkai::storage

#endif  // GONGKAI_STORAGE_SQLITE_APPEAL_TABLE_H_

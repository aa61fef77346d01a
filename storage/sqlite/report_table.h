// SqliteReportTable: table 2 figures and the published reports. The published
// reports (which every write consults) are served from a cache in read
// transactions; writes read the table itself.
//
// Thread safety: reached only through Tables inside a transaction of its
// SqliteStore, which holds the connection.
#ifndef GONGKAI_STORAGE_SQLITE_REPORT_TABLE_H_
#define GONGKAI_STORAGE_SQLITE_REPORT_TABLE_H_

#include "storage/sqlite/session.h"
#include "storage/store.h"

namespace gongkai::storage {

class SqliteReportTable : public ReportTable {
 public:
  explicit SqliteReportTable(Session* session) : session_(session) {}

  absl::StatusOr<std::array<ProactiveRow, kProactiveItemCount>> GetProactive(
      int year, const std::vector<std::string>& agencies) override;
  absl::Status SetProactive(int year, const std::string& agency,
                            ProactiveItem item, const ProactiveRow& row,
                            const RecordEvent& event) override;
  absl::StatusOr<std::map<std::pair<int, std::string>, std::string>> Published()
      override;
  absl::StatusOr<std::set<std::pair<int, std::string>>> PublishedPeriods()
      override;
  absl::Status Publish(int year, const std::string& agency,
                       const std::string& figures,
                       const RecordEvent& event) override;

 private:
  Database& db() { return session_->db(); }
  absl::StatusOr<SqliteCaches::Published> LoadPublished();
  Session* const session_;
};

}  // namespace gongkai::storage

#endif  // GONGKAI_STORAGE_SQLITE_REPORT_TABLE_H_

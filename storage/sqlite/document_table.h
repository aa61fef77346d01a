// SqliteDocumentTable: each agency's document settings and own templates,
// the 文号 sequences (document_numbers), and the lookup of a case by its
// query code. NewQueryCode makes a fresh, unused code for a new case.
//
// Thread safety: reached only through Tables inside a transaction of its
// SqliteStore, which holds the connection.
#ifndef GONGKAI_STORAGE_SQLITE_DOCUMENT_TABLE_H_
#define GONGKAI_STORAGE_SQLITE_DOCUMENT_TABLE_H_

#include <map>
#include <optional>
#include <string>

#include "storage/database.h"
#include "storage/sqlite/session.h"
#include "storage/store.h"

namespace gongkai::storage {

// A random query code no case has yet (cryptographic randomness; retried
// on the rare collision).
absl::StatusOr<std::string> NewQueryCode(Database& db);

class SqliteDocumentTable : public DocumentTable {
 public:
  explicit SqliteDocumentTable(Session* session) : session_(session) {}

  absl::StatusOr<DocumentSettings> Settings(const std::string& agency) override;
  absl::Status SetSettings(const std::string& agency,
                           const DocumentSettings& settings,
                           const RecordEvent& event) override;
  absl::StatusOr<std::map<std::string, std::string>> Templates(
      const std::string& agency) override;
  absl::StatusOr<std::optional<std::string>> Template(
      const std::string& agency, const std::string& name) override;
  absl::Status SaveTemplates(
      const std::string& agency,
      const std::map<std::string, std::string>& templates,
      const RecordEvent& event) override;
  absl::StatusOr<int64_t> NextNumber(const std::string& agency,
                                     const std::string& kind,
                                     int year) override;
  absl::StatusOr<int64_t> TakeNumber(const std::string& agency,
                                     const std::string& kind,
                                     int year) override;
  absl::StatusOr<std::optional<std::string>> CaseNoByQueryCode(
      const std::string& code) override;

 private:
  Database& db() { return session_->db(); }
  Session* const session_;
};

}  // namespace gongkai::storage

#endif  // GONGKAI_STORAGE_SQLITE_DOCUMENT_TABLE_H_

// SqliteCalendarTable: the working-day schedules by year, and the append-only
// log of who loaded which calendar.
//
// Thread safety: reached only through Tables inside a transaction of its
// SqliteStore, which holds the connection.
#ifndef GONGKAI_STORAGE_SQLITE_CALENDAR_TABLE_H_
#define GONGKAI_STORAGE_SQLITE_CALENDAR_TABLE_H_

#include "storage/sqlite/session.h"
#include "storage/store.h"

namespace gongkai::storage {

class SqliteCalendarTable : public CalendarTable {
 public:
  explicit SqliteCalendarTable(Session* session) : session_(session) {}

  absl::Status SaveYears(const std::map<int, std::string>& year_texts,
                         const std::string& source,
                         const std::string& full_text, const std::string& actor,
                         absl::Time at) override;
  absl::StatusOr<std::map<int, std::string>> LoadYears() override;

 private:
  Database& db() { return session_->db(); }

  Session* const session_;
};

}  // namespace gongkai::storage

#endif  // GONGKAI_STORAGE_SQLITE_CALENDAR_TABLE_H_

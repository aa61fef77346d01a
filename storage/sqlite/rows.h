// Row conversions shared by the SQLite tables: stored timestamps and dates,
// agency filters, and the case row read by several tables.
//
// Thread safety: plain functions; the statements passed in belong to the
// caller's connection.
#ifndef GONGKAI_STORAGE_SQLITE_ROWS_H_
#define GONGKAI_STORAGE_SQLITE_ROWS_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "domain/case.h"
#include "storage/database.h"

namespace gongkai::storage {

// An agency filter as one SQL parameter: ",a,b," (empty: every agency),
// matched by "(?N = '' OR instr(?N, ',' || agency || ',') > 0)" so that one
// prepared statement serves every filter.
std::string AgencyList(const std::vector<std::string>& agencies);

// "2023-01-01" and "2023-12-31" of `year`.
std::string YearStart(int year);
std::string YearEnd(int year);

// DATA_LOSS when the database holds something gongkai did not write.
absl::StatusOr<absl::Time> StoredTimestamp(const std::string& text);
absl::StatusOr<absl::CivilDay> StoredDate(const std::string& text);
std::optional<std::string> OptionalDate(const std::optional<absl::CivilDay>& d);

// The columns ReadCase expects, in order.
extern const char kCaseColumns[];
absl::StatusOr<CaseRecord> ReadCase(const Statement& s);

// The columns ReadCaseEvent expects, in order (the case id first).
extern const char kCaseEventColumns[];
absl::StatusOr<CaseEvent> ReadCaseEvent(const Statement& s);

}  // namespace gongkai::storage

#endif  // GONGKAI_STORAGE_SQLITE_ROWS_H_

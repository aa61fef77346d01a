// Row conversions of the PostgreSQL tables: the case and event rows, read
// from the same text forms the SQLite engine stores (storage/sqlite/rows.h
// holds the shared helpers: agency lists, year bounds, stored dates).
//
// Thread safety: plain functions.
#ifndef GONGKAI_STORAGE_POSTGRES_PG_ROWS_H_
#define GONGKAI_STORAGE_POSTGRES_PG_ROWS_H_

#include "absl/status/statusor.h"
#include "domain/case.h"
#include "storage/postgres/pg_connection.h"

namespace gongkai::storage {

// The agency filter "(?N = '' OR strpos(?N, ',' || COLUMN || ',') > 0)"
// of AgencyList's parameter.
std::string PgAgencyFilter(int param, absl::string_view column);

// The columns PgReadCase expects, in order (those of the SQLite engine).
extern const char kPgCaseColumns[];
absl::StatusOr<CaseRecord> PgReadCase(const PgStatement& s);

// The columns PgReadCaseEvent expects, in order (the case id first).
extern const char kPgCaseEventColumns[];
absl::StatusOr<CaseEvent> PgReadCaseEvent(const PgStatement& s);

}  // namespace gongkai::storage

#endif  // GONGKAI_STORAGE_POSTGRES_PG_ROWS_H_

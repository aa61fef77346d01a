// Row conversions of the PostgreSQL tables. The case and event rows are
// read by storage/sqlite/rows.h's ReadCase and ReadCaseEvent, which take a
// statement of either engine (both store the same text forms).
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

}  // namespace gongkai::storage

#endif  // GONGKAI_STORAGE_POSTGRES_PG_ROWS_H_

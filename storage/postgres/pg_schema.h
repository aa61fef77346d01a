// The PostgreSQL schema of gongkai: the SQLite engine's migrations
// (storage/migrations.cc) in PostgreSQL's dialect, with the same version
// numbers, recorded in the table schema_version.
//
// Differences that follow from the engine, not from the data:
//   - text columns compare bytewise (COLLATE "C"), as SQLite's BINARY does,
//     whatever the database's locale: case numbers, dates and timestamps
//     (stored as the same ISO texts) sort the same on both engines;
//   - the append-only guarantees are trigger functions raising an error on
//     UPDATE or DELETE of events, the audit log, calendar loads and audit
//     key segments (and on DELETE of cases), plus statement triggers
//     refusing TRUNCATE, which row triggers do not see;
//   - the search index is the table case_bigrams (gram, column, case) with
//     a btree index, written by the case table with every insert and every
//     change of applicant, request or contact (PostgreSQL cannot call the
//     bigram splitter from a trigger); pg_trgm would miss two-character
//     names such as 王五.
//
// Thread safety: functions of the caller's connection.
#ifndef GONGKAI_STORAGE_POSTGRES_PG_SCHEMA_H_
#define GONGKAI_STORAGE_POSTGRES_PG_SCHEMA_H_

#include <span>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "storage/postgres/pg_connection.h"

namespace gongkai::storage {

struct PgMigration {
  int version;
  const char* description;
  const char* sql;
};

std::span<const PgMigration> PgSchemaMigrations();

// Brings the schema of the connection's current schema (search_path) up to
// the latest version, in one transaction under an advisory lock, so that
// replicas starting together migrate once. FAILED_PRECONDITION for a
// schema of another application or one newer than this gongkaid knows.
absl::Status PgMigrate(PgConnection& conn);

// The schema version recorded (0: none).
absl::StatusOr<int> PgSchemaVersion(PgConnection& conn);

// The append-only triggers the migrations make, as (table, trigger name).
std::vector<std::pair<std::string, std::string>> PgAppendOnlyTriggers();

}  // namespace gongkai::storage

#endif  // GONGKAI_STORAGE_POSTGRES_PG_SCHEMA_H_

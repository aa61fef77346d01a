// Versioned schema migrations. The schema version lives in the database file
// (PRAGMA user_version); each migration runs in its own transaction. A newer
// daemon upgrades an older file; an older daemon refuses a newer file.
#ifndef GONGKAI_STORAGE_MIGRATIONS_H_
#define GONGKAI_STORAGE_MIGRATIONS_H_

#include <span>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "storage/database.h"

namespace gongkai::storage {

struct Migration {
  int version;  // 1, 2, ... without gaps
  const char* description;
  const char* sql;
  // Optional work SQL alone cannot do (e.g. computing hashes), run after
  // `sql` in the same transaction.
  absl::Status (*after)(Database& db) = nullptr;
};

// The audit checksum chain: each event's link is SHA-256 of the previous
// link and the event's canonical text (the SQL expression below).
std::string AuditCanonicalColumns(absl::string_view table);
std::string AuditChainLink(absl::string_view previous,
                           absl::string_view canonical);

// The migrations of this build, oldest first.
std::span<const Migration> SchemaMigrations();

// One object of sqlite_schema (a table, index or trigger).
struct SchemaObject {
  std::string type, name, table, sql;
  friend bool operator==(const SchemaObject&, const SchemaObject&) = default;
};

// The objects of `db`'s schema, SQLite's own ones left out.
absl::StatusOr<std::vector<SchemaObject>> ReadSchema(Database& db);
// The schema the migrations of this build make (computed once).
absl::StatusOr<std::vector<SchemaObject>> ExpectedSchema();

// Marks the file as a gongkai database (PRAGMA application_id).
inline constexpr int kApplicationId = 0x676B6169;  // "gkai"

// Brings `db` to the last version of `migrations`. FAILED_PRECONDITION when
// the file is newer than `migrations` or belongs to another application.
absl::Status Migrate(Database& db, std::span<const Migration> migrations);

}  // namespace gongkai::storage

#endif  // GONGKAI_STORAGE_MIGRATIONS_H_

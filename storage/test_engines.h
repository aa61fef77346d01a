// Test helper: the Store contract on every engine. A parameterised test
// (TEST_P over TestEngines()) gets a fresh database on SQLite always, and on
// PostgreSQL when GONGKAI_TEST_PG_URL names a server (tests/pg/
// with_postgres.sh starts a throwaway one and sets it): each test a schema
// of its own, dropped when it ends.
//
// GONGKAI_TEST_PG_REQUIRED=1 makes a missing or unreachable server a test
// failure rather than a silently shorter run (the CTest entry
// storage_postgres_test sets it).
//
// Thread safety: a TestDatabase belongs to its test; the stores it opens
// are thread-safe as stores are.
#ifndef GONGKAI_STORAGE_TEST_ENGINES_H_
#define GONGKAI_STORAGE_TEST_ENGINES_H_

#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "storage/database.h"
#include "storage/postgres/pg_connection.h"
#include "storage/postgres/pg_store.h"
#include "storage/sqlite_store.h"
#include "storage/test_util.h"

namespace gongkai::storage {

enum class TestEngine { kSqlite, kPostgres };

inline std::string TestPgUrl() {
  const char* url = std::getenv("GONGKAI_TEST_PG_URL");
  return url != nullptr ? url : "";
}

inline bool TestPgRequired() {
  const char* required = std::getenv("GONGKAI_TEST_PG_REQUIRED");
  return required != nullptr && std::string(required) == "1";
}

// SQLite, and PostgreSQL when a test server is given.
inline std::vector<TestEngine> TestEngines() {
  std::vector<TestEngine> engines = {TestEngine::kSqlite};
  if (!TestPgUrl().empty()) engines.push_back(TestEngine::kPostgres);
  return engines;
}

inline std::string TestEngineName(
    const ::testing::TestParamInfo<TestEngine>& info) {
  return info.param == TestEngine::kSqlite ? "Sqlite" : "Postgres";
}

// `url` with its search_path set to `schema`.
inline std::string PgUrlWithSchema(const std::string& url,
                                   const std::string& schema) {
  return absl::StrCat(url, url.find('?') == std::string::npos ? "?" : "&",
                      "options=-c%20search_path%3D", schema);
}

// One fresh database on one engine.
class TestDatabase {
 public:
  explicit TestDatabase(TestEngine engine) : engine_(engine) {
    if (engine_ != TestEngine::kPostgres) return;
    static std::atomic<int> counter{0};
    schema_ = absl::StrCat("gk_test_", getpid(), "_", counter++);
    absl::StatusOr<std::unique_ptr<PgConnection>> admin =
        PgConnection::Open(TestPgUrl());
    if (!admin.ok()) {
      setup_ = admin.status();
      return;
    }
    setup_ = (*admin)->Execute(absl::StrCat("CREATE SCHEMA ", schema_));
    url_ = PgUrlWithSchema(TestPgUrl(), schema_);
  }
  ~TestDatabase() {
    if (engine_ != TestEngine::kPostgres || !setup_.ok()) return;
    absl::StatusOr<std::unique_ptr<PgConnection>> admin =
        PgConnection::Open(TestPgUrl());
    if (admin.ok()) {
      (void)(*admin)->Execute(
          absl::StrCat("DROP SCHEMA ", schema_, " CASCADE"));
    }
  }
  TestDatabase(const TestDatabase&) = delete;
  TestDatabase& operator=(const TestDatabase&) = delete;

  TestEngine engine() const { return engine_; }
  bool postgres() const { return engine_ == TestEngine::kPostgres; }
  // The SQLite file or the PostgreSQL URL (with the test's schema).
  std::string location() const {
    return postgres() ? url_ : dir_.File("gongkai.db");
  }
  const TempDir& dir() const { return dir_; }

  // A store on the database: the first, or another one beside it (a second
  // process on the file, a second replica on the server).
  absl::StatusOr<std::unique_ptr<Store>> Open(PgOptions pg = {}) const {
    if (!setup_.ok()) return setup_;
    if (postgres()) {
      if (!pg.log) pg.log = [](const std::string&) {};
      absl::StatusOr<std::unique_ptr<PgStore>> s =
          PgStore::Open(url_, std::move(pg));
      if (!s.ok()) return s.status();
      return std::unique_ptr<Store>(*std::move(s));
    }
    absl::StatusOr<std::unique_ptr<SqliteStore>> s =
        SqliteStore::Open(location());
    if (!s.ok()) return s.status();
    return std::unique_ptr<Store>(*std::move(s));
  }

  // Runs `sql` on the database outside gongkai, as someone with write
  // access to the file or the server would.
  absl::Status Tamper(const std::string& sql) const {
    if (postgres()) {
      absl::StatusOr<std::unique_ptr<PgConnection>> c =
          PgConnection::Open(url_);
      if (!c.ok()) return c.status();
      return (*c)->Execute(sql);
    }
    absl::StatusOr<std::unique_ptr<Database>> db = Database::Open(location());
    if (!db.ok()) return db.status();
    return (*db)->Execute(sql);
  }
  // The statement that removes the guard `trigger` on `table`.
  std::string DropTrigger(const std::string& table,
                          const std::string& trigger) const {
    return postgres() ? absl::StrCat("DROP TRIGGER ", trigger, " ON ", table)
                      : absl::StrCat("DROP TRIGGER ", trigger);
  }

 private:
  const TestEngine engine_;
  TempDir dir_;
  std::string schema_;
  std::string url_;
  absl::Status setup_;
};

}  // namespace gongkai::storage

#endif  // GONGKAI_STORAGE_TEST_ENGINES_H_

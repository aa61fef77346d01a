// SqliteUserTable: staff accounts, found by the hash of their token on every
// call. Read transactions use a cache of every user by token; a token the cache
// does not know is looked up in the database (never cached as missing), so a
// user added by another process on the same file is found at once.
//
// Thread safety: reached only through Tables inside a transaction of its
// SqliteStore, which holds the connection.
#ifndef GONGKAI_STORAGE_SQLITE_USER_TABLE_H_
#define GONGKAI_STORAGE_SQLITE_USER_TABLE_H_

#include "storage/sqlite/session.h"
#include "storage/store.h"

namespace gongkai::storage {

class SqliteUserTable : public UserTable {
 public:
  explicit SqliteUserTable(Session* session) : session_(session) {}

  absl::StatusOr<UserRecord> Insert(const std::string& name,
                                    const std::string& role,
                                    const std::string& agencies,
                                    const std::string& token_hash,
                                    const RecordEvent& event) override;
  absl::StatusOr<UserRecord> FindByTokenHash(
      const std::string& token_hash) override;
  absl::StatusOr<UserRecord> FindByName(const std::string& name) override;
  absl::StatusOr<std::vector<UserRecord>> List() override;
  absl::Status SetDisabled(const std::string& name, bool disabled,
                           const RecordEvent& event) override;
  absl::Status SetToken(const std::string& name, const std::string& token_hash,
                        const RecordEvent& event) override;
  absl::Status SetRole(const std::string& name, const std::string& role,
                       const std::string& agencies,
                       const RecordEvent& event) override;

 private:
  Database& db() { return session_->db(); }
  absl::StatusOr<SqliteCaches::UsersByToken> LoadAll();
  absl::StatusOr<UserRecord> LookUpToken(const std::string& token_hash);
  // UPDATE users SET <set_sql> (?1 is the name, ?2 the time, ?3 the value
  // bound by `bind`) and records `event`.
  absl::Status UpdateUser(const std::string& name, const char* set_sql,
                          absl::FunctionRef<void(Statement&)> bind,
                          const RecordEvent& event);
  Session* const session_;
};

}  // namespace gongkai::storage

#endif  // GONGKAI_STORAGE_SQLITE_USER_TABLE_H_

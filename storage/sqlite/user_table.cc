#include "storage/sqlite/user_table.h"

#include "absl/strings/str_cat.h"
#include "common/dates.h"
#include "common/lang.h"
#include "common/status_macros.h"
#include "storage/sqlite/audit_chain.h"
#include "storage/sqlite/rows.h"

namespace gongkai::storage {
namespace {

constexpr char kUserColumns[] =
    "id, name, role, disabled, created_at, agencies";

absl::StatusOr<UserRecord> ReadUser(const Statement& s) {
  UserRecord u;
  u.id = s.ColumnInt(0);
  u.name = s.ColumnText(1);
  u.role = s.ColumnText(2);
  u.disabled = s.ColumnInt(3) != 0;
  ASSIGN_OR_RETURN(u.created_at, StoredTimestamp(s.ColumnText(4)));
  u.agencies = s.ColumnText(5);
  return u;
}

}  // namespace

absl::StatusOr<UserRecord> SqliteUserTable::Insert(
    const std::string& name, const std::string& role,
    const std::string& agencies, const std::string& token_hash,
    const RecordEvent& event) {
  RETURN_IF_ERROR(session_->RequireWrite("adding a user"));
  ASSIGN_OR_RETURN(ScopedStatement exists,
                   db().Prepare("SELECT 1 FROM users WHERE name = ?"));
  exists->BindText(1, name);
  ASSIGN_OR_RETURN(bool taken, exists->Step());
  if (taken) {
    return LocalizedError(absl::StatusCode::kAlreadyExists,
                          absl::StrCat("已有名为“", name, "”的用户"),
                          absl::StrCat("a user named '", name, "' exists"));
  }
  ASSIGN_OR_RETURN(ScopedStatement s,
                   db().Prepare("INSERT INTO users (name, role, token_hash, "
                                "created_at, updated_at, agencies) "
                                "VALUES (?, ?, ?, ?, ?, ?)"));
  s->BindText(1, name);
  s->BindText(2, role);
  s->BindText(3, token_hash);
  s->BindText(4, FormatTimestamp(event.at));
  s->BindText(5, FormatTimestamp(event.at));
  s->BindText(6, agencies);
  session_->users_changed = true;
  RETURN_IF_ERROR(s->Run());
  UserRecord u{db().LastInsertRowId(), name, role, false, event.at, agencies};
  RETURN_IF_ERROR(AppendRecordEvent(*session_, event));
  return u;
}

absl::StatusOr<SqliteCaches::UsersByToken> SqliteUserTable::LoadAll() {
  ASSIGN_OR_RETURN(ScopedStatement s,
                   db().Prepare(absl::StrCat("SELECT ", kUserColumns,
                                             ", token_hash FROM users")));
  SqliteCaches::UsersByToken by_token;
  while (true) {
    ASSIGN_OR_RETURN(bool row, s->Step());
    if (!row) break;
    ASSIGN_OR_RETURN(UserRecord u, ReadUser(*s));
    by_token[s->ColumnText(6)] = std::move(u);
  }
  return by_token;
}

absl::StatusOr<UserRecord> SqliteUserTable::LookUpToken(
    const std::string& token_hash) {
  ASSIGN_OR_RETURN(ScopedStatement s,
                   db().Prepare(absl::StrCat("SELECT ", kUserColumns,
                                             " FROM users WHERE token_hash = ?"
                                             " ORDER BY id LIMIT 1")));
  s->BindText(1, token_hash);
  ASSIGN_OR_RETURN(bool found, s->Step());
  if (!found) return absl::NotFoundError("unknown token");
  return ReadUser(*s);
}

absl::StatusOr<UserRecord> SqliteUserTable::FindByTokenHash(
    const std::string& token_hash) {
  // Inside a write the rows are read directly: a cached value could predate
  // this very transaction's changes.
  if (!session_->may_use_caches()) return LookUpToken(token_hash);
  ReadCache<SqliteCaches::UsersByToken>& cache = session_->caches().users;
  ASSIGN_OR_RETURN(std::shared_ptr<const SqliteCaches::UsersByToken> users,
                   cache.Get([&] { return LoadAll(); }));
  auto it = users->find(token_hash);
  if (it != users->end()) return it->second;
  // Not cached: maybe added by another process on the same file (gongkaid
  // --create-admin beside a running daemon). Misses are never cached.
  absl::StatusOr<UserRecord> found = LookUpToken(token_hash);
  // This read transaction sees only committed rows, so the cache may be
  // rebuilt from them next time.
  if (found.ok()) cache.Invalidate();
  return found;
}

absl::StatusOr<UserRecord> SqliteUserTable::FindByName(
    const std::string& name) {
  ASSIGN_OR_RETURN(ScopedStatement s,
                   db().Prepare(absl::StrCat("SELECT ", kUserColumns,
                                             " FROM users WHERE name = ?")));
  s->BindText(1, name);
  ASSIGN_OR_RETURN(bool found, s->Step());
  if (!found) {
    return LocalizedError(absl::StatusCode::kNotFound,
                          absl::StrCat("没有名为“", name, "”的用户"),
                          absl::StrCat("no user named '", name, "'"));
  }
  return ReadUser(*s);
}

absl::StatusOr<std::vector<UserRecord>> SqliteUserTable::List() {
  ASSIGN_OR_RETURN(ScopedStatement s,
                   db().Prepare(absl::StrCat("SELECT ", kUserColumns,
                                             " FROM users ORDER BY name")));
  return CollectRows(*s, ReadUser);
}

absl::Status SqliteUserTable::UpdateUser(
    const std::string& name, const char* set_sql,
    absl::FunctionRef<void(Statement&)> bind, const RecordEvent& event) {
  RETURN_IF_ERROR(session_->RequireWrite("changing a user"));
  ASSIGN_OR_RETURN(
      ScopedStatement s,
      db().Prepare(absl::StrCat("UPDATE users SET ", set_sql,
                                ", updated_at = ?2 WHERE name = ?1")));
  s->BindText(1, name);
  s->BindText(2, FormatTimestamp(event.at));
  bind(*s);
  session_->users_changed = true;
  RETURN_IF_ERROR(s->Run());
  if (db().Changes() != 1) {
    return LocalizedError(absl::StatusCode::kNotFound,
                          absl::StrCat("没有名为“", name, "”的用户"),
                          absl::StrCat("no user named '", name, "'"));
  }
  return AppendRecordEvent(*session_, event);
}

absl::Status SqliteUserTable::SetDisabled(const std::string& name,
                                          bool disabled,
                                          const RecordEvent& event) {
  return UpdateUser(
      name, "disabled = ?3",
      [&](Statement& s) { s.BindInt(3, disabled ? 1 : 0); }, event);
}

absl::Status SqliteUserTable::SetToken(const std::string& name,
                                       const std::string& token_hash,
                                       const RecordEvent& event) {
  return UpdateUser(
      name, "token_hash = ?3", [&](Statement& s) { s.BindText(3, token_hash); },
      event);
}

absl::Status SqliteUserTable::SetRole(const std::string& name,
                                      const std::string& role,
                                      const std::string& agencies,
                                      const RecordEvent& event) {
  return UpdateUser(
      name, "role = ?3, agencies = ?4",
      [&](Statement& s) {
        s.BindText(3, role);
        s.BindText(4, agencies);
      },
      event);
}

}  // namespace gongkai::storage

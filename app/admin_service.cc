#include "app/admin_service.h"

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/time.h"
#include "app/access.h"
#include "common/crypto.h"
#include "common/lang.h"
#include "common/status_macros.h"
#include "domain/case.h"
#include "domain/case_no_pattern.h"
#include "domain/permissions.h"

namespace gongkai::app {
namespace {

absl::Status CheckUserName(const std::string& name) {
  RETURN_IF_ERROR(ValidateText("user name", name, true, 64, 0, false));
  for (char c : name) {
    if (c == ' ' || c == '/' || c == ':' || c == '"' || c == '\'') {
      return absl::InvalidArgumentError(
          "a user name may not contain spaces, quotes, slashes or colons");
    }
  }
  return absl::OkStatus();
}

// The agencies of a user as stored: "*" for every agency, else "a,b", each
// one an agency the caller works for.
absl::StatusOr<std::string> StoredAgencies(
    storage::Tables& t, const Caller& now,
    const std::vector<std::string>& agencies) {
  // An administrator of some agencies hands out access only within
  // them: never to every agency, and another agency is as unknown
  // here as one that does not exist.
  if (agencies.empty()) {
    if (!now.SeesAllAgencies()) {
      return absl::PermissionDeniedError(
          "only an administrator of every agency may add a user of every "
          "agency; give the user's agencies (--agency)");
    }
    return std::string("*");
  }
  ASSIGN_OR_RETURN(auto known, VisibleAgencies(t, now));
  for (const std::string& a : agencies) {
    bool found = false;
    for (const auto& [code, agency_name] : known) found |= code == a;
    if (!found) {
      return absl::InvalidArgumentError(absl::StrCat(
          "unknown agency '", a, "'; add it with gongkai admin agency add"));
    }
  }
  return absl::StrJoin(agencies, ",");
}

bool IsFullAdmin(const storage::UserRecord& u) {
  return !u.disabled && u.role == "admin" && u.agencies == "*";
}

// FAILED_PRECONDITION when `name` is the last enabled administrator of
// every agency: without one, nobody could add agencies, load the calendar,
// back up, or enable anybody again.
absl::Status KeepOneFullAdmin(storage::Tables& t, const std::string& name,
                              absl::string_view zh_action,
                              absl::string_view en_action) {
  ASSIGN_OR_RETURN(std::vector<storage::UserRecord> users, t.users().List());
  int others = 0;
  bool is_one = false;
  for (const storage::UserRecord& u : users) {
    if (!IsFullAdmin(u)) continue;
    if (u.name == name) {
      is_one = true;
    } else {
      ++others;
    }
  }
  if (!is_one || others > 0) return absl::OkStatus();
  return LocalizedError(
      absl::StatusCode::kFailedPrecondition,
      absl::StrCat("“", name, "”是最后一个可管理全部机关的启用管理员，不能",
                   zh_action, "；请先添加或启用另一个这样的管理员"),
      absl::StrCat("'", name,
                   "' is the last enabled administrator of every agency and "
                   "cannot be ",
                   en_action, "; add or enable another one first"));
}

}  // namespace

absl::StatusOr<UserToken> AdminService::CreateUserWithToken(
    const Caller& caller, const std::string& name, const std::string& role,
    const std::vector<std::string>& agencies) const {
  RETURN_IF_ERROR(CheckUserName(name));
  RETURN_IF_ERROR(ParseRole(role).status());
  const std::string token = NewApiToken();
  const std::string token_hash = Sha256Hex(token);
  const absl::Time at = env_.time->Now();
  return storage::WriteValue<UserToken>(
      *env_.store, [&](storage::Tables& t) -> absl::StatusOr<UserToken> {
        ASSIGN_OR_RETURN(Caller now, ConfirmCaller(t, caller, "CreateUser"));
        ASSIGN_OR_RETURN(const std::string stored,
                         StoredAgencies(t, now, agencies));
        // A disabled account keeps its name (its events name it); say how
        // to get it back instead of only that the name is taken.
        absl::StatusOr<storage::UserRecord> existing =
            ReachableUser(t, now, name);
        if (existing.ok() && existing->disabled) {
          return LocalizedError(
              absl::StatusCode::kAlreadyExists,
              absl::StrCat("用户“", name,
                           "”已存在但已停用；要重新使用，请执行 gongkai admin "
                           "user enable ",
                           name, "（需要时再用 user set 修改角色或机关）"),
              absl::StrCat("a disabled user named '", name,
                           "' exists; to use the name again, run gongkai "
                           "admin user enable ",
                           name,
                           " (and user set to change its role or "
                           "agencies)"));
        }
        storage::RecordEvent event{"user_created", absl::StrCat("user ", name),
                                   now.name, at};
        event.details.Set("role", role);
        event.details.Set("agencies", stored);
        ASSIGN_OR_RETURN(
            storage::UserRecord user,
            t.users().Insert(name, role, stored, token_hash, event));
        return UserToken{std::move(user), token};
      });
}

absl::StatusOr<std::vector<storage::UserRecord>> AdminService::ListUsers(
    const Caller& caller) const {
  RETURN_IF_ERROR(CheckAllowed(caller, "ListUsers"));
  ASSIGN_OR_RETURN(
      std::vector<storage::UserRecord> users,
      storage::ReadValue<std::vector<storage::UserRecord>>(
          *env_.store, [&](storage::Tables& t) { return t.users().List(); }));
  std::erase_if(users, [&](const storage::UserRecord& u) {
    return !ReachesUser(caller, u.agencies);
  });
  return users;
}

absl::StatusOr<storage::UserRecord> AdminService::DisableUser(
    const Caller& caller, const std::string& name) const {
  const absl::Time at = env_.time->Now();
  return storage::WriteValue<storage::UserRecord>(
      *env_.store,
      [&](storage::Tables& t) -> absl::StatusOr<storage::UserRecord> {
        ASSIGN_OR_RETURN(Caller now, ConfirmCaller(t, caller, "DisableUser"));
        if (name == now.name) {
          return absl::FailedPreconditionError("you cannot disable yourself");
        }
        ASSIGN_OR_RETURN(storage::UserRecord user, ReachableUser(t, now, name));
        RETURN_IF_ERROR(KeepOneFullAdmin(t, name, "停用", "disabled"));
        storage::RecordEvent event{"user_disabled", absl::StrCat("user ", name),
                                   now.name, at};
        RETURN_IF_ERROR(t.users().SetDisabled(name, true, event));
        user.disabled = true;
        return user;
      });
}

absl::StatusOr<storage::UserRecord> AdminService::EnableUser(
    const Caller& caller, const std::string& name) const {
  const absl::Time at = env_.time->Now();
  return storage::WriteValue<storage::UserRecord>(
      *env_.store,
      [&](storage::Tables& t) -> absl::StatusOr<storage::UserRecord> {
        ASSIGN_OR_RETURN(Caller now, ConfirmCaller(t, caller, "EnableUser"));
        ASSIGN_OR_RETURN(storage::UserRecord user, ReachableUser(t, now, name));
        if (!user.disabled) {
          return LocalizedError(
              absl::StatusCode::kFailedPrecondition,
              absl::StrCat("用户“", name, "”未被停用"),
              absl::StrCat("user '", name, "' is not disabled"));
        }
        storage::RecordEvent event{"user_enabled", absl::StrCat("user ", name),
                                   now.name, at};
        RETURN_IF_ERROR(t.users().SetDisabled(name, false, event));
        user.disabled = false;
        return user;
      });
}

absl::StatusOr<storage::UserRecord> AdminService::UpdateUser(
    const Caller& caller, const std::string& name,
    const std::optional<std::string>& role,
    const std::optional<std::vector<std::string>>& agencies) const {
  if (!role.has_value() && !agencies.has_value()) {
    return LocalizedError(
        absl::StatusCode::kInvalidArgument,
        "请给出新的角色（--role）或机关（--agency），或两者都给",
        "give a new role (--role), new agencies "
        "(--agency), or both");
  }
  if (role.has_value()) RETURN_IF_ERROR(ParseRole(*role).status());
  const absl::Time at = env_.time->Now();
  return storage::WriteValue<storage::UserRecord>(
      *env_.store,
      [&](storage::Tables& t) -> absl::StatusOr<storage::UserRecord> {
        ASSIGN_OR_RETURN(Caller now, ConfirmCaller(t, caller, "UpdateUser"));
        ASSIGN_OR_RETURN(storage::UserRecord user, ReachableUser(t, now, name));
        storage::UserRecord after = user;
        if (role.has_value()) after.role = *role;
        if (agencies.has_value()) {
          ASSIGN_OR_RETURN(after.agencies, StoredAgencies(t, now, *agencies));
        }
        if (after.role == user.role && after.agencies == user.agencies) {
          return user;  // nothing changes, nothing to record
        }
        if (IsFullAdmin(user) && !IsFullAdmin(after)) {
          RETURN_IF_ERROR(KeepOneFullAdmin(t, name, "降级或限定机关",
                                           "demoted or confined"));
        }
        storage::RecordEvent event{"user_changed", absl::StrCat("user ", name),
                                   now.name, at};
        event.details.Set("role_before", user.role);
        event.details.Set("role", after.role);
        event.details.Set("agencies_before", user.agencies);
        event.details.Set("agencies", after.agencies);
        RETURN_IF_ERROR(
            t.users().SetRole(name, after.role, after.agencies, event));
        return after;
      });
}

absl::StatusOr<UserToken> AdminService::RotateToken(
    const Caller& caller, const std::string& name) const {
  const std::string token = NewApiToken();
  const std::string token_hash = Sha256Hex(token);
  const absl::Time at = env_.time->Now();
  return storage::WriteValue<UserToken>(
      *env_.store, [&](storage::Tables& t) -> absl::StatusOr<UserToken> {
        ASSIGN_OR_RETURN(Caller now, ConfirmCaller(t, caller, "RotateToken"));
        ASSIGN_OR_RETURN(storage::UserRecord user, ReachableUser(t, now, name));
        if (user.disabled) {
          // A token for a disabled account would be refused at its first use.
          return LocalizedError(
              absl::StatusCode::kFailedPrecondition,
              absl::StrCat("用户“", name,
                           "”已停用，其令牌无法使用；请先执行 gongkai admin "
                           "user enable ",
                           name),
              absl::StrCat("user '", name,
                           "' is disabled and could not use a token; enable "
                           "it first with gongkai admin user enable ",
                           name));
        }
        storage::RecordEvent event{"token_rotated", absl::StrCat("user ", name),
                                   now.name, at};
        RETURN_IF_ERROR(t.users().SetToken(name, token_hash, event));
        return UserToken{std::move(user), token};
      });
}

absl::StatusOr<Agency> AdminService::CreateAgency(
    const Caller& caller, const std::string& code,
    const std::string& name) const {
  if (!CheckUserName(code).ok()) {
    return absl::InvalidArgumentError(
        "an agency code is a short name without spaces, quotes, slashes or "
        "colons, e.g. psb");
  }
  if (code.find(',') != std::string::npos || code == "*") {
    return absl::InvalidArgumentError(
        "an agency code may not contain ',' or be '*'");
  }
  RETURN_IF_ERROR(ValidateText("agency name", name, true, 200, 0, false));
  const absl::Time at = env_.time->Now();
  absl::StatusOr<Agency> created = storage::WriteValue<Agency>(
      *env_.store, [&](storage::Tables& t) -> absl::StatusOr<Agency> {
        ASSIGN_OR_RETURN(Caller now, ConfirmCaller(t, caller, "CreateAgency"));
        storage::RecordEvent event{"agency_created",
                                   absl::StrCat("agency ", code), now.name, at};
        event.details.Set("name", name);
        RETURN_IF_ERROR(t.agencies().Insert(code, name, event));
        return Agency{code, name};
      });
  // A new agency owes its own annual report.
  if (created.ok() && env_.on_reports_changed) env_.on_reports_changed();
  return created;
}

absl::StatusOr<std::vector<Agency>> AdminService::ListAgencies(
    const Caller& caller) const {
  RETURN_IF_ERROR(CheckAllowed(caller, "ListAgencies"));
  return storage::ReadValue<std::vector<Agency>>(
      *env_.store,
      [&](storage::Tables& t) -> absl::StatusOr<std::vector<Agency>> {
        ASSIGN_OR_RETURN(auto agencies, VisibleAgencies(t, caller));
        std::vector<Agency> out;
        out.reserve(agencies.size());
        for (auto& [code, name] : agencies) {
          ASSIGN_OR_RETURN(std::string pattern,
                           t.agencies().CaseNoPattern(code));
          out.push_back(
              Agency{std::move(code), std::move(name), std::move(pattern)});
        }
        return out;
      });
}

absl::StatusOr<Agency> AdminService::SetAgencyCaseNoPattern(
    const Caller& caller, const std::string& code,
    const std::string& pattern) const {
  const std::string stored = pattern == "default" ? "" : pattern;
  RETURN_IF_ERROR(ValidateCaseNoPattern(stored));
  const absl::Time at = env_.time->Now();
  return storage::WriteValue<Agency>(
      *env_.store, [&](storage::Tables& t) -> absl::StatusOr<Agency> {
        ASSIGN_OR_RETURN(Caller now,
                         ConfirmCaller(t, caller, "SetAgencyCaseNoPattern"));
        ASSIGN_OR_RETURN(auto agencies, VisibleAgencies(t, now));
        for (const auto& [known, name] : agencies) {
          if (known != code) continue;
          ASSIGN_OR_RETURN(std::string before,
                           t.agencies().CaseNoPattern(code));
          storage::RecordEvent event{"agency_case_no_pattern",
                                     absl::StrCat("agency ", code), now.name,
                                     at};
          event.details.Set("before", before);
          event.details.Set("pattern", stored);
          RETURN_IF_ERROR(t.agencies().SetCaseNoPattern(code, stored, event));
          return Agency{code, name, stored};
        }
        return LocalizedError(absl::StatusCode::kNotFound,
                              absl::StrCat("没有代码为“", code, "”的机关"),
                              absl::StrCat("unknown agency '", code, "'"));
      });
}

absl::StatusOr<std::vector<storage::AuditEntry>> AdminService::ListAudit(
    const Caller& caller, const AuditQuery& query) const {
  RETURN_IF_ERROR(CheckAllowed(caller, "ListAudit"));
  std::optional<absl::Time> since;
  if (query.since.has_value()) {
    // Days are China Standard Time, as everywhere in the records.
    since = absl::FromCivil(absl::CivilSecond(*query.since),
                            absl::FixedTimeZone(8 * 3600));
  }
  const int limit = query.limit <= 0 ? 1000 : std::min(query.limit, 100000);
  return storage::ReadValue<std::vector<storage::AuditEntry>>(
      *env_.store, [&](storage::Tables& t) {
        // A caller of some agencies sees only the events about their cases,
        // appeals, figures and staff.
        return t.audit().List(since, query.actor, limit, caller.agencies);
      });
}

absl::StatusOr<std::vector<std::string>> AdminService::VerifyAudit(
    const Caller& caller) const {
  RETURN_IF_ERROR(CheckAllowed(caller, "VerifyAudit"));
  return storage::ReadValue<std::vector<std::string>>(
      *env_.store, [&](storage::Tables& t) { return t.audit().Verify(); });
}

absl::StatusOr<std::string> BackupFilePath(const std::string& backup_dir,
                                           const std::string& name) {
  namespace fs = std::filesystem;
  if (backup_dir.empty()) {
    return absl::FailedPreconditionError(
        "backups are not enabled: the daemon has no backup folder");
  }
  RETURN_IF_ERROR(
      ValidateText("backup file name", name, true, 255, 4096, false));
  fs::path dir = fs::path(backup_dir).lexically_normal();
  if (dir.has_parent_path() && !dir.has_filename()) dir = dir.parent_path();
  fs::path file(name);
  if (file.is_absolute()) {
    // Accepted only when it names a file directly in the backup folder
    // (as `admin backup` printed it), however it is spelled.
    file = file.lexically_normal();
    std::error_code ec;
    const fs::path parent = file.parent_path();
    const bool inside = parent == dir || fs::weakly_canonical(parent, ec) ==
                                             fs::weakly_canonical(dir, ec);
    if (!inside || ec) {
      return absl::PermissionDeniedError(absl::StrCat(
          "backups are written only to the backup folder ", dir.string(),
          "; give a file name there (e.g. gongkai-2024-06-30.db) instead of ",
          name));
    }
    file = file.filename();
  }
  // One plain name: no folders, so nothing can climb out of the folder.
  const std::string base = file.string();
  if (base.empty() || base == "." || base == ".." ||
      base.find('/') != std::string::npos) {
    return absl::InvalidArgumentError(
        absl::StrCat("give the backup as a file name in the backup folder ",
                     dir.string(), " (no folders, no '..'), not ", name));
  }
  return (dir / base).string();
}

absl::StatusOr<BackupResult> AdminService::Backup(
    const Caller& caller, const std::string& name) const {
  // The account is confirmed before the copy is made (a copy cannot be
  // part of a transaction), and the copy recorded after it exists.
  ASSIGN_OR_RETURN(Caller now, storage::ReadValue<Caller>(
                                   *env_.store, [&](storage::Tables& t) {
                                     return ConfirmCaller(t, caller, "Backup");
                                   }));
  ASSIGN_OR_RETURN(const std::string path,
                   BackupFilePath(env_.backup_dir, name));
  // The folder is made on first use, for the daemon's user (and group)
  // only, as the umask says. An existing one is used as it is.
  if (mkdir(env_.backup_dir.c_str(), 0770) != 0 && errno != EEXIST) {
    return absl::FailedPreconditionError(
        absl::StrCat("cannot create the backup folder ", env_.backup_dir, ": ",
                     strerror(errno)));
  }
  // Refuses an existing file or symlink at `path` (ALREADY_EXISTS).
  RETURN_IF_ERROR(env_.store->Backup(path));
  std::error_code ec;
  const std::uintmax_t bytes = std::filesystem::file_size(path, ec);
  BackupResult result{path, ec ? 0 : static_cast<int64_t>(bytes)};
  storage::RecordEvent event{"backup", path, now.name, env_.time->Now()};
  event.details.Set("bytes", result.bytes);
  RETURN_IF_ERROR(env_.store->Write(
      [&](storage::Tables& t) { return t.audit().Append(event); }));
  return result;
}

std::string FormatIntegrityReport(const storage::IntegrityReport& report,
                                  Lang lang) {
  const bool en = lang == Lang::kEn;
  std::vector<std::string> lines;
  for (const storage::IntegrityProblem& p : report.problems) {
    // Subjects and fields are the stored names ("case 2024-0001",
    // "outcome"), the same in either language, so a script can match them.
    if (p.field.empty()) {
      lines.push_back(absl::StrCat(p.subject, ": ", p.message));
    } else if (p.subject == "report counts") {
      lines.push_back(en ? absl::StrCat(p.subject, ": ", p.field, " is ", p.row,
                                        " in the kept counts but ", p.derived,
                                        " by the case histories")
                         : absl::StrCat(p.subject, "：", p.field,
                                        " 的留存统计数为 ", p.row,
                                        "，按办理记录应为 ", p.derived));
    } else {
      lines.push_back(en ? absl::StrCat(p.subject, ": ", p.field, " is '",
                                        p.row, "' in the case row but '",
                                        p.derived, "' by its events")
                         : absl::StrCat(p.subject, "：", p.field,
                                        " 在案件记录中为“", p.row,
                                        "”，按办理记录应为“", p.derived, "”"));
    }
  }
  if (lines.empty()) lines.push_back(en ? "ok" : "正常");
  if (report.cases_partly_checked > 0) {
    lines.push_back(
        en ? absl::StrCat(
                 "note: ", report.cases_partly_checked, " of ",
                 report.cases_checked,
                 " cases were received before their history recorded every "
                 "intake field; their agency, contact, identity number and "
                 "request were not checked")
           : absl::StrCat(
                 "说明：", report.cases_checked, " 件中有 ",
                 report.cases_partly_checked,
                 " 件在办理记录记载全部登记项之前收到，其机关、联系方式、"
                 "身份证件号码和申请内容未核对"));
  }
  return absl::StrJoin(lines, "\n");
}

absl::StatusOr<storage::IntegrityReport> AdminService::CheckDatabase(
    const Caller& caller) const {
  RETURN_IF_ERROR(CheckAllowed(caller, "CheckDatabase"));
  return env_.store->CheckIntegrity();
}

}  // namespace gongkai::app

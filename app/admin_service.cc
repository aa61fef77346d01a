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
#include "common/status_macros.h"
#include "domain/case.h"
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
        // An administrator of some agencies hands out access only within
        // them: never to every agency, and another agency is as unknown
        // here as one that does not exist.
        if (agencies.empty() && !now.SeesAllAgencies()) {
          return absl::PermissionDeniedError(
              "only an administrator of every agency may add a user of every "
              "agency; give the user's agencies (--agency)");
        }
        std::string stored = "*";
        if (!agencies.empty()) {
          ASSIGN_OR_RETURN(auto known, VisibleAgencies(t, now));
          for (const std::string& a : agencies) {
            bool found = false;
            for (const auto& [code, agency_name] : known) found |= code == a;
            if (!found) {
              return absl::InvalidArgumentError(
                  absl::StrCat("unknown agency '", a,
                               "'; add it with gongkai admin agency add"));
            }
          }
          stored = absl::StrJoin(agencies, ",");
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
        storage::RecordEvent event{"user_disabled", absl::StrCat("user ", name),
                                   now.name, at};
        RETURN_IF_ERROR(t.users().SetDisabled(name, true, event));
        user.disabled = true;
        return user;
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
          out.push_back(Agency{std::move(code), std::move(name)});
        }
        return out;
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

std::string FormatIntegrityReport(const storage::IntegrityReport& report) {
  std::vector<std::string> lines;
  for (const storage::IntegrityProblem& p : report.problems) {
    if (p.field.empty()) {
      lines.push_back(absl::StrCat(p.subject, ": ", p.message));
    } else if (p.subject == "report counts") {
      lines.push_back(absl::StrCat(p.subject, ": ", p.field, " is ", p.row,
                                   " in the kept counts but ", p.derived,
                                   " by the case histories"));
    } else {
      lines.push_back(absl::StrCat(p.subject, ": ", p.field, " is '", p.row,
                                   "' in the case row but '", p.derived,
                                   "' by its events"));
    }
  }
  if (lines.empty()) lines.push_back("ok");
  if (report.cases_partly_checked > 0) {
    lines.push_back(absl::StrCat(
        "note: ", report.cases_partly_checked, " of ", report.cases_checked,
        " cases were received before their history recorded every intake "
        "field; their agency, contact, identity number and request were not "
        "checked"));
  }
  return absl::StrJoin(lines, "\n");
}

absl::StatusOr<storage::IntegrityReport> AdminService::CheckDatabase(
    const Caller& caller) const {
  RETURN_IF_ERROR(CheckAllowed(caller, "CheckDatabase"));
  return env_.store->CheckIntegrity();
}

}  // namespace gongkai::app

#include "app/admin_service.h"

#include <algorithm>
#include <filesystem>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/time.h"
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

// An administrator of some agencies manages only accounts confined to them,
// so nobody can hand out (or take away) access beyond their own.
absl::Status CheckManages(const Caller& caller,
                          const std::vector<std::string>& agencies) {
  if (caller.SeesAllAgencies()) return absl::OkStatus();
  if (agencies.empty()) {
    return absl::PermissionDeniedError(
        "only a user of every agency may manage a user of every agency");
  }
  for (const std::string& a : agencies) {
    if (!caller.SeesAgency(a)) {
      return absl::PermissionDeniedError(
          absl::StrCat("you do not work for agency ", a));
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
        std::string stored = "*";
        if (!agencies.empty()) {
          ASSIGN_OR_RETURN(auto known, t.agencies().List());
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
        RETURN_IF_ERROR(CheckManages(now, agencies));
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
  return storage::ReadValue<std::vector<storage::UserRecord>>(
      *env_.store, [&](storage::Tables& t) { return t.users().List(); });
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
        ASSIGN_OR_RETURN(storage::UserRecord user, t.users().FindByName(name));
        RETURN_IF_ERROR(CheckManages(now, ParseAgencyList(user.agencies)));
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
        ASSIGN_OR_RETURN(storage::UserRecord user, t.users().FindByName(name));
        RETURN_IF_ERROR(CheckManages(now, ParseAgencyList(user.agencies)));
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
        ASSIGN_OR_RETURN(auto agencies, t.agencies().List());
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
        return t.audit().List(since, query.actor, limit);
      });
}

absl::StatusOr<std::vector<std::string>> AdminService::VerifyAudit(
    const Caller& caller) const {
  RETURN_IF_ERROR(CheckAllowed(caller, "VerifyAudit"));
  return storage::ReadValue<std::vector<std::string>>(
      *env_.store, [&](storage::Tables& t) { return t.audit().Verify(); });
}

absl::StatusOr<BackupResult> AdminService::Backup(
    const Caller& caller, const std::string& path) const {
  const std::filesystem::path file(path);
  if (!file.is_absolute()) {
    return absl::InvalidArgumentError(
        "give the backup file as an absolute path on the server's machine");
  }
  std::error_code ec;
  if (std::filesystem::exists(file, ec)) {
    return absl::AlreadyExistsError(absl::StrCat(
        path, " exists; choose a new file name so no backup is overwritten"));
  }
  // The account is confirmed before the copy is made (a copy cannot be
  // part of a transaction), and the copy recorded after it exists.
  ASSIGN_OR_RETURN(Caller now, storage::ReadValue<Caller>(
                                   *env_.store, [&](storage::Tables& t) {
                                     return ConfirmCaller(t, caller, "Backup");
                                   }));
  RETURN_IF_ERROR(env_.store->Backup(path));
  const std::uintmax_t bytes = std::filesystem::file_size(file, ec);
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

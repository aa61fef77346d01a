// AdminService: staff accounts, the departments (agencies) sharing the
// daemon, the audit trail, backups and the database's own check.
//
// Every use case takes the caller explicitly; a change re-reads the caller's
// account and checks its role inside the write that makes the change, so an
// administrator disabled a moment ago changes nothing. API tokens are shown
// once, when made; only their hashes are stored.
//
// Confinement (docs/permissions.md): an administrator limited to some
// agencies lists, adds, disables and issues tokens to accounts limited to
// those agencies only; any other account is "no user named …" to it, as if
// it did not exist. What every agency shares (agencies, the calendar, the
// database file) is changed only by an administrator of every agency. The
// audit trail shown to a caller of some agencies holds only the events
// about its agencies' cases, appeals, figures and staff.
//
// Thread safety: an AdminService holds only the Environment (whose members
// are thread-safe); call it from any number of threads at once.
#ifndef GONGKAI_APP_ADMIN_SERVICE_H_
#define GONGKAI_APP_ADMIN_SERVICE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "app/caller.h"
#include "app/environment.h"
#include "common/lang.h"
#include "storage/store.h"

namespace gongkai::app {

// An account with its new API token (shown once).
struct UserToken {
  storage::UserRecord user;
  std::string token;
};

struct AuditQuery {
  std::optional<absl::CivilDay> since;  // recorded on or after (UTC+8)
  std::string actor;                    // "": everybody
  int limit = 0;                        // 0 or less: 1000
};

struct BackupResult {
  std::string path;
  int64_t bytes = 0;
};

struct Agency {
  std::string code;
  std::string name;
  // How its new cases are numbered (domain/case_no_pattern.h); "" for the
  // default 2023-0001.
  std::string case_no_pattern;
};

// Where a backup called `name` goes, by the rules of AdminService::Backup.
absl::StatusOr<std::string> BackupFilePath(const std::string& backup_dir,
                                           const std::string& name);

// The report of CheckDatabase as text: "ok" (with a note on cases that
// could be checked only in part) or one line per problem, e.g.
//   case 2023-0001: outcome is 'other' in the case row but 'disclosed' by
//   its events
std::string FormatIntegrityReport(const storage::IntegrityReport& report,
                                  Lang lang = Lang::kZh);

class AdminService {
 public:
  // `env` needs the store and the time.
  explicit AdminService(Environment env) : env_(std::move(env)) {}

  // Adds an account and returns its one-time token. `agencies` empty: every
  // agency (PERMISSION_DENIED unless the caller works for every agency).
  // Also `gongkaid --create-admin`, with Caller::Trusted.
  absl::StatusOr<UserToken> CreateUserWithToken(
      const Caller& caller, const std::string& name, const std::string& role,
      const std::vector<std::string>& agencies) const;
  // The accounts within the caller's reach (app/access.h ReachesUser).
  absl::StatusOr<std::vector<storage::UserRecord>> ListUsers(
      const Caller& caller) const;
  // FAILED_PRECONDITION for the caller's own account and for the last
  // enabled administrator of every agency (who alone can manage what the
  // agencies share); NOT_FOUND for an account out of the caller's reach, as
  // for an unknown name. The same rule keeps UpdateUser from demoting or
  // confining that administrator.
  absl::StatusOr<storage::UserRecord> DisableUser(
      const Caller& caller, const std::string& name) const;
  // Lets a disabled account in again with its old token (rotate it if the
  // token may have leaked). FAILED_PRECONDITION when it is enabled already.
  absl::StatusOr<storage::UserRecord> EnableUser(const Caller& caller,
                                                 const std::string& name) const;
  // A new role and/or new agencies (empty list: every agency, as for
  // CreateUserWithToken); at least one must be given. The agencies must be
  // the caller's own, as when adding a user.
  absl::StatusOr<storage::UserRecord> UpdateUser(
      const Caller& caller, const std::string& name,
      const std::optional<std::string>& role,
      const std::optional<std::vector<std::string>>& agencies) const;
  // A new token for `name`; the old one stops working. FAILED_PRECONDITION
  // for a disabled account (a token it could not use): enable it first.
  absl::StatusOr<UserToken> RotateToken(const Caller& caller,
                                        const std::string& name) const;

  absl::StatusOr<Agency> CreateAgency(const Caller& caller,
                                      const std::string& code,
                                      const std::string& name) const;
  // The agencies the caller works for.
  absl::StatusOr<std::vector<Agency>> ListAgencies(const Caller& caller) const;
  // Sets how the agency's new cases are numbered, e.g. "驻公信〔{year}〕{n}号"
  // ("" or "default": back to 2023-0001). INVALID_ARGUMENT for a pattern
  // ValidateCaseNoPattern refuses; NOT_FOUND (as "unknown agency") for an
  // agency the caller does not work for. Numbers already issued stay; an
  // agency with its own pattern has its own sequence per year.
  absl::StatusOr<Agency> SetAgencyCaseNoPattern(
      const Caller& caller, const std::string& code,
      const std::string& pattern) const;

  absl::StatusOr<std::vector<storage::AuditEntry>> ListAudit(
      const Caller& caller, const AuditQuery& query) const;
  // Every break of the audit checksum chains; empty when intact.
  absl::StatusOr<std::vector<std::string>> VerifyAudit(
      const Caller& caller) const;

  // A consistent copy of the database to a new file `name` in the backup
  // folder (Environment::backup_dir), made on first use. `name` is a plain
  // file name, or an absolute path naming a file directly in that folder;
  // anything else is refused (PERMISSION_DENIED outside the folder,
  // INVALID_ARGUMENT for sub-folders and '..'). Never overwrites a file nor
  // follows a symlink (ALREADY_EXISTS).
  absl::StatusOr<BackupResult> Backup(const Caller& caller,
                                      const std::string& name) const;
  // The database checked against itself: the engine's check, the schema and
  // its append-only triggers, every case against its history, the report
  // counts against the histories (Store::CheckIntegrity).
  absl::StatusOr<storage::IntegrityReport> CheckDatabase(
      const Caller& caller) const;

 private:
  Environment env_;
};

}  // namespace gongkai::app

#endif  // GONGKAI_APP_ADMIN_SERVICE_H_

// Caller: who acts, in which role, for which agencies. A plain value that the
// transport builds once per call (from the API token) and passes down to
// every use case; nothing anywhere asks a thread who is calling.
//
// Inside a write, ConfirmCaller re-reads the caller's account in that write's
// transaction, so a user disabled, demoted or moved to another agency a
// moment ago cannot slip a change through on the strength of an older read.
//
// Thread safety: a Caller is an immutable value; copy it freely.
#ifndef GONGKAI_APP_CALLER_H_
#define GONGKAI_APP_CALLER_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/lang.h"
#include "domain/permissions.h"
#include "storage/store.h"

namespace gongkai::app {

struct Caller {
  std::string name;
  // Unset only when authentication is off (in-process tests and tools that
  // own the database file): such a caller may do everything.
  std::optional<Role> role;
  std::vector<std::string> agencies;  // empty: every agency
  // The language the caller reads: texts made for them (explanations,
  // event lines, alert texts) are in it. Not part of who they are; the
  // transport sets it per call.
  Lang lang = Lang::kZh;

  // A caller that is not checked (authentication off), named for the audit
  // trail, e.g. "gongkaid --create-admin".
  static Caller Trusted(std::string name) {
    return Caller{std::move(name), std::nullopt, {}, Lang::kZh};
  }

  bool authenticated() const { return role.has_value(); }
  // True when the caller may see records of `agency`.
  bool SeesAgency(absl::string_view agency) const;
  // True when the caller works for every agency.
  bool SeesAllAgencies() const { return agencies.empty(); }
};

// The caller holding `token`: UNAUTHENTICATED for an unknown token or a
// disabled user, with a message that says what to do.
absl::StatusOr<Caller> Authenticate(storage::Store& store,
                                    absl::string_view token);

// PERMISSION_DENIED (naming the caller, the role and what was refused) when
// the caller's role may not perform `action`, a method of the permission
// matrix (domain/permissions.h), or when `action` acts on what every agency
// shares and the caller is limited to some agencies. Trusted callers may do
// everything.
absl::Status CheckAllowed(const Caller& caller, absl::string_view action);

// The caller as its account stands in this transaction, checked again for
// `action`: UNAUTHENTICATED when the account is gone or disabled,
// PERMISSION_DENIED when its role no longer allows the action. Trusted
// callers are returned as they are.
absl::StatusOr<Caller> ConfirmCaller(storage::Tables& tables,
                                     const Caller& caller,
                                     absl::string_view action);

// The agencies of a stored account ("*" or "a,b"); empty means every agency.
std::vector<std::string> ParseAgencyList(absl::string_view stored);

}  // namespace gongkai::app

#endif  // GONGKAI_APP_CALLER_H_

// Staff roles and the permission matrix: which role may call which method.
// Pure data; the server enforces it on every call (docs/permissions.md is
// generated from the same table by `gongkai admin permissions`).
#ifndef GONGKAI_DOMAIN_PERMISSIONS_H_
#define GONGKAI_DOMAIN_PERMISSIONS_H_

#include <span>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace gongkai {

enum class Role { kClerk = 1, kHandler, kHead, kAdmin, kAuditor };

absl::string_view RoleCode(Role r);
absl::StatusOr<Role> ParseRole(absl::string_view text);
std::span<const Role> AllRoles();

struct MethodPermission {
  absl::string_view method;  // the gRPC method name, e.g. "CreateCase"
  absl::string_view what;    // short description for the docs
  unsigned roles;            // bit (1 << role) for each role allowed
  // Acts on what every agency shares (the calendar, the agency list, the
  // database file), so only a user of every agency may call it, whatever
  // the role allows.
  bool every_agency = false;
};

// Every method of the API with the roles allowed to call it.
std::span<const MethodPermission> PermissionMatrix();

// True when `role` may call `method`; unknown methods are denied.
bool Allowed(Role role, absl::string_view method);

// True when `method` changes or reads what all agencies share, so that a
// user limited to some agencies may not call it in any role.
bool NeedsEveryAgency(absl::string_view method);

// Roles that may see identity numbers and contacts unmasked (with --reveal).
bool MayReveal(Role role);
// Roles that may override a published year's period lock (with a reason).
bool MayForce(Role role);

// "4128**********1234": keeps the first and last four characters (fewer for
// short values), masks the rest. Works on UTF-8 text.
std::string MaskSensitive(absl::string_view value);

}  // namespace gongkai

#endif  // GONGKAI_DOMAIN_PERMISSIONS_H_

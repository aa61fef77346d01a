#include "app/caller.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "common/crypto.h"
#include "common/lang.h"
#include "common/status_macros.h"

namespace gongkai::app {
namespace {

absl::StatusOr<Caller> CallerOf(const storage::UserRecord& user) {
  if (user.disabled) {
    return LocalizedError(absl::StatusCode::kUnauthenticated,
                          absl::StrCat("用户 ", user.name, " 已被停用"),
                          absl::StrCat("user ", user.name, " is disabled"));
  }
  absl::StatusOr<Role> role = ParseRole(user.role);
  if (!role.ok()) {
    return LocalizedError(
        absl::StatusCode::kInternal,
        absl::StrCat("用户 ", user.name, " 的角色无法识别"),
        absl::StrCat("user ", user.name, " has an unknown role"));
  }
  return Caller{user.name, *role, ParseAgencyList(user.agencies)};
}

}  // namespace

bool Caller::SeesAgency(absl::string_view agency) const {
  return agencies.empty() ||
         std::find(agencies.begin(), agencies.end(), agency) != agencies.end();
}

std::vector<std::string> ParseAgencyList(absl::string_view stored) {
  if (stored.empty() || stored == "*") return {};
  return absl::StrSplit(stored, ',');
}

absl::StatusOr<Caller> Authenticate(storage::Store& store,
                                    absl::string_view token) {
  if (token.empty()) {
    return LocalizedError(
        absl::StatusCode::kUnauthenticated,
        "没有 API 令牌；请用 --token 给出，或设置 GONGKAI_TOKEN，或写入 "
        "~/.config/gongkai/token",
        "no API token; give --token, set GONGKAI_TOKEN, or put it in "
        "~/.config/gongkai/token");
  }
  const std::string hash = Sha256Hex(token);
  absl::StatusOr<storage::UserRecord> user =
      storage::ReadValue<storage::UserRecord>(store, [&](storage::Tables& t) {
        return t.users().FindByTokenHash(hash);
      });
  if (!user.ok()) {
    if (user.status().code() == absl::StatusCode::kNotFound) {
      return LocalizedError(
          absl::StatusCode::kUnauthenticated,
          "API 令牌无效（输入有误，或已被管理员更换）",
          "the API token is not valid (mistyped, or rotated by an "
          "administrator)");
    }
    return user.status();
  }
  return CallerOf(*user);
}

absl::Status CheckAllowed(const Caller& caller, absl::string_view action) {
  if (!caller.role.has_value()) return absl::OkStatus();
  const bool role_allows = Allowed(*caller.role, action);
  if (role_allows && (caller.SeesAllAgencies() || !NeedsEveryAgency(action))) {
    return absl::OkStatus();
  }
  std::string what(action);
  for (const MethodPermission& p : PermissionMatrix()) {
    if (p.method == action) what = std::string(p.what);
  }
  if (role_allows) {
    // What every agency shares is not an agency's to change.
    return LocalizedError(
        absl::StatusCode::kPermissionDenied,
        absl::StrCat(caller.name, "（", RoleCode(*caller.role), "，属于 ",
                     absl::StrJoin(caller.agencies, "、"), "）无权执行 ",
                     action,
                     "：只有可访问全部机关的用户才能执行；见 "
                     "docs/permissions.md"),
        absl::StrCat(caller.name, " (", RoleCode(*caller.role), " of ",
                     absl::StrJoin(caller.agencies, ","), ") may not ", what,
                     ": only a user of every agency may; see "
                     "docs/permissions.md"));
  }
  return LocalizedError(
      absl::StatusCode::kPermissionDenied,
      absl::StrCat(caller.name, "（", RoleCode(*caller.role), "）无权执行 ",
                   action, "；见 docs/permissions.md"),
      absl::StrCat(caller.name, " (", RoleCode(*caller.role), ") may not ",
                   what, "; see docs/permissions.md"));
}

absl::StatusOr<Caller> ConfirmCaller(storage::Tables& tables,
                                     const Caller& caller,
                                     absl::string_view action) {
  if (!caller.authenticated()) return caller;
  absl::StatusOr<storage::UserRecord> user =
      tables.users().FindByName(caller.name);
  if (!user.ok()) {
    if (user.status().code() == absl::StatusCode::kNotFound) {
      return LocalizedError(
          absl::StatusCode::kUnauthenticated,
          absl::StrCat("用户 ", caller.name, " 已不存在"),
          absl::StrCat("user ", caller.name, " no longer exists"));
    }
    return user.status();
  }
  ASSIGN_OR_RETURN(Caller now, CallerOf(*user));
  RETURN_IF_ERROR(CheckAllowed(now, action));
  return now;
}

}  // namespace gongkai::app

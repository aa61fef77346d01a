#include "server/rpc/boundary.h"

#include <algorithm>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "common/crypto.h"

namespace gongkai::rpc {
namespace {

thread_local std::optional<Caller> current_caller;

std::string Metadata(const grpc::ServerContext& context, const char* key) {
  const auto& metadata = context.client_metadata();
  auto it = metadata.find(key);
  if (it == metadata.end()) return "";
  return std::string(it->second.data(), it->second.size());
}

}  // namespace

grpc::Status ToGrpcStatus(const absl::Status& status) {
  if (status.ok()) return grpc::Status::OK;
  return grpc::Status(static_cast<grpc::StatusCode>(status.code()),
                      std::string(status.message()));
}

std::string CallerName(const grpc::ServerContext& context) {
  if (current_caller.has_value()) return current_caller->name;
  std::string name = Metadata(context, "gongkai-user");
  if (name.empty()) return "unknown";
  if (name.size() > 64) name.resize(64);
  return name;
}

std::optional<Role> CallerRole() {
  return current_caller.has_value() ? current_caller->role : std::nullopt;
}

void ClearCaller() { current_caller.reset(); }

std::vector<std::string> CallerAgencies() {
  return current_caller.has_value() ? current_caller->agencies
                                    : std::vector<std::string>{};
}

bool CallerSeesAgency(const std::string& agency) {
  std::vector<std::string> mine = CallerAgencies();
  return mine.empty() ||
         std::find(mine.begin(), mine.end(), agency) != mine.end();
}

absl::Status Authorize(const Environment& env, absl::string_view method,
                       const grpc::ServerContext& context) {
  current_caller.reset();
  if (!env.require_auth) return absl::OkStatus();
  std::string header = Metadata(context, "authorization");
  absl::string_view token = header;
  if (!absl::ConsumePrefix(&token, "Bearer ") || token.empty()) {
    return absl::UnauthenticatedError(
        "no API token; give --token, set GONGKAI_TOKEN, or put it in "
        "~/.config/gongkai/token");
  }
  absl::StatusOr<storage::UserRecord> user =
      env.store->FindUserByTokenHash(Sha256Hex(token));
  if (!user.ok()) {
    if (user.status().code() == absl::StatusCode::kNotFound) {
      return absl::UnauthenticatedError(
          "the API token is not valid (mistyped, or rotated by an "
          "administrator)");
    }
    return user.status();
  }
  if (user->disabled) {
    return absl::UnauthenticatedError(
        absl::StrCat("user ", user->name, " is disabled"));
  }
  absl::StatusOr<Role> role = ParseRole(user->role);
  if (!role.ok()) return absl::InternalError("a user has an unknown role");
  current_caller = Caller{user->name, *role, {}};
  if (user->agencies != "*" && !user->agencies.empty()) {
    current_caller->agencies = absl::StrSplit(user->agencies, ',');
  }
  if (!Allowed(*role, method)) {
    std::string what(method);
    for (const MethodPermission& p : PermissionMatrix()) {
      if (p.method == method) what = std::string(p.what);
    }
    return absl::PermissionDeniedError(
        absl::StrCat(user->name, " (", RoleCode(*role), ") may not ", what,
                     "; see docs/permissions.md"));
  }
  return absl::OkStatus();
}

void LogCall(const Environment& env, absl::string_view method,
             const grpc::ServerContext& context, const absl::Status& status,
             absl::Duration elapsed) {
  if (!env.log) return;
  std::string line =
      absl::StrFormat("call %s user=%s peer=%s status=%s time=%.1fms", method,
                      CallerName(context), context.peer(),
                      absl::StatusCodeToString(status.code()),
                      absl::ToDoubleMilliseconds(elapsed));
  if (!status.ok()) {
    absl::StrAppend(&line, " error=\"", status.message(), "\"");
  }
  env.log(line);
}

}  // namespace gongkai::rpc

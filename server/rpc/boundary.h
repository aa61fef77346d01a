// The one place where every call is authenticated and authorized, where
// absl::Status becomes grpc::Status, and where each call is logged with its
// method, caller, outcome and duration.
#ifndef GONGKAI_SERVER_RPC_BOUNDARY_H_
#define GONGKAI_SERVER_RPC_BOUNDARY_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "grpcpp/grpcpp.h"
#include "domain/permissions.h"
#include "app/environment.h"

namespace gongkai::rpc {

using app::CalendarHolder;
using app::Environment;
using app::TimeSource;

grpc::Status ToGrpcStatus(const absl::Status& status);

// Who is calling: set by Serve() for the duration of the handler (handlers
// run on the calling thread with the synchronous gRPC API).
struct Caller {
  std::string name;
  std::optional<Role> role;           // unset only when authentication is off
  std::vector<std::string> agencies;  // empty: every agency
};

// The caller of the call being served on this thread: the authenticated
// user, or (authentication off) the "gongkai-user" metadata, else "unknown".
std::string CallerName(const grpc::ServerContext& context);
std::optional<Role> CallerRole();
// The agencies the caller may see; empty means every agency.
std::vector<std::string> CallerAgencies();
// True when the caller may see records of `agency`.
bool CallerSeesAgency(const std::string& agency);

// Authenticates the call and checks the permission matrix for `method`.
// UNAUTHENTICATED for a missing, unknown or disabled token;
// PERMISSION_DENIED when the role may not call the method.
absl::Status Authorize(const Environment& env, absl::string_view method,
                       const grpc::ServerContext& context);
void ClearCaller();

void LogCall(const Environment& env, absl::string_view method,
             const grpc::ServerContext& context, const absl::Status& status,
             absl::Duration elapsed);

// Authorizes, runs `body`, logs the call, and converts its status.
template <typename Body>
grpc::Status Serve(const Environment& env, absl::string_view method,
                   const grpc::ServerContext& context, Body&& body) {
  const absl::Time start = absl::Now();
  absl::Status status = Authorize(env, method, context);
  if (status.ok()) status = body();
  LogCall(env, method, context, status, absl::Now() - start);
  ClearCaller();
  return ToGrpcStatus(status);
}

}  // namespace gongkai::rpc

#endif  // GONGKAI_SERVER_RPC_BOUNDARY_H_

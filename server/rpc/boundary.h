// The transport's one boundary: every call is authenticated to an
// app::Caller, checked against the permission matrix, handed to its handler
// body with that caller as an argument, logged with its method, caller,
// outcome and duration, and its absl::Status converted to a grpc::Status.
//
// Nothing here keeps the caller anywhere but on the stack of the call: the
// body receives it and passes it down explicitly.
#ifndef GONGKAI_SERVER_RPC_BOUNDARY_H_
#define GONGKAI_SERVER_RPC_BOUNDARY_H_

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/clock.h"
#include "app/caller.h"
#include "app/environment.h"
#include "grpcpp/grpcpp.h"

namespace gongkai::rpc {

using app::CalendarHolder;
using app::Caller;
using app::Environment;
using app::TimeSource;

grpc::Status ToGrpcStatus(const absl::Status& status);

// Authenticates the call and checks the permission matrix for `method`.
// UNAUTHENTICATED for a missing, unknown or disabled token;
// PERMISSION_DENIED when the role may not call the method. With
// authentication off, a trusted caller named by the "gongkai-user" metadata.
absl::StatusOr<Caller> Authorize(const Environment& env,
                                 absl::string_view method,
                                 const grpc::ServerContext& context);

// The reason given with --force-reason (metadata "gongkai-force-reason-bin"),
// or "".
std::string ForceReason(const grpc::ServerContext& context);

void LogCall(const Environment& env, absl::string_view method,
             const grpc::ServerContext& context, absl::string_view caller,
             const absl::Status& status, absl::Duration elapsed);

// Authorizes, runs `body(caller)`, logs the call, and converts its status.
template <typename Body>
grpc::Status Serve(const Environment& env, absl::string_view method,
                   const grpc::ServerContext& context, Body&& body) {
  const absl::Time start = absl::Now();
  absl::StatusOr<Caller> caller = Authorize(env, method, context);
  absl::Status status = caller.ok() ? body(*caller) : caller.status();
  LogCall(env, method, context, caller.ok() ? caller->name : "unknown", status,
          absl::Now() - start);
  return ToGrpcStatus(status);
}

}  // namespace gongkai::rpc

#endif  // GONGKAI_SERVER_RPC_BOUNDARY_H_

// The one place where absl::Status becomes grpc::Status, and where every call
// is logged with its method, caller, outcome and duration.
#ifndef GONGKAI_SERVER_RPC_BOUNDARY_H_
#define GONGKAI_SERVER_RPC_BOUNDARY_H_

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "grpcpp/grpcpp.h"
#include "server/rpc/environment.h"

namespace gongkai::rpc {

grpc::Status ToGrpcStatus(const absl::Status& status);

// The acting user as the client declared it in the "gongkai-user" metadata
// (the CLI sends the OS user name); "unknown" when absent.
std::string CallerName(const grpc::ServerContext& context);

void LogCall(const Environment& env, absl::string_view method,
             const grpc::ServerContext& context, const absl::Status& status,
             absl::Duration elapsed);

// Runs `body`, logs the call, and converts its status.
template <typename Body>
grpc::Status Serve(const Environment& env, absl::string_view method,
                   const grpc::ServerContext& context, Body&& body) {
  const absl::Time start = absl::Now();
  absl::Status status = body();
  LogCall(env, method, context, status, absl::Now() - start);
  return ToGrpcStatus(status);
}

}  // namespace gongkai::rpc

#endif  // GONGKAI_SERVER_RPC_BOUNDARY_H_

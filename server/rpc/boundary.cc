#include "server/rpc/boundary.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace gongkai::rpc {

grpc::Status ToGrpcStatus(const absl::Status& status) {
  if (status.ok()) return grpc::Status::OK;
  return grpc::Status(static_cast<grpc::StatusCode>(status.code()),
                      std::string(status.message()));
}

std::string CallerName(const grpc::ServerContext& context) {
  const auto& metadata = context.client_metadata();
  auto it = metadata.find("gongkai-user");
  if (it == metadata.end() || it->second.empty()) return "unknown";
  std::string name(it->second.data(), it->second.size());
  if (name.size() > 64) name.resize(64);
  return name;
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

#include "server/rpc/boundary.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/strip.h"
#include "common/status_macros.h"

namespace gongkai::rpc {
namespace {

std::string Metadata(const grpc::ServerContext& context, const char* key) {
  const auto& metadata = context.client_metadata();
  auto it = metadata.find(key);
  if (it == metadata.end()) return "";
  return std::string(it->second.data(), it->second.size());
}

}  // namespace

bool ExpensiveCalls::IsExpensive(absl::string_view method) {
  // Each reads (or writes) every case of a year or of the database.
  static constexpr absl::string_view kExpensive[] = {
      "ImportLedger", "ExportLedger", "GetReport",    "PublishReport",
      "Backup",       "VerifyAudit",  "CheckDatabase"};
  for (absl::string_view m : kExpensive) {
    if (m == method) return true;
  }
  return false;
}

ExpensiveCalls& ExpensiveCalls::Get() {
  static ExpensiveCalls* const kInstance = new ExpensiveCalls;
  return *kInstance;
}

void ExpensiveCalls::SetLimit(int limit) { limit_.store(std::max(1, limit)); }

ExpensiveCalls::Slot ExpensiveCalls::TryAcquire() {
  int used = in_use_.load();
  do {
    if (used >= limit_.load()) return Slot();
  } while (!in_use_.compare_exchange_weak(used, used + 1));
  return Slot(this);
}

ExpensiveCalls::Slot::~Slot() {
  if (owner_ != nullptr) owner_->in_use_.fetch_sub(1);
}

grpc::Status ToGrpcStatus(const absl::Status& status) {
  if (status.ok()) return grpc::Status::OK;
  return grpc::Status(static_cast<grpc::StatusCode>(status.code()),
                      std::string(status.message()));
}

std::string ForceReason(const grpc::ServerContext& context) {
  return Metadata(context, "gongkai-force-reason-bin");
}

absl::StatusOr<Caller> Authorize(const Environment& env,
                                 absl::string_view method,
                                 const grpc::ServerContext& context) {
  if (!env.require_auth) {
    std::string name = Metadata(context, "gongkai-user");
    if (name.empty()) name = "unknown";
    if (name.size() > 64) name.resize(64);
    return Caller::Trusted(std::move(name));
  }
  const std::string header = Metadata(context, "authorization");
  absl::string_view token = header;
  if (!absl::ConsumePrefix(&token, "Bearer ")) token = "";
  ASSIGN_OR_RETURN(Caller caller, app::Authenticate(*env.store, token));
  RETURN_IF_ERROR(app::CheckAllowed(caller, method));
  return caller;
}

void LogCall(const Environment& env, absl::string_view method,
             const grpc::ServerContext& context, absl::string_view caller,
             const absl::Status& status, absl::Duration elapsed) {
  if (!env.log) return;
  std::string line = absl::StrFormat(
      "call %s user=%s peer=%s status=%s time=%.1fms", method, caller,
      context.peer(), absl::StatusCodeToString(status.code()),
      absl::ToDoubleMilliseconds(elapsed));
  if (!status.ok()) {
    absl::StrAppend(&line, " error=\"", status.message(), "\"");
  }
  env.log(line);
}

}  // namespace gongkai::rpc

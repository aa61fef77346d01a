// The transport's one boundary: every call is authenticated to an
// app::Caller, checked against the permission matrix, handed to its handler
// body with that caller as an argument, logged with its method, caller,
// outcome and duration, and its absl::Status converted to a grpc::Status.
//
// Nothing here keeps the caller anywhere but on the stack of the call: the
// body receives it and passes it down explicitly.
#ifndef GONGKAI_SERVER_RPC_BOUNDARY_H_
#define GONGKAI_SERVER_RPC_BOUNDARY_H_

#include <atomic>
#include <string>
#include <utility>

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

// A cap on the calls that read or build something as large as the
// database (imports, reports, exports, backups, whole-database checks):
// beyond it they are refused with RESOURCE_EXHAUSTED at once rather than
// queued, so that a burst of them cannot take the daemon's memory or every
// server thread. One per process, shared by every service; thread-safe.
class ExpensiveCalls {
 public:
  // The default cap, and the methods it applies to.
  static constexpr int kDefaultLimit = 4;
  static bool IsExpensive(absl::string_view method);

  // The process's one instance.
  static ExpensiveCalls& Get();
  // Changes the cap (the daemon sets it once at start; tests lower it).
  void SetLimit(int limit);

  // A slot, held until destroyed; empty when every slot is taken.
  class Slot {
   public:
    Slot() = default;
    Slot(Slot&& o) noexcept : owner_(std::exchange(o.owner_, nullptr)) {}
    Slot& operator=(Slot&&) = delete;
    ~Slot();
    explicit operator bool() const { return owner_ != nullptr; }

   private:
    friend class ExpensiveCalls;
    explicit Slot(ExpensiveCalls* owner) : owner_(owner) {}
    ExpensiveCalls* owner_ = nullptr;
  };
  Slot TryAcquire();

 private:
  std::atomic<int> limit_{kDefaultLimit};
  std::atomic<int> in_use_{0};
};

// Authorizes, for an expensive method takes a slot (RESOURCE_EXHAUSTED
// when none is free), runs `body(caller)`, logs the call, and converts its
// status. The slot is taken after authentication, so that unauthenticated
// calls cannot use up the slots.
template <typename Body>
grpc::Status Serve(const Environment& env, absl::string_view method,
                   const grpc::ServerContext& context, Body&& body) {
  const absl::Time start = absl::Now();
  absl::StatusOr<Caller> caller = Authorize(env, method, context);
  absl::Status status = caller.status();
  if (caller.ok()) {
    const bool expensive = ExpensiveCalls::IsExpensive(method);
    const ExpensiveCalls::Slot slot =
        expensive ? ExpensiveCalls::Get().TryAcquire() : ExpensiveCalls::Slot();
    if (expensive && !slot) {
      status = absl::ResourceExhaustedError(
          "gongkaid is busy with other imports, reports, exports or "
          "backups; try again in a minute");
    } else {
      status = body(*caller);
    }
  }
  LogCall(env, method, context, caller.ok() ? caller->name : "unknown", status,
          absl::Now() - start);
  return ToGrpcStatus(status);
}

}  // namespace gongkai::rpc

#endif  // GONGKAI_SERVER_RPC_BOUNDARY_H_

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
#include <functional>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/clock.h"
#include "app/caller.h"
#include "app/environment.h"
#include "common/lang.h"
#include "google/protobuf/message.h"
#include "grpcpp/grpcpp.h"
#include "grpcpp/support/server_interceptor.h"

namespace gongkai::rpc {

using app::CalendarHolder;
using app::Caller;
using app::Environment;
using app::TimeSource;

// The status as the client receives it. The message is made safe for a
// terminal (U+FFFD for bytes that are not UTF-8, escapes for control
// characters other than newlines), since messages may quote what a client
// sent. Its message is in `lang` when it was written in both (see
// common/lang.h).
grpc::Status ToGrpcStatus(const absl::Status& status, Lang lang = Lang::kZh);

// The reader's language, from the "gongkai-lang" header; Chinese when the
// header is absent or names no language we speak.
Lang ReaderLang(const grpc::ServerContext& context);

// Authenticates the call: UNAUTHENTICATED for a missing, unknown or disabled
// token. With authentication off, a trusted caller named by the
// "gongkai-user" metadata (INVALID_ARGUMENT when that name is not a valid
// user name).
absl::StatusOr<Caller> Authenticate(const Environment& env,
                                    const grpc::ServerContext& context);

// Authenticates the call and checks the permission matrix for `method`:
// PERMISSION_DENIED when the role may not call the method.
absl::StatusOr<Caller> Authorize(const Environment& env,
                                 absl::string_view method,
                                 const grpc::ServerContext& context);

// INVALID_ARGUMENT, naming the header, when a gongkai metadata header holds
// bytes that are not UTF-8 or control characters. Serve checks this before
// any handler runs, so what ForceReason returns may be stored.
absl::Status CheckHeaders(const grpc::ServerContext& context);

// The reason given with --force-reason (metadata "gongkai-force-reason-bin"),
// or "". Checked by CheckHeaders.
std::string ForceReason(const grpc::ServerContext& context);

// How the log names the caller: the account name when the token was
// checked; "unauthenticated" otherwise, with the name a client claimed
// (authentication off) quoted after it, never as the user.
std::string CallerForLog(const absl::StatusOr<Caller>& caller);

// Logs one call through env.log: method, caller, peer, outcome, duration.
// Error messages are logged only for server-side failures (INTERNAL,
// DATA_LOSS, UNAVAILABLE, ...); a client's mistake (INVALID_ARGUMENT,
// NOT_FOUND, ALREADY_EXISTS, ...) is logged by its code alone, because its
// message may quote what the client sent, applicant names included. The
// line carries the error priority for server-side failures.
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

// Authenticates, checks the permission and the headers, for an expensive
// method takes a slot (RESOURCE_EXHAUSTED when none is free), runs
// `body(caller)`, logs the call, and converts its status. The slot is taken
// after authentication, so that unauthenticated calls cannot use up the
// slots.
template <typename Body>
grpc::Status Serve(const Environment& env, absl::string_view method,
                   const grpc::ServerContext& context, Body&& body) {
  const absl::Time start = absl::Now();
  const Lang lang = ReaderLang(context);
  absl::StatusOr<Caller> caller = Authenticate(env, context);
  if (caller.ok()) caller->lang = lang;
  absl::Status status = caller.status();
  if (status.ok()) status = app::CheckAllowed(*caller, method);
  if (status.ok()) status = CheckHeaders(context);
  if (status.ok()) {
    const bool expensive = ExpensiveCalls::IsExpensive(method);
    const ExpensiveCalls::Slot slot =
        expensive ? ExpensiveCalls::Get().TryAcquire() : ExpensiveCalls::Slot();
    if (expensive && !slot) {
      status = LocalizedError(
          absl::StatusCode::kResourceExhausted,
          "gongkaid 正忙于其他导入、报表、导出或备份；请一分钟后再试",
          "gongkaid is busy with other imports, reports, exports or "
          "backups; try again in a minute");
    } else {
      status = body(*caller);
    }
  }
  LogCall(env, method, context, CallerForLog(caller), status,
          absl::Now() - start);
  return ToGrpcStatus(status, lang);
}

// A server interceptor for the gongkai services, the part of the boundary
// gRPC runs outside the handlers:
//  - A request protobuf cannot parse (a string field that is not UTF-8)
//    never reaches a handler; gRPC would answer INTERNAL with an empty
//    message. It is answered INVALID_ARGUMENT naming the field, and logged.
//  - A reply whose text is not UTF-8 (a record stored before text was
//    checked, or edited in the database file) would fail to parse at the
//    client, so that nobody could see the record again. Such bytes are
//    replaced by U+FFFD in a copy of the reply.
// Installs a protobuf log handler, once per process, to learn the field name.
class BoundaryInterceptorFactory
    : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  explicit BoundaryInterceptorFactory(
      std::function<void(const std::string&)> log);
  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo* info) override;

 private:
  std::function<void(const std::string&)> log_;
};

// Replaces, in place, every byte sequence that is not UTF-8 in the string
// fields of `message` (nested messages, repeated fields and maps included)
// by U+FFFD. Returns the number of fields changed.
int ReplaceInvalidUtf8Fields(google::protobuf::Message* message);

// True when some string field of `message` is not UTF-8.
bool HasInvalidUtf8Fields(const google::protobuf::Message& message);

}  // namespace gongkai::rpc

#endif  // GONGKAI_SERVER_RPC_BOUNDARY_H_

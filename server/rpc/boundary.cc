#include "server/rpc/boundary.h"

#include <algorithm>
#include <memory>
#include <mutex>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/strip.h"
#include "common/log.h"
#include "common/status_macros.h"
#include "common/text_safety.h"
#include "common/text_width.h"
#include "domain/case.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/reflection.h"
#include "google/protobuf/stubs/logging.h"

namespace gongkai::rpc {
namespace {

constexpr char kForceReasonHeader[] = "gongkai-force-reason-bin";
constexpr char kUserHeader[] = "gongkai-user";
constexpr int kMaxUserNameChars = 64;

std::string Metadata(const grpc::ServerContext& context, const char* key) {
  const auto& metadata = context.client_metadata();
  auto it = metadata.find(key);
  if (it == metadata.end()) return "";
  return std::string(it->second.data(), it->second.size());
}

// The name a client claims with authentication off, as sent.
std::string ClaimedName(const grpc::ServerContext& context) {
  std::string name = Metadata(context, kUserHeader);
  return name.empty() ? "unknown" : name;
}

// Codes that say the client asked for something wrong. Their messages may
// quote the request, so they are not logged.
bool IsClientError(absl::StatusCode code) {
  switch (code) {
    case absl::StatusCode::kInvalidArgument:
    case absl::StatusCode::kNotFound:
    case absl::StatusCode::kAlreadyExists:
    case absl::StatusCode::kFailedPrecondition:
    case absl::StatusCode::kOutOfRange:
    case absl::StatusCode::kPermissionDenied:
    case absl::StatusCode::kUnauthenticated:
    case absl::StatusCode::kCancelled:
      return true;
    default:
      return false;
  }
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

grpc::Status ToGrpcStatus(const absl::Status& status, Lang lang) {
  if (status.ok()) return grpc::Status::OK;
  return grpc::Status(static_cast<grpc::StatusCode>(status.code()),
                      SafeForTerminal(MessageIn(status, lang), true));
}

Lang ReaderLang(const grpc::ServerContext& context) {
  const std::string header = Metadata(context, kLangHeader);
  if (header.empty()) return Lang::kZh;
  absl::StatusOr<Lang> lang = ParseLang(header);
  return lang.ok() ? *lang : Lang::kZh;
}

std::string ForceReason(const grpc::ServerContext& context) {
  return Metadata(context, kForceReasonHeader);
}

absl::Status CheckHeaders(const grpc::ServerContext& context) {
  // The reason is stored in the case's history and the audit trail, as one
  // line.
  return ValidateText("the force reason (--force-reason)", ForceReason(context),
                      false, kMaxNoteChars, 0, false);
}

absl::StatusOr<Caller> Authenticate(const Environment& env,
                                    const grpc::ServerContext& context) {
  if (!env.require_auth) {
    // The name is written into the audit trail as the actor.
    std::string name = ClaimedName(context);
    RETURN_IF_ERROR(ValidateText("the user name (gongkai-user header)", name,
                                 true, kMaxUserNameChars, 0, false));
    return Caller::Trusted(std::move(name));
  }
  const std::string header = Metadata(context, "authorization");
  absl::string_view token = header;
  if (!absl::ConsumePrefix(&token, "Bearer ")) token = "";
  return app::Authenticate(*env.store, token);
}

absl::StatusOr<Caller> Authorize(const Environment& env,
                                 absl::string_view method,
                                 const grpc::ServerContext& context) {
  ASSIGN_OR_RETURN(Caller caller, Authenticate(env, context));
  RETURN_IF_ERROR(app::CheckAllowed(caller, method));
  return caller;
}

std::string CallerForLog(const absl::StatusOr<Caller>& caller) {
  if (!caller.ok()) return "unauthenticated";
  if (!caller->authenticated()) {
    return absl::StrCat("unauthenticated claimed=\"", caller->name, "\"");
  }
  return caller->name;
}

void LogCall(const Environment& env, absl::string_view method,
             const grpc::ServerContext& context, absl::string_view caller,
             const absl::Status& status, absl::Duration elapsed) {
  if (!env.log) return;
  std::string line = absl::StrFormat(
      "call %s user=%s peer=%s status=%s time=%.1fms", method, caller,
      context.peer(), absl::StatusCodeToString(status.code()),
      absl::ToDoubleMilliseconds(elapsed));
  if (!status.ok() && !IsClientError(status.code())) {
    absl::StrAppend(&line, " error=\"", status.message(), "\"");
    line = WithPriority(kLogError, line);
  }
  // The log writer escapes the line: a claimed name or a message cannot
  // start a line of its own.
  env.log(line);
}

// --- Text in protobuf messages -------------------------------------------

namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

// Visits every string field of `message`; `fix` true replaces bad bytes.
// Returns the number of fields that were (or would be) changed.
int VisitStrings(const Message& message, Message* mutable_message) {
  const Reflection* reflection = message.GetReflection();
  std::vector<const FieldDescriptor*> fields;
  reflection->ListFields(message, &fields);
  int bad = 0;
  for (const FieldDescriptor* field : fields) {
    if (field->cpp_type() == FieldDescriptor::CPPTYPE_STRING &&
        field->type() == FieldDescriptor::TYPE_STRING) {
      if (field->is_repeated()) {
        for (int i = 0; i < reflection->FieldSize(message, field); ++i) {
          const std::string value =
              reflection->GetRepeatedString(message, field, i);
          if (IsValidUtf8(value)) continue;
          ++bad;
          if (mutable_message != nullptr) {
            reflection->SetRepeatedString(mutable_message, field, i,
                                          ReplaceInvalidUtf8(value));
          }
        }
      } else {
        const std::string value = reflection->GetString(message, field);
        if (IsValidUtf8(value)) continue;
        ++bad;
        if (mutable_message != nullptr) {
          reflection->SetString(mutable_message, field,
                                ReplaceInvalidUtf8(value));
        }
      }
    } else if (field->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
      if (field->is_repeated()) {
        for (int i = 0; i < reflection->FieldSize(message, field); ++i) {
          bad += VisitStrings(reflection->GetRepeatedMessage(message, field, i),
                              mutable_message == nullptr
                                  ? nullptr
                                  : reflection->MutableRepeatedMessage(
                                        mutable_message, field, i));
        }
      } else {
        bad += VisitStrings(
            reflection->GetMessage(message, field),
            mutable_message == nullptr
                ? nullptr
                : reflection->MutableMessage(mutable_message, field));
      }
    }
  }
  return bad;
}

// The field protobuf last refused to parse on this thread, from its log
// ("String field 'gongkai.v1.CreateCaseRequest.applicant' contains invalid
// UTF-8 data when parsing a protocol buffer..."). Parsing a request and
// intercepting it happen on the same thread.
thread_local std::string last_invalid_utf8_field;

void ProtobufLogHandler(google::protobuf::LogLevel level, const char* filename,
                        int line, const std::string& message) {
  absl::string_view text = message;
  if (absl::ConsumePrefix(&text, "String field '")) {
    const size_t end = text.find('\'');
    if (end != absl::string_view::npos &&
        absl::StrContains(text, "invalid UTF-8 data when parsing")) {
      last_invalid_utf8_field = std::string(text.substr(0, end));
      return;  // answered and logged by the interceptor
    }
  }
  // Everything else as protobuf's default handler writes it, escaped.
  static const char* const kLevels[] = {"INFO", "WARNING", "ERROR", "FATAL"};
  const std::string out =
      absl::StrCat("[libprotobuf ", kLevels[std::min<int>(level, 3)], " ",
                   filename, ":", line, "] ", EscapeForLog(message), "\n");
  fwrite(out.data(), 1, out.size(), stderr);
}

// "gongkai.v1.CreateCaseRequest.applicant" -> "applicant"
absl::string_view ShortFieldName(absl::string_view full) {
  const size_t dot = full.rfind('.');
  return dot == absl::string_view::npos ? full : full.substr(dot + 1);
}

class BoundaryInterceptor : public grpc::experimental::Interceptor {
 public:
  BoundaryInterceptor(const std::function<void(const std::string&)>& log,
                      std::string method)
      : log_(log), method_(std::move(method)) {}

  void Intercept(
      grpc::experimental::InterceptorBatchMethods* methods) override {
    using grpc::experimental::InterceptionHookPoints;
    if (methods->QueryInterceptionHookPoint(
            InterceptionHookPoints::POST_RECV_MESSAGE)) {
      if (methods->GetRecvMessage() == nullptr) {
        unreadable_ = true;
        unreadable_field_ = std::move(last_invalid_utf8_field);
      }
      last_invalid_utf8_field.clear();
    }
    if (methods->QueryInterceptionHookPoint(
            InterceptionHookPoints::PRE_SEND_MESSAGE)) {
      ScrubReply(methods);
    }
    if (methods->QueryInterceptionHookPoint(
            InterceptionHookPoints::PRE_SEND_STATUS)) {
      const grpc::Status status = methods->GetSendStatus();
      if (unreadable_ && status.error_code() == grpc::StatusCode::INTERNAL) {
        const std::string message =
            unreadable_field_.empty()
                ? std::string(
                      "the request could not be read: a text field is not "
                      "UTF-8 or the message is malformed; send text as UTF-8")
                : absl::StrCat("the field '", ShortFieldName(unreadable_field_),
                               "' is not valid UTF-8 text; save or paste the "
                               "text as UTF-8 and try again");
        methods->ModifySendStatus(
            grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, message));
        if (log_) {
          log_(absl::StrCat(
              "call ", ShortFieldName(method_),
              " user=unauthenticated status=INVALID_ARGUMENT "
              "refused: request unreadable (",
              unreadable_field_.empty() ? "malformed" : unreadable_field_,
              ")"));
        }
      }
    }
    methods->Proceed();
  }

 private:
  void ScrubReply(grpc::experimental::InterceptorBatchMethods* methods) {
    // Only the gongkai services' replies are protobuf messages the
    // interceptor knows how to read (the health service's are not).
    const void* raw = methods->GetSendMessage();
    if (raw == nullptr) return;
    const Message* reply = static_cast<const Message*>(raw);
    if (!HasInvalidUtf8Fields(*reply)) return;
    scrubbed_.reset(reply->New());
    scrubbed_->CopyFrom(*reply);
    const int fields = ReplaceInvalidUtf8Fields(scrubbed_.get());
    methods->ModifySendMessage(scrubbed_.get());
    if (log_) {
      log_(absl::StrCat("warning: ", method_, ": ", fields,
                        " stored text field(s) are not UTF-8; sent with "
                        "U+FFFD in place of the bad bytes (run `gongkai "
                        "admin check`)"));
    }
  }

  const std::function<void(const std::string&)>& log_;
  const std::string method_;
  bool unreadable_ = false;
  std::string unreadable_field_;
  std::unique_ptr<Message> scrubbed_;
};

}  // namespace

int ReplaceInvalidUtf8Fields(google::protobuf::Message* message) {
  return VisitStrings(*message, message);
}

bool HasInvalidUtf8Fields(const google::protobuf::Message& message) {
  return VisitStrings(message, nullptr) > 0;
}

BoundaryInterceptorFactory::BoundaryInterceptorFactory(
    std::function<void(const std::string&)> log)
    : log_(std::move(log)) {
  static std::once_flag once;
  std::call_once(once,
                 [] { google::protobuf::SetLogHandler(&ProtobufLogHandler); });
}

grpc::experimental::Interceptor*
BoundaryInterceptorFactory::CreateServerInterceptor(
    grpc::experimental::ServerRpcInfo* info) {
  // Only the gongkai services: their messages are generated protobuf
  // classes, which is what the interceptor reads replies as.
  const std::string method = info->method();
  if (!absl::StartsWith(method, "/gongkai.")) return nullptr;
  return new BoundaryInterceptor(log_, method);
}

}  // namespace gongkai::rpc

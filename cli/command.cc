#include "cli/command.h"

#include <chrono>

#include "absl/strings/str_cat.h"

namespace gongkai::cli {

std::shared_ptr<grpc::Channel> CommandContext::Channel() {
  if (channel_ == nullptr) {
    grpc::ChannelArguments args;
    args.SetMaxReceiveMessageSize(64 * 1024 * 1024);
    channel_ = grpc::CreateCustomChannel(
        server, grpc::InsecureChannelCredentials(), args);
  }
  return channel_;
}

std::unique_ptr<grpc::ClientContext> CommandContext::NewCall() const {
  auto call = std::make_unique<grpc::ClientContext>();
  call->set_deadline(std::chrono::system_clock::now() +
                     std::chrono::seconds(30));
  call->AddMetadata("gongkai-user", user);
  // "-bin" metadata carries any bytes (the reason is usually Chinese).
  if (!force_reason.empty())
    call->AddMetadata("gongkai-force-reason-bin", force_reason);
  return call;
}

absl::Status CommandContext::CallFailed(const grpc::Status& status) const {
  if (status.error_code() == grpc::StatusCode::UNAVAILABLE) {
    return absl::UnavailableError(absl::StrCat(
        "cannot reach gongkaid at ", server, " (", status.error_message(),
        "); is the daemon running? Set --server or GONGKAI_SERVER"));
  }
  if (status.error_code() == grpc::StatusCode::DEADLINE_EXCEEDED) {
    return absl::DeadlineExceededError(
        absl::StrCat("gongkaid at ", server, " did not answer in time"));
  }
  return absl::Status(static_cast<absl::StatusCode>(status.error_code()),
                      status.error_message());
}

}  // namespace gongkai::cli

#include "cli/command.h"

#include <chrono>
#include <fstream>
#include <sstream>

#include "CLI/CLI.hpp"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace gongkai::cli {
namespace {

std::string ReadPem(const std::string& path, std::ostream* err) {
  std::ifstream in(path);
  if (!in) {
    *err << "gongkai: cannot read " << path << "\n";
    return "";
  }
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// An IPv4 or IPv6 literal needs no name lookup: say so to gRPC, so the CLI
// works where DNS is not configured.
std::string Target(const std::string& server) {
  if (server.find("://") != std::string::npos ||
      absl::StartsWith(server, "unix:") || absl::StartsWith(server, "ipv4:") ||
      absl::StartsWith(server, "ipv6:")) {
    return server;
  }
  if (absl::StartsWith(server, "[")) return "ipv6:" + server;
  const std::string host = server.substr(0, server.rfind(':'));
  const bool ipv4 = !host.empty() &&
                    host.find_first_not_of("0123456789.") == std::string::npos;
  return ipv4 ? "ipv4:" + server : server;
}

}  // namespace

CommandArgs::CommandArgs(const CLI::App* app) : app_(app) {
  for (const CLI::Option* opt : app->get_options()) {
    if (opt->get_positional() && !opt->nonpositional()) {
      for (const std::string& v : opt->results()) positional_.push_back(v);
    }
  }
}

const CLI::Option* CommandArgs::Find(absl::string_view name) const {
  if (app_ == nullptr) return nullptr;
  return app_->get_option_no_throw(absl::StrCat("--", name));
}

bool CommandArgs::Has(absl::string_view name) const {
  const CLI::Option* opt = Find(name);
  return opt != nullptr && opt->count() > 0;
}

std::string CommandArgs::Get(absl::string_view name,
                             absl::string_view fallback) const {
  const CLI::Option* opt = Find(name);
  if (opt == nullptr || opt->count() == 0 || opt->results().empty()) {
    return std::string(fallback);
  }
  return opt->results().back();
}

CLI::Option* AddOption(CLI::App& app, const std::string& name,
                       const std::string& value_name, const std::string& help) {
  return app.add_option("--" + name, help)->type_name(value_name);
}

CLI::Option* AddRequired(CLI::App& app, const std::string& name,
                         const std::string& value_name,
                         const std::string& help) {
  return AddOption(app, name, value_name, help)->required();
}

CLI::Option* AddFlag(CLI::App& app, const std::string& name,
                     const std::string& help) {
  // A flag takes no value: --reveal=no is an error, not a silent "yes".
  return app.add_flag("--" + name, help)->disable_flag_override();
}

CLI::Option* AddPositional(CLI::App& app, const std::string& name,
                           const std::string& help) {
  return app.add_option(name, help)->type_name("")->required();
}

CLI::Option* AddPositionals(CLI::App& app, const std::string& name,
                            const std::string& help) {
  return app.add_option(name, help)
      ->type_name("")
      ->expected(1, CLI::detail::expected_max_vector_size)
      ->allow_extra_args()
      ->required();
}

std::shared_ptr<grpc::Channel> CommandContext::Channel() {
  if (channel_ != nullptr) return channel_;
  grpc::ChannelArguments args;
  args.SetMaxReceiveMessageSize(256 * 1024 * 1024);
  args.SetMaxSendMessageSize(256 * 1024 * 1024);
  std::shared_ptr<grpc::ChannelCredentials> credentials;
  if (!absl::StartsWith(server, "unix:") && (tls || !ca.empty())) {
    grpc::SslCredentialsOptions ssl;
    if (!ca.empty()) ssl.pem_root_certs = ReadPem(ca, err);
    if (!cert.empty()) {
      ssl.pem_cert_chain = ReadPem(cert, err);
      ssl.pem_private_key = ReadPem(key, err);
    }
    credentials = grpc::SslCredentials(ssl);
  } else {
    credentials = grpc::InsecureChannelCredentials();
  }
  channel_ = grpc::CreateCustomChannel(Target(server), credentials, args);
  return channel_;
}

void CommandContext::Authenticate(grpc::ClientContext& call) const {
  call.AddMetadata("gongkai-user", user);
  if (!token.empty()) call.AddMetadata("authorization", "Bearer " + token);
  // "-bin" metadata carries any bytes (the reason is usually Chinese).
  if (!force_reason.empty()) {
    call.AddMetadata("gongkai-force-reason-bin", force_reason);
  }
}

std::unique_ptr<grpc::ClientContext> CommandContext::NewCall() const {
  auto call = std::make_unique<grpc::ClientContext>();
  call->set_deadline(std::chrono::system_clock::now() +
                     std::chrono::seconds(30));
  Authenticate(*call);
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

#include "cli/command.h"

#include <chrono>
#include <fstream>
#include <sstream>

#include "CLI/CLI.hpp"
#include "absl/strings/ascii.h"
#include "absl/strings/cord.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/defaults.h"
#include "common/net_address.h"
#include "common/status_macros.h"

namespace gongkai::cli {
namespace {

// The separator of PackText: a control character no help text contains.
constexpr char kTextSeparator = '\x1f';

// `what` is {"CA 证书", "CA certificate"} and the like.
absl::StatusOr<std::string> ReadPem(const std::string& path, const Text& what) {
  std::ifstream in(path);
  if (!in) {
    return LocalizedError(absl::StatusCode::kFailedPrecondition,
                          absl::StrCat("无法读取", what.zh, " ", path),
                          absl::StrCat("cannot read ", what.en, " ", path));
  }
  std::stringstream s;
  s << in.rdbuf();
  if (!absl::StrContains(s.str(), "-----BEGIN ")) {
    return LocalizedError(
        absl::StatusCode::kFailedPrecondition,
        absl::StrCat(what.zh, " ", path, " 不是 PEM 格式的文件"),
        absl::StrCat(what.en, " ", path, " is not a PEM file"));
  }
  return s.str();
}

bool Mentions(absl::string_view detail, absl::string_view word) {
  return absl::StrContains(absl::AsciiStrToLower(detail),
                           absl::AsciiStrToLower(word));
}

// gRPC's words for a TLS failure (from BoringSSL/OpenSSL and its own
// checks), turned into words a clerk can pass on to IT, with the original
// for IT (gRPC's own words stay as they are: IT searches for them).
absl::Status DescribeTlsFailure(absl::string_view detail,
                                absl::string_view server, bool client_cert) {
  auto has = [&](absl::string_view word) { return Mentions(detail, word); };
  const std::string for_it_zh = absl::StrCat("（TLS 错误：", detail, "）");
  const std::string for_it_en = absl::StrCat(" (TLS error: ", detail, ")");
  auto failed = [&](absl::string_view zh, absl::string_view en) {
    return LocalizedError(absl::StatusCode::kUnavailable,
                          absl::StrCat(zh, for_it_zh),
                          absl::StrCat(en, for_it_en));
  };
  if (has("CERTIFICATE_VERIFY_FAILED") || has("certificate verify failed") ||
      has("unable to get local issuer") || has("self signed") ||
      has("self-signed") || has("certificate has expired")) {
    return failed(
        absl::StrCat(
            "TLS：", server,
            " 上 gongkaid 的证书不受信任：它不是由 --ca 给出的 CA"
            "（使用 --tls 时为本机信任的任何 CA）签发的，或者已经过期。"
            "请向信息技术人员索取签发 gongkaid 证书的 CA 证书，并用 "
            "--ca 指定"),
        absl::StrCat(
            "TLS: the certificate of gongkaid at ", server,
            " is not trusted: the CA given with --ca (or, with --tls, any CA "
            "this computer trusts) did not sign it, or it has expired. Ask "
            "IT for the CA certificate that signed gongkaid's certificate "
            "and give it with --ca"));
  }
  if (has("peer name") || has("not in peer certificate") ||
      has("hostname mismatch") || has("name mismatch")) {
    return failed(
        absl::StrCat(
            "TLS：", server,
            " 上 gongkaid 的证书不是为这个名称或地址签发的（名称不符）。"
            "请用证书上列出的名称连接，或请信息技术人员签发列有该名称的证书"),
        absl::StrCat("TLS: the certificate of gongkaid at ", server,
                     " is not issued for that name or address (name "
                     "mismatch). Connect with a name the certificate lists, "
                     "or ask IT for a certificate that names it"));
  }
  if (!client_cert && (has("CERTIFICATE_REQUIRED") || has("alert"))) {
    return failed(
        absl::StrCat("与 ", server,
                     " 上 gongkaid 的 TLS 握手失败：它要求客户端证书；请用 "
                     "--cert 和 --key 指定（向信息技术人员索取）"),
        absl::StrCat("TLS handshake with gongkaid at ", server,
                     " failed: it requires a client certificate; give --cert "
                     "and --key (ask IT for them)"));
  }
  if (client_cert && (has("alert") || has("bad certificate"))) {
    return failed(
        absl::StrCat("与 ", server,
                     " 上 gongkaid 的 TLS 握手失败：它拒绝了本机的客户端证书"
                     "（--cert）；请向信息技术人员确认该证书是否仍然有效、"
                     "是否由 gongkaid 信任的 CA 签发"),
        absl::StrCat("TLS handshake with gongkaid at ", server,
                     " failed: it refused this computer's client certificate "
                     "(--cert); ask IT whether it is still valid and signed "
                     "by the CA gongkaid trusts"));
  }
  return failed(
      absl::StrCat("与 ", server,
                   " 上 gongkaid 的 TLS 握手失败：该地址是否提供 TLS？"
                   "请向信息技术人员确认应使用的地址和 CA"),
      absl::StrCat("TLS handshake with gongkaid at ", server,
                   " failed: is TLS served at that address? Ask IT which "
                   "address and CA to use"));
}

bool LooksLikeTls(absl::string_view detail) {
  for (absl::string_view word :
       {"ssl", "tls", "handshake", "certificate", "peer name"}) {
    if (Mentions(detail, word)) return true;
  }
  return false;
}

}  // namespace

void StopSignal::Listen() {
  absl::MutexLock lock(&mu_);
  listening_ = true;
}

bool StopSignal::Stop() {
  absl::MutexLock lock(&mu_);
  stopped_ = true;
  if (cancel_) cancel_();
  return listening_;
}

bool StopSignal::stopped() const {
  absl::MutexLock lock(&mu_);
  return stopped_;
}

void StopSignal::OnStop(std::function<void()> cancel) {
  absl::MutexLock lock(&mu_);
  cancel_ = std::move(cancel);
  if (stopped_ && cancel_) cancel_();
}

bool StopSignal::WaitFor(absl::Duration d) {
  absl::MutexLock lock(&mu_);
  return mu_.AwaitWithTimeout(absl::Condition(&stopped_), d);
}

absl::Status UsageError(absl::string_view zh, absl::string_view en) {
  return LocalizedError(absl::StatusCode::kInvalidArgument,
                        absl::StrCat("用法：", zh),
                        absl::StrCat("usage: ", en));
}

namespace {
constexpr char kReportedInJson[] = "gongkai.reported-in-json";
}  // namespace

absl::Status ReportedInJson(absl::Status status) {
  status.SetPayload(kReportedInJson, absl::Cord("1"));
  return status;
}

bool IsReportedInJson(const absl::Status& status) {
  return status.GetPayload(kReportedInJson).has_value();
}

std::string PackText(const Text& text) {
  if (text.zh == text.en) return text.zh;
  return absl::StrCat(text.zh, std::string(1, kTextSeparator), text.en);
}

std::string UnpackText(absl::string_view packed, Lang lang) {
  const size_t at = packed.find(kTextSeparator);
  if (at == absl::string_view::npos) return std::string(packed);
  return std::string(lang == Lang::kEn ? packed.substr(at + 1)
                                       : packed.substr(0, at));
}

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

std::vector<std::string> CommandArgs::GetAll(absl::string_view name) const {
  const CLI::Option* opt = Find(name);
  if (opt == nullptr) return {};
  return opt->results();
}

CLI::Option* AddOption(CLI::App& app, const std::string& name,
                       const std::string& value_name, const Text& help) {
  return app.add_option("--" + name)
      ->description(PackText(help))
      ->type_name(value_name);
}

CLI::Option* AddRequired(CLI::App& app, const std::string& name,
                         const std::string& value_name, const Text& help) {
  return AddOption(app, name, value_name, help)->required();
}

CLI::Option* AddFlag(CLI::App& app, const std::string& name, const Text& help) {
  // A flag takes no value: --reveal=no is an error, not a silent "yes".
  return app.add_flag("--" + name)
      ->description(PackText(help))
      ->disable_flag_override();
}

CLI::Option* AddPositional(CLI::App& app, const std::string& name,
                           const Text& help) {
  return app.add_option(name)
      ->description(PackText(help))
      ->type_name("")
      ->required();
}

CLI::Option* AddPositionals(CLI::App& app, const std::string& name,
                            const Text& help) {
  return app.add_option(name)
      ->description(PackText(help))
      ->type_name("")
      ->expected(1, CLI::detail::expected_max_vector_size)
      ->allow_extra_args()
      ->required();
}

absl::Status CommandContext::Connect() {
  absl::StatusOr<NetAddress> address = ParseServerAddress(server);
  if (!address.ok())
    return PrefixError(address.status(), "--server：", "--server: ");
  grpc::ChannelArguments args;
  args.SetMaxReceiveMessageSize(256 * 1024 * 1024);
  args.SetMaxSendMessageSize(kMaxMessageBytes);
  std::shared_ptr<grpc::ChannelCredentials> credentials;
  uses_tls_ = !address->is_unix() &&
              (tls || !ca.empty() || !cert.empty() || !key.empty());
  if (uses_tls_) {
    if (cert.empty() != key.empty()) {
      return LocalizedError(
          absl::StatusCode::kInvalidArgument,
          "--cert 和 --key 须同时给出（GONGKAI_CERT、GONGKAI_KEY）",
          "--cert and --key go together (GONGKAI_CERT, GONGKAI_KEY)");
    }
    grpc::SslCredentialsOptions ssl;
    if (!ca.empty()) {
      ASSIGN_OR_RETURN(ssl.pem_root_certs,
                       ReadPem(ca, {"CA 证书", "CA certificate"}));
    }
    if (!cert.empty()) {
      ASSIGN_OR_RETURN(ssl.pem_cert_chain,
                       ReadPem(cert, {"证书", "certificate"}));
      ASSIGN_OR_RETURN(ssl.pem_private_key, ReadPem(key, {"私钥", "key"}));
    }
    credentials = grpc::SslCredentials(ssl);
  } else {
    // Whoever sees the traffic of a plain connection can take the token
    // and act as its user. Only this machine's loopback and a Unix socket
    // carry it unseen.
    if (!token.empty() && !IsLoopback(*address)) {
      return LocalizedError(
          absl::StatusCode::kFailedPrecondition,
          absl::StrCat(
              "拒绝以未加密方式把令牌发送到 ", address->host,
              "，它不是本机（不使用 TLS 时，gongkai 只连接 127.0.0.1、::1、"
              "localhost 或 unix: 套接字）：请用 --ca FILE 指定签发 gongkaid "
              "证书的 CA 证书，或对公共 CA 签发的证书使用 --tls"),
          absl::StrCat(
              "refusing to send your token unencrypted to ", address->host,
              ", which is not this computer (without TLS, gongkai connects "
              "only to 127.0.0.1, ::1, localhost or a unix: socket): give "
              "--ca FILE, the CA certificate that signed gongkaid's "
              "certificate, or --tls for a certificate from a public CA"));
    }
    credentials = grpc::InsecureChannelCredentials();
  }
  channel_ =
      grpc::CreateCustomChannel(address->GrpcTarget(), credentials, args);
  return absl::OkStatus();
}

std::shared_ptr<grpc::Channel> CommandContext::Channel() {
  if (channel_ == nullptr) {
    if (absl::Status s = Connect(); !s.ok()) {
      // Never a plain channel after a refusal: one to nowhere, whose calls
      // fail as unreachable.
      *err << "gongkai: " << MessageIn(s, lang) << "\n";
      channel_ = grpc::CreateChannel("unix:/nonexistent/gongkai-refused",
                                     grpc::InsecureChannelCredentials());
    }
  }
  return channel_;
}

void CommandContext::Authenticate(grpc::ClientContext& call) const {
  call.AddMetadata("gongkai-user", user);
  call.AddMetadata(kLangHeader, std::string(LangCode(lang)));
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
  // With TLS 1.3 a server that requires a client certificate completes
  // the handshake and then closes the connection: all the client sees is
  // "Socket closed".
  if (status.error_code() == grpc::StatusCode::UNAVAILABLE && uses_tls_ &&
      cert.empty() && Mentions(status.error_message(), "Socket closed")) {
    return LocalizedError(
        absl::StatusCode::kUnavailable,
        absl::StrCat(
            "TLS：", server,
            " 上的 gongkaid 在 TLS 握手后关闭了连接：它很可能要求"
            "客户端证书；请用 --cert 和 --key 指定（向信息技术人员索取）"
            "（TLS 错误：",
            status.error_message(), "）"),
        absl::StrCat("TLS: gongkaid at ", server,
                     " closed the connection after the TLS handshake: it "
                     "most likely requires a client certificate; give --cert "
                     "and --key (ask IT for them) (TLS error: ",
                     status.error_message(), ")"));
  }
  if (status.error_code() == grpc::StatusCode::UNAVAILABLE && uses_tls_ &&
      LooksLikeTls(status.error_message())) {
    return DescribeTlsFailure(status.error_message(), server, !cert.empty());
  }
  if (status.error_code() == grpc::StatusCode::RESOURCE_EXHAUSTED &&
      absl::StrContains(status.error_message(), "larger than max")) {
    return LocalizedError(
        absl::StatusCode::kResourceExhausted,
        absl::StrCat("请求超过了 gongkaid 接受的大小（", status.error_message(),
                     "）"),
        absl::StrCat("the request is larger than gongkaid accepts (",
                     status.error_message(), ")"));
  }
  if (status.error_code() == grpc::StatusCode::UNAVAILABLE) {
    return LocalizedError(
        absl::StatusCode::kUnavailable,
        absl::StrCat("无法连接 ", server, " 上的 gongkaid（",
                     status.error_message(),
                     "）；守护进程是否在运行？请用 --server 或 GONGKAI_SERVER "
                     "指定地址"),
        absl::StrCat("cannot reach gongkaid at ", server, " (",
                     status.error_message(),
                     "); is the daemon running? Set --server or "
                     "GONGKAI_SERVER"));
  }
  if (status.error_code() == grpc::StatusCode::DEADLINE_EXCEEDED) {
    return LocalizedError(
        absl::StatusCode::kDeadlineExceeded,
        absl::StrCat(server, " 上的 gongkaid 未在时限内答复"),
        absl::StrCat("gongkaid at ", server, " did not answer in time"));
  }
  return absl::Status(static_cast<absl::StatusCode>(status.error_code()),
                      status.error_message());
}

}  // namespace gongkai::cli

#include "server/listen.h"

#include <fstream>
#include <sstream>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/defaults.h"
#include "common/status_macros.h"
#include "grpcpp/resource_quota.h"

namespace gongkai {
namespace {

absl::StatusOr<std::string> ReadPem(const std::string& path,
                                    absl::string_view what) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return absl::NotFoundError(absl::StrCat("cannot read ", what, " ", path));
  }
  std::stringstream s;
  s << in.rdbuf();
  if (!absl::StrContains(s.str(), "-----BEGIN ")) {
    return absl::InvalidArgumentError(
        absl::StrCat(what, " ", path, " is not a PEM file"));
  }
  return s.str();
}

}  // namespace

absl::StatusOr<Security> CheckTransportFlags(const TransportFlags& flags,
                                             const NetAddress& address) {
  const bool any_tls = !flags.tls_cert.empty() || !flags.tls_key.empty() ||
                       !flags.tls_client_ca.empty();
  if (address.is_unix()) {
    if (any_tls || flags.insecure) {
      return absl::InvalidArgumentError(absl::StrCat(
          "--listen ", address.ToString(),
          " is a Unix socket, protected by its file permissions: "
          "--tls-cert, --tls-key, --tls-client-ca and --insecure apply to "
          "TCP addresses only; remove them or listen on HOST:PORT"));
    }
    return Security::kUnixSocket;
  }
  if (flags.insecure && any_tls) {
    return absl::InvalidArgumentError(
        "--insecure asks for plain TCP, but TLS files are given too; "
        "remove --insecure to serve TLS, or the TLS files to serve plain "
        "TCP on loopback");
  }
  if (!flags.tls_client_ca.empty() &&
      (flags.tls_cert.empty() || flags.tls_key.empty())) {
    return absl::InvalidArgumentError(
        "--tls-client-ca (mutual TLS) needs the server's own certificate: "
        "give --tls-cert and --tls-key too");
  }
  if (flags.tls_cert.empty() != flags.tls_key.empty()) {
    return absl::InvalidArgumentError(
        "--tls-cert and --tls-key go together: give both");
  }
  if (!flags.tls_cert.empty()) {
    return flags.tls_client_ca.empty() ? Security::kTls : Security::kMutualTls;
  }
  if (!flags.insecure) {
    return absl::InvalidArgumentError(absl::StrCat(
        "TCP address ", address.ToString(),
        " needs TLS: give --tls-cert and --tls-key (or listen on unix:PATH; "
        "--insecure allows plain TCP on loopback for testing)"));
  }
  if (!IsLoopback(address)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--insecure is refused on ", address.host,
        ", which is not a loopback address (127.0.0.0/8, ::1 or localhost); "
        "use TLS"));
  }
  return Security::kPlainLoopback;
}

absl::StatusOr<Listener> PrepareListener(const TransportFlags& flags) {
  Listener listener;
  absl::StatusOr<NetAddress> address = ParseListenAddress(flags.listen);
  if (!address.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("--listen: ", address.status().message()));
  }
  listener.address = *std::move(address);
  ASSIGN_OR_RETURN(listener.security,
                   CheckTransportFlags(flags, listener.address));
  switch (listener.security) {
    case Security::kUnixSocket:
    case Security::kPlainLoopback:
      listener.credentials = grpc::InsecureServerCredentials();
      return listener;
    case Security::kTls:
    case Security::kMutualTls:
      break;
  }
  ASSIGN_OR_RETURN(std::string cert, ReadPem(flags.tls_cert, "certificate"));
  ASSIGN_OR_RETURN(std::string key, ReadPem(flags.tls_key, "key"));
  const bool mutual = listener.security == Security::kMutualTls;
  grpc::SslServerCredentialsOptions ssl(
      mutual ? GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY
             : GRPC_SSL_DONT_REQUEST_CLIENT_CERTIFICATE);
  if (mutual) {
    ASSIGN_OR_RETURN(ssl.pem_root_certs,
                     ReadPem(flags.tls_client_ca, "client CA"));
  }
  ssl.pem_key_cert_pairs.push_back({key, cert});
  listener.credentials = grpc::SslServerCredentials(ssl);
  return listener;
}

void ApplyTransportLimits(grpc::ServerBuilder& builder) {
  // Every message is read whole before its handler runs, so before the
  // caller is authenticated: keep it small. Ledger imports, the only large
  // input, stream in pieces and are read only once the caller is known.
  builder.SetMaxReceiveMessageSize(kMaxMessageBytes);
  // gRPC 1.51 enforces that limit only once a message has arrived whole
  // (grpc/grpc#43012): a peer declaring a 200 MB message gets a flow-control
  // window for all of it. The resource quota bounds the memory gRPC may
  // take for all connections together; past it, gRPC cancels streams with
  // RESOURCE_EXHAUSTED ("Buffers full") and shrinks its windows.
  grpc::ResourceQuota quota("gongkaid");
  quota.Resize(kTransportMemoryBytes);
  builder.SetResourceQuota(quota);
}

}  // namespace gongkai

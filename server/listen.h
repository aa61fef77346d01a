// Where and how gongkaid listens: the --listen address parsed into its
// parts, the TLS flags checked against each other and against the
// address, and the gRPC credentials made from them. Also the limits every
// listener gets (message sizes). Nothing here is kept between calls; safe
// from any thread.
//
// The rules, each refused with a message saying what to change:
// - unix:PATH relies on the socket file's permissions: TLS flags and
//   --insecure make no sense there.
// - TCP needs --tls-cert and --tls-key (together); --tls-client-ca adds
//   mutual TLS and needs them.
// - --insecure (plain TCP) only on a loopback address, decided on the
//   parsed address (127.0.0.0/8, ::1, or "localhost" resolving to those
//   only), and never together with TLS files.
#ifndef GONGKAI_SERVER_LISTEN_H_
#define GONGKAI_SERVER_LISTEN_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "common/net_address.h"
#include "grpcpp/grpcpp.h"

namespace gongkai {

struct TransportFlags {
  std::string listen;
  std::string tls_cert, tls_key, tls_client_ca;
  bool insecure = false;
};

enum class Security { kUnixSocket, kTls, kMutualTls, kPlainLoopback };

// The checks above, on the flags alone (no file is read).
absl::StatusOr<Security> CheckTransportFlags(const TransportFlags& flags,
                                             const NetAddress& address);

struct Listener {
  NetAddress address;
  Security security = Security::kUnixSocket;
  std::shared_ptr<grpc::ServerCredentials> credentials;
};

// Parses --listen, checks the flags and reads the TLS files.
absl::StatusOr<Listener> PrepareListener(const TransportFlags& flags);

// Message limits for every call (kMaxMessageBytes in; ledger imports
// stream in pieces), and HTTP/2 settings that keep what one connection
// can make the daemon buffer small.
void ApplyTransportLimits(grpc::ServerBuilder& builder);

}  // namespace gongkai

#endif  // GONGKAI_SERVER_LISTEN_H_

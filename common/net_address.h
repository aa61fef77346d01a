// Network addresses as the daemon listens on them and the CLI connects to
// them, parsed once into their parts, and the one loopback test both use.
//
// Addresses are parsed, never matched as text: "127.0.0.1.nip.io:7435" is a
// host name that any DNS server may point anywhere, not a loopback address,
// although its text starts with "127.". Only IP literals and the name
// "localhost" (resolved, and loopback only when every address it resolves
// to is) count as loopback.
//
// Everything here is a pure function of its arguments (IsLoopback may ask
// the system resolver about "localhost"); safe from any thread.
#ifndef GONGKAI_COMMON_NET_ADDRESS_H_
#define GONGKAI_COMMON_NET_ADDRESS_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace gongkai {

struct NetAddress {
  enum class Kind { kUnix, kTcp };
  Kind kind = Kind::kTcp;
  std::string path;  // kUnix: the socket's file
  // kTcp: the host without brackets ("::1", "127.0.0.1", "gk.example.cn").
  std::string host;
  int port = 0;
  // The host is an IPv4 or IPv6 literal (no name lookup needed).
  bool ipv4_literal = false;
  bool ipv6_literal = false;

  bool is_unix() const { return kind == Kind::kUnix; }
  // As gRPC takes it for a channel or a listening port: "unix:PATH",
  // "ipv4:1.2.3.4:5", "ipv6:[::1]:5", or "dns:///HOST:PORT".
  std::string GrpcTarget() const;
  // HOST:PORT, [V6]:PORT or unix:PATH, as the user writes it.
  std::string ToString() const;
};

// A daemon's --listen: HOST:PORT, [IPV6]:PORT or unix:PATH. The port is
// 0-65535 (0: any free port); the host is an IP literal or a DNS name
// (letters, digits, '-', '.'); "0.0.0.0" and "[::]" mean every interface.
absl::StatusOr<NetAddress> ParseListenAddress(absl::string_view text);

// The CLI's --server: what ParseListenAddress takes (the port 1-65535), and
// also the gRPC forms "ipv4:HOST:PORT", "ipv6:[HOST]:PORT",
// "dns:HOST:PORT", "dns:///HOST:PORT" and "unix:///PATH".
absl::StatusOr<NetAddress> ParseServerAddress(absl::string_view text);

// True for a Unix socket, an address in 127.0.0.0/8, ::1 or
// ::ffff:127.0.0.0/104, and "localhost" when the system resolver maps it
// to loopback addresses only. False for every other name, whatever it
// resolves to: a name is only as trustworthy as the DNS answering for it.
bool IsLoopback(const NetAddress& address);

}  // namespace gongkai

#endif  // GONGKAI_COMMON_NET_ADDRESS_H_

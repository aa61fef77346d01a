#include "common/net_address.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <cstring>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"

namespace gongkai {
namespace {

constexpr char kForms[] = "HOST:PORT, [IPV6]:PORT or unix:PATH";

absl::Status Bad(absl::string_view text, absl::string_view why) {
  return absl::InvalidArgumentError(absl::StrCat(
      "address '", absl::CHexEscape(text), "' ", why, "; expected ", kForms));
}

bool IsDnsName(absl::string_view host) {
  absl::ConsumeSuffix(&host, ".");  // a fully qualified name
  if (host.empty() || host.size() > 253) return false;
  size_t label = 0;
  for (size_t i = 0; i <= host.size(); ++i) {
    if (i == host.size() || host[i] == '.') {
      if (label == 0 || label > 63) return false;
      if (host[i - 1] == '-' || host[i - label] == '-') return false;
      label = 0;
      continue;
    }
    const char c = host[i];
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '-') {
      return false;
    }
    ++label;
  }
  return true;
}

absl::StatusOr<int> ParsePort(absl::string_view whole, absl::string_view port,
                              int min) {
  int value = 0;
  if (port.empty() || port.size() > 5 ||
      port.find_first_not_of("0123456789") != absl::string_view::npos ||
      !absl::SimpleAtoi(port, &value) || value < min || value > 65535) {
    return Bad(whole, absl::StrCat("has no valid port (", min, "-65535)"));
  }
  return value;
}

absl::StatusOr<NetAddress> ParseUnix(absl::string_view whole,
                                     absl::string_view path) {
  // "unix:///run/x.sock" is the URI form of "unix:/run/x.sock".
  if (absl::StartsWith(path, "//")) {
    if (!absl::StartsWith(path, "///")) {
      return Bad(whole, "names a host in a unix: address");
    }
    path.remove_prefix(2);
  }
  if (path.empty()) return Bad(whole, "has no socket path");
  if (path.find('\0') != absl::string_view::npos) {
    return Bad(whole, "contains a NUL byte");
  }
  // sockaddr_un holds 107 bytes and a NUL.
  if (path.size() > 107) return Bad(whole, "has a socket path over 107 bytes");
  NetAddress a;
  a.kind = NetAddress::Kind::kUnix;
  a.path = std::string(path);
  return a;
}

absl::StatusOr<NetAddress> ParseHostPort(absl::string_view whole,
                                         absl::string_view text, int min_port) {
  NetAddress a;
  absl::string_view host, port;
  if (absl::StartsWith(text, "[")) {
    const size_t close = text.find(']');
    if (close == absl::string_view::npos) return Bad(whole, "lacks a ']'");
    host = text.substr(1, close - 1);
    absl::string_view rest = text.substr(close + 1);
    if (!absl::ConsumePrefix(&rest, ":")) return Bad(whole, "has no port");
    port = rest;
    in6_addr v6;
    if (inet_pton(AF_INET6, std::string(host).c_str(), &v6) != 1) {
      return Bad(whole, "has no IPv6 address inside [ ]");
    }
    a.ipv6_literal = true;
  } else {
    const size_t colon = text.rfind(':');
    if (colon == absl::string_view::npos) return Bad(whole, "has no port");
    host = text.substr(0, colon);
    port = text.substr(colon + 1);
    if (host.find(':') != absl::string_view::npos) {
      return Bad(whole, "has an IPv6 address without [ ]");
    }
    if (host.empty()) return Bad(whole, "has no host (0.0.0.0 is every one)");
    in_addr v4;
    if (inet_pton(AF_INET, std::string(host).c_str(), &v4) == 1) {
      a.ipv4_literal = true;
    } else if (host.find_first_not_of("0123456789.") ==
               absl::string_view::npos) {
      return Bad(whole, "has an invalid IPv4 address");
    } else if (!IsDnsName(host)) {
      return Bad(whole, "has an invalid host name");
    }
  }
  absl::StatusOr<int> p = ParsePort(whole, port, min_port);
  if (!p.ok()) return p.status();
  a.host = std::string(host);
  a.port = *p;
  return a;
}

bool IsLoopbackSockaddr(const sockaddr* sa) {
  if (sa->sa_family == AF_INET) {
    const auto* in = reinterpret_cast<const sockaddr_in*>(sa);
    return (ntohl(in->sin_addr.s_addr) >> 24) == 127;
  }
  if (sa->sa_family == AF_INET6) {
    const in6_addr& a = reinterpret_cast<const sockaddr_in6*>(sa)->sin6_addr;
    if (IN6_IS_ADDR_LOOPBACK(&a)) return true;
    return IN6_IS_ADDR_V4MAPPED(&a) && a.s6_addr[12] == 127;
  }
  return false;
}

// Every address the resolver gives for `host` is loopback (and it gives
// at least one).
bool ResolvesToLoopbackOnly(const std::string& host) {
  addrinfo hints;
  std::memset(&hints, 0, sizeof(hints));
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  if (getaddrinfo(host.c_str(), nullptr, &hints, &found) != 0) return false;
  bool any = false, all = true;
  for (addrinfo* ai = found; ai != nullptr; ai = ai->ai_next) {
    any = true;
    all = all && IsLoopbackSockaddr(ai->ai_addr);
  }
  freeaddrinfo(found);
  return any && all;
}

}  // namespace

std::string NetAddress::GrpcTarget() const {
  if (is_unix()) return absl::StrCat("unix:", path);
  if (ipv4_literal) return absl::StrCat("ipv4:", host, ":", port);
  if (ipv6_literal) return absl::StrCat("ipv6:[", host, "]:", port);
  return absl::StrCat("dns:///", host, ":", port);
}

std::string NetAddress::ToString() const {
  if (is_unix()) return absl::StrCat("unix:", path);
  if (ipv6_literal) return absl::StrCat("[", host, "]:", port);
  return absl::StrCat(host, ":", port);
}

absl::StatusOr<NetAddress> ParseListenAddress(absl::string_view text) {
  absl::string_view rest = text;
  if (absl::ConsumePrefix(&rest, "unix:")) return ParseUnix(text, rest);
  return ParseHostPort(text, text, 0);
}

absl::StatusOr<NetAddress> ParseServerAddress(absl::string_view text) {
  absl::string_view rest = text;
  if (absl::ConsumePrefix(&rest, "unix:")) return ParseUnix(text, rest);
  if (absl::ConsumePrefix(&rest, "ipv4:")) {
    absl::StatusOr<NetAddress> a = ParseHostPort(text, rest, 1);
    if (a.ok() && !a->ipv4_literal) return Bad(text, "has no IPv4 address");
    return a;
  }
  if (absl::ConsumePrefix(&rest, "ipv6:")) {
    absl::StatusOr<NetAddress> a = ParseHostPort(text, rest, 1);
    if (a.ok() && !a->ipv6_literal) return Bad(text, "has no IPv6 address");
    return a;
  }
  if (absl::ConsumePrefix(&rest, "dns:")) {
    if (absl::StartsWith(rest, "//") && !absl::ConsumePrefix(&rest, "///")) {
      return Bad(text, "names a DNS server; use dns:///HOST:PORT");
    }
  } else if (rest.find("://") != absl::string_view::npos) {
    return Bad(text, "has a scheme gongkai does not use");
  }
  return ParseHostPort(text, rest, 1);
}

bool IsLoopback(const NetAddress& address) {
  if (address.is_unix()) return true;
  if (address.ipv4_literal) {
    in_addr v4;
    if (inet_pton(AF_INET, address.host.c_str(), &v4) != 1) return false;
    return (ntohl(v4.s_addr) >> 24) == 127;
  }
  if (address.ipv6_literal) {
    in6_addr v6;
    if (inet_pton(AF_INET6, address.host.c_str(), &v6) != 1) return false;
    return IN6_IS_ADDR_LOOPBACK(&v6) ||
           (IN6_IS_ADDR_V4MAPPED(&v6) && v6.s6_addr[12] == 127);
  }
  std::string name = absl::AsciiStrToLower(address.host);
  if (absl::EndsWith(name, ".")) name.pop_back();
  if (name != "localhost") return false;
  // "localhost" is the loopback name (RFC 6761 section 6.3). Where it
  // resolves, it must resolve to loopback only (a hosts file pointing it
  // elsewhere is refused); where nothing resolves it (a bare system without
  // /etc/hosts), nothing can be sent anywhere else either.
  addrinfo hints;
  std::memset(&hints, 0, sizeof(hints));
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  if (getaddrinfo(name.c_str(), nullptr, &hints, &found) != 0) return true;
  freeaddrinfo(found);
  return ResolvesToLoopbackOnly(name);
}

}  // namespace gongkai

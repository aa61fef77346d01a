#include "common/net_address.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace gongkai {
namespace {

using ::testing::HasSubstr;

bool LoopbackListen(const std::string& text) {
  absl::StatusOr<NetAddress> a = ParseListenAddress(text);
  EXPECT_TRUE(a.ok()) << text << ": " << a.status();
  return a.ok() && IsLoopback(*a);
}

TEST(NetAddressTest, ParsesTheThreeListenForms) {
  absl::StatusOr<NetAddress> v4 = ParseListenAddress("127.0.0.1:7435");
  ASSERT_TRUE(v4.ok()) << v4.status();
  EXPECT_EQ(v4->host, "127.0.0.1");
  EXPECT_EQ(v4->port, 7435);
  EXPECT_TRUE(v4->ipv4_literal);
  EXPECT_EQ(v4->GrpcTarget(), "ipv4:127.0.0.1:7435");

  absl::StatusOr<NetAddress> v6 = ParseListenAddress("[::1]:0");
  ASSERT_TRUE(v6.ok()) << v6.status();
  EXPECT_EQ(v6->host, "::1");
  EXPECT_EQ(v6->port, 0);
  EXPECT_EQ(v6->ToString(), "[::1]:0");
  EXPECT_EQ(v6->GrpcTarget(), "ipv6:[::1]:0");

  absl::StatusOr<NetAddress> name = ParseListenAddress("gk.example.cn:7435");
  ASSERT_TRUE(name.ok()) << name.status();
  EXPECT_FALSE(name->ipv4_literal || name->ipv6_literal);
  EXPECT_EQ(name->GrpcTarget(), "dns:///gk.example.cn:7435");

  absl::StatusOr<NetAddress> sock = ParseListenAddress("unix:/run/g/g.sock");
  ASSERT_TRUE(sock.ok()) << sock.status();
  EXPECT_TRUE(sock->is_unix());
  EXPECT_EQ(sock->path, "/run/g/g.sock");
  EXPECT_EQ(ParseListenAddress("unix:///run/g.sock")->path, "/run/g.sock");
}

TEST(NetAddressTest, RefusesWhatIsNotAnAddress) {
  for (const char* bad : {"7435",          "localhost",       ":7435",
                          "127.0.0.1:",    "127.0.0.1:65536", "127.0.0.1:-1",
                          "127.0.0.1:+80", "127.0.0.1:80x",   "::1:7435",
                          "[::1]7435",     "[127.0.0.1]:80",  "[::1:80",
                          "999.0.0.1:80",  "127.1:80",        "bad_name:80",
                          "-x.cn:80",      "a..b:80",         "unix:",
                          "unix://host/x", "host name:80"}) {
    absl::StatusOr<NetAddress> a = ParseListenAddress(bad);
    EXPECT_FALSE(a.ok()) << bad;
    EXPECT_THAT(a.status().message(), HasSubstr("expected HOST:PORT")) << bad;
  }
  EXPECT_FALSE(ParseListenAddress(std::string("unix:/a\0b", 9)).ok());
  EXPECT_FALSE(ParseListenAddress("unix:/" + std::string(200, 'x')).ok());
}

TEST(NetAddressTest, LoopbackIsAnAddressNotAPrefix) {
  EXPECT_TRUE(LoopbackListen("127.0.0.1:1"));
  EXPECT_TRUE(LoopbackListen("127.255.3.4:1"));
  EXPECT_TRUE(LoopbackListen("[::1]:1"));
  EXPECT_TRUE(LoopbackListen("[::ffff:127.0.0.1]:1"));
  EXPECT_TRUE(LoopbackListen("unix:/tmp/x.sock"));
  // Names that merely look loopback are not: DNS may point them anywhere.
  EXPECT_FALSE(LoopbackListen("127.0.0.1.nip.io:1"));
  EXPECT_FALSE(LoopbackListen("127.example.cn:1"));
  EXPECT_FALSE(LoopbackListen("localhost.example.cn:1"));
  EXPECT_FALSE(LoopbackListen("0.0.0.0:1"));
  EXPECT_FALSE(LoopbackListen("[::]:1"));
  EXPECT_FALSE(LoopbackListen("128.0.0.1:1"));
  EXPECT_FALSE(LoopbackListen("[::2]:1"));
  EXPECT_FALSE(LoopbackListen("[::ffff:10.0.0.1]:1"));
}

TEST(NetAddressTest, LocalhostCountsOnlyWhenItResolvesToLoopback) {
  // /etc/hosts maps localhost to 127.0.0.1 (and ::1) on every system the
  // tests run on; the name is resolved, not trusted.
  EXPECT_TRUE(LoopbackListen("localhost:1"));
  EXPECT_TRUE(LoopbackListen("LOCALHOST.:1"));
}

TEST(NetAddressTest, ServerAddressesTakeGrpcForms) {
  EXPECT_EQ(ParseServerAddress("ipv4:127.0.0.1:9")->host, "127.0.0.1");
  EXPECT_EQ(ParseServerAddress("ipv6:[::1]:9")->host, "::1");
  EXPECT_EQ(ParseServerAddress("dns:///gk.example.cn:9")->host,
            "gk.example.cn");
  EXPECT_EQ(ParseServerAddress("dns:gk.example.cn:9")->host, "gk.example.cn");
  EXPECT_FALSE(ParseServerAddress("ipv4:gk.example.cn:9").ok());
  EXPECT_FALSE(ParseServerAddress("ipv6:127.0.0.1:9").ok());
  EXPECT_FALSE(ParseServerAddress("dns://8.8.8.8/gk.example.cn:9").ok());
  EXPECT_FALSE(ParseServerAddress("http://gk.example.cn:9").ok());
  // A client connects to a port, never to "any free one".
  EXPECT_FALSE(ParseServerAddress("127.0.0.1:0").ok());
  EXPECT_FALSE(IsLoopback(*ParseServerAddress("ipv4:10.1.2.3:9")));
  EXPECT_FALSE(IsLoopback(*ParseServerAddress("dns:///127.0.0.1.nip.io:9")));
}

}  // namespace
}  // namespace gongkai

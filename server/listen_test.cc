#include "server/listen.h"

#include <fstream>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace gongkai {
namespace {

using ::testing::HasSubstr;

absl::StatusOr<Security> Check(TransportFlags flags) {
  absl::StatusOr<NetAddress> address = ParseListenAddress(flags.listen);
  if (!address.ok()) return address.status();
  return CheckTransportFlags(flags, *address);
}

TEST(ListenTest, UnixSocketsTakeNoTlsFlags) {
  EXPECT_EQ(*Check({.listen = "unix:/run/g.sock"}), Security::kUnixSocket);
  for (TransportFlags f :
       {TransportFlags{.listen = "unix:/g", .tls_cert = "c", .tls_key = "k"},
        TransportFlags{.listen = "unix:/g", .tls_client_ca = "ca"},
        TransportFlags{.listen = "unix:/g", .insecure = true}}) {
    absl::StatusOr<Security> s = Check(f);
    ASSERT_FALSE(s.ok());
    EXPECT_THAT(s.status().message(), HasSubstr("Unix socket"));
  }
}

TEST(ListenTest, TlsFlagCombinationsThatMakeNoSenseAreRefused) {
  absl::StatusOr<Security> ca_only =
      Check({.listen = "127.0.0.1:0", .tls_client_ca = "ca", .insecure = true});
  ASSERT_FALSE(ca_only.ok());
  EXPECT_THAT(ca_only.status().message(), HasSubstr("--insecure"));
  absl::StatusOr<Security> ca_no_cert =
      Check({.listen = "0.0.0.0:7435", .tls_client_ca = "ca"});
  ASSERT_FALSE(ca_no_cert.ok());
  EXPECT_THAT(ca_no_cert.status().message(), HasSubstr("needs the server's"));
  absl::StatusOr<Security> both = Check({.listen = "127.0.0.1:0",
                                         .tls_cert = "c",
                                         .tls_key = "k",
                                         .insecure = true});
  ASSERT_FALSE(both.ok());
  EXPECT_THAT(both.status().message(), HasSubstr("TLS files are given too"));
  absl::StatusOr<Security> half =
      Check({.listen = "0.0.0.0:7435", .tls_cert = "c"});
  ASSERT_FALSE(half.ok());
  EXPECT_THAT(half.status().message(), HasSubstr("go together"));
  EXPECT_EQ(*Check({.listen = "0.0.0.0:7435", .tls_cert = "c", .tls_key = "k"}),
            Security::kTls);
  EXPECT_EQ(*Check({.listen = "[::]:7435",
                    .tls_cert = "c",
                    .tls_key = "k",
                    .tls_client_ca = "ca"}),
            Security::kMutualTls);
}

TEST(ListenTest, PlainTcpOnlyOnARealLoopbackAddress) {
  EXPECT_EQ(*Check({.listen = "127.0.0.1:0", .insecure = true}),
            Security::kPlainLoopback);
  EXPECT_EQ(*Check({.listen = "[::1]:0", .insecure = true}),
            Security::kPlainLoopback);
  EXPECT_EQ(*Check({.listen = "localhost:0", .insecure = true}),
            Security::kPlainLoopback);
  for (const char* open : {"127.0.0.1.nip.io:0", "0.0.0.0:0", "[::]:0",
                           "10.0.0.1:0", "localhost.example.cn:0"}) {
    absl::StatusOr<Security> s = Check({.listen = open, .insecure = true});
    ASSERT_FALSE(s.ok()) << open;
    EXPECT_THAT(s.status().message(), HasSubstr("not a loopback")) << open;
  }
  absl::StatusOr<Security> no_tls = Check({.listen = "127.0.0.1:0"});
  ASSERT_FALSE(no_tls.ok());
  EXPECT_THAT(no_tls.status().message(), HasSubstr("needs TLS"));
}

TEST(ListenTest, PrepareListenerParsesAndReadsTheFiles) {
  absl::StatusOr<Listener> bad = PrepareListener({.listen = "7435"});
  ASSERT_FALSE(bad.ok());
  EXPECT_THAT(bad.status().message(), HasSubstr("--listen"));
  absl::StatusOr<Listener> missing =
      PrepareListener({.listen = "0.0.0.0:7435",
                       .tls_cert = "/nonexistent/c.pem",
                       .tls_key = "/nonexistent/k.pem"});
  ASSERT_FALSE(missing.ok());
  EXPECT_THAT(missing.status().message(), HasSubstr("cannot read certificate"));
  const std::string not_pem = ::testing::TempDir() + "/listen_test_not.pem";
  std::ofstream(not_pem) << "hello\n";
  absl::StatusOr<Listener> garbage = PrepareListener(
      {.listen = "0.0.0.0:7435", .tls_cert = not_pem, .tls_key = not_pem});
  ASSERT_FALSE(garbage.ok());
  EXPECT_THAT(garbage.status().message(), HasSubstr("not a PEM file"));
  absl::StatusOr<Listener> plain =
      PrepareListener({.listen = "[::1]:0", .insecure = true});
  ASSERT_TRUE(plain.ok()) << plain.status();
  EXPECT_EQ(plain->address.ToString(), "[::1]:0");
  EXPECT_NE(plain->credentials, nullptr);
}

}  // namespace
}  // namespace gongkai

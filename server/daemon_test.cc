#include "server/daemon.h"

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "storage/test_util.h"

namespace gongkai {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

struct DaemonRun {
  int code;
  std::string out;
  std::string err;
};

DaemonRun Daemon(const std::vector<std::string>& args) {
  std::ostringstream out, err;
  int code = RunDaemon(args, out, err);
  return {code, out.str(), err.str()};
}

class DaemonOptionsTest : public ::testing::Test {
 protected:
  std::string Config(const std::string& text) {
    const std::string path = dir_.File("gongkaid.conf");
    std::ofstream(path) << text;
    return path;
  }
  // The keys an unknown key's message names.
  std::vector<std::string> KnownKeys() {
    DaemonRun r =
        Daemon({"--config", Config("no-such-key = 1\n"), "--check-config"});
    EXPECT_EQ(r.code, 2);
    const std::string marker = "known keys: ";
    const size_t at = r.err.find(marker);
    if (at == std::string::npos) {
      ADD_FAILURE() << r.err;
      return {};
    }
    std::vector<std::string> keys;
    for (absl::string_view k :
         absl::StrSplit(r.err.substr(at + marker.size()), ',')) {
      keys.emplace_back(absl::StripAsciiWhitespace(k));
    }
    return keys;
  }

  storage::TempDir dir_;
};

TEST_F(DaemonOptionsTest, UnknownKeyNamesEveryKeyTheConfigTakes) {
  const std::vector<std::string> keys = KnownKeys();
  for (const char* key : {"db", "listen", "calendar", "agency", "alert-hook",
                          "alert-days", "lang", "fee-pauses-reply", "tls-cert",
                          "tls-key", "tls-client-ca", "ready-file"}) {
    EXPECT_THAT(keys, ::testing::Contains(key));
  }
  // Command-line-only options are not keys.
  for (const char* key : {"config", "create-admin", "insecure", "fake-today"}) {
    EXPECT_THAT(keys, Not(::testing::Contains(key)));
  }
}

// Every key the message names is taken by the config file and is a flag
// that --help describes: the list comes from the one table of options.
TEST_F(DaemonOptionsTest, EveryKeyNamedIsTakenAndIsAFlag) {
  const std::map<std::string, std::string> values = {
      {"alert-days", "3"},
      {"lang", "en"},
      {"fee-pauses-reply", "no"},
      {"listen", "unix:" + dir_.File("s.sock")},
  };
  const std::string help = Daemon({"--help"}).out;
  const std::vector<std::string> keys = KnownKeys();
  ASSERT_GE(keys.size(), 10u);
  for (const std::string& key : keys) {
    auto v = values.find(key);
    const std::string value = v == values.end() ? dir_.File("x") : v->second;
    DaemonRun r =
        Daemon({"--config", Config(key + " = " + value + "\n"), "--listen",
                "unix:" + dir_.File("s.sock"), "--check-config"});
    EXPECT_THAT(r.err, Not(HasSubstr("unknown key"))) << key;
    EXPECT_THAT(help, HasSubstr("--" + key + " ")) << key;
  }
}

TEST_F(DaemonOptionsTest, HelpDescribesEveryOption) {
  DaemonRun r = Daemon({"--help"});
  EXPECT_EQ(r.code, 0);
  for (const char* line :
       {"--config FILE", "--db PATH", "--listen ADDR", "--calendar FILE",
        "--agency NAME", "--alert-hook CMD", "--alert-days N,M", "--lang zh|en",
        "--fee-pauses-reply yes|no", "--tls-cert FILE", "--tls-key FILE",
        "--tls-client-ca FILE", "--insecure", "--ready-file PATH",
        "--create-admin NAME", "--check-config", "--fake-today DATE", "--help",
        "--version"}) {
    EXPECT_THAT(r.out, HasSubstr(line));
  }
  // Each option has its line of help.
  EXPECT_THAT(r.out, HasSubstr("require client certificates"));
  EXPECT_THAT(r.out, HasSubstr("print the version"));
}

TEST_F(DaemonOptionsTest, FlagsAndConfigValuesAreChecked) {
  EXPECT_EQ(Daemon({"--version"}).out, "gongkaid 0.1.0\n");
  DaemonRun bad_flag = Daemon({"--no-such-flag"});
  EXPECT_EQ(bad_flag.code, 2);
  EXPECT_THAT(bad_flag.err, HasSubstr("no-such-flag"));
  DaemonRun stray = Daemon({"extra"});
  EXPECT_EQ(stray.code, 2);
  EXPECT_THAT(stray.err, HasSubstr("extra"));
  DaemonRun bad_value = Daemon({"--config", Config("alert-days = 0\n")});
  EXPECT_EQ(bad_value.code, 2);
  EXPECT_THAT(bad_value.err, HasSubstr("gongkaid.conf:1: alert-days must be"));
  // The language of hook texts: zh or en, nothing else.
  DaemonRun bad_lang = Daemon({"--lang", "fr", "--check-config"});
  EXPECT_EQ(bad_lang.code, 2);
  EXPECT_THAT(bad_lang.err, HasSubstr("fr"));
  DaemonRun bad_day = Daemon({"--fake-today", "2024-13-01", "--check-config"});
  EXPECT_EQ(bad_day.code, 2);
  // A flag given twice: the last wins (and a repeatable one adds).
  DaemonRun twice =
      Daemon({"--listen", "nowhere", "--listen", "unix:" + dir_.File("s.sock"),
              "--calendar", "a", "--calendar", "b", "--check-config"});
  EXPECT_EQ(twice.code, 0) << twice.err;
  // The flag wins over the config file.
  DaemonRun flag_wins =
      Daemon({"--config", Config("listen = nowhere\n"), "--listen",
              "unix:" + dir_.File("s.sock"), "--check-config"});
  EXPECT_EQ(flag_wins.code, 0) << flag_wins.err;
  DaemonRun config_only =
      Daemon({"--config", Config("listen = nowhere\n"), "--check-config"});
  EXPECT_EQ(config_only.code, 2);
  EXPECT_THAT(config_only.err,
              HasSubstr("expected HOST:PORT, [IPV6]:PORT or unix:PATH"));
}

}  // namespace
}  // namespace gongkai

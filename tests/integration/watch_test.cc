// `gongkai watch` against a real gongkaid that is stopped and started again:
// it says once that it lost the daemon, reconnects with a doubling back-off
// and says so when the daemon is back; it ends cleanly when told to stop and
// with an error only when its token is refused.
//
// The CLI runs in this process (RunCli) so that the back-off's waiting can
// be replaced: the test's waiter restarts the daemon instead of sleeping,
// and every step waits for the line that says it happened.
#include <algorithm>
#include <memory>
#include <ostream>
#include <streambuf>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "absl/time/time.h"
#include "cli/cli.h"
#include "cli/command.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/integration/harness.h"

namespace gongkai::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

// An output stream that another thread may wait on: "until a line with this
// text has been written".
class WatchedOutput : public std::streambuf {
 public:
  // True when `text` appeared within `timeout`.
  bool WaitFor(absl::string_view text, absl::Duration timeout) {
    absl::MutexLock lock(&mu_);
    auto seen = [&]() ABSL_SHARED_LOCKS_REQUIRED(mu_) {
      return absl::StrContains(text_, text);
    };
    return mu_.AwaitWithTimeout(absl::Condition(&seen), timeout);
  }
  std::string text() {
    absl::MutexLock lock(&mu_);
    return text_;
  }

 protected:
  int_type overflow(int_type ch) override {
    if (ch == traits_type::eof()) return traits_type::not_eof(ch);
    absl::MutexLock lock(&mu_);
    text_.push_back(static_cast<char>(ch));
    return ch;
  }
  std::streamsize xsputn(const char* s, std::streamsize n) override {
    absl::MutexLock lock(&mu_);
    text_.append(s, n);
    return n;
  }

 private:
  absl::Mutex mu_;
  std::string text_ ABSL_GUARDED_BY(mu_);
};

// Long enough for a loaded machine; the test never waits this long when it
// passes.
constexpr absl::Duration kPatience = absl::Seconds(60);

class WatchTest : public ::testing::Test {
 protected:
  void SetUp() override {
    daemon_ = std::make_unique<Daemon>(dir_.File("gongkai.db"));
    daemon_->ListenOnUnixSocket(dir_.File("gongkaid.sock"));
    ASSERT_TRUE(daemon_->Start()) << daemon_->log();
  }

  cli::CliEnvironment Env(const std::string& token) {
    cli::CliEnvironment env;
    env.server = daemon_->address();
    env.token = token;
    env.user = "tester";
    env.stop = stop_;
    return env;
  }

  ScratchDir dir_;
  std::unique_ptr<Daemon> daemon_;
  std::shared_ptr<cli::StopSignal> stop_ = std::make_shared<cli::StopSignal>();
};

TEST_F(WatchTest, ReconnectsWhenTheDaemonComesBackAndStopsCleanly) {
  WatchedOutput out_buf, err_buf;
  std::ostream out(&out_buf), err(&err_buf);
  absl::Notification daemon_stopped;
  absl::Mutex mu;
  std::vector<absl::Duration> waits;
  bool restarted = false;
  cli::CliEnvironment env = Env(daemon_->head_token());
  // The back-off's wait: the first one restarts the daemon (once the test
  // has finished stopping it), later ones return at once.
  env.wait = [&](absl::Duration d) {
    {
      absl::MutexLock lock(&mu);
      waits.push_back(d);
    }
    daemon_stopped.WaitForNotification();
    if (!restarted) restarted = daemon_->Start();
  };
  int code = -1;
  std::thread watch([&] { code = cli::RunCli({"watch"}, out, err, env); });

  ASSERT_TRUE(err_buf.WaitFor("正在接收", kPatience)) << err_buf.text();
  daemon_->Stop();
  daemon_stopped.Notify();
  ASSERT_TRUE(err_buf.WaitFor("连接中断", kPatience)) << err_buf.text();
  ASSERT_TRUE(err_buf.WaitFor("已重新连接", kPatience)) << err_buf.text();
  stop_->Stop();
  watch.join();

  EXPECT_TRUE(restarted) << daemon_->log();
  EXPECT_EQ(code, cli::kExitOk) << err_buf.text();
  const std::string said = err_buf.text();
  // One line when it lost the daemon, one when it got it back.
  EXPECT_EQ(std::count(said.begin(), said.end(), '\n'), 3) << said;
  EXPECT_THAT(said, HasSubstr(daemon_->address()));
  EXPECT_THAT(said, HasSubstr("+08:00"));  // when, in Beijing time
  absl::MutexLock lock(&mu);
  EXPECT_THAT(waits, ElementsAre(absl::Milliseconds(500)));
}

TEST_F(WatchTest, BacksOffWhileTheDaemonStaysAway) {
  WatchedOutput out_buf, err_buf;
  std::ostream out(&out_buf), err(&err_buf);
  absl::Mutex mu;
  std::vector<absl::Duration> waits;
  cli::CliEnvironment env = Env(daemon_->head_token());
  env.lang = "en";
  // Nine attempts fail; then the test stops the watch.
  env.wait = [&](absl::Duration d) {
    absl::MutexLock lock(&mu);
    waits.push_back(d);
    if (waits.size() == 9) stop_->Stop();
  };
  int code = -1;
  std::thread watch([&] { code = cli::RunCli({"watch"}, out, err, env); });
  ASSERT_TRUE(err_buf.WaitFor("watching alerts", kPatience)) << err_buf.text();
  daemon_->Stop();
  watch.join();

  EXPECT_EQ(code, cli::kExitOk) << err_buf.text();
  const std::string said = err_buf.text();
  // Lost once, however many attempts fail.
  EXPECT_EQ(std::count(said.begin(), said.end(), '\n'), 2) << said;
  EXPECT_THAT(said, HasSubstr("lost gongkaid"));
  absl::MutexLock lock(&mu);
  EXPECT_THAT(
      waits,
      ElementsAre(absl::Milliseconds(500), absl::Seconds(1), absl::Seconds(2),
                  absl::Seconds(4), absl::Seconds(8), absl::Seconds(16),
                  absl::Seconds(30), absl::Seconds(30), absl::Seconds(30)));
}

TEST_F(WatchTest, ARefusedTokenEndsItWithAnError) {
  WatchedOutput out_buf, err_buf;
  std::ostream out(&out_buf), err(&err_buf);
  bool waited = false;
  cli::CliEnvironment env = Env("not-a-token");
  env.wait = [&](absl::Duration) { waited = true; };
  EXPECT_EQ(cli::RunCli({"watch"}, out, err, env), cli::kExitFailed);
  EXPECT_FALSE(waited);
  EXPECT_THAT(err_buf.text(), HasSubstr("gongkai watch"));

  // With --json the refusal is JSON too.
  WatchedOutput json_buf;
  std::ostream json(&json_buf);
  EXPECT_EQ(cli::RunCli({"watch", "--json"}, json, err, env), cli::kExitFailed);
  EXPECT_THAT(json_buf.text(), HasSubstr("\"UNAUTHENTICATED\""));
}

TEST_F(WatchTest, AStopBeforeAnyAlertEndsItCleanly) {
  WatchedOutput out_buf, err_buf;
  std::ostream out(&out_buf), err(&err_buf);
  cli::CliEnvironment env = Env(daemon_->head_token());
  int code = -1;
  std::thread watch([&] { code = cli::RunCli({"watch"}, out, err, env); });
  ASSERT_TRUE(err_buf.WaitFor("正在接收", kPatience)) << err_buf.text();
  stop_->Stop();
  watch.join();
  EXPECT_EQ(code, cli::kExitOk) << err_buf.text();
  EXPECT_EQ(out_buf.text(), "");
}

}  // namespace
}  // namespace gongkai::testing

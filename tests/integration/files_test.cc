// Issue 12 (files): the daemon's files, its database file deleted or
// replaced under it, one daemon per file and per socket, systemd — through
// the real binaries.
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/integration/harness.h"

namespace gongkai::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

const std::vector<std::string> kToday = {"--fake-today", "2024-06-28"};

std::vector<std::string> NewCase() {
  return {"case",        "new",  "--received",       "2024-06-20",
          "--channel",   "mail", "--applicant-type", "natural_person",
          "--applicant", "张三", "--request",        "某信息"};
}

mode_t ModeOf(const std::string& path) {
  struct stat st;
  if (lstat(path.c_str(), &st) != 0) return 07777;  // no such file
  return st.st_mode & 07777;
}

// The umask of whoever starts gongkaid must not matter: a permissive one
// (022, the usual default) is set for the daemon to inherit.
class FilesTest : public ::testing::Test {
 protected:
  void SetUp() override { old_umask_ = umask(022); }
  void TearDown() override { umask(old_umask_); }
  ScratchDir dir_;

 private:
  mode_t old_umask_ = 0;
};

// The grpc.health.v1 answer: 1 SERVING, 2 NOT_SERVING.
int Health(const std::string& address) {
  RawResult r = RawUnaryCall(address, "/grpc.health.v1.Health/Check", "");
  if (r.code != 0 || r.bytes.size() != 2 || r.bytes[0] != 0x08) return -1;
  return r.bytes[1];
}

TEST_F(FilesTest, DatabaseLockAndBackupsAreForTheServiceUserOnly) {
  const std::string db = dir_.File("g.db");
  Daemon d(db, kToday);
  ASSERT_TRUE(d.Start()) << d.log();
  ASSERT_EQ(d.Cli(NewCase()).exit_code, 0);
  CommandResult backup = d.AdminCli({"admin", "backup", "b.db"});
  ASSERT_EQ(backup.exit_code, 0) << backup.err;
  EXPECT_THAT(backup.out, HasSubstr(dir_.File("backups/b.db")));
  for (const std::string& file : {db, db + "-wal", db + "-shm", db + ".lock",
                                  dir_.File("backups/b.db")}) {
    EXPECT_EQ(ModeOf(file), 0600u) << file;
  }
  EXPECT_EQ(ModeOf(dir_.File("backups")) & 0077, 0u);
  EXPECT_EQ(d.Stop(), 0);
}

TEST_F(FilesTest, GroupAccessMakesThemGroupFilesAndTightensOldOnes) {
  const std::string db = dir_.File("g.db");
  Daemon first(db, kToday);
  ASSERT_TRUE(first.Start()) << first.log();
  first.Stop();
  // As an older gongkaid left it: readable by everybody.
  ASSERT_EQ(chmod(db.c_str(), 0644), 0);
  ASSERT_TRUE(first.Start()) << first.log();
  EXPECT_EQ(ModeOf(db), 0600u);
  EXPECT_THAT(first.log(), HasSubstr("had mode 0644; now 0600"));
  first.Stop();

  std::filesystem::create_directory(dir_.File("shared"));
  const std::string shared = dir_.File("shared/g.db");
  std::vector<std::string> group = kToday;
  group.insert(group.end(), {"--group-access", "yes"});
  Daemon d(shared, group);
  ASSERT_TRUE(d.Start()) << d.log();
  ASSERT_EQ(d.Cli(NewCase()).exit_code, 0);
  ASSERT_EQ(d.AdminCli({"admin", "backup", "b.db"}).exit_code, 0);
  for (const std::string& file :
       {shared, shared + "-wal", shared + "-shm", shared + ".lock",
        dir_.File("shared/backups/b.db")}) {
    EXPECT_EQ(ModeOf(file), 0660u) << file;
  }
  EXPECT_EQ(d.Stop(), 0);
}

TEST_F(FilesTest, BackupStaysInTheBackupFolderAndFollowsNoSymlink) {
  Daemon d(dir_.File("g.db"), kToday);
  ASSERT_TRUE(d.Start()) << d.log();
  CommandResult outside =
      d.AdminCli({"admin", "backup", dir_.File("elsewhere.db")});
  EXPECT_NE(outside.exit_code, 0);
  EXPECT_THAT(outside.err, HasSubstr("only to the backup folder"));
  EXPECT_FALSE(std::filesystem::exists(dir_.File("elsewhere.db")));
  CommandResult climbing = d.AdminCli({"admin", "backup", "../up.db"});
  EXPECT_NE(climbing.exit_code, 0);
  EXPECT_FALSE(std::filesystem::exists(dir_.File("up.db")));
  // A dangling symlink planted in the folder is not followed.
  ASSERT_EQ(d.AdminCli({"admin", "backup", "first.db"}).exit_code, 0);
  ASSERT_EQ(symlink(dir_.File("target.db").c_str(),
                    dir_.File("backups/planted.db").c_str()),
            0);
  CommandResult planted = d.AdminCli({"admin", "backup", "planted.db"});
  EXPECT_NE(planted.exit_code, 0);
  EXPECT_THAT(planted.err, HasSubstr("already exists"));
  EXPECT_FALSE(std::filesystem::exists(dir_.File("target.db")));
  // The absolute path `admin backup` printed is accepted for a new file.
  CommandResult absolute =
      d.AdminCli({"admin", "backup", dir_.File("backups/second.db")});
  EXPECT_EQ(absolute.exit_code, 0) << absolute.err;
  EXPECT_EQ(d.Stop(), 0);
}

TEST_F(FilesTest, DatabaseDeletedUnderARunningDaemon) {
  const std::string db = dir_.File("g.db");
  Daemon d(db, kToday);
  ASSERT_TRUE(d.Start()) << d.log();
  ASSERT_EQ(d.Cli(NewCase()).exit_code, 0);
  EXPECT_EQ(Health(d.address()), 1);
  for (const char* suffix : {"", "-wal", "-shm"}) {
    ASSERT_EQ(unlink((db + suffix).c_str()), 0);
  }
  // The next write is refused, and says why.
  CommandResult write = d.Cli(NewCase());
  EXPECT_NE(write.exit_code, 0);
  EXPECT_THAT(write.err,
              HasSubstr("the database file was deleted or replaced"));
  // Readiness reflects it at once; `admin check` reports it.
  EXPECT_EQ(Health(d.address()), 2);
  CommandResult check = d.AdminCli({"admin", "check"});
  EXPECT_NE(check.exit_code, 0);
  EXPECT_THAT(check.out, HasSubstr("no longer exists"));
  // Shutdown does not pretend all is well.
  EXPECT_EQ(d.Stop(), 1);
  EXPECT_THAT(d.log(), Not(HasSubstr("closed cleanly")));
  EXPECT_THAT(d.log(), HasSubstr("is lost"));
  // Nor does a restart quietly begin with an empty database.
  EXPECT_FALSE(d.Start());
  EXPECT_THAT(d.log(), HasSubstr("is missing, but"));
  EXPECT_FALSE(std::filesystem::exists(db));
}

TEST_F(FilesTest, DatabaseReplacedUnderARunningDaemon) {
  const std::string db = dir_.File("g.db");
  Daemon d(db, kToday);
  ASSERT_TRUE(d.Start()) << d.log();
  ASSERT_EQ(d.Cli(NewCase()).exit_code, 0);
  { std::ofstream(dir_.File("other.db")) << "not the database"; }
  ASSERT_EQ(rename(dir_.File("other.db").c_str(), db.c_str()), 0);
  CommandResult check = d.AdminCli({"admin", "check"});
  EXPECT_NE(check.exit_code, 0);
  EXPECT_THAT(check.out, HasSubstr("now names another file"));
  CommandResult write = d.Cli(NewCase());
  EXPECT_NE(write.exit_code, 0);
  EXPECT_THAT(write.err, HasSubstr("deleted or replaced"));
  EXPECT_EQ(Health(d.address()), 2);
  EXPECT_EQ(d.Stop(), 1);
  EXPECT_THAT(d.log(), Not(HasSubstr("closed cleanly")));
}

// Runs gongkaid with `args` and expects it to refuse to start: it must exit
// (not serve) within a minute, with a failure status.
CommandResult ExpectRefusedStart(const std::vector<std::string>& args) {
  Background second(GONGKAID_PATH, args);
  CommandResult r;
  if (!second.Wait(60'000, &r)) {
    ADD_FAILURE() << "the second gongkaid is serving: " << second.ErrSoFar();
    return r;  // killed by Background's destructor
  }
  EXPECT_NE(r.exit_code, 0);
  return r;
}

TEST_F(FilesTest, OneDaemonPerFileEvenThroughASymlinkOrHardLink) {
  const std::string db = dir_.File("g.db");
  Daemon d(db, kToday);
  ASSERT_TRUE(d.Start()) << d.log();
  ASSERT_EQ(symlink(db.c_str(), dir_.File("link.db").c_str()), 0);
  ASSERT_EQ(link(db.c_str(), dir_.File("hard.db").c_str()), 0);
  std::filesystem::create_directory(dir_.File("sub"));
  ASSERT_EQ(symlink(dir_.path().c_str(), dir_.File("sub/dir").c_str()), 0);
  for (const std::string& other : {dir_.File("link.db"), dir_.File("hard.db"),
                                   dir_.File("sub/dir/g.db")}) {
    CommandResult r = ExpectRefusedStart(
        {"--db", other, "--listen", "127.0.0.1:0", "--insecure"});
    EXPECT_THAT(r.err, HasSubstr("another gongkaid is already serving"))
        << other;
  }
  // The first one serves on, undisturbed.
  EXPECT_EQ(d.Cli(NewCase()).exit_code, 0);
  EXPECT_EQ(d.Stop(), 0);
}

TEST_F(FilesTest, ALiveSocketIsNeverTakenOverAStaleOneIs) {
  const std::string socket = dir_.File("s.sock");
  Daemon d(dir_.File("g.db"), kToday);
  d.ListenOnUnixSocket(socket);
  ASSERT_TRUE(d.Start()) << d.log();
  CommandResult r = ExpectRefusedStart(
      {"--db", dir_.File("other.db"), "--listen", "unix:" + socket});
  EXPECT_THAT(r.err, HasSubstr("another daemon listens on unix:" + socket));
  struct stat st;
  ASSERT_EQ(lstat(socket.c_str(), &st), 0);
  EXPECT_TRUE(S_ISSOCK(st.st_mode));
  EXPECT_EQ(d.Cli(NewCase()).exit_code, 0);
  // A crash leaves the socket behind; the next start takes it.
  d.Kill();
  ASSERT_EQ(lstat(socket.c_str(), &st), 0);
  ASSERT_TRUE(d.Start()) << d.log();
  EXPECT_EQ(d.Cli(NewCase()).exit_code, 0);
  EXPECT_EQ(d.Stop(), 0);
}

TEST_F(FilesTest, ASecondDaemonOnTheSameTcpPortIsRefused) {
  Daemon d(dir_.File("g.db"), kToday);
  ASSERT_TRUE(d.Start()) << d.log();
  // The harness talks to "ipv4:HOST:PORT".
  const std::string address = d.address().substr(d.address().find(':') + 1);
  CommandResult r = ExpectRefusedStart(
      {"--db", dir_.File("other.db"), "--listen", address, "--insecure"});
  EXPECT_THAT(r.err, HasSubstr("cannot listen on"));
  EXPECT_EQ(d.Stop(), 0);
}

// Under a systemd watchdog (WATCHDOG_USEC), gongkaid pings from its main
// loop; without one, it sends no pings.
TEST_F(FilesTest, PingsTheSystemdWatchdog) {
  {
    Daemon setup(dir_.File("g.db"), kToday);
    ASSERT_TRUE(setup.Start()) << setup.log();
    setup.Stop();
  }
  NotifySocket notify(dir_.File("notify"));
  ASSERT_TRUE(notify.ok());
  const std::string& socket_path = notify.path();
  auto receive = [&] { return notify.Receive(); };
  setenv("NOTIFY_SOCKET", socket_path.c_str(), 1);
  setenv("WATCHDOG_USEC", "200000", 1);
  Background daemon(GONGKAID_PATH, {"--db", dir_.File("g.db"), "--listen",
                                    "127.0.0.1:0", "--insecure"});
  unsetenv("WATCHDOG_USEC");
  unsetenv("NOTIFY_SOCKET");
  EXPECT_THAT(receive(), HasSubstr("READY=1"));
  EXPECT_EQ(receive(), "WATCHDOG=1");
  EXPECT_EQ(receive(), "WATCHDOG=1");
  kill(daemon.pid(), SIGTERM);
  std::string stopping;
  do {
    stopping = receive();
  } while (stopping == "WATCHDOG=1");
  EXPECT_THAT(stopping, HasSubstr("STOPPING=1"));
  CommandResult r;
  ASSERT_TRUE(daemon.Wait(30'000, &r));
  EXPECT_EQ(r.exit_code, 0) << r.err;
}

// Under journald (JOURNAL_STREAM names stderr), lines carry a priority and
// no time of their own.
TEST_F(FilesTest, LogLinesUnderJournaldCarryAPriority) {
  const std::string err_path = dir_.File("err");
  // The shell points stderr at a file and names that file's identity in
  // JOURNAL_STREAM, as systemd does for the journal's stream; the start
  // fails (the database's folder is a file), which is logged as an error.
  const std::string failing =
      "exec 2>>'" + err_path +
      "'; export JOURNAL_STREAM=$(stat -L -c '%d:%i' "
      "/dev/stderr); exec '" GONGKAID_PATH "' --db '" +
      err_path + "/g.db' --listen 'unix:" + dir_.File("s.sock") + "'";
  CommandResult r = RunProgram("/bin/sh", {"-c", failing});
  EXPECT_NE(r.exit_code, 0);
  std::ifstream in(err_path);
  std::string line;
  std::getline(in, line);
  EXPECT_THAT(line, ::testing::StartsWith("<3>cannot start: "));
}

// The unit scores 2.0 or lower (exposure 20 in tenths) in
// `systemd-analyze security`; skipped where systemd-analyze is missing.
TEST(SystemdUnitTest, ScoresTwoOrLowerInSystemdAnalyzeSecurity) {
  if (access("/usr/bin/systemd-analyze", X_OK) != 0) {
    GTEST_SKIP() << "systemd-analyze is not installed (package systemd)";
  }
  const std::string unit =
      std::string(GONGKAI_SOURCE_DIR) + "/deploy/gongkaid.service";
  CommandResult r =
      RunProgram("/usr/bin/systemd-analyze",
                 {"security", "--offline=yes", "--threshold=20", unit});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_THAT(r.out, HasSubstr("Overall exposure level for gongkaid.service"));
}

}  // namespace
}  // namespace gongkai::testing

// No case is ever lost: restarts, crashes, and files the daemon must refuse.
#include <sqlite3.h>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/integration/harness.h"

namespace gongkai::testing {
namespace {

using ::testing::HasSubstr;

const std::vector<std::string> kToday = {"--fake-today", "2024-06-28"};

std::vector<std::string> NewCaseArgs(const std::string& received,
                                     const std::string& name) {
  return {"case",        "new",  "--received",       received,
          "--channel",   "mail", "--applicant-type", "natural_person",
          "--applicant", name,   "--request",        "申请公开某批复文件"};
}

TEST(DurabilityTest, DataSurvivesAGracefulRestart) {
  ScratchDir dir;
  Daemon daemon(dir.File("g.db"), kToday);
  ASSERT_TRUE(daemon.Start()) << daemon.log();
  for (int i = 0; i < 5; ++i) {
    ASSERT_EQ(
        daemon.Cli(NewCaseArgs("2024-06-03", "申请人" + std::to_string(i)))
            .exit_code,
        0);
  }
  ASSERT_EQ(daemon
                .Cli({"case", "answer", "2024-0003", "--date", "2024-06-20",
                      "--outcome", "disclosed"})
                .exit_code,
            0);
  Json before = daemon.CliJson({"case", "list"});
  EXPECT_EQ(daemon.Stop(), 0);
  EXPECT_THAT(daemon.log(), HasSubstr("database closed cleanly"));

  ASSERT_TRUE(daemon.Start()) << daemon.log();
  Json after = daemon.CliJson({"case", "list"});
  EXPECT_EQ(before, after);
  Json c = daemon.CliJson({"case", "show", "2024-0003"});
  EXPECT_EQ(c.Find("outcome")->as_string(), "disclosed");
  EXPECT_EQ(daemon.Cli(NewCaseArgs("2024-06-04", "next")).out, "2024-0006\n");
}

TEST(DurabilityTest, AcknowledgedCreateSurvivesKillNine) {
  ScratchDir dir;
  Daemon daemon(dir.File("g.db"), kToday);
  for (int round = 0; round < 3; ++round) {
    ASSERT_TRUE(daemon.Start()) << daemon.log();
    CommandResult r =
        daemon.Cli(NewCaseArgs("2024-06-10", "round" + std::to_string(round)));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    std::string no = r.out.substr(0, r.out.size() - 1);
    daemon.Kill();  // right after the acknowledgement
    ASSERT_TRUE(daemon.Start()) << daemon.log();
    Json c = daemon.CliJson({"case", "show", no});
    EXPECT_EQ(c.Find("applicant")->as_string(),
              "round" + std::to_string(round));
    daemon.Kill();
  }
  ASSERT_TRUE(daemon.Start());
  EXPECT_EQ(daemon.CliJson({"case", "list"}).as_array().size(), 3u);
}

TEST(DurabilityTest, SecondDaemonOnTheSameFileIsRefused) {
  ScratchDir dir;
  Daemon first(dir.File("g.db"), kToday);
  ASSERT_TRUE(first.Start());
  Daemon second(dir.File("g.db"), kToday);
  EXPECT_FALSE(second.Start());
  EXPECT_THAT(second.log(), HasSubstr("another gongkaid is already serving"));
}

TEST(DurabilityTest, NewerSchemaIsRefusedWithAClearMessage) {
  ScratchDir dir;
  {
    Daemon d(dir.File("g.db"), kToday);
    ASSERT_TRUE(d.Start());
    d.Stop();
  }
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(dir.File("g.db").c_str(), &db), SQLITE_OK);
  ASSERT_EQ(
      sqlite3_exec(db, "PRAGMA user_version=99", nullptr, nullptr, nullptr),
      SQLITE_OK);
  sqlite3_close(db);
  Daemon d(dir.File("g.db"), kToday);
  EXPECT_FALSE(d.Start());
  EXPECT_THAT(d.log(),
              HasSubstr("schema version 99, newer than this gongkaid"));
}

TEST(DurabilityTest, CorruptFileIsRefused) {
  ScratchDir dir;
  {
    std::FILE* f = std::fopen(dir.File("g.db").c_str(), "wb");
    std::string junk(10000, 'j');
    std::fwrite(junk.data(), 1, junk.size(), f);
    std::fclose(f);
  }
  Daemon d(dir.File("g.db"), kToday);
  EXPECT_FALSE(d.Start());
  EXPECT_THAT(d.log(), HasSubstr("cannot start"));
}

TEST(DurabilityTest, ConfigFileSetsTheDatabase) {
  ScratchDir dir;
  {
    std::FILE* f = std::fopen(dir.File("gongkaid.conf").c_str(), "w");
    std::string text =
        "# test config\ndb = " + dir.File("from-config.db") + "\n";
    std::fwrite(text.data(), 1, text.size(), f);
    std::fclose(f);
  }
  CommandResult bad =
      RunProgram(GONGKAID_PATH, {"--config", dir.File("missing.conf")});
  EXPECT_NE(bad.exit_code, 0);
  EXPECT_THAT(bad.err, HasSubstr("cannot read config file"));
  CommandResult help = RunProgram(GONGKAID_PATH, {"--help"});
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_THAT(help.out, HasSubstr("--listen ADDR"));
}

TEST(DurabilityTest, UnreachableDaemon) {
  CommandResult r =
      RunProgram(GONGKAI_CLI_PATH, {"--server", "127.0.0.1:9", "case", "list"});
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_THAT(r.err, HasSubstr("cannot reach gongkaid at 127.0.0.1:9"));
}

}  // namespace
}  // namespace gongkai::testing

#include "cli/cli.h"

#include <sstream>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace gongkai::cli {
namespace {

using ::testing::HasSubstr;

struct Result {
  int code;
  std::string out, err;
};

Result RunGk(std::vector<std::string> args, std::string server = "") {
  std::ostringstream out, err;
  CliEnvironment env;
  env.server = server;
  env.user = "tester";
  int code = RunCli(args, out, err, env);
  return {code, out.str(), err.str()};
}

TEST(CliTest, OverviewListsCommands) {
  Result r = RunGk({"--help"});
  EXPECT_EQ(r.code, kExitOk);
  EXPECT_THAT(r.out, HasSubstr("case new"));
  EXPECT_THAT(r.out, HasSubstr("calendar add-workdays"));
  Result none = RunGk({});
  EXPECT_EQ(none.code, kExitUsage);
}

TEST(CliTest, EveryCommandHasHelp) {
  for (auto path :
       std::vector<std::vector<std::string>>{{"case", "new"},
                                             {"case", "show"},
                                             {"case", "list"},
                                             {"case", "answer"},
                                             {"calendar", "add-workdays"},
                                             {"calendar", "show"}}) {
    path.push_back("--help");
    Result r = RunGk(path);
    EXPECT_EQ(r.code, kExitOk) << path[0] << " " << path[1];
    EXPECT_THAT(r.out, HasSubstr("Usage: gongkai " + path[0] + " " + path[1]));
  }
  EXPECT_THAT(RunGk({"case", "answer", "--help"}).out,
              HasSubstr("unavailable_not_held"));
}

TEST(CliTest, UsageErrorsExitTwo) {
  Result unknown = RunGk({"case", "frobnicate"});
  EXPECT_EQ(unknown.code, kExitUsage);
  EXPECT_THAT(unknown.err, HasSubstr("unknown command 'case frobnicate'"));
  Result missing = RunGk({"case", "new", "--received", "2023-03-06"});
  EXPECT_EQ(missing.code, kExitUsage);
  EXPECT_THAT(missing.err, HasSubstr("missing required option --channel"));
  Result extra = RunGk({"case", "show", "A", "B"});
  EXPECT_EQ(extra.code, kExitUsage);
  EXPECT_THAT(extra.err, HasSubstr("unexpected 'B'"));
}

TEST(CliTest, BadValuesAreCaughtBeforeCallingTheServer) {
  Result date = RunGk({"case", "new", "--received", "2023-02-30", "--channel",
                       "online", "--applicant-type", "natural_person",
                       "--applicant", "A", "--request", "R"},
                      "127.0.0.1:1");
  EXPECT_EQ(date.code, kExitFailed);
  EXPECT_THAT(date.err, HasSubstr("not a real calendar date"));
  Result type = RunGk(
      {"case", "new", "--received", "2023-02-03", "--channel", "online",
       "--applicant-type", "person", "--applicant", "A", "--request", "R"},
      "127.0.0.1:1");
  EXPECT_THAT(type.err,
              HasSubstr("valid applicant types: natural_person (自然人)"));
  Result outcome =
      RunGk({"case", "answer", "X", "--date", "2023-03-01", "--outcome", "yes"},
            "127.0.0.1:1");
  EXPECT_THAT(outcome.err, HasSubstr("unknown outcome 'yes'"));
}

TEST(CliTest, UnreachableDaemonSaysWhereItTried) {
  Result r = RunGk({"case", "show", "2023-0001"}, "127.0.0.1:1");
  EXPECT_EQ(r.code, kExitUnreachable);
  EXPECT_THAT(r.err, HasSubstr("cannot reach gongkaid at 127.0.0.1:1"));
  Result flag =
      RunGk({"--server", "unix:/nonexistent/gk.sock", "case", "list"});
  EXPECT_THAT(flag.err, HasSubstr("unix:/nonexistent/gk.sock"));
}

}  // namespace
}  // namespace gongkai::cli

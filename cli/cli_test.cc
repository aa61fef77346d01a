#include "cli/cli.h"

#include <set>
#include <sstream>

#include "absl/strings/str_split.h"
#include "cli/command.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace gongkai::cli {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

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

std::vector<std::string> Split(const std::string& path) {
  return absl::StrSplit(path, ' ');
}

TEST(CliTest, HelpForEveryCommandInTheTable) {
  for (const Command& c : CommandTable()) {
    std::vector<std::string> args = Split(c.path);
    args.push_back("--help");
    Result r = RunGk(args);
    EXPECT_EQ(r.code, kExitOk) << c.path << ": " << r.err;
    EXPECT_THAT(r.out, StartsWith("Usage: gongkai " + c.path)) << c.path;
    EXPECT_THAT(r.out, HasSubstr(c.summary)) << c.path;
    EXPECT_THAT(r.out, HasSubstr("-h, --help")) << c.path;
    EXPECT_EQ(r.err, "") << c.path;
    // "gongkai help PATH" and "-h" say the same.
    std::vector<std::string> help_first = {"help"};
    for (const std::string& w : Split(c.path)) help_first.push_back(w);
    EXPECT_EQ(RunGk(help_first).out, r.out) << c.path;
    args.back() = "-h";
    EXPECT_EQ(RunGk(args).out, r.out) << c.path;
  }
}

TEST(CliTest, HelpForEveryGroupListsItsCommands) {
  std::set<std::string> groups;
  for (const CommandGroup& g : CommandGroups()) {
    groups.insert(g.path);
    std::vector<std::string> args = Split(g.path);
    args.push_back("--help");
    Result r = RunGk(args);
    EXPECT_EQ(r.code, kExitOk) << g.path << ": " << r.err;
    // A group that is also a command ("report") shows the command's help
    // with the group's details.
    const bool command =
        std::any_of(CommandTable().begin(), CommandTable().end(),
                    [&](const Command& c) { return c.path == g.path; });
    EXPECT_THAT(r.out, HasSubstr(command ? g.details : g.summary)) << g.path;
    int listed = 0;
    for (const Command& c : CommandTable()) {
      if (c.path.rfind(g.path + " ", 0) == 0) {
        EXPECT_THAT(r.out, HasSubstr(c.path + " ")) << g.path;
        ++listed;
      }
    }
    EXPECT_GT(listed, 0) << g.path << " groups no command";
  }
  // Every word before a command's last one is a group with its own help.
  for (const Command& c : CommandTable()) {
    std::vector<std::string> words = Split(c.path);
    std::string prefix;
    for (size_t i = 0; i + 1 < words.size(); ++i) {
      prefix += (i > 0 ? " " : "") + words[i];
      EXPECT_TRUE(groups.count(prefix)) << prefix << " of " << c.path;
    }
  }
  for (const char* g : {"case", "report", "appeal", "proactive", "calendar",
                        "admin", "fee", "import", "export"}) {
    EXPECT_TRUE(groups.count(g)) << g;
  }
}

TEST(CliTest, AGroupWithoutACommandListsItsCommands) {
  Result r = RunGk({"admin", "user"});
  EXPECT_EQ(r.code, kExitUsage);
  EXPECT_THAT(r.err, HasSubstr("choose a command"));
  EXPECT_THAT(r.err,
              HasSubstr("add, list, disable, enable, set, rotate-token"));
  EXPECT_THAT(r.err, Not(HasSubstr("agency")));
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
}

TEST(CliTest, UnknownCommandsListTheirGroupsCommands) {
  Result r = RunGk({"report", "frobnicate"});
  EXPECT_EQ(r.code, kExitUsage);
  EXPECT_THAT(r.err, HasSubstr("unknown command 'report frobnicate'"));
  EXPECT_THAT(r.err, HasSubstr("are: publish, document, check, merge\n"));
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  Result top = RunGk({"frobnicate"});
  EXPECT_EQ(top.code, kExitUsage);
  EXPECT_THAT(top.err, HasSubstr("unknown command 'frobnicate'"));
  EXPECT_THAT(top.err, HasSubstr("gongkai --help"));
}

TEST(CliTest, OptionErrorsNameTheOption) {
  auto err = [](std::vector<std::string> args) {
    Result r = RunGk(args, "127.0.0.1:1");
    EXPECT_EQ(r.code, kExitUsage) << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
    return r.err;
  };
  EXPECT_THAT(err({"case", "answer", "X", "--outcome", "disclosed", "--date"}),
              HasSubstr("option --date needs a value (DATE)"));
  EXPECT_THAT(err({"case", "new", "--recieved", "2023-03-06"}),
              HasSubstr("unknown option --recieved"));
  EXPECT_THAT(err({"case", "show", "X", "--reveal=yes"}),
              HasSubstr("option --reveal takes no value"));
  EXPECT_THAT(err({"case", "answer", "X", "--date", "2023-03-06", "--date",
                   "2023-03-07", "--outcome", "disclosed"}),
              HasSubstr("option --date is given more than once"));
  EXPECT_THAT(err({"case", "show"}), HasSubstr("expected NO"));
  EXPECT_THAT(err({"whoami", "me"}),
              HasSubstr("takes no arguments; unexpected 'me'"));
  EXPECT_THAT(err({"--server"}), HasSubstr("option --server needs a value"));
  EXPECT_THAT(err({"case", "extend", "X", "--date", "2023-03-06", "--days",
                   "-5", "--approved-by", "H", "--reason", "R"}),
              HasSubstr("--days must be a positive whole number, not '-5'"));
}

TEST(CliTest, MergeTakesEveryFile) {
  // Offline: the first unreadable file names itself.
  Result r = RunGk({"report", "merge", "/nonexistent/a.json",
                    "/nonexistent/b.json", "--format", "text"});
  EXPECT_EQ(r.code, kExitFailed) << r.err;
  EXPECT_THAT(r.err, HasSubstr("cannot read /nonexistent/a.json"));
  Result none = RunGk({"report", "merge"});
  EXPECT_EQ(none.code, kExitUsage);
  EXPECT_THAT(none.err, HasSubstr("expected FILE.json ..."));
}

TEST(CliTest, GlobalOptionsGoAnywhere) {
  for (const auto& args : std::vector<std::vector<std::string>>{
           {"--server", "unix:/nonexistent/a.sock", "case", "show", "X"},
           {"case", "--server", "unix:/nonexistent/a.sock", "show", "X"},
           {"case", "show", "--server=unix:/nonexistent/a.sock", "X"},
           {"case", "show", "X", "--json", "--server",
            "unix:/nonexistent/a.sock"}}) {
    Result r = RunGk(args);
    EXPECT_EQ(r.code, kExitUnreachable) << r.err;
    EXPECT_THAT(r.err, HasSubstr("unix:/nonexistent/a.sock"));
  }
  EXPECT_EQ(RunGk({"case", "show", "--version"}).out, "gongkai 0.1.0\n");
}

TEST(CliTest, ValuesThatLookLikeCommandsAreValues) {
  // Reaching the (absent) server means the line parsed as intended.
  for (const auto& args : std::vector<std::vector<std::string>>{
           {"case", "assign", "2023-0001", "admin"},
           {"admin", "user", "add", "case", "--role", "clerk"},
           {"case", "answer", "new", "--date", "2023-03-06", "--outcome",
            "disclosed", "--note", "report"},
           {"case", "new", "--received", "2023-03-06", "--channel", "mail",
            "--applicant-type", "natural_person", "--applicant", "",
            "--request", "-", "--contact", "-1"},
           {"case", "answer", "X", "--date", "2023-03-06", "--outcome",
            "disclosed", "--note", "-see attachment-"},
           {"case", "answer", "X", "--date", "2023-03-06", "--outcome",
            "disclosed", "--note", "--"},
           {"case", "show", "--", "--weird"}}) {
    Result r = RunGk(args, "127.0.0.1:1");
    EXPECT_EQ(r.code, kExitUnreachable) << r.err;
  }
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
              HasSubstr("可用的申请人类型：natural_person (自然人)"));
  Result outcome =
      RunGk({"case", "answer", "X", "--date", "2023-03-01", "--outcome", "yes"},
            "127.0.0.1:1");
  EXPECT_THAT(outcome.err, HasSubstr("未知的办理结果“yes”"));
  EXPECT_THAT(outcome.err, HasSubstr("disclosed (（一）予以公开)"));
}

TEST(CliTest, UnreachableDaemonSaysWhereItTried) {
  Result r = RunGk({"case", "show", "2023-0001"}, "127.0.0.1:1");
  EXPECT_EQ(r.code, kExitUnreachable);
  EXPECT_THAT(r.err, HasSubstr("cannot reach gongkaid at 127.0.0.1:1"));
  Result flag =
      RunGk({"--server", "unix:/nonexistent/gk.sock", "case", "list"});
  EXPECT_THAT(flag.err, HasSubstr("unix:/nonexistent/gk.sock"));
}

TEST(CliTest, TokenGoesInPlainTextOnlyToLoopback) {
  for (const char* server : {"127.0.0.1.nip.io:7435", "10.1.2.3:7435",
                             "[2001:db8::1]:7435", "localhost.example.cn:1"}) {
    Result r = RunGk({"--token", "secret", "whoami"}, server);
    EXPECT_EQ(r.code, kExitFailed) << server;
    EXPECT_THAT(r.err, HasSubstr("refusing to send your token unencrypted"))
        << server;
  }
  // Loopback and Unix sockets are tried (and found unreachable here).
  for (const char* server :
       {"127.0.0.1:1", "[::1]:1", "localhost:1", "unix:/nonexistent/g.sock"}) {
    Result r = RunGk({"--token", "secret", "whoami"}, server);
    EXPECT_EQ(r.code, kExitUnreachable) << server << r.err;
  }
  // With TLS the token may go anywhere; a CA file must be readable.
  Result ca =
      RunGk({"--token", "secret", "--ca", "/nonexistent/ca.pem", "whoami"},
            "10.1.2.3:7435");
  EXPECT_THAT(ca.err, HasSubstr("cannot read CA certificate"));
  Result half = RunGk({"--token", "secret", "--cert", "c.pem", "whoami"},
                      "10.1.2.3:7435");
  EXPECT_THAT(half.err, HasSubstr("--cert and --key go together"));
  Result bad = RunGk({"whoami"}, "10.1.2.3");
  EXPECT_THAT(bad.err, HasSubstr("--server: address '10.1.2.3' has no port"));
}

}  // namespace
}  // namespace gongkai::cli

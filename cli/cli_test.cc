#include "cli/cli.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "cli/command.h"
#include "common/json.h"
#include "domain/codes.h"
#include "domain/documents.h"
#include "domain/report.h"
#include "formats/report_layout.h"
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

// Runs the CLI in `lang` (GONGKAI_LANG). The older tests below read the
// English texts; the language tests read both.
Result RunIn(const std::string& lang, std::vector<std::string> args,
             std::string server = "") {
  std::ostringstream out, err;
  CliEnvironment env;
  env.server = server;
  env.user = "tester";
  env.lang = lang;
  int code = RunCli(args, out, err, env);
  return {code, out.str(), err.str()};
}

Result RunGk(std::vector<std::string> args, std::string server = "") {
  return RunIn("en", std::move(args), std::move(server));
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
    EXPECT_THAT(r.out, HasSubstr(c.summary.en)) << c.path;
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
    EXPECT_THAT(r.out, HasSubstr(command ? g.details.en : g.summary.en))
        << g.path;
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
  EXPECT_THAT(none.err, HasSubstr("expected FILE ..."));
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
    // With --json the error is JSON on stdout.
    EXPECT_THAT(r.err + r.out, HasSubstr("unix:/nonexistent/a.sock"));
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
  // Labels go through the domain's label parser, which names the valid
  // codes with their Chinese labels: in Chinese by default, in English with
  // --lang en. Nothing reaches the (unreachable) server.
  const std::vector<std::string> type_args = {
      "case",        "new",    "--received",       "2023-02-03",
      "--channel",   "online", "--applicant-type", "person",
      "--applicant", "A",      "--request",        "R"};
  Result type = RunIn("", type_args, "127.0.0.1:1");
  EXPECT_EQ(type.code, kExitFailed);
  EXPECT_THAT(type.err, HasSubstr("未知的申请人类型“person”"));
  EXPECT_THAT(type.err, HasSubstr("可用的申请人类型：natural_person (自然人)"));
  std::vector<std::string> type_en = type_args;
  type_en.insert(type_en.end(), {"--lang", "en"});
  Result type_english = RunIn("", type_en, "127.0.0.1:1");
  EXPECT_EQ(type_english.code, kExitFailed);
  EXPECT_THAT(type_english.err,
              HasSubstr("unknown applicant type 'person'; valid applicant "
                        "types: natural_person (自然人)"));

  const std::vector<std::string> outcome_args = {
      "case", "answer", "X", "--date", "2023-03-01", "--outcome", "yes"};
  Result outcome = RunIn("", outcome_args, "127.0.0.1:1");
  EXPECT_EQ(outcome.code, kExitFailed);
  EXPECT_THAT(outcome.err, HasSubstr("未知的办理结果“yes”"));
  EXPECT_THAT(outcome.err, HasSubstr("disclosed (（一）予以公开)"));
  Result outcome_english = RunIn("en", outcome_args, "127.0.0.1:1");
  EXPECT_EQ(outcome_english.code, kExitFailed);
  EXPECT_THAT(outcome_english.err, HasSubstr("unknown outcome 'yes'"));
  EXPECT_THAT(outcome_english.err, Not(HasSubstr("未知")));
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

// Words of ASCII letters in `text` that are not allowed in Chinese output:
// option names, VALUE names, codes, command words, file names and a few
// names (gongkai, SQLite, Markdown...) are allowed; anything else is English
// that should have been translated.
std::set<std::string> EnglishWords(const std::string& text) {
  static const std::set<std::string>* const kAllowed = [] {
    auto* allowed = new std::set<std::string>{
        "gongkai",    "gongkaid",    "zh",        "en",
        "unix",       "localhost",   "none",      "chmod",
        "open",       "closed",      "text",      "md",
        "csv",        "json",        "html",      "xlsx",
        "clerk",      "handler",     "head",      "admin",
        "auditor",    "mail",        "letter",    "online",
        "fax",        "agency",      "statutory", "upheld",
        "corrected",  "other",       "rules",     "licensing",
        "punishment", "enforcement", "fees",      "reconsideration",
        "help",       "Ctrl",        "SQLite",    "Markdown",
        "table2",     "table3",      "table4",    "year",
        "error",      "code",        "message",   "KiB",
        "MiB",        "Ctrl-C",      "backups",   "channel",
        "request",    "outcome"};
    // Values the user types: --format docx|pdf, --sort received|due,
    // 'default' (admin agency set), 'all' (admin user set --agency).
    allowed->insert({"docx", "pdf", "received", "due", "default", "all"});
    for (const Command& c : CommandTable()) {
      for (absl::string_view w : absl::StrSplit(c.path, ' ')) {
        allowed->insert(std::string(w));
      }
    }
    for (const auto& t : AllApplicantTypes())
      allowed->insert(std::string(t.code));
    for (const auto& o : AllOutcomes()) allowed->insert(std::string(o.code));
    // doc KIND: receipt, correction, ...
    for (const auto& k : AllDocumentKinds()) {
      allowed->insert(std::string(k.code));
    }
    return allowed;
  }();
  std::set<std::string> found;
  std::string word;
  auto flush = [&] {
    const bool code_like =
        word.find_first_of("_/.:$~{}0123456789") != std::string::npos ||
        word.empty() || word[0] == '-';
    const bool value_name =
        !word.empty() && absl::AsciiStrToUpper(word) == word;
    if (!code_like && !value_name && !kAllowed->count(word)) {
      found.insert(word);
    }
    word.clear();
  };
  for (char ch : text) {
    if (absl::ascii_isalnum(static_cast<unsigned char>(ch)) ||
        std::string("_/.:$~{}-").find(ch) != std::string::npos) {
      word.push_back(ch);
    } else {
      flush();
    }
  }
  flush();
  found.erase("");
  return found;
}

bool HasChinese(const std::string& text) {
  // Every CJK ideograph and full-width punctuation is 3 bytes from 0xE3-0xE9
  // or 0xEF in UTF-8.
  for (unsigned char ch : text) {
    if ((ch >= 0xE3 && ch <= 0xE9) || ch == 0xEF) return true;
  }
  return false;
}

// Every help screen: the overview, every group and every command.
std::vector<std::vector<std::string>> HelpScreens() {
  std::vector<std::vector<std::string>> screens = {{"--help"}};
  for (const CommandGroup& g : CommandGroups()) {
    screens.push_back(Split(g.path));
    screens.back().push_back("--help");
  }
  for (const Command& c : CommandTable()) {
    screens.push_back(Split(c.path));
    screens.back().push_back("--help");
  }
  return screens;
}

TEST(LanguageTest, HelpIsChineseByDefault) {
  for (const std::vector<std::string>& args : HelpScreens()) {
    Result r = RunIn("", args);
    const std::string where = absl::StrJoin(args, " ");
    EXPECT_EQ(r.code, kExitOk) << where;
    EXPECT_THAT(r.out, HasSubstr("用法：gongkai")) << where;
    EXPECT_EQ(EnglishWords(r.out), std::set<std::string>()) << where << "\n"
                                                            << r.out;
  }
}

TEST(LanguageTest, HelpInEnglishHasNoChinese) {
  for (const std::vector<std::string>& args : HelpScreens()) {
    std::vector<std::string> en = args;
    en.push_back("--lang");
    en.push_back("en");
    Result r = RunIn("", en);
    const std::string where = absl::StrJoin(args, " ");
    EXPECT_EQ(r.code, kExitOk) << where;
    EXPECT_THAT(r.out, HasSubstr("Usage: gongkai")) << where;
    EXPECT_FALSE(HasChinese(r.out)) << where << "\n" << r.out;
  }
}

TEST(LanguageTest, TheOptionAndTheEnvironmentChooseTheLanguage) {
  EXPECT_THAT(RunIn("en", {"--help"}).out, HasSubstr("Usage:"));
  EXPECT_THAT(RunIn("en", {"--lang", "zh", "--help"}).out, HasSubstr("用法："));
  EXPECT_THAT(RunIn("zh_CN.UTF-8", {"case", "new", "--help", "--lang=en"}).out,
              StartsWith("Usage:"));
  Result bad = RunIn("", {"--lang", "fr", "whoami"});
  EXPECT_EQ(bad.code, kExitUsage);
  EXPECT_NE(bad.err, "");
}

TEST(LanguageTest, ErrorsAreChineseByDefault) {
  Result unreachable = RunIn("", {"case", "show", "2023-0001"}, "127.0.0.1:1");
  EXPECT_EQ(unreachable.code, kExitUnreachable);
  EXPECT_THAT(unreachable.err, HasSubstr("无法连接 127.0.0.1:1 上的 gongkaid"));
  Result missing = RunIn("", {"case", "new", "--received", "2023-03-06"});
  EXPECT_EQ(missing.code, kExitUsage);
  EXPECT_THAT(missing.err, HasSubstr("缺少必需的选项 --channel"));
  Result unknown = RunIn("", {"case", "frobnicate"});
  EXPECT_EQ(unknown.code, kExitUsage);
  EXPECT_THAT(unknown.err, HasSubstr("未知命令 'case frobnicate'"));
  Result group = RunIn("", {"admin", "user"});
  EXPECT_THAT(group.err, HasSubstr("请选择一个命令"));
  Result option = RunIn("", {"case", "show", "X", "--reveal=yes"});
  EXPECT_THAT(option.err, HasSubstr("选项 --reveal 不带值"));
  Result value = RunIn("", {"case", "list", "--state", "maybe"}, "127.0.0.1:1");
  EXPECT_EQ(value.code, kExitUsage);
  EXPECT_THAT(value.err, HasSubstr("用法：--state 须为 open 或 closed"));
  Result token = RunIn("", {"--token", "secret", "whoami"}, "10.1.2.3:7435");
  EXPECT_THAT(token.err, HasSubstr("拒绝以未加密方式把令牌发送到 10.1.2.3"));
  for (const Result& r :
       {unreachable, missing, unknown, group, option, value, token}) {
    EXPECT_EQ(EnglishWords(r.err).count("the"), 0u) << r.err;
  }
}

TEST(LanguageTest, ErrorsWithJsonAreJsonOnStandardOutput) {
  auto error_of = [](const Result& r) {
    EXPECT_EQ(r.err, "");
    absl::StatusOr<Json> j = Json::Parse(r.out);
    EXPECT_TRUE(j.ok()) << r.out;
    if (!j.ok() || j->Find("error") == nullptr) return std::string("?");
    EXPECT_FALSE(j->Find("error")->Find("message")->as_string().empty());
    return j->Find("error")->Find("code")->as_string();
  };
  Result unreachable =
      RunIn("", {"--json", "case", "show", "2023-0001"}, "127.0.0.1:1");
  EXPECT_EQ(unreachable.code, kExitUnreachable);
  EXPECT_EQ(error_of(unreachable), "UNAVAILABLE");
  Result usage = RunIn("", {"case", "frobnicate", "--json"});
  EXPECT_EQ(usage.code, kExitUsage);
  EXPECT_EQ(error_of(usage), "INVALID_ARGUMENT");
  Result parse = RunIn("en", {"case", "show", "--json"});
  EXPECT_EQ(parse.code, kExitUsage);
  EXPECT_EQ(error_of(parse), "INVALID_ARGUMENT");
  Result value =
      RunIn("en", {"case", "list", "--limit", "0", "--json"}, "127.0.0.1:1");
  EXPECT_EQ(value.code, kExitUsage);
  EXPECT_EQ(error_of(value), "INVALID_ARGUMENT");
  Result missing =
      RunIn("", {"report", "merge", "/nonexistent/a.json", "--json"});
  EXPECT_EQ(missing.code, kExitFailed);
  EXPECT_EQ(error_of(missing), "NOT_FOUND");
}

TEST(StopSignalTest, OnlyAListeningCommandTakesTheSignal) {
  StopSignal stop;
  // No command listens: main() lets the signal end the process.
  EXPECT_FALSE(stop.Stop());
  StopSignal listened;
  listened.Listen();
  int cancelled = 0;
  listened.OnStop([&] { ++cancelled; });
  EXPECT_TRUE(listened.Stop());
  EXPECT_EQ(cancelled, 1);
  EXPECT_TRUE(listened.stopped());
  // A wait after the stop ends at once; a call registered after it is
  // cancelled at once.
  EXPECT_TRUE(listened.WaitFor(absl::Hours(1)));
  listened.OnStop([&] { ++cancelled; });
  EXPECT_EQ(cancelled, 2);
}

TEST(StopSignalTest, AWaitWithoutAStopRunsItsCourse) {
  StopSignal stop;
  stop.Listen();
  EXPECT_FALSE(stop.WaitFor(absl::ZeroDuration()));
  EXPECT_FALSE(stop.stopped());
}

TEST(CliTest, WatchChecksItsCountBeforeConnecting) {
  Result r = RunGk({"watch", "--count", "0"}, "127.0.0.1:1");
  EXPECT_EQ(r.code, kExitUsage);
  EXPECT_THAT(r.err, HasSubstr("--count must be a positive number"));
}

TEST(CliTest, CaseListUsageErrorsExitWithTwo) {
  for (const std::vector<std::string>& args :
       std::vector<std::vector<std::string>>{
           {"case", "list", "--limit", "1001"},
           {"case", "list", "--sort", "newest"},
           {"case", "list", "--handler", "wang", "--mine"}}) {
    const std::string where = absl::StrJoin(args, " ");
    Result zh = RunIn("", args, "127.0.0.1:1");
    EXPECT_EQ(zh.code, kExitUsage) << where << ": " << zh.err;
    EXPECT_THAT(zh.err, HasSubstr("用法：")) << where;
    Result en = RunIn("en", args, "127.0.0.1:1");
    EXPECT_EQ(en.code, kExitUsage) << where << ": " << en.err;
    EXPECT_THAT(en.err, HasSubstr("usage: ")) << where;
    EXPECT_FALSE(HasChinese(en.err)) << where << ": " << en.err;
  }
}

// report check and report merge read files and need no daemon.
class ReportFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::path(::testing::TempDir()) /
           ("report_files_" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::string Write(const std::string& name, const std::string& content) {
    const std::string path = (dir_ / name).string();
    std::ofstream(path, std::ios::binary) << content;
    return path;
  }

  // A consistent district report with `n` new requests disclosed; `open`
  // of them still open at the year's end; one reconsideration upheld.
  static AnnualReport District(int64_t n, int64_t open) {
    AnnualReport r;
    r.year = 2023;
    r.table3.new_requests.by_type = {n, 0, 0, 0, 0, 0};
    r.table3.outcomes[0].by_type = {n - open, 0, 0, 0, 0, 0};
    r.table3.outcome_total.by_type = {n - open, 0, 0, 0, 0, 0};
    r.table3.carried_out.by_type = {open, 0, 0, 0, 0, 0};
    r.table4.reconsideration = {1, 0, 0, 0};
    return r;
  }

  std::filesystem::path dir_;
};

TEST_F(ReportFilesTest, CheckOwnCsvIsConsistentInBothLanguages) {
  const std::string path = Write("a.csv", ReportCsv(District(10, 2)));
  Result zh = RunIn("zh", {"report", "check", path});
  EXPECT_EQ(zh.code, kExitOk) << zh.out << zh.err;
  EXPECT_THAT(zh.out, HasSubstr("结论：前后一致"));
  EXPECT_THAT(zh.out, HasSubstr("2021 年版"));
  Result en = RunGk({"report", "check", path});
  EXPECT_EQ(en.code, kExitOk) << en.out << en.err;
  EXPECT_THAT(en.out, HasSubstr("Verdict: consistent"));
}

TEST_F(ReportFilesTest, CheckFindsErrorsAndFailsWithOneJsonDocument) {
  std::string csv = ReportCsv(District(10, 2));
  // Row 四 says 3 where 2 are open: the balance breaks in two columns.
  const std::string four = "四、结转下年度继续办理,,,2,0,0,0,0,0,2";
  ASSERT_NE(csv.find(four), std::string::npos);
  csv.replace(csv.find(four), four.size(),
              "四、结转下年度继续办理,,,3,0,0,0,0,0,3");
  const std::string path = Write("b.csv", csv);
  Result r = RunGk({"--json", "report", "check", path});
  EXPECT_EQ(r.code, kExitFailed) << r.out << r.err;
  // The findings, without a second error object after them.
  absl::StatusOr<Json> j = Json::Parse(r.out);
  ASSERT_TRUE(j.ok()) << r.out;
  EXPECT_EQ(j->Find("error"), nullptr);
  EXPECT_FALSE(j->Find("consistent")->as_bool());
  EXPECT_EQ(j->Find("layout")->as_string(), "2021");
  int balance = 0;
  for (const Json& f : j->Find("findings")->as_array()) {
    if (f.Find("rule")->as_string() == "t3.balance") {
      ++balance;
      EXPECT_EQ(f.Find("table")->as_int(), 3);
      EXPECT_EQ(f.Find("severity")->as_string(), "error");
    }
  }
  EXPECT_EQ(balance, 2);
  // Without --json the verdict goes to stdout and the failure to stderr.
  Result text = RunGk({"report", "check", path});
  EXPECT_EQ(text.code, kExitFailed);
  EXPECT_THAT(text.out, HasSubstr("Verdict: not consistent, 2 error(s)."));
  EXPECT_THAT(text.err, HasSubstr("2 error(s) in"));
}

TEST_F(ReportFilesTest, CheckPreviousAndChildren) {
  const std::string a = Write("a.csv", ReportCsv(District(10, 2)));
  const std::string b = Write("b.csv", ReportCsv(District(5, 1)));
  AnnualReport sum = District(15, 3);
  sum.table4.reconsideration.upheld = 2;
  const std::string city = Write("city.csv", ReportCsv(sum));
  Result ok = RunGk({"report", "check", city, "--children", a, b});
  EXPECT_EQ(ok.code, kExitOk) << ok.out << ok.err;
  sum.table4.reconsideration.upheld = 1;
  const std::string wrong = Write("wrong.csv", ReportCsv(sum));
  Result bad = RunGk({"report", "check", wrong, "--children", a, b});
  EXPECT_EQ(bad.code, kExitFailed);
  EXPECT_THAT(bad.out, HasSubstr("[rollup.cell]"));
  // Last year's 四 (2) is not this year's 二 (0).
  Result prev = RunGk({"report", "check", a, "--previous", a});
  EXPECT_EQ(prev.code, kExitFailed);
  EXPECT_THAT(prev.out, HasSubstr("[prev.carry]"));
}

TEST_F(ReportFilesTest, MergeReadsPublishedFilesAndJson) {
  const std::string a = Write("a.csv", ReportCsv(District(10, 2)));
  const std::string b = Write("b.json", ReportToJson(District(5, 1)).Dump(2));
  Result r = RunGk({"report", "merge", a, b, "--agency", "某市"});
  ASSERT_EQ(r.code, kExitOk) << r.out << r.err;
  absl::StatusOr<Json> j = Json::Parse(r.out);
  ASSERT_TRUE(j.ok()) << r.out;
  absl::StatusOr<AnnualReport> merged = ReportFromJson(*j);
  ASSERT_TRUE(merged.ok()) << merged.status();
  EXPECT_EQ(merged->year, 2023);
  EXPECT_EQ(merged->table3.new_requests.by_type[0], 15);
  EXPECT_EQ(merged->table3.carried_out.by_type[0], 3);
  EXPECT_EQ(merged->table4.reconsideration.upheld, 2);
  // A published file with errors is not merged.
  std::string csv = ReportCsv(District(10, 2));
  const std::string four = "四、结转下年度继续办理,,,2";
  ASSERT_NE(csv.find(four), std::string::npos);
  csv.replace(csv.find(four), four.size(), "四、结转下年度继续办理,,,9");
  const std::string bad = Write("bad.csv", csv);
  Result refused = RunGk({"report", "merge", bad, b});
  EXPECT_EQ(refused.code, kExitFailed) << refused.out;
  EXPECT_THAT(refused.err, HasSubstr("cannot be merged"));
}

}  // namespace
}  // namespace gongkai::cli

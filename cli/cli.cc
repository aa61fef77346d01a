#include "cli/cli.h"

#include <sys/stat.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <ostream>
#include <sstream>

#include "CLI/CLI.hpp"
#include "absl/status/statusor.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "cli/command.h"
#include "common/defaults.h"
#include "common/json.h"
#include "common/lang.h"
#include "common/text_width.h"

namespace gongkai::cli {
namespace {

constexpr char kVersion[] = "gongkai 0.1.0";
constexpr char kGlobalGroup[] = "Global options";

// The options every command accepts, before or after the command words.
struct GlobalOption {
  const char* name;        // without "--"
  const char* value_name;  // empty for a flag
  Text help;
  std::string CommandContext::*text = nullptr;  // where a value goes
  bool CommandContext::*flag = nullptr;         // where a flag goes
};

const std::vector<GlobalOption>& GlobalOptions() {
  static const std::vector<GlobalOption>* const kOptions =
      new std::vector<GlobalOption>{
          {"server",
           "ADDR",
           {absl::StrCat("gongkaid 的地址，HOST:PORT 或 unix:PATH（默认："
                         "$GONGKAI_SERVER，否则为 ",
                         kDefaultServerAddress, "）"),
            absl::StrCat("gongkaid address, HOST:PORT or unix:PATH (default: "
                         "$GONGKAI_SERVER, else ",
                         kDefaultServerAddress, ")")},
           &CommandContext::server},
          {"json",
           "",
           {"输出供程序读取的 JSON（出错时也是 JSON：{\"error\": {\"code\", "
            "\"message\"}}，写到标准输出）",
            "machine-readable JSON output (errors too: {\"error\": "
            "{\"code\", \"message\"}}, on standard output)"},
           nullptr,
           &CommandContext::json},
          {"token",
           "TOKEN",
           {"API 令牌（默认：$GONGKAI_TOKEN，否则为文件 "
            "~/.config/gongkai/token，该文件只能本人可读）",
            "API token (default: $GONGKAI_TOKEN, else the file "
            "~/.config/gongkai/token, which must be private)"},
           &CommandContext::token},
          {"ca",
           "FILE",
           {"用这个 CA 验证服务器的 TLS 证书（$GONGKAI_CA）",
            "verify the server's TLS certificate with this CA ($GONGKAI_CA)"},
           &CommandContext::ca},
          {"tls",
           "",
           {"使用 TLS，以本机信任的 CA 验证", "TLS with the system's CAs"},
           nullptr,
           &CommandContext::tls},
          {"cert",
           "FILE",
           {"双向 TLS 的客户端证书（$GONGKAI_CERT）",
            "client certificate for mutual TLS ($GONGKAI_CERT)"},
           &CommandContext::cert},
          {"key",
           "FILE",
           {"客户端证书的私钥（$GONGKAI_KEY）",
            "its private key ($GONGKAI_KEY)"},
           &CommandContext::key},
          {"lang",
           "LANG",
           {"输出的语言：zh（默认，中文）或 en（英文）（$GONGKAI_LANG）",
            "language of everything printed: zh (default) or en "
            "($GONGKAI_LANG)"},
           &CommandContext::lang_option},
          {"force-reason",
           "TEXT",
           {"修改已发布年度的记录；理由会被记录在案",
            "change records of a published year; the reason is recorded"},
           &CommandContext::force_reason},
      };
  return *kOptions;
}

const GlobalOption* FindGlobal(absl::string_view name) {
  for (const GlobalOption& g : GlobalOptions()) {
    if (name == g.name) return &g;
  }
  return nullptr;
}

std::vector<std::string> Words(absl::string_view path) {
  return absl::StrSplit(path, ' ');
}

const CommandGroup* FindGroup(absl::string_view path) {
  for (const CommandGroup& g : CommandGroups()) {
    if (g.path == path) return &g;
  }
  return nullptr;
}

const Command* FindCommand(absl::string_view path) {
  for (const Command& c : CommandTable()) {
    if (c.path == path) return &c;
  }
  return nullptr;
}

// Every command under `group` ("" for all), in table order.
std::vector<const Command*> CommandsUnder(absl::string_view group) {
  std::vector<const Command*> found;
  for (const Command& c : CommandTable()) {
    if (group.empty() || absl::StartsWith(c.path, absl::StrCat(group, " "))) {
      found.push_back(&c);
    }
  }
  return found;
}

// Two aligned columns: heads and their descriptions.
std::string Columns(
    const std::vector<std::pair<std::string, std::string>>& rows) {
  int width = 0;
  for (const auto& [head, text] : rows) {
    width = std::max(width, DisplayWidth(head));
  }
  std::string out;
  for (const auto& [head, text] : rows) {
    absl::StrAppend(&out, "  ", PadRight(head, width), "  ", text, "\n");
  }
  return out;
}

// The commands under `group`, those sharing a first word together (the
// table is in registration order, which scatters "case" over several files).
std::string CommandList(absl::string_view group, Lang lang) {
  std::vector<const Command*> commands = CommandsUnder(group);
  std::vector<std::string> first_words;
  for (const Command* c : commands) {
    std::string first = Words(c->path)[0];
    if (std::find(first_words.begin(), first_words.end(), first) ==
        first_words.end()) {
      first_words.push_back(first);
    }
  }
  auto rank = [&](const Command* c) {
    return std::find(first_words.begin(), first_words.end(),
                     Words(c->path)[0]) -
           first_words.begin();
  };
  std::stable_sort(
      commands.begin(), commands.end(),
      [&](const Command* a, const Command* b) { return rank(a) < rank(b); });
  std::vector<std::pair<std::string, std::string>> rows;
  for (const Command* c : commands) {
    rows.push_back({c->path, c->summary.In(lang)});
  }
  return Columns(rows);
}

// The commands under `group` on one line, by the words after the group:
// "new, show, list, ...", so that an error stays one line.
std::string CommandNames(absl::string_view group) {
  std::vector<std::string> names;
  for (const Command* c : CommandsUnder(group)) {
    names.push_back(group.empty() ? c->path : c->path.substr(group.size() + 1));
  }
  return absl::StrJoin(names, ", ");
}

std::string GlobalOptionList(Lang lang) {
  std::vector<std::pair<std::string, std::string>> rows;
  for (const GlobalOption& g : GlobalOptions()) {
    std::string head = absl::StrCat("--", g.name);
    if (*g.value_name != '\0') absl::StrAppend(&head, " ", g.value_name);
    rows.push_back({head, g.help.In(lang)});
  }
  rows.push_back(
      {"-h, --help",
       std::string(Tr(lang,
                      "显示帮助；'gongkai 命令 --help' 显示某个命令的帮助",
                      "show help; 'gongkai COMMAND --help' for one"))});
  rows.push_back(
      {"--version", std::string(Tr(lang, "显示版本", "print the version"))});
  return Columns(rows);
}

std::string Overview(Lang lang) {
  std::string groups;
  for (const CommandGroup& g : CommandGroups()) {
    if (g.path.find(' ') == std::string::npos) {
      absl::StrAppend(&groups, groups.empty() ? "" : ", ", g.path);
    }
  }
  if (lang == Lang::kEn) {
    return absl::StrCat(
        "gongkai: handle requests for government information\n\n"
        "Usage: gongkai [global options] COMMAND [options]\n\n"
        "Commands:\n",
        CommandList("", lang), "\nGlobal options (anywhere on the line):\n",
        GlobalOptionList(lang),
        "\n'gongkai GROUP --help' describes a group of commands (", groups,
        ");\n'gongkai COMMAND --help' one command and its options.\n"
        "Dates are YYYY-MM-DD. Applicant types and outcomes take the code or "
        "the Chinese label.\n"
        "Exit status: 0 success, 1 refused or failed, 2 bad command line, 3 "
        "gongkaid not reachable.\n");
  }
  return absl::StrCat(
      "gongkai：办理政府信息依申请公开\n\n"
      "用法：gongkai [全局选项] 命令 [选项]\n\n"
      "命令：\n",
      CommandList("", lang), "\n全局选项（可写在命令行任何位置）：\n",
      GlobalOptionList(lang), "\n'gongkai 命令组 --help' 介绍一组命令（",
      groups,
      "）；\n'gongkai 命令 --help' 介绍一个命令及其选项。\n"
      "日期写作 YYYY-MM-DD。申请人类型和办理结果可用代码或中文名称。\n"
      "退出状态：0 成功，1 被拒绝或失败，2 命令行有误，3 无法连接 "
      "gongkaid。\n");
}

std::string GroupHelp(const CommandGroup& g, Lang lang) {
  std::string out =
      absl::StrCat(Tr(lang, "用法：", "Usage: "), "gongkai ", g.path,
                   Tr(lang, " 命令 [选项]\n\n", " COMMAND [options]\n\n"),
                   g.summary.In(lang), "\n");
  if (!g.details.empty()) absl::StrAppend(&out, "\n", g.details.In(lang), "\n");
  absl::StrAppend(&out, Tr(lang, "\n命令：\n", "\nCommands:\n"),
                  CommandList(g.path, lang));
  if (lang == Lang::kEn) {
    absl::StrAppend(&out, "\nRun 'gongkai ", g.path,
                    " COMMAND --help' for a command's options; 'gongkai "
                    "--help' for the global options.\n");
  } else {
    absl::StrAppend(&out, "\n运行 'gongkai ", g.path,
                    " 命令 --help' 查看一个命令的选项；'gongkai --help' "
                    "查看全局选项。\n");
  }
  return out;
}

// Positional arguments as the usage line shows them: "NO", "FILE ...".
std::string PositionalUsage(const CLI::App& app) {
  std::vector<std::string> parts;
  for (const CLI::Option* opt : app.get_options()) {
    if (!opt->get_positional() || opt->nonpositional()) continue;
    std::string part = opt->get_name(true, false);
    if (opt->get_items_expected_max() > 1) absl::StrAppend(&part, " ...");
    parts.push_back(std::move(part));
  }
  return absl::StrJoin(parts, " ");
}

std::string OptionHead(const CLI::Option& opt) {
  std::string head = opt.get_name(false, true);
  if (opt.get_expected_max() > 0 && !opt.get_type_name().empty()) {
    absl::StrAppend(&head, " ", opt.get_type_name());
  }
  return head;
}

// --help for one command, in the layout of the rest of the CLI: usage,
// summary, details, arguments, options. The global options are only named:
// 'gongkai --help' describes them.
class HelpFormatter : public CLI::Formatter {
 public:
  HelpFormatter(const Command& command, Lang lang)
      : command_(command), lang_(lang) {}

  std::string make_help(const CLI::App* app, std::string,
                        CLI::AppFormatMode) const override {
    std::vector<std::pair<std::string, std::string>> positionals, options;
    for (const CLI::Option* opt : app->get_options()) {
      if (opt->get_group() == kGlobalGroup) continue;
      if (opt->get_positional() && !opt->nonpositional()) {
        positionals.push_back({opt->get_name(true, false),
                               UnpackText(opt->get_description(), lang_)});
        continue;
      }
      if (opt == app->get_help_ptr()) continue;
      options.push_back({OptionHead(*opt),
                         absl::StrCat(UnpackText(opt->get_description(), lang_),
                                      opt->get_required()
                                          ? Tr(lang_, "（必需）", " (required)")
                                          : "")});
    }
    options.push_back(
        {"-h, --help", std::string(Tr(lang_, "显示本帮助", "show this help"))});
    std::string out =
        absl::StrCat(Tr(lang_, "用法：", "Usage: "), "gongkai ", command_.path);
    if (std::string usage = PositionalUsage(*app); !usage.empty()) {
      absl::StrAppend(&out, " ", usage);
    }
    const std::vector<const Command*> under = CommandsUnder(command_.path);
    if (!under.empty()) {
      absl::StrAppend(&out, Tr(lang_, " [命令]", " [COMMAND]"));
    }
    absl::StrAppend(&out, Tr(lang_, " [选项]\n\n", " [options]\n\n"),
                    command_.summary.In(lang_), "\n");
    if (!command_.details.empty()) {
      absl::StrAppend(&out, "\n", command_.details.In(lang_), "\n");
    }
    if (!positionals.empty()) {
      absl::StrAppend(&out, Tr(lang_, "\n参数：\n", "\nArguments:\n"),
                      Columns(positionals));
    }
    absl::StrAppend(&out, Tr(lang_, "\n选项：\n", "\nOptions:\n"),
                    Columns(options));
    if (!under.empty()) {
      // The path is also a group ("report"): say what its commands are for.
      for (const CommandGroup& g : CommandGroups()) {
        if (g.path == command_.path && !g.details.empty()) {
          absl::StrAppend(&out, "\n", g.details.In(lang_), "\n");
        }
      }
      absl::StrAppend(&out, Tr(lang_, "\n命令：\n", "\nCommands:\n"),
                      CommandList(command_.path, lang_));
    }
    std::vector<std::string> globals;
    for (const GlobalOption& g : GlobalOptions()) {
      globals.push_back(absl::StrCat("--", g.name));
    }
    if (lang_ == Lang::kEn) {
      absl::StrAppend(&out, "\nGlobal options (", absl::StrJoin(globals, ", "),
                      ") work here too; see 'gongkai --help'.\n");
    } else {
      absl::StrAppend(&out, "\n全局选项（", absl::StrJoin(globals, ", "),
                      "）在这里同样可用；见 'gongkai --help'。\n");
    }
    return out;
  }

 private:
  const Command& command_;
  const Lang lang_;
};

// The parser of one command: its own options and the global ones, which
// write straight into `ctx`.
std::unique_ptr<CLI::App> CommandParser(const Command& command,
                                        CommandContext& ctx) {
  auto app = std::make_unique<CLI::App>(command.summary.In(ctx.lang),
                                        absl::StrCat("gongkai ", command.path));
  app->formatter(std::make_shared<HelpFormatter>(command, ctx.lang));
  app->set_help_flag("-h,--help", ctx.Ts("显示本帮助", "show this help"));
  if (command.declare) command.declare(*app);
  for (const GlobalOption& g : GlobalOptions()) {
    const std::string name = absl::StrCat("--", g.name);
    CLI::Option* opt =
        g.text != nullptr
            ? app->add_option(name, ctx.*(g.text), g.help.In(ctx.lang))
                  ->type_name(g.value_name)
            : app->add_flag(name, ctx.*(g.flag), g.help.In(ctx.lang))
                  ->disable_flag_override();
    opt->group(kGlobalGroup);
  }
  return app;
}

// Turns a CLI11 parse error into one line a clerk can act on. CLI11's own
// messages name its internals ("1 required TEXT missing"), so the parser's
// state after the error is read instead.
std::string DescribeParseError(const CLI::ParseError& e, const CLI::App& app,
                               const Command& command, Lang lang) {
  const std::string see =
      lang == Lang::kEn
          ? absl::StrCat("; see 'gongkai ", command.path, " --help'")
          : absl::StrCat("；见 'gongkai ", command.path, " --help'");
  const std::string usage = PositionalUsage(app);
  // Extras first: a misspelt option also makes its correct spelling missing.
  std::vector<std::string> extras = app.remaining();
  if (!extras.empty()) {
    const std::string& x = extras.front();
    if (absl::StartsWith(x, "-") && x.size() > 1) {
      return absl::StrCat(Tr(lang, "未知选项 ", "unknown option "),
                          x.substr(0, std::min(x.find('='), x.size())), see);
    }
    if (usage.empty()) {
      return lang == Lang::kEn
                 ? absl::StrCat("takes no arguments; unexpected '", x, "'", see)
                 : absl::StrCat("不带参数；多余的 '", x, "'", see);
    }
    return lang == Lang::kEn
               ? absl::StrCat("expected ", usage, "; unexpected '", x, "'", see)
               : absl::StrCat("应为 ", usage, "；多余的 '", x, "'", see);
  }
  for (const CLI::Option* opt : app.get_options()) {
    if (opt->count() > 1 && opt->get_expected_max() > 0 &&
        opt->get_items_expected_max() == 1 && opt->nonpositional()) {
      return lang == Lang::kEn
                 ? absl::StrCat("option ", opt->get_name(false, true),
                                " is given more than once", see)
                 : absl::StrCat("选项 ", opt->get_name(false, true),
                                " 给出了不止一次", see);
    }
  }
  if (dynamic_cast<const CLI::RequiredError*>(&e) != nullptr) {
    for (const CLI::Option* opt : app.get_options()) {
      if (!opt->get_required() || opt->count() > 0) continue;
      if (!opt->nonpositional()) {
        return absl::StrCat(Tr(lang, "应为 ", "expected "), usage, see);
      }
      return absl::StrCat(
          Tr(lang, "缺少必需的选项 ", "missing required option "),
          OptionHead(*opt), see);
    }
  }
  // The remaining errors name the option first: "--date: ...".
  // ("reveal" for a flag given a value).
  const std::string what = e.what();
  std::string name = what.substr(0, what.find_first_of(": "));
  if (!absl::StartsWith(name, "-")) name = absl::StrCat("--", name);
  if (const CLI::Option* opt = app.get_option_no_throw(name); opt != nullptr) {
    if (dynamic_cast<const CLI::ArgumentMismatch*>(&e) != nullptr) {
      if (opt->get_expected_max() == 0) {
        return lang == Lang::kEn
                   ? absl::StrCat("option ", name, " takes no value", see)
                   : absl::StrCat("选项 ", name, " 不带值", see);
      }
      return lang == Lang::kEn
                 ? absl::StrCat("option ", name, " needs a value (",
                                opt->get_type_name(), ")", see)
                 : absl::StrCat("选项 ", name, " 需要一个值（",
                                opt->get_type_name(), "）", see);
    }
  }
  // CLI11's own words, which only a misuse this code does not foresee
  // reaches.
  return absl::StrCat(Tr(lang, "命令行有误：", "bad command line: "), what,
                      see);
}

int ExitCodeFor(const absl::Status& s) {
  if (s.ok()) return kExitOk;
  if (s.code() == absl::StatusCode::kUnavailable ||
      s.code() == absl::StatusCode::kDeadlineExceeded) {
    return kExitUnreachable;
  }
  return kExitFailed;
}

// Reads the token file, refusing one that others can read.
absl::StatusOr<std::string> ReadTokenFile(const std::string& path) {
  struct stat st;
  if (stat(path.c_str(), &st) != 0) return std::string();
  if ((st.st_mode & (S_IRWXG | S_IRWXO)) != 0) {
    return LocalizedError(
        absl::StatusCode::kPermissionDenied,
        absl::StrCat(path, " 可被其他用户读取；请运行：chmod 600 ", path),
        absl::StrCat(path, " is readable by other users; run: chmod 600 ",
                     path));
  }
  std::ifstream in(path);
  std::string token;
  std::getline(in, token);
  return std::string(absl::StripAsciiWhitespace(token));
}

// Where the command words stand in the arguments. Global options may come
// before, between and after them; the words end at the first other option.
struct CommandLine {
  std::vector<std::string> words;
  std::vector<size_t> word_positions;
  bool help = false;
  bool version = false;
  bool json = false;  // --json anywhere: errors are JSON too
  std::string lang;   // the last --lang value, as typed
};

absl::StatusOr<CommandLine> Scan(const std::vector<std::string>& argv) {
  CommandLine line;
  bool words_done = false;
  for (size_t i = 0; i < argv.size(); ++i) {
    const std::string& a = argv[i];
    if (a == "--") break;
    if (a == "--help" || a == "-h") {
      line.help = true;
      continue;
    }
    if (a == "--version") {
      line.version = true;
      continue;
    }
    if (absl::StartsWith(a, "--")) {
      const size_t eq = a.find('=');
      const std::string name = a.substr(2, eq - 2);
      const GlobalOption* g = FindGlobal(name);
      if (g == nullptr) {
        words_done = true;
      } else if (*g->value_name != '\0' && eq == std::string::npos) {
        // The value follows.
        if (i + 1 >= argv.size() || argv[i + 1].empty()) {
          return LocalizedError(
              absl::StatusCode::kInvalidArgument,
              absl::StrCat("选项 ", a, " 需要一个值（", g->value_name, "）"),
              absl::StrCat("option ", a, " needs a value (", g->value_name,
                           ")"));
        }
        ++i;
        if (name == "lang") line.lang = argv[i];
      } else if (name == "lang") {
        line.lang = a.substr(eq + 1);
      } else if (name == "json" && eq == std::string::npos) {
        line.json = true;
      }
      continue;
    }
    if (absl::StartsWith(a, "-") && a.size() > 1) {
      words_done = true;
      continue;
    }
    if (!words_done) {
      line.words.push_back(a);
      line.word_positions.push_back(i);
    }
  }
  return line;
}

}  // namespace

const std::vector<Command>& CommandTable() {
  static const std::vector<Command>* const kTable = [] {
    auto* table = new std::vector<Command>;
    AddCaseCommands(*table);
    AddLifecycleCommands(*table);
    AddAmendCommands(*table);
    AddCalendarCommands(*table);
    AddAlertCommands(*table);
    AddReportCommands(*table);
    AddDocumentCommands(*table);
    AddAdminCommands(*table);
    return table;
  }();
  return *kTable;
}

const std::vector<CommandGroup>& CommandGroups() {
  static const std::vector<CommandGroup>* const kGroups = new std::vector<
      CommandGroup>{
      {"case",
       {"登记、跟踪和答复政府信息公开申请",
        "Log, follow and answer applications for government information"},
       {"一件申请就是一个案件。申请编号默认为 "
        "YYYY-NNNN。答复期限为收到申请之日起"
        "\n20 个工作日；补正、征求意见和收费期间不计算在内。",
        "A case is one application. Its number is YYYY-NNNN unless given. "
        "The reply is due\n20 working days after receipt; corrections, "
        "consultations and fees pause it."}},
      {"calendar",
       {"答复期限所用的工作日历",
        "The working-day calendar that deadlines use"},
       {"国务院公布的每年法定放假日和调休上班日。",
        "Official days off and make-up working days per year, as the "
        "State\nCouncil announces them."}},
      {"fee", {"信息处理费", "Information-processing fees"}, ""},
      {"alert",
       {"为自己确认或暂缓一条到期提醒",
        "Acknowledge or snooze an alert for yourself"},
       ""},
      {"report",
       {"政府信息公开工作年度报告及其表格",
        "The annual report on government information disclosure and its "
        "tables"},
       {"'gongkai report --year Y' "
        "输出各表；下列命令用于发布、组装、检查和合并。",
        "'gongkai report --year Y' prints the tables; the commands below "
        "publish, assemble,\ncheck and merge them."}},
      {"doc",
       {"文书：回执、告知书和答复", "Documents: receipts, notices and replies"},
       {"gongkai doc 类别 编号 按本机关的模板生成案件的文书并登记文号；"
        "模板和文书设置见 docs/documents.md。",
        "gongkai doc KIND NO fills the agency's template for a "
        "case and records its number;\ntemplates and settings: "
        "docs/documents.md."}},
      {"doc templates",
       {"文书模板（DOCX 文件，可用 WPS 等文字处理软件编辑）",
        "Document templates (DOCX files edited in Word or WPS)"},
       ""},
      {"appeal",
       {"表四的行政复议、行政诉讼",
        "Reconsiderations and lawsuits for table 4"},
       ""},
      {"proactive",
       {"表二：主动公开情况", "Table 2 figures: proactive disclosure"},
       ""},
      {"import", {"从文件导入记录", "Bring records in from files"}, ""},
      {"export", {"把记录导出到文件", "Write records out to files"}, ""},
      {"admin",
       {"系统管理：用户、机关、审计、备份",
        "Administration: users, agencies, audit, backups"},
       {"其中多数命令需要 admin 角色；'admin permissions' 列出谁可以做什么。",
        "Most of these need the admin role; 'admin permissions' shows "
        "who may do what."}},
      {"admin user",
       {"工作人员账户及其令牌", "Staff accounts and their tokens"},
       ""},
      {"admin agency",
       {"共用本守护进程的机关（部门）",
        "Departments (agencies) that share this daemon"},
       ""},
  };
  return *kGroups;
}

// Where failures go: one line on stderr, or with --json one JSON object on
// stdout (so that a program reading stdout always gets one JSON document),
// {"error": {"code": "NOT_FOUND", "message": "..."}}; the code is the stable
// gRPC/absl name, the message in the reader's language.
class Failure {
 public:
  Failure(std::ostream& out, std::ostream& err, bool json, Lang lang)
      : out_(out), err_(err), json_(json), lang_(lang) {}

  // Reports `status` (`where` is "gongkai case show") and returns `exit`.
  int Report(const absl::Status& status, absl::string_view where, int exit) {
    const std::string message = MessageIn(status, lang_);
    if (json_ && IsReportedInJson(status)) return exit;
    if (json_) {
      Json error = Json::MakeObject();
      error.Set("code", absl::StatusCodeToString(status.code()));
      error.Set("message", message);
      Json j = Json::MakeObject();
      j.Set("error", std::move(error));
      out_ << j.Dump(2) << "\n";
    } else {
      err_ << where << ": " << message << "\n";
    }
    return exit;
  }
  // A bad command line: INVALID_ARGUMENT, exit status 2.
  int Usage(absl::string_view where, const std::string& zh,
            const std::string& en) {
    return Report(LocalizedError(absl::StatusCode::kInvalidArgument, zh, en),
                  where, kExitUsage);
  }

 private:
  std::ostream& out_;
  std::ostream& err_;
  const bool json_;
  const Lang lang_;
};

int RunCli(const std::vector<std::string>& argv, std::ostream& out,
           std::ostream& err, const CliEnvironment& env) {
  // The language and --json come first: every word printed depends on them.
  Lang lang = Lang::kZh;
  bool json = false;
  for (const std::string& a : argv) {
    if (a == "--") break;
    if (a == "--json") json = true;
  }
  if (!env.lang.empty()) {
    // A bad $GONGKAI_LANG is reported below, with --lang.
    if (absl::StatusOr<Lang> l = ParseLang(env.lang); l.ok()) lang = *l;
  }
  // The API carries text as UTF-8; say so here rather than fail obscurely.
  for (size_t i = 0; i < argv.size(); ++i) {
    if (!IsValidUtf8(argv[i])) {
      return Failure(out, err, json, lang)
          .Usage("gongkai",
                 absl::StrCat("第 ", i + 1,
                              " 个参数不是有效的 UTF-8 文本；请检查终端的编码"),
                 absl::StrCat("argument ", i + 1,
                              " is not valid UTF-8 text; check the terminal's "
                              "encoding"));
    }
  }
  absl::StatusOr<CommandLine> line = Scan(argv);
  if (!line.ok()) {
    return Failure(out, err, json, lang)
        .Report(line.status(), "gongkai", kExitUsage);
  }
  if (const std::string chosen = line->lang.empty() ? env.lang : line->lang;
      !chosen.empty()) {
    absl::StatusOr<Lang> l = ParseLang(chosen);
    if (!l.ok()) {
      return Failure(out, err, json, lang)
          .Report(l.status(), "gongkai", kExitUsage);
    }
    lang = *l;
  }
  Failure fail(out, err, json, lang);
  if (line->version) {
    out << kVersion << "\n";
    return kExitOk;
  }
  std::vector<std::string> words = line->words;
  std::vector<size_t> positions = line->word_positions;
  bool help = line->help;
  // "gongkai help case new" is "gongkai case new --help".
  if (!words.empty() && words[0] == "help") {
    words.erase(words.begin());
    positions.erase(positions.begin());
    help = true;
  }
  if (words.empty()) {
    if (help || !json) {
      (help ? out : err) << Overview(lang);
      return help ? kExitOk : kExitUsage;
    }
    return fail.Usage("gongkai", "请给出一个命令；见 'gongkai --help'",
                      "give a command; see 'gongkai --help'");
  }
  // The longest command path and the longest group path that the words
  // start with.
  const Command* command = nullptr;
  const CommandGroup* group = nullptr;
  size_t consumed = 0;
  for (size_t n = 1; n <= words.size(); ++n) {
    const std::string path =
        absl::StrJoin(words.begin(), words.begin() + n, " ");
    if (const Command* c = FindCommand(path); c != nullptr) {
      command = c;
      consumed = n;
    }
    if (const CommandGroup* g = FindGroup(path); g != nullptr) group = g;
  }
  if (command == nullptr ||
      (group != nullptr && Words(group->path).size() > consumed)) {
    // The words name a group, or nothing.
    const std::string typed = absl::StrJoin(words, " ");
    if (group != nullptr && group->path == typed) {
      if (help) {
        out << GroupHelp(*group, lang);
        return kExitOk;
      }
      return fail.Usage(
          absl::StrCat("gongkai ", group->path),
          absl::StrCat("请选择一个命令：", CommandNames(group->path),
                       "；见 'gongkai ", group->path, " --help'"),
          absl::StrCat("choose a command: ", CommandNames(group->path),
                       "; see 'gongkai ", group->path, " --help'"));
    }
    if (group != nullptr) {
      return fail.Usage(
          "gongkai",
          absl::StrCat("未知命令 '", typed, "'；'", group->path, "' 的命令有：",
                       CommandNames(group->path)),
          absl::StrCat("unknown command '", typed, "'; the commands of '",
                       group->path, "' are: ", CommandNames(group->path)));
    }
    return fail.Usage("gongkai",
                      absl::StrCat("未知命令 '", typed,
                                   "'；运行 'gongkai --help' 查看命令列表"),
                      absl::StrCat("unknown command '", typed,
                                   "'; run 'gongkai --help' for the list"));
  }

  CommandContext ctx;
  ctx.out = &out;
  ctx.err = &err;
  ctx.lang = lang;
  ctx.user = env.user;
  ctx.server = env.server.empty() ? kDefaultServerAddress : env.server;
  ctx.token = env.token;
  ctx.ca = env.ca;
  ctx.cert = env.cert;
  ctx.key = env.key;
  ctx.wait = env.wait;
  ctx.stop = env.stop;
  std::unique_ptr<CLI::App> app = CommandParser(*command, ctx);
  if (help) {
    out << app->help();
    return kExitOk;
  }
  // Everything but the command words, for CLI11 (which wants it reversed).
  std::vector<std::string> rest;
  for (size_t i = 0; i < argv.size(); ++i) {
    if (std::find(positions.begin(), positions.begin() + consumed, i) ==
        positions.begin() + consumed) {
      rest.push_back(argv[i]);
    }
  }
  // "--note -x": the word after an option that takes a value is its value,
  // as it always was, even when it starts with '-' (CLI11 would take it for
  // an option). Joining them as "--note=-x" says so.
  for (size_t i = 0; i + 1 < rest.size(); ++i) {
    if (rest[i] == "--") break;
    const CLI::Option* opt = absl::StartsWith(rest[i], "--") &&
                                     rest[i].find('=') == std::string::npos
                                 ? app->get_option_no_throw(rest[i])
                                 : nullptr;
    if (opt != nullptr && opt->get_expected_max() > 0 &&
        absl::StartsWith(rest[i + 1], "-")) {
      rest[i] = absl::StrCat(rest[i], "=", rest[i + 1]);
      rest.erase(rest.begin() + i + 1);
    }
  }
  std::reverse(rest.begin(), rest.end());
  const std::string where = absl::StrCat("gongkai ", command->path);
  try {
    app->parse(rest);
  } catch (const CLI::CallForHelp&) {
    out << app->help();
    return kExitOk;
  } catch (const CLI::ParseError& e) {
    // A command that is also a group ("report") takes no positionals: a
    // word after it is a misspelt command.
    std::vector<std::string> extras = app->remaining();
    if (!CommandsUnder(command->path).empty() && !extras.empty() &&
        !absl::StartsWith(extras.front(), "-") &&
        PositionalUsage(*app).empty()) {
      return fail.Usage(
          "gongkai",
          absl::StrCat("未知命令 '", command->path, " ", extras.front(), "'；'",
                       command->path, "' 的命令有：",
                       CommandNames(command->path)),
          absl::StrCat("unknown command '", command->path, " ", extras.front(),
                       "'; the commands of '", command->path,
                       "' are: ", CommandNames(command->path)));
    }
    const std::string described = DescribeParseError(e, *app, *command, lang);
    return fail.Report(absl::InvalidArgumentError(described), where,
                       kExitUsage);
  }
  if (ctx.token.empty() && !env.config_dir.empty()) {
    absl::StatusOr<std::string> token =
        ReadTokenFile(env.config_dir + "/token");
    if (!token.ok()) return fail.Report(token.status(), "gongkai", kExitUsage);
    ctx.token = *token;
  }
  ctx.args = CommandArgs(app.get());
  absl::Status status = ctx.Connect();
  if (status.ok()) status = command->run(ctx);
  if (!status.ok()) {
    const bool usage = status.code() == absl::StatusCode::kInvalidArgument &&
                       absl::StartsWith(MessageIn(status, Lang::kEn), "usage:");
    return fail.Report(status, where, usage ? kExitUsage : ExitCodeFor(status));
  }
  return kExitOk;
}

}  // namespace gongkai::cli

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
#include "common/text_width.h"

namespace gongkai::cli {
namespace {

constexpr char kVersion[] = "gongkai 0.1.0";
constexpr char kGlobalGroup[] = "Global options";

// The options every command accepts, before or after the command words.
struct GlobalOption {
  const char* name;        // without "--"
  const char* value_name;  // empty for a flag
  std::string help;
  std::string CommandContext::*text = nullptr;  // where a value goes
  bool CommandContext::*flag = nullptr;         // where a flag goes
};

const std::vector<GlobalOption>& GlobalOptions() {
  static const std::vector<GlobalOption>* const kOptions =
      new std::vector<GlobalOption>{
          {"server", "ADDR",
           "gongkaid address, HOST:PORT or unix:PATH (default: "
           "$GONGKAI_SERVER, else " +
               std::string(kDefaultServerAddress) + ")",
           &CommandContext::server},
          {"json", "", "machine-readable JSON output", nullptr,
           &CommandContext::json},
          {"token", "TOKEN",
           "API token (default: $GONGKAI_TOKEN, else the file "
           "~/.config/gongkai/token, which must be private)",
           &CommandContext::token},
          {"ca", "FILE",
           "verify the server's TLS certificate with this CA ($GONGKAI_CA)",
           &CommandContext::ca},
          {"tls", "", "TLS with the system's CAs", nullptr,
           &CommandContext::tls},
          {"cert", "FILE", "client certificate for mutual TLS ($GONGKAI_CERT)",
           &CommandContext::cert},
          {"key", "FILE", "its private key ($GONGKAI_KEY)",
           &CommandContext::key},
          {"lang", "LANG",
           "language of everything printed: zh (default) or en "
           "($GONGKAI_LANG)",
           &CommandContext::lang_option},
          {"force-reason", "TEXT",
           "change records of a published year; the reason is recorded",
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
std::string CommandList(absl::string_view group) {
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
    rows.push_back({c->path, c->summary});
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

std::string GlobalOptionList() {
  std::vector<std::pair<std::string, std::string>> rows;
  for (const GlobalOption& g : GlobalOptions()) {
    std::string head = absl::StrCat("--", g.name);
    if (*g.value_name != '\0') absl::StrAppend(&head, " ", g.value_name);
    rows.push_back({head, g.help});
  }
  rows.push_back({"-h, --help", "show help; 'gongkai COMMAND --help' for one"});
  rows.push_back({"--version", "print the version"});
  return Columns(rows);
}

std::string Overview() {
  std::string groups;
  for (const CommandGroup& g : CommandGroups()) {
    if (g.path.find(' ') == std::string::npos) {
      absl::StrAppend(&groups, groups.empty() ? "" : ", ", g.path);
    }
  }
  return absl::StrCat(
      "gongkai: handle requests for government information "
      "(政府信息依申请公开)\n\n"
      "Usage: gongkai [global options] COMMAND [options]\n\n"
      "Commands:\n",
      CommandList(""), "\nGlobal options (anywhere on the line):\n",
      GlobalOptionList(),
      "\n'gongkai GROUP --help' describes a group of commands (", groups,
      ");\n'gongkai COMMAND --help' one command and its options.\n"
      "Dates are YYYY-MM-DD. Applicant types and outcomes take the code or "
      "the exact Chinese label.\n"
      "Exit status: 0 success, 1 refused or failed, 2 bad command line, 3 "
      "gongkaid not reachable.\n");
}

std::string GroupHelp(const CommandGroup& g) {
  std::string out = absl::StrCat("Usage: gongkai ", g.path,
                                 " COMMAND [options]\n\n", g.summary, "\n");
  if (!g.details.empty()) absl::StrAppend(&out, "\n", g.details, "\n");
  absl::StrAppend(&out, "\nCommands:\n", CommandList(g.path), "\nRun 'gongkai ",
                  g.path,
                  " COMMAND --help' for a command's options; 'gongkai "
                  "--help' for the global options.\n");
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
  explicit HelpFormatter(const Command& command) : command_(command) {}

  std::string make_help(const CLI::App* app, std::string,
                        CLI::AppFormatMode) const override {
    std::vector<std::pair<std::string, std::string>> positionals, options;
    for (const CLI::Option* opt : app->get_options()) {
      if (opt->get_group() == kGlobalGroup) continue;
      if (opt->get_positional() && !opt->nonpositional()) {
        positionals.push_back(
            {opt->get_name(true, false), opt->get_description()});
        continue;
      }
      if (opt == app->get_help_ptr()) continue;
      options.push_back(
          {OptionHead(*opt),
           absl::StrCat(opt->get_description(),
                        opt->get_required() ? " (required)" : "")});
    }
    options.push_back({"-h, --help", "show this help"});
    std::string out = absl::StrCat("Usage: gongkai ", command_.path);
    if (std::string usage = PositionalUsage(*app); !usage.empty()) {
      absl::StrAppend(&out, " ", usage);
    }
    const std::vector<const Command*> under = CommandsUnder(command_.path);
    if (!under.empty()) absl::StrAppend(&out, " [COMMAND]");
    absl::StrAppend(&out, " [options]\n\n", command_.summary, "\n");
    if (!command_.details.empty()) {
      absl::StrAppend(&out, "\n", command_.details, "\n");
    }
    if (!positionals.empty()) {
      absl::StrAppend(&out, "\nArguments:\n", Columns(positionals));
    }
    absl::StrAppend(&out, "\nOptions:\n", Columns(options));
    if (!under.empty()) {
      // The path is also a group ("report"): say what its commands are for.
      for (const CommandGroup& g : CommandGroups()) {
        if (g.path == command_.path && !g.details.empty()) {
          absl::StrAppend(&out, "\n", g.details, "\n");
        }
      }
      absl::StrAppend(&out, "\nCommands:\n", CommandList(command_.path));
    }
    std::vector<std::string> globals;
    for (const GlobalOption& g : GlobalOptions()) {
      globals.push_back(absl::StrCat("--", g.name));
    }
    absl::StrAppend(&out, "\nGlobal options (", absl::StrJoin(globals, ", "),
                    ") work here too; see 'gongkai --help'.\n");
    return out;
  }

 private:
  const Command& command_;
};

// The parser of one command: its own options and the global ones, which
// write straight into `ctx`.
std::unique_ptr<CLI::App> CommandParser(const Command& command,
                                        CommandContext& ctx) {
  auto app = std::make_unique<CLI::App>(command.summary,
                                        absl::StrCat("gongkai ", command.path));
  app->formatter(std::make_shared<HelpFormatter>(command));
  app->set_help_flag("-h,--help", "show this help");
  if (command.declare) command.declare(*app);
  for (const GlobalOption& g : GlobalOptions()) {
    const std::string name = absl::StrCat("--", g.name);
    CLI::Option* opt = g.text != nullptr
                           ? app->add_option(name, ctx.*(g.text), g.help)
                                 ->type_name(g.value_name)
                           : app->add_flag(name, ctx.*(g.flag), g.help)
                                 ->disable_flag_override();
    opt->group(kGlobalGroup);
  }
  return app;
}

// Turns a CLI11 parse error into one line a clerk can act on. CLI11's own
// messages name its internals ("1 required TEXT missing"), so the parser's
// state after the error is read instead.
std::string DescribeParseError(const CLI::ParseError& e, const CLI::App& app,
                               const Command& command) {
  const std::string see =
      absl::StrCat("; see 'gongkai ", command.path, " --help'");
  const std::string usage = PositionalUsage(app);
  // Extras first: a misspelt option also makes its correct spelling missing.
  std::vector<std::string> extras = app.remaining();
  if (!extras.empty()) {
    const std::string& x = extras.front();
    if (absl::StartsWith(x, "-") && x.size() > 1) {
      return absl::StrCat("unknown option ",
                          x.substr(0, std::min(x.find('='), x.size())), see);
    }
    if (usage.empty()) {
      return absl::StrCat("takes no arguments; unexpected '", x, "'", see);
    }
    return absl::StrCat("expected ", usage, "; unexpected '", x, "'", see);
  }
  for (const CLI::Option* opt : app.get_options()) {
    if (opt->count() > 1 && opt->get_expected_max() > 0 &&
        opt->get_items_expected_max() == 1 && opt->nonpositional()) {
      return absl::StrCat("option ", opt->get_name(false, true),
                          " is given more than once", see);
    }
  }
  if (dynamic_cast<const CLI::RequiredError*>(&e) != nullptr) {
    for (const CLI::Option* opt : app.get_options()) {
      if (!opt->get_required() || opt->count() > 0) continue;
      if (!opt->nonpositional()) return absl::StrCat("expected ", usage, see);
      return absl::StrCat("missing required option ", OptionHead(*opt), see);
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
        return absl::StrCat("option ", name, " takes no value", see);
      }
      return absl::StrCat("option ", name, " needs a value (",
                          opt->get_type_name(), ")", see);
    }
  }
  return absl::StrCat(what, see);
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
    return absl::PermissionDeniedError(absl::StrCat(
        path, " is readable by other users; run: chmod 600 ", path));
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
      const std::string name = a.substr(2, a.find('=') - 2);
      const GlobalOption* g = FindGlobal(name);
      if (g == nullptr) {
        words_done = true;
      } else if (*g->value_name != '\0' && a.find('=') == std::string::npos) {
        // The value follows.
        if (i + 1 >= argv.size() || argv[i + 1].empty()) {
          return absl::InvalidArgumentError(absl::StrCat(
              "option ", a, " needs a value (", g->value_name, ")"));
        }
        ++i;
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
  static const std::vector<CommandGroup>* const kGroups =
      new std::vector<CommandGroup>{
          {"case", "Log, follow and answer applications (依申请公开)",
           "A case is one application. Its number (申请编号) is YYYY-NNNN "
           "unless given. The reply is due\n20 working days after receipt "
           "(答复期限); corrections, consultations and fees pause it."},
          {"calendar", "The working-day calendar (工作日) that deadlines use",
           "Official days off (放假) and make-up working days (调休上班) per "
           "year, as the State\nCouncil announces them."},
          {"fee", "Information-processing fees (信息处理费)", ""},
          {"report",
           "The annual report (政府信息公开工作年度报告) and its tables",
           "'gongkai report --year Y' prints the tables; the commands below "
           "publish, assemble,\ncheck and merge them."},
          {"doc",
           HelpText("文书：回执、告知书和答复",
                    "Documents: receipts, notices and replies"),
           HelpText(
               "gongkai doc 类别 编号 按本机关的模板生成案件的文书并登记文号；"
               "模板和文书设置见 docs/documents.md。",
               "gongkai doc KIND NO fills the agency's template for a "
               "case and records its number;\ntemplates and settings: "
               "docs/documents.md.")},
          {"doc templates",
           HelpText("文书模板（可在 Word、WPS 中编辑的 DOCX 文件）",
                    "Document templates (DOCX files edited in Word or WPS)"),
           ""},
          {"appeal",
           "Reconsiderations and lawsuits (行政复议、行政诉讼) for table 4",
           ""},
          {"proactive", "Table 2 figures: proactive disclosure (主动公开)", ""},
          {"import", "Bring records in from files", ""},
          {"export", "Write records out to files", ""},
          {"admin", "Administration: users, agencies, audit, backups",
           "Most of these need the admin role; 'admin permissions' shows "
           "who may do what."},
          {"admin user", "Staff accounts and their tokens", ""},
          {"admin agency", "Departments (机关) that share this daemon", ""},
      };
  return *kGroups;
}

int RunCli(const std::vector<std::string>& argv, std::ostream& out,
           std::ostream& err, const CliEnvironment& env) {
  // The API carries text as UTF-8; say so here rather than fail obscurely.
  for (size_t i = 0; i < argv.size(); ++i) {
    if (!IsValidUtf8(argv[i])) {
      err << "gongkai: argument " << i + 1
          << " is not valid UTF-8 text; check the terminal's encoding\n";
      return kExitUsage;
    }
  }
  absl::StatusOr<CommandLine> line = Scan(argv);
  if (!line.ok()) {
    err << "gongkai: " << line.status().message() << "\n";
    return kExitUsage;
  }
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
    (help ? out : err) << Overview();
    return help ? kExitOk : kExitUsage;
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
        out << GroupHelp(*group);
        return kExitOk;
      }
      err << "gongkai " << group->path
          << ": choose a command: " << CommandNames(group->path)
          << "; see 'gongkai " << group->path << " --help'\n";
      return kExitUsage;
    }
    err << "gongkai: unknown command '" << typed << "'";
    if (group != nullptr) {
      err << "; the commands of '" << group->path
          << "' are: " << CommandNames(group->path) << "\n";
    } else {
      err << "; run 'gongkai --help' for the list\n";
    }
    return kExitUsage;
  }

  CommandContext ctx;
  ctx.out = &out;
  ctx.err = &err;
  ctx.user = env.user;
  ctx.server = env.server.empty() ? kDefaultServerAddress : env.server;
  ctx.token = env.token;
  ctx.ca = env.ca;
  ctx.cert = env.cert;
  ctx.key = env.key;
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
      err << "gongkai: unknown command '" << command->path << " "
          << extras.front() << "'; the commands of '" << command->path
          << "' are: " << CommandNames(command->path) << "\n";
      return kExitUsage;
    }
    err << "gongkai " << command->path << ": "
        << DescribeParseError(e, *app, *command) << "\n";
    return kExitUsage;
  }
  if (ctx.token.empty() && !env.config_dir.empty()) {
    absl::StatusOr<std::string> token =
        ReadTokenFile(env.config_dir + "/token");
    if (!token.ok()) {
      err << "gongkai: " << token.status().message() << "\n";
      return kExitUsage;
    }
    ctx.token = *token;
  }
  if (const std::string chosen =
          ctx.lang_option.empty() ? env.lang : ctx.lang_option;
      !chosen.empty()) {
    absl::StatusOr<Lang> lang = ParseLang(chosen);
    if (!lang.ok()) {
      err << "gongkai: " << lang.status().message() << "\n";
      return kExitUsage;
    }
    ctx.lang = *lang;
  }
  ctx.args = CommandArgs(app.get());
  absl::Status status = ctx.Connect();
  if (status.ok()) status = command->run(ctx);
  if (!status.ok()) {
    err << "gongkai " << command->path << ": " << status.message() << "\n";
    return status.code() == absl::StatusCode::kInvalidArgument &&
                   absl::StartsWith(status.message(), "usage:")
               ? kExitUsage
               : ExitCodeFor(status);
  }
  return kExitOk;
}

}  // namespace gongkai::cli

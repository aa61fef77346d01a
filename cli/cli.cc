#include "cli/cli.h"

#include <sys/stat.h>

#include <algorithm>
#include <fstream>
#include <ostream>

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

const std::vector<Command>& CommandTable() {
  static const std::vector<Command>* const kTable = [] {
    auto* table = new std::vector<Command>;
    AddCaseCommands(*table);
    AddLifecycleCommands(*table);
    AddCalendarCommands(*table);
    AddAlertCommands(*table);
    AddReportCommands(*table);
    AddAdminCommands(*table);
    return table;
  }();
  return *kTable;
}

void PrintOverview(std::ostream& out) {
  out << "gongkai: handle requests for government information "
         "(政府信息依申请公开)\n\n"
         "Usage: gongkai [--server ADDR] [--json] COMMAND [options]\n\n"
         "Commands:\n";
  size_t width = 0;
  for (const Command& c : CommandTable())
    width = std::max(width, c.path.size());
  for (const Command& c : CommandTable()) {
    out << "  " << c.path << std::string(width - c.path.size() + 2, ' ')
        << c.summary << "\n";
  }
  out << "\nGlobal options:\n"
         "  --server ADDR  gongkaid address, HOST:PORT or unix:PATH (default: "
         "$GONGKAI_SERVER, else "
      << kDefaultServerAddress
      << ")\n"
         "  --json         machine-readable JSON output\n"
         "  --token TOKEN  API token (default: $GONGKAI_TOKEN, else the file\n"
         "                 ~/.config/gongkai/token, which must be private)\n"
         "  --ca FILE      verify the server's TLS certificate with this CA\n"
         "                 ($GONGKAI_CA); --tls uses the system's CAs\n"
         "  --cert FILE, --key FILE  client certificate for mutual TLS\n"
         "  --force-reason TEXT  change records of a published year "
         "(recorded)\n"
         "  --help         show help; 'gongkai COMMAND --help' for a command\n"
         "  --version      print the version\n\n"
         "Dates are YYYY-MM-DD. Applicant types and outcomes take the code or "
         "the exact Chinese label.\n"
         "Exit status: 0 success, 1 refused or failed, 2 bad command line, 3 "
         "gongkaid not reachable.\n";
}

void PrintCommandHelp(const Command& c, std::ostream& out) {
  out << "Usage: gongkai " << c.path;
  if (!c.usage.empty()) out << " " << c.usage;
  if (!c.flags.empty()) out << " [options]";
  out << "\n\n" << c.summary << "\n";
  if (!c.details.empty()) out << "\n" << c.details << "\n";
  if (!c.flags.empty()) out << "\nOptions:\n" << FormatFlagHelp(c.flags);
}

// The longest command path that prefixes the positional words.
const Command* FindCommand(const std::vector<std::string>& words,
                           size_t* consumed) {
  const Command* best = nullptr;
  size_t best_len = 0;
  for (const Command& c : CommandTable()) {
    std::vector<std::string> parts = absl::StrSplit(c.path, ' ');
    if (parts.size() > words.size() || parts.size() <= best_len) continue;
    if (std::equal(parts.begin(), parts.end(), words.begin())) {
      best = &c;
      best_len = parts.size();
    }
  }
  *consumed = best_len;
  return best;
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

}  // namespace

int RunCli(const std::vector<std::string>& argv, std::ostream& out,
           std::ostream& err, const CliEnvironment& env) {
  // Global options may stand anywhere before "--".
  CommandContext ctx;
  ctx.out = &out;
  ctx.err = &err;
  ctx.user = env.user;
  ctx.server = env.server.empty() ? kDefaultServerAddress : env.server;
  ctx.token = env.token;
  ctx.ca = env.ca;
  ctx.cert = env.cert;
  ctx.key = env.key;
  bool help = false, version = false;
  // The API carries text as UTF-8; say so here rather than fail obscurely.
  for (size_t i = 0; i < argv.size(); ++i) {
    if (!IsValidUtf8(argv[i])) {
      err << "gongkai: argument " << i + 1
          << " is not valid UTF-8 text; check the terminal's encoding\n";
      return kExitUsage;
    }
  }
  std::vector<std::string> rest;
  // Options that take a value: --NAME VALUE or --NAME=VALUE.
  const std::pair<const char*, std::string*> valued[] = {
      {"server", &ctx.server}, {"force-reason", &ctx.force_reason},
      {"token", &ctx.token},   {"ca", &ctx.ca},
      {"cert", &ctx.cert},     {"key", &ctx.key},
  };
  for (size_t i = 0; i < argv.size(); ++i) {
    const std::string& a = argv[i];
    if (a == "--") {
      rest.insert(rest.end(), argv.begin() + i, argv.end());
      break;
    }
    bool matched = false;
    for (const auto& [name, target] : valued) {
      const std::string flag = absl::StrCat("--", name);
      if (a == flag) {
        if (i + 1 >= argv.size() || argv[i + 1].empty()) {
          err << "gongkai: option " << flag << " needs a value\n";
          return kExitUsage;
        }
        *target = argv[++i];
        matched = true;
      } else if (absl::StartsWith(a, flag + "=")) {
        *target = a.substr(flag.size() + 1);
        matched = true;
      }
    }
    if (matched) continue;
    if (a == "--tls") {
      ctx.tls = true;
    } else if (a == "--json") {
      ctx.json = true;
    } else if (a == "--help" || a == "-h") {
      help = true;
    } else if (a == "--version") {
      version = true;
    } else {
      rest.push_back(a);
    }
  }
  if (version) {
    out << kVersion << "\n";
    return kExitOk;
  }
  // Command words are the leading arguments that are not options.
  std::vector<std::string> words;
  for (const std::string& a : rest) {
    if (absl::StartsWith(a, "-")) break;
    words.push_back(a);
  }
  if (words.empty() || words[0] == "help") {
    if (words.size() > 1) {
      size_t n;
      std::vector<std::string> sub(words.begin() + 1, words.end());
      if (const Command* c = FindCommand(sub, &n); c != nullptr) {
        PrintCommandHelp(*c, out);
        return kExitOk;
      }
    }
    PrintOverview(words.empty() && !help ? err : out);
    return words.empty() && !help ? kExitUsage : kExitOk;
  }
  size_t consumed = 0;
  const Command* command = FindCommand(words, &consumed);
  if (command == nullptr) {
    err << "gongkai: unknown command '" << absl::StrJoin(words, " ")
        << "'; run 'gongkai --help' for the list\n";
    return kExitUsage;
  }
  if (help) {
    PrintCommandHelp(*command, out);
    return kExitOk;
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
  std::vector<std::string> command_args(rest.begin() + consumed, rest.end());
  absl::StatusOr<ParsedArgs> parsed = ParseArgs(command_args, command->flags);
  if (!parsed.ok()) {
    err << "gongkai " << command->path << ": " << parsed.status().message()
        << "\n";
    return kExitUsage;
  }
  size_t n = parsed->positional().size();
  if (n < command->min_positional || n > command->max_positional) {
    err << "gongkai " << command->path << ": expected " << command->usage
        << (n > command->max_positional
                ? absl::StrCat("; unexpected '",
                               parsed->positional()[command->max_positional],
                               "'")
                : "")
        << "; see 'gongkai " << command->path << " --help'\n";
    return kExitUsage;
  }
  ctx.args = *std::move(parsed);
  absl::Status status = command->run(ctx);
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

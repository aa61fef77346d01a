#include "server/daemon.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <systemd/sd-daemon.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <mutex>
#include <sstream>
#include <utility>

#include "CLI/CLI.hpp"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "app/admin_service.h"
#include "app/alert_hub.h"
#include "app/environment.h"
#include "common/dates.h"
#include "common/defaults.h"
#include "common/status_macros.h"
#include "grpcpp/ext/proto_server_reflection_plugin.h"
#include "grpcpp/grpcpp.h"
#include "grpcpp/health_check_service_interface.h"
#include "server/alerts/alert_scheduler.h"
#include "server/rpc/admin_service.h"
#include "server/rpc/alert_service.h"
#include "server/rpc/calendar_service.h"
#include "server/rpc/case_service.h"
#include "server/rpc/fee_service.h"
#include "server/rpc/report_service.h"
#include "storage/sqlite_store.h"

namespace gongkai {
namespace {

constexpr char kVersion[] = "gongkaid 0.1.0";

// Writes timestamped lines to stderr; safe from any thread.
class Logger {
 public:
  explicit Logger(std::ostream& err) : err_(err) {}
  void operator()(const std::string& line) {
    // One write per line: stderr is unbuffered, and a line written in parts
    // costs a system call per part.
    const std::string out =
        absl::StrCat(FormatTimestamp(absl::Now()), " gongkaid: ", line, "\n");
    std::lock_guard<std::mutex> lock(mu_);
    err_.write(out.data(), static_cast<std::streamsize>(out.size()));
    err_.flush();
  }

 private:
  std::mutex mu_;
  std::ostream& err_;
};

struct Options {
  std::string config;
  std::string db = "gongkai.db";
  std::string listen = kDefaultServerAddress;
  std::vector<std::string> calendars;
  std::optional<absl::CivilDay> fake_today;
  std::string alert_hook;
  std::string agency;
  std::vector<int> alert_days = {5, 1};
  bool fee_pauses_reply = true;
  std::string tls_cert, tls_key, tls_client_ca;
  bool insecure = false;
  std::string ready_file;
  std::string create_admin;
  bool check_config = false;
  // The audit key and anchor; empty: beside the database (see AuditFiles).
  std::string audit_key, audit_anchor;
  bool reanchor_audit = false;
};

// Where the audit chain's key and anchor are: as configured, else beside
// the database ("gongkai.db.audit-key", "gongkai.db.audit-anchor").
storage::AuditOptions AuditFiles(const Options& o) {
  storage::AuditOptions audit;
  audit.key_path = o.audit_key.empty() ? o.db + ".audit-key" : o.audit_key;
  audit.anchor_path =
      o.audit_anchor.empty() ? o.db + ".audit-anchor" : o.audit_anchor;
  audit.reanchor = o.reanchor_audit;
  return audit;
}

absl::Status SetAlertDays(const std::string& text, Options& options) {
  std::vector<int> days;
  for (absl::string_view part : absl::StrSplit(text, ',')) {
    int d = 0;
    if (!absl::SimpleAtoi(part, &d) || d < 1 || d > 60) {
      return absl::InvalidArgumentError(absl::StrCat(
          "alert-days must be working-day counts 1-60 separated by commas, "
          "e.g. 5,1; not '",
          text, "'"));
    }
    days.push_back(d);
  }
  std::sort(days.rbegin(), days.rend());
  options.alert_days = days;
  return absl::OkStatus();
}

absl::Status SetFeePauses(const std::string& text, Options& options) {
  if (text == "yes" || text == "true") {
    options.fee_pauses_reply = true;
  } else if (text == "no" || text == "false") {
    options.fee_pauses_reply = false;
  } else {
    return absl::InvalidArgumentError(
        absl::StrCat("fee-pauses-reply must be yes or no, not '", text, "'"));
  }
  return absl::OkStatus();
}

// Where an option may be given.
enum class Where {
  kCommandLine,          // a flag only
  kCommandLineOrConfig,  // also a key of the config file
};

// One row per option. The command line (--NAME), --help, the config file's
// keys (NAME) and its list of known keys are all made from this table, so
// that they cannot drift apart.
struct OptionSpec {
  std::string name;
  std::string value_name;  // e.g. "PATH"; empty for a switch
  std::string help;
  Where where;
  bool repeated;  // each occurrence adds a value
  // Applies one value (empty for a switch).
  absl::Status (*apply)(const std::string& value, Options& options);
};

const std::vector<OptionSpec>& OptionTable() {
  using W = Where;
  static const std::vector<OptionSpec> kTable = {
      {"config", "FILE",
       "config file of 'key = value' lines, the keys named as these options "
       "(see below); flags given here win",
       W::kCommandLine, false,
       [](const std::string& v, Options& o) {
         o.config = v;
         return absl::OkStatus();
       }},
      {"db", "PATH",
       "SQLite database file; created if missing (default gongkai.db)",
       W::kCommandLineOrConfig, false,
       [](const std::string& v, Options& o) {
         o.db = v;
         return absl::OkStatus();
       }},
      {"listen", "ADDR",
       absl::StrCat("HOST:PORT or unix:PATH to serve on (default ",
                    kDefaultServerAddress, "; port 0 picks a free port)"),
       W::kCommandLineOrConfig, false,
       [](const std::string& v, Options& o) {
         o.listen = v;
         return absl::OkStatus();
       }},
      {"calendar", "FILE",
       "extra working-day schedule file (adds or replaces years); repeatable",
       W::kCommandLineOrConfig, true,
       [](const std::string& v, Options& o) {
         o.calendars.push_back(v);
         return absl::OkStatus();
       }},
      {"agency", "NAME", "the department's name, printed on its reports",
       W::kCommandLineOrConfig, false,
       [](const std::string& v, Options& o) {
         o.agency = v;
         return absl::OkStatus();
       }},
      {"alert-hook", "CMD",
       "run CMD (with /bin/sh) once per new alert, the alert as JSON on stdin",
       W::kCommandLineOrConfig, false,
       [](const std::string& v, Options& o) {
         o.alert_hook = v;
         return absl::OkStatus();
       }},
      {"alert-days", "N,M",
       "warn when a reply is due within these working days (default 5,1)",
       W::kCommandLineOrConfig, false, &SetAlertDays},
      {"fee-pauses-reply", "yes|no",
       "leave the days from fee notice to payment out of the reply period "
       "(default yes)",
       W::kCommandLineOrConfig, false, &SetFeePauses},
      {"tls-cert", "FILE", "serve TLS with this certificate chain (PEM)",
       W::kCommandLineOrConfig, false,
       [](const std::string& v, Options& o) {
         o.tls_cert = v;
         return absl::OkStatus();
       }},
      {"tls-key", "FILE", "the private key of --tls-cert (PEM)",
       W::kCommandLineOrConfig, false,
       [](const std::string& v, Options& o) {
         o.tls_key = v;
         return absl::OkStatus();
       }},
      {"tls-client-ca", "FILE",
       "require client certificates signed by this CA (mutual TLS)",
       W::kCommandLineOrConfig, false,
       [](const std::string& v, Options& o) {
         o.tls_client_ca = v;
         return absl::OkStatus();
       }},
      {"audit-key", "FILE",
       "the audit trail's HMAC key, made (mode 0600) at the first start; "
       "keep it and a backup of it away from the database (default: "
       "DB.audit-key)",
       W::kCommandLineOrConfig, false,
       [](const std::string& v, Options& o) {
         o.audit_key = v;
         return absl::OkStatus();
       }},
      {"audit-anchor", "FILE",
       "append-only file of the audit trail's committed ends, to detect a "
       "cut-off tail (default: DB.audit-anchor)",
       W::kCommandLineOrConfig, false,
       [](const std::string& v, Options& o) {
         o.audit_anchor = v;
         return absl::OkStatus();
       }},
      {"reanchor-audit", "",
       "start although the audit key or anchor of a keyed database is "
       "missing or another: begin a new key and anchor (recorded in the "
       "audit trail); see docs/security.md",
       W::kCommandLine, false,
       [](const std::string&, Options& o) {
         o.reanchor_audit = true;
         return absl::OkStatus();
       }},
      {"insecure", "",
       "allow plain TCP without TLS; refused unless the address is loopback",
       W::kCommandLine, false,
       [](const std::string&, Options& o) {
         o.insecure = true;
         return absl::OkStatus();
       }},
      {"ready-file", "PATH",
       "once serving, write the address served on to PATH (atomically: a "
       "temporary file renamed); removed at shutdown",
       W::kCommandLineOrConfig, false,
       [](const std::string& v, Options& o) {
         o.ready_file = v;
         return absl::OkStatus();
       }},
      {"create-admin", "NAME",
       "create an administrator in --db, print its token, and exit; safe "
       "while a gongkaid serves the same file",
       W::kCommandLine, false,
       [](const std::string& v, Options& o) {
         o.create_admin = v;
         return absl::OkStatus();
       }},
      {"check-config", "",
       "check the command line and config file (and read the TLS files), "
       "then exit",
       W::kCommandLine, false,
       [](const std::string&, Options& o) {
         o.check_config = true;
         return absl::OkStatus();
       }},
      {"fake-today", "DATE",
       "TESTING ONLY: pretend today is DATE instead of reading the clock",
       W::kCommandLine, false,
       [](const std::string& v, Options& o) -> absl::Status {
         ASSIGN_OR_RETURN(o.fake_today, ParseDate(v));
         return absl::OkStatus();
       }},
  };
  return kTable;
}

// The config file's keys, in the table's order.
std::string KnownConfigKeys() {
  std::vector<std::string> keys;
  for (const OptionSpec& spec : OptionTable()) {
    if (spec.where == Where::kCommandLineOrConfig) keys.push_back(spec.name);
  }
  return absl::StrJoin(keys, ", ");
}

absl::Status ApplyConfigFile(const std::string& path, Options& options) {
  std::ifstream in(path);
  if (!in) {
    return absl::NotFoundError(absl::StrCat("cannot read config file ", path));
  }
  std::string line;
  int line_no = 0;
  while (std::getline(in, line)) {
    ++line_no;
    absl::string_view text = line;
    if (size_t hash = text.find('#'); hash != absl::string_view::npos) {
      text = text.substr(0, hash);
    }
    text = absl::StripAsciiWhitespace(text);
    if (text.empty()) continue;
    std::pair<std::string, std::string> kv = absl::StrSplit(text, '=');
    std::string key(absl::StripAsciiWhitespace(kv.first));
    std::string value(absl::StripAsciiWhitespace(kv.second));
    if (value.empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat(path, ":", line_no, ": expected 'key = value'"));
    }
    const OptionSpec* spec = nullptr;
    for (const OptionSpec& s : OptionTable()) {
      if (s.name == key && s.where == Where::kCommandLineOrConfig) spec = &s;
    }
    if (spec == nullptr) {
      return absl::InvalidArgumentError(
          absl::StrCat(path, ":", line_no, ": unknown key '", key,
                       "'; known keys: ", KnownConfigKeys()));
    }
    if (absl::Status s = spec->apply(value, options); !s.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat(path, ":", line_no, ": ", s.message()));
    }
  }
  return absl::OkStatus();
}

// What the command line asked for.
struct CommandLine {
  bool help = false;
  bool version = false;
  std::string help_text;
  // Parallel to OptionTable(): the values given, in order ({""} for a
  // switch given); empty when not given.
  std::vector<std::vector<std::string>> values;
};

absl::StatusOr<CommandLine> ParseCommandLine(
    const std::vector<std::string>& argv) {
  CLI::App app(
      "Serves the gongkai API for handling requests for government\n"
      "information, keeping every case in an SQLite database.",
      "gongkaid");
  app.set_help_flag("--help", "show this help");
  app.get_formatter()->column_width(30);
  app.footer(absl::StrCat(
      "The config file (--config) takes 'key = value' lines; '#' starts a\n"
      "comment. Its keys: ",
      KnownConfigKeys(), "."));
  CommandLine parsed;
  parsed.values.resize(OptionTable().size());
  std::vector<CLI::Option*> switches(OptionTable().size(), nullptr);
  for (size_t i = 0; i < OptionTable().size(); ++i) {
    const OptionSpec& spec = OptionTable()[i];
    const std::string flag = "--" + spec.name;
    if (spec.value_name.empty()) {
      switches[i] = app.add_flag(flag, spec.help);
      continue;
    }
    CLI::Option* option = app.add_option(flag, parsed.values[i], spec.help);
    // One value per occurrence (a second --db replaces the first; a second
    // --calendar adds one).
    option->type_name(spec.value_name)->allow_extra_args(false);
    if (!spec.repeated) {
      option->expected(1)->multi_option_policy(
          CLI::MultiOptionPolicy::TakeLast);
    }
  }
  const std::string version_help = "print the version";
  CLI::Option* version = app.add_flag("--version", version_help);
  // CLI11 takes the arguments last first.
  std::vector<std::string> reversed(argv.rbegin(), argv.rend());
  try {
    app.parse(reversed);
  } catch (const CLI::CallForHelp&) {
    parsed.help = true;
    parsed.help_text = app.help();
    return parsed;
  } catch (const CLI::ParseError& e) {
    return absl::InvalidArgumentError(e.what());
  }
  parsed.version = version->count() > 0;
  for (size_t i = 0; i < switches.size(); ++i) {
    if (switches[i] != nullptr && switches[i]->count() > 0) {
      parsed.values[i] = {""};
    }
  }
  return parsed;
}

// The config file first, then the flags, which win.
absl::StatusOr<Options> ParseOptions(const CommandLine& command_line) {
  const std::vector<OptionSpec>& table = OptionTable();
  Options options;
  for (size_t i = 0; i < table.size(); ++i) {
    if (table[i].name == "config" && !command_line.values[i].empty()) {
      RETURN_IF_ERROR(ApplyConfigFile(command_line.values[i].back(), options));
    }
  }
  for (size_t i = 0; i < table.size(); ++i) {
    const std::vector<std::string>& values = command_line.values[i];
    if (values.empty()) continue;
    if (table[i].repeated) {
      for (const std::string& v : values) {
        RETURN_IF_ERROR(table[i].apply(v, options));
      }
    } else {
      RETURN_IF_ERROR(table[i].apply(values.back(), options));
    }
  }
  if (options.db.empty()) return absl::InvalidArgumentError("--db is empty");
  if (!absl::StartsWith(options.listen, "unix:") &&
      options.listen.find(':') == std::string::npos) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--listen ", options.listen, " must be HOST:PORT or unix:PATH"));
  }
  return options;
}

bool IsLoopbackHost(absl::string_view host) {
  absl::ConsumePrefix(&host, "[");
  absl::ConsumeSuffix(&host, "]");
  return host == "localhost" || host == "::1" || absl::StartsWith(host, "127.");
}

absl::StatusOr<std::string> ReadWholeFile(const std::string& path,
                                          absl::string_view what) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return absl::NotFoundError(absl::StrCat("cannot read ", what, " ", path));
  }
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// Unix sockets rely on file permissions; TCP needs TLS unless the operator
// explicitly allows plain TCP on a loopback address.
absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> ServerCredentials(
    const Options& options) {
  if (absl::StartsWith(options.listen, "unix:")) {
    return grpc::InsecureServerCredentials();
  }
  if (!options.tls_cert.empty() || !options.tls_key.empty()) {
    if (options.tls_cert.empty() || options.tls_key.empty()) {
      return absl::InvalidArgumentError("--tls-cert and --tls-key go together");
    }
    ASSIGN_OR_RETURN(std::string cert,
                     ReadWholeFile(options.tls_cert, "certificate"));
    ASSIGN_OR_RETURN(std::string key, ReadWholeFile(options.tls_key, "key"));
    grpc::SslServerCredentialsOptions ssl(
        options.tls_client_ca.empty()
            ? GRPC_SSL_DONT_REQUEST_CLIENT_CERTIFICATE
            : GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY);
    if (!options.tls_client_ca.empty()) {
      ASSIGN_OR_RETURN(ssl.pem_root_certs,
                       ReadWholeFile(options.tls_client_ca, "client CA"));
    }
    ssl.pem_key_cert_pairs.push_back({key, cert});
    return grpc::SslServerCredentials(ssl);
  }
  const std::string host = options.listen.substr(0, options.listen.rfind(':'));
  if (!options.insecure) {
    return absl::InvalidArgumentError(absl::StrCat(
        "TCP address ", options.listen,
        " needs TLS: give --tls-cert and --tls-key (or listen on unix:PATH; "
        "--insecure allows plain TCP on loopback for testing)"));
  }
  if (!IsLoopbackHost(host)) {
    return absl::InvalidArgumentError(
        absl::StrCat("--insecure is refused on ", host,
                     ", which is not a loopback address; use TLS"));
  }
  return grpc::InsecureServerCredentials();
}

// The official calendar, then the years administrators loaded into the
// database, then --calendar files: later sources replace earlier years.
absl::StatusOr<WorkCalendar> LoadCalendar(const Options& options,
                                          storage::Store& store) {
  WorkCalendar calendar = WorkCalendar::Official();
  using YearTexts = std::map<int, std::string>;
  ASSIGN_OR_RETURN(YearTexts stored,
                   storage::ReadValue<YearTexts>(store, [](storage::Tables& t) {
                     return t.calendar().LoadYears();
                   }));
  for (const auto& [year, text] : stored) {
    ASSIGN_OR_RETURN(
        WorkCalendar y,
        WorkCalendar::Parse(text, absl::StrCat("stored calendar ", year)));
    calendar = calendar.MergedWith(y);
  }
  for (const std::string& path : options.calendars) {
    std::ifstream in(path);
    if (!in) {
      return absl::NotFoundError(
          absl::StrCat("cannot read calendar file ", path));
    }
    std::stringstream text;
    text << in.rdbuf();
    ASSIGN_OR_RETURN(WorkCalendar extra, WorkCalendar::Parse(text.str(), path));
    calendar = calendar.MergedWith(extra);
  }
  return calendar;
}

// The lock file beside the database. A daemon holds its exclusive lock
// while it serves, so that two daemons never serve the same file;
// `gongkaid --create-admin` holds it while it works on a file no daemon
// serves (it may then bring the schema up to date). The holder writes who
// it is into the file, for the message of whoever finds it locked.
// Released when closed or when the process exits.
class DatabaseLock {
 public:
  static absl::StatusOr<DatabaseLock> Open(const std::string& db_path) {
    DatabaseLock lock;
    lock.path_ = db_path + ".lock";
    lock.fd_ = open(lock.path_.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (lock.fd_ < 0) {
      return absl::FailedPreconditionError(absl::StrCat(
          "cannot create lock file ", lock.path_, ": ", strerror(errno),
          "; gongkaid (uid ", getuid(),
          ") must be able to write the database's folder and files: check "
          "their owner and permissions (see docs/operations.md)"));
    }
    return lock;
  }
  DatabaseLock(DatabaseLock&& o) noexcept
      : path_(std::move(o.path_)), fd_(std::exchange(o.fd_, -1)) {}
  DatabaseLock& operator=(DatabaseLock&&) = delete;
  ~DatabaseLock() {
    if (fd_ >= 0) close(fd_);
  }

  // Takes the lock if no one holds it, and records `holder`.
  bool TryLock(absl::string_view holder) {
    if (flock(fd_, LOCK_EX | LOCK_NB) != 0) return false;
    const std::string text = absl::StrCat(holder, "\n");
    if (ftruncate(fd_, 0) == 0) {
      (void)!pwrite(fd_, text.data(), text.size(), 0);
    }
    return true;
  }
  // Who holds the lock, as they wrote it ("" when unknown).
  std::string Holder() const {
    char buffer[256];
    ssize_t n = pread(fd_, buffer, sizeof(buffer) - 1, 0);
    if (n <= 0) return "";
    return std::string(absl::StripAsciiWhitespace(
        absl::string_view(buffer, static_cast<size_t>(n))));
  }
  const std::string& path() const { return path_; }

 private:
  DatabaseLock() = default;
  std::string path_;
  int fd_ = -1;
};

constexpr absl::string_view kCreateAdminHolder = "gongkaid --create-admin";

absl::StatusOr<DatabaseLock> LockDatabase(const std::string& db_path) {
  ASSIGN_OR_RETURN(DatabaseLock lock, DatabaseLock::Open(db_path));
  if (lock.TryLock(absl::StrCat("gongkaid (pid ", getpid(), ") serving"))) {
    return lock;
  }
  const std::string holder = lock.Holder();
  if (absl::StartsWith(holder, kCreateAdminHolder)) {
    return absl::UnavailableError(
        absl::StrCat(holder, " is adding a user to ", db_path,
                     "; start gongkaid again when it is done"));
  }
  return absl::FailedPreconditionError(absl::StrCat(
      "another gongkaid is already serving ", db_path, " (", lock.path(),
      " is locked", holder.empty() ? "" : " by ", holder, ")"));
}

void CreateParentDirectory(const std::string& path) {
  std::filesystem::path p(path);
  if (p.has_parent_path()) {
    std::error_code ec;
    std::filesystem::create_directories(p.parent_path(), ec);
  }
}

// `gongkaid --create-admin NAME`: adds an administrator on the server's
// machine (bootstrapping never happens over the network) and prints its
// token. Safe beside a daemon serving the same file: the write waits for
// the daemon's writes (SQLite's lock) rather than failing, and the daemon
// finds the new user when its token is first used.
int CreateAdmin(const Options& options, std::ostream& out, std::ostream& err) {
  // A database that cannot be opened is reported as the daemon would.
  Logger logger(err);
  auto cannot_start = [&](const absl::Status& s) {
    logger(absl::StrCat("cannot start: ", s.message()));
    return 1;
  };
  auto fail = [&](const absl::Status& s) {
    err << "gongkaid: " << s.message() << "\n";
    return 1;
  };
  CreateParentDirectory(options.db);
  absl::StatusOr<DatabaseLock> lock = DatabaseLock::Open(options.db);
  if (!lock.ok()) return cannot_start(lock.status());
  // No daemon serves the file: hold the lock (a daemon starting meanwhile
  // waits for us rather than migrating beside us). One does: it has
  // brought the schema up to date and checked the file already.
  (void)lock->TryLock(
      absl::StrCat(kCreateAdminHolder, " (pid ", getpid(), ")"));
  absl::StatusOr<std::unique_ptr<storage::SqliteStore>> store =
      storage::SqliteStore::Open(options.db, AuditFiles(options));
  if (!store.ok()) return cannot_start(store.status());
  // SQLite waits a while for a busy database; a daemon in the middle of a
  // long import may hold it longer. Keep waiting, within reason.
  const absl::Time give_up = absl::Now() + absl::Minutes(2);
  absl::Duration pause = absl::Milliseconds(100);
  app::TimeSource time_source;
  app::Environment env;
  env.store = store->get();
  env.time = &time_source;
  const app::AdminService admin(env);
  const app::Caller bootstrap = app::Caller::Trusted("gongkaid --create-admin");
  absl::StatusOr<app::UserToken> token;
  while (true) {
    token =
        admin.CreateUserWithToken(bootstrap, options.create_admin, "admin", {});
    if (token.ok() || !absl::IsUnavailable(token.status()) ||
        absl::Now() + pause > give_up) {
      break;
    }
    if (pause == absl::Milliseconds(100)) {
      err << "gongkaid: the database is busy; waiting for it\n";
    }
    absl::SleepFor(pause);
    pause = std::min(pause * 2, absl::Seconds(5));
  }
  if (!token.ok()) return fail(token.status());
  out << token->token << "\n";
  err << "gongkaid: administrator " << options.create_admin
      << " created; the token above is shown once\n";
  return 0;
}

// Writes the address served on to `path` in one step: a reader sees no
// file or the whole address, never part of it.
absl::Status WriteReadyFile(const std::string& path,
                            const std::string& address) {
  const std::string temp = absl::StrCat(path, ".tmp.", getpid());
  {
    std::ofstream f(temp, std::ios::trunc);
    f << address << "\n";
    f.close();
    if (!f) {
      return absl::UnavailableError(
          absl::StrCat("cannot write the ready file ", temp));
    }
  }
  if (rename(temp.c_str(), path.c_str()) != 0) {
    const int e = errno;
    unlink(temp.c_str());
    return absl::UnavailableError(
        absl::StrCat("cannot rename ", temp, " to ", path, ": ", strerror(e)));
  }
  return absl::OkStatus();
}

// A stale Unix socket left by a crashed daemon would make bind fail; the
// database lock proves no live daemon of ours owns it.
void RemoveStaleSocket(const std::string& listen) {
  if (!absl::StartsWith(listen, "unix:")) return;
  std::string path = listen.substr(5);
  struct stat st;
  if (lstat(path.c_str(), &st) == 0 && S_ISSOCK(st.st_mode))
    unlink(path.c_str());
}

}  // namespace

int RunDaemon(const std::vector<std::string>& argv, std::ostream& out,
              std::ostream& err) {
  absl::StatusOr<CommandLine> command_line = ParseCommandLine(argv);
  if (!command_line.ok()) {
    err << "gongkaid: " << command_line.status().message() << "\n";
    return 2;
  }
  if (command_line->help) {
    out << command_line->help_text;
    return 0;
  }
  if (command_line->version) {
    out << kVersion << "\n";
    return 0;
  }
  absl::StatusOr<Options> options = ParseOptions(*command_line);
  if (!options.ok()) {
    err << "gongkaid: " << options.status().message() << "\n";
    return 2;
  }
  if (!options->create_admin.empty()) return CreateAdmin(*options, out, err);
  Logger logger(err);
  auto fail = [&](const absl::Status& s) {
    logger(absl::StrCat("cannot start: ", s.message()));
    return 1;
  };
  // Block the stop signals in every thread; the main thread waits for them.
  // First of all: gRPC may start threads as soon as credentials are made,
  // and a thread that does not block SIGTERM would die of it.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> credentials =
      ServerCredentials(*options);
  if (!credentials.ok()) return fail(credentials.status());
  if (options->check_config) {
    out << "gongkaid: configuration ok\n";
    return 0;
  }

  CreateParentDirectory(options->db);
  absl::StatusOr<DatabaseLock> lock = LockDatabase(options->db);
  if (!lock.ok()) return fail(lock.status());
  absl::StatusOr<std::unique_ptr<storage::SqliteStore>> store =
      storage::SqliteStore::Open(options->db, AuditFiles(*options));
  if (!store.ok()) return fail(store.status());
  absl::StatusOr<WorkCalendar> calendar = LoadCalendar(*options, **store);
  if (!calendar.ok()) return fail(calendar.status());
  // A hook that exits early must not kill the daemon with SIGPIPE.
  signal(SIGPIPE, SIG_IGN);
  // Past a file-size limit, writes must fail with an error SQLite reports,
  // not kill the daemon.
  signal(SIGXFSZ, SIG_IGN);

  app::CalendarHolder calendar_holder(*std::move(calendar));
  app::TimeSource time_source(options->fake_today);
  app::Environment env;
  env.store = store->get();
  env.calendar = &calendar_holder;
  env.time = &time_source;
  env.log = [&logger](const std::string& line) { logger(line); };
  env.clock_options.fee_pauses_reply = options->fee_pauses_reply;
  env.agency = options->agency;
  env.require_auth = true;
  env.alert_options.reply_warning_days = options->alert_days;
  alerts::AlertHub hub;
  env.alert_hub = &hub;
  alerts::SchedulerOptions scheduler_options;
  scheduler_options.hook_command = options->alert_hook;
  alerts::AlertScheduler scheduler(env, &hub, scheduler_options);
  env.on_case_changed = [&scheduler](const std::string& case_no) {
    scheduler.Notify(case_no);
  };
  env.on_case_saved = [&scheduler](const CaseRecord& c,
                                   const std::vector<CaseEvent>& events) {
    scheduler.NotifySaved(c, events);
  };
  env.on_reports_changed = [&scheduler] { scheduler.NotifyReports(); };
  env.alerts_in_force = [&scheduler](absl::CivilDay day) {
    return scheduler.AlertsInForce(day);
  };

  rpc::CaseServiceImpl case_service(env);
  rpc::CalendarServiceImpl calendar_service(env);
  rpc::AlertServiceImpl alert_service(env);
  rpc::FeeServiceImpl fee_service(env);
  rpc::ReportServiceImpl report_service(env);
  rpc::AdminServiceImpl admin_service(env);

  // Started before the server accepts calls (AlertsInForce may be called by
  // the first one); the index is built in the background meanwhile.
  scheduler.Start();

  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  RemoveStaleSocket(options->listen);
  // The socket (and any file we create) is for the owner and group only.
  umask(0007);
  if (absl::StartsWith(options->listen, "unix:")) {
    std::filesystem::path socket_path(options->listen.substr(5));
    std::error_code ec;
    if (socket_path.has_parent_path()) {
      std::filesystem::create_directories(socket_path.parent_path(), ec);
    }
  }
  grpc::ServerBuilder builder;
  int port = 0;
  builder.AddListeningPort(options->listen, *credentials, &port);
  builder.RegisterService(&admin_service);
  builder.RegisterService(&case_service);
  builder.RegisterService(&calendar_service);
  builder.RegisterService(&alert_service);
  builder.RegisterService(&fee_service);
  builder.RegisterService(&report_service);
  // Ledger imports carry whole files.
  builder.SetMaxReceiveMessageSize(256 * 1024 * 1024);
  // Keep the threads that served a burst of calls instead of letting all but
  // two exit and start afresh with the next call (gRPC's default, which
  // spends more time creating threads than serving concurrent clients).
  builder.SetSyncServerOption(
      grpc::ServerBuilder::SyncServerOption::MIN_POLLERS, 2);
  builder.SetSyncServerOption(
      grpc::ServerBuilder::SyncServerOption::MAX_POLLERS, 64);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (server == nullptr ||
      (port == 0 && !absl::StartsWith(options->listen, "unix:"))) {
    return fail(absl::UnavailableError(
        absl::StrCat("cannot listen on ", options->listen,
                     " (address in use or not valid)")));
  }
  std::string address = options->listen;
  if (!absl::StartsWith(address, "unix:")) {
    address = absl::StrCat(address.substr(0, address.rfind(':')), ":", port);
  } else {
    chmod(address.substr(5).c_str(), 0660);
  }
  if (time_source.Today() != ChinaDay(absl::Now())) {
    logger(absl::StrCat("TESTING: today is fixed at ",
                        FormatDate(time_source.Today())));
  }
  logger(absl::StrCat("serving on ", address, " with database ", options->db,
                      " (calendar years ",
                      calendar_holder.Get()->Years().front(), "-",
                      calendar_holder.Get()->Years().back(), ")"));
  // Ready: the server accepts calls and the scheduler runs. Whoever waits
  // for us (systemd with Type=notify, a script, the tests) hears it now.
  if (!options->ready_file.empty()) {
    if (absl::Status s = WriteReadyFile(options->ready_file, address);
        !s.ok()) {
      alert_service.StopWatches();
      server->Shutdown(std::chrono::system_clock::now());
      server->Wait();
      return fail(s);
    }
  }
  sd_notify(0, absl::StrCat("READY=1\nSTATUS=serving on ", address).c_str());

  int signal_number = 0;
  sigwait(&stop_signals, &signal_number);
  logger(absl::StrCat("received ", strsignal(signal_number),
                      "; finishing in-flight calls"));
  sd_notify(0, "STOPPING=1\nSTATUS=finishing in-flight calls");
  if (!options->ready_file.empty()) unlink(options->ready_file.c_str());
  alert_service.StopWatches();
  server->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(10));
  server->Wait();
  scheduler.Stop();
  const auto [writes, transactions] = (*store)->WriteStats();
  logger(absl::StrCat(writes, " writes in ", transactions,
                      " transactions since start"));
  store->reset();
  // The lock is released last, once the database is closed.
  logger("stopped; database closed cleanly");
  return 0;
}

}  // namespace gongkai

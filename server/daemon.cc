#include "server/daemon.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <systemd/sd-daemon.h>
#include <unistd.h>

#include <algorithm>
#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <mutex>
#include <optional>
#include <sstream>
#include <thread>
#include <utility>

#include "CLI/CLI.hpp"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "app/admin_service.h"
#include "app/alert_hub.h"
#include "app/calendar_service.h"
#include "app/document_engine.h"
#include "app/due_date.h"
#include "app/environment.h"
#include "common/dates.h"
#include "common/defaults.h"
#include "common/lang.h"
#include "common/log.h"
#include "common/status_macros.h"
#include "grpcpp/ext/proto_server_reflection_plugin.h"
#include "grpcpp/grpcpp.h"
#include "grpcpp/health_check_service_interface.h"
#include "server/alerts/alert_engine.h"
#include "server/alerts/alert_scheduler.h"
#include "server/listen.h"
#include "server/rpc/admin_service.h"
#include "server/rpc/alert_service.h"
#include "server/rpc/boundary.h"
#include "server/rpc/calendar_service.h"
#include "server/rpc/case_service.h"
#include "server/rpc/document_service.h"
#include "server/rpc/fee_service.h"
#include "server/rpc/report_service.h"
#include "storage/postgres/pg_store.h"
#include "storage/sqlite_store.h"

namespace gongkai {
namespace {

constexpr char kVersion[] = "gongkaid 0.1.0";

// Syslog priorities (sd-daemon.h's SD_CRIT ... as numbers).
enum class Priority { kCritical = 2, kError = 3, kWarning = 4, kInfo = 6 };

// The daemon's one log (common/log.h): escaped lines, with the journal's
// priority prefix and no timestamp of its own when stderr is the journal.
class Logger : public LogWriter {
 public:
  explicit Logger(std::ostream& err)
      : LogWriter(err, IsJournalStream(STDERR_FILENO)) {}
  void Log(Priority priority, const std::string& line) {
    (*this)(WithPriority(static_cast<int>(priority), line));
  }
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
  // The language of the texts the daemon makes for nobody in particular:
  // alert texts for hooks and the outbox. A call's own texts follow its
  // caller's "gongkai-lang" header.
  Lang lang = Lang::kZh;
  bool fee_pauses_reply = true;
  std::string tls_cert, tls_key, tls_client_ca;
  bool insecure = false;
  std::string ready_file;
  // Files are for the service's user alone, or also for its group.
  bool group_access = false;
  // Where backups go; "" means the folder "backups" beside the database.
  std::string backup_dir;
  std::string create_admin;
  bool check_config = false;
  // The audit key and anchor; empty: beside the database (see AuditFiles).
  std::string audit_key, audit_anchor;
  bool reanchor_audit = false;
  // How often the full integrity check runs in the background; zero: never.
  absl::Duration integrity_check_every = absl::Hours(24);
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

// A PostgreSQL database (--db postgresql://… or postgres://…), shared by
// every replica pointed at it. The SQLite file's companions (its lock, the
// case-number mark, the anchor file, the checkpointer) do not apply; the
// audit key must be given, since "beside the database" names no folder,
// and every replica needs the same key file.
absl::StatusOr<std::unique_ptr<storage::Store>> OpenPostgresStore(
    const Options& o, std::function<void(const std::string&)> log) {
  if (o.audit_key.empty()) {
    return absl::InvalidArgumentError(
        "with a PostgreSQL database, give --audit-key FILE: the audit key "
        "file, the same on every replica (created on first use)");
  }
  storage::PgOptions pg;
  pg.audit_key_path = o.audit_key;
  pg.reanchor_audit = o.reanchor_audit;
  pg.log = std::move(log);
  absl::StatusOr<std::unique_ptr<storage::PgStore>> store =
      storage::PgStore::Open(o.db, std::move(pg));
  if (!store.ok()) return store.status();
  return std::unique_ptr<storage::Store>(*std::move(store));
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

absl::Status SetIntegrityCheckInterval(const std::string& text,
                                       Options& options) {
  if (text == "off" || text == "no") {
    options.integrity_check_every = absl::ZeroDuration();
    return absl::OkStatus();
  }
  absl::Duration every;
  if (!absl::ParseDuration(text, &every) || every < absl::Seconds(1)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "integrity-check-interval must be a duration of at least 1s, e.g. "
        "24h, 6h or 30m, or off; not '",
        text, "'"));
  }
  options.integrity_check_every = every;
  return absl::OkStatus();
}

absl::Status SetGroupAccess(const std::string& text, Options& options) {
  if (text == "yes" || text == "true") {
    options.group_access = true;
  } else if (text == "no" || text == "false") {
    options.group_access = false;
  } else {
    return absl::InvalidArgumentError(
        absl::StrCat("group-access must be yes or no, not '", text, "'"));
  }
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
       "SQLite database file, created if missing (default gongkai.db); or a "
       "PostgreSQL database shared by replicas, postgresql://… (needs "
       "--audit-key)",
       W::kCommandLineOrConfig, false,
       [](const std::string& v, Options& o) {
         o.db = v;
         return absl::OkStatus();
       }},
      {"listen", "ADDR",
       absl::StrCat("HOST:PORT, [IPV6]:PORT or unix:PATH to serve on (default ",
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
      {"lang", "zh|en",
       "the language of alert texts for hooks (default zh); each call "
       "answers in its caller's language",
       W::kCommandLineOrConfig, false,
       [](const std::string& v, Options& o) -> absl::Status {
         ASSIGN_OR_RETURN(o.lang, ParseLang(v));
         return absl::OkStatus();
       }},
      {"integrity-check-interval", "DURATION",
       "run the full integrity check (that of 'gongkai admin check') in the "
       "background this often, the first time 10 minutes after start (or "
       "after DURATION if shorter); problems are logged and raised as a "
       "database_damaged alert. E.g. 24h, 6h, 30m; off for never (default "
       "24h). The start itself checks only what stays small",
       W::kCommandLineOrConfig, false, &SetIntegrityCheckInterval},
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
       "allow plain TCP without TLS; refused unless the address is loopback "
       "(127.0.0.0/8, ::1, localhost) and without TLS files",
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
      {"group-access", "yes|no",
       "let the service's group read and write the database, its lock and "
       "backups (files 0660 instead of 0600; default no)",
       W::kCommandLineOrConfig, false, &SetGroupAccess},
      {"backup-dir", "DIR",
       "the only folder backups are written to (default: the folder "
       "'backups' beside the database)",
       W::kCommandLineOrConfig, false,
       [](const std::string& v, Options& o) {
         o.backup_dir = v;
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

// The listener's transport flags, checked together in server/listen.cc.
TransportFlags TransportFlagsOf(const Options& options) {
  TransportFlags flags;
  flags.listen = options.listen;
  flags.tls_cert = options.tls_cert;
  flags.tls_key = options.tls_key;
  flags.tls_client_ca = options.tls_client_ca;
  flags.insecure = options.insecure;
  return flags;
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
  // The address and the TLS flags are usage errors too (the TLS files are
  // read later, when the listener is prepared).
  absl::StatusOr<NetAddress> listen = ParseListenAddress(options.listen);
  if (!listen.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("--listen: ", listen.status().message()));
  }
  RETURN_IF_ERROR(
      CheckTransportFlags(TransportFlagsOf(options), *listen).status());
  return options;
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
    // The same years as `gongkai calendar load` takes.
    const absl::CivilDay today =
        options.fake_today.value_or(ChinaDay(absl::Now()));
    RETURN_IF_ERROR(app::CheckCalendarYears(
        extra.Years(), static_cast<int>(today.year()), path));
    calendar = calendar.MergedWith(extra);
  }
  return calendar;
}

// The files the daemon creates (database, -wal, -shm, lock note, backups)
// are for its user alone, or for its group too with group-access: the
// umask is set before anything is opened, and the modes below are what
// open() is asked for before the umask takes its part.
mode_t FileUmask(const Options& options) {
  return options.group_access ? 0007 : 0077;
}

// An existing file's mode is brought to what the daemon would create
// (0600, or 0660 with group access): one made by an older gongkaid (which
// left them world-readable), or copied in by hand, holds identity numbers
// and names too.
void EnforceMode(const std::string& path, mode_t umask_bits, Logger& logger) {
  struct stat st;
  if (lstat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return;
  const mode_t mode = st.st_mode & 07777;
  const mode_t wanted = 0666 & ~umask_bits;
  if (mode == wanted) return;
  if (chmod(path.c_str(), wanted) == 0) {
    logger.Log(Priority::kWarning,
               absl::StrFormat("%s had mode %04o; now %04o, as the daemon "
                               "makes its files (see group-access)",
                               path, mode, wanted));
  } else {
    logger.Log(Priority::kWarning,
               absl::StrFormat("%s has mode %04o, not %04o, and cannot be "
                               "changed: %s",
                               path, mode, wanted, strerror(errno)));
  }
}

// One daemon per database *file*: the lock is taken (flock) on a
// descriptor of the database file itself, so a second daemon reaching the
// same file through a symlink, a hard link or another mount of its folder
// finds it locked; a lock on a file named after the path would not see it.
// (flock locks are apart from the POSIX locks SQLite takes on the same
// file on Linux, so neither disturbs the other.)
//
// Beside the database, `<db>.lock` holds a note of who holds the lock,
// for the message of whoever finds it locked, and that a database was
// served here: a missing database with a note beside it was deleted (or
// moved), and is not silently replaced by an empty one.
//
// `gongkaid --create-admin` takes the lock too while it works on a file
// no daemon serves (it may then bring the schema up to date). Released
// when closed or when the process exits; closed only after the database
// connection (closing a descriptor drops the process's POSIX locks on the
// file, SQLite's included).
class DatabaseLock {
 public:
  static absl::StatusOr<DatabaseLock> Open(const std::string& db_path) {
    DatabaseLock lock;
    lock.db_path_ = db_path;
    lock.note_path_ = db_path + ".lock";
    struct stat st;
    const bool db_exists = stat(db_path.c_str(), &st) == 0;
    lock.note_fd_ = open(lock.note_path_.c_str(),
                         O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0660);
    if (lock.note_fd_ < 0) {
      return absl::FailedPreconditionError(absl::StrCat(
          "cannot create lock file ", lock.note_path_, ": ", strerror(errno),
          "; gongkaid (uid ", getuid(),
          ") must be able to write the database's folder and files: check "
          "their owner and permissions (see docs/operations.md)"));
    }
    if (!db_exists) {
      const std::string note = lock.Note();
      if (!note.empty()) {
        return absl::FailedPreconditionError(absl::StrCat(
            "the database file ", db_path, " is missing, but ", lock.note_path_,
            " shows one was served here (", note,
            "); it was deleted or moved. Restore it from a backup, or, to "
            "start with an empty database on purpose, remove ",
            lock.note_path_));
      }
    }
    lock.db_fd_ =
        open(db_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NONBLOCK, 0660);
    if (lock.db_fd_ < 0) {
      const int e = errno;
      if (e == EACCES || e == EROFS || e == EPERM) {
        return absl::FailedPreconditionError(absl::StrCat(
            "the database file ", db_path, " is read-only for this user (uid ",
            getuid(), "): ", strerror(e),
            "; gongkaid must be able to write it and its folder: check the "
            "owner and permissions (see docs/operations.md), or the disk's "
            "mount options"));
      }
      return absl::FailedPreconditionError(absl::StrCat(
          "cannot open the database file ", db_path, ": ", strerror(e)));
    }
    if (fstat(lock.db_fd_, &st) != 0 || !S_ISREG(st.st_mode)) {
      return absl::FailedPreconditionError(
          absl::StrCat(db_path, " is not a regular file"));
    }
    lock.device_ = st.st_dev;
    lock.inode_ = st.st_ino;
    return lock;
  }
  DatabaseLock(DatabaseLock&& o) noexcept
      : db_path_(std::move(o.db_path_)),
        note_path_(std::move(o.note_path_)),
        note_fd_(std::exchange(o.note_fd_, -1)),
        db_fd_(std::exchange(o.db_fd_, -1)),
        device_(o.device_),
        inode_(o.inode_) {}
  DatabaseLock& operator=(DatabaseLock&&) = delete;
  ~DatabaseLock() {
    if (db_fd_ >= 0) close(db_fd_);
    if (note_fd_ >= 0) close(note_fd_);
  }

  // Takes the lock if no one holds it, and records `holder` in the note.
  bool TryLock(absl::string_view holder) {
    if (flock(db_fd_, LOCK_EX | LOCK_NB) != 0) return false;
    const std::string text =
        absl::StrCat(holder, " ", db_path_, " (device ", device_, " inode ",
                     inode_, ") since ", FormatTimestamp(absl::Now()), "\n");
    if (ftruncate(note_fd_, 0) == 0) {
      (void)!pwrite(note_fd_, text.data(), text.size(), 0);
    }
    return true;
  }
  // Who holds the lock, as they wrote it ("" when unknown). Through another
  // path to the same file the note read may be another path's: it says so.
  std::string Holder() const {
    const std::string note = Note();
    if (note.empty()) return "";
    if (note.find(absl::StrCat("(device ", device_, " inode ", inode_, ")")) ==
        std::string::npos) {
      return "";
    }
    return note;
  }
  // Whether the file locked is the one with this identity.
  bool Locks(uint64_t device, uint64_t inode) const {
    return device == device_ && inode == inode_;
  }
  // The identity of the file locked.
  std::string Identity() const {
    return absl::StrCat("device ", device_, " inode ", inode_);
  }
  const std::string& note_path() const { return note_path_; }

 private:
  DatabaseLock() = default;
  std::string Note() const {
    char buffer[1024];
    ssize_t n = pread(note_fd_, buffer, sizeof(buffer) - 1, 0);
    if (n <= 0) return "";
    return std::string(absl::StripAsciiWhitespace(
        absl::string_view(buffer, static_cast<size_t>(n))));
  }
  std::string db_path_;
  std::string note_path_;
  int note_fd_ = -1;
  int db_fd_ = -1;
  uint64_t device_ = 0;
  uint64_t inode_ = 0;
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
  return absl::FailedPreconditionError(
      absl::StrCat("another gongkaid is already serving ", db_path,
                   " (the file itself, ", lock.Identity(), ", is locked",
                   holder.empty() ? ", perhaps through another path to it"
                                  : absl::StrCat(" by ", holder),
                   ")"));
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
  absl::StatusOr<std::unique_ptr<storage::Store>> store;
  std::optional<DatabaseLock> lock;  // SQLite only
  if (storage::IsPostgresUrl(options.db)) {
    store = OpenPostgresStore(options,
                              [&logger](const std::string& l) { logger(l); });
  } else {
    CreateParentDirectory(options.db);
    absl::StatusOr<DatabaseLock> locked = DatabaseLock::Open(options.db);
    if (!locked.ok()) return cannot_start(locked.status());
    lock.emplace(*std::move(locked));
    // No daemon serves the file: hold the lock (a daemon starting meanwhile
    // waits for us rather than migrating beside us). One does: it has
    // brought the schema up to date and checked the file already.
    (void)lock->TryLock(
        absl::StrCat(kCreateAdminHolder, " (pid ", getpid(), ")"));
    absl::StatusOr<std::unique_ptr<storage::SqliteStore>> opened =
        storage::SqliteStore::Open(options.db, AuditFiles(options));
    if (!opened.ok()) return cannot_start(opened.status());
    store = std::unique_ptr<storage::Store>(*std::move(opened));
  }
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

// A Unix socket path is unlinked before bind (gRPC does it too), so that a
// socket left by a crashed daemon does not stop the next one; but a socket
// something still listens on belongs to a live daemon and is never taken
// from it. A connection attempt tells which: refused means stale.
// (A daemon starting at the same instant on the same path may still win the
// race between this check and bind; the database lock keeps two daemons
// off one database, whatever their sockets.)
absl::Status ClaimUnixSocket(const std::string& listen) {
  if (!absl::StartsWith(listen, "unix:")) return absl::OkStatus();
  const std::string path = listen.substr(5);
  struct stat st;
  if (lstat(path.c_str(), &st) != 0) return absl::OkStatus();
  if (!S_ISSOCK(st.st_mode)) {
    return absl::FailedPreconditionError(
        absl::StrCat("--listen ", listen, ": ", path,
                     " exists and is not a socket; remove it or listen "
                     "elsewhere"));
  }
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  if (path.size() >= sizeof(addr.sun_path)) {
    return absl::InvalidArgumentError(
        absl::StrCat("--listen ", listen, ": the socket path is longer than ",
                     sizeof(addr.sun_path) - 1, " bytes"));
  }
  path.copy(addr.sun_path, path.size());
  const int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    return absl::UnavailableError(
        absl::StrCat("cannot make a socket: ", strerror(errno)));
  }
  const int rc =
      connect(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof(addr));
  const int e = errno;
  close(fd);
  if (rc == 0 || e == EAGAIN) {
    // EAGAIN: its backlog is full, so something listens.
    return absl::FailedPreconditionError(
        absl::StrCat("another daemon listens on ", listen,
                     "; stop it first, or give this one another --listen"));
  }
  if (e != ECONNREFUSED) {
    return absl::FailedPreconditionError(
        absl::StrCat("cannot tell whether something listens on ", listen, " (",
                     strerror(e), "); not removing it"));
  }
  if (unlink(path.c_str()) != 0 && errno != ENOENT) {
    return absl::FailedPreconditionError(absl::StrCat(
        "cannot remove the stale socket ", path, ": ", strerror(errno)));
  }
  return absl::OkStatus();
}

// The full integrity check (SqliteStore::CheckIntegrity, the one `gongkai
// admin check` runs) in the background: the start checks only what stays
// small, and this covers the rest. The first pass runs `first_after` after
// the daemon is serving, not at start, so that a restart is not slowed by
// it; then one every `every`. The check runs on its own read connection in
// one snapshot, so calls are served meanwhile, and on a thread of lower CPU
// priority, so that on a small machine they are served first. Each pass is
// logged; problems also raise a database_damaged alert, recorded in the
// outbox like any other (watchers see it, the hook gets it). Its key names
// the problems found, so the same damage is alerted once, however many
// passes find it, and new damage is alerted again.
//
// Thread safety: Start and Stop from one thread; the pass runs on its own.
class IntegrityPass {
 public:
  IntegrityPass(storage::Store& store, const app::Environment& env,
                alerts::AlertHub* hub, Logger& logger, absl::Duration every,
                Lang lang, bool deliver)
      : store_(store),
        env_(env),
        hub_(hub),
        logger_(logger),
        every_(every),
        lang_(lang),
        deliver_(deliver) {}
  ~IntegrityPass() { Stop(); }

  void Start() {
    if (every_ <= absl::ZeroDuration()) return;
    thread_ = std::thread([this] { Loop(); });
  }
  // Ends a pass in progress (the check is interrupted) and joins. Call it
  // while the store is open.
  void Stop() {
    if (!thread_.joinable()) return;
    {
      std::lock_guard<std::mutex> lock(mu_);
      stopping_ = true;
    }
    cv_.notify_all();
    store_.StopIntegrityChecks();
    if (thread_.joinable()) thread_.join();
  }

 private:
  static constexpr absl::Duration kFirstAfter = absl::Minutes(10);

  void Loop() {
    // This thread only (Linux threads have a nice value each).
    (void)setpriority(PRIO_PROCESS, static_cast<id_t>(syscall(SYS_gettid)), 10);
    absl::Duration wait = std::min(kFirstAfter, every_);
    std::unique_lock<std::mutex> lock(mu_);
    while (!cv_.wait_for(lock, absl::ToChronoMilliseconds(wait),
                         [&] { return stopping_; })) {
      lock.unlock();
      RunOnce();
      lock.lock();
      wait = every_;
    }
  }

  void RunOnce() {
    const absl::Time started = absl::Now();
    absl::StatusOr<storage::IntegrityReport> report = store_.CheckIntegrity();
    const int64_t ms = absl::ToInt64Milliseconds(absl::Now() - started);
    if (absl::IsCancelled(report.status())) return;
    if (!report.ok()) {
      logger_.Log(Priority::kError,
                  absl::StrCat("the background integrity check could not run: ",
                               report.status().message()));
      return;
    }
    if (report->problems.empty()) {
      logger_(absl::StrCat("integrity check: ", report->cases_checked,
                           " cases and the whole file checked in ", ms,
                           " ms; no problems"));
      return;
    }
    std::vector<std::string> lines;
    for (const storage::IntegrityProblem& p : report->problems) {
      std::string line = p.subject;
      if (!p.field.empty()) absl::StrAppend(&line, " ", p.field);
      if (!p.message.empty()) absl::StrAppend(&line, ": ", p.message);
      if (!p.row.empty() || !p.derived.empty()) {
        absl::StrAppend(&line, " (stored '", p.row, "', history says '",
                        p.derived, "')");
      }
      lines.push_back(std::move(line));
    }
    constexpr size_t kShown = 5;
    const std::vector<std::string> shown(
        lines.begin(), lines.begin() + std::min(lines.size(), kShown));
    logger_.Log(
        Priority::kCritical,
        absl::StrCat("integrity check found ", lines.size(),
                     " problem(s) in the database (in ", ms,
                     " ms): ", absl::StrJoin(shown, "; "),
                     lines.size() > kShown ? "; ..." : "",
                     ". Run gongkai admin check for all of them; restore a "
                     "backup (see docs/operations.md)"));
    Raise(lines);
  }

  // Records, publishes and (through the scheduler's delivery) hands to the
  // hook one database_damaged alert for `problems`.
  void Raise(const std::vector<std::string>& problems) {
    // FNV-1a: the same problems give the same key in every run.
    uint64_t hash = 14695981039346656037ull;
    for (const std::string& p : problems) {
      for (unsigned char c : p + "\n") {
        hash = (hash ^ c) * 1099511628211ull;
      }
    }
    Alert alert;
    alert.kind = "database_damaged";
    alert.due_on = env_.time->Today();
    alert.key = absl::StrFormat("database_damaged:%016x", hash);
    alert.message =
        lang_ == Lang::kEn
            ? absl::StrCat("The database integrity check found ",
                           problems.size(),
                           " problem(s), the first: ", problems.front(),
                           ". Run gongkai admin check for all of them, and "
                           "restore a backup")
            : absl::StrCat("数据库完整性检查发现 ", problems.size(),
                           " 个问题，第一个：", problems.front(),
                           "。请运行 gongkai admin check 查看全部问题，"
                           "并从备份恢复");
    const absl::Time now = env_.time->Now();
    const std::string payload = alerts::AlertToJson(alert, now).Dump();
    absl::StatusOr<std::vector<size_t>> fresh =
        storage::WriteValue<std::vector<size_t>>(
            store_, [&](storage::Tables& t) {
              return t.alerts().Record({{alert.key, payload}}, now, deliver_);
            });
    if (!fresh.ok()) {
      logger_.Log(Priority::kError,
                  absl::StrCat("cannot record the database_damaged alert: ",
                               fresh.status().message()));
      return;
    }
    // Already raised for the same problems: recorded and delivered once.
    if (fresh->empty()) return;
    logger_(absl::StrCat("alert database_damaged ", alert.message));
    if (hub_ != nullptr) hub_->Publish(payload);
  }

  storage::Store& store_;
  const app::Environment& env_;
  alerts::AlertHub* const hub_;
  Logger& logger_;
  const absl::Duration every_;
  const Lang lang_;
  const bool deliver_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;
  std::thread thread_;
};

// How often the main loop wakes to check the database file (and, under a
// systemd watchdog, to say it is alive).
absl::Duration MainLoopTick() {
  absl::Duration tick = absl::Seconds(2);
  uint64_t watchdog_usec = 0;
  if (sd_watchdog_enabled(0, &watchdog_usec) > 0 && watchdog_usec > 0) {
    // Twice per watchdog period, as sd_watchdog_enabled(3) advises.
    tick = std::min(tick, absl::Microseconds(watchdog_usec / 2));
  }
  return tick;
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
  // Before anything is opened: every file the daemon (or SQLite for it)
  // creates is for its user, or its group too, and nobody else.
  umask(FileUmask(*options));
  if (!options->create_admin.empty()) return CreateAdmin(*options, out, err);
  Logger logger(err);
  auto fail = [&](const absl::Status& s) {
    logger.Log(Priority::kError, absl::StrCat("cannot start: ", s.message()));
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
  absl::StatusOr<Listener> listener =
      PrepareListener(TransportFlagsOf(*options));
  if (!listener.ok()) return fail(listener.status());
  if (options->check_config) {
    out << "gongkaid: configuration ok\n";
    return 0;
  }

  // PostgreSQL (shared by replicas) or the SQLite file, locked against a
  // second daemon and watched for deletion (`sqlite` is null on
  // PostgreSQL).
  absl::StatusOr<std::unique_ptr<storage::Store>> store;
  storage::SqliteStore* sqlite = nullptr;
  std::optional<DatabaseLock> lock;
  const bool postgres = storage::IsPostgresUrl(options->db);
  if (postgres) {
    store = OpenPostgresStore(*options,
                              [&logger](const std::string& l) { logger(l); });
    if (!store.ok()) return fail(store.status());
  } else {
    CreateParentDirectory(options->db);
    absl::StatusOr<DatabaseLock> locked = LockDatabase(options->db);
    if (!locked.ok()) return fail(locked.status());
    lock.emplace(*std::move(locked));
    for (const char* suffix : {"", "-wal", "-shm", ".lock"}) {
      EnforceMode(options->db + suffix, FileUmask(*options), logger);
    }
    absl::StatusOr<std::unique_ptr<storage::SqliteStore>> opened =
        storage::SqliteStore::Open(options->db, AuditFiles(*options));
    if (!opened.ok()) return fail(opened.status());
    // The file locked must be the file served: the path could have been
    // pointed elsewhere in between.
    if (!lock->Locks((*opened)->file_identity().device(),
                     (*opened)->file_identity().inode())) {
      return fail(absl::FailedPreconditionError(
          absl::StrCat(options->db, " was replaced while gongkaid opened it")));
    }
    sqlite = opened->get();
    store = std::unique_ptr<storage::Store>(*std::move(opened));
  }
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
  env.backup_dir = options->backup_dir;
  if (env.backup_dir.empty() && !postgres) {
    env.backup_dir =
        (std::filesystem::path(options->db).parent_path() / "backups").string();
  }
  // On PostgreSQL there is no folder of the database (and backups are
  // pg_dump's): no default.
  if (!env.backup_dir.empty()) {
    env.backup_dir = std::filesystem::absolute(env.backup_dir).string();
  }
  env.alert_options.reply_warning_days = options->alert_days;
  env.alert_options.lang = options->lang;
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
  rpc::DocumentServiceImpl document_service(env, app::LibraryEngine());
  rpc::ReportServiceImpl report_service(env);
  rpc::AdminServiceImpl admin_service(env);

  // Started before the server accepts calls (AlertsInForce may be called by
  // the first one); the index is built in the background meanwhile.
  scheduler.Start();

  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  if (absl::StartsWith(options->listen, "unix:")) {
    std::filesystem::path socket_path(options->listen.substr(5));
    std::error_code ec;
    if (socket_path.has_parent_path()) {
      std::filesystem::create_directories(socket_path.parent_path(), ec);
    }
  }
  if (absl::Status s = ClaimUnixSocket(options->listen); !s.ok()) {
    return fail(s);
  }
  grpc::ServerBuilder builder;
  // gRPC sets SO_REUSEPORT by default: a second daemon on the same TCP port
  // would then share it, taking half the connections, instead of failing.
  builder.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
  int port = 0;
  builder.AddListeningPort(listener->address.ToString(), listener->credentials,
                           &port);
  builder.RegisterService(&admin_service);
  builder.RegisterService(&case_service);
  builder.RegisterService(&calendar_service);
  builder.RegisterService(&alert_service);
  builder.RegisterService(&fee_service);
  builder.RegisterService(&document_service);
  builder.RegisterService(&report_service);
  // Requests that are not UTF-8 and stored text that is not (boundary.h).
  std::vector<
      std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>>
      interceptors;
  interceptors.push_back(
      std::make_unique<rpc::BoundaryInterceptorFactory>(env.log));
  builder.experimental().SetInterceptorCreators(std::move(interceptors));
  ApplyTransportLimits(builder);
  // Keep the threads that served a burst of calls instead of letting all but
  // two exit and start afresh with the next call (gRPC's default, which
  // spends more time creating threads than serving concurrent clients).
  builder.SetSyncServerOption(
      grpc::ServerBuilder::SyncServerOption::MIN_POLLERS, 2);
  builder.SetSyncServerOption(
      grpc::ServerBuilder::SyncServerOption::MAX_POLLERS, 64);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (server == nullptr || (port == 0 && !listener->address.is_unix())) {
    return fail(absl::UnavailableError(
        absl::StrCat("cannot listen on ", listener->address.ToString(),
                     " (address in use or not valid)")));
  }
  NetAddress served = listener->address;
  if (served.is_unix()) {
    chmod(served.path.c_str(), 0660);
  } else {
    served.port = port;
  }
  // The moment anything (a write, `admin check`, the main loop) finds the
  // database file deleted or replaced: health checks answer NOT_SERVING,
  // systemd shows why, and the log says it once.
  grpc::HealthCheckServiceInterface* health = server->GetHealthCheckService();
  if (sqlite != nullptr) {
    sqlite->file_identity().OnFailure([&logger, health](const absl::Status& s) {
      logger.Log(Priority::kCritical, std::string(s.message()));
      if (health != nullptr) health->SetServingStatus(false);
      sd_notify(0,
                absl::StrCat("STATUS=refusing writes: ", s.message()).c_str());
    });
  }
  const std::string address = served.ToString();
  if (time_source.Today() != ChinaDay(absl::Now())) {
    logger(absl::StrCat("TESTING: today is fixed at ",
                        FormatDate(time_source.Today())));
  }
  logger(absl::StrCat(
      "serving on ", address, " with database ",
      postgres ? storage::RedactPostgresUrl(options->db) : options->db,
      " (calendar years ", calendar_holder.Get()->Years().front(), "-",
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
  IntegrityPass integrity(**store, env, &hub, logger,
                          options->integrity_check_every, options->lang,
                          !options->alert_hook.empty());
  integrity.Start();
  // The reply deadlines kept for listing (app/due_date.h), worked out again
  // for every open case: for cases stored before they were kept, and those
  // the calendar (a --calendar file) moved since the last run. It reads
  // every open case, a second per few hundred thousand, so it runs after
  // "serving", beside the calls, on a thread of lower CPU priority: until
  // it is done a listing by deadline may show a deadline the calendar has
  // just moved (each case's own view, and the alerts, work it out from the
  // events and the calendar in force, so no deadline is missed).
  std::thread due_dates([&env, &logger] {
    (void)setpriority(PRIO_PROCESS, static_cast<id_t>(syscall(SYS_gettid)), 10);
    const absl::Time started = absl::Now();
    absl::StatusOr<int64_t> refreshed = app::RefreshDueDates(env);
    if (!refreshed.ok()) {
      logger.Log(Priority::kError,
                 absl::StrCat("cannot record the reply deadlines: ",
                              refreshed.status().message()));
    } else if (*refreshed > 0) {
      logger(absl::StrCat(
          "reply deadlines recorded for ", *refreshed, " open case(s) in ",
          absl::ToInt64Milliseconds(absl::Now() - started), " ms"));
    }
  });

  // Until a stop signal: every tick, check that the database path still
  // names the file served (writes check it too, but an idle daemon should
  // say so as well) and tell a systemd watchdog we are alive.
  const bool watchdog = sd_watchdog_enabled(0, nullptr) > 0;
  const absl::Duration tick = MainLoopTick();
  absl::Status file_status;
  int signal_number = 0;
  while (true) {
    const timespec wait = absl::ToTimespec(tick);
    const int got = sigtimedwait(&stop_signals, nullptr, &wait);
    if (got > 0) {
      signal_number = got;
      break;
    }
    if (watchdog) sd_notify(0, "WATCHDOG=1");
    // Found gone or replaced, it says so through OnFailure above.
    if (file_status.ok() && sqlite != nullptr) {
      file_status = sqlite->CheckFile();
    }
  }
  logger(absl::StrCat("received ", strsignal(signal_number),
                      "; finishing in-flight calls"));
  sd_notify(0, "STOPPING=1\nSTATUS=finishing in-flight calls");
  if (!options->ready_file.empty()) unlink(options->ready_file.c_str());
  alert_service.StopWatches();
  server->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(10));
  server->Wait();
  due_dates.join();
  integrity.Stop();
  scheduler.Stop();
  if (sqlite != nullptr) {
    const auto [writes, transactions] = sqlite->WriteStats();
    logger(absl::StrCat(writes, " writes in ", transactions,
                        " transactions since start"));
    // A write may have found the file gone after the last tick.
    if (file_status.ok()) file_status = sqlite->CheckFile();
  }
  sqlite = nullptr;
  store->reset();
  // The lock is released last, once the database is closed.
  if (!file_status.ok()) {
    logger.Log(Priority::kCritical,
               absl::StrCat("stopped, but what was written since the "
                            "database file was deleted or replaced is lost: ",
                            file_status.message()));
    return 1;
  }
  logger("stopped; database closed cleanly");
  return 0;
}

}  // namespace gongkai

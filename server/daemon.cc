#include "server/daemon.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <mutex>
#include <sstream>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "common/args.h"
#include "common/dates.h"
#include "common/defaults.h"
#include "common/status_macros.h"
#include "grpcpp/ext/proto_server_reflection_plugin.h"
#include "grpcpp/grpcpp.h"
#include "grpcpp/health_check_service_interface.h"
#include "app/alert_hub.h"
#include "server/alerts/alert_scheduler.h"
#include "server/rpc/admin_service.h"
#include "server/rpc/alert_service.h"
#include "server/rpc/calendar_service.h"
#include "server/rpc/case_service.h"
#include "app/environment.h"
#include "server/rpc/fee_service.h"
#include "server/rpc/report_service.h"
#include "storage/sqlite_store.h"

namespace gongkai {
namespace {

constexpr char kVersion[] = "gongkaid 0.1.0";

const FlagSpec kFlags[] = {
    {"db", "PATH",
     "SQLite database file; created if missing (default gongkai.db)"},
    {"listen", "ADDR",
     absl::StrCat("HOST:PORT or unix:PATH to serve on (default ",
                  kDefaultServerAddress, "; port 0 picks a free port)")},
    {"config", "FILE",
     "config file of 'key = value' lines (db, listen, calendar); flags win"},
    {"calendar", "FILE",
     "extra working-day schedule file (adds or replaces years); repeatable",
     false, true},
    {"agency", "NAME", "the department's name, printed on its reports"},
    {"alert-hook", "CMD",
     "run CMD (with /bin/sh) once per new alert, the alert as JSON on stdin"},
    {"alert-days", "N,M",
     "warn when a reply is due within these working days (default 5,1)"},
    {"fee-pauses-reply", "yes|no",
     "leave the days from fee notice to payment out of the reply period "
     "(default yes)"},
    {"tls-cert", "FILE", "serve TLS with this certificate chain (PEM)"},
    {"tls-key", "FILE", "the private key of --tls-cert (PEM)"},
    {"tls-client-ca", "FILE",
     "require client certificates signed by this CA (mutual TLS)"},
    {"insecure", "",
     "allow plain TCP without TLS; refused unless the address is loopback"},
    {"create-admin", "NAME",
     "create the first administrator in --db, print its token, and exit"},
    {"fake-today", "DATE",
     "TESTING ONLY: pretend today is DATE instead of reading the clock"},
    {"help", "", "show this help"},
    {"version", "", "print the version"},
};

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
};

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
    if (key == "db") {
      options.db = value;
    } else if (key == "listen") {
      options.listen = value;
    } else if (key == "calendar") {
      options.calendars.push_back(value);
    } else if (key == "agency") {
      options.agency = value;
    } else if (key == "tls-cert") {
      options.tls_cert = value;
    } else if (key == "tls-key") {
      options.tls_key = value;
    } else if (key == "tls-client-ca") {
      options.tls_client_ca = value;
    } else if (key == "alert-hook") {
      options.alert_hook = value;
    } else if (key == "alert-days") {
      RETURN_IF_ERROR(SetAlertDays(value, options));
    } else if (key == "fee-pauses-reply") {
      RETURN_IF_ERROR(SetFeePauses(value, options));
    } else {
      return absl::InvalidArgumentError(
          absl::StrCat(path, ":", line_no, ": unknown key '", key,
                       "'; known keys: db, listen, calendar, agency, "
                       "alert-hook, alert-days, "
                       "fee-pauses-reply"));
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<Options> ParseOptions(const ParsedArgs& args) {
  Options options;
  if (args.Has("config"))
    RETURN_IF_ERROR(ApplyConfigFile(args.Get("config"), options));
  if (args.Has("db")) options.db = args.Get("db");
  if (args.Has("listen")) options.listen = args.Get("listen");
  for (const std::string& c : args.GetAll("calendar"))
    options.calendars.push_back(c);
  if (args.Has("alert-hook")) options.alert_hook = args.Get("alert-hook");
  if (args.Has("agency")) options.agency = args.Get("agency");
  if (args.Has("tls-cert")) options.tls_cert = args.Get("tls-cert");
  if (args.Has("tls-key")) options.tls_key = args.Get("tls-key");
  if (args.Has("tls-client-ca"))
    options.tls_client_ca = args.Get("tls-client-ca");
  options.insecure = args.Has("insecure");
  if (args.Has("alert-days"))
    RETURN_IF_ERROR(SetAlertDays(args.Get("alert-days"), options));
  if (args.Has("fee-pauses-reply")) {
    RETURN_IF_ERROR(SetFeePauses(args.Get("fee-pauses-reply"), options));
  }
  if (args.Has("fake-today")) {
    ASSIGN_OR_RETURN(options.fake_today, ParseDate(args.Get("fake-today")));
  }
  if (!args.positional().empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("unexpected argument '", args.positional()[0], "'"));
  }
  if (options.db.empty()) return absl::InvalidArgumentError("--db is empty");
  if (!absl::StartsWith(options.listen, "unix:") &&
      options.listen.find(':') == std::string::npos) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--listen ", options.listen, " must be HOST:PORT or unix:PATH"));
  }
  return options;
}

// The official calendar, then the years administrators loaded into the
// database, then --calendar files: later sources replace earlier years.
absl::StatusOr<WorkCalendar> LoadCalendar(const Options& options,
                                          storage::Store& store) {
  WorkCalendar calendar = WorkCalendar::Official();
  ASSIGN_OR_RETURN(auto stored, store.LoadCalendarYears());
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

// Holds an exclusive lock beside the database so that two daemons never
// serve the same file. Released when the process exits.
absl::Status LockDatabase(const std::string& db_path, int* fd_out) {
  std::string lock_path = db_path + ".lock";
  int fd = open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) {
    return absl::FailedPreconditionError(absl::StrCat(
        "cannot create lock file ", lock_path, ": ", strerror(errno),
        "; gongkaid (uid ", getuid(),
        ") must be able to write the database's folder and files: check "
        "their owner and permissions (see docs/operations.md)"));
  }
  if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
    close(fd);
    return absl::FailedPreconditionError(
        absl::StrCat("another gongkaid is already serving ", db_path, " (",
                     lock_path, " is locked)"));
  }
  *fd_out = fd;
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
  absl::StatusOr<ParsedArgs> args = ParseArgs(argv, kFlags);
  if (!args.ok()) {
    err << "gongkaid: " << args.status().message() << "\n";
    return 2;
  }
  if (args->Has("help")) {
    out << "Usage: gongkaid [options]\n\n"
           "Serves the gongkai API for handling requests for government\n"
           "information, keeping every case in an SQLite database.\n\n"
           "Options:\n"
        << FormatFlagHelp(kFlags);
    return 0;
  }
  if (args->Has("version")) {
    out << kVersion << "\n";
    return 0;
  }
  absl::StatusOr<Options> options = ParseOptions(*args);
  if (!options.ok()) {
    err << "gongkaid: " << options.status().message() << "\n";
    return 2;
  }
  Logger logger(err);
  auto fail = [&](const absl::Status& s) {
    logger(absl::StrCat("cannot start: ", s.message()));
    return 1;
  };
  if (args->Has("create-admin")) {
    // Bootstrapping happens on the server's machine, never over the network.
    absl::StatusOr<std::unique_ptr<storage::SqliteStore>> store =
        storage::SqliteStore::Open(options->db);
    if (!store.ok()) return fail(store.status());
    absl::StatusOr<std::string> token =
        rpc::CreateUserWithToken(**store, args->Get("create-admin"), "admin",
                                 "*", "gongkaid --create-admin", absl::Now());
    if (!token.ok()) {
      err << "gongkaid: " << token.status().message() << "\n";
      return 1;
    }
    out << *token << "\n";
    err << "gongkaid: administrator " << args->Get("create-admin")
        << " created; the token above is shown once\n";
    return 0;
  }
  absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> credentials =
      ServerCredentials(*options);
  if (!credentials.ok()) return fail(credentials.status());

  // Block the stop signals in every thread; the main thread waits for them.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  std::filesystem::path db_path(options->db);
  if (db_path.has_parent_path()) {
    std::error_code ec;
    std::filesystem::create_directories(db_path.parent_path(), ec);
  }
  int lock_fd = -1;
  if (absl::Status s = LockDatabase(options->db, &lock_fd); !s.ok())
    return fail(s);
  absl::StatusOr<std::unique_ptr<storage::SqliteStore>> store =
      storage::SqliteStore::Open(options->db);
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
  env.alerts_in_force = [&scheduler](absl::CivilDay day) {
    return scheduler.AlertsInForce(day);
  };

  rpc::CaseServiceImpl case_service(env);
  rpc::CalendarServiceImpl calendar_service(env);
  rpc::AlertServiceImpl alert_service(env);
  rpc::FeeServiceImpl fee_service(env);
  rpc::ReportServiceImpl report_service(env);
  rpc::AdminServiceImpl admin_service(env);

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
  scheduler.Start();
  logger(absl::StrCat("serving on ", address, " with database ", options->db,
                      " (calendar years ",
                      calendar_holder.Get()->Years().front(), "-",
                      calendar_holder.Get()->Years().back(), ")"));

  int signal_number = 0;
  sigwait(&stop_signals, &signal_number);
  logger(absl::StrCat("received ", strsignal(signal_number),
                      "; finishing in-flight calls"));
  alert_service.StopWatches();
  server->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(10));
  server->Wait();
  scheduler.Stop();
  const auto [writes, transactions] = (*store)->WriteStats();
  logger(absl::StrCat(writes, " writes in ", transactions,
                      " transactions since start"));
  store->reset();
  close(lock_fd);
  logger("stopped; database closed cleanly");
  return 0;
}

}  // namespace gongkai

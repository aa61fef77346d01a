// Test harness for integration tests: runs the real gongkaid on a temporary
// database and a free port, and the real gongkai CLI against it.
#ifndef GONGKAI_TESTS_INTEGRATION_HARNESS_H_
#define GONGKAI_TESTS_INTEGRATION_HARNESS_H_

#include <sys/types.h>

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/time/time.h"
#include "common/json.h"

namespace gongkai::testing {

struct CommandResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// Runs `program` with `args`, optional stdin text, and waits for it.
CommandResult RunProgram(const std::string& program,
                         const std::vector<std::string>& args,
                         const std::string& stdin_text = "");

// `args` with `flag` set to `value` (replaced if present, else appended).
std::vector<std::string> WithFlag(std::vector<std::string> args,
                                  const std::string& flag,
                                  const std::string& value);

// Calls `path` (e.g. "/grpc.health.v1.Health/Check") with raw request bytes
// and an optional API token; returns the status and the response bytes.
// A datagram socket standing in for systemd's NOTIFY_SOCKET: what a
// notifying daemon sends, one message per Receive (waits up to a minute).
class NotifySocket {
 public:
  explicit NotifySocket(std::string path);
  ~NotifySocket();
  NotifySocket(const NotifySocket&) = delete;
  NotifySocket& operator=(const NotifySocket&) = delete;

  bool ok() const { return fd_ >= 0; }
  const std::string& path() const { return path_; }
  std::string Receive();

 private:
  std::string path_;
  int fd_ = -1;
};

struct RawResult {
  int code = 0;  // grpc::StatusCode
  std::string message;
  std::string bytes;
};
// One unary call with raw request bytes and the given metadata, waiting at
// most `timeout`.
RawResult RawUnaryCall(
    const std::string& address, const std::string& path,
    const std::vector<std::pair<std::string, std::string>>& headers,
    const std::string& request, absl::Duration timeout);
// The same with a bearer token (none when empty) and a 500 ms deadline.
RawResult RawUnaryCall(const std::string& address, const std::string& path,
                       const std::string& token,
                       const std::string& request = "");

// Blocks until `path` appears (as a rename makes it: whole) and returns its
// content, or until the process `pid` (a child of ours) exits or
// `timeout_ms` passes: then nullopt, with `*exited` telling which. Waits on
// inotify and a pidfd; no polling.
std::optional<std::string> WaitForFile(const std::string& path, pid_t pid,
                                       int timeout_ms, bool* exited = nullptr);

// Waits up to `timeout_ms` for the child `pid` to exit; its exit status
// (128 + signal when killed), or nullopt on timeout (it keeps running).
std::optional<int> WaitExitFor(pid_t pid, int timeout_ms);

// A temporary directory, removed at destruction.
class ScratchDir {
 public:
  ScratchDir();
  ~ScratchDir();
  std::string File(const std::string& name) const { return path_ + "/" + name; }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// A program running in the background; its output goes to files.
class Background {
 public:
  Background(const std::string& program, const std::vector<std::string>& args);
  ~Background();
  // Waits up to `timeout_ms` for the program to exit; false on timeout.
  bool Wait(int timeout_ms, CommandResult* result);
  std::string ErrSoFar() const;
  std::string OutSoFar() const;
  pid_t pid() const { return pid_; }

 private:
  ScratchDir io_;
  pid_t pid_ = -1;
};

// Whether the daemons of this run serve PostgreSQL (GONGKAI_INTEGRATION_PG).
bool IntegrationOnPostgres();

class Daemon {
 public:
  // `extra_args` are passed to gongkaid after --db and --listen.
  //
  // With GONGKAI_INTEGRATION_PG=1 and GONGKAI_TEST_PG_URL set (see
  // tests/pg/with_postgres.sh), the daemon serves a PostgreSQL schema of
  // its own instead of the file `db_path` (two Daemons made with the same
  // path share it, as two replicas would); the log, the ready file and the
  // audit key still go beside `db_path`.
  explicit Daemon(std::string db_path,
                  std::vector<std::string> extra_args = {});
  ~Daemon();

  // Starts gongkaid on 127.0.0.1 with a free port (or on the socket given to
  // ListenOnUnixSocket) and waits until it is ready (its --ready-file
  // appears). Returns false (with the log in `log()`) when it exits
  // instead, or is not ready within a minute.
  bool Start();
  // Serve on a Unix socket at `path`, as a default installation does.
  void ListenOnUnixSocket(const std::string& path) { listen_ = "unix:" + path; }
  // SIGTERM and wait; returns the exit status.
  int Stop();
  // SIGKILL and wait: a crash.
  void Kill();

  const std::string& address() const { return address_; }
  // The --db given to gongkaid: the file, or the PostgreSQL URL.
  const std::string& db() const { return db_arg_; }
  pid_t pid() const { return pid_; }
  std::string log() const;

  // Runs the gongkai CLI against this daemon as the office head (who may do
  // all case work), as the administrator, or with any token.
  CommandResult Cli(std::vector<std::string> args,
                    const std::string& stdin_text = "") const;
  CommandResult AdminCli(std::vector<std::string> args) const;
  // The language those CLI runs read ("en" unless set; an argument --lang
  // given to one run wins).
  void set_cli_lang(std::string lang) { cli_lang_ = std::move(lang); }
  CommandResult CliAs(const std::string& token, std::vector<std::string> args,
                      const std::string& stdin_text = "") const;
  // Adds a user with `role` and returns its token ("" on failure).
  std::string AddUser(const std::string& name, const std::string& role) const;
  const std::string& admin_token() const { return admin_token_; }
  const std::string& head_token() const { return head_token_; }
  // Starts the CLI against this daemon in the background.
  std::unique_ptr<Background> CliInBackground(
      std::vector<std::string> args) const;
  // Runs the CLI with --json and parses its output (fails the test if the
  // command fails or the output is not JSON).
  Json CliJson(std::vector<std::string> args) const;

 private:
  std::string db_path_;
  std::string db_arg_;  // what --db says: db_path_ or a PostgreSQL URL
  int replica_ = 0;     // a second Daemon on one PostgreSQL schema: 1, ...
  std::string cli_lang_ = "en";
  std::vector<std::string> extra_args_;
  std::string listen_ = "127.0.0.1:0";
  std::string log_path_;
  std::string ready_path_;
  std::string address_;
  std::string admin_token_;
  std::string head_token_;
  pid_t pid_ = -1;
};

}  // namespace gongkai::testing

#endif  // GONGKAI_TESTS_INTEGRATION_HARNESS_H_

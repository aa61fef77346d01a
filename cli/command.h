// The CLI's command table, in the style of grpc_cli: every command is a
// Command with its path ("case new"), its help text, the function that
// declares its options on a CLI::App and the function that runs it. Command
// groups ("case", "admin user") are CommandGroups with their own help text.
// cli.cc builds one CLI11 parser from the table for each RunCli() call.
//
// Handlers get a CommandContext and write to its streams; they never exit the
// process. Nothing here is shared between threads: each RunCli() builds its
// own parser and context.
#ifndef GONGKAI_CLI_COMMAND_H_
#define GONGKAI_CLI_COMMAND_H_

#include <functional>
#include <iosfwd>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/lang.h"
#include "grpcpp/grpcpp.h"

namespace CLI {
class App;
class Option;
}  // namespace CLI

namespace gongkai::cli {

// The options and positional arguments given to one command, read from the
// CLI::App that parsed them. Option names are without the leading "--".
class CommandArgs {
 public:
  CommandArgs() = default;
  explicit CommandArgs(const CLI::App* app);

  // Positional arguments, in the order they were declared and given.
  const std::vector<std::string>& positional() const { return positional_; }
  // True when the option was given (for a flag: when it is set).
  bool Has(absl::string_view name) const;
  // The option's value, or `fallback` when it was not given.
  std::string Get(absl::string_view name,
                  absl::string_view fallback = "") const;
  // Every value of an option that takes several (--children A B C), in the
  // order given; empty when it was not given.
  std::vector<std::string> GetAll(absl::string_view name) const;

 private:
  const CLI::Option* Find(absl::string_view name) const;

  const CLI::App* app_ = nullptr;
  std::vector<std::string> positional_;
};

// A text of the CLI in both languages, written side by side where it is
// made: {"登记新申请", "Log a new application"}. A single string (as older
// code writes) stands for both languages until it is translated; the
// language tests flag it.
struct Text {
  Text() = default;
  Text(std::string zh_text, std::string en_text)
      : zh(std::move(zh_text)), en(std::move(en_text)) {}
  Text(const char* both) : zh(both), en(both) {}         // NOLINT
  Text(const std::string& both) : zh(both), en(both) {}  // NOLINT
  const std::string& In(Lang lang) const { return lang == Lang::kEn ? en : zh; }
  bool empty() const { return zh.empty() && en.empty(); }

  std::string zh, en;
};

// How a Text travels through a CLI11 option description (which holds one
// string): both versions joined by a separator that no text contains, split
// again by the help formatter. A plain description is the same in both.
std::string PackText(const Text& text);
std::string UnpackText(absl::string_view packed, Lang lang);

// A bad command line found by a handler: exit status 2, "用法：" / "usage: "
// before the message.
absl::Status UsageError(absl::string_view zh, absl::string_view en);

// A failure whose JSON answer the handler has already written to standard
// output (report check --json writes its findings, then fails): with --json
// nothing more is printed, so that stdout stays one JSON document; without
// it the message goes to stderr as usual.
absl::Status ReportedInJson(absl::Status status);
bool IsReportedInJson(const absl::Status& status);

// Waits between the attempts of a command that retries (watch). Tests
// replace it with one that returns at once and records the delays.
using Waiter = std::function<void(absl::Duration)>;

// Tells a long-running command (watch) to stop: main() calls Stop() from the
// thread that receives SIGINT and SIGTERM. The command calls Listen() when it
// starts, registers how to cancel its current call with OnStop(), and waits
// with WaitFor() so that a stop ends its wait at once. Thread-safe.
class StopSignal {
 public:
  // From now on a stop is this command's to handle.
  void Listen();
  // Stops: sets the flag, runs the registered cancel and wakes WaitFor().
  // Returns false when no command listens (main() then lets the signal
  // end the process as usual).
  bool Stop();
  bool stopped() const;
  // `cancel` runs on Stop() (at once when already stopped); nullptr clears
  // it. Clearing waits for a cancel that is running.
  void OnStop(std::function<void()> cancel);
  // Waits `d` or until Stop(); true when stopped.
  bool WaitFor(absl::Duration d);

 private:
  mutable absl::Mutex mu_;
  bool listening_ ABSL_GUARDED_BY(mu_) = false;
  bool stopped_ ABSL_GUARDED_BY(mu_) = false;
  std::function<void()> cancel_ ABSL_GUARDED_BY(mu_);
};

struct CommandContext {
  CommandArgs args;   // the command's own options and positionals
  bool json = false;  // global --json
  // The reader's language: --lang, else $GONGKAI_LANG, else Chinese. Sent
  // to gongkaid with every call, which answers in it.
  Lang lang = Lang::kZh;
  std::string lang_option;   // global --lang, as typed
  std::string server;        // where gongkaid is
  std::string user;          // the OS user, sent for the record
  std::string token;         // API token (--token, GONGKAI_TOKEN, token file)
  std::string ca;            // verify the server's certificate with this CA
  std::string cert, key;     // client certificate for mutual TLS
  bool tls = false;          // TLS with the system's CAs
  std::string force_reason;  // global --force-reason: override a period lock
  std::ostream* out = nullptr;
  std::ostream* err = nullptr;
  // How watch waits before reconnecting (on `stop` unless replaced), and
  // what tells it to stop (SIGINT/SIGTERM in main()); both may be empty.
  Waiter wait;
  std::shared_ptr<StopSignal> stop;

  // The text in the reader's language; write both side by side.
  absl::string_view T(absl::string_view zh, absl::string_view en) const {
    return Tr(lang, zh, en);
  }
  // The same as a string, for tables and other containers of strings.
  std::string Ts(absl::string_view zh, absl::string_view en) const {
    return std::string(Tr(lang, zh, en));
  }

  // Checks --server and the TLS options and makes the channel to gongkaid
  // (which connects on first use). Refuses to send the token in plain text
  // to anything but a loopback address or a Unix socket; fails when a
  // certificate or key file cannot be read. RunCli calls it before any
  // command runs.
  absl::Status Connect();
  // The channel Connect() made (made now if Connect() was not called).
  std::shared_ptr<grpc::Channel> Channel();
  // A client context with a deadline, the token and the user metadata.
  std::unique_ptr<grpc::ClientContext> NewCall() const;
  // Adds the token and user metadata to `call`.
  void Authenticate(grpc::ClientContext& call) const;
  // Converts a failed call into a status whose message a clerk can act on
  // (and, for TLS failures, pass on to IT).
  absl::Status CallFailed(const grpc::Status& status) const;

 private:
  std::shared_ptr<grpc::Channel> channel_;
  bool uses_tls_ = false;
};

struct Command {
  std::string path;  // e.g. "case new"
  Text summary;      // one line: the command list and the top of --help
  Text details;      // more text for --help; may be empty
  // Declares the command's options and positionals (see the helpers below).
  std::function<void(CLI::App&)> declare;
  std::function<absl::Status(CommandContext&)> run;
};

// A word that only groups commands ("case", "admin user"). A path may be
// both a group and a Command ("report").
struct CommandGroup {
  std::string path;
  Text summary;
  Text details;
};

// Every command and every group, in the order of the overview.
const std::vector<Command>& CommandTable();
const std::vector<CommandGroup>& CommandGroups();

// Each part of the CLI registers its commands here.
void AddCaseCommands(std::vector<Command>& table);
void AddCalendarCommands(std::vector<Command>& table);
void AddLifecycleCommands(std::vector<Command>& table);
void AddAmendCommands(std::vector<Command>& table);
void AddAlertCommands(std::vector<Command>& table);
void AddReportCommands(std::vector<Command>& table);
void AddAdminCommands(std::vector<Command>& table);
void AddDocumentCommands(std::vector<Command>& table);

// Declaration helpers, so that every option looks the same in --help. `name`
// is without "--"; `value_name` is what --help shows for the value ("DATE").
// Values stay text: handlers check them and say what a valid one looks like.

// --NAME VALUE, optional.
CLI::Option* AddOption(CLI::App& app, const std::string& name,
                       const std::string& value_name, const Text& help);
// --NAME VALUE that must be given.
CLI::Option* AddRequired(CLI::App& app, const std::string& name,
                         const std::string& value_name, const Text& help);
// --NAME without a value.
CLI::Option* AddFlag(CLI::App& app, const std::string& name, const Text& help);
// A required positional argument such as NO or FILE.
CLI::Option* AddPositional(CLI::App& app, const std::string& name,
                           const Text& help);
// One or more positional arguments.
CLI::Option* AddPositionals(CLI::App& app, const std::string& name,
                            const Text& help);

}  // namespace gongkai::cli

#endif  // GONGKAI_CLI_COMMAND_H_

// The CLI's command table: every subcommand is a Command with its path
// ("case new"), its options and a handler. Handlers get a CommandContext and
// write to its streams; they never exit the process.
#ifndef GONGKAI_CLI_COMMAND_H_
#define GONGKAI_CLI_COMMAND_H_

#include <functional>
#include <iosfwd>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "common/args.h"
#include "grpcpp/grpcpp.h"

namespace gongkai::cli {

struct CommandContext {
  ParsedArgs args;           // the command's own options and positionals
  bool json = false;         // global --json
  std::string server;        // where gongkaid is
  std::string user;          // the OS user, sent for the record
  std::string token;         // API token (--token, GONGKAI_TOKEN, token file)
  std::string ca;            // verify the server's certificate with this CA
  std::string cert, key;     // client certificate for mutual TLS
  bool tls = false;          // TLS with the system's CAs
  std::string force_reason;  // global --force-reason: override a period lock
  std::ostream* out = nullptr;
  std::ostream* err = nullptr;

  // The channel to gongkaid, created on first use.
  std::shared_ptr<grpc::Channel> Channel();
  // A client context with a deadline, the token and the user metadata.
  std::unique_ptr<grpc::ClientContext> NewCall() const;
  // Adds the token and user metadata to `call`.
  void Authenticate(grpc::ClientContext& call) const;
  // Converts a failed call into a status whose message a clerk can act on.
  absl::Status CallFailed(const grpc::Status& status) const;

 private:
  std::shared_ptr<grpc::Channel> channel_;
};

struct Command {
  std::string path;     // e.g. "case new"
  std::string usage;    // positional part, e.g. "NO"
  std::string summary;  // one line for the command list
  std::string details;  // more text for --help
  std::vector<FlagSpec> flags;
  size_t min_positional = 0;
  size_t max_positional = 0;
  std::function<absl::Status(CommandContext&)> run;
};

// Each command group registers its commands here.
void AddCaseCommands(std::vector<Command>& table);
void AddCalendarCommands(std::vector<Command>& table);
void AddLifecycleCommands(std::vector<Command>& table);
void AddAlertCommands(std::vector<Command>& table);
void AddReportCommands(std::vector<Command>& table);
void AddAdminCommands(std::vector<Command>& table);

}  // namespace gongkai::cli

#endif  // GONGKAI_CLI_COMMAND_H_

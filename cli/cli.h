// The gongkai command-line client as a library: RunCli() takes the arguments
// and output streams, so tests can drive it without a process, and main() is
// a few lines.
#ifndef GONGKAI_CLI_CLI_H_
#define GONGKAI_CLI_CLI_H_

#include <functional>
#include <iosfwd>
#include <memory>
#include <string>
#include <vector>

#include "absl/time/time.h"

namespace gongkai::cli {

class StopSignal;  // command.h

// Exit statuses.
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailed = 1;       // the server refused or failed
inline constexpr int kExitUsage = 2;        // bad command line
inline constexpr int kExitUnreachable = 3;  // gongkaid not reachable

// What the CLI takes from its environment; main() fills it from the
// process environment, tests set it directly.
struct CliEnvironment {
  std::string server;      // GONGKAI_SERVER
  std::string token;       // GONGKAI_TOKEN
  std::string ca;          // GONGKAI_CA: CA certificate to verify the server
  std::string cert, key;   // GONGKAI_CERT, GONGKAI_KEY: client certificate
  std::string config_dir;  // $XDG_CONFIG_HOME/gongkai or ~/.config/gongkai
  std::string user;        // the OS user, sent for the record
  std::string lang;        // GONGKAI_LANG: zh (the default) or en
  // How `gongkai watch` waits before it reconnects (empty: it sleeps), and
  // whether it has been told to stop (main(): SIGINT or SIGTERM arrived).
  std::function<void(absl::Duration)> wait;
  std::shared_ptr<StopSignal> stop;
};

// Runs one command. `args` excludes the program name.
//
// Everything printed is in the reader's language (--lang, else
// $GONGKAI_LANG, else Chinese). A failure is one line on `err`; with --json
// it is instead one JSON object on `out`, so that a program reading standard
// output always gets JSON: {"error": {"code": "NOT_FOUND", "message": "..."}}
// with the stable status code and the message in the reader's language. The
// exit status is the same either way.
int RunCli(const std::vector<std::string>& args, std::ostream& out,
           std::ostream& err, const CliEnvironment& env);

}  // namespace gongkai::cli

#endif  // GONGKAI_CLI_CLI_H_

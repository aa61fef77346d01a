// The gongkai command-line client as a library: RunCli() takes the arguments
// and output streams, so tests can drive it without a process, and main() is
// a few lines.
#ifndef GONGKAI_CLI_CLI_H_
#define GONGKAI_CLI_CLI_H_

#include <iosfwd>
#include <string>
#include <vector>

namespace gongkai::cli {

// Exit statuses.
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailed = 1;       // the server refused or failed
inline constexpr int kExitUsage = 2;        // bad command line
inline constexpr int kExitUnreachable = 3;  // gongkaid not reachable

// Runs one command. `args` excludes the program name. `server_from_env` is
// the value of GONGKAI_SERVER (empty when unset), `user` the acting user.
int RunCli(const std::vector<std::string>& args, std::ostream& out,
           std::ostream& err, const std::string& server_from_env,
           const std::string& user);

}  // namespace gongkai::cli

#endif  // GONGKAI_CLI_CLI_H_

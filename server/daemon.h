// The gongkaid daemon: parses its flags and config file, opens the store,
// serves the gRPC API until SIGTERM or SIGINT, then shuts down gracefully
// (in-flight calls finish, the database is closed cleanly).
#ifndef GONGKAI_SERVER_DAEMON_H_
#define GONGKAI_SERVER_DAEMON_H_

#include <iosfwd>
#include <string>
#include <vector>

namespace gongkai {

// Runs the daemon with command-line `args` (without the program name).
// Returns the process exit status.
int RunDaemon(const std::vector<std::string>& args, std::ostream& out,
              std::ostream& err);

}  // namespace gongkai

#endif  // GONGKAI_SERVER_DAEMON_H_

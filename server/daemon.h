// The gongkaid daemon: parses its flags and config file (one table of
// options drives both, and --help), opens the store, starts the alert
// scheduler, serves the gRPC API and says so (--ready-file, sd_notify
// READY=1) until SIGTERM or SIGINT, then shuts down gracefully (in-flight
// calls finish, the database is closed cleanly). `--create-admin` adds an
// administrator instead, safely beside a daemon serving the same file.
//
// RunDaemon blocks SIGTERM and SIGINT in the calling thread (and so in
// every thread it starts) to wait for them; call it from main.
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

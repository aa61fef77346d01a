#include <pthread.h>
#include <pwd.h>
#include <signal.h>
#include <unistd.h>

#include <cstdlib>
#include <iostream>
#include <memory>
#include <thread>

#include "cli/cli.h"
#include "cli/command.h"

namespace {

std::string Env(const char* name) {
  const char* v = std::getenv(name);
  return v != nullptr ? v : "";
}

// SIGINT and SIGTERM go to one thread, which tells a command that listens
// (watch) to stop and finish cleanly; for any other command the signal ends
// the process as it always did. Blocked before gRPC starts its threads, so
// that they inherit the mask and only this thread receives them.
std::shared_ptr<gongkai::cli::StopSignal> HandleStopSignals() {
  auto stop = std::make_shared<gongkai::cli::StopSignal>();
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  std::thread([stop, set] {
    int sig = 0;
    if (sigwait(&set, &sig) != 0) return;
    if (stop->Stop()) return;
    signal(sig, SIG_DFL);
    pthread_sigmask(SIG_UNBLOCK, &set, nullptr);
    raise(sig);
  }).detach();
  return stop;
}

}  // namespace

int main(int argc, char** argv) {
  gongkai::cli::CliEnvironment env;
  env.stop = HandleStopSignals();
  env.server = Env("GONGKAI_SERVER");
  env.token = Env("GONGKAI_TOKEN");
  env.ca = Env("GONGKAI_CA");
  env.cert = Env("GONGKAI_CERT");
  env.key = Env("GONGKAI_KEY");
  env.lang = Env("GONGKAI_LANG");
  const std::string xdg = Env("XDG_CONFIG_HOME");
  const std::string home = Env("HOME");
  env.config_dir = !xdg.empty()    ? xdg + "/gongkai"
                   : !home.empty() ? home + "/.config/gongkai"
                                   : "";
  const struct passwd* pw = getpwuid(getuid());
  env.user = pw != nullptr ? pw->pw_name : "unknown";
  const int code =
      gongkai::cli::RunCli(std::vector<std::string>(argv + 1, argv + argc),
                           std::cout, std::cerr, env);
  // Everything the user needs is written; skip tearing down gRPC's threads,
  // which costs tens of milliseconds at every exit.
  std::cout.flush();
  std::cerr.flush();
  std::_Exit(code);
}

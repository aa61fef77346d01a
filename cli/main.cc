#include <pwd.h>
#include <unistd.h>

#include <cstdlib>
#include <iostream>

#include "cli/cli.h"

namespace {

std::string Env(const char* name) {
  const char* v = std::getenv(name);
  return v != nullptr ? v : "";
}

}  // namespace

int main(int argc, char** argv) {
  gongkai::cli::CliEnvironment env;
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

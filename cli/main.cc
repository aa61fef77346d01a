#include <pwd.h>
#include <unistd.h>

#include <cstdlib>
#include <iostream>

#include "cli/cli.h"

int main(int argc, char** argv) {
  const char* server = std::getenv("GONGKAI_SERVER");
  const struct passwd* pw = getpwuid(getuid());
  return gongkai::cli::RunCli(std::vector<std::string>(argv + 1, argv + argc),
                              std::cout, std::cerr, server ? server : "",
                              pw != nullptr ? pw->pw_name : "unknown");
}

#include <iostream>
#include <string>
#include <vector>

#include "server/daemon.h"

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  return gongkai::RunDaemon(args, std::cout, std::cerr);
}

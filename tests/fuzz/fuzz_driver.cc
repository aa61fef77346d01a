// A small stand-in for libFuzzer's driver when the compiler is not clang:
// runs the target on every seed file, then on random mutations of the seeds
// for a fixed time. A crash fails the run. Usage:
//   TARGET CORPUS_DIR [SECONDS]
#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

namespace {

// The input being run, written to ./crash-input if the target crashes.
const std::string* current = nullptr;

void OnCrash(int sig) {
  if (current != nullptr) {
    int fd = open("crash-input", O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd >= 0) {
      (void)!write(fd, current->data(), current->size());
      close(fd);
    }
    const char msg[] = "crash: input written to ./crash-input\n";
    (void)!write(2, msg, sizeof(msg) - 1);
  }
  signal(sig, SIG_DFL);
  raise(sig);
}

void Run(const std::string& input) {
  current = &input;
  LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t*>(input.data()),
                         input.size());
  current = nullptr;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s CORPUS_DIR [SECONDS]\n", argv[0]);
    return 2;
  }
  const double seconds = argc > 2 ? std::atof(argv[2]) : 5;
  std::vector<std::string> seeds;
  for (const auto& entry : std::filesystem::directory_iterator(argv[1])) {
    std::ifstream in(entry.path(), std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    seeds.push_back(s.str());
  }
  if (seeds.empty()) seeds.push_back("");
  for (int sig : {SIGSEGV, SIGABRT, SIGILL, SIGFPE, SIGBUS})
    signal(sig, OnCrash);
  for (const std::string& s : seeds) Run(s);
  std::mt19937_64 rng(std::random_device{}());
  const char* kTokens[] = {
      ",",          "\"",    "\n",   "\r\n",  "\xEF\xBB\xBF",
      "2024-02-30", "year ", "off ", "work ", "自然人",
      "（七）总计", "\xff",  "\x00"};
  const auto deadline =
      std::chrono::steady_clock::now() +
      std::chrono::duration_cast<std::chrono::steady_clock::duration>(
          std::chrono::duration<double>(seconds));
  long runs = 0;
  while (std::chrono::steady_clock::now() < deadline) {
    std::string input = seeds[rng() % seeds.size()];
    const int edits = 1 + static_cast<int>(rng() % 8);
    for (int e = 0; e < edits; ++e) {
      const size_t at = input.empty() ? 0 : rng() % (input.size() + 1);
      switch (rng() % 5) {
        case 0:  // flip a bit
          if (!input.empty())
            input[at % input.size()] ^= static_cast<char>(1 << (rng() % 8));
          break;
        case 1:  // delete a run
          if (!input.empty()) input.erase(at % input.size(), 1 + rng() % 16);
          break;
        case 2:  // insert a token
          input.insert(at,
                       kTokens[rng() % (sizeof(kTokens) / sizeof(kTokens[0]))]);
          break;
        case 3: {  // duplicate a run
          if (input.empty()) break;
          const size_t from = rng() % input.size();
          input.insert(at, input.substr(from, 1 + rng() % 64));
          break;
        }
        default:  // random byte
          input.insert(at, 1, static_cast<char>(rng() & 0xFF));
      }
    }
    Run(input);
    ++runs;
  }
  std::printf("%ld runs, no crash\n", runs);
  return 0;
}

// Fuzz target: the checker for a typed table 3 (report check FILE.csv).
#include <cstddef>
#include <cstdint>
#include <string>

#include "formats/report_layout.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  auto problems = gongkai::CheckTable3Csv(text);
  (void)problems;
  return 0;
}

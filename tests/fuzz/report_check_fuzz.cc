// Fuzz target: the checker of published reports (report check FILE), from
// the bytes of a file through ReadSource to every rule.
#include <cstddef>
#include <cstdint>
#include <string>

#include "published/report_check.h"
#include "published/source_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string bytes(reinterpret_cast<const char*>(data), size);
  auto source = gongkai::published::ReadSource(bytes, "fuzz.csv");
  if (!source.ok()) return 0;
  const auto result = gongkai::published::CheckPublishedReport(*source);
  (void)gongkai::published::CheckSummary(result, gongkai::Lang::kEn);
  (void)gongkai::published::CheckJson(result, gongkai::Lang::kZh).Dump();
  (void)gongkai::published::ToAnnualReport(*source);
  return 0;
}

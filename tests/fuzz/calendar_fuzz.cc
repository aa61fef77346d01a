// Fuzz target: the working-day calendar file parser and the counting on it.
#include <cstddef>
#include <cstdint>
#include <string>

#include "domain/calendar.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  auto cal = gongkai::WorkCalendar::Parse(text, "fuzz");
  if (!cal.ok()) return 0;
  // A parsed calendar round-trips through its text form.
  auto again = gongkai::WorkCalendar::Parse(cal->ToText(), "round trip");
  if (!again.ok() || again->ToText() != cal->ToText()) __builtin_trap();
  for (int y : cal->Years()) {
    auto due = cal->AddWorkingDays(absl::CivilDay(y, 1, 1), 20);
    (void)due;
  }
  return 0;
}

// Fuzz target: the ledger (台账) CSV parser and validator.
#include <cstddef>
#include <cstdint>
#include <string>

#include "formats/ledger.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  auto parsed = gongkai::ParseLedger(text, absl::CivilDay(2024, 6, 30));
  if (parsed.ok()) {
    // Whatever parses must export and parse again.
    std::vector<gongkai::CaseRecord> cases;
    for (const auto& row : parsed->rows) {
      cases.push_back(gongkai::RecordFromLedgerRow(row, absl::UnixEpoch()));
    }
    if (!cases.empty()) {
      auto again = gongkai::ParseLedger(
          gongkai::LedgerCsv(cases, gongkai::LedgerStyle::kLabels),
          absl::CivilDay(2024, 6, 30));
      if (!again.ok() || again->rows.size() != cases.size()) __builtin_trap();
    }
  }
  return 0;
}

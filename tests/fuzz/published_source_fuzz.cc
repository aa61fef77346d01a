// Fuzz target: the readers of published reports (report check FILE). An
// input that starts "<?xml" is packed into a DOCX as word/document.xml, so
// that the fuzzer reaches the table layout instead of stopping at the zip's
// checksums; any other input is given to ReadSource as the file's bytes
// (CSV, text, HTML, or a zip as it is).
//
// Besides not crashing, every Source must keep the readers' promises: each
// grid rectangular, every text UTF-8.
#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/strings/match.h"
#include "common/text_width.h"
#include "documents/zip_package.h"
#include "published/source_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 256 * 1024) return 0;
  std::string bytes(reinterpret_cast<const char*>(data), size);
  if (absl::StartsWith(bytes, "<?xml")) {
    gongkai::documents::Package p;
    p.Put("[Content_Types].xml", "<Types/>");
    p.Put("word/document.xml", std::move(bytes));
    auto docx = gongkai::documents::WritePackage(p);
    if (!docx.ok()) return 0;
    bytes = std::move(*docx);
  }
  auto source = gongkai::published::ReadSource(bytes, "fuzz");
  if (!source.ok()) return 0;
  if (!gongkai::IsValidUtf8(source->text)) __builtin_trap();
  for (const auto& grid : source->tables) {
    if (!gongkai::IsValidUtf8(grid.caption)) __builtin_trap();
    for (const auto& row : grid.rows) {
      if (row.size() != grid.rows[0].size()) __builtin_trap();
      for (const auto& cell : row) {
        if (!gongkai::IsValidUtf8(cell.text)) __builtin_trap();
      }
    }
  }
  return 0;
}

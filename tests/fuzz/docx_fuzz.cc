// Fuzz target: a template's body as an office might upload it (doc
// templates load). The input is word/document.xml; it is packed into a DOCX
// and listed, filled, read back and rendered to PDF. Fuzzing the XML rather
// than the zip bytes reaches the placeholder and layout code instead of
// stopping at the zip's checksums.
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>

#include "documents/documents.h"
#include "documents/docx_model.h"
#include "documents/zip_package.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace gongkai::documents;
  if (size > 64 * 1024) return 0;
  Package p;
  p.Put("word/document.xml",
        std::string(reinterpret_cast<const char*>(data), size));
  const std::string docx = *WritePackage(p);
  auto names = ListPlaceholders(docx);
  if (!names.ok()) return 0;
  std::map<std::string, std::string> values;
  for (const std::string& n : *names) values[n] = "值\n<&>" + n;
  auto filled = FillTemplate(docx, values);
  if (!filled.ok()) __builtin_trap();  // every listed name has a value
  auto again = ListPlaceholders(*filled);
  if (!again.ok()) __builtin_trap();  // our output must re-open
  (void)ReadDocx(*filled);
  (void)DocxToPdf(*filled);
  return 0;
}

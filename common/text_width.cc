#include "common/text_width.h"

#include <utf8proc.h>

#include <cstdint>

namespace gongkai {
namespace {

constexpr utf8proc_int32_t kReplacement = 0xFFFD;

// Decodes the code point at text[*pos] and moves past it. utf8proc rejects
// overlong forms, surrogates and anything above U+10FFFF; such bytes decode
// one at a time as U+FFFD, which is also how terminals show them.
utf8proc_int32_t NextCodePoint(absl::string_view text, size_t* pos) {
  utf8proc_int32_t cp;
  const utf8proc_ssize_t len = utf8proc_iterate(
      reinterpret_cast<const utf8proc_uint8_t*>(text.data() + *pos),
      static_cast<utf8proc_ssize_t>(text.size() - *pos), &cp);
  if (len <= 0) {
    ++*pos;
    return kReplacement;
  }
  *pos += static_cast<size_t>(len);
  return cp;
}

// Columns per code point from utf8proc's Unicode tables: 2 for East Asian
// wide and fullwidth characters (CJK, kana, Hangul, fullwidth punctuation,
// emoji), 0 for controls, combining marks and zero-width format characters,
// 1 for the rest. Ambiguous-width characters such as curly quotes and "…"
// count 1, as in the default of most Chinese terminals.
int CodePointWidth(utf8proc_int32_t cp) { return utf8proc_charwidth(cp); }

}  // namespace

int DisplayWidth(absl::string_view text) {
  int width = 0;
  size_t pos = 0;
  while (pos < text.size()) width += CodePointWidth(NextCodePoint(text, &pos));
  return width;
}

std::string TruncateToWidth(absl::string_view text, int max_columns) {
  if (DisplayWidth(text) <= max_columns) return std::string(text);
  std::string out;
  int width = 0;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t start = pos;
    utf8proc_int32_t cp = NextCodePoint(text, &pos);
    if (cp == '\n' || cp == '\r' || cp == '\t') {
      // A cut cell stays on one line.
      if (width + 1 > max_columns - 1) break;
      out.push_back(' ');
      width += 1;
      continue;
    }
    int w = CodePointWidth(cp);
    if (width + w > max_columns - 1) break;
    out.append(text.data() + start, pos - start);
    width += w;
  }
  out.append("…");
  return out;
}

std::string PadRight(absl::string_view text, int columns) {
  std::string out(text);
  int w = DisplayWidth(text);
  if (w < columns) out.append(static_cast<size_t>(columns - w), ' ');
  return out;
}

std::string PadLeft(absl::string_view text, int columns) {
  int w = DisplayWidth(text);
  std::string out;
  if (w < columns) out.append(static_cast<size_t>(columns - w), ' ');
  out.append(text.data(), text.size());
  return out;
}

bool IsValidUtf8(absl::string_view text) {
  size_t pos = 0;
  while (pos < text.size()) {
    utf8proc_int32_t cp;
    const utf8proc_ssize_t len = utf8proc_iterate(
        reinterpret_cast<const utf8proc_uint8_t*>(text.data() + pos),
        static_cast<utf8proc_ssize_t>(text.size() - pos), &cp);
    if (len <= 0) return false;
    pos += static_cast<size_t>(len);
  }
  return true;
}

}  // namespace gongkai

#include "common/text_width.h"

#include <cstdint>

namespace gongkai {
namespace {

// Decodes one code point at text[*pos]; invalid bytes decode as U+FFFD.
uint32_t NextCodePoint(absl::string_view text, size_t* pos) {
  unsigned char c = static_cast<unsigned char>(text[*pos]);
  int len = c < 0x80           ? 1
            : (c >> 5) == 0x6  ? 2
            : (c >> 4) == 0xE  ? 3
            : (c >> 3) == 0x1E ? 4
                               : 0;
  if (len == 0 || *pos + len > text.size()) {
    ++*pos;
    return 0xFFFD;
  }
  uint32_t cp = len == 1   ? c
                : len == 2 ? (c & 0x1F)
                : len == 3 ? (c & 0x0F)
                           : (c & 0x07);
  for (int i = 1; i < len; ++i) {
    unsigned char cc = static_cast<unsigned char>(text[*pos + i]);
    if ((cc >> 6) != 0x2) {
      ++*pos;
      return 0xFFFD;
    }
    cp = (cp << 6) | (cc & 0x3F);
  }
  *pos += len;
  return cp;
}

int CodePointWidth(uint32_t cp) {
  if (cp == 0) return 0;
  if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0)) return 0;
  if (cp >= 0x300 && cp < 0x370) return 0;  // combining marks
  // East Asian wide and fullwidth ranges.
  if ((cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0x303E) ||
      (cp >= 0x3041 && cp <= 0x33FF) || (cp >= 0x3400 && cp <= 0x4DBF) ||
      (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0xA000 && cp <= 0xA4CF) ||
      (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF) ||
      (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60) ||
      (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x20000 && cp <= 0x3FFFD)) {
    return 2;
  }
  // Curly quotes and the ellipsis are narrow in most Chinese terminals'
  // default.
  return 1;
}

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
    uint32_t cp = NextCodePoint(text, &pos);
    if (cp == '\n' || cp == '\r' || cp == '\t') {
      cp = ' ';
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
    unsigned char c = static_cast<unsigned char>(text[pos]);
    size_t before = pos;
    uint32_t cp = NextCodePoint(text, &pos);
    if (cp == 0xFFFD && !(c == 0xEF && pos - before == 3)) return false;
    if (cp >= 0xD800 && cp <= 0xDFFF) return false;
  }
  return true;
}

}  // namespace gongkai

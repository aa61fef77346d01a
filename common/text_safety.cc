#include "common/text_safety.h"

#include <utf8proc.h>

#include "absl/strings/str_format.h"

namespace gongkai {
namespace {

// Decodes the code point at text[*pos] and moves past it; -1 (and one byte)
// for a byte that does not start a well-formed sequence. utf8proc rejects
// overlong forms, surrogates and anything above U+10FFFF, the rule protobuf
// applies.
int32_t Next(absl::string_view text, size_t* pos) {
  utf8proc_int32_t cp;
  const utf8proc_ssize_t len = utf8proc_iterate(
      reinterpret_cast<const utf8proc_uint8_t*>(text.data() + *pos),
      static_cast<utf8proc_ssize_t>(text.size() - *pos), &cp);
  if (len <= 0) {
    ++*pos;
    return -1;
  }
  *pos += static_cast<size_t>(len);
  return cp;
}

constexpr absl::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

void AppendEscape(std::string* out, char32_t cp) {
  if (cp < 0x100) {
    absl::StrAppendFormat(out, "\\x%02x", static_cast<unsigned>(cp));
  } else {
    absl::StrAppendFormat(out, "\\u%04x", static_cast<unsigned>(cp));
  }
}

}  // namespace

bool IsUnsafeCodePoint(char32_t cp) {
  return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || cp == 0x2028 ||
         cp == 0x2029 || (cp >= 0x202A && cp <= 0x202E) ||
         (cp >= 0x2066 && cp <= 0x2069);
}

std::string ReplaceInvalidUtf8(absl::string_view text) {
  std::string out;
  out.reserve(text.size());
  size_t pos = 0;
  while (pos < text.size()) {
    const size_t start = pos;
    if (Next(text, &pos) < 0) {
      out.append(kReplacement.data(), kReplacement.size());
    } else {
      out.append(text.data() + start, pos - start);
    }
  }
  return out;
}

std::string SafeForTerminal(absl::string_view text, bool keep_newlines) {
  std::string out;
  out.reserve(text.size());
  size_t pos = 0;
  while (pos < text.size()) {
    const size_t start = pos;
    const int32_t cp = Next(text, &pos);
    if (cp < 0) {
      out.append(kReplacement.data(), kReplacement.size());
    } else if (keep_newlines && (cp == '\n' || cp == '\t')) {
      out.push_back(static_cast<char>(cp));
    } else if (IsUnsafeCodePoint(static_cast<char32_t>(cp))) {
      AppendEscape(&out, static_cast<char32_t>(cp));
    } else {
      out.append(text.data() + start, pos - start);
    }
  }
  return out;
}

std::string EscapeForLog(absl::string_view text) {
  std::string out;
  out.reserve(text.size());
  size_t pos = 0;
  while (pos < text.size()) {
    const size_t start = pos;
    const int32_t cp = Next(text, &pos);
    if (cp < 0) {
      absl::StrAppendFormat(&out, "\\x%02x",
                            static_cast<unsigned char>(text[start]));
    } else if (cp == '\\') {
      out.append("\\\\");
    } else if (cp == '\n') {
      out.append("\\n");
    } else if (cp == '\r') {
      out.append("\\r");
    } else if (cp == '\t') {
      out.append("\\t");
    } else if (IsUnsafeCodePoint(static_cast<char32_t>(cp))) {
      AppendEscape(&out, static_cast<char32_t>(cp));
    } else {
      out.append(text.data() + start, pos - start);
    }
  }
  return out;
}

}  // namespace gongkai

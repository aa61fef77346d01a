// The text encodings a spreadsheet saves CSV in, and turning them into
// UTF-8. Excel on Chinese Windows saves "CSV (逗号分隔)" in the ANSI code
// page, GBK (code page 936); "CSV UTF-8" has a byte-order mark; WPS and
// LibreOffice write UTF-8. GB18030 is a superset of GBK (and of GB2312), so
// a file that is not UTF-8 is read as GB18030 by glibc's iconv.
//
// "Unicode text" (Excel's 文本文件（制表符分隔）and what Notepad calls
// "Unicode") is UTF-16, little-endian with a byte-order mark; some tools
// write it without the mark. Text that is mostly ASCII (digits, commas, line
// ends) has a NUL byte in every other position in UTF-16, never in UTF-8 or
// GB18030, so that pattern identifies UTF-16 without a mark.
//
// Why UTF-8 first: a GBK text is almost never valid UTF-8 (its two-byte
// characters rarely form UTF-8 sequences), while a UTF-8 text read as GBK
// would turn silently into other characters.
//
// Pure functions; each call opens its own iconv descriptor, so they are safe
// from any thread.
#ifndef GONGKAI_FORMATS_TEXT_ENCODING_H_
#define GONGKAI_FORMATS_TEXT_ENCODING_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/lang.h"

namespace gongkai {

enum class TextEncoding {
  kUtf8,     // UTF-8 without a byte-order mark
  kUtf8Bom,  // UTF-8 with a byte-order mark ("CSV UTF-8")
  kGb18030,  // GB18030, and so GBK and GB2312
  kUtf16Le,  // UTF-16 little-endian (with or without a byte-order mark)
  kUtf16Be,  // UTF-16 big-endian (with or without a byte-order mark)
};

struct DecodedText {
  std::string text;  // UTF-8, without a byte-order mark
  TextEncoding encoding = TextEncoding::kUtf8;
};

// The text of `bytes` as UTF-8: UTF-16 (a byte-order mark, or the NUL-byte
// pattern) converted, valid UTF-8 (with or without a byte-order mark) as it
// is, anything else converted from GB18030. INVALID_ARGUMENT, naming the
// line, when the bytes are none of these.
absl::StatusOr<DecodedText> DecodeSpreadsheetText(absl::string_view bytes);

// `bytes` converted from `charset` (an iconv name, e.g. "BIG5") to UTF-8.
// INVALID_ARGUMENT when iconv does not know the charset or the bytes are
// not in it. For a declared charset (an HTML page's <meta>) that is not one
// DecodeSpreadsheetText recognises by itself.
absl::StatusOr<std::string> DecodeCharset(absl::string_view bytes,
                                          absl::string_view charset);

// `utf8` in GB18030 (what Excel on Chinese Windows writes), for exports an
// office opens in an old Excel and for tests. INVALID_ARGUMENT when `utf8` is
// not UTF-8.
absl::StatusOr<std::string> EncodeGb18030(absl::string_view utf8);

// The encoding's name for a reader: "UTF-8", "UTF-8（带 BOM）",
// "GB18030（GBK）", "UTF-16LE" / "UTF-8 with BOM", "GB18030 (GBK)".
std::string EncodingName(TextEncoding encoding, Lang lang);
// A stable code for JSON and the wire: "utf-8", "utf-8-bom", "gb18030",
// "utf-16le", "utf-16be".
absl::string_view EncodingCode(TextEncoding encoding);

}  // namespace gongkai

#endif  // GONGKAI_FORMATS_TEXT_ENCODING_H_

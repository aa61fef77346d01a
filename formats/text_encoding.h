// The text encodings a spreadsheet saves CSV in, and turning them into
// UTF-8. Excel on Chinese Windows saves "CSV (逗号分隔)" in the ANSI code
// page, GBK (code page 936); "CSV UTF-8" has a byte-order mark; WPS and
// LibreOffice write UTF-8. GB18030 is a superset of GBK (and of GB2312), so
// a file that is not UTF-8 is read as GB18030 by glibc's iconv.
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
};

struct DecodedText {
  std::string text;  // UTF-8, without a byte-order mark
  TextEncoding encoding = TextEncoding::kUtf8;
};

// The text of `bytes` as UTF-8: valid UTF-8 (with or without a byte-order
// mark) as it is, anything else converted from GB18030. INVALID_ARGUMENT,
// naming the line, when the bytes are neither.
absl::StatusOr<DecodedText> DecodeSpreadsheetText(absl::string_view bytes);

// `utf8` in GB18030 (what Excel on Chinese Windows writes), for exports an
// office opens in an old Excel and for tests. INVALID_ARGUMENT when `utf8` is
// not UTF-8.
absl::StatusOr<std::string> EncodeGb18030(absl::string_view utf8);

// The encoding's name for a reader: "UTF-8", "UTF-8（带 BOM）",
// "GB18030（GBK）" / "UTF-8 with BOM", "GB18030 (GBK)".
std::string EncodingName(TextEncoding encoding, Lang lang);
// A stable code for JSON and the wire: "utf-8", "utf-8-bom", "gb18030".
absl::string_view EncodingCode(TextEncoding encoding);

}  // namespace gongkai

#endif  // GONGKAI_FORMATS_TEXT_ENCODING_H_

#include "formats/text_encoding.h"

#include <errno.h>
#include <iconv.h>

#include <algorithm>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/text_width.h"
#include "formats/csv.h"

namespace gongkai {
namespace {

// Converts all of `in` with iconv; on an invalid or incomplete sequence
// returns its byte offset in `bad_at` and false.
bool Convert(const char* to, const char* from, absl::string_view in,
             std::string* out, size_t* bad_at) {
  iconv_t cd = iconv_open(to, from);
  if (cd == reinterpret_cast<iconv_t>(-1)) {
    *bad_at = 0;
    return false;
  }
  out->clear();
  // Chinese text grows by half from GB18030 to UTF-8 (2 bytes -> 3).
  out->resize(in.size() + in.size() / 2 + 16);
  char* src = const_cast<char*>(in.data());
  size_t src_left = in.size();
  size_t written = 0;
  bool ok = true;
  while (src_left > 0) {
    char* dst = out->data() + written;
    size_t dst_left = out->size() - written;
    size_t r = iconv(cd, &src, &src_left, &dst, &dst_left);
    written = out->size() - dst_left;
    if (r != static_cast<size_t>(-1)) continue;
    if (errno == E2BIG) {
      out->resize(out->size() * 2);
      continue;
    }
    ok = false;  // EILSEQ or EINVAL
    *bad_at = in.size() - src_left;
    break;
  }
  iconv_close(cd);
  out->resize(written);
  return ok;
}

// UTF-16 by its byte-order mark or, without one, by where its NUL bytes
// fall: the high byte of every ASCII character. Text in UTF-8 or GB18030
// never holds a NUL byte, so a file with NULs on one side only (and a
// fair number of them) is UTF-16 on that side.
bool LooksLikeUtf16(absl::string_view bytes, TextEncoding* encoding,
                    bool* bom) {
  *bom = false;
  if (absl::StartsWith(bytes, "\xFF\xFE")) {
    *encoding = TextEncoding::kUtf16Le;
    *bom = true;
    return true;
  }
  if (absl::StartsWith(bytes, "\xFE\xFF")) {
    *encoding = TextEncoding::kUtf16Be;
    *bom = true;
    return true;
  }
  const size_t pairs = std::min<size_t>(bytes.size(), 1 << 16) / 2;
  if (pairs == 0) return false;
  size_t nul_even = 0, nul_odd = 0;
  for (size_t i = 0; i < pairs; ++i) {
    if (bytes[2 * i] == '\0') ++nul_even;
    if (bytes[2 * i + 1] == '\0') ++nul_odd;
  }
  // At least one character in eight ASCII, and NULs on one side only (a
  // Chinese character such as U+4E00 has a NUL low byte now and then).
  const size_t needed = std::max<size_t>(1, pairs / 8);
  if (nul_odd >= needed && nul_even * 8 <= nul_odd) {
    *encoding = TextEncoding::kUtf16Le;
    return true;
  }
  if (nul_even >= needed && nul_odd * 8 <= nul_even) {
    *encoding = TextEncoding::kUtf16Be;
    return true;
  }
  return false;
}

absl::Status NotText(absl::string_view bytes, size_t bad_at,
                     absl::string_view zh_what, absl::string_view en_what) {
  const int line = 1 + static_cast<int>(std::count(
                           bytes.begin(), bytes.begin() + bad_at, '\n'));
  return LocalizedError(
      absl::StatusCode::kInvalidArgument,
      absl::StrCat(zh_what, "（第 ", line,
                   " 行有无法识别的字节）；请以“CSV UTF-8”格式保存后再试"),
      absl::StrCat(en_what, " (line ", line,
                   " has bytes that cannot be read); save it as \"CSV UTF-8\" "
                   "and try again"));
}

}  // namespace

absl::StatusOr<DecodedText> DecodeSpreadsheetText(absl::string_view bytes) {
  DecodedText out;
  bool bom = false;
  if (LooksLikeUtf16(bytes, &out.encoding, &bom)) {
    if (bom) bytes.remove_prefix(2);
    const bool le = out.encoding == TextEncoding::kUtf16Le;
    size_t bad_at = 0;
    if (bytes.size() % 2 != 0 || !Convert("UTF-8", le ? "UTF-16LE" : "UTF-16BE",
                                          bytes, &out.text, &bad_at)) {
      if (bytes.size() % 2 != 0) bad_at = bytes.size() - 1;
      // Lines counted on the UTF-16 text: a line feed is one 16-bit unit.
      size_t line = 1;
      for (size_t i = 0; i + 1 < bad_at; i += 2) {
        if ((le ? bytes[i] : bytes[i + 1]) == '\n' &&
            (le ? bytes[i + 1] : bytes[i]) == '\0') {
          ++line;
        }
      }
      return LocalizedError(
          absl::StatusCode::kInvalidArgument,
          absl::StrCat("文件看来是 UTF-16 文本，但第 ", line,
                       " 行有不成对或不完整的字节；请以“CSV UTF-8”格式保存后"
                       "再试"),
          absl::StrCat("the file looks like UTF-16 text but line ", line,
                       " has unpaired or incomplete bytes; save it as \"CSV "
                       "UTF-8\" and try again"));
    }
    // A mark written twice, or one the converter kept, is not text.
    if (absl::StartsWith(out.text, kUtf8Bom)) out.text.erase(0, 3);
    return out;
  }
  if (absl::StartsWith(bytes, kUtf8Bom)) {
    bytes.remove_prefix(3);
    out.encoding = TextEncoding::kUtf8Bom;
  }
  if (IsValidUtf8(bytes)) {
    out.text = std::string(bytes);
    return out;
  }
  if (out.encoding == TextEncoding::kUtf8Bom) {
    // A byte-order mark promises UTF-8; a bad byte after it is damage, not
    // another encoding.
    return LocalizedError(
        absl::StatusCode::kInvalidArgument,
        "文件以 UTF-8 标记开头，但其中有不是 UTF-8 的字节；请重新以“CSV "
        "UTF-8”格式保存后再试",
        "the file starts with a UTF-8 byte-order mark but holds bytes that "
        "are not UTF-8; save it again as \"CSV UTF-8\" and try again");
  }
  size_t bad_at = 0;
  if (!Convert("UTF-8", "GB18030", bytes, &out.text, &bad_at)) {
    return NotText(bytes, bad_at,
                   "文件既不是 UTF-8、UTF-16 也不是 GBK/GB18030 文本",
                   "the file is neither UTF-8, UTF-16 nor GBK/GB18030 text");
  }
  out.encoding = TextEncoding::kGb18030;
  return out;
}

absl::StatusOr<std::string> DecodeCharset(absl::string_view bytes,
                                          absl::string_view charset) {
  const std::string from(charset);
  std::string out;
  size_t bad_at = 0;
  if (!Convert("UTF-8", from.c_str(), bytes, &out, &bad_at)) {
    return NotText(bytes, bad_at,
                   absl::StrCat("文件不是它声明的 ", charset, " 编码文本"),
                   absl::StrCat("the file is not text in the ", charset,
                                " encoding it declares"));
  }
  return out;
}

absl::StatusOr<std::string> EncodeGb18030(absl::string_view utf8) {
  std::string out;
  size_t bad_at = 0;
  if (!IsValidUtf8(utf8) || !Convert("GB18030", "UTF-8", utf8, &out, &bad_at)) {
    return LocalizedError(absl::StatusCode::kInvalidArgument,
                          "文本不是 UTF-8，无法转换为 GB18030",
                          "the text is not UTF-8 and cannot be converted to "
                          "GB18030");
  }
  return out;
}

std::string EncodingName(TextEncoding encoding, Lang lang) {
  switch (encoding) {
    case TextEncoding::kUtf8:
      return "UTF-8";
    case TextEncoding::kUtf8Bom:
      return std::string(Tr(lang, "UTF-8（带 BOM）", "UTF-8 with BOM"));
    case TextEncoding::kGb18030:
      return std::string(Tr(lang, "GB18030（GBK）", "GB18030 (GBK)"));
    case TextEncoding::kUtf16Le:
      return "UTF-16LE";
    case TextEncoding::kUtf16Be:
      return "UTF-16BE";
  }
  return "UTF-8";
}

absl::string_view EncodingCode(TextEncoding encoding) {
  switch (encoding) {
    case TextEncoding::kUtf8:
      return "utf-8";
    case TextEncoding::kUtf8Bom:
      return "utf-8-bom";
    case TextEncoding::kGb18030:
      return "gb18030";
    case TextEncoding::kUtf16Le:
      return "utf-16le";
    case TextEncoding::kUtf16Be:
      return "utf-16be";
  }
  return "utf-8";
}

}  // namespace gongkai

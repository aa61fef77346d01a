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

}  // namespace

absl::StatusOr<DecodedText> DecodeSpreadsheetText(absl::string_view bytes) {
  DecodedText out;
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
    const int line = 1 + static_cast<int>(std::count(
                             bytes.begin(), bytes.begin() + bad_at, '\n'));
    return LocalizedError(
        absl::StatusCode::kInvalidArgument,
        absl::StrCat("文件既不是 UTF-8 也不是 GBK/GB18030 文本（第 ", line,
                     " 行有无法识别的字节）；请以“CSV UTF-8”格式保存后再试"),
        absl::StrCat("the file is neither UTF-8 nor GBK/GB18030 text (line ",
                     line,
                     " has bytes that are neither); save it as \"CSV UTF-8\" "
                     "and try again"));
  }
  out.encoding = TextEncoding::kGb18030;
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
  }
  return "utf-8";
}

}  // namespace gongkai

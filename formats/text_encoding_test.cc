#include "formats/text_encoding.h"

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace gongkai {
namespace {

using ::testing::HasSubstr;

// 张三 in GBK.
constexpr char kZhangSanGbk[] = "\xD5\xC5\xC8\xFD";

TEST(TextEncodingTest, Utf8WithAndWithoutBom) {
  auto plain = DecodeSpreadsheetText("申请人,张三\n");
  ASSERT_TRUE(plain.ok());
  EXPECT_EQ(plain->encoding, TextEncoding::kUtf8);
  EXPECT_EQ(plain->text, "申请人,张三\n");
  auto bom = DecodeSpreadsheetText("\xEF\xBB\xBF张三");
  ASSERT_TRUE(bom.ok());
  EXPECT_EQ(bom->encoding, TextEncoding::kUtf8Bom);
  EXPECT_EQ(bom->text, "张三");
  auto empty = DecodeSpreadsheetText("");
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(empty->text, "");
}

TEST(TextEncodingTest, GbkIsReadAsGb18030) {
  auto r = DecodeSpreadsheetText(std::string("name,") + kZhangSanGbk + "\r\n");
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->encoding, TextEncoding::kGb18030);
  EXPECT_EQ(r->text, "name,张三\r\n");
  // GB18030 reaches beyond GBK: 𠀀 (U+20000) has a four-byte code.
  auto four = EncodeGb18030("𠀀〔2023〕");
  ASSERT_TRUE(four.ok());
  auto back = DecodeSpreadsheetText(*four);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->text, "𠀀〔2023〕");
}

TEST(TextEncodingTest, EncodeThenDecodeIsTheSameText) {
  const std::string text =
      "申请编号,收到日期\r\n驻公信〔2023〕47号,2023-03-06\r\n";
  auto gbk = EncodeGb18030(text);
  ASSERT_TRUE(gbk.ok());
  EXPECT_NE(*gbk, text);
  auto back = DecodeSpreadsheetText(*gbk);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->encoding, TextEncoding::kGb18030);
  EXPECT_EQ(back->text, text);
}

TEST(TextEncodingTest, NeitherEncodingNamesTheLine) {
  // A lead byte of GB18030 followed by a byte it cannot have, on line 3.
  auto r = DecodeSpreadsheetText(std::string("a\nb\n") + "\x81\x20" + "\n");
  EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(r.status().message(), HasSubstr("第 3 行"));
  EXPECT_THAT(MessageIn(r.status(), Lang::kEn), HasSubstr("line 3"));
  // A byte-order mark promises UTF-8: no guessing after it.
  auto bom = DecodeSpreadsheetText(std::string("\xEF\xBB\xBF") + kZhangSanGbk);
  EXPECT_THAT(MessageIn(bom.status(), Lang::kEn), HasSubstr("byte-order mark"));
  EXPECT_FALSE(EncodeGb18030("\xff").ok());
}

// `utf8` in UTF-16 through iconv, as Excel's "Unicode text" writes it.
std::string Utf16(absl::string_view utf8, bool little_endian, bool bom) {
  std::string out;
  if (bom) out = little_endian ? "\xFF\xFE" : "\xFE\xFF";
  for (size_t i = 0; i < utf8.size();) {
    // Decodes one UTF-8 sequence (the test texts are BMP only).
    unsigned char c = utf8[i];
    uint32_t cp = c;
    int n = 1;
    if (c >= 0xE0) {
      cp = ((c & 0x0F) << 12) | ((utf8[i + 1] & 0x3F) << 6) |
           (utf8[i + 2] & 0x3F);
      n = 3;
    } else if (c >= 0xC0) {
      cp = ((c & 0x1F) << 6) | (utf8[i + 1] & 0x3F);
      n = 2;
    }
    i += n;
    const char hi = static_cast<char>(cp >> 8), lo = static_cast<char>(cp);
    out.push_back(little_endian ? lo : hi);
    out.push_back(little_endian ? hi : lo);
  }
  return out;
}

TEST(TextEncodingTest, Utf16WithAndWithoutByteOrderMark) {
  const std::string text = "申请人\t总计\r\n自然人\t47\r\n";
  for (bool le : {true, false}) {
    for (bool bom : {true, false}) {
      SCOPED_TRACE(absl::StrCat(le ? "LE" : "BE", bom ? " with BOM" : ""));
      auto r = DecodeSpreadsheetText(Utf16(text, le, bom));
      ASSERT_TRUE(r.ok()) << r.status();
      EXPECT_EQ(r->text, text);
      EXPECT_EQ(r->encoding,
                le ? TextEncoding::kUtf16Le : TextEncoding::kUtf16Be);
    }
  }
  EXPECT_EQ(EncodingCode(TextEncoding::kUtf16Le), "utf-16le");
  EXPECT_EQ(EncodingName(TextEncoding::kUtf16Be, Lang::kZh), "UTF-16BE");
}

TEST(TextEncodingTest, DamagedUtf16NamesTheLine) {
  // An odd byte at the end of line 2: half a character.
  std::string bytes = Utf16("a\nb\n", true, true) + "c";
  auto r = DecodeSpreadsheetText(bytes);
  EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(r.status().message(), HasSubstr("UTF-16"));
  EXPECT_THAT(MessageIn(r.status(), Lang::kEn), HasSubstr("line 3"));
  // A lone low surrogate is not UTF-16.
  auto lone = DecodeSpreadsheetText(std::string("\xFF\xFE\x00\xDC", 4));
  EXPECT_FALSE(lone.ok());
}

TEST(TextEncodingTest, DeclaredCharset) {
  // 张三 in Big5.
  auto big5 = DecodeCharset("\xB1\x69\xA4\x54", "BIG5");
  ASSERT_TRUE(big5.ok()) << big5.status();
  EXPECT_EQ(*big5, "張三");
  EXPECT_FALSE(DecodeCharset("abc", "NO-SUCH-CHARSET").ok());
}

TEST(TextEncodingTest, NamesAndCodes) {
  EXPECT_EQ(EncodingName(TextEncoding::kGb18030, Lang::kZh), "GB18030（GBK）");
  EXPECT_EQ(EncodingName(TextEncoding::kGb18030, Lang::kEn), "GB18030 (GBK)");
  EXPECT_EQ(EncodingName(TextEncoding::kUtf8Bom, Lang::kZh), "UTF-8（带 BOM）");
  EXPECT_EQ(EncodingCode(TextEncoding::kUtf8), "utf-8");
  EXPECT_EQ(EncodingCode(TextEncoding::kGb18030), "gb18030");
}

}  // namespace
}  // namespace gongkai

#include "common/text_width.h"

#include <string>

#include "gtest/gtest.h"

namespace gongkai {
namespace {

TEST(TextWidthTest, CjkIsDoubleWidth) {
  EXPECT_EQ(DisplayWidth("abc"), 3);
  EXPECT_EQ(DisplayWidth("自然人"), 6);
  EXPECT_EQ(DisplayWidth("（一）予以公开"), 14);
  EXPECT_EQ(PadRight("自然人", 8), "自然人  ");
  EXPECT_EQ(PadLeft("47", 4), "  47");
}

TEST(TextWidthTest, Truncate) {
  EXPECT_EQ(TruncateToWidth("short", 10), "short");
  std::string cut = TruncateToWidth("请提供本市二〇二三年道路维修预算", 10);
  EXPECT_LE(DisplayWidth(cut), 10);
  EXPECT_EQ(cut, "请提供本…");
  EXPECT_EQ(TruncateToWidth("a\nb c d e f g", 6), "a b c…");
}

TEST(TextWidthTest, CombiningAndZeroWidthTakeNoColumn) {
  EXPECT_EQ(DisplayWidth("e\u0301"), 1);         // e + combining acute
  EXPECT_EQ(DisplayWidth("a\u20DD"), 1);         // enclosing circle
  EXPECT_EQ(DisplayWidth("か\u3099"), 2);        // kana + voiced mark
  EXPECT_EQ(DisplayWidth("a\u200Bb\uFEFF"), 2);  // zero-width space, BOM
  EXPECT_EQ(DisplayWidth("\x1b[1m"), 3);         // ESC itself is 0
  EXPECT_EQ(DisplayWidth(std::string("a\0b", 3)), 2);
}

TEST(TextWidthTest, WideAndNarrowBeyondCjk) {
  EXPECT_EQ(DisplayWidth("\U0001F600"), 2);  // emoji
  EXPECT_EQ(DisplayWidth("！（）"), 6);      // fullwidth punctuation
  EXPECT_EQ(DisplayWidth("\u3000"), 2);      // ideographic space
  EXPECT_EQ(DisplayWidth("한국어"), 6);
  EXPECT_EQ(DisplayWidth("ｶﾀｶﾅ"), 4);        // halfwidth katakana
  EXPECT_EQ(DisplayWidth("\U00020000"), 2);  // CJK extension B
  // Ambiguous width counts 1, the default of Chinese terminals.
  EXPECT_EQ(DisplayWidth("“引号”…"), 7);
  // Each byte that is not UTF-8 shows as one U+FFFD.
  EXPECT_EQ(DisplayWidth("\xFF"), 1);
  EXPECT_EQ(DisplayWidth("\xC0\xAF"), 2);
}

TEST(TextWidthTest, TruncateCountsWideAndZeroWidth) {
  EXPECT_EQ(TruncateToWidth("\U0001F600\U0001F600\U0001F600", 4),
            "\U0001F600…");
  // A combining mark stays with the letter before it.
  EXPECT_EQ(TruncateToWidth("e\u0301e\u0301e\u0301", 2), "e\u0301…");
  EXPECT_EQ(TruncateToWidth("e\u0301e\u0301", 2), "e\u0301e\u0301");
}

TEST(TextWidthTest, Utf8Validation) {
  EXPECT_TRUE(IsValidUtf8(""));
  EXPECT_TRUE(IsValidUtf8("公开 ok"));
  EXPECT_TRUE(IsValidUtf8("\xEF\xBF\xBD"));
  EXPECT_TRUE(IsValidUtf8("\U0001F600"));
  EXPECT_TRUE(IsValidUtf8("\xF4\x8F\xBF\xBF"));  // U+10FFFF, the last one
  EXPECT_TRUE(IsValidUtf8(std::string("a\0b", 3)));
  EXPECT_FALSE(IsValidUtf8("\xC3"));      // cut short
  EXPECT_FALSE(IsValidUtf8("\xE5\xA4"));  // cut short
  EXPECT_FALSE(IsValidUtf8("\x80"));      // stray continuation
  EXPECT_FALSE(IsValidUtf8("\xFF\xFE"));
  EXPECT_FALSE(IsValidUtf8("\xED\xA0\x80"));  // surrogate
  EXPECT_FALSE(IsValidUtf8("\xED\xBF\xBF"));  // surrogate
}

TEST(TextWidthTest, Utf8ValidationRejectsWhatProtobufRejects) {
  // The hand-written check let these through; protobuf refused them later.
  EXPECT_FALSE(IsValidUtf8("\xC0\xAF"));              // overlong '/'
  EXPECT_FALSE(IsValidUtf8("\xC1\xBF"));              // overlong DEL
  EXPECT_FALSE(IsValidUtf8("\xE0\x80\xAF"));          // overlong '/'
  EXPECT_FALSE(IsValidUtf8("\xF0\x80\x80\xAF"));      // overlong '/'
  EXPECT_FALSE(IsValidUtf8("\xF4\x90\x80\x80"));      // above U+10FFFF
  EXPECT_FALSE(IsValidUtf8("\xF7\xBF\xBF\xBF"));      // above U+10FFFF
  EXPECT_FALSE(IsValidUtf8("\xF8\x88\x80\x80\x80"));  // five bytes
  EXPECT_FALSE(IsValidUtf8("ok \xC0\xAF ok"));
}

}  // namespace
}  // namespace gongkai

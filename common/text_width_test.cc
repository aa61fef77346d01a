#include "common/text_width.h"

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

TEST(TextWidthTest, Utf8Validation) {
  EXPECT_TRUE(IsValidUtf8("公开 ok"));
  EXPECT_TRUE(IsValidUtf8("\xEF\xBF\xBD"));
  EXPECT_FALSE(IsValidUtf8("\xC3"));
  EXPECT_FALSE(IsValidUtf8("\xFF\xFE"));
  EXPECT_FALSE(IsValidUtf8("\xED\xA0\x80"));  // surrogate
}

}  // namespace
}  // namespace gongkai

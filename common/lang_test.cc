#include "common/lang.h"

#include "gtest/gtest.h"

namespace gongkai {
namespace {

TEST(LangTest, ParsesTheWaysALanguageIsNamed) {
  for (const char* zh : {"zh", "zh_CN.UTF-8", "zh-Hans", "ZH_cn", "中文"}) {
    ASSERT_TRUE(ParseLang(zh).ok()) << zh;
    EXPECT_EQ(*ParseLang(zh), Lang::kZh) << zh;
  }
  for (const char* en : {"en", "en_US.UTF-8", "EN-gb", "English"}) {
    ASSERT_TRUE(ParseLang(en).ok()) << en;
    EXPECT_EQ(*ParseLang(en), Lang::kEn) << en;
  }
  absl::StatusOr<Lang> bad = ParseLang("fr");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("不支持的语言"),
            absl::string_view::npos);
  EXPECT_NE(MessageIn(bad.status(), Lang::kEn).find("unknown language 'fr'"),
            std::string::npos);
}

TEST(LangTest, PicksTheTextOfTheReader) {
  EXPECT_EQ(Tr(Lang::kZh, "案件", "case"), "案件");
  EXPECT_EQ(Tr(Lang::kEn, "案件", "case"), "case");
  EXPECT_EQ(LangCode(Lang::kZh), "zh");
  EXPECT_EQ(LangCode(Lang::kEn), "en");
}

TEST(LangTest, ErrorsCarryBothLanguagesThroughPrefixes) {
  absl::Status s =
      PrefixError(LocalizedError(absl::StatusCode::kInvalidArgument, "日期无效",
                                 "bad date"),
                  "第 3 行：", "line 3: ");
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(s.message(), "第 3 行：日期无效");
  EXPECT_EQ(MessageIn(s, Lang::kEn), "line 3: bad date");
  EXPECT_EQ(InLanguage(s, Lang::kEn).message(), "line 3: bad date");
  EXPECT_EQ(InLanguage(s, Lang::kZh).message(), "第 3 行：日期无效");
  // A message written in one language only stays as it is.
  absl::Status plain = absl::NotFoundError("no such case");
  EXPECT_EQ(MessageIn(plain, Lang::kEn), "no such case");
  EXPECT_EQ(MessageIn(plain, Lang::kZh), "no such case");
  EXPECT_TRUE(InLanguage(absl::OkStatus(), Lang::kEn).ok());
}

}  // namespace
}  // namespace gongkai

#include "published/labels.h"

#include "gtest/gtest.h"

namespace gongkai::published {
namespace {

TEST(FoldLabelTest, IgnoresWidthSpacesQuotesAndLineBreaks) {
  EXPECT_EQ(FoldLabel("危及“三安全一稳定”"), FoldLabel("危及\"三安全一稳定\""));
  EXPECT_EQ(FoldLabel("（三）不予公开"), FoldLabel("(三) 不予公开"));
  EXPECT_EQ(FoldLabel("部分公开（区分处理的，只计这一情形，\n不计其他情形）"),
            FoldLabel("部分公开(区分处理的,只计这一情形,不计其他情形)"));
  EXPECT_EQ(FoldLabel("\u00a0本年新收\u3000政府信息公开申请数量"),
            "本年新收政府信息公开申请数量");
  EXPECT_EQ(FoldLabel("１．属于国家秘密"), "1属于国家秘密");
}

TEST(ParseLabelTest, TakesOffTheNumbering) {
  ParsedLabel p = ParseLabel("1．属于国家秘密");
  EXPECT_EQ(p.numbering, (Numbering{Numbering::kItem, 1}));
  EXPECT_EQ(p.folded, "属于国家秘密");
  p = ParseLabel("（三）不予公开");
  EXPECT_EQ(p.numbering, (Numbering{Numbering::kSub, 3}));
  EXPECT_EQ(p.folded, "不予公开");
  p = ParseLabel("(七) 总计");
  EXPECT_EQ(p.numbering, (Numbering{Numbering::kSub, 7}));
  p = ParseLabel("四、结转下年度继续办理");
  EXPECT_EQ(p.numbering, (Numbering{Numbering::kGroup, 4}));
  EXPECT_EQ(p.folded, "结转下年度继续办理");
  // A label that starts with a numeral but has no numbering.
  p = ParseLabel("四类过程性信息");
  EXPECT_EQ(p.numbering.kind, Numbering::kNone);
  EXPECT_EQ(p.folded, "四类过程性信息");
}

TEST(SplitLabelPartsTest, HeadingAndItemInOneCell) {
  const std::vector<std::string> parts =
      SplitLabelParts("（三）不予公开\n1．属于国家秘密");
  ASSERT_EQ(parts.size(), 2u);
  EXPECT_EQ(FoldLabel(parts[0]), "三不予公开");
  EXPECT_EQ(ParseLabel(parts[1]).numbering, (Numbering{Numbering::kItem, 1}));
  EXPECT_EQ(SplitLabelParts("（一）予以公开").size(), 1u);
}

TEST(EditDistanceTest, CountsCodePoints) {
  EXPECT_EQ(EditDistance("其他法律行政止公开", "其他法律行政法规禁止公开"), 3);
  EXPECT_EQ(EditDistance("", "总计"), 2);
  EXPECT_EQ(EditDistance("只计这一情况", "只计这一情形"), 1);
}

std::vector<LabelCandidate> Withheld() {
  std::vector<LabelCandidate> c;
  const char* labels[] = {"属于国家秘密",         "其他法律行政法规禁止公开",
                          "危及“三安全一稳定”",   "保护第三方合法权益",
                          "属于三类内部事务信息", "属于四类过程性信息",
                          "属于行政执法案卷",     "属于行政查询事项"};
  for (int i = 0; i < 8; ++i) {
    LabelCandidate x;
    x.id = "（三）" + std::to_string(i + 1);
    x.official = labels[i];
    x.folded = FoldLabel(labels[i]);
    x.numbering = {Numbering::kItem, i + 1};
    x.parent = "不予公开";
    x.position = i;
    c.push_back(x);
  }
  return c;
}

TEST(MatchLabelTest, ExactDespiteWidthAndNumbering) {
  const LabelMatch m = MatchLabel("3.危及\"三安全一稳定\"", Withheld());
  EXPECT_EQ(m.index, 2);
  EXPECT_TRUE(m.exact);
}

TEST(MatchLabelTest, TypoMatchesWithDistance) {
  const LabelMatch m = MatchLabel("2.其他法律行政止公开", Withheld());
  EXPECT_EQ(m.index, 1);
  EXPECT_FALSE(m.exact);
  EXPECT_EQ(m.distance, 3);
}

TEST(MatchLabelTest, KnownVariant) {
  const LabelMatch m = MatchLabel("5．属于三类内容事务信息", Withheld());
  EXPECT_EQ(m.index, 4);
  EXPECT_FALSE(m.exact);
  EXPECT_TRUE(m.known_variant);
}

TEST(MatchLabelTest, TooFarIsUnmatched) {
  EXPECT_EQ(MatchLabel("信访举报投诉类申请", Withheld()).index, -1);
  EXPECT_EQ(MatchLabel("", Withheld()).index, -1);
}

TEST(MatchLabelTest, NumberingBreaksTies) {
  // Two candidates with the same words: the numbering decides, and without
  // it the position does; with neither it is ambiguous.
  std::vector<LabelCandidate> c = Withheld();
  c[7].folded = c[6].folded;
  EXPECT_EQ(MatchLabel("8.属于行政执法案卷", c).index, 7);
  EXPECT_EQ(MatchLabel("7.属于行政执法案卷", c).index, 6);
  MatchHints hints;
  hints.expected_position = 7;
  EXPECT_EQ(MatchLabel("属于行政执法案卷", c, hints).index, 7);
  const LabelMatch m = MatchLabel("属于行政执法案卷", c);
  EXPECT_EQ(m.index, -1);
  EXPECT_TRUE(m.ambiguous);
}

TEST(MatchLabelTest, NumberingAloneFitsOne) {
  EXPECT_EQ(MatchLabel("4.", Withheld()).index, 3);
}

}  // namespace
}  // namespace gongkai::published

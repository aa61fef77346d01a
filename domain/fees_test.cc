#include "domain/fees.h"

#include "gtest/gtest.h"

namespace gongkai {
namespace {

TEST(FeesTest, PerPieceBands) {
  EXPECT_EQ(PerPieceFeeYuan(1), 0);
  EXPECT_EQ(PerPieceFeeYuan(10), 0);
  EXPECT_EQ(PerPieceFeeYuan(11), 100);
  EXPECT_EQ(PerPieceFeeYuan(30), 100);
  EXPECT_EQ(PerPieceFeeYuan(31), 200);
  EXPECT_EQ(PerPieceFeeYuan(40), 200);
  EXPECT_EQ(PerPieceFeeYuan(41), 300);
  EXPECT_EQ(PerPieceFeeYuan(50), 300);
  EXPECT_EQ(PerPieceFeeYuan(51), 400);
  EXPECT_EQ(PerPieceFeeYuan(61), 500);
  EXPECT_EQ(PerPieceMonthTotalYuan(10), 0);
  EXPECT_EQ(PerPieceMonthTotalYuan(12), 200);
  EXPECT_EQ(PerPieceMonthTotalYuan(31), 20 * 100 + 200);
}

TEST(FeesTest, PerPageBands) {
  EXPECT_EQ(PerPageFeeYuan(30), 0);
  EXPECT_EQ(PerPageFeeYuan(31), 10);
  EXPECT_EQ(PerPageFeeYuan(100), 700);
  EXPECT_EQ(PerPageFeeYuan(101), 720);
  EXPECT_EQ(PerPageFeeYuan(200), 2700);
  EXPECT_EQ(PerPageFeeYuan(201), 2740);
  EXPECT_EQ(ExplainPerPageFee(150).size(), 3u);
}

TEST(FeesTest, ThePerPageArithmeticReadsInTheReadersLanguage) {
  const std::vector<std::string> zh = ExplainPerPageFee(150);
  ASSERT_EQ(zh.size(), 3u);
  EXPECT_EQ(zh[0], "第 1-30 页：免费");
  EXPECT_EQ(zh[1], "第 31-100 页：70 × 10 = 700 元");
  const std::vector<std::string> en = ExplainPerPageFee(150, Lang::kEn);
  ASSERT_EQ(en.size(), 3u);
  EXPECT_EQ(en[0], "pages 1-30: free");
  EXPECT_EQ(en[1], "pages 31-100: 70 x 10 = 700 yuan");
}

}  // namespace
}  // namespace gongkai

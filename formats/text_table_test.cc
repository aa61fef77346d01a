#include "formats/text_table.h"

#include <string>
#include <vector>

#include "absl/strings/str_split.h"
#include "common/text_width.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace gongkai {
namespace {

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines = absl::StrSplit(text, '\n');
  EXPECT_EQ(lines.back(), "") << "the table must end in a newline";
  lines.pop_back();
  return lines;
}

TEST(TextTableTest, ColumnsAlignByDisplayWidth) {
  EXPECT_EQ(
      FormatTable({{"编号", "申请人", "件数"}, {"2023-0001", "张三", "7"}},
                  {false, false, true}),
      "编号       申请人  件数\n"
      "2023-0001  张三       7\n");
}

TEST(TextTableTest, NoCellIsCutAndNoLineEndsInSpaces) {
  const std::string longest =
      "    2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开"
      "申请";
  std::string t = FormatTable(
      {{"", "自然人", ""}, {longest, "0", ""}, {"三、本年度办理结果"}},
      {false, true, false});
  std::vector<std::string> lines = Lines(t);
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[1], longest + "       0");
  EXPECT_EQ(lines[2], "三、本年度办理结果");
  EXPECT_EQ(DisplayWidth(lines[0]), DisplayWidth(lines[1]));
}

TEST(TextTableTest, SpanningCellCoversItsColumns) {
  std::string t = FormatSpannedTable(
      {{{"组", 2}, {"其他"}}, {{"甲"}, {"乙"}, {"丙"}}, {{"1"}, {"22"}, {"3"}}},
      {true, true, true});
  // The columns keep their own widths; the group starts over the first.
  EXPECT_EQ(t,
            "组      其他\n"
            "甲  乙    丙\n"
            " 1  22     3\n");
}

TEST(TextTableTest, WideSpanningCellWidensItsColumnsEvenly) {
  std::string t = FormatSpannedTable(
      {{{"未经复议直接起诉", 2}}, {{"1"}, {"2"}}}, {true, true});
  std::vector<std::string> lines = Lines(t);
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0], "未经复议直接起诉");
  // 16 columns for the heading: 7 + 2 + 7.
  EXPECT_EQ(lines[1], "      1        2");
}

TEST(TextTableTest, RaggedRowsAndEmptyTable) {
  EXPECT_EQ(FormatTable({}), "");
  EXPECT_EQ(FormatTable({{"a", "b"}, {"ccc"}}), "a    b\nccc\n");
}

}  // namespace
}  // namespace gongkai

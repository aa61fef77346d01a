#include "formats/report_narrative.h"

#include <string>

#include "absl/strings/str_replace.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace gongkai {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kComplete[] =
    "# 某局2023年政府信息公开工作年度报告\n\n"
    "## 一、总体情况\n\n2023 年共接受依申请公开 {{requests.new.total}} 件。\n\n"
    "## 二、主动公开政府信息情况\n\n"
    "## 三、收到和处理政府信息公开申请情况\n\n"
    "## 四、政府信息公开行政复议、行政诉讼情况\n\n"
    "## 五、存在的主要问题及改进情况\n\n一是……\n\n"
    "## 六、其他需要报告的事项\n\n依申请公开收费为零。\n";

std::string Without(absl::string_view heading) {
  return absl::StrReplaceAll(kComplete, {{heading, "（删去）"}});
}

TEST(ReportNarrativeTest, CompleteNarrativePasses) {
  EXPECT_TRUE(CheckNarrative(kComplete).ok());
}

TEST(ReportNarrativeTest, PlainTextAndLooseSpacingPass) {
  EXPECT_TRUE(
      CheckNarrative("一、总体情况\n正文\n**五、 存在的主要问题及改进情况**"
                     "\r\n正文\n　六、其他需要报告的事项　\n正文\n")
          .ok());
}

TEST(ReportNarrativeTest, EachMissingSectionIsRefusedByName) {
  for (absl::string_view heading : kNarrativeSections) {
    absl::Status s = CheckNarrative(Without(heading));
    ASSERT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << heading;
    EXPECT_THAT(s.message(), HasSubstr(absl::StrCat("缺少")));
    EXPECT_THAT(s.message(), HasSubstr(absl::StrCat("「## ", heading, "」")));
    for (absl::string_view other : kNarrativeSections) {
      if (other == heading) continue;
      EXPECT_THAT(s.message(), Not(HasSubstr(absl::StrCat("「## ", other))))
          << heading << " missing, yet " << other << " named";
    }
  }
}

TEST(ReportNarrativeTest, AllMissingAreNamedTogether) {
  absl::Status s = CheckNarrative("# 年度报告\n\n{{table3}}\n");
  ASSERT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(
      s.message(),
      HasSubstr("缺少第一部分「一、总体情况」、第五部分「五、存在的主要"
                "问题及改进情况」、第六部分「六、其他需要报告的事项」"));
  EXPECT_FALSE(CheckNarrative("").ok());
}

TEST(ReportNarrativeTest, MisspeltHeadingIsPointedOut) {
  std::string text = absl::StrReplaceAll(
      kComplete, {{"五、存在的主要问题及改进情况", "五、存在问题"}});
  absl::Status s = CheckNarrative(text);
  ASSERT_FALSE(s.ok());
  EXPECT_THAT(s.message(),
              HasSubstr("第五部分「五、存在的主要问题及改进情况」"));
  EXPECT_THAT(s.message(),
              HasSubstr("第13行「## 五、存在问题」不是规定的标题"));
}

TEST(ReportNarrativeTest, MentionInsideAParagraphIsNotAHeading) {
  std::string text = absl::StrReplaceAll(
      kComplete, {{"## 六、其他需要报告的事项", "见六、其他需要报告的事项"}});
  EXPECT_FALSE(CheckNarrative(text).ok());
}

TEST(ReportNarrativeTest, SectionsOutOfOrderAreRefused) {
  absl::Status s = CheckNarrative(
      "一、总体情况\n六、其他需要报告的事项\n五、存在的主要问题及改进情况\n");
  ASSERT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(
      s.message(),
      HasSubstr("「六、其他需要报告的事项」（第2行）应在「五、存在的主要"
                "问题及改进情况」（第3行）之后"));
}

}  // namespace
}  // namespace gongkai

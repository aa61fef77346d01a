#include "domain/case_no_pattern.h"

#include "common/lang.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace gongkai {
namespace {

using ::testing::HasSubstr;

TEST(CaseNoPatternTest, DefaultIsYearDashFourDigits) {
  EXPECT_EQ(*FormatCaseNo("", 2023, 1), "2023-0001");
  EXPECT_EQ(*FormatCaseNo("", 2023, 12345), "2023-12345");
  EXPECT_EQ(*FormatCaseNo(kDefaultCaseNoPattern, 2024, 47), "2024-0047");
  EXPECT_TRUE(ValidateCaseNoPattern("").ok());
}

TEST(CaseNoPatternTest, AnOfficesOwnPattern) {
  EXPECT_EQ(*FormatCaseNo("驻公信〔{year}〕{n}号", 2023, 47),
            "驻公信〔2023〕47号");
  EXPECT_EQ(*FormatCaseNo("依申请-{n:3}-{year}", 2023, 7), "依申请-007-2023");
  EXPECT_EQ(*FormatCaseNo("GK{n:6}", 2023, 7), "GK000007");
  EXPECT_TRUE(ValidateCaseNoPattern("驻公信〔{year}〕{n}号").ok());
  EXPECT_TRUE(ValidateCaseNoPattern("GK{n:6}").ok());
}

TEST(CaseNoPatternTest, BadPatternsSayWhy) {
  struct Bad {
    const char* pattern;
    const char* zh;
    const char* en;
  };
  for (const Bad& bad : {
           Bad{"驻公信〔{year}〕号", "序号 {n}", "{n} exactly once"},
           Bad{"{n}-{n}", "序号 {n}", "{n} exactly once"},
           Bad{"{year}{year}-{n}", "至多", "at most once"},
           Bad{"{yr}-{n}", "{yr}", "unknown placeholder {yr}"},
           Bad{"{n:0}", "位数", "width"},
           Bad{"{n:x}", "位数", "width"},
           Bad{"{year-{n}", "占位符", "unknown placeholder"},
           Bad{"{n", "没有对应", "without '}'"},
           Bad{"n}", "前没有", "without '{'"},
           Bad{"公信 {year} {n}", "不是有效的申请编号",
               "not a valid case number"},
           Bad{"公信/{n}", "不是有效的申请编号", "not a valid case number"},
       }) {
    absl::Status s = ValidateCaseNoPattern(bad.pattern);
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << bad.pattern;
    EXPECT_THAT(s.message(), HasSubstr(bad.zh)) << bad.pattern;
    EXPECT_THAT(MessageIn(s, Lang::kEn), HasSubstr(bad.en)) << bad.pattern;
  }
  EXPECT_FALSE(FormatCaseNo("{yr}-{n}", 2023, 1).ok());
}

}  // namespace
}  // namespace gongkai

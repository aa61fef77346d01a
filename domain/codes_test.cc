#include "domain/codes.h"

#include <set>

#include "common/lang.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace gongkai {
namespace {

using ::testing::HasSubstr;

TEST(CodesTest, TwentyOneOutcomesInTableOrder) {
  ASSERT_EQ(AllOutcomes().size(), 21u);
  int i = 1;
  std::set<absl::string_view> codes;
  for (const OutcomeInfo& o : AllOutcomes()) {
    EXPECT_EQ(static_cast<int>(o.value), i++);
    EXPECT_EQ(&Info(o.value), &o);
    codes.insert(o.code);
  }
  EXPECT_EQ(codes.size(), 21u);
  EXPECT_EQ(Info(Outcome::kPartiallyDisclosed).label,
            "部分公开（区分处理的，只计这一情形，不计其他情形）");
  EXPECT_EQ(Info(Outcome::kWithheldSecurityStability).label,
            "危及“三安全一稳定”");
  EXPECT_EQ(Info(Outcome::kOther).row, "（六）3");
}

TEST(CodesTest, ParsesCodesAndChineseLabels) {
  EXPECT_EQ(*ParseOutcome("unavailable_not_held"),
            Outcome::kUnavailableNotHeld);
  EXPECT_EQ(*ParseOutcome("本机关不掌握相关政府信息"),
            Outcome::kUnavailableNotHeld);
  EXPECT_EQ(*ParseApplicantType(" 自然人 "), ApplicantType::kNaturalPerson);
  EXPECT_EQ(*ParseApplicantType("legal_service_org"),
            ApplicantType::kLegalServiceOrg);
  EXPECT_EQ(*ParseChannel("online"), Channel::kOnline);
  EXPECT_EQ(*ParseChannel("当面"), Channel::kInPerson);
}

TEST(CodesTest, UnknownCodeListsTheValidOnes) {
  auto r = ParseApplicantType("company");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(MessageIn(r.status(), Lang::kEn),
              HasSubstr("commercial_enterprise (商业企业)"));
  EXPECT_FALSE(ParseOutcome("Disclosed").ok());
  EXPECT_FALSE(ParseChannel("").ok());
}

TEST(CodesTest, FromIntChecksRange) {
  Outcome o;
  EXPECT_FALSE(OutcomeFromInt(0, &o));
  EXPECT_FALSE(OutcomeFromInt(22, &o));
  EXPECT_TRUE(OutcomeFromInt(21, &o));
  EXPECT_EQ(o, Outcome::kOther);
  Channel c;
  EXPECT_FALSE(ChannelFromInt(6, &c));
  ApplicantType t;
  EXPECT_FALSE(ApplicantTypeFromInt(-1, &t));
}

}  // namespace
}  // namespace gongkai

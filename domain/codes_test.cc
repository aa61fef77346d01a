#include "domain/codes.h"

#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "common/lang.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace gongkai {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

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

// Every form an office writes an outcome in, for every row of table 3.
TEST(CodesTest, EveryOutcomeRowInEveryForm) {
  for (const OutcomeInfo& o : AllOutcomes()) {
    const std::string half_row =
        absl::StrReplaceAll(o.row, {{"（", "("}, {"）", ")"}});
    std::vector<std::string> forms = {
        std::string(o.code),
        std::string(o.label),
        absl::StrCat(" ", o.label, "\xE3\x80\x80"),  // ideographic space
        absl::StrCat(o.row, o.label),
        absl::StrCat(o.row, " ", o.label),
        absl::StrCat(half_row, o.label),
        OutcomeRowLabel(o),  // what `case answer --help` prints
        std::string(o.row),
        absl::StrCat(o.row, "."),
        absl::StrCat(half_row, "、"),
        absl::StrCat(o.row, "．"),
    };
    if (!o.group.empty()) {
      forms.push_back(absl::StrCat(o.row, ".", o.label));
      forms.push_back(absl::StrCat(half_row, "、", o.label));
      forms.push_back(absl::StrCat(o.group, OutcomeItemLabel(o)));
    }
    for (const std::string& form : forms) {
      absl::StatusOr<Outcome> parsed = ParseOutcome(form);
      ASSERT_TRUE(parsed.ok()) << form << ": " << parsed.status();
      EXPECT_EQ(*parsed, o.value) << form;
    }
  }
}

TEST(CodesTest, ShortFormsOfOutcomes) {
  EXPECT_EQ(*ParseOutcome("部分公开"), Outcome::kPartiallyDisclosed);
  EXPECT_EQ(*ParseOutcome("（二）部分公开"), Outcome::kPartiallyDisclosed);
  EXPECT_EQ(*ParseOutcome("不掌握"), Outcome::kUnavailableNotHeld);
  EXPECT_EQ(*ParseOutcome("危及三安全一稳定"),
            Outcome::kWithheldSecurityStability);
  EXPECT_EQ(*ParseOutcome("（ 四 ）１．本机关不掌握相关政府信息"),
            Outcome::kUnavailableNotHeld);
  EXPECT_EQ(*ParseOutcome("其他"), Outcome::kOther);
}

TEST(CodesTest, AmbiguousShortFormListsTheCandidates) {
  absl::StatusOr<Outcome> r = ParseOutcome("重复");
  EXPECT_EQ(*r, Outcome::kRejectedDuplicate);
  r = ParseOutcome("公开");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(r.status().message(), HasSubstr("不明确"));
  EXPECT_THAT(r.status().message(), HasSubstr("disclosed (（一）予以公开)"));
  EXPECT_THAT(r.status().message(), HasSubstr("partially_disclosed"));
  EXPECT_THAT(MessageIn(r.status(), Lang::kEn), HasSubstr("ambiguous"));
  r = ParseOutcome("（四）");
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.status().message(), HasSubstr("unavailable_needs_creation"));
  EXPECT_THAT(r.status().message(), Not(HasSubstr("disclosed")));
  r = ParseOutcome("（四）无法提供");
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.status().message(), HasSubstr("unavailable_not_held"));
}

TEST(CodesTest, RowAndLabelThatDisagreeAreRefused) {
  EXPECT_FALSE(ParseOutcome("（三）本机关不掌握相关政府信息").ok());
  EXPECT_FALSE(ParseOutcome("（四）2.本机关不掌握相关政府信息").ok());
  EXPECT_FALSE(ParseOutcome("（五）无法提供 1.本机关不掌握相关政府信息").ok());
  EXPECT_FALSE(ParseOutcome("（九）").ok());
  EXPECT_FALSE(ParseOutcome("").ok());
  EXPECT_FALSE(ParseOutcome("（四）1 予以公开").ok());
}

TEST(CodesTest, EveryApplicantTypeInEveryForm) {
  for (const auto& t : AllApplicantTypes()) {
    std::vector<std::string> forms = {std::string(t.code), std::string(t.label),
                                      absl::StrCat("  ", t.label, " ")};
    if (t.value != ApplicantType::kNaturalPerson) {
      forms.push_back(absl::StrCat("法人或其他组织 ", t.label));
      forms.push_back(absl::StrCat("法人或其他组织", t.label));
    }
    for (const std::string& form : forms) {
      absl::StatusOr<ApplicantType> parsed = ParseApplicantType(form);
      ASSERT_TRUE(parsed.ok()) << form << ": " << parsed.status();
      EXPECT_EQ(*parsed, t.value) << form;
    }
  }
  EXPECT_EQ(*ParseApplicantType("公益组织"), ApplicantType::kPublicInterestOrg);
  auto r = ParseApplicantType("机构");
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.status().message(), HasSubstr("research_institution"));
  EXPECT_THAT(r.status().message(), HasSubstr("legal_service_org"));
  r = ParseApplicantType("法人或其他组织");
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.status().message(), Not(HasSubstr("natural_person")));
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

#include "domain/case.h"

#include "common/dates.h"
#include "common/lang.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace gongkai {
namespace {

using ::testing::HasSubstr;

absl::CivilDay D(const char* s) { return *ParseDate(s); }

ActionContext Ctx() {
  return ActionContext{"clerk", absl::FromUnixSeconds(1700000000),
                       D("2023-11-15")};
}

NewCase Valid() {
  NewCase n;
  n.received_on = D("2023-03-06");
  n.channel = Channel::kOnline;
  n.applicant_type = ApplicantType::kNaturalPerson;
  n.applicant = "张三";
  n.request = "请公开2022年道路维修预算";
  return n;
}

TEST(OpenCaseTest, BuildsCaseAndEvent) {
  CaseEvent ev;
  auto c = OpenCase(Valid(), Ctx(), &ev);
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->state, CaseState::kOpen);
  EXPECT_EQ(c->version, 1);
  EXPECT_EQ(ev.kind, "received");
  EXPECT_EQ(ev.effective_on, D("2023-03-06"));
  EXPECT_EQ(ev.details.Find("channel")->as_string(), "online");
  EXPECT_EQ(DescribeEvent(ev, Lang::kEn), "application received (互联网)");
  EXPECT_EQ(DescribeEvent(ev, Lang::kZh), "收到申请（互联网）");
}

TEST(OpenCaseTest, RejectsBadInput) {
  struct Case {
    const char* what;
    void (*mutate)(NewCase&);
    const char* message;
  } cases[] = {
      {"future", [](NewCase& n) { n.received_on = D("2023-11-16"); },
       "in the future"},
      {"ancient", [](NewCase& n) { n.received_on = D("2008-04-30"); },
       "before the Regulations"},
      {"no name", [](NewCase& n) { n.applicant = "  "; },
       "applicant name is required"},
      {"no request", [](NewCase& n) { n.request = ""; },
       "request text is required"},
      {"long name", [](NewCase& n) { n.applicant = std::string(201, 'a'); },
       "at most 200"},
      {"long request",
       [](NewCase& n) { n.request = std::string(64 * 1024 + 1, 'x'); },
       "64 KiB"},
      {"bad utf8", [](NewCase& n) { n.applicant = "\xff\xfe"; }, "UTF-8"},
      {"control", [](NewCase& n) { n.applicant = "a\x01"; }, "control"},
      {"case no", [](NewCase& n) { n.case_no = "2023 0001"; }, "spaces"},
      {"case no slash", [](NewCase& n) { n.case_no = "a/b"; }, "slashes"},
  };
  for (const auto& tc : cases) {
    NewCase n = Valid();
    tc.mutate(n);
    CaseEvent ev;
    auto c = OpenCase(n, Ctx(), &ev);
    ASSERT_FALSE(c.ok()) << tc.what;
    EXPECT_EQ(c.status().code(), absl::StatusCode::kInvalidArgument) << tc.what;
    EXPECT_THAT(MessageIn(c.status(), Lang::kEn), HasSubstr(tc.message))
        << tc.what;
  }
}

TEST(OpenCaseTest, AcceptsChineseNamesUpToTheLimit) {
  NewCase n = Valid();
  n.applicant.clear();
  for (int i = 0; i < 200; ++i) n.applicant += "张";
  CaseEvent ev;
  EXPECT_TRUE(OpenCase(n, Ctx(), &ev).ok());
}

TEST(MoneyTest, YuanAndFen) {
  EXPECT_EQ(*ParseYuan("300"), 30000);
  EXPECT_EQ(*ParseYuan("300.5"), 30050);
  EXPECT_EQ(*ParseYuan("0.07"), 7);
  EXPECT_FALSE(ParseYuan("-1").ok());
  EXPECT_FALSE(ParseYuan("1.234").ok());
  EXPECT_FALSE(ParseYuan("abc").ok());
  EXPECT_FALSE(ParseYuan("").ok());
  EXPECT_EQ(FormatYuan(30050), "300.50");
  EXPECT_EQ(FormatYuan(30000), "300");
  EXPECT_EQ(FormatYuan(7), "0.07");
}

}  // namespace
}  // namespace gongkai

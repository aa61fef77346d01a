#include "server/domain/case.h"

#include "common/dates.h"
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
  EXPECT_EQ(DescribeEvent(ev), "application received (互联网)");
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
      {"no name", [](NewCase& n) { n.applicant = "  "; }, "applicant name is required"},
      {"no request", [](NewCase& n) { n.request = ""; }, "request text is required"},
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
    EXPECT_THAT(c.status().message(), HasSubstr(tc.message)) << tc.what;
  }
}

TEST(OpenCaseTest, AcceptsChineseNamesUpToTheLimit) {
  NewCase n = Valid();
  n.applicant.clear();
  for (int i = 0; i < 200; ++i) n.applicant += "张";
  CaseEvent ev;
  EXPECT_TRUE(OpenCase(n, Ctx(), &ev).ok());
}

TEST(AnswerCaseTest, ClosesOnce) {
  CaseEvent ev;
  CaseRecord c = *OpenCase(Valid(), Ctx(), &ev);
  auto answered = AnswerCase(
      c, {D("2023-03-20"), Outcome::kUnavailableNotHeld, "已告知"}, Ctx());
  ASSERT_TRUE(answered.ok()) << answered.status();
  EXPECT_EQ(c.state, CaseState::kClosed);
  EXPECT_EQ(c.version, 2);
  EXPECT_EQ(answered->details.Find("outcome")->as_string(),
            "unavailable_not_held");
  CaseRecord before = c;
  auto again = AnswerCase(c, {D("2023-03-21"), Outcome::kDisclosed, ""}, Ctx());
  EXPECT_EQ(again.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(c.version, before.version);
  EXPECT_EQ(*c.outcome, Outcome::kUnavailableNotHeld);
}

TEST(AnswerCaseTest, RejectsBadDatesWithoutChange) {
  CaseEvent ev;
  CaseRecord c = *OpenCase(Valid(), Ctx(), &ev);
  auto early = AnswerCase(c, {D("2023-03-05"), Outcome::kDisclosed, ""}, Ctx());
  EXPECT_EQ(early.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(early.status().message(), HasSubstr("before the receipt date"));
  auto future = AnswerCase(c, {D("2023-11-16"), Outcome::kDisclosed, ""}, Ctx());
  EXPECT_THAT(future.status().message(), HasSubstr("in the future"));
  EXPECT_EQ(c.state, CaseState::kOpen);
  EXPECT_EQ(c.version, 1);
  // Same-day answers are allowed.
  EXPECT_TRUE(AnswerCase(c, {D("2023-03-06"), Outcome::kDisclosed, ""}, Ctx()).ok());
}

}  // namespace
}  // namespace gongkai

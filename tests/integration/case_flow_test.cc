// A clerk's and a handler's day, through the real binaries.
#include "gmock/gmock.h"
#include "grpcpp/generic/generic_stub.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "tests/integration/harness.h"

namespace gongkai::testing {
namespace {

using ::testing::HasSubstr;

class CaseFlowTest : public ::testing::Test {
 protected:
  void SetUp() override {
    daemon_ = std::make_unique<Daemon>(
        dir_.File("gongkai.db"),
        std::vector<std::string>{"--fake-today", "2024-03-01"});
    ASSERT_TRUE(daemon_->Start()) << daemon_->log();
  }
  std::string NewCase(const std::string& received,
                      const std::string& type = "natural_person",
                      std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {
        "case",        "new",    "--received",       received,
        "--channel",   "online", "--applicant-type", type,
        "--applicant", "张三",   "--request",        "请公开2023年度部门预算"};
    args.insert(args.end(), extra.begin(), extra.end());
    CommandResult r = daemon_->Cli(args);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    std::string no = r.out;
    while (!no.empty() && no.back() == '\n') no.pop_back();
    return no;
  }

  ScratchDir dir_;
  std::unique_ptr<Daemon> daemon_;
};

TEST_F(CaseFlowTest, LogShowAnswerList) {
  EXPECT_EQ(NewCase("2024-01-19"), "2024-0001");
  EXPECT_EQ(NewCase("2023-12-28", "商业企业", {"--contact", "0396-1234567"}),
            "2023-0001");

  Json shown = daemon_->CliJson({"case", "show", "2024-0001"});
  EXPECT_EQ(shown.Find("case_no")->as_string(), "2024-0001");
  EXPECT_EQ(shown.Find("state")->as_string(), "open");
  EXPECT_EQ(shown.Find("channel")->as_string(), "online");
  EXPECT_EQ(shown.Find("applicant_type")->as_string(), "natural_person");
  EXPECT_EQ(shown.Find("applicant")->as_string(), "张三");
  EXPECT_EQ(shown.Find("request")->as_string(), "请公开2023年度部门预算");
  EXPECT_EQ(shown.Find("received_on")->as_string(), "2024-01-19");
  // 20 working days across the 2024 Spring Festival (02-10..02-17, make-up
  // Sundays 02-04 and 02-18).
  EXPECT_EQ(shown.Find("due_on")->as_string(), "2024-02-21");
  EXPECT_TRUE(shown.Find("answered_on")->is_null());
  EXPECT_TRUE(shown.Find("outcome")->is_null());
  ASSERT_EQ(shown.Find("events")->as_array().size(), 1u);

  CommandResult answered =
      daemon_->Cli({"case", "answer", "2024-0001", "--date", "2024-02-20",
                    "--outcome", "partially_disclosed", "--note", "部分涉密"});
  ASSERT_EQ(answered.exit_code, 0) << answered.err;
  EXPECT_THAT(answered.out, HasSubstr("closed on 2024-02-20"));

  Json closed = daemon_->CliJson({"case", "show", "2024-0001"});
  EXPECT_EQ(closed.Find("state")->as_string(), "closed");
  EXPECT_EQ(closed.Find("answered_on")->as_string(), "2024-02-20");
  EXPECT_EQ(closed.Find("outcome")->as_string(), "partially_disclosed");
  ASSERT_EQ(closed.Find("events")->as_array().size(), 2u);
  EXPECT_EQ(closed.Find("events")->as_array()[1].Find("kind")->as_string(),
            "answered");

  Json open = daemon_->CliJson({"case", "list", "--state", "open"});
  ASSERT_EQ(open.as_array().size(), 1u);
  EXPECT_EQ(open.as_array()[0].Find("case_no")->as_string(), "2023-0001");
  EXPECT_EQ(open.as_array()[0].Find("applicant_type")->as_string(),
            "commercial_enterprise");
  Json y2024 = daemon_->CliJson({"case", "list", "--year", "2024"});
  ASSERT_EQ(y2024.as_array().size(), 1u);
  Json closed_list = daemon_->CliJson({"case", "list", "--state", "closed"});
  ASSERT_EQ(closed_list.as_array().size(), 1u);

  CommandResult table = daemon_->Cli({"case", "list"});
  ASSERT_EQ(table.exit_code, 0);
  EXPECT_THAT(table.out, HasSubstr("2023-0001"));
  EXPECT_THAT(table.out, HasSubstr("2 of 2 cases"));
  CommandResult human = daemon_->Cli({"case", "show", "2024-0001"});
  EXPECT_THAT(human.out, HasSubstr("（二）部分公开"));
}

TEST_F(CaseFlowTest, ChineseLabelsAreAcceptedForCodes) {
  NewCase("2024-02-01", "社会公益组织");
  CommandResult r = daemon_->Cli({"case", "answer", "2024-0001", "--date",
                                  "2024-02-05", "--outcome", "属于国家秘密"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  Json c = daemon_->CliJson({"case", "show", "2024-0001"});
  EXPECT_EQ(c.Find("applicant_type")->as_string(), "public_interest_org");
  EXPECT_EQ(c.Find("outcome")->as_string(), "withheld_state_secret");
}

TEST_F(CaseFlowTest, DeadlinesAcrossTheCalendar) {
  // Hand-checked against the State Council schedules.
  const std::pair<const char*, const char*> cases[] = {
      {"2019-05-14", "2019-06-04"},  // legacy: 15 working days
      {"2019-09-20", "2019-10-23"}, {"2020-01-20", "2020-02-25"},
      {"2021-09-17", "2021-10-21"}, {"2022-12-30", "2023-02-02"},
      {"2023-03-06", "2023-04-03"}, {"2023-09-28", "2023-11-01"},
  };
  for (const auto& [received, due] : cases) {
    std::string no = NewCase(received);
    Json c = daemon_->CliJson({"case", "show", no});
    EXPECT_EQ(c.Find("due_on")->as_string(), due) << received;
  }
  CommandResult add =
      daemon_->Cli({"calendar", "add-workdays", "2025-01-24", "20"});
  EXPECT_EQ(add.out, "2025-02-27\n");
  CommandResult beyond =
      daemon_->Cli({"calendar", "add-workdays", "2026-12-20", "20"});
  EXPECT_NE(beyond.exit_code, 0);
  EXPECT_THAT(beyond.err, HasSubstr("no official schedule for 2027"));
  Json year = daemon_->CliJson({"calendar", "show", "--year", "2025"});
  EXPECT_EQ(year.Find("working_days")->as_int(), 248);
}

TEST_F(CaseFlowTest, HealthServiceAnswers) {
  // HealthCheckRequest{service: ""} is the empty message; the health service
  // needs no token.
  RawResult r =
      RawUnaryCall(daemon_->address(), "/grpc.health.v1.Health/Check", "");
  ASSERT_EQ(r.code, 0);
  EXPECT_EQ(r.bytes, std::string("\x08\x01", 2));  // status: SERVING
}

// A day at an office (issue 13): typos corrected, a wrong outcome reopened
// and answered again, the years' tables following, `admin check` clean.
TEST_F(CaseFlowTest, TyposAmendedAndAWrongOutcomeReopened) {
  EXPECT_EQ(NewCase("2024-01-19"), "2024-0001");
  auto table3 = [&](const char* year, const char* row, const char* type) {
    Json r = daemon_->CliJson({"report", "--year", year});
    const Json* req = r.Find("requests");
    const Json* counts = std::string(row) == "new"
                             ? req->Find("new")
                             : req->Find("outcomes")->Find(row);
    return counts->Find(type)->as_int();
  };
  EXPECT_EQ(table3("2024", "new", "natural_person"), 1);

  CommandResult amended = daemon_->Cli(
      {"--lang", "zh", "case", "amend", "2024-0001", "--applicant-type",
       "商业企业", "--applicant", "张三", "--reason", "录入时选错申请人类型"});
  ASSERT_EQ(amended.exit_code, 0) << amended.err;
  EXPECT_THAT(amended.out, HasSubstr("申请人类型：自然人 → 商业企业"));
  EXPECT_THAT(amended.out, HasSubstr("未更改（与现有记录相同）：申请人"));
  EXPECT_EQ(table3("2024", "new", "natural_person"), 0);
  EXPECT_EQ(table3("2024", "new", "commercial_enterprise"), 1);

  CommandResult same =
      daemon_->Cli({"--lang", "zh", "case", "amend", "2024-0001", "--channel",
                    "online", "--reason", "核对"});
  EXPECT_NE(same.exit_code, 0);
  EXPECT_THAT(same.err, HasSubstr("未写入任何记录"));
  CommandResult future =
      daemon_->Cli({"case", "amend", "2024-0001", "--received", "2024-03-02",
                    "--reason", "录错"});
  EXPECT_NE(future.exit_code, 0);

  // Received in fact on 2023-12-28: the deadline and both years move.
  ASSERT_EQ(daemon_
                ->Cli({"case", "amend", "2024-0001", "--received", "2023-12-28",
                       "--reason", "收件日期登记错误"})
                .exit_code,
            0);
  Json moved = daemon_->CliJson({"case", "show", "2024-0001"});
  EXPECT_EQ(moved.Find("received_on")->as_string(), "2023-12-28");
  EXPECT_NE(moved.Find("due_on")->as_string(), "2024-02-21");
  EXPECT_EQ(table3("2024", "new", "commercial_enterprise"), 0);
  EXPECT_EQ(table3("2023", "new", "commercial_enterprise"), 1);

  ASSERT_EQ(daemon_
                ->Cli({"case", "answer", "2024-0001", "--date", "2024-01-25",
                       "--outcome", "disclosed"})
                .exit_code,
            0);
  EXPECT_EQ(table3("2024", "disclosed", "commercial_enterprise"), 1);
  CommandResult reopened = daemon_->Cli(
      {"case", "reopen", "2024-0001", "--reason", "实为部分公开，登记错误"});
  ASSERT_EQ(reopened.exit_code, 0) << reopened.err;
  Json open = daemon_->CliJson({"case", "show", "2024-0001"});
  EXPECT_EQ(open.Find("state")->as_string(), "open");
  EXPECT_TRUE(open.Find("outcome")->is_null());
  EXPECT_TRUE(open.Find("answered_on")->is_null());
  EXPECT_EQ(table3("2024", "disclosed", "commercial_enterprise"), 0);
  ASSERT_EQ(daemon_
                ->Cli({"case", "answer", "2024-0001", "--date", "2024-01-25",
                       "--outcome", "partially_disclosed"})
                .exit_code,
            0);
  EXPECT_EQ(table3("2024", "disclosed", "commercial_enterprise"), 0);
  EXPECT_EQ(table3("2024", "partially_disclosed", "commercial_enterprise"), 1);

  CommandResult history =
      daemon_->Cli({"--lang", "zh", "case", "history", "2024-0001"});
  ASSERT_EQ(history.exit_code, 0) << history.err;
  EXPECT_THAT(history.out,
              HasSubstr("更正 申请人类型：自然人 → 商业企业；原因：录入时选错"
                        "申请人类型"));
  EXPECT_THAT(history.out, HasSubstr("收到日期：2024-01-19 → 2023-12-28"));
  EXPECT_THAT(history.out, HasSubstr("重新办理"));
  CommandResult english =
      daemon_->Cli({"--lang", "en", "case", "history", "2024-0001"});
  EXPECT_THAT(english.out, HasSubstr("amended applicant type: natural_person → "
                                     "commercial_enterprise"));
  Json events = daemon_->CliJson({"case", "show", "2024-0001"});
  EXPECT_EQ(events.Find("events")->as_array().size(), 6u);  // none deleted

  CommandResult check = daemon_->AdminCli({"admin", "check"});
  EXPECT_EQ(check.exit_code, 0) << check.out << check.err;
}

TEST_F(CaseFlowTest, AClerkAmendsButDoesNotReopen) {
  NewCase("2024-02-01");
  const std::string clerk = daemon_->AddUser("clerk1", "clerk");
  CommandResult typo =
      daemon_->CliAs(clerk, {"case", "amend", "2024-0001", "--id-number",
                             "110101199001011234", "--reason", "补录证件号"});
  ASSERT_EQ(typo.exit_code, 0) << typo.err;
  // The clerk may not see identity numbers: the history shows them masked.
  CommandResult history =
      daemon_->CliAs(clerk, {"case", "history", "2024-0001"});
  EXPECT_THAT(history.out, ::testing::Not(HasSubstr("110101199001011234")));
  EXPECT_THAT(history.out, HasSubstr("1101**********1234"));
  daemon_->Cli({"case", "answer", "2024-0001", "--date", "2024-02-05",
                "--outcome", "disclosed"});
  EXPECT_NE(
      daemon_->CliAs(clerk, {"case", "reopen", "2024-0001", "--reason", "错"})
          .exit_code,
      0);
}

}  // namespace
}  // namespace gongkai::testing

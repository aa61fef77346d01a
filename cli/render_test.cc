#include "cli/render.h"

#include <sstream>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace gongkai::cli {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

TEST(RenderTest, CaseJsonHasStableKeysAndNulls) {
  v1::Case c;
  c.set_case_no("2023-0001");
  c.set_state(v1::CASE_STATE_OPEN);
  c.set_channel(v1::CHANNEL_MAIL);
  c.set_applicant_type(v1::APPLICANT_TYPE_NATURAL_PERSON);
  c.set_applicant("张三");
  c.set_request("预算");
  c.mutable_received_on()->set_year(2023);
  c.mutable_received_on()->set_month(3);
  c.mutable_received_on()->set_day(6);
  Json j = CaseToJson(c, true);
  EXPECT_EQ(j.Find("case_no")->as_string(), "2023-0001");
  EXPECT_EQ(j.Find("state")->as_string(), "open");
  EXPECT_EQ(j.Find("channel")->as_string(), "mail");
  EXPECT_EQ(j.Find("applicant_type")->as_string(), "natural_person");
  EXPECT_EQ(j.Find("received_on")->as_string(), "2023-03-06");
  EXPECT_TRUE(j.Find("due_on")->is_null());
  EXPECT_TRUE(j.Find("answered_on")->is_null());
  EXPECT_TRUE(j.Find("outcome")->is_null());
  EXPECT_TRUE(j.Find("events")->is_array());
  EXPECT_EQ(CaseToJson(c, false).Find("events"), nullptr);
}

TEST(RenderTest, TablesAlignChineseText) {
  std::string t = FormatTable({{"编号", "申请人"}, {"2023-0001", "张三"}});
  EXPECT_EQ(t, "编号       申请人\n2023-0001  张三\n");
}

TEST(RenderTest, DateArgValidates) {
  EXPECT_TRUE(DateArg("2024-02-29", "--date").ok());
  EXPECT_THAT(DateArg("2023-2-1", "--date").status().message(),
              HasSubstr("--date"));
}

TEST(RenderTest, CodesAndDatesGoThroughTheSharedConversion) {
  v1::Date bad;
  bad.set_year(2023);
  bad.set_month(2);
  bad.set_day(30);
  EXPECT_EQ(DateText(bad), "");
  EXPECT_EQ(DateText(v1::Date()), "");
  EXPECT_EQ(StateCode(v1::CASE_STATE_AWAITING_FEE), "awaiting_fee");
  EXPECT_EQ(StateCode(v1::CASE_STATE_UNSPECIFIED), "");
  EXPECT_EQ(OutcomeCode(v1::OUTCOME_UNSPECIFIED), "");
  EXPECT_EQ(ChannelCode(v1::CHANNEL_FAX), "fax");
  absl::StatusOr<v1::Date> d = DateArg("2024-02-29", "--date");
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(DateText(*d), "2024-02-29");
}

TEST(RenderTest, StoredEscapesAndBadBytesAreShownNotObeyed) {
  v1::Case c;
  c.set_case_no("2023-0001");
  c.set_state(v1::CASE_STATE_OPEN);
  c.set_applicant("张三\x1b[2J\x1b]0;owned\x07");
  c.set_request("line one\nline two\r\x1b[1Aforged");
  c.mutable_received_on()->set_year(2023);
  c.mutable_received_on()->set_month(3);
  c.mutable_received_on()->set_day(6);
  v1::CaseEvent* e = c.add_events();
  e->set_seq(1);
  e->set_summary(std::string("received\0\xff", 10));
  e->set_actor("clerk\x1b[31m");
  std::ostringstream out;
  PrintCase(c, Lang::kZh, out);
  const std::string text = out.str();
  EXPECT_EQ(text.find('\x1b'), std::string::npos) << text;
  EXPECT_EQ(text.find('\r'), std::string::npos);
  EXPECT_EQ(text.find('\0'), std::string::npos);
  EXPECT_EQ(text.find('\x07'), std::string::npos);
  EXPECT_THAT(text, HasSubstr("张三\\x1b[2J\\x1b]0;owned\\x07"));
  // The request keeps its lines; the carriage return is escaped.
  EXPECT_THAT(text, HasSubstr("line one\nline two\\x0d\\x1b[1Aforged"));
  EXPECT_THAT(text, HasSubstr("received\\x00\xEF\xBF\xBD"));  // U+FFFD
  EXPECT_THAT(text, HasSubstr("clerk\\x1b[31m"));

  std::ostringstream table;
  PrintCaseTable({c}, Lang::kZh, table);
  EXPECT_EQ(table.str().find('\x1b'), std::string::npos) << table.str();
  EXPECT_EQ(table.str().find("line one\n"), std::string::npos);
}

TEST(RenderTest, ShownRowsPutEveryCellOnOneLine) {
  auto rows = ShownRows({{"a\nb", "c\td", "ok"}});
  EXPECT_EQ(rows[0][0], "a\\x0ab");
  EXPECT_EQ(rows[0][1], "c\\x09d");
  EXPECT_EQ(rows[0][2], "ok");
}

v1::Case SampleCase() {
  v1::Case c;
  c.set_case_no("2023-0001");
  c.set_state(v1::CASE_STATE_CLOSED);
  c.set_channel(v1::CHANNEL_MAIL);
  c.set_applicant_type(v1::APPLICANT_TYPE_NATURAL_PERSON);
  c.set_applicant("张三");
  c.set_request("2022年预算");
  c.mutable_received_on()->set_year(2023);
  c.mutable_received_on()->set_month(3);
  c.mutable_received_on()->set_day(6);
  c.mutable_answered_on()->set_year(2023);
  c.mutable_answered_on()->set_month(3);
  c.mutable_answered_on()->set_day(20);
  c.set_outcome(v1::OUTCOME_PARTIALLY_DISCLOSED);
  c.set_extension_days(20);
  c.set_pause_days(3);
  v1::CaseEvent* e = c.add_events();
  e->set_seq(1);
  e->set_summary("收到申请");
  e->set_actor("clerk");
  e->set_recorded_at("2023-03-06T00:21:43Z");
  return c;
}

TEST(RenderTest, CaseInChineseUsesTheOfficialLabelsAndChinaTime) {
  std::ostringstream out;
  PrintCase(SampleCase(), Lang::kZh, out);
  const std::string text = out.str();
  EXPECT_THAT(text, HasSubstr("已办结"));
  EXPECT_THAT(text, HasSubstr("邮寄"));
  EXPECT_THAT(text, HasSubstr("自然人"));
  EXPECT_THAT(text, HasSubstr("（二）部分公开"));
  EXPECT_THAT(text, HasSubstr("2023-03-06 08:21:43 +08:00"));
  EXPECT_THAT(text, Not(HasSubstr("T00:21:43Z")));
  for (const char* english :
       {"Case", "Received", "closed", "mail", "natural_person", "working",
        "partial", "Events", "Recorded"}) {
    EXPECT_THAT(text, Not(HasSubstr(english))) << text;
  }
}

TEST(RenderTest, CaseInEnglishShowsCodesAndNoChineseLabels) {
  std::ostringstream out;
  PrintCase(SampleCase(), Lang::kEn, out);
  const std::string text = out.str();
  EXPECT_THAT(text, HasSubstr("Received"));
  EXPECT_THAT(text, HasSubstr("closed"));
  EXPECT_THAT(text, HasSubstr("mail"));
  EXPECT_THAT(text, HasSubstr("natural_person"));
  EXPECT_THAT(text, HasSubstr("3 working days paused, 20 extension"));
  // The outcome keeps its table 3 row, the law's wording, beside the code.
  EXPECT_THAT(text, HasSubstr("partially_disclosed  （二）部分公开"));
  for (const char* chinese : {"已办结", "邮寄", "自然人", "收到申请日期"}) {
    EXPECT_THAT(text, Not(HasSubstr(chinese))) << text;
  }
  std::ostringstream table;
  PrintCaseTable({SampleCase()}, Lang::kEn, table);
  EXPECT_THAT(table.str(), HasSubstr("Applicant"));
  EXPECT_THAT(table.str(), Not(HasSubstr("申请人")));
}

TEST(RenderTest, AbsentValuesAreNullInJson) {
  v1::Case c;
  c.set_case_no("2023-0002");
  c.set_state(v1::CASE_STATE_OPEN);
  Json j = CaseToJson(c, true);
  for (const char* key :
       {"agency",       "assignee",      "channel",           "applicant_type",
        "applicant",    "contact",       "id_number",         "request",
        "received_on",  "due_on",        "working_days_left", "answered_on",
        "outcome",      "outcome_label", "answer_note",       "due_on_problem",
        "pause_reason", "complete_on",   "reply_started_on",  "fee_amount_yuan",
        "created_at",   "updated_at"}) {
    ASSERT_NE(j.Find(key), nullptr) << key;
    EXPECT_TRUE(j.Find(key)->is_null()) << key << ": " << j.Dump();
  }
  // Codes stay codes whatever the language.
  EXPECT_EQ(j.Find("state")->as_string(), "open");
}

TEST(RenderTest, TimesAreShownInChinaStandardTime) {
  EXPECT_EQ(TimeText("2026-12-01T00:21:43Z"), "2026-12-01 08:21:43 +08:00");
  EXPECT_EQ(TimeText(""), "");
}

}  // namespace
}  // namespace gongkai::cli

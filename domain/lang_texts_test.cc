// Every kind of text the domain makes for a reader, in both languages: the
// Chinese has no English words in it (bar the stable tokens a clerk types
// or reads as codes), and Lang::kEn gives the English.
#include <string>
#include <vector>

#include "absl/strings/str_join.h"
#include "common/lang.h"
#include "domain/alerts.h"
#include "domain/calendar.h"
#include "domain/case.h"
#include "domain/clocks.h"
#include "domain/lifecycle.h"
#include "domain/test_history.h"
#include "domain/test_lang.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace gongkai {
namespace {

using ::testing::HasSubstr;
using ::testing::IsEmpty;

// A history that uses every kind of step, late ones included.
History EveryStep() {
  History h("2023-03-06");
  h.Add("complete", "2023-03-07", {{"note", "材料齐全"}})
      .Add("consultation_started", "2023-03-08",
           {{"id", "C1"},
            {"party", "某公司"},
            {"kind", "third_party"},
            {"received_on", "2023-03-09"}})
      .Add("consultation_received", "2023-03-09", {{"id", "C1"}})
      .Add("consultation_replied", "2023-03-15", {{"id", "C1"}})
      .Add("consultation_started", "2023-03-16",
           {{"id", "C2"}, {"party", "乙局"}, {"kind", "agency"}})
      .Add("extended", "2023-03-20",
           {{"days", 20},
            {"kind", "statutory"},
            {"approved_by", "主任"},
            {"reason", "情况复杂"}})
      .Add("fee_notified", "2023-03-21", {{"amount_fen", 30050}})
      .Add("fee_paid", "2023-03-24", {{"amount_fen", 30050}})
      .Add("assigned", "2023-03-24", {{"after", "李四"}})
      .Add("deadline_recalculated", "2023-03-24",
           {{"from", "2023-04-28"}, {"to", "2023-05-04"}})
      .Add("correction_requested", "2023-06-30",
           {{"period_days", 10}, {"late_reason", "信件遗失"}})
      .Add("corrected", "2023-07-20", {{"late_reason", "申请人住院"}})
      .Add("answered", "2023-07-21", {{"outcome", "partially_disclosed"}});
  return h;
}

TEST(LangTextsTest, EventSummaries) {
  History h = EveryStep();
  h.Add("withdrawn", "2023-07-21", {{"reason", "不再需要"}});
  for (const CaseEvent& e : h.events()) {
    const std::string zh = DescribeEvent(e, Lang::kZh);
    EXPECT_THAT(EnglishWords(zh), IsEmpty()) << e.kind << ": " << zh;
    const std::string en = DescribeEvent(e, Lang::kEn);
    EXPECT_NE(zh, en) << e.kind;
  }
  EXPECT_EQ(DescribeEvent(h.events()[7], Lang::kEn), "fee notice: 300.50 yuan");
  EXPECT_EQ(DescribeEvent(h.events()[7], Lang::kZh),
            "已发出信息处理费缴费通知：300.50 元");
  EXPECT_THAT(DescribeEvent(h.events()[6], Lang::kZh),
              HasSubstr("《条例》第三十三条"));
}

TEST(LangTextsTest, ClockExplanationsLabelsAndLateSteps) {
  const History h = EveryStep();
  ClockOptions zh_options;
  ClockOptions en_options;
  en_options.lang = Lang::kEn;
  auto zh = ComputeClocks(h.events(), WorkCalendar::Official(), zh_options,
                          D("2023-12-29"));
  auto en = ComputeClocks(h.events(), WorkCalendar::Official(), en_options,
                          D("2023-12-29"));
  ASSERT_TRUE(zh.ok()) << zh.status();
  ASSERT_TRUE(en.ok()) << en.status();
  const std::string zh_text = absl::StrJoin(zh->explanation, "\n");
  EXPECT_THAT(EnglishWords(zh_text), IsEmpty()) << zh_text;
  EXPECT_THAT(zh_text, HasSubstr("答复期限"));
  EXPECT_THAT(absl::StrJoin(en->explanation, "\n"),
              HasSubstr("Reply period: 20 working days"));
  ASSERT_EQ(zh->clocks.size(), en->clocks.size());
  for (size_t i = 0; i < zh->clocks.size(); ++i) {
    // The same stable kind and state in either language.
    EXPECT_EQ(zh->clocks[i].kind, en->clocks[i].kind);
    EXPECT_EQ(zh->clocks[i].state, en->clocks[i].state);
    EXPECT_THAT(EnglishWords(zh->clocks[i].label), IsEmpty());
    EXPECT_THAT(EnglishWords(ClockStateLabel(zh->clocks[i].state, Lang::kZh)),
                IsEmpty());
  }
  EXPECT_EQ(zh->clocks[0].label, "答复期限");
  EXPECT_EQ(en->clocks[0].label, "reply to the applicant");
  EXPECT_EQ(ClockStateLabel(kExpired, Lang::kZh), "已逾期");
  EXPECT_EQ(ClockStateLabel(kExpired, Lang::kEn), "expired");
  ASSERT_FALSE(zh->late_steps.empty());
  for (const LateStep& l : zh->late_steps) {
    EXPECT_THAT(EnglishWords(l.why), IsEmpty()) << l.why;
  }
  EXPECT_THAT(en->late_steps[0].why, HasSubstr("after the reply deadline"));
}

TEST(LangTextsTest, CountingTrace) {
  std::vector<CountedDay> trace;
  ASSERT_TRUE(WorkCalendar::Official()
                  .AddWorkingDays(D("2023-01-19"), 20, &trace)
                  .ok());
  const std::string zh = absl::StrJoin(DescribeCount(trace, Lang::kZh), "\n");
  EXPECT_THAT(EnglishWords(zh), IsEmpty()) << zh;
  EXPECT_THAT(zh, HasSubstr("跳过放假日"));
  EXPECT_THAT(absl::StrJoin(DescribeCount(trace, Lang::kEn), "\n"),
              HasSubstr("skipped days off"));
}

// A case received on `received` and a lifecycle acting on `today`.
struct Case {
  explicit Case(const char* received, const char* today) : today(D(today)) {
    NewCase n;
    n.received_on = D(received);
    n.applicant = "张三";
    n.request = "请求公开";
    CaseEvent e;
    record = *OpenCase(n, Ctx(), &e);
    record.case_no = "2023-0001";
    e.seq = 1;
    events = {e};
  }
  ActionContext Ctx() const {
    return {"tester", absl::FromUnixSeconds(0), today, ""};
  }
  Lifecycle Life() const {
    return Lifecycle(Ctx(), WorkCalendar::Official(), {});
  }
  absl::CivilDay today;
  CaseRecord record;
  std::vector<CaseEvent> events;
};

TEST(LangTextsTest, IllegalStepsCiteTheArticleInBothLanguages) {
  Case c("2023-03-06", "2023-12-29");
  // The reply deadline is 2023-04-03: an extension after it is refused.
  auto late = c.Life().Extend(c.record, c.events,
                              {D("2023-04-04"), 10, false, "主任", "情况复杂"});
  ASSERT_EQ(late.status().code(), absl::StatusCode::kFailedPrecondition);
  const std::string zh = MessageIn(late.status(), Lang::kZh);
  EXPECT_THAT(zh, HasSubstr("《政府信息公开条例》第三十三条"));
  EXPECT_THAT(EnglishWords(zh, {"--late-reason"}), IsEmpty()) << zh;
  EXPECT_THAT(MessageIn(late.status(), Lang::kEn), HasSubstr("Art. 33"));

  // Two extensions in one period.
  auto first = c.Life().Extend(c.record, c.events,
                               {D("2023-03-20"), 10, false, "主任", "复杂"});
  ASSERT_TRUE(first.ok()) << first.status();
  first->seq = 2;
  c.events.push_back(*first);
  auto second = c.Life().Extend(c.record, c.events,
                                {D("2023-03-21"), 5, false, "主任", "复杂"});
  ASSERT_EQ(second.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(second.status().message(),
              HasSubstr("《政府信息公开条例》第三十三条"));
  EXPECT_THAT(MessageIn(second.status(), Lang::kEn),
              HasSubstr("at most one extension (Art. 33)"));

  // A second correction notice.
  Case d("2023-03-06", "2023-12-29");
  auto notice =
      d.Life().RequestCorrection(d.record, d.events, D("2023-03-07"), 10);
  ASSERT_TRUE(notice.ok()) << notice.status();
  notice->seq = 2;
  d.events.push_back(*notice);
  auto again =
      d.Life().RequestCorrection(d.record, d.events, D("2023-03-08"), 10);
  EXPECT_THAT(again.status().message(),
              HasSubstr("《政府信息公开条例》第三十条"));
  EXPECT_THAT(MessageIn(again.status(), Lang::kEn), HasSubstr("(Art. 30)"));
}

TEST(LangTextsTest, ValidationErrorsNameTheFieldInChinese) {
  Case c("2023-03-06", "2023-12-29");
  NewCase n;
  n.received_on = D("2023-03-06");
  n.request = "请求公开";
  CaseEvent e;
  absl::StatusOr<CaseRecord> r = OpenCase(n, c.Ctx(), &e);
  ASSERT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(r.status().message(), "申请人姓名（名称）为必填项");
  EXPECT_EQ(MessageIn(r.status(), Lang::kEn), "applicant name is required");
  EXPECT_THAT(
      EnglishWords(ParseOutcome("nonsense").status().message(), {"nonsense"}),
      ::testing::Not(IsEmpty()))
      << "the Chinese list of outcomes names their codes";
  EXPECT_THAT(ParseOutcome("nonsense").status().message(),
              HasSubstr("未知的办理结果"));
}

TEST(LangTextsTest, Alerts) {
  // Received 2023-03-06, due 2023-04-03; on 2023-04-10 overdue.
  History h("2023-03-06");
  h.Add("consultation_started", "2023-03-07",
        {{"id", "C1"}, {"party", "某公司"}, {"kind", "third_party"}});
  for (Lang lang : {Lang::kZh, Lang::kEn}) {
    ClockOptions co;
    co.lang = lang;
    auto clocks = ComputeClocks(h.events(), WorkCalendar::Official(), co,
                                D("2023-04-10"));
    ASSERT_TRUE(clocks.ok());
    AlertOptions ao;
    ao.lang = lang;
    auto alerts = CaseAlerts("2023-0001", *clocks, D("2023-04-10"),
                             WorkCalendar::Official(), ao);
    ASSERT_TRUE(alerts.ok());
    ASSERT_FALSE(alerts->empty());
    for (const Alert& a : *alerts) {
      if (lang == Lang::kZh) {
        EXPECT_THAT(EnglishWords(a.message), IsEmpty()) << a.message;
      } else {
        EXPECT_THAT(a.message, HasSubstr("had no reply by"));
      }
    }
  }
  PublicationState p;
  p.duties.push_back({"", "某局", 1, 31, {}});
  p.duties[0].records_from = 2022;
  for (const Alert& a :
       ReportAlerts(D("2024-02-01"), p, WorkCalendar::Official(), Lang::kZh)) {
    EXPECT_THAT(EnglishWords(a.message), IsEmpty()) << a.message;
    EXPECT_THAT(a.message, HasSubstr("第四十九条"));
  }
  // A deadline that cannot be computed: the words in the reader's language,
  // the key the same in both.
  auto missing = ComputeClocks(History("2026-12-15").events(),
                               WorkCalendar::Official(), {}, D("2026-12-31"));
  ASSERT_FALSE(missing.ok());
  Alert zh =
      DeadlineUnknownAlert("X", D("2026-12-31"), missing.status(), Lang::kZh);
  Alert en =
      DeadlineUnknownAlert("X", D("2026-12-31"), missing.status(), Lang::kEn);
  EXPECT_EQ(zh.key, en.key);
  EXPECT_EQ(zh.key, "X|deadline_unknown|calendar:2027");
  EXPECT_THAT(EnglishWords(zh.message), IsEmpty()) << zh.message;
  EXPECT_THAT(en.message, HasSubstr("no official schedule for 2027"));
}

TEST(LangTextsTest, TheScannerFindsEnglish) {
  EXPECT_THAT(EnglishWords("答复期限 2023-04-03 已届满"), IsEmpty());
  EXPECT_THAT(EnglishWords("案件 2023-0001 征求意见 C1"), IsEmpty());
  EXPECT_THAT(EnglishWords("reply overdue since 2023-04-03"),
              ::testing::ElementsAre("reply", "overdue", "since"));
  EXPECT_THAT(EnglishWords("请注明（--late-reason）", {"--late-reason"}),
              IsEmpty());
  EXPECT_THAT(EnglishWords("请注明（--late-reason）"),
              ::testing::Not(IsEmpty()));
}

}  // namespace
}  // namespace gongkai

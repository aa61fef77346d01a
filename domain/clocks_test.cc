// Hand-checked deadline scenarios. Expected dates were counted by hand on the
// State Council schedules (and cross-checked with an independent script).
#include "domain/clocks.h"

#include <random>

#include "absl/strings/str_join.h"
#include "common/lang.h"
#include "domain/test_history.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace gongkai {
namespace {

using ::testing::HasSubstr;

const absl::CivilDay kLater = absl::CivilDay(2026, 12, 31);

// Most tests here read the explanation in English; ChineseTexts checks the
// Chinese.
ClockOptions English() {
  ClockOptions o;
  o.lang = Lang::kEn;
  return o;
}

ClockReport Clocks(const History& h, absl::CivilDay as_of = kLater,
                   ClockOptions options = English()) {
  auto r = ComputeClocks(h.events(), WorkCalendar::Official(), options, as_of);
  EXPECT_TRUE(r.ok()) << r.status();
  return r.ok() ? *r : ClockReport{};
}

absl::CivilDay Due(const History& h) {
  ClockReport r = Clocks(h);
  EXPECT_TRUE(r.reply_due.has_value());
  return r.reply_due.value_or(absl::CivilDay());
}

const Clock* Find(const ClockReport& r, const std::string& kind,
                  const std::string& id = "") {
  for (const Clock& c : r.clocks) {
    if (c.kind == kind && c.id == id) return &c;
  }
  return nullptr;
}

TEST(ReplyDeadlineTest, TwentyWorkingDays) {
  EXPECT_EQ(Due(History("2023-03-06")), D("2023-04-03"));
  EXPECT_EQ(Due(History("2023-01-19")), D("2023-02-21"));
  EXPECT_EQ(Due(History("2019-05-15")), D("2019-06-13"));
  EXPECT_EQ(Due(History("2026-10-30")), D("2026-11-27"));
}

TEST(ReplyDeadlineTest, LegacyCasesHaveFifteenDays) {
  EXPECT_EQ(ReplyPeriodDays(D("2019-05-14")), 15);
  EXPECT_EQ(ReplyPeriodDays(D("2019-05-15")), 20);
  EXPECT_EQ(MaxExtensionDays(D("2019-05-14")), 15);
  EXPECT_EQ(Due(History("2019-05-14")), D("2019-06-04"));
  EXPECT_EQ(Due(History("2019-05-06")), D("2019-05-27"));
}

TEST(ReplyDeadlineTest, RefusesWhenCalendarRunsOut) {
  auto r = ComputeClocks(History("2026-12-15").events(),
                         WorkCalendar::Official(), {}, kLater);
  EXPECT_EQ(r.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(MessageIn(r.status(), Lang::kEn),
              HasSubstr("no official schedule for 2027"));
}

TEST(ReplyDeadlineTest, ExplainsItsArithmetic) {
  ClockReport r = Clocks(History("2023-01-19"));
  std::string text = absl::StrJoin(r.explanation, "\n");
  EXPECT_THAT(text, HasSubstr("Received on 2023-01-19 (Thursday)"));
  EXPECT_THAT(text, HasSubstr("20 working days (Regulations, Art. 33)"));
  EXPECT_THAT(text, HasSubstr("never counted (Civil Code Art. 201)"));
  EXPECT_THAT(text, HasSubstr("skipped days off 01-21 Sat 春节"));
  EXPECT_THAT(text,
              HasSubstr("counted make-up working days 01-28 Sat 春节调休"));
  EXPECT_THAT(text, HasSubstr("Reply due on 2023-02-21 (Tuesday), the 20th"));
}

TEST(ReplyDeadlineTest, ClockStateFollowsTheAnswer) {
  History on_time("2023-03-06");
  on_time.Add("answered", "2023-04-03");
  EXPECT_EQ(Find(Clocks(on_time), kClockReply)->state, kMet);
  History late("2023-03-06");
  late.Add("answered", "2023-04-04");
  EXPECT_EQ(Find(Clocks(late), kClockReply)->state, kMissed);
  EXPECT_EQ(
      Find(Clocks(History("2023-03-06"), D("2023-03-20")), kClockReply)->state,
      kRunning);
  EXPECT_EQ(
      Find(Clocks(History("2023-03-06"), D("2023-04-04")), kClockReply)->state,
      kExpired);
}

TEST(CorrectionTest, RestartsTheReplyPeriod) {
  History h("2023-03-06");
  h.Add("correction_requested", "2023-03-08", {{"period_days", 10}});
  ClockReport waiting = Clocks(h, D("2023-03-10"));
  EXPECT_TRUE(waiting.paused);
  EXPECT_FALSE(waiting.reply_due.has_value());
  EXPECT_EQ(*waiting.correction_due, D("2023-03-22"));
  EXPECT_EQ(Find(waiting, kClockCorrectionNotice)->state, kMet);
  EXPECT_EQ(*Find(waiting, kClockCorrectionNotice)->due_on, D("2023-03-15"));
  EXPECT_EQ(Find(Clocks(h, D("2023-03-23")), kClockCorrectionPeriod)->state,
            kExpired);

  h.Add("corrected", "2023-03-15");
  ClockReport r = Clocks(h);
  EXPECT_FALSE(r.paused);
  EXPECT_EQ(r.reply_start, D("2023-03-15"));
  EXPECT_EQ(*r.reply_due, D("2023-04-13"));
  EXPECT_EQ(Find(r, kClockCorrectionPeriod)->state, kMet);
  EXPECT_THAT(absl::StrJoin(r.explanation, "\n"),
              HasSubstr("starts again from this day (Art. 30)"));
}

TEST(ConsultationTest, PausesAcrossNationalDay) {
  History h("2023-09-20");
  h.Add("consultation_started", "2023-09-25",
        {{"id", "C1"}, {"party", "某公司"}, {"kind", "third_party"}});
  ClockReport open = Clocks(h, D("2023-10-09"));
  EXPECT_TRUE(open.paused);
  EXPECT_FALSE(open.reply_due.has_value());
  EXPECT_EQ(*Find(open, kClockConsultation, "C1")->due_on, D("2023-10-20"));

  h.Add("consultation_replied", "2023-10-12", {{"id", "C1"}});
  ClockReport r = Clocks(h);
  EXPECT_EQ(r.pause_days, 9);
  EXPECT_EQ(*r.reply_due, D("2023-11-06"));
  EXPECT_EQ(Find(r, kClockConsultation, "C1")->state, kMet);
}

// Overlapping consultations count each day once (domain.md section 4).
// C1 (03-08, 03-15] and C2 (03-10, 03-20] together cover (03-08, 03-20]:
// 03-09, 10, 13, 14, 15, 16, 17, 20 = 8 working days, not 5 + 6 = 11.
// 20 working days after Mon 03-06 is 04-03; 8 more: 04-04, (04-05 清明 off),
// 04-06, 07, 10, 11, 12, 13, 14 -> 2023-04-14.
TEST(ConsultationTest, OverlappingConsultationsCountEachDayOnce) {
  History h("2023-03-06");
  h.Add("consultation_started", "2023-03-08", {{"id", "C1"}, {"party", "甲"}})
      .Add("consultation_started", "2023-03-10",
           {{"id", "C2"}, {"party", "乙"}})
      .Add("consultation_replied", "2023-03-15", {{"id", "C1"}});
  EXPECT_TRUE(Clocks(h, D("2023-03-16")).paused);  // C2 still open
  h.Add("consultation_replied", "2023-03-20", {{"id", "C2"}});
  ClockReport r = Clocks(h);
  EXPECT_EQ(r.pause_days, 8);
  EXPECT_EQ(*r.reply_due, D("2023-04-14"));
  EXPECT_THAT(absl::StrJoin(r.explanation, "\n"), HasSubstr("counts once"));
}

// Two letters sent the same day and answered the same day: (03-08, 03-15]
// is 03-09, 10, 13, 14, 15 = 5 working days, once. 20 + 5 after 03-06:
// 04-03 + 04-04, 04-06, 04-07, 04-10, 04-11 -> 2023-04-11.
TEST(ConsultationTest, TwoLettersOnTheSameDaysCountOnce) {
  History h("2023-03-06");
  h.Add("consultation_started", "2023-03-08", {{"id", "C1"}, {"party", "甲"}})
      .Add("consultation_started", "2023-03-08",
           {{"id", "C2"}, {"party", "乙"}})
      .Add("consultation_replied", "2023-03-15", {{"id", "C1"}})
      .Add("consultation_replied", "2023-03-15", {{"id", "C2"}});
  ClockReport r = Clocks(h);
  EXPECT_EQ(r.pause_days, 5);
  EXPECT_EQ(*r.reply_due, D("2023-04-11"));
}

// A consultation sent after the deadline (04-03) excludes nothing; one sent
// on the deadline day itself is in time. (04-03, 04-10] is 04-04, 04-06,
// 04-07, 04-10 = 4 working days (04-05 清明): 24 after 03-06 -> 04-10.
TEST(ConsultationTest, AfterTheDeadlineItExcludesNothing) {
  History late("2023-03-06");
  late.Add("consultation_started", "2023-04-04",
           {{"id", "C1"}, {"party", "甲"}})
      .Add("consultation_replied", "2023-04-10", {{"id", "C1"}});
  ClockReport r = Clocks(late);
  EXPECT_EQ(*r.reply_due, D("2023-04-03"));
  EXPECT_EQ(r.pause_days, 0);
  EXPECT_TRUE(r.consultations[0].late);
  ASSERT_EQ(r.late_steps.size(), 1u);
  EXPECT_EQ(r.late_steps[0].kind, "consultation_started");
  // While the late letter is out the case is not paused: it is overdue.
  ClockReport during = Clocks(late, D("2023-04-06"));
  EXPECT_FALSE(during.paused);
  EXPECT_EQ(Find(during, kClockReply)->state, kExpired);

  History on_time("2023-03-06");
  on_time
      .Add("consultation_started", "2023-04-03",
           {{"id", "C1"}, {"party", "甲"}})
      .Add("consultation_replied", "2023-04-10", {{"id", "C1"}});
  ClockReport ok = Clocks(on_time);
  EXPECT_EQ(ok.pause_days, 4);
  EXPECT_EQ(*ok.reply_due, D("2023-04-10"));
  EXPECT_TRUE(ok.late_steps.empty());
}

// The party's 15 working days run from its receipt of the letter (Arts. 32,
// 34). Sent Wed 03-08, received Mon 03-13: 15 working days after 03-13 are
// 03-14..17 (4), 03-20..24 (9), 03-27..31 (14), 04-03 (15) -> lapses 04-03
// (from the sent day it would be 03-29). No reply: the pause is (03-08,
// 04-03] = 18 working days; 20 + 18 after 03-06 -> 2023-04-27.
TEST(ConsultationTest, WindowRunsFromThePartysReceipt) {
  History h("2023-03-06");
  h.Add("consultation_started", "2023-03-08",
        {{"id", "C1"}, {"party", "甲"}, {"received_on", "2023-03-13"}});
  EXPECT_EQ(Clocks(h).consultations[0].lapses_on, D("2023-04-03"));
  EXPECT_TRUE(Clocks(h, D("2023-04-03")).paused);  // its last day
  ClockReport r = Clocks(h, D("2023-04-04"));
  EXPECT_FALSE(r.paused);
  EXPECT_EQ(r.pause_days, 18);
  EXPECT_EQ(*r.reply_due, D("2023-04-27"));

  // The same receipt recorded later, as its own step.
  History later("2023-03-06");
  later
      .Add("consultation_started", "2023-03-08",
           {{"id", "C1"}, {"party", "甲"}})
      .Add("consultation_received", "2023-03-13", {{"id", "C1"}});
  EXPECT_EQ(Clocks(later).consultations[0].lapses_on, D("2023-04-03"));
  EXPECT_TRUE(Clocks(later).consultations[0].receipt_recorded);
  EXPECT_EQ(*Clocks(later).reply_due, D("2023-04-27"));
}

TEST(ConsultationTest, LapsesAfterFifteenWorkingDays) {
  History h("2023-03-06");
  h.Add("consultation_started", "2023-03-08", {{"id", "C1"}, {"party", "甲"}});
  EXPECT_TRUE(Clocks(h, D("2023-03-29")).paused);  // the last day to reply
  ClockReport lapsed = Clocks(h, D("2023-03-30"));
  EXPECT_FALSE(lapsed.paused);
  EXPECT_EQ(lapsed.pause_days, 15);
  EXPECT_EQ(*lapsed.reply_due, D("2023-04-24"));
  EXPECT_EQ(Find(lapsed, kClockConsultation, "C1")->state, kExpired);
  // A reply after the lapse does not stretch the pause.
  h.Add("consultation_replied", "2023-04-03", {{"id", "C1"}});
  EXPECT_EQ(*Clocks(h).reply_due, D("2023-04-24"));
}

TEST(ExtensionTest, ExtensionThenConsultation) {
  History h("2024-01-19");
  EXPECT_EQ(Due(h), D("2024-02-21"));
  h.Add("extended", "2024-02-05", {{"days", 10}, {"kind", "statutory"}})
      .Add("consultation_started", "2024-02-20",
           {{"id", "C1"}, {"party", "乙局"}, {"kind", "agency"}})
      .Add("consultation_replied", "2024-02-28", {{"id", "C1"}});
  ClockReport r = Clocks(h);
  EXPECT_EQ(r.extension_days, 10);
  EXPECT_EQ(r.pause_days, 6);
  EXPECT_EQ(*r.reply_due, D("2024-03-14"));
  std::string text = absl::StrJoin(r.explanation, "\n");
  EXPECT_THAT(text, HasSubstr("Counting 36 working days after 2024-01-19"));
  EXPECT_THAT(text,
              HasSubstr("20 (period) + 6 (paused) + 10 (extension, Art. 33)"));
}

// An Art. 35 period is its own step: it does not use up the Art. 33
// extension. 20 + 10 + 30 = 60 working days after 03-06 -> 2023-05-31
// (04-05 清明 and 04-29..05-03 劳动节 off, 04-23 and 05-06 worked).
TEST(ExtensionTest, Article35DoesNotUseUpTheArticle33Extension) {
  History h("2023-03-06");
  h.Add("extended", "2023-03-20",
        {{"days", 30}, {"kind", "unreasonable_volume"}})
      .Add("extended", "2023-03-27", {{"days", 10}, {"kind", "statutory"}});
  ClockReport r = Clocks(h);
  EXPECT_TRUE(r.extended);
  EXPECT_TRUE(r.unreasonable_period_set);
  EXPECT_EQ(r.extension_days, 10);
  EXPECT_EQ(r.unreasonable_period_days, 30);
  EXPECT_EQ(*r.reply_due, D("2023-05-31"));
}

// An extension approved after the deadline (04-03) adds nothing and does not
// count as the case's extension.
TEST(ExtensionTest, LateExtensionAddsNothing) {
  History h("2023-03-06");
  h.Add("extended", "2023-04-04", {{"days", 10}, {"kind", "statutory"}});
  ClockReport r = Clocks(h);
  EXPECT_EQ(*r.reply_due, D("2023-04-03"));
  EXPECT_FALSE(r.extended);
  EXPECT_EQ(r.extension_days, 0);
  ASSERT_EQ(r.late_steps.size(), 1u);
}

// A fee paid long after its period pauses the reply only up to the end of
// the period. Notice received Fri 03-10; 20 working days from the day after
// run to Mon 04-10 (04-05 清明 skipped). (03-10, 04-10] holds 20 working
// days; 20 + 20 after 03-06: 04-03 + 04-04, 04-06 .. 05-04 (04-29..05-03
// 劳动节 off, 04-23 Sun worked) -> 2023-05-04. Without payment the pause also
// ends on 04-10 and the deadline is fixed again.
TEST(FeeTest, LatePaymentPausesNoLongerThanThePaymentPeriod) {
  History h("2023-03-06");
  h.Add("fee_notified", "2023-03-10", {{"amount_fen", 30000}});
  EXPECT_TRUE(Clocks(h, D("2023-04-10")).paused);
  ClockReport unpaid = Clocks(h, D("2023-04-11"));
  EXPECT_FALSE(unpaid.paused);
  EXPECT_TRUE(unpaid.fee_open);
  EXPECT_EQ(unpaid.pause_days, 20);
  EXPECT_EQ(*unpaid.reply_due, D("2023-05-04"));
  h.Add("fee_paid", "2023-05-15", {{"late_reason", "申请人住院"}});
  ClockReport r = Clocks(h);
  EXPECT_EQ(r.pause_days, 20);
  EXPECT_EQ(*r.reply_due, D("2023-05-04"));
}

TEST(FeeTest, PauseFromNoticeToPaymentIsConfigurable) {
  History h("2023-03-06");
  h.Add("fee_notified", "2023-03-10", {{"amount_fen", 30000}});
  ClockReport waiting = Clocks(h, D("2023-03-15"));
  EXPECT_TRUE(waiting.paused);
  EXPECT_EQ(*waiting.fee_due, D("2023-04-10"));
  EXPECT_EQ(Find(Clocks(h, D("2023-04-11")), kClockFeePayment)->state,
            kExpired);
  h.Add("fee_paid", "2023-03-20");
  EXPECT_EQ(*Clocks(h).reply_due, D("2023-04-12"));
  ClockOptions no_pause;
  no_pause.fee_pauses_reply = false;
  EXPECT_EQ(*Clocks(h, kLater, no_pause).reply_due, D("2023-04-03"));
}

TEST(SpringFestivalTest, ConsultationAcrossTheNineDayHoliday) {
  History h("2026-02-10");
  h.Add("consultation_started", "2026-02-12", {{"id", "C1"}, {"party", "丙"}});
  EXPECT_EQ(*Find(Clocks(h, D("2026-02-13")), kClockConsultation, "C1")->due_on,
            D("2026-03-11"));
  h.Add("consultation_replied", "2026-03-02", {{"id", "C1"}});
  ClockReport r = Clocks(h);
  EXPECT_EQ(r.pause_days, 8);
  EXPECT_EQ(*r.reply_due, D("2026-03-26"));
}

TEST(ExplainTest, SameDatesWithoutTheDayByDayAccount) {
  History h("2024-01-19");
  h.Add("extended", "2024-02-05", {{"days", 10}, {"kind", "statutory"}})
      .Add("consultation_started", "2024-02-20",
           {{"id", "C1"}, {"party", "乙"}})
      .Add("consultation_replied", "2024-02-28", {{"id", "C1"}});
  ClockOptions quiet;
  quiet.explain = false;
  ClockReport full = Clocks(h);
  ClockReport brief = Clocks(h, kLater, quiet);
  EXPECT_EQ(brief.reply_due, full.reply_due);
  EXPECT_EQ(brief.pause_days, full.pause_days);
  EXPECT_TRUE(brief.explanation.empty());
  EXPECT_FALSE(full.explanation.empty());
}

// A correction notice sent after the reply deadline restarts nothing: the
// case received Mon 03-06 was due 04-03; the notice of 04-04 and the
// corrected application of 04-10 leave it due 04-03, and the answer of
// 04-20 is late.
TEST(CorrectionTest, LateNoticeRestartsNothing) {
  History h("2023-03-06");
  h.Add("correction_requested", "2023-04-04", {{"period_days", 10}});
  ClockReport waiting = Clocks(h, D("2023-04-06"));
  EXPECT_FALSE(waiting.paused);
  EXPECT_TRUE(waiting.awaiting_correction);
  EXPECT_FALSE(waiting.stopped_for_correction);
  EXPECT_EQ(*waiting.reply_due, D("2023-04-03"));
  EXPECT_EQ(Find(waiting, kClockReply)->state, kExpired);
  h.Add("corrected", "2023-04-10").Add("answered", "2023-04-20");
  ClockReport r = Clocks(h);
  EXPECT_EQ(r.reply_start, D("2023-03-06"));
  EXPECT_EQ(*r.reply_due, D("2023-04-03"));
  EXPECT_EQ(Find(r, kClockReply)->state, kMissed);
  ASSERT_EQ(r.late_steps.size(), 1u);
  EXPECT_EQ(r.late_steps[0].kind, "correction_requested");
}

// In time, the corrected application starts a fresh 20 working days:
// corrected Mon 03-20 -> 20 working days later is 04-18 (04-05 清明 off).
TEST(CorrectionTest, NoticeInTimeRestartsFromTheCorrectedApplication) {
  History h("2023-03-06");
  h.Add("correction_requested", "2023-03-08", {{"period_days", 10}});
  EXPECT_TRUE(Clocks(h, D("2023-03-10")).paused);
  h.Add("corrected", "2023-03-20");
  ClockReport r = Clocks(h);
  EXPECT_EQ(r.reply_start, D("2023-03-20"));
  EXPECT_EQ(*r.reply_due, D("2023-04-18"));
}

// An extension approved before the restart ends with the old period, and no
// longer blocks one on the new period: corrected 03-20, then 15 days
// extension on 04-03; 35 working days after 03-20 -> 2023-05-10.
TEST(CorrectionTest, ExtensionBeforeTheRestartLapsesAndANewOneCounts) {
  History h("2023-03-06");
  h.Add("extended", "2023-03-07", {{"days", 20}, {"kind", "statutory"}})
      .Add("correction_requested", "2023-03-08", {{"period_days", 10}})
      .Add("corrected", "2023-03-20");
  ClockReport restarted = Clocks(h, D("2023-03-21"));
  EXPECT_FALSE(restarted.extended);
  EXPECT_EQ(restarted.extension_days, 0);
  EXPECT_EQ(*restarted.reply_due, D("2023-04-18"));
  h.Add("extended", "2023-04-03", {{"days", 15}, {"kind", "statutory"}});
  ClockReport r = Clocks(h);
  EXPECT_TRUE(r.extended);
  EXPECT_EQ(r.extension_days, 15);
  EXPECT_EQ(*r.reply_due, D("2023-05-10"));
}

// Closed as other_no_correction while the reply period was stopped: the
// reply clock ended; it was neither met nor missed.
TEST(CorrectionTest, AbandonedCaseHasNoReplyDeadline) {
  History h("2023-03-06");
  h.Add("correction_requested", "2023-03-08", {{"period_days", 10}})
      .Add("answered", "2023-03-30", {{"outcome", "other_no_correction"}});
  ClockReport r = Clocks(h);
  EXPECT_FALSE(r.reply_due.has_value());
  EXPECT_EQ(Find(r, kClockReply)->state, kEnded);
  EXPECT_FALSE(Find(r, kClockReply)->due_on.has_value());
}

// The 7-working-day notice clock (due 03-15 for a case of 03-06) ends once
// the application is recorded complete or a step shows it was understood.
TEST(CorrectionNoticeClockTest, EndsWhenCompleteOrUnderstood) {
  History plain("2023-03-06");
  EXPECT_EQ(
      *Find(Clocks(plain, D("2023-03-10")), kClockCorrectionNotice)->due_on,
      D("2023-03-15"));
  EXPECT_EQ(Find(Clocks(plain, D("2023-03-10")), kClockCorrectionNotice)->state,
            kRunning);
  History complete("2023-03-06");
  complete.Add("complete", "2023-03-07");
  ClockReport r = Clocks(complete, D("2023-03-10"));
  EXPECT_EQ(Find(r, kClockCorrectionNotice)->state, kEnded);
  EXPECT_EQ(r.complete_on, D("2023-03-07"));
  for (const char* kind :
       {"consultation_started", "fee_notified", "extended"}) {
    History h("2023-03-06");
    h.Add(kind, "2023-03-08",
          {{"id", "C1"}, {"party", "甲"}, {"days", 5}, {"amount_fen", 100}});
    EXPECT_EQ(Find(Clocks(h, D("2023-03-10")), kClockCorrectionNotice)->state,
              kEnded)
        << kind;
  }
}

// The 2008 regulation set no limit for asking for a correction: a case
// received before 2019-05-15 has no such clock.
TEST(CorrectionNoticeClockTest, NoneForCasesUnderThe2008Regulation) {
  History legacy("2019-05-14");
  EXPECT_EQ(Find(Clocks(legacy, D("2019-05-15")), kClockCorrectionNotice),
            nullptr);
  History current("2019-05-15");
  EXPECT_NE(Find(Clocks(current, D("2019-05-16")), kClockCorrectionNotice),
            nullptr);
}

// Everything a report says, bar the explanation, as one comparable string.
std::string Summary(const ClockReport& r) {
  auto day = [](const std::optional<absl::CivilDay>& d) {
    return d.has_value() ? FormatDate(*d) : std::string("-");
  };
  std::string s = absl::StrCat(
      FormatDate(r.reply_start), " ", r.reply_period_days, " ", r.pause_days,
      " ", r.extension_days, " ", r.paused, r.pause_reason, " ",
      day(r.reply_due), " ", day(r.closed_on), " ", r.awaiting_correction,
      r.correction_requested, r.corrected, " ", day(r.correction_due), " ",
      r.fee_open, r.fee_notified, " ", day(r.fee_due), r.extended, " ",
      r.unreasonable_period_days, r.unreasonable_period_set,
      r.stopped_for_correction, day(r.complete_on), ";");
  for (const ConsultationInfo& c : r.consultations) {
    absl::StrAppend(&s, c.id, c.kind, FormatDate(c.lapses_on),
                    FormatDate(c.received_on), day(c.replied_on), c.open,
                    c.late, c.pause_days, ";");
  }
  for (const LateStep& l : r.late_steps) {
    absl::StrAppend(&s, l.kind, FormatDate(l.on), ";");
  }
  for (const Clock& c : r.clocks) {
    absl::StrAppend(&s, c.kind, c.id, day(c.due_on), c.state, ";");
  }
  return s;
}

TEST(HoldsThroughTest, PlainCaseHoldsUntilTheCorrectionNoticeWindowEnds) {
  History h("2023-03-01");
  ClockReport r = Clocks(h, D("2023-03-02"));
  // The correction-notice clock ends the day after its 7th working day.
  EXPECT_EQ(r.holds_through, D("2023-03-10"));
  ClockReport closed = Clocks(
      History("2023-03-01").Add("answered", "2023-03-03"), D("2023-03-06"));
  EXPECT_EQ(closed.holds_through, kNoChangeAhead);
}

// The report really is the same on every day through holds_through, over
// random histories of every kind of event.
TEST(HoldsThroughTest, ReportIsUnchangedThroughThatDay) {
  std::mt19937 rng(2024);
  int checked_days = 0;
  for (int trial = 0; trial < 400; ++trial) {
    const absl::CivilDay received =
        absl::CivilDay(2023, 1, 3) + static_cast<int>(rng() % 600);
    const History h = RandomHistory(rng, received, /*may_close=*/true);
    ClockOptions options;
    options.explain = false;
    options.fee_pauses_reply = rng() % 2 == 0;
    const absl::CivilDay as_of = received + static_cast<int>(rng() % 120);
    auto r =
        ComputeClocks(h.events(), WorkCalendar::Official(), options, as_of);
    if (!r.ok()) continue;
    ASSERT_GE(r->holds_through, as_of);
    const std::string expected = Summary(*r);
    const absl::CivilDay last = std::min(r->holds_through, as_of + 150);
    for (absl::CivilDay day = as_of; day <= last; ++day) {
      auto later =
          ComputeClocks(h.events(), WorkCalendar::Official(), options, day);
      ASSERT_TRUE(later.ok()) << later.status();
      ASSERT_EQ(Summary(*later), expected)
          << "trial " << trial << " as of " << FormatDate(as_of)
          << " differs on " << FormatDate(day);
      ++checked_days;
    }
  }
  EXPECT_GT(checked_days, 2000);  // the windows are not trivially short
}

TEST(AsOfTest, LaterEventsAreIgnored) {
  History h("2023-03-06");
  h.Add("answered", "2023-03-20");
  ClockReport before = Clocks(h, D("2023-03-10"));
  EXPECT_FALSE(before.closed_on.has_value());
  EXPECT_EQ(Find(before, kClockReply)->state, kRunning);
  EXPECT_FALSE(
      ComputeClocks(h.events(), WorkCalendar::Official(), {}, D("2023-03-05"))
          .ok());
}

}  // namespace
}  // namespace gongkai

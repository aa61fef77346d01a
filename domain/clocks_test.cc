// Hand-checked deadline scenarios. Expected dates were counted by hand on the
// State Council schedules (and cross-checked with an independent script).
#include "domain/clocks.h"

#include <random>

#include "absl/strings/str_join.h"
#include "domain/test_history.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace gongkai {
namespace {

using ::testing::HasSubstr;

const absl::CivilDay kLater = absl::CivilDay(2026, 12, 31);

ClockReport Clocks(const History& h, absl::CivilDay as_of = kLater,
                   ClockOptions options = {}) {
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
  EXPECT_THAT(r.status().message(), HasSubstr("no official schedule for 2027"));
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

TEST(ConsultationTest, OverlappingConsultationsAddUp) {
  History h("2023-03-06");
  h.Add("consultation_started", "2023-03-08", {{"id", "C1"}, {"party", "甲"}})
      .Add("consultation_started", "2023-03-10",
           {{"id", "C2"}, {"party", "乙"}})
      .Add("consultation_replied", "2023-03-15", {{"id", "C1"}});
  EXPECT_TRUE(Clocks(h, D("2023-03-16")).paused);  // C2 still open
  h.Add("consultation_replied", "2023-03-20", {{"id", "C2"}});
  ClockReport r = Clocks(h);
  EXPECT_EQ(r.pause_days, 5 + 6);
  EXPECT_EQ(*r.reply_due, D("2023-04-19"));
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
  EXPECT_THAT(text, HasSubstr("20 (period) + 6 (paused) + 10 (extension)"));
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
      r.fee_open, r.fee_notified, " ", day(r.fee_due), r.extended, ";");
  for (const ConsultationInfo& c : r.consultations) {
    absl::StrAppend(&s, c.id, c.kind, FormatDate(c.lapses_on),
                    day(c.replied_on), c.open, c.pause_days, ";");
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

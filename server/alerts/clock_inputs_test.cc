#include "server/alerts/clock_inputs.h"

#include <random>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/dates.h"
#include "domain/alerts.h"
#include "domain/calendar.h"
#include "domain/clocks.h"
#include "domain/test_history.h"
#include "gtest/gtest.h"

namespace gongkai::alerts {
namespace {

// Everything of a ClockReport that does not depend on `explain`, as text, so
// that a difference shows which field it is in.
std::string Facts(const absl::StatusOr<ClockReport>& r) {
  if (!r.ok()) return absl::StrCat("error: ", r.status().ToString());
  auto day = [](const std::optional<absl::CivilDay>& d) {
    return d.has_value() ? FormatDate(*d) : std::string("-");
  };
  std::string out = absl::StrCat(
      "received ", FormatDate(r->received_on), " start ",
      FormatDate(r->reply_start), " period ", r->reply_period_days, " pause ",
      r->pause_days, " ext ", r->extension_days, "/",
      r->unreasonable_period_days, " paused ", r->paused, " ", r->pause_reason,
      " due ", day(r->reply_due), " closed ", day(r->closed_on), " flags ",
      r->stopped_for_correction, r->awaiting_correction,
      r->correction_requested, r->corrected, r->fee_open, r->fee_notified,
      r->extended, r->unreasonable_period_set, " complete ",
      day(r->complete_on), " correction ", day(r->correction_due), " fee ",
      day(r->fee_due), " holds ", FormatDate(r->holds_through), "\n");
  for (const Clock& c : r->clocks) {
    absl::StrAppend(&out, "clock ", c.kind, " ", c.id, " ", c.label, " ",
                    day(c.due_on), " ", c.state, "\n");
  }
  for (const ConsultationInfo& c : r->consultations) {
    absl::StrAppend(&out, "consultation ", c.id, " ", c.party, " ", c.kind, " ",
                    FormatDate(c.sent_on), " ", FormatDate(c.received_on), " ",
                    c.receipt_recorded, " ", FormatDate(c.lapses_on), " ",
                    day(c.replied_on), " ", c.open, c.late, " ", c.pause_days,
                    "\n");
  }
  for (const LateStep& s : r->late_steps) {
    absl::StrAppend(&out, "late ", s.kind, " ", FormatDate(s.on), " ",
                    FormatDate(s.deadline), " ", s.why, "\n");
  }
  return out;
}

// ComputeClocks on the events and on their clock inputs, on `as_of`.
void ExpectSameClocks(const std::vector<CaseEvent>& events,
                      absl::CivilDay as_of, const std::string& trace) {
  ClockOptions options;
  options.explain = false;
  const WorkCalendar calendar = WorkCalendar::Official();
  absl::StatusOr<std::vector<CaseEvent>> decoded =
      DecodeClockInputs(EncodeClockInputs(events));
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  EXPECT_EQ(Facts(ComputeClocks(*decoded, calendar, options, as_of)),
            Facts(ComputeClocks(events, calendar, options, as_of)))
      << trace << " on " << FormatDate(as_of);
}

TEST(ClockInputsTest, ACaseJustReceivedTakesFiveBytes) {
  History h("2026-03-02");
  EXPECT_EQ(EncodeClockInputs(h.events()).size(), 5u);
  ExpectSameClocks(h.events(), D("2026-04-15"), "received only");
}

TEST(ClockInputsTest, RandomHistoriesGiveTheSameClocksOnEveryDay) {
  std::mt19937 rng(16);
  for (int i = 0; i < 400; ++i) {
    const absl::CivilDay received =
        absl::CivilDay(2019, 1, 2) + static_cast<int>(rng() % 2500);
    History h = RandomHistory(rng, received, /*may_close=*/i % 3 == 0);
    for (int d : {-1, 0, 3, 9, 20, 31, 45, 70}) {
      ExpectSameClocks(h.events(), received + d, absl::StrCat("history ", i));
    }
  }
}

TEST(ClockInputsTest, DetailsTheClocksReadSurviveAndOthersGo) {
  History h("2026-03-02");
  h.Add("consultation_started", "2026-03-04",
        {{"id", Json("c1")},
         {"party", Json("某单位")},
         {"kind", Json("agency")},
         {"received_on", Json("2026-03-06")},
         {"note", Json("不影响期限的长文字")}});
  h.Add("note", "2026-03-05", {{"text", Json("备注")}});
  h.Add("consultation_received", "2026-03-09", {{"id", Json("c1")}});
  h.Add("extended", "2026-03-20",
        {{"kind", Json("art33")},
         {"days", Json(int64_t{15})},
         {"approved_by", Json("局长")}});
  h.Add("correction_requested", "2026-03-03",
        {{"period_days", Json(int64_t{-3})},
         {"late_reason", Json("迟到的原因")}});
  std::vector<CaseEvent> events = h.events();
  events.back().details.Set("period_days", Json(int64_t{12}));
  for (int d = 0; d < 80; d += 7) {
    ExpectSameClocks(events, D("2026-03-02") + d, "details");
  }
  absl::StatusOr<std::vector<CaseEvent>> decoded =
      DecodeClockInputs(EncodeClockInputs(events));
  ASSERT_TRUE(decoded.ok());
  ASSERT_EQ(decoded->size(), 5u);  // the note is gone
  EXPECT_EQ((*decoded)[1].details.Find("note"), nullptr);
  EXPECT_EQ((*decoded)[1].details.Find("party")->as_string(), "某单位");
  EXPECT_EQ((*decoded)[3].details.Find("approved_by"), nullptr);
  EXPECT_EQ((*decoded)[3].details.Find("days")->as_int(), 15);
  EXPECT_EQ((*decoded)[4].details.Find("period_days")->as_int(), 12);
}

TEST(ClockInputsTest, AnEventBeforeTheReceiptStillStopsTheClocks) {
  // An event of a kind the clocks ignore, dated before the receipt: the
  // clocks refuse the case, with and without the inputs cut down.
  History h("2026-03-02");
  std::vector<CaseEvent> events = h.events();
  CaseEvent early;
  early.seq = 2;
  early.kind = "assigned";
  early.effective_on = D("2026-02-27");
  events.push_back(early);
  for (const char* day : {"2026-02-26", "2026-02-28", "2026-03-10"}) {
    ExpectSameClocks(events, D(day), "early event");
  }
}

TEST(ClockInputsTest, AmendmentsAndReopeningsAreApplied) {
  History h("2026-03-02");
  h.Add("answered", "2026-03-10", {{"outcome", Json("disclosed")}});
  h.Add("reopened", "2026-03-12", {{"reopens_seq", Json(int64_t{2})}});
  h.Add("amended", "2026-03-13",
        {{"changed", Json("received_on")},
         {"received_on_before", Json("2026-03-02")},
         {"received_on_after", Json("2026-02-25")}});
  for (int d = -5; d < 60; d += 4) {
    ExpectSameClocks(h.events(), D("2026-03-02") + d, "amended");
  }
}

TEST(ClockInputsTest, CorruptInputsAreRefused) {
  std::string packed = EncodeClockInputs(History("2026-03-02").events());
  EXPECT_FALSE(DecodeClockInputs(packed.substr(0, 3)).ok());
  packed[0] = static_cast<char>(200);
  EXPECT_EQ(DecodeClockInputs(packed).status().code(),
            absl::StatusCode::kInternal);
}

}  // namespace
}  // namespace gongkai::alerts

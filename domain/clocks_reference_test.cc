// An independent reference implementation of the reply clock, written from
// the text of domain.md sections 3 and 4 (not from domain/clocks.cc), and
// compared with ComputeClocks day by day over hand-worked edge histories and
// many random ones (issue 11, "The law at its edges").
//
// The reference is deliberately naive: it steps over the calendar one day at
// a time with WorkCalendar::IsWorkingDay (never AddWorkingDays or
// WorkingDaysBetween), keeps the days not counted as a set of days, and
// decides whether a step was late by evaluating itself as of the step's
// day. It is slow and simple so that it is easy to
// check against the law by eye.
//
// The rules it implements (domain.md; the event vocabulary of clocks.h):
// - Working days: Monday-Friday unless a day off, or a declared make-up day.
// - A reply period is 20 working days (15 when received before 2019-05-15)
//   after its start, the start day not counted.
// - A consultation sent on S, received by the party on Rc (the start event's
//   "received_on", or a later "consultation_received" with the same id;
//   default S), lapses on the 15th working day after Rc. It ends at its
//   reply when that is on or before the lapse, else at the lapse (once the
//   lapse has passed as of the evaluation day, or the case has closed); a
//   closing case ends it. Days not counted: working days d, S < d <= end.
// - With fee pausing on, the fee notice on N pauses until the payment, the
//   end of the payment period or the close, whichever is first.
// - The days not counted are one set (each day once), and only days after
//   the current period's start are in it.
// - Deadline: the (period + |not counted| + extensions)-th working day after
//   the start; none while a pause runs with no end yet (paused).
// - A step (correction notice, consultation, extension, fee notice) is late
//   when, as of its day (the events before it, and that day's replies,
//   payments and close), the period is neither stopped nor paused and the
//   day is after the deadline. A late step has no effect.
// - A correction notice in time stops the period; the corrected application
//   starts a fresh one and drops the old extensions.
// - One Art. 33 and one Art. 35 extension per period; none while stopped.
// - Events after the close are ignored; a case closed while stopped has no
//   reply deadline ("ended").
#include <algorithm>
#include <cstdlib>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/dates.h"
#include "domain/calendar.h"
#include "domain/clocks.h"
#include "domain/test_history.h"
#include "gtest/gtest.h"

namespace gongkai {
namespace {

// ---------------------------------------------------------------------------
// The reference.

// Two readings of domain.md the reference can switch, to show what each
// changes; the defaults are the ones decided (and the code's).
struct Reading {
  bool fee_pauses_reply = true;
  // The fee payment period is "20 working days | from the day after the fee
  // notice is received": with domain.md's counting convention, the 20th
  // working day after N + 1 (not after N; they differ whenever N + 1 is a
  // working day).
  bool fee_period_from_day_after_notice = true;
  // A consultation's time is the days S < d <= R, so on R itself the reply
  // period is still paused and a step taken that day cannot be late. (Only
  // visible when R is a day off just after a deadline.)
  bool paused_on_the_day_a_pause_ends = true;
};

struct StepRef {
  std::string kind;
  absl::CivilDay on;
  bool operator<(const StepRef& o) const {
    return on != o.on ? on < o.on : kind < o.kind;
  }
  bool operator==(const StepRef& o) const {
    return on == o.on && kind == o.kind;
  }
};

// What both implementations are compared on.
struct Observed {
  std::optional<absl::CivilDay> reply_due;
  bool paused = false;
  std::string reply_state;
  int pause_days = 0;
  int extension_days = 0;
  int unreasonable_days = 0;
  std::vector<StepRef> late;  // sorted
  std::optional<absl::CivilDay> fee_due;
  std::map<std::string, absl::CivilDay> lapses;  // consultation id -> lapse

  bool operator==(const Observed& o) const {
    return reply_due == o.reply_due && paused == o.paused &&
           reply_state == o.reply_state && pause_days == o.pause_days &&
           extension_days == o.extension_days &&
           unreasonable_days == o.unreasonable_days && late == o.late &&
           fee_due == o.fee_due && lapses == o.lapses;
  }
};

std::string Day(const std::optional<absl::CivilDay>& d) {
  return d.has_value() ? FormatDate(*d) : std::string("-");
}

std::ostream& operator<<(std::ostream& os, const Observed& o) {
  os << "due " << Day(o.reply_due) << (o.paused ? " paused" : "") << " ["
     << o.reply_state << "] not counted " << o.pause_days << ", Art. 33 +"
     << o.extension_days << ", Art. 35 +" << o.unreasonable_days << ", fee due "
     << Day(o.fee_due) << ", late {";
  for (const StepRef& s : o.late)
    os << s.kind << " " << FormatDate(s.on) << ";";
  os << "}, lapses {";
  for (const auto& [id, d] : o.lapses) os << id << " " << FormatDate(d) << ";";
  return os << "}";
}

std::string Text(const CaseEvent& e, const char* key) {
  const Json* v = e.details.Find(key);
  return v != nullptr && v->is_string() ? v->as_string() : "";
}

int Int(const CaseEvent& e, const char* key) {
  const Json* v = e.details.Find(key);
  return v != nullptr && v->is_int() ? static_cast<int>(v->as_int()) : 0;
}

// The n-th working day after `day`, by stepping one day at a time.
absl::StatusOr<absl::CivilDay> NthWorkingDayAfter(const WorkCalendar& cal,
                                                  absl::CivilDay day, int n) {
  while (n > 0) {
    ++day;
    absl::StatusOr<bool> working = cal.IsWorkingDay(day);
    if (!working.ok()) return working.status();
    if (*working) --n;
  }
  return day;
}

bool IsStep(const std::string& kind) {
  return kind == "correction_requested" || kind == "consultation_started" ||
         kind == "extended" || kind == "fee_notified";
}

// Facts that end a pause or close the case.
bool IsSameDayFact(const std::string& kind) {
  return kind == "consultation_replied" || kind == "consultation_received" ||
         kind == "fee_paid" || kind == "answered" || kind == "withdrawn";
}

class ReferenceClock {
 public:
  static absl::StatusOr<ReferenceClock> Build(std::vector<CaseEvent> events,
                                              Reading reading) {
    ReferenceClock ref;
    ref.reading_ = reading;
    ref.events_ = std::move(events);
    std::stable_sort(ref.events_.begin(), ref.events_.end(),
                     [](const CaseEvent& a, const CaseEvent& b) {
                       return a.effective_on != b.effective_on
                                  ? a.effective_on < b.effective_on
                                  : a.seq < b.seq;
                     });
    // Each step is judged on its own day, against what was known of the
    // reply period that day; that never changes later. Known: the events
    // before it, and the replies, receipts, payments and close of that same
    // day whatever order they were entered in (the order of one day's
    // entries is the clerk's, not the law's). The steps later that day are
    // not yet taken.
    ref.late_.assign(ref.events_.size(), false);
    for (size_t i = 0; i < ref.events_.size(); ++i) {
      if (!IsStep(ref.events_[i].kind)) continue;
      const absl::CivilDay on = ref.events_[i].effective_on;
      std::vector<size_t> known;
      for (size_t j = 0; j < ref.events_.size(); ++j) {
        if (j < i || (j > i && ref.events_[j].effective_on == on &&
                      IsSameDayFact(ref.events_[j].kind))) {
          known.push_back(j);
        }
      }
      absl::StatusOr<State> before = ref.Evaluate(known, on);
      if (!before.ok()) return before.status();
      const bool paused =
          before->running || (reading.paused_on_the_day_a_pause_ends &&
                              before->last_pause_end == on);
      ref.late_[i] = !before->stopped && !paused && before->due.has_value() &&
                     on > *before->due;
    }
    return ref;
  }

  absl::StatusOr<Observed> On(absl::CivilDay as_of) const {
    std::vector<size_t> all(events_.size());
    for (size_t i = 0; i < all.size(); ++i) all[i] = i;
    absl::StatusOr<State> s = Evaluate(all, as_of);
    if (!s.ok()) return s.status();
    return s->observed;
  }

 private:
  struct State {
    Observed observed;
    bool stopped = false;
    bool running = false;  // a pause with no end yet
    std::optional<absl::CivilDay> last_pause_end;
    std::optional<absl::CivilDay> due;
  };
  struct Consultation {
    std::string id;
    absl::CivilDay sent;
    absl::CivilDay received;
    std::optional<absl::CivilDay> replied;
  };
  struct Pause {
    absl::CivilDay from;
    std::optional<absl::CivilDay> to;
  };

  // The events at `indices` (ascending) as they stood on `as_of`.
  absl::StatusOr<State> Evaluate(const std::vector<size_t>& indices,
                                 absl::CivilDay as_of) const {
    const WorkCalendar& cal = WorkCalendar::Official();
    std::vector<size_t> seen;
    for (size_t i : indices) {
      if (events_[i].effective_on > as_of) break;
      seen.push_back(i);
      if (events_[i].kind == "answered" || events_[i].kind == "withdrawn") {
        break;  // nothing after the close counts
      }
    }
    if (seen.empty() || events_[seen.front()].kind != "received") {
      return absl::FailedPreconditionError("not received yet");
    }
    const absl::CivilDay received = events_[seen.front()].effective_on;
    std::optional<absl::CivilDay> closed;
    {
      const CaseEvent& last = events_[seen.back()];
      if (last.kind == "answered" || last.kind == "withdrawn") {
        closed = last.effective_on;
      }
    }

    // The facts about each consultation and the fee.
    std::vector<Consultation> consultations;
    std::optional<absl::CivilDay> fee_notice, fee_paid;
    for (size_t i : seen) {
      const CaseEvent& e = events_[i];
      const absl::CivilDay d = e.effective_on;
      if (e.kind == "consultation_started") {
        Consultation c{Text(e, "id"), d, d, std::nullopt};
        if (absl::StatusOr<absl::CivilDay> rc =
                ParseDate(Text(e, "received_on"));
            rc.ok() && *rc >= d) {
          c.received = *rc;
        }
        consultations.push_back(c);
      } else if (e.kind == "consultation_received") {
        for (Consultation& c : consultations) {
          if (c.id == Text(e, "id") && d >= c.sent) c.received = d;
        }
      } else if (e.kind == "consultation_replied") {
        for (Consultation& c : consultations) {
          if (c.id == Text(e, "id") && !c.replied.has_value()) c.replied = d;
        }
      } else if (e.kind == "fee_notified" && !fee_notice.has_value()) {
        fee_notice = d;
      } else if (e.kind == "fee_paid" && fee_notice.has_value() &&
                 !fee_paid.has_value()) {
        fee_paid = d;
      }
    }

    State s;
    Observed& o = s.observed;
    std::map<std::string, std::optional<absl::CivilDay>> consultation_end;
    for (const Consultation& c : consultations) {
      absl::StatusOr<absl::CivilDay> lapse =
          NthWorkingDayAfter(cal, c.received, kConsultationReplyDays);
      if (!lapse.ok()) return lapse.status();
      o.lapses[c.id] = *lapse;
      std::optional<absl::CivilDay> end;
      if (c.replied.has_value()) {
        end = std::min(*c.replied, *lapse);
      } else if (closed.has_value()) {
        end = std::min(*closed, *lapse);
      } else if (as_of > *lapse) {
        end = *lapse;
      }
      consultation_end[c.id] = end;
    }
    std::optional<absl::CivilDay> fee_end;
    if (fee_notice.has_value()) {
      absl::StatusOr<absl::CivilDay> due = NthWorkingDayAfter(
          cal,
          reading_.fee_period_from_day_after_notice ? *fee_notice + 1
                                                    : *fee_notice,
          kFeePaymentDays);
      if (!due.ok()) return due.status();
      o.fee_due = *due;
      if (fee_paid.has_value()) {
        fee_end = std::min(*fee_paid, *due);
      } else if (closed.has_value()) {
        fee_end = std::min(*closed, *due);
      } else if (as_of > *due) {
        fee_end = *due;
      }
    }

    // The steps in order.
    absl::CivilDay start = received;
    const int period_days = received < absl::CivilDay(2019, 5, 15) ? 15 : 20;
    bool notice_sent = false, notice_in_time = false, corrected = false;
    bool fee_seen = false;
    std::optional<int> art33, art35;
    std::vector<Pause> pauses;
    for (size_t i : seen) {
      const CaseEvent& e = events_[i];
      const absl::CivilDay d = e.effective_on;
      const bool counts = IsStep(e.kind) &&
                          !(e.kind == "correction_requested" && notice_sent) &&
                          !(e.kind == "fee_notified" && fee_seen);
      if (counts && late_[i]) {
        o.late.push_back({e.kind, d});
        if (e.kind == "correction_requested") notice_sent = true;
        if (e.kind == "fee_notified") fee_seen = true;
        continue;
      }
      if (e.kind == "correction_requested" && !notice_sent) {
        notice_sent = true;
        notice_in_time = true;
        s.stopped = true;
      } else if (e.kind == "corrected" && notice_sent && !corrected) {
        corrected = true;
        if (notice_in_time) {
          s.stopped = false;
          start = d;
          art33.reset();
          art35.reset();
        }
      } else if (e.kind == "consultation_started") {
        pauses.push_back({d, consultation_end[Text(e, "id")]});
      } else if (e.kind == "fee_notified" && !fee_seen) {
        fee_seen = true;
        if (reading_.fee_pauses_reply) pauses.push_back({d, fee_end});
      } else if (e.kind == "extended" && !s.stopped) {
        std::optional<int>& ext =
            Text(e, "kind") == "unreasonable_volume" ? art35 : art33;
        if (!ext.has_value()) ext = Int(e, "days");
      }
    }

    // The days not counted, each once, only after the current start.
    std::set<absl::CivilDay> not_counted;
    for (const Pause& p : pauses) {
      if (!p.to.has_value()) {
        s.running = true;
        continue;
      }
      s.last_pause_end = std::max(s.last_pause_end.value_or(*p.to), *p.to);
      for (absl::CivilDay x = std::max(p.from, start) + 1; x <= *p.to; ++x) {
        absl::StatusOr<bool> working = cal.IsWorkingDay(x);
        if (!working.ok()) return working.status();
        if (*working) not_counted.insert(x);
      }
    }
    o.pause_days = static_cast<int>(not_counted.size());
    o.extension_days = art33.value_or(0);
    o.unreasonable_days = art35.value_or(0);
    std::sort(o.late.begin(), o.late.end());

    if (s.stopped) {
      o.paused = !closed.has_value();
      o.reply_state = closed.has_value() ? kEnded : kPaused;
    } else if (s.running) {
      o.paused = true;
      o.reply_state = kPaused;
    } else {
      absl::StatusOr<absl::CivilDay> due = NthWorkingDayAfter(
          cal, start,
          period_days + o.pause_days + o.extension_days + o.unreasonable_days);
      if (!due.ok()) return due.status();
      s.due = *due;
      o.reply_due = *due;
      if (closed.has_value()) {
        o.reply_state = *closed <= *due ? kMet : kMissed;
      } else {
        o.reply_state = as_of > *due ? kExpired : kRunning;
      }
    }
    return s;
  }

  Reading reading_;
  std::vector<CaseEvent> events_;  // in date order
  std::vector<bool> late_;         // per event: a step taken late
};

// ---------------------------------------------------------------------------
// Running both.

Observed FromCode(const ClockReport& r) {
  Observed o;
  o.reply_due = r.reply_due;
  o.paused = r.paused;
  for (const Clock& c : r.clocks) {
    if (c.kind == kClockReply) o.reply_state = c.state;
  }
  o.pause_days = r.pause_days;
  o.extension_days = r.extension_days;
  o.unreasonable_days = r.unreasonable_period_days;
  for (const LateStep& l : r.late_steps) o.late.push_back({l.kind, l.on});
  std::sort(o.late.begin(), o.late.end());
  o.fee_due = r.fee_due;
  for (const ConsultationInfo& c : r.consultations)
    o.lapses[c.id] = c.lapses_on;
  return o;
}

std::string Describe(const History& h) {
  std::string s;
  for (const CaseEvent& e : h.events()) {
    absl::StrAppend(&s, "  #", e.seq, " ", FormatDate(e.effective_on), " ",
                    WeekdayName(e.effective_on), " ", e.kind, " ",
                    e.details.Dump(), "\n");
  }
  return s;
}

Observed Code(const History& h, absl::CivilDay as_of, Reading reading = {}) {
  ClockOptions options;
  options.explain = false;
  options.fee_pauses_reply = reading.fee_pauses_reply;
  absl::StatusOr<ClockReport> r =
      ComputeClocks(h.events(), WorkCalendar::Official(), options, as_of);
  EXPECT_TRUE(r.ok()) << r.status();
  return r.ok() ? FromCode(*r) : Observed{};
}

Observed Reference(const History& h, absl::CivilDay as_of,
                   Reading reading = {}) {
  absl::StatusOr<ReferenceClock> ref =
      ReferenceClock::Build(h.events(), reading);
  EXPECT_TRUE(ref.ok()) << ref.status();
  if (!ref.ok()) return Observed{};
  absl::StatusOr<Observed> o = ref->On(as_of);
  EXPECT_TRUE(o.ok()) << o.status();
  return o.ok() ? *o : Observed{};
}

// Both implementations agree with each other on `as_of`; returns the answer.
Observed Both(const History& h, absl::CivilDay as_of, Reading reading = {}) {
  Observed ref = Reference(h, as_of, reading);
  Observed code = Code(h, as_of, reading);
  EXPECT_EQ(ref, code) << "as of " << FormatDate(as_of) << "\n" << Describe(h);
  return ref;
}

const absl::CivilDay kLater(2023, 12, 29);

// ---------------------------------------------------------------------------
// The reference's own arithmetic, on domain.md's worked examples.

TEST(ReferenceClockTest, DomainMdExamples) {
  EXPECT_EQ(Reference(History("2023-03-06"), kLater).reply_due,
            D("2023-04-03"));
  EXPECT_EQ(Reference(History("2023-01-19"), kLater).reply_due,
            D("2023-02-21"));
  // Legacy: 15 working days (2019-05-06 + 15 = 2019-05-27, the 1-4 May days
  // off skipped and Sunday 5 May worked).
  EXPECT_EQ(Reference(History("2019-05-06"), D("2019-12-31")).reply_due,
            D("2019-05-27"));
}

// ---------------------------------------------------------------------------
// Hand-worked edges. Spring 2023: 4 April is a Tuesday, 5 April (清明) is off,
// Sunday 23 April is worked, 29 April - 3 May are off, Saturday 6 May is
// worked. Received Monday 2023-03-06: the 20th working day after is 04-03.

// A consultation sent on the deadline day itself is in time; sent the day
// after, it is late and excludes nothing.
TEST(ReferenceEdgeTest, ConsultationOnTheDeadlineDay) {
  History on_time("2023-03-06");
  on_time.Add("consultation_started", "2023-04-03", {{"id", "C1"}})
      .Add("consultation_replied", "2023-04-07", {{"id", "C1"}});
  // As of the day it is sent, the reply deadline is not fixed.
  EXPECT_TRUE(Both(on_time, D("2023-04-03")).paused);
  // Not counted: 04-04, 04-06, 04-07 (04-05 is off) = 3; the 23rd working
  // day after 03-06 is 04-07, the day of the reply.
  Observed o = Both(on_time, kLater);
  EXPECT_EQ(o.pause_days, 3);
  EXPECT_EQ(o.reply_due, D("2023-04-07"));
  EXPECT_TRUE(o.late.empty());

  // An extension the next working day (Monday 04-10) is then late.
  on_time.Add("extended", "2023-04-10",
              {{"kind", "statutory"}, {"days", int64_t{10}}});
  o = Both(on_time, kLater);
  EXPECT_EQ(o.reply_due, D("2023-04-07"));
  EXPECT_EQ(o.extension_days, 0);
  EXPECT_EQ(o.late, (std::vector<StepRef>{{"extended", D("2023-04-10")}}));

  History late("2023-03-06");
  late.Add("consultation_started", "2023-04-04", {{"id", "C1"}})
      .Add("consultation_replied", "2023-04-07", {{"id", "C1"}});
  // Late: not paused even while the letter is out.
  EXPECT_FALSE(Both(late, D("2023-04-05")).paused);
  o = Both(late, kLater);
  EXPECT_EQ(o.reply_due, D("2023-04-03"));
  EXPECT_EQ(o.pause_days, 0);
  EXPECT_EQ(o.late,
            (std::vector<StepRef>{{"consultation_started", D("2023-04-04")}}));
}

// A reply on the day another letter goes out, and a third letter the same
// day as the first: every day is counted once.
TEST(ReferenceEdgeTest, ReplyTheDayAnotherLetterIsSent) {
  History h("2023-03-06");
  h.Add("consultation_started", "2023-03-10", {{"id", "C1"}})
      .Add("consultation_started", "2023-03-10", {{"id", "C3"}})
      .Add("consultation_replied", "2023-03-14", {{"id", "C3"}})
      .Add("consultation_replied", "2023-03-17", {{"id", "C1"}})
      .Add("consultation_started", "2023-03-17", {{"id", "C2"}})
      .Add("consultation_replied", "2023-03-24", {{"id", "C2"}});
  // On the day C1 is answered and C2 sent, C2 keeps the deadline open.
  EXPECT_TRUE(Both(h, D("2023-03-17")).paused);
  // (03-10, 03-17] and (03-17, 03-24]: 03-13..17 and 03-20..24 = 10 days
  // (C3's 03-13, 03-14 already among them); the 30th working day after
  // 03-06 is 04-18.
  Observed o = Both(h, kLater);
  EXPECT_EQ(o.pause_days, 10);
  EXPECT_EQ(o.reply_due, D("2023-04-18"));
}

// A correction notice after the deadline restarts nothing, and the
// corrected application that follows does not either.
TEST(ReferenceEdgeTest, LateNoticeThenCorrection) {
  History h("2023-03-06");
  h.Add("correction_requested", "2023-04-04", {{"period_days", int64_t{10}}})
      .Add("corrected", "2023-04-10")
      .Add("answered", "2023-04-12");
  EXPECT_EQ(Both(h, D("2023-04-06")).reply_due, D("2023-04-03"));
  Observed o = Both(h, kLater);
  EXPECT_EQ(o.reply_due, D("2023-04-03"));
  EXPECT_EQ(o.reply_state, kMissed);
  EXPECT_EQ(o.late,
            (std::vector<StepRef>{{"correction_requested", D("2023-04-04")}}));
}

// The extension of the old period lapses with it; the new period's own
// extension, granted on its deadline day, counts.
TEST(ReferenceEdgeTest, RestartDropsTheOldExtension) {
  History h("2023-03-06");
  h.Add("extended", "2023-03-08",
        {{"kind", "statutory"}, {"days", int64_t{10}}})
      .Add("correction_requested", "2023-03-09")
      .Add("corrected", "2023-03-20");
  // Stopped: no deadline while awaiting the corrected application.
  Observed stopped = Both(h, D("2023-03-15"));
  EXPECT_TRUE(stopped.paused);
  EXPECT_FALSE(stopped.reply_due.has_value());
  // 20 working days after 03-20: 04-18 (the old +10 is gone).
  Observed o = Both(h, kLater);
  EXPECT_EQ(o.reply_due, D("2023-04-18"));
  EXPECT_EQ(o.extension_days, 0);
  // +5 on 04-18: 04-19, 04-20, 04-21, Sunday 04-23 (worked), 04-24.
  h.Add("extended", "2023-04-18",
        {{"kind", "statutory"}, {"days", int64_t{5}}});
  o = Both(h, kLater);
  EXPECT_EQ(o.reply_due, D("2023-04-24"));
  EXPECT_EQ(o.extension_days, 5);
  EXPECT_TRUE(o.late.empty());
}

// A consultation sent while stopped runs past the restart: only its days
// after the corrected application count.
TEST(ReferenceEdgeTest, ConsultationAcrossTheRestart) {
  History h("2023-03-06");
  h.Add("correction_requested", "2023-03-07")
      .Add("consultation_started", "2023-03-09", {{"id", "C1"}})
      .Add("corrected", "2023-03-20")
      .Add("consultation_replied", "2023-03-24", {{"id", "C1"}});
  EXPECT_TRUE(Both(h, D("2023-03-21")).paused);
  // (03-20, 03-24] = 4 days; the 24th working day after 03-20 is Sunday
  // 04-23, a make-up working day.
  Observed o = Both(h, kLater);
  EXPECT_EQ(o.pause_days, 4);
  EXPECT_EQ(o.reply_due, D("2023-04-23"));
}

// Art. 33 and Art. 35 are separate, one of each per period.
TEST(ReferenceEdgeTest, Art33AndArt35) {
  History h("2023-03-06");
  h.Add("extended", "2023-03-10", {{"kind", "statutory"}, {"days", int64_t{5}}})
      .Add("extended", "2023-03-13",
           {{"kind", "unreasonable_volume"}, {"days", int64_t{10}}})
      .Add("extended", "2023-03-14",
           {{"kind", "statutory"}, {"days", int64_t{3}}})
      .Add("extended", "2023-03-15",
           {{"kind", "unreasonable_volume"}, {"days", int64_t{30}}});
  // 20 + 5 + 10 = 35 working days after 03-06: 04-24.
  Observed o = Both(h, kLater);
  EXPECT_EQ(o.extension_days, 5);
  EXPECT_EQ(o.unreasonable_days, 10);
  EXPECT_EQ(o.reply_due, D("2023-04-24"));
}

// A payment after the payment period pauses no longer than the period.
TEST(ReferenceEdgeTest, LatePayment) {
  History h("2023-03-06");
  h.Add("fee_notified", "2023-03-08", {{"amount_fen", int64_t{10000}}})
      .Add("fee_paid", "2023-04-20");
  // Payment due on the 20th working day counted from the day after the
  // notice, Thursday 03-09: 04-07 (04-05 清明 off).
  EXPECT_TRUE(Both(h, D("2023-04-07")).paused);
  // (03-08, 04-07] = 21 days; the 41st working day after 03-06 is 05-05
  // (29 April - 3 May off, 23 April worked).
  Observed o = Both(h, D("2023-04-08"));
  EXPECT_EQ(o.fee_due, D("2023-04-07"));
  EXPECT_EQ(o.pause_days, 21);
  EXPECT_EQ(o.reply_due, D("2023-05-05"));
  EXPECT_EQ(Both(h, kLater).reply_due, D("2023-05-05"));
  // Without fee pausing, the notice changes nothing.
  Reading off;
  off.fee_pauses_reply = false;
  EXPECT_EQ(Both(h, kLater, off).reply_due, D("2023-04-03"));
}

// The party's receipt moves the lapse: 15 working days after 03-10 is 03-31.
TEST(ReferenceEdgeTest, PartyReceiptMovesTheLapse) {
  History h("2023-03-06");
  h.Add("consultation_started", "2023-03-07",
        {{"id", "C1"}, {"received_on", "2023-03-10"}});
  EXPECT_TRUE(Both(h, D("2023-03-31")).paused);
  // From Saturday 04-01 the lapse has passed: (03-07, 03-31] = 18 days; the
  // 38th working day after 03-06 is 04-27.
  Observed o = Both(h, D("2023-04-01"));
  EXPECT_EQ(o.lapses.at("C1"), D("2023-03-31"));
  EXPECT_EQ(o.pause_days, 18);
  EXPECT_EQ(o.reply_due, D("2023-04-27"));
  // The same receipt recorded by a later event, on the day it happened.
  History later("2023-03-06");
  later.Add("consultation_started", "2023-03-07", {{"id", "C1"}})
      .Add("consultation_received", "2023-03-10", {{"id", "C1"}});
  // Before the receipt is known the lapse is 15 after the letter: 03-28.
  EXPECT_EQ(Both(later, D("2023-03-09")).lapses.at("C1"), D("2023-03-28"));
  EXPECT_EQ(Both(later, D("2023-04-01")), o);
}

// A case closed while stopped for correction has no reply deadline.
TEST(ReferenceEdgeTest, ClosedWhileStopped) {
  History h("2023-03-06");
  h.Add("correction_requested", "2023-03-08")
      .Add("answered", "2023-03-30", {{"outcome", "other_no_correction"}});
  Observed o = Both(h, kLater);
  EXPECT_FALSE(o.reply_due.has_value());
  EXPECT_FALSE(o.paused);
  EXPECT_EQ(o.reply_state, kEnded);
}

// Received Thursday 2023-03-09: due Friday 04-07. A letter sent that day is
// answered on Saturday 04-08: its time is (04-07, 04-08], so the period is
// still paused that Saturday, and an extension approved then is in time:
// 5 working days after 04-07 -> 04-14 (04-10 .. 04-14). No working day was
// excluded.
TEST(ReferenceEdgeTest, WeekendReplyAfterAFridayDeadline) {
  History h("2023-03-09");
  h.Add("consultation_started", "2023-04-07", {{"id", "C1"}})
      .Add("consultation_replied", "2023-04-08", {{"id", "C1"}})
      .Add("extended", "2023-04-08",
           {{"kind", "statutory"}, {"days", int64_t{5}}});
  Observed o = Both(h, kLater);
  EXPECT_EQ(o.pause_days, 0);
  EXPECT_EQ(o.reply_due, D("2023-04-14"));
  EXPECT_TRUE(o.late.empty());
  // The same when the clerk entered the extension before the reply: the
  // order of one day's entries does not decide what is late.
  History entered_first("2023-03-09");
  entered_first.Add("consultation_started", "2023-04-07", {{"id", "C1"}})
      .Add("extended", "2023-04-08",
           {{"kind", "statutory"}, {"days", int64_t{5}}})
      .Add("consultation_replied", "2023-04-08", {{"id", "C1"}});
  EXPECT_EQ(Both(entered_first, kLater), o);
}

// ---------------------------------------------------------------------------
// Where the reference first disagreed with the code, decided for domain.md's
// reading (see Reading): each is checked by hand and must agree.

// Decided (fee period; see Reading): notice received Wednesday
// 2023-03-08. domain.md: 20 working days counted after Thursday 03-09, so
// payment is due 04-07; the pause (03-08, 04-07] is 21 days and the reply is
// due on the 41st working day after 03-06, 05-05.
TEST(ReferenceDecidedTest, FeePeriodCountsFromTheDayAfterTheNotice) {
  History h("2023-03-06");
  h.Add("fee_notified", "2023-03-08", {{"amount_fen", int64_t{10000}}});
  Reading domain_md;
  domain_md.fee_period_from_day_after_notice = true;
  const Observed ref = Reference(h, kLater, domain_md);
  EXPECT_EQ(ref.fee_due, D("2023-04-07"));
  EXPECT_EQ(ref.pause_days, 21);
  EXPECT_EQ(ref.reply_due, D("2023-05-05"));
  EXPECT_EQ(Code(h, kLater), ref);
}

// Decided (a step on the day a pause ends; see Reading): received
// Thursday 2023-03-09, due Friday 04-07. A letter sent on 04-07 is answered on
// Saturday 04-08, and a 5-day extension is approved that Saturday. domain.md
// counts the consultation as (04-07, 04-08], so the period is paused on 04-08
// and the extension is in time: due 04-14 (04-10 to 04-14).
TEST(ReferenceDecidedTest, StepOnTheDayAPauseEnds) {
  History h("2023-03-09");
  h.Add("consultation_started", "2023-04-07", {{"id", "C1"}})
      .Add("consultation_replied", "2023-04-08", {{"id", "C1"}})
      .Add("extended", "2023-04-08",
           {{"kind", "statutory"}, {"days", int64_t{5}}});
  Reading domain_md;
  domain_md.paused_on_the_day_a_pause_ends = true;
  const Observed ref = Reference(h, kLater, domain_md);
  EXPECT_EQ(ref.reply_due, D("2023-04-14"));
  EXPECT_EQ(ref.extension_days, 5);
  EXPECT_TRUE(ref.late.empty());
  EXPECT_EQ(Code(h, kLater), ref);
}

// Events after the close count for nothing (brief and domain.md: a closed
// case takes no further steps). Answered in time on its deadline 04-03; an
// extension entered after the answer the same day, and a fee notice dated a
// week later: due 04-03, met, no fee clock. (Lifecycle refuses steps on a
// closed case, so only a damaged or imported history holds such events.)
TEST(ReferenceDecidedTest, StepsAfterTheAnswer) {
  History h("2023-03-06");
  h.Add("answered", "2023-04-03", {{"outcome", "disclosed"}})
      .Add("extended", "2023-04-03",
           {{"kind", "statutory"}, {"days", int64_t{5}}})
      .Add("fee_notified", "2023-04-10", {{"amount_fen", int64_t{10000}}});
  const Observed ref = Reference(h, kLater);
  EXPECT_EQ(ref.reply_due, D("2023-04-03"));
  EXPECT_EQ(ref.reply_state, kMet);
  EXPECT_EQ(ref.extension_days, 0);
  EXPECT_FALSE(ref.fee_due.has_value());
  EXPECT_EQ(Code(h, kLater), ref);
}

// ---------------------------------------------------------------------------
// Random histories around the edges.

// A random history that exercises every rule: up to three consultations at
// once (letters on the same day, the party's receipt recorded on the letter
// or later), replies, `complete`, Art. 33 and Art. 35 extensions (repeated),
// a fee notice and its payment (late or never), a correction notice and the
// corrected application, and an answer or withdrawal; gaps of 0-25 days,
// now and then longer so that steps fall after the deadline.
History RandomEdgeHistory(std::mt19937& rng, absl::CivilDay received) {
  struct Letter {
    std::string id;
    absl::CivilDay sent;
    bool receipt_known = false;
    bool replied = false;
  };
  std::vector<Letter> letters;
  bool fee_sent = false, fee_paid = false, notice = false, corrected = false;
  bool complete = false;
  int extensions = 0;
  auto pick = [&](int n) { return static_cast<int>(rng() % n); };

  History h(FormatDate(received).c_str());
  absl::CivilDay d = received;
  const int steps = 2 + pick(11);
  for (int step = 0; step < steps && d < received + 200; ++step) {
    const int g = pick(100);
    d += g < 25 ? 0 : g < 95 ? 1 + pick(25) : 26 + pick(20);
    const std::string day = FormatDate(d);
    std::vector<const char*> kinds;
    if (letters.size() < 4) kinds.push_back("consultation_started");
    std::vector<Letter*> unreplied, unreceived;
    for (Letter& l : letters) {
      if (l.replied) continue;
      unreplied.push_back(&l);
      if (!l.receipt_known && d - l.sent <= 10) unreceived.push_back(&l);
    }
    if (!unreplied.empty()) {
      kinds.insert(kinds.end(), 3, "consultation_replied");
    }
    if (!unreceived.empty()) kinds.push_back("consultation_received");
    if (!complete) kinds.push_back("complete");
    if (extensions < 3) kinds.insert(kinds.end(), 2, "extended");
    if (!fee_sent) kinds.push_back("fee_notified");
    if (fee_sent && !fee_paid) kinds.insert(kinds.end(), 2, "fee_paid");
    if (!notice) kinds.push_back("correction_requested");
    if (notice && !corrected) kinds.insert(kinds.end(), 2, "corrected");
    if (step > 1) kinds.push_back(pick(3) == 0 ? "withdrawn" : "answered");
    const std::string kind = kinds[pick(static_cast<int>(kinds.size()))];

    if (kind == "consultation_started") {
      // One letter, or two or three the same day.
      const int same_day = pick(10) < 6 ? 1 : pick(10) < 7 ? 2 : 3;
      for (int k = 0; k < same_day && letters.size() < 4; ++k) {
        Letter l{absl::StrCat("C", letters.size() + 1), d};
        const char* party_kind = pick(2) ? "agency" : "third_party";
        if (pick(3) == 0) {
          l.receipt_known = true;
          h.Add("consultation_started", day.c_str(),
                {{"id", Json(l.id)},
                 {"party", "某单位"},
                 {"kind", party_kind},
                 {"received_on", Json(FormatDate(d + pick(8)))}});
        } else {
          h.Add(
              "consultation_started", day.c_str(),
              {{"id", Json(l.id)}, {"party", "某单位"}, {"kind", party_kind}});
        }
        letters.push_back(l);
      }
    } else if (kind == "consultation_replied") {
      Letter* l = unreplied[pick(static_cast<int>(unreplied.size()))];
      l->replied = true;
      h.Add("consultation_replied", day.c_str(), {{"id", Json(l->id)}});
    } else if (kind == "consultation_received") {
      Letter* l = unreceived[pick(static_cast<int>(unreceived.size()))];
      l->receipt_known = true;
      h.Add("consultation_received", day.c_str(), {{"id", Json(l->id)}});
    } else if (kind == "complete") {
      complete = true;
      h.Add("complete", day.c_str());
    } else if (kind == "extended") {
      ++extensions;
      const bool art35 = pick(3) == 0;
      h.Add("extended", day.c_str(),
            {{"kind", art35 ? "unreasonable_volume" : "statutory"},
             {"days", int64_t{1 + pick(art35 ? 60 : 20)}},
             {"approved_by", "主任"}});
    } else if (kind == "fee_notified") {
      fee_sent = true;
      h.Add("fee_notified", day.c_str(), {{"amount_fen", int64_t{10000}}});
    } else if (kind == "fee_paid") {
      fee_paid = true;
      h.Add("fee_paid", day.c_str(), {{"amount_fen", int64_t{10000}}});
    } else if (kind == "correction_requested") {
      notice = true;
      h.Add("correction_requested", day.c_str(),
            {{"period_days", int64_t{5 + pick(11)}}});
    } else if (kind == "corrected") {
      corrected = true;
      h.Add("corrected", day.c_str());
    } else {
      h.Add(kind.c_str(), day.c_str());
      break;  // closed: nothing follows
    }
  }
  return h;
}

// A longer soak, or another sample, without rebuilding: set
// GONGKAI_REFERENCE_TRIALS (e.g. 20000) and GONGKAI_REFERENCE_SEED, and run
// build/domain/domain_test --gtest_filter='ReferenceRandom*'.
int EnvInt(const char* name, int fallback) {
  const char* v = std::getenv(name);
  int n = 0;
  return v != nullptr && absl::SimpleAtoi(v, &n) ? n : fallback;
}

// Every day from receipt to 150 days on (or three weeks past the last
// event), over random histories, with and without fee pausing.
TEST(ReferenceRandomTest, AgreesDayByDay) {
  std::mt19937 rng(EnvInt("GONGKAI_REFERENCE_SEED", 20240611));
  const absl::CivilDay first(2018, 10, 1);
  const int trials = EnvInt("GONGKAI_REFERENCE_TRIALS", 600);
  // How often the histories reach each edge (counted per history).
  std::map<std::string, int> reached;
  for (int trial = 0; trial < trials; ++trial) {
    const absl::CivilDay received = first + static_cast<int>(rng() % 2550);
    const History h = RandomEdgeHistory(rng, received);
    // The fee period and a step on the day a pause ends follow domain.md's
    // reading (Reading's defaults; ReferenceDecidedTest).
    Reading reading;
    reading.fee_pauses_reply = rng() % 4 != 0;
    absl::StatusOr<ReferenceClock> ref =
        ReferenceClock::Build(h.events(), reading);
    ASSERT_TRUE(ref.ok()) << ref.status();
    ClockOptions options;
    options.explain = false;
    options.fee_pauses_reply = reading.fee_pauses_reply;
    const absl::CivilDay last =
        std::max(received + 150, h.events().back().effective_on + 21);
    std::set<std::string> seen;
    for (absl::CivilDay day = received; day <= last; ++day) {
      absl::StatusOr<Observed> want = ref->On(day);
      ASSERT_TRUE(want.ok()) << want.status();
      absl::StatusOr<ClockReport> got =
          ComputeClocks(h.events(), WorkCalendar::Official(), options, day);
      ASSERT_TRUE(got.ok()) << got.status();
      ASSERT_EQ(*want, FromCode(*got))
          << "trial " << trial << " as of " << FormatDate(day)
          << (reading.fee_pauses_reply ? "" : " (fee pausing off)") << "\n"
          << Describe(h);
      if (want->paused) seen.insert("paused");
      if (got->stopped_for_correction) seen.insert("stopped");
      if (got->reply_start != received) seen.insert("restarted");
      if (want->unreasonable_days > 0) seen.insert("Art. 35");
      if (want->extension_days > 0) seen.insert("Art. 33");
      for (const StepRef& s : want->late) seen.insert("late " + s.kind);
      if (want->reply_state == kEnded) seen.insert("closed while stopped");
      if (want->reply_state == kMissed) seen.insert("answered late");
      if (want->reply_state == kMet) seen.insert("answered in time");
      // Letters out on the same days: the union is smaller than the sum.
      int sum = 0, letters = 0;
      for (const ConsultationInfo& c : got->consultations) {
        if (c.late || c.open || c.sent_on < got->reply_start) continue;
        sum += c.pause_days;
        ++letters;
      }
      if (letters > 1 && sum > want->pause_days) seen.insert("overlapping");
      if (got->consultations.size() > 1 &&
          got->consultations[0].sent_on == got->consultations[1].sent_on) {
        seen.insert("same-day letters");
      }
    }
    for (const CaseEvent& e : h.events()) {
      if (e.kind == "consultation_received") seen.insert("party receipt");
    }
    const ClockReport end =
        *ComputeClocks(h.events(), WorkCalendar::Official(), options, last);
    if (end.fee_due.has_value()) {
      for (const CaseEvent& e : h.events()) {
        if (e.kind == "fee_paid" && e.effective_on > *end.fee_due) {
          seen.insert("late payment");
        }
      }
    }
    if (received < absl::CivilDay(2019, 5, 15)) seen.insert("legacy");
    for (const std::string& s : seen) ++reached[s];
  }
  // The histories really reach the edges: each of them in at least 2% of
  // the histories.
  for (const char* edge :
       {"paused", "stopped", "restarted", "Art. 33", "Art. 35",
        "late correction_requested", "late consultation_started",
        "late extended", "late fee_notified", "closed while stopped",
        "answered late", "answered in time", "overlapping", "same-day letters",
        "party receipt", "late payment", "legacy"}) {
    EXPECT_GE(reached[edge] * 50, trials) << edge << ": " << reached[edge];
  }
}

}  // namespace
}  // namespace gongkai

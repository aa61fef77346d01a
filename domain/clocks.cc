#include "domain/clocks.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "common/dates.h"
#include "common/status_macros.h"

namespace gongkai {
namespace {

std::string DayText(absl::CivilDay d) {
  return absl::StrCat(FormatDate(d), " (", WeekdayName(d), ")");
}

std::string DetailText(const CaseEvent& e, absl::string_view key) {
  const Json* v = e.details.Find(key);
  if (v == nullptr) return "";
  return v->is_string() ? v->as_string() : v->Dump();
}

int DetailInt(const CaseEvent& e, absl::string_view key, int fallback) {
  const Json* v = e.details.Find(key);
  return v != nullptr && v->is_int() ? static_cast<int>(v->as_int()) : fallback;
}

std::string Ordinal(int n) {
  const char* suffix = "th";
  if (n % 100 < 11 || n % 100 > 13) {
    if (n % 10 == 1) suffix = "st";
    if (n % 10 == 2) suffix = "nd";
    if (n % 10 == 3) suffix = "rd";
  }
  return absl::StrCat(n, suffix);
}

// The day the clocks are computed for. Every use of it goes through the two
// comparisons below, which note how long their answers stay the same as the
// day moves on; so the report can say through which day it holds unchanged.
class AsOfDay {
 public:
  explicit AsOfDay(absl::CivilDay day) : day_(day) {}

  absl::CivilDay day() const { return day_; }
  // day > x; turns true on x + 1.
  bool After(absl::CivilDay x) {
    if (day_ <= x) holds_through_ = std::min(holds_through_, x);
    return day_ > x;
  }
  // x <= day; turns true on x.
  bool Reached(absl::CivilDay x) {
    if (x > day_) holds_through_ = std::min(holds_through_, x - 1);
    return x <= day_;
  }
  absl::CivilDay holds_through() const { return holds_through_; }

 private:
  const absl::CivilDay day_;
  absl::CivilDay holds_through_ = kNoChangeAhead;
};

// State of a clock whose due day is `due`, done on `done` (if done).
std::string DoneState(absl::CivilDay due, std::optional<absl::CivilDay> done,
                      AsOfDay& as_of) {
  if (done.has_value()) return *done <= due ? kMet : kMissed;
  return as_of.After(due) ? kExpired : kRunning;
}

}  // namespace

int ReplyPeriodDays(absl::CivilDay received_on) {
  return received_on < kRegulations2019Effective ? kLegacyReplyPeriodDays
                                                 : kReplyPeriodDays;
}

int MaxExtensionDays(absl::CivilDay received_on) {
  return ReplyPeriodDays(received_on);
}

absl::StatusOr<ClockReport> ComputeClocks(const std::vector<CaseEvent>& events,
                                          const WorkCalendar& calendar,
                                          const ClockOptions& options,
                                          absl::CivilDay as_of_day) {
  AsOfDay as_of(as_of_day);
  // Process in date order; the sequence number keeps same-day order.
  std::vector<const CaseEvent*> ordered;
  for (const CaseEvent& e : events) {
    if (as_of.Reached(e.effective_on)) ordered.push_back(&e);
  }
  std::stable_sort(ordered.begin(), ordered.end(),
                   [](const CaseEvent* a, const CaseEvent* b) {
                     return a->effective_on < b->effective_on;
                   });
  if (ordered.empty() || ordered.front()->kind != "received") {
    return absl::FailedPreconditionError(absl::StrCat(
        "the case had not been received by ", FormatDate(as_of.day())));
  }

  ClockReport r;
  std::vector<std::string>& why = r.explanation;
  r.received_on = ordered.front()->effective_on;
  r.reply_start = r.received_on;
  r.reply_period_days = ReplyPeriodDays(r.received_on);

  if (options.explain)
    why.push_back(absl::StrCat("Received on ", DayText(r.received_on), "."));
  if (r.reply_period_days == kLegacyReplyPeriodDays) {
    if (options.explain)
      why.push_back(absl::StrCat(
          "Reply period: ", r.reply_period_days,
          " working days, because the application was received before ",
          FormatDate(kRegulations2019Effective),
          " (2008 Regulations, Art. 24)."));
  } else {
    if (options.explain)
      why.push_back(absl::StrCat("Reply period: ", r.reply_period_days,
                                 " working days (Regulations, Art. 33)."));
  }
  if (options.explain)
    why.push_back(
        "The start day is never counted (Civil Code Art. 201); a working day "
        "is "
        "Monday-Friday unless an official day off, or a weekend day declared a "
        "make-up working day.");

  ASSIGN_OR_RETURN(
      absl::CivilDay notice_due,
      calendar.AddWorkingDays(r.received_on, kCorrectionNoticeDays));
  std::optional<absl::CivilDay> correction_requested_on, corrected_on;
  std::optional<absl::CivilDay> fee_notice_on, fee_paid_on;
  int correction_period = 0;
  std::optional<absl::CivilDay> extension_on;
  std::string extension_kind;
  // Pauses and the extension that count toward the current reply period.
  struct Pause {
    std::string what;
    absl::CivilDay from;
    absl::CivilDay to;
    int days;
  };
  std::vector<Pause> pauses;

  for (const CaseEvent* e : ordered) {
    const absl::CivilDay d = e->effective_on;
    if (e->kind == "correction_requested") {
      correction_requested_on = d;
      correction_period =
          DetailInt(*e, "period_days", kDefaultCorrectionPeriodDays);
      r.correction_requested = true;
      r.awaiting_correction = true;
      ASSIGN_OR_RETURN(absl::CivilDay due,
                       calendar.AddWorkingDays(d, correction_period));
      r.correction_due = due;
      if (options.explain)
        why.push_back(absl::StrCat(
            "Correction notice (补正告知) sent on ", DayText(d),
            "; the reply period stops and will restart from the day the "
            "corrected application arrives. The applicant's correction period "
            "is ",
            correction_period, " working days, until ", DayText(due), "."));
    } else if (e->kind == "corrected") {
      corrected_on = d;
      r.corrected = true;
      r.awaiting_correction = false;
      r.reply_start = d;
      pauses.clear();
      extension_on.reset();
      r.extension_days = 0;
      if (options.explain)
        why.push_back(absl::StrCat(
            "Corrected application received on ", DayText(d),
            ": the reply period of ", r.reply_period_days,
            " working days starts again from this day (Art. 30)."));
    } else if (e->kind == "consultation_started") {
      ConsultationInfo c;
      c.id = DetailText(*e, "id");
      c.party = DetailText(*e, "party");
      c.kind = DetailText(*e, "kind");
      c.sent_on = d;
      ASSIGN_OR_RETURN(c.lapses_on,
                       calendar.AddWorkingDays(d, kConsultationReplyDays));
      r.consultations.push_back(std::move(c));
    } else if (e->kind == "consultation_replied") {
      std::string id = DetailText(*e, "id");
      for (ConsultationInfo& c : r.consultations) {
        if (c.id == id && !c.replied_on.has_value()) c.replied_on = d;
      }
    } else if (e->kind == "extended") {
      extension_on = d;
      r.extended = true;
      r.extension_days = DetailInt(*e, "days", 0);
      extension_kind = DetailText(*e, "kind");
    } else if (e->kind == "fee_notified") {
      fee_notice_on = d;
      r.fee_notified = true;
      r.fee_open = true;
      ASSIGN_OR_RETURN(absl::CivilDay due,
                       calendar.AddWorkingDays(d, kFeePaymentDays));
      r.fee_due = due;
    } else if (e->kind == "fee_paid") {
      fee_paid_on = d;
      r.fee_open = false;
    } else if (e->kind == "answered" || e->kind == "withdrawn") {
      r.closed_on = d;
    }
  }

  // Consultations: each pauses the reply period from the letter until the
  // reply or the lapse of the party's 15 working days, whichever is first.
  bool consultation_open = false;
  for (ConsultationInfo& c : r.consultations) {
    std::optional<absl::CivilDay> end;
    std::string how;
    if (c.replied_on.has_value() && *c.replied_on <= c.lapses_on) {
      end = c.replied_on;
      how = absl::StrCat("answered on ", FormatDate(*c.replied_on));
    } else if (as_of.After(c.lapses_on) ||
               (r.closed_on.has_value() && *r.closed_on > c.lapses_on) ||
               (c.replied_on.has_value() && *c.replied_on > c.lapses_on)) {
      end = c.lapses_on;
      how = absl::StrCat("lapsed without a timely reply on ",
                         FormatDate(c.lapses_on), " (", kConsultationReplyDays,
                         " working days, Art. 32)");
    } else if (r.closed_on.has_value()) {
      end = *r.closed_on;
      how = absl::StrCat("ended when the case closed on ",
                         FormatDate(*r.closed_on));
    }
    std::string who =
        absl::StrCat("Consultation ", c.id, " with ", c.party,
                     c.kind == "agency" ? " (another agency, Art. 34)"
                                        : " (third party, Art. 32)",
                     ", letter sent ", DayText(c.sent_on));
    if (!end.has_value()) {
      c.open = true;
      consultation_open = true;
      if (options.explain)
        why.push_back(absl::StrCat(
            who, ": still open; its reply is due by ", FormatDate(c.lapses_on),
            ". The reply deadline is paused until it ends."));
      continue;
    }
    ASSIGN_OR_RETURN(c.pause_days,
                     calendar.WorkingDaysBetween(c.sent_on, *end));
    if (c.sent_on >= r.reply_start) {
      pauses.push_back(
          {absl::StrCat("consultation ", c.id), c.sent_on, *end, c.pause_days});
      if (options.explain)
        why.push_back(absl::StrCat(
            who, ", ", how, ": adds ", c.pause_days, " working day",
            c.pause_days == 1 ? "" : "s", " (after ", FormatDate(c.sent_on),
            " up to and including ", FormatDate(*end), ")."));
    } else {
      if (options.explain)
        why.push_back(absl::StrCat(who, ", ", how,
                                   ": before the period restarted, so it adds "
                                   "nothing."));
    }
  }

  // Fee: optionally pauses from notice to payment.
  bool fee_pause_open = false;
  if (fee_notice_on.has_value()) {
    if (fee_paid_on.has_value()) {
      if (options.explain)
        why.push_back(absl::StrCat("Fee notice received by the applicant on ",
                                   DayText(*fee_notice_on), ", paid on ",
                                   DayText(*fee_paid_on), "."));
      if (options.fee_pauses_reply && *fee_notice_on >= r.reply_start) {
        ASSIGN_OR_RETURN(int days, calendar.WorkingDaysBetween(*fee_notice_on,
                                                               *fee_paid_on));
        pauses.push_back({"fee", *fee_notice_on, *fee_paid_on, days});
        if (options.explain)
          why.push_back(
              absl::StrCat("  The days from notice to payment are not "
                           "counted (fee convention): adds ",
                           days, " working day", days == 1 ? "" : "s", "."));
      }
    } else {
      if (options.explain)
        why.push_back(absl::StrCat(
            "Fee notice received by the applicant on ", DayText(*fee_notice_on),
            "; payment is due within ", kFeePaymentDays, " working days, by ",
            FormatDate(*r.fee_due), "."));
      if (options.fee_pauses_reply && !r.closed_on.has_value()) {
        fee_pause_open = true;
        if (options.explain)
          why.push_back(
              "  The reply deadline is paused until the fee is paid.");
      }
    }
  }

  // The reply clock.
  for (const Pause& p : pauses) r.pause_days += p.days;
  if (r.awaiting_correction && !r.closed_on.has_value()) {
    r.paused = true;
    r.pause_reason = "awaiting the corrected application";
  } else if (consultation_open) {
    r.paused = true;
    r.pause_reason = "a consultation is open";
  } else if (fee_pause_open) {
    r.paused = true;
    r.pause_reason = "awaiting the fee payment";
  }
  const int total = r.reply_period_days + r.pause_days + r.extension_days;
  Clock reply{kClockReply, "", "reply to the applicant", std::nullopt,
              kRunning};
  if (r.paused) {
    reply.state = kPaused;
    if (options.explain)
      why.push_back(absl::StrCat("The reply deadline is not fixed while ",
                                 r.pause_reason, "."));
  } else {
    std::vector<CountedDay> trace;
    ASSIGN_OR_RETURN(
        absl::CivilDay due,
        calendar.AddWorkingDays(r.reply_start, total,
                                options.explain ? &trace : nullptr));
    r.reply_due = due;
    reply.due_on = due;
    if (r.extension_days > 0) {
      if (options.explain)
        why.push_back(absl::StrCat(
            "Extension (延期",
            extension_kind == "unreasonable_volume" ? ", Art. 35" : ", Art. 33",
            ") approved on ", FormatDate(*extension_on), ": adds ",
            r.extension_days, " working days."));
    }
    if (options.explain)
      why.push_back(absl::StrCat(
          "Counting ", total, " working days after ", DayText(r.reply_start),
          " = ", r.reply_period_days, " (period)",
          r.pause_days > 0 ? absl::StrCat(" + ", r.pause_days, " (paused)")
                           : "",
          r.extension_days > 0
              ? absl::StrCat(" + ", r.extension_days, " (extension)")
              : "",
          ":"));
    for (std::string& line : DescribeCount(trace)) {
      if (options.explain) why.push_back(absl::StrCat("  ", line));
    }
    if (options.explain)
      why.push_back(absl::StrCat("Reply due on ", DayText(due), ", the ",
                                 Ordinal(total), " working day after ",
                                 FormatDate(r.reply_start), "."));
    if (r.closed_on.has_value()) {
      reply.state = *r.closed_on <= due ? kMet : kMissed;
    } else if (as_of.After(due)) {
      reply.state = kExpired;
    }
  }
  if (r.closed_on.has_value()) {
    if (options.explain)
      why.push_back(absl::StrCat("Closed on ", DayText(*r.closed_on),
                                 reply.state == kMet ? ", within the period."
                                 : reply.state == kMissed
                                     ? ", after the deadline."
                                     : "."));
    if (reply.state == kPaused) reply.state = kEnded;
  }
  r.clocks.push_back(reply);

  // The office's 7 working days to ask for a correction.
  Clock notice{kClockCorrectionNotice, "", "correction notice to the applicant",
               notice_due, kRunning};
  if (correction_requested_on.has_value()) {
    notice.state = *correction_requested_on <= notice_due ? kMet : kMissed;
  } else if (r.closed_on.has_value() || as_of.After(notice_due)) {
    notice.state = kEnded;
  }
  r.clocks.push_back(notice);

  if (r.correction_due.has_value()) {
    Clock period{kClockCorrectionPeriod, "", "applicant's correction period",
                 r.correction_due,
                 DoneState(*r.correction_due, corrected_on, as_of)};
    if (!corrected_on.has_value() && r.closed_on.has_value())
      period.state = kEnded;
    r.clocks.push_back(period);
  }
  for (const ConsultationInfo& c : r.consultations) {
    Clock clock{kClockConsultation, c.id, c.party, c.lapses_on,
                DoneState(c.lapses_on, c.replied_on, as_of)};
    if (!c.replied_on.has_value() && r.closed_on.has_value())
      clock.state = kEnded;
    r.clocks.push_back(clock);
  }
  if (r.fee_due.has_value()) {
    Clock fee{kClockFeePayment, "", "applicant's fee payment", r.fee_due,
              DoneState(*r.fee_due, fee_paid_on, as_of)};
    if (!fee_paid_on.has_value() && r.closed_on.has_value()) fee.state = kEnded;
    r.clocks.push_back(fee);
  }
  r.holds_through = as_of.holds_through();
  return r;
}

}  // namespace gongkai

#include "domain/lifecycle.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/dates.h"
#include "common/status_macros.h"

namespace gongkai {
namespace {

constexpr int kMaxCorrectionPeriodDays = 60;
constexpr int kMaxUnreasonableExtensionDays = 250;

absl::Status Refuse(absl::string_view why) {
  return absl::FailedPreconditionError(why);
}

// INVALID_ARGUMENT when `date` is before the recorded event of `kind` that
// the action answers (a payment before its fee notice, say).
absl::Status CheckNotBefore(const std::vector<CaseEvent>& events,
                            absl::string_view kind, absl::CivilDay date,
                            absl::string_view what,
                            absl::string_view event_name) {
  for (const CaseEvent& ev : events) {
    if (ev.kind == kind && date < ev.effective_on) {
      return absl::InvalidArgumentError(
          absl::StrCat(what, " ", FormatDate(date), " is before ", event_name,
                       " of ", FormatDate(ev.effective_on)));
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status Lifecycle::CheckOpen(const CaseRecord& c,
                                  absl::string_view action) const {
  if (c.state == CaseState::kClosed) {
    return Refuse(absl::StrCat("case ", c.case_no, " is already closed (",
                               c.answered_on ? FormatDate(*c.answered_on) : "?",
                               ", ", c.outcome ? Info(*c.outcome).code : "?",
                               "); cannot ", action));
  }
  return absl::OkStatus();
}

absl::Status Lifecycle::CheckDate(const CaseRecord& c, absl::CivilDay date,
                                  absl::string_view what) const {
  if (date < c.received_on) {
    return absl::InvalidArgumentError(absl::StrCat(
        what, " ", FormatDate(date), " is before the receipt date ",
        FormatDate(c.received_on)));
  }
  if (date > action_.today) {
    return absl::InvalidArgumentError(absl::StrCat(
        what, " ", FormatDate(date), " is in the future (today is ",
        FormatDate(action_.today), ")"));
  }
  return absl::OkStatus();
}

absl::StatusOr<ClockReport> Lifecycle::ClocksOn(const Events& events,
                                                absl::CivilDay date) const {
  return ComputeClocks(events, calendar_, options_, date);
}

absl::StatusOr<std::optional<absl::CivilDay>> Lifecycle::LateAfter(
    const Events& events, const CaseEvent& step) const {
  Events with = events;
  with.push_back(step);
  int64_t seq = 0;
  for (const CaseEvent& e : events) seq = std::max(seq, e.seq);
  with.back().seq = seq + 1;
  ASSIGN_OR_RETURN(ClockReport r, ClocksOn(with, step.effective_on));
  for (const LateStep& late : r.late_steps) {
    if (late.seq == seq + 1) return late.deadline;
  }
  return std::nullopt;
}

CaseEvent Lifecycle::NewEvent(absl::string_view kind,
                              absl::CivilDay date) const {
  CaseEvent e;
  e.kind = std::string(kind);
  e.effective_on = date;
  e.recorded_at = action_.now;
  e.actor = action_.actor;
  return e;
}

absl::Status Lifecycle::AllowLate(const std::string& why,
                                  CaseEvent& event) const {
  if (action_.late_reason.empty()) {
    return Refuse(absl::StrCat(
        why,
        ". If it happened anyway, record it with a late reason "
        "(--late-reason); the deadline stays as the law gives it"));
  }
  RETURN_IF_ERROR(ValidateText("late reason", action_.late_reason, true,
                               kMaxNoteChars, 0, true));
  event.details.Set("late_reason", action_.late_reason);
  return absl::OkStatus();
}

absl::Status Lifecycle::AllowIfInTime(const Events& events, CaseEvent& step,
                                      absl::string_view why_late) const {
  ASSIGN_OR_RETURN(const std::optional<absl::CivilDay> late,
                   LateAfter(events, step));
  if (!late.has_value()) return absl::OkStatus();
  return AllowLate(
      absl::StrCat("the reply deadline ", FormatDate(*late), " passed before ",
                   FormatDate(step.effective_on), why_late),
      step);
}

void Lifecycle::Apply(CaseRecord& c, CaseState state) const {
  c.state = state;
  ++c.version;
  c.updated_at = action_.now;
}

absl::StatusOr<CaseEvent> Lifecycle::Answer(CaseRecord& c, const Events& events,
                                            const AnswerInput& input) const {
  RETURN_IF_ERROR(CheckOpen(c, "answer it again"));
  RETURN_IF_ERROR(CheckDate(c, input.answered_on, "answer date"));
  RETURN_IF_ERROR(
      ValidateText("note", input.note, false, kMaxNoteChars, 0, true));
  ASSIGN_OR_RETURN(ClockReport clocks, ClocksOn(events, input.answered_on));
  const Outcome o = input.outcome;
  if (o == Outcome::kOtherNoCorrection) {
    if (!clocks.awaiting_correction) {
      return Refuse(
          "outcome other_no_correction needs a correction notice still "
          "awaiting "
          "the corrected application");
    }
    if (input.answered_on <= *clocks.correction_due) {
      return Refuse(
          absl::StrCat("the applicant's correction period runs until ",
                       FormatDate(*clocks.correction_due),
                       "; other_no_correction can only be recorded after it"));
    }
  } else if (o == Outcome::kUnavailableUnclearAfterCorrection) {
    if (!clocks.corrected) {
      return Refuse(
          "outcome unavailable_unclear_after_correction needs a corrected "
          "application (gongkai case corrected)");
    }
  } else if (o == Outcome::kOtherFeeUnpaid) {
    if (!clocks.fee_open) {
      return Refuse("outcome other_fee_unpaid needs an unpaid fee notice");
    }
    if (input.answered_on <= *clocks.fee_due) {
      return Refuse(absl::StrCat(
          "the fee payment period runs until ", FormatDate(*clocks.fee_due),
          "; other_fee_unpaid can only be recorded after it"));
    }
  } else if (o != Outcome::kOther) {
    if (clocks.awaiting_correction) {
      return Refuse(absl::StrCat(
          "case ", c.case_no,
          " awaits the corrected application; record it with 'case corrected' "
          "first, or answer other_no_correction after the correction period (",
          FormatDate(*clocks.correction_due), ")"));
    }
    if (clocks.fee_open) {
      return Refuse(absl::StrCat(
          "case ", c.case_no,
          " awaits the fee payment; record it with 'case fee-paid' first, or "
          "answer other_fee_unpaid after the payment period (",
          FormatDate(*clocks.fee_due), ")"));
    }
  }
  c.answered_on = input.answered_on;
  c.outcome = o;
  c.answer_note = input.note;
  Apply(c, CaseState::kClosed);
  CaseEvent e = NewEvent("answered", input.answered_on);
  e.details.Set("outcome", std::string(Info(o).code));
  if (!input.note.empty()) e.details.Set("note", input.note);
  return e;
}

absl::StatusOr<CaseEvent> Lifecycle::Withdraw(CaseRecord& c,
                                              const Events& events,
                                              absl::CivilDay date,
                                              const std::string& reason) const {
  RETURN_IF_ERROR(CheckOpen(c, "withdraw it"));
  RETURN_IF_ERROR(CheckDate(c, date, "withdrawal date"));
  RETURN_IF_ERROR(
      ValidateText("reason", reason, false, kMaxNoteChars, 0, true));
  c.answered_on = date;
  c.outcome = Outcome::kOther;
  c.answer_note = reason.empty() ? "申请人撤回申请" : reason;
  Apply(c, CaseState::kClosed);
  CaseEvent e = NewEvent("withdrawn", date);
  e.details.Set("outcome", std::string(Info(Outcome::kOther).code));
  if (!reason.empty()) e.details.Set("reason", reason);
  return e;
}

absl::StatusOr<CaseEvent> Lifecycle::RequestCorrection(CaseRecord& c,
                                                       const Events& events,
                                                       absl::CivilDay date,
                                                       int period_days) const {
  RETURN_IF_ERROR(CheckOpen(c, "ask for a correction"));
  RETURN_IF_ERROR(CheckDate(c, date, "correction notice date"));
  if (period_days < 1 || period_days > kMaxCorrectionPeriodDays) {
    return absl::InvalidArgumentError(absl::StrCat(
        "the correction period must be 1 to ", kMaxCorrectionPeriodDays,
        " working days, not ", period_days));
  }
  ASSIGN_OR_RETURN(ClockReport clocks, ClocksOn(events, date));
  if (clocks.correction_requested) {
    return Refuse(
        absl::StrCat("a correction was already requested for case ", c.case_no,
                     "; the office tells the applicant once (Art. 30)"));
  }
  for (const ConsultationInfo& ci : clocks.consultations) {
    if (ci.open) {
      return Refuse(absl::StrCat("consultation ", ci.id,
                                 " is still open; record its reply first"));
    }
  }
  if (c.state != CaseState::kOpen) {
    return Refuse(absl::StrCat("case ", c.case_no, " is ", Info(c.state).code,
                               "; a correction can only be requested while it "
                               "is being processed"));
  }
  CaseEvent e = NewEvent("correction_requested", date);
  e.details.Set("period_days", period_days);
  if (clocks.complete_on.has_value()) {
    RETURN_IF_ERROR(AllowLate(
        absl::StrCat("case ", c.case_no,
                     " was recorded complete (受理/审查完毕) on ",
                     FormatDate(*clocks.complete_on),
                     "; a correction notice is for an application that is "
                     "unclear (Art. 30)"),
        e));
  } else {
    RETURN_IF_ERROR(AllowIfInTime(
        events, e,
        ": a correction notice now restarts nothing, since a late step cannot "
        "make a late case timely (Arts. 30, 33)"));
  }
  Apply(c, CaseState::kAwaitingCorrection);
  return e;
}

absl::StatusOr<CaseEvent> Lifecycle::RecordCorrection(
    CaseRecord& c, const Events& events, absl::CivilDay date) const {
  RETURN_IF_ERROR(CheckOpen(c, "record a correction"));
  RETURN_IF_ERROR(CheckDate(c, date, "correction date"));
  RETURN_IF_ERROR(CheckNotBefore(events, "correction_requested", date,
                                 "correction date", "the correction notice"));
  ASSIGN_OR_RETURN(ClockReport clocks, ClocksOn(events, date));
  if (!clocks.awaiting_correction) {
    return Refuse(absl::StrCat("case ", c.case_no,
                               " is not awaiting a correction (no correction "
                               "notice is outstanding)"));
  }
  CaseEvent e = NewEvent("corrected", date);
  if (clocks.correction_due.has_value() && date > *clocks.correction_due) {
    RETURN_IF_ERROR(AllowLate(
        absl::StrCat("the applicant's correction period ended ",
                     FormatDate(*clocks.correction_due),
                     "; without good reason the application is deemed "
                     "abandoned (Art. 30): close it with other_no_correction, "
                     "or give the applicant's good reason"),
        e));
  }
  Apply(c, CaseState::kOpen);
  return e;
}

absl::StatusOr<CaseEvent> Lifecycle::StartConsultation(
    CaseRecord& c, const Events& events, const ConsultationInput& input) const {
  RETURN_IF_ERROR(CheckOpen(c, "start a consultation"));
  RETURN_IF_ERROR(CheckDate(c, input.date, "consultation date"));
  RETURN_IF_ERROR(
      ValidateText("party", input.party, true, kMaxNameChars, 0, false));
  if (c.state != CaseState::kOpen) {
    return Refuse(absl::StrCat("case ", c.case_no, " is ", Info(c.state).code,
                               "; consultations start while it is being "
                               "processed"));
  }
  if (input.received_on.has_value()) {
    if (*input.received_on < input.date) {
      return absl::InvalidArgumentError(absl::StrCat(
          "the party's receipt date ", FormatDate(*input.received_on),
          " is before the letter was sent (", FormatDate(input.date), ")"));
    }
    RETURN_IF_ERROR(
        CheckDate(c, *input.received_on, "the party's receipt date"));
  }
  int count = 0;
  for (const CaseEvent& ev : events) {
    if (ev.kind == "consultation_started") ++count;
  }
  ASSIGN_OR_RETURN(ClockReport clocks, ClocksOn(events, input.date));
  CaseEvent e = NewEvent("consultation_started", input.date);
  e.details.Set("id", absl::StrCat("C", count + 1));
  e.details.Set("party", input.party);
  e.details.Set("kind", input.agency ? "agency" : "third_party");
  if (input.received_on.has_value()) {
    e.details.Set("received_on", FormatDate(*input.received_on));
  }
  RETURN_IF_ERROR(AllowIfInTime(
      events, e,
      ": a consultation now excludes no time, since the case is already "
      "late (Arts. 32, 33, 34)"));
  Apply(c, c.state);
  return e;
}

absl::StatusOr<CaseEvent> Lifecycle::RecordConsultationReceipt(
    CaseRecord& c, const Events& events, absl::CivilDay date,
    const std::string& id) const {
  RETURN_IF_ERROR(CheckOpen(c, "record a consultation letter's receipt"));
  RETURN_IF_ERROR(CheckDate(c, date, "receipt date"));
  ASSIGN_OR_RETURN(ClockReport clocks, ClocksOn(events, action_.today));
  std::vector<const ConsultationInfo*> candidates;
  for (const ConsultationInfo& ci : clocks.consultations) {
    if (id.empty() ? !ci.replied_on.has_value() : ci.id == id) {
      candidates.push_back(&ci);
    }
  }
  if (candidates.empty()) {
    return Refuse(absl::StrCat("case ", c.case_no, " has no consultation ",
                               id.empty() ? "awaiting a reply" : id));
  }
  if (candidates.size() > 1) {
    std::vector<std::string> ids;
    for (const auto* ci : candidates) ids.push_back(ci->id);
    return absl::InvalidArgumentError(
        absl::StrCat("several consultations await a reply (",
                     absl::StrJoin(ids, ", "), "); say which with --id"));
  }
  const ConsultationInfo& target = *candidates.front();
  if (target.receipt_recorded) {
    return Refuse(absl::StrCat("consultation ", target.id,
                               " was already recorded as received on ",
                               FormatDate(target.received_on)));
  }
  if (date < target.sent_on) {
    return absl::InvalidArgumentError(absl::StrCat(
        "receipt date ", FormatDate(date), " is before consultation ",
        target.id, " was sent (", FormatDate(target.sent_on), ")"));
  }
  if (target.replied_on.has_value() && date > *target.replied_on) {
    return absl::InvalidArgumentError(absl::StrCat(
        "receipt date ", FormatDate(date), " is after consultation ", target.id,
        " was answered (", FormatDate(*target.replied_on), ")"));
  }
  CaseEvent e = NewEvent("consultation_received", date);
  e.details.Set("id", target.id);
  Apply(c, c.state);
  return e;
}

absl::StatusOr<CaseEvent> Lifecycle::MarkComplete(
    CaseRecord& c, const Events& events, absl::CivilDay date,
    const std::string& note) const {
  RETURN_IF_ERROR(CheckOpen(c, "record it complete"));
  RETURN_IF_ERROR(CheckDate(c, date, "review date"));
  RETURN_IF_ERROR(ValidateText("note", note, false, kMaxNoteChars, 0, true));
  ASSIGN_OR_RETURN(ClockReport clocks, ClocksOn(events, action_.today));
  if (clocks.complete_on.has_value()) {
    return Refuse(absl::StrCat("case ", c.case_no,
                               " was already recorded complete on ",
                               FormatDate(*clocks.complete_on)));
  }
  if (clocks.awaiting_correction) {
    return Refuse(absl::StrCat(
        "case ", c.case_no,
        " awaits the corrected application; record it with 'case corrected' "
        "first"));
  }
  CaseEvent e = NewEvent("complete", date);
  if (!note.empty()) e.details.Set("note", note);
  Apply(c, c.state);
  return e;
}

absl::StatusOr<CaseEvent> Lifecycle::RecordConsultationReply(
    CaseRecord& c, const Events& events, absl::CivilDay date,
    const std::string& id) const {
  RETURN_IF_ERROR(CheckOpen(c, "record a consultation reply"));
  RETURN_IF_ERROR(CheckDate(c, date, "reply date"));
  ASSIGN_OR_RETURN(ClockReport clocks, ClocksOn(events, action_.today));
  std::vector<const ConsultationInfo*> waiting;
  for (const ConsultationInfo& ci : clocks.consultations) {
    if (!ci.replied_on.has_value()) waiting.push_back(&ci);
  }
  if (waiting.empty()) {
    return Refuse(absl::StrCat("case ", c.case_no,
                               " has no consultation awaiting a reply"));
  }
  const ConsultationInfo* target = nullptr;
  if (id.empty()) {
    if (waiting.size() > 1) {
      std::vector<std::string> ids;
      for (const auto* ci : waiting) ids.push_back(ci->id);
      return absl::InvalidArgumentError(
          absl::StrCat("several consultations await a reply (",
                       absl::StrJoin(ids, ", "), "); say which with --id"));
    }
    target = waiting.front();
  } else {
    for (const auto* ci : waiting) {
      if (ci->id == id) target = ci;
    }
    if (target == nullptr) {
      return Refuse(absl::StrCat("case ", c.case_no, " has no consultation ",
                                 id, " awaiting a reply"));
    }
  }
  if (date < target->sent_on) {
    return absl::InvalidArgumentError(absl::StrCat(
        "reply date ", FormatDate(date), " is before consultation ", target->id,
        " was sent (", FormatDate(target->sent_on), ")"));
  }
  CaseEvent e = NewEvent("consultation_replied", date);
  e.details.Set("id", target->id);
  Apply(c, c.state);
  return e;
}

absl::StatusOr<CaseEvent> Lifecycle::Extend(CaseRecord& c, const Events& events,
                                            const ExtensionInput& input) const {
  RETURN_IF_ERROR(CheckOpen(c, "extend its deadline"));
  RETURN_IF_ERROR(CheckDate(c, input.date, "extension date"));
  RETURN_IF_ERROR(ValidateText("approver", input.approved_by, true,
                               kMaxNameChars, 0, false));
  RETURN_IF_ERROR(
      ValidateText("reason", input.reason, true, kMaxNoteChars, 0, true));
  const int max_days = input.unreasonable_volume
                           ? kMaxUnreasonableExtensionDays
                           : MaxExtensionDays(c.received_on);
  if (input.days < 1 || input.days > max_days) {
    return absl::InvalidArgumentError(absl::StrCat(
        "an extension", input.unreasonable_volume ? " under Art. 35" : "",
        " must be 1 to ", max_days, " working days, not ", input.days,
        input.unreasonable_volume ? "" : " (Art. 33)"));
  }
  ASSIGN_OR_RETURN(ClockReport clocks, ClocksOn(events, input.date));
  if (input.unreasonable_volume ? clocks.unreasonable_period_set
                                : clocks.extended) {
    return Refuse(absl::StrCat(
        "case ", c.case_no,
        input.unreasonable_volume
            ? " already has an Art. 35 period for this reply period"
            : " was already extended in this reply period; at most one "
              "extension (Art. 33)"));
  }
  if (clocks.stopped_for_correction) {
    return Refuse(absl::StrCat("case ", c.case_no,
                               " awaits the corrected application; its reply "
                               "period has not restarted yet"));
  }
  CaseEvent e = NewEvent("extended", input.date);
  e.details.Set("days", input.days);
  e.details.Set(
      "kind", input.unreasonable_volume ? "unreasonable_volume" : "statutory");
  e.details.Set("approved_by", input.approved_by);
  e.details.Set("reason", input.reason);
  RETURN_IF_ERROR(AllowIfInTime(
      events, e,
      absl::StrCat("; an extension must be granted before the deadline (",
                   input.unreasonable_volume ? "Art. 35" : "Art. 33", ")")));
  Apply(c, c.state);
  return e;
}

absl::StatusOr<CaseEvent> Lifecycle::SendFeeNotice(CaseRecord& c,
                                                   const Events& events,
                                                   absl::CivilDay date,
                                                   int64_t amount_fen) const {
  RETURN_IF_ERROR(CheckOpen(c, "send a fee notice"));
  RETURN_IF_ERROR(CheckDate(c, date, "fee notice date"));
  if (amount_fen <= 0) {
    return absl::InvalidArgumentError("the fee amount must be more than zero");
  }
  ASSIGN_OR_RETURN(ClockReport clocks, ClocksOn(events, date));
  if (clocks.fee_notified) {
    return Refuse(
        absl::StrCat("a fee notice was already sent for case ", c.case_no));
  }
  if (c.state != CaseState::kOpen) {
    return Refuse(absl::StrCat("case ", c.case_no, " is ", Info(c.state).code,
                               "; a fee notice is sent while it is being "
                               "processed"));
  }
  CaseEvent e = NewEvent("fee_notified", date);
  e.details.Set("amount_fen", amount_fen);
  RETURN_IF_ERROR(AllowIfInTime(events, e,
                                "; the fee notice is sent within the reply "
                                "period (国办函〔2020〕109号)"));
  Apply(c, CaseState::kAwaitingFee);
  return e;
}

absl::StatusOr<CaseEvent> Lifecycle::RecordFeePayment(
    CaseRecord& c, const Events& events, absl::CivilDay date) const {
  RETURN_IF_ERROR(CheckOpen(c, "record a fee payment"));
  RETURN_IF_ERROR(CheckDate(c, date, "payment date"));
  if (c.state != CaseState::kAwaitingFee) {
    return Refuse(absl::StrCat("case ", c.case_no,
                               " has no fee notice awaiting payment"));
  }
  RETURN_IF_ERROR(CheckNotBefore(events, "fee_notified", date, "payment date",
                                 "the fee notice"));
  ASSIGN_OR_RETURN(ClockReport clocks, ClocksOn(events, date));
  int64_t amount = 0;
  for (const CaseEvent& ev : events) {
    if (const Json* a = ev.details.Find("amount_fen");
        ev.kind == "fee_notified" && a != nullptr && a->is_int()) {
      amount = a->as_int();
    }
  }
  CaseEvent e = NewEvent("fee_paid", date);
  e.details.Set("amount_fen", amount);
  if (clocks.fee_due.has_value() && date > *clocks.fee_due) {
    RETURN_IF_ERROR(AllowLate(
        absl::StrCat("the payment period ended ", FormatDate(*clocks.fee_due),
                     "; an applicant who has not paid by then is deemed to "
                     "have abandoned the application (视为放弃申请, "
                     "国办函〔2020〕109号): close it with other_fee_unpaid"),
        e));
  }
  Apply(c, CaseState::kOpen);
  return e;
}

}  // namespace gongkai

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

CaseEvent Lifecycle::NewEvent(absl::string_view kind,
                              absl::CivilDay date) const {
  CaseEvent e;
  e.kind = std::string(kind);
  e.effective_on = date;
  e.recorded_at = action_.now;
  e.actor = action_.actor;
  return e;
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
  Apply(c, CaseState::kAwaitingCorrection);
  CaseEvent e = NewEvent("correction_requested", date);
  e.details.Set("period_days", period_days);
  return e;
}

absl::StatusOr<CaseEvent> Lifecycle::RecordCorrection(
    CaseRecord& c, const Events& events, absl::CivilDay date) const {
  RETURN_IF_ERROR(CheckOpen(c, "record a correction"));
  RETURN_IF_ERROR(CheckDate(c, date, "correction date"));
  ASSIGN_OR_RETURN(ClockReport clocks, ClocksOn(events, action_.today));
  if (!clocks.awaiting_correction) {
    return Refuse(absl::StrCat("case ", c.case_no,
                               " is not awaiting a correction (no correction "
                               "notice is outstanding)"));
  }
  RETURN_IF_ERROR(CheckNotBefore(events, "correction_requested", date,
                                 "correction date", "the correction notice"));
  Apply(c, CaseState::kOpen);
  return NewEvent("corrected", date);
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
  int count = 0;
  for (const CaseEvent& ev : events) {
    if (ev.kind == "consultation_started") ++count;
  }
  CaseEvent e = NewEvent("consultation_started", input.date);
  e.details.Set("id", absl::StrCat("C", count + 1));
  e.details.Set("party", input.party);
  e.details.Set("kind", input.agency ? "agency" : "third_party");
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
  if (clocks.extended) {
    return Refuse(absl::StrCat("case ", c.case_no,
                               " was already extended; at most one extension "
                               "per case"));
  }
  if (clocks.awaiting_correction) {
    return Refuse(absl::StrCat("case ", c.case_no,
                               " awaits the corrected application; its reply "
                               "period has not restarted yet"));
  }
  if (clocks.reply_due.has_value() && input.date > *clocks.reply_due) {
    return Refuse(
        absl::StrCat("the reply deadline ", FormatDate(*clocks.reply_due),
                     " passed before ", FormatDate(input.date),
                     "; an extension must be granted before the deadline"));
  }
  CaseEvent e = NewEvent("extended", input.date);
  e.details.Set("days", input.days);
  e.details.Set(
      "kind", input.unreasonable_volume ? "unreasonable_volume" : "statutory");
  e.details.Set("approved_by", input.approved_by);
  e.details.Set("reason", input.reason);
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
  if (clocks.reply_due.has_value() && date > *clocks.reply_due) {
    return Refuse(absl::StrCat("the reply deadline ",
                               FormatDate(*clocks.reply_due), " passed before ",
                               FormatDate(date),
                               "; the fee notice must be sent within the reply "
                               "period"));
  }
  Apply(c, CaseState::kAwaitingFee);
  CaseEvent e = NewEvent("fee_notified", date);
  e.details.Set("amount_fen", amount_fen);
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
  Apply(c, CaseState::kOpen);
  int64_t amount = 0;
  for (const CaseEvent& ev : events) {
    if (const Json* a = ev.details.Find("amount_fen");
        ev.kind == "fee_notified" && a != nullptr && a->is_int()) {
      amount = a->as_int();
    }
  }
  CaseEvent e = NewEvent("fee_paid", date);
  e.details.Set("amount_fen", amount);
  return e;
}

}  // namespace gongkai

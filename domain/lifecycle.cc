#include "domain/lifecycle.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/dates.h"
#include "common/lang.h"
#include "common/status_macros.h"

namespace gongkai {
namespace {

constexpr int kMaxCorrectionPeriodDays = 60;
constexpr int kMaxUnreasonableExtensionDays = 250;

// A step the case's state or the law does not allow now. `zh` cites the
// article as 《政府信息公开条例》第N条 where one applies, `en` as Art. N.
absl::Status Refuse(absl::string_view zh, absl::string_view en) {
  return LocalizedError(absl::StatusCode::kFailedPrecondition, zh, en);
}

absl::Status Invalid(absl::string_view zh, absl::string_view en) {
  return LocalizedError(absl::StatusCode::kInvalidArgument, zh, en);
}

// The Chinese for the actions and dates that CheckOpen, CheckDate and
// CheckNotBefore name in English; the closed vocabulary of this file.
absl::string_view Zh(absl::string_view en) {
  static constexpr std::pair<absl::string_view, absl::string_view> kTerms[] = {
      {"answer it again", "再次答复"},
      {"withdraw it", "撤回申请"},
      {"ask for a correction", "发出补正告知"},
      {"record a correction", "登记补正"},
      {"start a consultation", "征求意见"},
      {"record a consultation letter's receipt", "登记征求意见函的送达"},
      {"record it complete", "登记受理/审查完毕"},
      {"record a consultation reply", "登记征求意见的答复"},
      {"extend its deadline", "延期答复"},
      {"send a fee notice", "发出缴费通知"},
      {"record a fee payment", "登记缴费"},
      {"answer date", "答复日期"},
      {"withdrawal date", "撤回日期"},
      {"correction notice date", "补正告知日期"},
      {"correction date", "补正日期"},
      {"consultation date", "征求意见日期"},
      {"the party's receipt date", "对方收到日期"},
      {"receipt date", "收到日期"},
      {"review date", "审查日期"},
      {"reply date", "答复日期"},
      {"extension date", "延期日期"},
      {"fee notice date", "缴费通知日期"},
      {"payment date", "缴费日期"},
      {"the correction notice", "补正告知"},
      {"the fee notice", "缴费通知"},
  };
  for (const auto& [e, z] : kTerms) {
    if (e == en) return z;
  }
  return en;
}

// INVALID_ARGUMENT when `date` is before the recorded event of `kind` that
// the action answers (a payment before its fee notice, say).
absl::Status CheckNotBefore(const std::vector<CaseEvent>& events,
                            absl::string_view kind, absl::CivilDay date,
                            absl::string_view what,
                            absl::string_view event_name) {
  for (const CaseEvent& ev : events) {
    if (ev.kind == kind && date < ev.effective_on) {
      return Invalid(
          absl::StrCat(Zh(what), " ", FormatDate(date), " 早于 ",
                       FormatDate(ev.effective_on), " 的", Zh(event_name)),
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
    const std::string on = c.answered_on ? FormatDate(*c.answered_on) : "?";
    return Refuse(
        absl::StrCat("案件 ", c.case_no, " 已办结（", on, "，",
                     c.outcome ? OutcomeRowLabel(Info(*c.outcome)) : "?",
                     "），不能", Zh(action)),
        absl::StrCat("case ", c.case_no, " is already closed (", on, ", ",
                     c.outcome ? Info(*c.outcome).code : "?", "); cannot ",
                     action));
  }
  return absl::OkStatus();
}

absl::Status Lifecycle::CheckDate(const CaseRecord& c, absl::CivilDay date,
                                  absl::string_view what) const {
  if (date < c.received_on) {
    return Invalid(
        absl::StrCat(Zh(what), " ", FormatDate(date), " 早于收到申请之日 ",
                     FormatDate(c.received_on)),
        absl::StrCat(what, " ", FormatDate(date),
                     " is before the receipt date ",
                     FormatDate(c.received_on)));
  }
  if (date > action_.today) {
    return Invalid(absl::StrCat(Zh(what), " ", FormatDate(date), " 晚于今天（",
                                FormatDate(action_.today), "）"),
                   absl::StrCat(what, " ", FormatDate(date),
                                " is in the future (today is ",
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

absl::Status Lifecycle::AllowLate(absl::string_view why_zh,
                                  absl::string_view why_en,
                                  CaseEvent& event) const {
  if (action_.late_reason.empty()) {
    return Refuse(
        absl::StrCat(why_zh,
                     "。如确已发生，请注明逾期原因（--late-reason）补录；"
                     "期限仍按法定计算"),
        absl::StrCat(why_en,
                     ". If it happened anyway, record it with a late reason "
                     "(--late-reason); the deadline stays as the law gives "
                     "it"));
  }
  RETURN_IF_ERROR(ValidateText("late reason", action_.late_reason, true,
                               kMaxNoteChars, 0, true));
  event.details.Set("late_reason", action_.late_reason);
  return absl::OkStatus();
}

absl::Status Lifecycle::AllowIfInTime(const Events& events, CaseEvent& step,
                                      absl::string_view why_zh,
                                      absl::string_view why_en) const {
  ASSIGN_OR_RETURN(const std::optional<absl::CivilDay> late,
                   LateAfter(events, step));
  if (!late.has_value()) return absl::OkStatus();
  return AllowLate(
      absl::StrCat("答复期限 ", FormatDate(*late), " 已于 ",
                   FormatDate(step.effective_on), " 之前届满", why_zh),
      absl::StrCat("the reply deadline ", FormatDate(*late), " passed before ",
                   FormatDate(step.effective_on), why_en),
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
          "答复结果“申请人无正当理由逾期不补正”需要一份尚在等待补正的补正告知",
          "outcome other_no_correction needs a correction notice still "
          "awaiting the corrected application");
    }
    if (input.answered_on <= *clocks.correction_due) {
      return Refuse(
          absl::StrCat("申请人的补正期限至 ",
                       FormatDate(*clocks.correction_due),
                       " 止；期满后才能登记“申请人无正当理由逾期不补正”"),
          absl::StrCat("the applicant's correction period runs until ",
                       FormatDate(*clocks.correction_due),
                       "; other_no_correction can only be recorded after it"));
    }
  } else if (o == Outcome::kUnavailableUnclearAfterCorrection) {
    if (!clocks.corrected) {
      return Refuse(
          "答复结果“补正后申请内容仍不明确”需要先登记补正后的申请"
          "（gongkai case corrected）",
          "outcome unavailable_unclear_after_correction needs a corrected "
          "application (gongkai case corrected)");
    }
  } else if (o == Outcome::kOtherFeeUnpaid) {
    if (!clocks.fee_open) {
      return Refuse(
          "答复结果“申请人逾期未按收费通知要求缴纳费用”需要一份尚未缴费的缴费通"
          "知",
          "outcome other_fee_unpaid needs an unpaid fee notice");
    }
    if (input.answered_on <= *clocks.fee_due) {
      return Refuse(
          absl::StrCat(
              "信息处理费缴费期限至 ", FormatDate(*clocks.fee_due),
              " 止；期满后才能登记“申请人逾期未按收费通知要求缴纳费用”"),
          absl::StrCat("the fee payment period runs until ",
                       FormatDate(*clocks.fee_due),
                       "; other_fee_unpaid can only be recorded after it"));
    }
  } else if (o != Outcome::kOther) {
    if (clocks.awaiting_correction) {
      return Refuse(
          absl::StrCat("案件 ", c.case_no,
                       " 正在等待补正后的申请；请先用“case corrected”登记补正，"
                       "或在补正期限（",
                       FormatDate(*clocks.correction_due),
                       "）届满后以“申请人无正当理由逾期不补正”答复"),
          absl::StrCat("case ", c.case_no,
                       " awaits the corrected application; record it with "
                       "'case corrected' first, or answer other_no_correction "
                       "after the correction period (",
                       FormatDate(*clocks.correction_due), ")"));
    }
    if (clocks.fee_open) {
      return Refuse(
          absl::StrCat(
              "案件 ", c.case_no,
              " 正在等待缴纳信息处理费；请先用“case fee-paid”登记缴费，"
              "或在缴费期限（",
              FormatDate(*clocks.fee_due),
              "）届满后以“申请人逾期未按收费通知要求缴纳费用”答复"),
          absl::StrCat("case ", c.case_no,
                       " awaits the fee payment; record it with 'case "
                       "fee-paid' first, or answer other_fee_unpaid after the "
                       "payment period (",
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
    return Invalid(absl::StrCat("补正期限应为 1 至 ", kMaxCorrectionPeriodDays,
                                " 个工作日，不能是 ", period_days),
                   absl::StrCat("the correction period must be 1 to ",
                                kMaxCorrectionPeriodDays, " working days, not ",
                                period_days));
  }
  ASSIGN_OR_RETURN(ClockReport clocks, ClocksOn(events, date));
  if (clocks.correction_requested) {
    return Refuse(
        absl::StrCat("案件 ", c.case_no,
                     " 已发出过补正告知；应一次性告知申请人需要补正的事项"
                     "（《政府信息公开条例》第三十条）"),
        absl::StrCat("a correction was already requested for case ", c.case_no,
                     "; the office tells the applicant once (Art. 30)"));
  }
  for (const ConsultationInfo& ci : clocks.consultations) {
    if (ci.open) {
      return Refuse(
          absl::StrCat("征求意见 ", ci.id, " 尚未结束；请先登记其答复"),
          absl::StrCat("consultation ", ci.id,
                       " is still open; record its reply first"));
    }
  }
  if (c.state != CaseState::kOpen) {
    return Refuse(
        absl::StrCat("案件 ", c.case_no, " 当前为“", Info(c.state).label,
                     "”；只有在办理中才能发出补正告知"),
        absl::StrCat("case ", c.case_no, " is ", Info(c.state).code,
                     "; a correction can only be requested while it is being "
                     "processed"));
  }
  CaseEvent e = NewEvent("correction_requested", date);
  e.details.Set("period_days", period_days);
  if (clocks.complete_on.has_value()) {
    RETURN_IF_ERROR(AllowLate(
        absl::StrCat("案件 ", c.case_no, " 已于 ",
                     FormatDate(*clocks.complete_on),
                     " 登记受理/审查完毕；补正告知只用于申请内容不明确的申请"
                     "（《政府信息公开条例》第三十条）"),
        absl::StrCat("case ", c.case_no,
                     " was recorded complete (受理/审查完毕) on ",
                     FormatDate(*clocks.complete_on),
                     "; a correction notice is for an application that is "
                     "unclear (Art. 30)"),
        e));
  } else {
    RETURN_IF_ERROR(AllowIfInTime(
        events, e,
        "：此时发出补正告知不再重新计算期限，逾期的步骤不能使已逾期的案件"
        "变为按期（《政府信息公开条例》第三十条、第三十三条）",
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
    return Refuse(
        absl::StrCat("案件 ", c.case_no,
                     " 没有在等待补正（没有未结的补正告知）"),
        absl::StrCat("case ", c.case_no,
                     " is not awaiting a correction (no correction notice is "
                     "outstanding)"));
  }
  CaseEvent e = NewEvent("corrected", date);
  if (clocks.correction_due.has_value() && date > *clocks.correction_due) {
    RETURN_IF_ERROR(AllowLate(
        absl::StrCat("申请人的补正期限已于 ",
                     FormatDate(*clocks.correction_due),
                     " 届满；无正当理由逾期不补正的，视为放弃申请"
                     "（《政府信息公开条例》第三十条）：请以“申请人无正当理由"
                     "逾期不补正”办结，或注明申请人的正当理由"),
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
    return Refuse(
        absl::StrCat("案件 ", c.case_no, " 当前为“", Info(c.state).label,
                     "”；只有在办理中才能征求意见"),
        absl::StrCat("case ", c.case_no, " is ", Info(c.state).code,
                     "; consultations start while it is being processed"));
  }
  if (input.received_on.has_value()) {
    if (*input.received_on < input.date) {
      return Invalid(
          absl::StrCat("对方收到日期 ", FormatDate(*input.received_on),
                       " 早于发函日期（", FormatDate(input.date), "）"),
          absl::StrCat(
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
      "：案件已经逾期，此时征求意见不再扣除任何时间"
      "（《政府信息公开条例》第三十二条、第三十三条、第三十四条）",
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
    return Refuse(
        id.empty() ? absl::StrCat("案件 ", c.case_no, " 没有等待答复的征求意见")
                   : absl::StrCat("案件 ", c.case_no, " 没有征求意见 ", id),
        absl::StrCat("case ", c.case_no, " has no consultation ",
                     id.empty() ? "awaiting a reply" : id));
  }
  if (candidates.size() > 1) {
    std::vector<std::string> ids;
    for (const auto* ci : candidates) ids.push_back(ci->id);
    return Invalid(
        absl::StrCat("有多个征求意见在等待答复（", absl::StrJoin(ids, "、"),
                     "）；请用 --id 指明是哪一个"),
        absl::StrCat("several consultations await a reply (",
                     absl::StrJoin(ids, ", "), "); say which with --id"));
  }
  const ConsultationInfo& target = *candidates.front();
  if (target.receipt_recorded) {
    return Refuse(absl::StrCat("征求意见 ", target.id, " 已登记为于 ",
                               FormatDate(target.received_on), " 送达"),
                  absl::StrCat("consultation ", target.id,
                               " was already recorded as received on ",
                               FormatDate(target.received_on)));
  }
  if (date < target.sent_on) {
    return Invalid(
        absl::StrCat("收到日期 ", FormatDate(date), " 早于征求意见 ", target.id,
                     " 的发函日期（", FormatDate(target.sent_on), "）"),
        absl::StrCat("receipt date ", FormatDate(date),
                     " is before consultation ", target.id, " was sent (",
                     FormatDate(target.sent_on), ")"));
  }
  if (target.replied_on.has_value() && date > *target.replied_on) {
    return Invalid(
        absl::StrCat("收到日期 ", FormatDate(date), " 晚于征求意见 ", target.id,
                     " 的答复日期（", FormatDate(*target.replied_on), "）"),
        absl::StrCat("receipt date ", FormatDate(date),
                     " is after consultation ", target.id, " was answered (",
                     FormatDate(*target.replied_on), ")"));
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
    return Refuse(
        absl::StrCat("案件 ", c.case_no, " 已于 ",
                     FormatDate(*clocks.complete_on), " 登记受理/审查完毕"),
        absl::StrCat("case ", c.case_no, " was already recorded complete on ",
                     FormatDate(*clocks.complete_on)));
  }
  if (clocks.awaiting_correction) {
    return Refuse(
        absl::StrCat("案件 ", c.case_no,
                     " 正在等待补正后的申请；请先用“case corrected”登记补正"),
        absl::StrCat("case ", c.case_no,
                     " awaits the corrected application; record it with 'case "
                     "corrected' first"));
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
    return Refuse(absl::StrCat("案件 ", c.case_no, " 没有等待答复的征求意见"),
                  absl::StrCat("case ", c.case_no,
                               " has no consultation awaiting a reply"));
  }
  const ConsultationInfo* target = nullptr;
  if (id.empty()) {
    if (waiting.size() > 1) {
      std::vector<std::string> ids;
      for (const auto* ci : waiting) ids.push_back(ci->id);
      return Invalid(
          absl::StrCat("有多个征求意见在等待答复（", absl::StrJoin(ids, "、"),
                       "）；请用 --id 指明是哪一个"),
          absl::StrCat("several consultations await a reply (",
                       absl::StrJoin(ids, ", "), "); say which with --id"));
    }
    target = waiting.front();
  } else {
    for (const auto* ci : waiting) {
      if (ci->id == id) target = ci;
    }
    if (target == nullptr) {
      return Refuse(
          absl::StrCat("案件 ", c.case_no, " 没有等待答复的征求意见 ", id),
          absl::StrCat("case ", c.case_no, " has no consultation ", id,
                       " awaiting a reply"));
    }
  }
  if (date < target->sent_on) {
    return Invalid(
        absl::StrCat("答复日期 ", FormatDate(date), " 早于征求意见 ",
                     target->id, " 的发函日期（", FormatDate(target->sent_on),
                     "）"),
        absl::StrCat("reply date ", FormatDate(date),
                     " is before consultation ", target->id, " was sent (",
                     FormatDate(target->sent_on), ")"));
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
    return Invalid(
        absl::StrCat(input.unreasonable_volume
                         ? "依《政府信息公开条例》第三十五条确定的期限"
                         : "延期答复（《政府信息公开条例》第三十三条）",
                     "应为 1 至 ", max_days, " 个工作日，不能是 ", input.days),
        absl::StrCat(
            "an extension", input.unreasonable_volume ? " under Art. 35" : "",
            " must be 1 to ", max_days, " working days, not ", input.days,
            input.unreasonable_volume ? "" : " (Art. 33)"));
  }
  ASSIGN_OR_RETURN(ClockReport clocks, ClocksOn(events, input.date));
  if (input.unreasonable_volume ? clocks.unreasonable_period_set
                                : clocks.extended) {
    return Refuse(
        absl::StrCat("案件 ", c.case_no,
                     input.unreasonable_volume
                         ? " 在本答复期限内已依《政府信息公开条例》第三十五条"
                           "确定过合理期限"
                         : " 在本答复期限内已经延期答复过；延期只能一次"
                           "（《政府信息公开条例》第三十三条）"),
        absl::StrCat("case ", c.case_no,
                     input.unreasonable_volume
                         ? " already has an Art. 35 period for this reply "
                           "period"
                         : " was already extended in this reply period; at "
                           "most one extension (Art. 33)"));
  }
  if (clocks.stopped_for_correction) {
    return Refuse(
        absl::StrCat("案件 ", c.case_no,
                     " 正在等待补正后的申请；答复期限尚未重新起算"),
        absl::StrCat("case ", c.case_no,
                     " awaits the corrected application; its reply period has "
                     "not restarted yet"));
  }
  CaseEvent e = NewEvent("extended", input.date);
  e.details.Set("days", input.days);
  e.details.Set(
      "kind", input.unreasonable_volume ? "unreasonable_volume" : "statutory");
  e.details.Set("approved_by", input.approved_by);
  e.details.Set("reason", input.reason);
  RETURN_IF_ERROR(AllowIfInTime(
      events, e,
      absl::StrCat("；延期应在期限届满前批准（《政府信息公开条例》",
                   input.unreasonable_volume ? "第三十五条" : "第三十三条",
                   "）"),
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
    return Invalid("信息处理费金额必须大于零",
                   "the fee amount must be more than zero");
  }
  ASSIGN_OR_RETURN(ClockReport clocks, ClocksOn(events, date));
  if (clocks.fee_notified) {
    return Refuse(
        absl::StrCat("案件 ", c.case_no, " 已经发出过缴费通知"),
        absl::StrCat("a fee notice was already sent for case ", c.case_no));
  }
  if (c.state != CaseState::kOpen) {
    return Refuse(
        absl::StrCat("案件 ", c.case_no, " 当前为“", Info(c.state).label,
                     "”；只有在办理中才能发出缴费通知"),
        absl::StrCat("case ", c.case_no, " is ", Info(c.state).code,
                     "; a fee notice is sent while it is being processed"));
  }
  CaseEvent e = NewEvent("fee_notified", date);
  e.details.Set("amount_fen", amount_fen);
  RETURN_IF_ERROR(AllowIfInTime(
      events, e, "；缴费通知应在答复期限内发出（国办函〔2020〕109号）",
      "; the fee notice is sent within the reply period "
      "(国办函〔2020〕109号)"));
  Apply(c, CaseState::kAwaitingFee);
  return e;
}

absl::StatusOr<CaseEvent> Lifecycle::RecordFeePayment(
    CaseRecord& c, const Events& events, absl::CivilDay date) const {
  RETURN_IF_ERROR(CheckOpen(c, "record a fee payment"));
  RETURN_IF_ERROR(CheckDate(c, date, "payment date"));
  if (c.state != CaseState::kAwaitingFee) {
    return Refuse(absl::StrCat("案件 ", c.case_no, " 没有等待缴费的缴费通知"),
                  absl::StrCat("case ", c.case_no,
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
        absl::StrCat("缴费期限已于 ", FormatDate(*clocks.fee_due),
                     " 届满；申请人逾期未缴纳的，视为放弃申请"
                     "（国办函〔2020〕109号）：请以“申请人逾期未按收费通知"
                     "要求缴纳费用”办结"),
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

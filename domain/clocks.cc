#include "domain/clocks.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "common/dates.h"
#include "common/lang.h"
#include "common/status_macros.h"
#include "domain/amendment.h"

namespace gongkai {
namespace {

std::string DayText(absl::CivilDay d, Lang lang) {
  return lang == Lang::kEn
             ? absl::StrCat(FormatDate(d), " (", WeekdayName(d), ")")
             : absl::StrCat(FormatDate(d), "（", WeekdayNameZh(d), "）");
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

std::string Ordinal(int n, Lang lang) {
  if (lang == Lang::kZh) return absl::StrCat("第 ", n, " 个");
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

std::string ClockKindLabel(absl::string_view kind, Lang lang) {
  if (kind == kClockReply)
    return std::string(Tr(lang, "答复期限", "reply to the applicant"));
  if (kind == kClockCorrectionNotice) {
    return std::string(
        Tr(lang, "补正告知期限", "correction notice to the applicant"));
  }
  if (kind == kClockCorrectionPeriod) {
    return std::string(
        Tr(lang, "申请人补正期限", "applicant's correction period"));
  }
  if (kind == kClockConsultation) {
    return std::string(Tr(lang, "征求意见期限", "consultation"));
  }
  if (kind == kClockFeePayment) {
    return std::string(
        Tr(lang, "信息处理费缴费期限", "applicant's fee payment"));
  }
  return std::string(kind);
}

std::string ClockStateLabel(absl::string_view state, Lang lang) {
  if (state == kRunning) return std::string(Tr(lang, "计时中", "running"));
  if (state == kPaused) return std::string(Tr(lang, "暂停", "paused"));
  if (state == kMet) return std::string(Tr(lang, "按期完成", "met"));
  if (state == kMissed) return std::string(Tr(lang, "逾期完成", "missed"));
  if (state == kExpired) return std::string(Tr(lang, "已逾期", "expired"));
  if (state == kEnded) return std::string(Tr(lang, "已终止", "ended"));
  return std::string(state);
}

int ReplyPeriodDays(absl::CivilDay received_on) {
  return received_on < kRegulations2019Effective ? kLegacyReplyPeriodDays
                                                 : kReplyPeriodDays;
}

int MaxExtensionDays(absl::CivilDay received_on) {
  return ReplyPeriodDays(received_on);
}

bool HasCorrectionNoticeClock(absl::CivilDay received_on) {
  return received_on >= kRegulations2019Effective;
}

namespace {

std::string Days(int n, Lang lang) {
  if (lang == Lang::kZh) return absl::StrCat(n, " 个工作日");
  return absl::StrCat(n, " working day", n == 1 ? "" : "s");
}

// Days not counted in the reply period: the working days d with
// from < d <= to. `to` is unset while the pause is still running.
struct Pause {
  std::string what;
  absl::CivilDay from;
  std::optional<absl::CivilDay> to;
};

// The reply period that runs now: its start, its length, and what was
// counted on it. A correction replaces it with a fresh one.
struct ReplyPeriod {
  absl::CivilDay start;
  int days = 0;
  std::vector<Pause> pauses;
  int extension_days = 0;     // Art. 33
  int unreasonable_days = 0;  // Art. 35
  bool extended = false;
  bool unreasonable_set = false;
  std::optional<absl::CivilDay> stopped_on;  // correction notice in time

  // Whether a pause covers `d`: started by then and not ended before it. On
  // the day a pause ends (a reply, a payment) the period is still paused:
  // its time is the days from < d <= to.
  bool PausedOn(absl::CivilDay d) const {
    for (const Pause& p : pauses) {
      if (p.from <= d && (!p.to.has_value() || *p.to >= d)) return true;
    }
    return false;
  }
  bool PausedNow() const {
    for (const Pause& p : pauses) {
      if (!p.to.has_value()) return true;
    }
    return false;
  }

  // Working days not counted: the union of the ended pauses, only the part
  // after the period's start, each day once.
  absl::StatusOr<int> DaysNotCounted(const WorkCalendar& calendar) const {
    std::vector<std::pair<absl::CivilDay, absl::CivilDay>> spans;
    for (const Pause& p : pauses) {
      if (!p.to.has_value()) continue;
      const absl::CivilDay from = std::max(p.from, start);
      if (*p.to > from) spans.emplace_back(from, *p.to);
    }
    std::sort(spans.begin(), spans.end());
    int total = 0;
    for (size_t i = 0; i < spans.size();) {
      absl::CivilDay from = spans[i].first, to = spans[i].second;
      for (++i; i < spans.size() && spans[i].first < to; ++i) {
        to = std::max(to, spans[i].second);
      }
      ASSIGN_OR_RETURN(int days, calendar.WorkingDaysBetween(from, to));
      total += days;
    }
    return total;
  }

  int TotalDays(int not_counted) const {
    return days + not_counted + extension_days + unreasonable_days;
  }

  absl::StatusOr<absl::CivilDay> Due(const WorkCalendar& calendar) const {
    ASSIGN_OR_RETURN(int not_counted, DaysNotCounted(calendar));
    return calendar.AddWorkingDays(start, TotalDays(not_counted));
  }

  // The deadline a step on `d` is measured against, or none while the
  // period is stopped or paused (a step then cannot be late).
  absl::StatusOr<std::optional<absl::CivilDay>> DueOn(
      absl::CivilDay d, const WorkCalendar& calendar) const {
    if (stopped_on.has_value() || PausedOn(d)) return std::nullopt;
    ASSIGN_OR_RETURN(absl::CivilDay due, Due(calendar));
    return due;
  }
};

bool ShowsUnderstanding(absl::string_view kind) {
  return kind == "complete" || kind == "consultation_started" ||
         kind == "fee_notified" || kind == "extended" || kind == "answered" ||
         kind == "withdrawn";
}

}  // namespace

absl::StatusOr<ClockReport> ComputeClocks(const std::vector<CaseEvent>& events,
                                          const WorkCalendar& calendar,
                                          const ClockOptions& options,
                                          absl::CivilDay as_of_day) {
  AsOfDay as_of(as_of_day);
  // Amendments and reopenings correct the facts as if they had always been
  // so (domain/amendment.h): an amended receipt date starts the clocks, an
  // answer set aside by a reopening ends nothing.
  std::vector<CaseEvent> corrected;
  const std::vector<CaseEvent>* source = &events;
  if (HasCorrections(events)) {
    corrected = EffectiveHistory(events);
    source = &corrected;
  }
  // Process in date order; the sequence number keeps same-day order.
  std::vector<const CaseEvent*> ordered;
  for (const CaseEvent& e : *source) {
    if (as_of.Reached(e.effective_on)) ordered.push_back(&e);
  }
  std::stable_sort(ordered.begin(), ordered.end(),
                   [](const CaseEvent* a, const CaseEvent* b) {
                     return a->effective_on < b->effective_on;
                   });
  if (ordered.empty() || ordered.front()->kind != "received") {
    return LocalizedError(
        absl::StatusCode::kFailedPrecondition,
        absl::StrCat("截至 ", FormatDate(as_of.day()), " 尚未收到该申请"),
        absl::StrCat("the case had not been received by ",
                     FormatDate(as_of.day())));
  }

  ClockReport r;
  const bool explain = options.explain;
  std::vector<std::string>& why = r.explanation;
  auto say = [&](auto&&... parts) {
    if (explain) why.push_back(absl::StrCat(parts...));
  };
  // The reader's language: explanation lines, clock labels and late-step
  // texts are written in it; kinds and states stay stable codes.
  const Lang lang = options.lang;
  const bool en = lang == Lang::kEn;
  auto DayText = [lang](absl::CivilDay d) { return gongkai::DayText(d, lang); };
  auto Days = [lang](int n) { return gongkai::Days(n, lang); };
  r.received_on = ordered.front()->effective_on;
  r.reply_start = r.received_on;
  r.reply_period_days = ReplyPeriodDays(r.received_on);

  if (en) {
    say("Received on ", DayText(r.received_on), ".");
  } else {
    say("收到申请之日：", DayText(r.received_on), "。");
  }
  if (r.reply_period_days == kLegacyReplyPeriodDays) {
    if (en) {
      say("Reply period: ", r.reply_period_days,
          " working days, because the application was received before ",
          FormatDate(kRegulations2019Effective),
          " (2008 Regulations, Art. 24).");
    } else {
      say("答复期限：", r.reply_period_days, " 个工作日，因为申请是在 ",
          FormatDate(kRegulations2019Effective),
          " 之前收到的（2008 年《政府信息公开条例》第二十四条）。");
    }
  } else if (en) {
    say("Reply period: ", r.reply_period_days,
        " working days (Regulations, Art. 33).");
  } else {
    say("答复期限：", r.reply_period_days,
        " 个工作日（《政府信息公开条例》第三十三条）。");
  }
  say(Tr(lang,
         "起算日当天不计入（《民法典》第二百零一条）；工作日为周一至周五，"
         "法定放假日除外，另加国务院调休安排的周末上班日。",
         "The start day is never counted (Civil Code Art. 201); a working day "
         "is Monday-Friday unless an official day off, or a weekend day "
         "declared a make-up working day."));

  // First the facts whose end the pauses need: when the case closed, when
  // each consultation and the fee payment ended.
  std::optional<absl::CivilDay> fee_notice_on, fee_paid_on, corrected_on;
  std::optional<absl::CivilDay> correction_requested_on, understood_on;
  for (const CaseEvent* e : ordered) {
    const absl::CivilDay d = e->effective_on;
    if (e->kind == "answered" || e->kind == "withdrawn") {
      // A closed case takes no further steps: nothing after the close counts.
      r.closed_on = d;
      if (!understood_on.has_value()) understood_on = d;
      break;
    }
    if (e->kind == "consultation_started") {
      ConsultationInfo c;
      c.id = DetailText(*e, "id");
      c.party = DetailText(*e, "party");
      c.kind = DetailText(*e, "kind");
      c.sent_on = d;
      c.received_on = d;
      if (absl::StatusOr<absl::CivilDay> got =
              ParseDate(DetailText(*e, "received_on"));
          got.ok() && *got >= d) {
        c.received_on = *got;
        c.receipt_recorded = true;
      }
      r.consultations.push_back(std::move(c));
    } else if (e->kind == "consultation_received" ||
               e->kind == "consultation_replied") {
      const std::string id = DetailText(*e, "id");
      for (ConsultationInfo& c : r.consultations) {
        if (c.id != id) continue;
        if (e->kind == "consultation_replied") {
          if (!c.replied_on.has_value()) c.replied_on = d;
        } else if (d >= c.sent_on) {
          c.received_on = d;
          c.receipt_recorded = true;
        }
      }
    } else if (e->kind == "fee_notified" && !fee_notice_on.has_value()) {
      fee_notice_on = d;
    } else if (e->kind == "fee_paid" && fee_notice_on.has_value() &&
               !fee_paid_on.has_value()) {
      fee_paid_on = d;
    }
    if (ShowsUnderstanding(e->kind) && !understood_on.has_value()) {
      understood_on = d;
    }
  }
  // When each consultation stops pausing: its reply, else the lapse of the
  // party's 15 working days, else the close of the case.
  std::vector<std::optional<absl::CivilDay>> consultation_end;
  std::vector<std::string> consultation_how;
  for (ConsultationInfo& c : r.consultations) {
    ASSIGN_OR_RETURN(c.lapses_on, calendar.AddWorkingDays(
                                      c.received_on, kConsultationReplyDays));
    std::optional<absl::CivilDay> end;
    std::string how;
    const std::string lapse_text =
        en ? absl::StrCat("lapsed without a timely reply on ",
                          FormatDate(c.lapses_on), " (", kConsultationReplyDays,
                          " working days from ",
                          c.receipt_recorded ? "the party's receipt on "
                                             : "the letter of ",
                          FormatDate(c.received_on),
                          c.kind == "agency" ? ", Art. 34)" : ", Art. 32)")
           : absl::StrCat(
                 "对方逾期未答复，于 ", FormatDate(c.lapses_on), " 期满（自",
                 c.receipt_recorded ? "对方收到函件之日 " : "发函之日 ",
                 FormatDate(c.received_on), " 起 ", kConsultationReplyDays,
                 " 个工作日，《政府信息公开条例》",
                 c.kind == "agency" ? "第三十四条）" : "第三十二条）");
    if (c.replied_on.has_value() && *c.replied_on <= c.lapses_on) {
      end = *c.replied_on;
      how = en ? absl::StrCat("answered on ", FormatDate(*c.replied_on))
               : absl::StrCat("于 ", FormatDate(*c.replied_on), " 答复");
    } else if (c.replied_on.has_value()) {
      end = c.lapses_on;
      how = lapse_text;
    } else if (r.closed_on.has_value()) {
      end = std::min(*r.closed_on, c.lapses_on);
      how = *r.closed_on > c.lapses_on ? lapse_text
            : en ? absl::StrCat("ended when the case closed on ",
                                FormatDate(*r.closed_on))
                 : absl::StrCat("案件于 ", FormatDate(*r.closed_on),
                                " 办结时终止");
    } else if (as_of.After(c.lapses_on)) {
      end = c.lapses_on;
      how = lapse_text;
    }
    if (end.has_value() && r.closed_on.has_value()) {
      end = std::min(*end, *r.closed_on);
    }
    if (end.has_value()) {
      ASSIGN_OR_RETURN(c.pause_days,
                       calendar.WorkingDaysBetween(c.sent_on, *end));
    } else {
      c.open = true;
    }
    consultation_end.push_back(end);
    consultation_how.push_back(std::move(how));
  }
  // The fee payment period, and when the fee stops pausing the reply.
  std::optional<absl::CivilDay> fee_end;
  if (fee_notice_on.has_value()) {
    r.fee_notified = true;
    // 20 working days from the day after the applicant received the notice
    // (国办函〔2020〕109号; domain.md section 4).
    ASSIGN_OR_RETURN(
        absl::CivilDay due,
        calendar.AddWorkingDays(*fee_notice_on + 1, kFeePaymentDays));
    r.fee_due = due;
    r.fee_open = !fee_paid_on.has_value();
    if (fee_paid_on.has_value()) {
      fee_end = std::min(*fee_paid_on, due);
    } else if (r.closed_on.has_value()) {
      fee_end = std::min(*r.closed_on, due);
    } else if (as_of.After(due)) {
      fee_end = due;
    }
  }

  // Then the steps in date order, each against the reply period as it stood
  // that day.
  ReplyPeriod period;
  period.start = r.received_on;
  period.days = r.reply_period_days;
  // `what` names the step in the reader's language.
  auto late = [&](const CaseEvent& e, absl::CivilDay due, std::string what) {
    std::string reason = DetailText(e, "late_reason");
    if (en) {
      say(absl::StrCat(
          what, " on ", DayText(e.effective_on),
          ", after the reply deadline of ", FormatDate(due),
          " had passed: a late step moves no deadline, so it is "
          "kept on the record without effect",
          reason.empty() ? "" : absl::StrCat(" (recorded: ", reason, ")"),
          "."));
    } else {
      say(absl::StrCat(
          DayText(e.effective_on), " ", what, "，此时答复期限 ",
          FormatDate(due), " 已经届满：逾期的步骤不改变任何期限，仅记录在案",
          reason.empty() ? "" : absl::StrCat("（登记的原因：", reason, "）"),
          "。"));
    }
    r.late_steps.push_back(
        {e.kind, e.effective_on, due, e.seq,
         en ? absl::StrCat(what, " after the reply deadline of ",
                           FormatDate(due), "; it moves no deadline")
            : absl::StrCat(what, "时答复期限 ", FormatDate(due),
                           " 已经届满；不改变任何期限")});
  };
  size_t next_consultation = 0;
  for (const CaseEvent* e : ordered) {
    const absl::CivilDay d = e->effective_on;
    if (e->kind == "answered" || e->kind == "withdrawn") break;
    if (e->kind == "correction_requested") {
      if (r.correction_requested) continue;  // once (Art. 30)
      r.correction_requested = true;
      r.awaiting_correction = true;
      correction_requested_on = d;
      const int correction_period =
          DetailInt(*e, "period_days", kDefaultCorrectionPeriodDays);
      ASSIGN_OR_RETURN(absl::CivilDay due,
                       calendar.AddWorkingDays(d, correction_period));
      r.correction_due = due;
      ASSIGN_OR_RETURN(std::optional<absl::CivilDay> current,
                       period.DueOn(d, calendar));
      if (current.has_value() && d > *current) {
        late(*e, *current,
             std::string(Tr(lang, "发出补正告知",
                            "Correction notice (补正告知) sent")));
        if (en) {
          say("  The applicant's correction period is ",
              Days(correction_period), ", until ", DayText(due),
              "; a corrected application will not "
              "restart the reply period.");
        } else {
          say("  申请人的补正期限为 ", Days(correction_period), "，至 ",
              DayText(due), " 止；补正后的申请不会使答复期限重新起算。");
        }
        continue;
      }
      period.stopped_on = d;
      r.stopped_for_correction = true;
      if (en) {
        say("Correction notice (补正告知) sent on ", DayText(d),
            "; the reply period stops and will restart from the day the "
            "corrected application arrives (Art. 30). The applicant's "
            "correction period is ",
            Days(correction_period), ", until ", DayText(due), ".");
      } else {
        say(DayText(d),
            " 发出补正告知：答复期限停止计算，自收到补正后的申请之日起重新"
            "计算（《政府信息公开条例》第三十条）。申请人的补正期限为 ",
            Days(correction_period), "，至 ", DayText(due), " 止。");
      }
    } else if (e->kind == "corrected") {
      if (!r.awaiting_correction) continue;
      r.awaiting_correction = false;
      r.corrected = true;
      corrected_on = d;
      if (!period.stopped_on.has_value()) {
        if (en) {
          say("Corrected application received on ", DayText(d),
              ": the correction notice came after the reply deadline, so the "
              "reply period does not restart.");
        } else {
          say(DayText(d),
              " 收到补正后的申请：补正告知是在答复期限届满后发出的，"
              "答复期限不重新起算。");
        }
        continue;
      }
      // A fresh period. What ran on the old one ends with it; a pause still
      // running after the restart keeps excluding its later days.
      ReplyPeriod fresh;
      fresh.start = d;
      fresh.days = r.reply_period_days;
      for (const Pause& p : period.pauses) {
        if (!p.to.has_value() || *p.to > d) fresh.pauses.push_back(p);
      }
      r.reply_start = d;
      r.stopped_for_correction = false;
      const bool had_extension = period.extended || period.unreasonable_set;
      if (en) {
        say("Corrected application received on ", DayText(d),
            ": the reply period of ", r.reply_period_days,
            " working days starts again from this day (Art. 30)",
            had_extension
                ? "; the extension granted on the old period no longer "
                  "counts, and the new period may be extended"
                : "",
            ".");
      } else {
        say(DayText(d), " 收到补正后的申请：", r.reply_period_days,
            " 个工作日的答复期限自该日起重新计算（《政府信息公开条例》第三十条"
            "）",
            had_extension ? "；原期限内批准的延期不再计算，新的期限可以另行延期"
                          : "",
            "。");
      }
      period = std::move(fresh);
    } else if (e->kind == "consultation_started") {
      if (next_consultation >= r.consultations.size()) continue;
      const size_t i = next_consultation++;
      ConsultationInfo& c = r.consultations[i];
      const std::string who =
          en ? absl::StrCat(
                   "Consultation ", c.id, " with ", c.party,
                   c.kind == "agency" ? " (another agency, Art. 34)"
                                      : " (third party, Art. 32)",
                   ", letter sent ", DayText(c.sent_on),
                   c.receipt_recorded
                       ? absl::StrCat(", received ", FormatDate(c.received_on))
                       : "")
             : absl::StrCat(
                   "向", c.party,
                   c.kind == "agency"
                       ? "（其他机关，《政府信息公开条例》第三十四条）"
                       : "（第三方，《政府信息公开条例》第三十二条）",
                   "征求意见 ", c.id, "，", DayText(c.sent_on), " 发函",
                   c.receipt_recorded
                       ? absl::StrCat("，", FormatDate(c.received_on), " 送达")
                       : "");
      ASSIGN_OR_RETURN(std::optional<absl::CivilDay> current,
                       period.DueOn(d, calendar));
      if (current.has_value() && d > *current) {
        c.late = true;
        c.pause_days = 0;
        late(*e, *current,
             en ? absl::StrCat("Consultation ", c.id, " sent")
                : absl::StrCat("发出征求意见 ", c.id));
        continue;
      }
      period.pauses.push_back(
          {absl::StrCat("consultation ", c.id), d, consultation_end[i]});
      if (!consultation_end[i].has_value()) {
        if (en) {
          say(who, ": still open; its reply is due by ",
              FormatDate(c.lapses_on),
              ". The reply deadline is paused until it ends.");
        } else {
          say(who, "：尚未结束，对方应于 ", FormatDate(c.lapses_on),
              " 前答复。征求意见结束前答复期限暂停计算。");
        }
      } else if (en) {
        say(who, ", ", consultation_how[i], ": the ", Days(c.pause_days),
            " after ", FormatDate(c.sent_on), " up to and including ",
            FormatDate(*consultation_end[i]), " are not counted.");
      } else {
        say(who, "，", consultation_how[i], "：", FormatDate(c.sent_on),
            " 之后至 ", FormatDate(*consultation_end[i]), "（含）的 ",
            Days(c.pause_days), "不计入答复期限。");
      }
    } else if (e->kind == "extended") {
      const bool art35 = DetailText(*e, "kind") == "unreasonable_volume";
      const int days = DetailInt(*e, "days", 0);
      const char* article = en ? (art35 ? "Art. 35" : "Art. 33")
                               : (art35 ? "《政府信息公开条例》第三十五条"
                                        : "《政府信息公开条例》第三十三条");
      if (period.stopped_on.has_value()) {
        if (en) {
          say("Extension (", article, ") of ", FormatDate(d),
              " while the reply period was stopped for correction: adds "
              "nothing.");
        } else {
          say(FormatDate(d), " 的延期（", article,
              "）发生在答复期限因补正停止计算期间：不增加天数。");
        }
        continue;
      }
      ASSIGN_OR_RETURN(std::optional<absl::CivilDay> current,
                       period.DueOn(d, calendar));
      if (current.has_value() && d > *current) {
        late(*e, *current,
             en ? absl::StrCat("Extension (", article, ") approved")
                : absl::StrCat("批准延期（", article, "）"));
        continue;
      }
      if (art35 ? period.unreasonable_set : period.extended) {
        if (en) {
          say("A second extension (", article, ") of ", FormatDate(d),
              " adds nothing: one per reply period.");
        } else {
          say(FormatDate(d), " 的第二次延期（", article,
              "）不增加天数：每个答复期限只能延期一次。");
        }
        continue;
      }
      std::string by = DetailText(*e, "approved_by");
      if (en) {
        say("Extension (延期, ", article, ") approved on ", FormatDate(d),
            by.empty() ? "" : absl::StrCat(" by ", by), ": adds ", Days(days),
            art35 ? " (a longer reasonable period for unreasonable volume or "
                    "frequency; it does not use up the Art. 33 extension)"
                  : "",
            ".");
      } else {
        say(FormatDate(d), " 批准延期答复（", article, "）",
            by.empty() ? "" : absl::StrCat("，批准人 ", by), "：增加 ",
            Days(days),
            art35 ? "（因申请数量、频次明显超过合理范围而确定的合理期限；"
                    "不占用第三十三条的延期）"
                  : "",
            "。");
      }
      if (art35) {
        period.unreasonable_set = true;
        period.unreasonable_days = days;
      } else {
        period.extended = true;
        period.extension_days = days;
      }
    } else if (e->kind == "fee_notified") {
      if (d != *fee_notice_on || r.fee_due == std::nullopt) continue;
      ASSIGN_OR_RETURN(std::optional<absl::CivilDay> current,
                       period.DueOn(d, calendar));
      if (current.has_value() && d > *current) {
        late(
            *e, *current,
            std::string(Tr(lang, "申请人收到收费通知",
                           "Fee notice (收费通知) received by the applicant")));
        continue;
      }
      if (en) {
        say("Fee notice received by the applicant on ", DayText(d),
            "; payment is due within ", kFeePaymentDays,
            " working days counted from the day after, by ",
            FormatDate(*r.fee_due),
            fee_paid_on.has_value()
                ? absl::StrCat("; paid on ", FormatDate(*fee_paid_on),
                               *fee_paid_on > *r.fee_due ? ", late" : "")
                : "",
            ".");
      } else {
        say(DayText(d), " 申请人收到收费通知：应自次日起 ", kFeePaymentDays,
            " 个工作日内缴纳信息处理费，即 ", FormatDate(*r.fee_due), " 前",
            fee_paid_on.has_value()
                ? absl::StrCat("；已于 ", FormatDate(*fee_paid_on), " 缴纳",
                               *fee_paid_on > *r.fee_due ? "（逾期）" : "")
                : "",
            "。");
      }
      if (options.fee_pauses_reply) {
        period.pauses.push_back({"fee", d, fee_end});
        if (fee_end.has_value()) {
          ASSIGN_OR_RETURN(int days, calendar.WorkingDaysBetween(d, *fee_end));
          if (en) {
            say("  The ", Days(days), " from the notice up to and including ",
                FormatDate(*fee_end),
                " are not counted (fee convention; never past the payment "
                "period).");
          } else {
            say("  自收费通知至 ", FormatDate(*fee_end), "（含）的 ",
                Days(days), "不计入答复期限（收费约定；不超过缴费期限）。");
          }
        } else {
          say(Tr(lang, "  缴费之前答复期限暂停计算。",
                 "  The reply deadline is paused until the fee is paid."));
        }
      }
    } else if (e->kind == "complete") {
      if (!r.complete_on.has_value()) {
        r.complete_on = d;
        if (en) {
          say("Recorded complete (受理/审查完毕) on ", DayText(d),
              ": no correction is needed.");
        } else {
          say(DayText(d), " 登记受理/审查完毕：无需补正。");
        }
      }
    }
  }

  // The reply clock.
  ASSIGN_OR_RETURN(r.pause_days, period.DaysNotCounted(calendar));
  r.extension_days = period.extension_days;
  r.unreasonable_period_days = period.unreasonable_days;
  r.extended = period.extended;
  r.unreasonable_period_set = period.unreasonable_set;
  {
    int overlapping = 0;
    for (const ConsultationInfo& c : r.consultations) {
      if (!c.open && !c.late && c.sent_on >= r.reply_start) ++overlapping;
    }
    if (overlapping + (fee_notice_on.has_value() ? 1 : 0) > 1 &&
        r.pause_days > 0) {
      if (en) {
        say("Days not counted in this reply period: ", Days(r.pause_days),
            "; a day on which several letters were out counts once.");
      } else {
        say("本答复期限内不计算的时间：", Days(r.pause_days),
            "；同一天有多份函件在外的，只计一次。");
      }
    }
  }
  Clock reply{kClockReply, "", ClockKindLabel(kClockReply, lang), std::nullopt,
              kRunning};
  if (period.stopped_on.has_value()) {
    if (r.closed_on.has_value()) {
      reply.state = kEnded;
      if (en) {
        say("The reply period stopped with the correction notice of ",
            FormatDate(*period.stopped_on), " and the case closed on ",
            DayText(*r.closed_on),
            " without a corrected application: no reply deadline applies.");
      } else {
        say("答复期限随 ", FormatDate(*period.stopped_on),
            " 的补正告知停止计算，案件于 ", DayText(*r.closed_on),
            " 办结，未收到补正后的申请：不适用答复期限。");
      }
    } else {
      r.paused = true;
      r.pause_reason = std::string(Tr(lang, "正在等待补正后的申请",
                                      "awaiting the corrected application"));
      reply.state = kPaused;
      if (en) {
        say("The reply deadline is not fixed while ", r.pause_reason, ".");
      } else {
        say(r.pause_reason, "，答复期限暂不确定。");
      }
    }
  } else if (period.PausedNow()) {
    r.paused = true;
    bool consulting = false;
    for (const Pause& p : period.pauses) {
      if (!p.to.has_value() && p.what != "fee") consulting = true;
    }
    r.pause_reason =
        consulting
            ? std::string(Tr(lang, "正在征求意见", "a consultation is open"))
            : std::string(Tr(lang, "正在等待缴纳信息处理费",
                             "awaiting the fee payment"));
    reply.state = kPaused;
    if (en) {
      say("The reply deadline is not fixed while ", r.pause_reason, ".");
    } else {
      say(r.pause_reason, "，答复期限暂不确定。");
    }
  } else {
    const int total = period.TotalDays(r.pause_days);
    std::vector<CountedDay> trace;
    ASSIGN_OR_RETURN(absl::CivilDay due,
                     calendar.AddWorkingDays(r.reply_start, total,
                                             explain ? &trace : nullptr));
    r.reply_due = due;
    reply.due_on = due;
    if (explain && en) {
      say("Counting ", total, " working days after ", DayText(r.reply_start),
          " = ", r.reply_period_days, " (period)",
          r.pause_days > 0 ? absl::StrCat(" + ", r.pause_days, " (paused)")
                           : "",
          r.extension_days > 0
              ? absl::StrCat(" + ", r.extension_days, " (extension, Art. 33)")
              : "",
          r.unreasonable_period_days > 0
              ? absl::StrCat(" + ", r.unreasonable_period_days,
                             " (longer period, Art. 35)")
              : "",
          ":");
      for (std::string& line : DescribeCount(trace, lang)) say("  ", line);
      say("Reply due on ", DayText(due), ", the ", Ordinal(total, lang),
          " working day after ", FormatDate(r.reply_start), ".");
    } else if (explain) {
      say("自 ", DayText(r.reply_start), " 之后计算 ", total,
          " 个工作日 = ", r.reply_period_days, "（答复期限）",
          r.pause_days > 0 ? absl::StrCat(" + ", r.pause_days, "（暂停）") : "",
          r.extension_days > 0 ? absl::StrCat(" + ", r.extension_days,
                                              "（延期答复，第三十三条）")
                               : "",
          r.unreasonable_period_days > 0
              ? absl::StrCat(" + ", r.unreasonable_period_days,
                             "（合理期限，第三十五条）")
              : "",
          "：");
      for (std::string& line : DescribeCount(trace, lang)) say("  ", line);
      say("答复期限届满日：", DayText(due), "，即 ", FormatDate(r.reply_start),
          " 之后的", Ordinal(total, lang), "工作日。");
    }
    if (r.closed_on.has_value()) {
      reply.state = *r.closed_on <= due ? kMet : kMissed;
      if (en) {
        say("Closed on ", DayText(*r.closed_on),
            reply.state == kMet ? ", within the period."
                                : ", after the deadline.");
      } else {
        say(DayText(*r.closed_on), " 办结，",
            reply.state == kMet ? "在答复期限内。" : "超过答复期限。");
      }
    } else if (as_of.After(due)) {
      reply.state = kExpired;
    }
  }
  r.clocks.push_back(reply);

  // The office's 7 working days to ask for a correction; none for cases
  // under the 2008 regulation.
  if (HasCorrectionNoticeClock(r.received_on)) {
    ASSIGN_OR_RETURN(
        absl::CivilDay notice_due,
        calendar.AddWorkingDays(r.received_on, kCorrectionNoticeDays));
    Clock notice{kClockCorrectionNotice, "",
                 ClockKindLabel(kClockCorrectionNotice, lang), notice_due,
                 kRunning};
    if (correction_requested_on.has_value()) {
      notice.state = *correction_requested_on <= notice_due ? kMet : kMissed;
    } else if (understood_on.has_value() || as_of.After(notice_due)) {
      notice.state = kEnded;
    }
    r.clocks.push_back(notice);
  }

  if (r.correction_due.has_value()) {
    Clock clock{kClockCorrectionPeriod, "",
                ClockKindLabel(kClockCorrectionPeriod, lang), r.correction_due,
                DoneState(*r.correction_due, corrected_on, as_of)};
    if (!corrected_on.has_value() && r.closed_on.has_value())
      clock.state = kEnded;
    r.clocks.push_back(clock);
  }
  for (const ConsultationInfo& c : r.consultations) {
    Clock clock{kClockConsultation, c.id, c.party, c.lapses_on,
                DoneState(c.lapses_on, c.replied_on, as_of)};
    if (!c.replied_on.has_value() && r.closed_on.has_value())
      clock.state = kEnded;
    r.clocks.push_back(clock);
  }
  if (r.fee_due.has_value()) {
    Clock fee{kClockFeePayment, "", ClockKindLabel(kClockFeePayment, lang),
              r.fee_due, DoneState(*r.fee_due, fee_paid_on, as_of)};
    if (!fee_paid_on.has_value() && r.closed_on.has_value()) fee.state = kEnded;
    r.clocks.push_back(fee);
  }
  r.holds_through = as_of.holds_through();
  return r;
}

}  // namespace gongkai

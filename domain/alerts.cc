#include "domain/alerts.h"

#include <algorithm>
#include <cstdint>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/dates.h"
#include "common/lang.h"
#include "common/status_macros.h"

namespace gongkai {
namespace {

Alert Make(std::string kind, const std::string& case_no,
           absl::string_view clock_id, absl::CivilDay due, int left,
           std::string message, const std::string& key_suffix = "") {
  Alert a;
  a.kind = std::move(kind);
  a.case_no = case_no;
  a.clock_id = std::string(clock_id);
  a.due_on = due;
  a.working_days_left = left;
  a.message = std::move(message);
  a.key = absl::StrCat(case_no, "|", a.kind, key_suffix, "|", clock_id, "|",
                       FormatDate(due));
  return a;
}

}  // namespace

AlertClocks AlertClocks::Of(const ClockReport& report) {
  AlertClocks out;
  out.closed = report.closed_on.has_value();
  out.correction_requested = report.correction_requested;
  out.clocks.reserve(report.clocks.size());
  for (const gongkai::Clock& clock : report.clocks) {
    AlertClocks::Clock c;
    if (clock.due_on.has_value()) c.due = DayNumber(*clock.due_on);
    if (clock.kind == kClockReply) {
      c.kind = Kind::kReply;
    } else if (clock.kind == kClockCorrectionNotice) {
      c.kind = Kind::kCorrectionNotice;
    } else if (clock.kind == kClockCorrectionPeriod) {
      c.kind = Kind::kCorrectionPeriod;
    } else if (clock.kind == kClockConsultation) {
      // The consultation of the clock's id (the last, should two share it).
      bool agency = false;
      for (const ConsultationInfo& ci : report.consultations) {
        if (ci.id == clock.id) agency = ci.kind == "agency";
      }
      c.kind =
          agency ? Kind::kAgencyConsultation : Kind::kThirdPartyConsultation;
    } else if (clock.kind == kClockFeePayment) {
      c.kind = Kind::kFeePayment;
    }
    if (clock.state == kRunning) {
      c.state = State::kRunning;
    } else if (clock.state == kExpired) {
      c.state = State::kExpired;
    }
    out.clocks.push_back(c);
  }
  return out;
}

absl::StatusOr<std::vector<AlertCondition>> AlertConditions(
    const ClockReport& clocks, absl::CivilDay as_of,
    const WorkCalendar& calendar, const AlertOptions& options,
    absl::CivilDay* next_change) {
  return AlertConditions(AlertClocks::Of(clocks), as_of, calendar, options,
                         next_change);
}

absl::StatusOr<std::vector<AlertCondition>> AlertConditions(
    const AlertClocks& clocks, absl::CivilDay as_of,
    const WorkCalendar& calendar, const AlertOptions& options,
    absl::CivilDay* next_change) {
  using Kind = AlertClocks::Kind;
  using State = AlertClocks::State;
  std::vector<AlertCondition> out;
  absl::CivilDay next = kNoChangeAhead;
  // Notes the day on which `left` working days will have come down to `to`.
  auto when_left = [&](int left, int to) -> absl::Status {
    if (left <= to) {
      next = std::min(next, as_of + 1);
      return absl::OkStatus();
    }
    ASSIGN_OR_RETURN(absl::CivilDay d,
                     calendar.AddWorkingDays(as_of, left - to));
    next = std::min(next, d);
    return absl::OkStatus();
  };
  int widest = 0;
  for (int t : options.reply_warning_days) widest = std::max(widest, t);
  if (next_change != nullptr) *next_change = next;
  if (clocks.closed) return out;
  for (size_t i = 0; i < clocks.clocks.size(); ++i) {
    const AlertClocks::Clock& clock = clocks.clocks[i];
    if (clock.due == AlertClocks::kNoDue) continue;
    AlertCondition c;
    c.clock = static_cast<int>(i);
    c.due = DayOfNumber(clock.due);
    ASSIGN_OR_RETURN(c.working_days_left,
                     calendar.WorkingDaysLeft(as_of, c.due));
    const int left = c.working_days_left;
    if (clock.kind == Kind::kReply && as_of <= c.due) {
      RETURN_IF_ERROR(when_left(left, widest));
    }
    if (clock.kind == Kind::kCorrectionNotice &&
        clock.state == State::kRunning && !clocks.correction_requested &&
        left >= 0) {
      RETURN_IF_ERROR(when_left(left, 1));
    }
    switch (clock.kind) {
      case Kind::kReply:
        if (as_of > c.due) {
          c.kind = "reply_overdue";
        } else if (left == 0) {
          c.kind = "reply_due_today";
        } else {
          // The smallest threshold that still covers `left` names the
          // alert, so each threshold crossed raises a new one.
          for (int t : options.reply_warning_days) {
            if (left <= t) c.threshold = t;
          }
          if (c.threshold == 0) continue;
          c.kind = "reply_due_soon";
        }
        break;
      case Kind::kCorrectionNotice:
        // The last working day on which the office can still ask for a
        // correction (7 working days from receipt).
        if (clock.state != State::kRunning || left < 0 || left > 1 ||
            clocks.correction_requested) {
          continue;
        }
        c.kind = "correction_notice_due";
        break;
      case Kind::kCorrectionPeriod:
        if (clock.state != State::kExpired) continue;
        c.kind = "correction_period_expired";
        break;
      case Kind::kAgencyConsultation:
      case Kind::kThirdPartyConsultation:
        if (clock.state != State::kExpired) continue;
        c.kind = clock.kind == Kind::kAgencyConsultation
                     ? "agency_reply_overdue"
                     : "third_party_reply_overdue";
        break;
      case Kind::kFeePayment:
        if (clock.state != State::kExpired) continue;
        c.kind = "fee_payment_expired";
        break;
      case Kind::kOther:
        continue;
    }
    out.push_back(c);
  }
  if (next_change != nullptr) *next_change = next;
  return out;
}

Alert DescribeAlert(const std::string& case_no, const ClockReport& clocks,
                    const AlertCondition& c, Lang lang) {
  const Clock& clock = clocks.clocks[c.clock];
  return DescribeAlert(case_no, clock.id, clock.label, c, lang);
}

Alert DescribeAlert(const std::string& case_no, absl::string_view clock_id,
                    absl::string_view clock_label, const AlertCondition& c,
                    Lang lang) {
  const std::string kind = c.kind;
  const std::string due = FormatDate(c.due);
  const int left = c.working_days_left;
  const bool en = lang == Lang::kEn;
  if (kind == "reply_overdue") {
    return Make(kind, case_no, "", c.due, left,
                en ? absl::StrCat("reply overdue since ", due)
                   : absl::StrCat("已超过答复期限（", due, " 届满）"));
  }
  if (kind == "reply_due_today") {
    return Make(kind, case_no, "", c.due, 0,
                std::string(Tr(lang, "答复期限今天届满", "reply due today")));
  }
  if (kind == "reply_due_soon") {
    return Make(
        kind, case_no, "", c.due, left,
        en ? absl::StrCat("reply due on ", due, ", ", left, " working day",
                          left == 1 ? "" : "s", " left")
           : absl::StrCat("答复期限 ", due, " 届满，还剩 ", left, " 个工作日"),
        absl::StrCat("@", c.threshold));
  }
  if (kind == "correction_notice_due") {
    return Make(kind, case_no, "", c.due, left,
                en ? absl::StrCat("a correction notice must be sent by ", due)
                   : absl::StrCat("如需补正，应在 ", due, " 前发出补正告知"));
  }
  if (kind == "correction_period_expired") {
    return Make(
        kind, case_no, "", c.due, left,
        en ? absl::StrCat("the applicant's correction period ended ", due,
                          "; close with other_no_correction")
           : absl::StrCat("申请人的补正期限已于 ", due,
                          " 届满；请以“申请人无正当理由逾期不补正”办结"));
  }
  if (kind == "fee_payment_expired") {
    return Make(kind, case_no, "", c.due, left,
                en ? absl::StrCat("the fee was not paid by ", due,
                                  "; close with other_fee_unpaid")
                   : absl::StrCat("申请人未在 ", due,
                                  " 前缴纳信息处理费；请以“申请人逾期未按收费"
                                  "通知要求缴纳费用”办结"));
  }
  // agency_reply_overdue, third_party_reply_overdue
  return Make(kind, case_no, clock_id, c.due, left,
              en ? absl::StrCat("consultation ", clock_id, " with ",
                                clock_label, " had no reply by ", due)
                 : absl::StrCat("征求意见 ", clock_id, "（", clock_label,
                                "）截至 ", due, " 未收到答复"));
}

absl::StatusOr<std::vector<Alert>> CaseAlerts(const std::string& case_no,
                                              const ClockReport& clocks,
                                              absl::CivilDay as_of,
                                              const WorkCalendar& calendar,
                                              const AlertOptions& options) {
  ASSIGN_OR_RETURN(std::vector<AlertCondition> conditions,
                   AlertConditions(clocks, as_of, calendar, options));
  std::vector<Alert> out;
  out.reserve(conditions.size());
  for (const AlertCondition& c : conditions) {
    out.push_back(DescribeAlert(case_no, clocks, c, options.lang));
  }
  return out;
}

namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// True when `s` starts with a date written YYYY-MM-DD.
bool StartsWithDate(absl::string_view s) {
  if (s.size() < 10) return false;
  for (int i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (!IsDigit(s[i])) return false;
  }
  return s[4] == '-' && s[7] == '-';
}

// FNV-1a, 64 bits: a short name for a text that is the same in every process
// and release (std::hash and absl::Hash are neither).
uint64_t Fnv1a(absl::string_view text) {
  uint64_t h = 14695981039346656037ull;
  for (unsigned char c : text) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
}

}  // namespace

std::string DeadlineUnknownCause(absl::string_view why) {
  // The calendar's words (WorkCalendar::Classify): "... no official schedule
  // for 2027 (needed for 2027-01-04) ...". The day needed may move as the
  // days pass; the missing year is the cause.
  static constexpr absl::string_view kMissing = "no official schedule for ";
  std::set<std::string> years;
  for (size_t at = why.find(kMissing); at != absl::string_view::npos;
       at = why.find(kMissing, at + 1)) {
    size_t end = at + kMissing.size();
    while (end < why.size() && IsDigit(why[end])) ++end;
    if (end > at + kMissing.size()) {
      years.insert(std::string(
          why.substr(at + kMissing.size(), end - at - kMissing.size())));
    }
  }
  if (!years.empty())
    return absl::StrCat("calendar:", absl::StrJoin(years, ","));
  // Any other reason: its words without the dates in them.
  std::string words;
  words.reserve(why.size());
  for (size_t i = 0; i < why.size();) {
    if (StartsWithDate(why.substr(i))) {
      words += "#";
      i += 10;
    } else {
      words += why[i++];
    }
  }
  return absl::StrCat("reason:", absl::Hex(Fnv1a(words), absl::kZeroPad16));
}

Alert DeadlineUnknownAlert(const std::string& case_no, absl::CivilDay as_of,
                           const absl::Status& why, Lang lang) {
  Alert a;
  a.kind = "deadline_unknown";
  a.case_no = case_no;
  a.due_on = as_of;
  a.message = MessageIn(why, lang);
  // The case and the cause, not the day: a hook hears of it once, and again
  // only when the cause changes. The cause is read from the English words,
  // whatever the reader's language, so that the key does not change with it.
  a.key = absl::StrCat(case_no, "|deadline_unknown|",
                       DeadlineUnknownCause(MessageIn(why, Lang::kEn)));
  return a;
}

std::vector<ReportDuty> ReportDuties(
    const std::vector<std::pair<std::string, std::string>>& agencies,
    const std::string& office_name) {
  std::vector<ReportDuty> out;
  if (agencies.empty()) {
    out.push_back({"", office_name, 1, 31, {}});
    return out;
  }
  if (agencies.size() == 1) {
    out.push_back({agencies[0].first, agencies[0].second, 1, 31, {""}});
    return out;
  }
  for (const auto& [code, name] : agencies) {
    out.push_back({code, name, 1, 31, {}});
  }
  // Art. 49: a government's annual report, summing its departments', is due
  // two months later.
  out.push_back({"", office_name, 3, 31, {}});
  return out;
}

std::vector<Alert> ReportAlerts(absl::CivilDay as_of,
                                const PublicationState& publication,
                                const WorkCalendar& calendar, Lang lang) {
  const bool en = lang == Lang::kEn;
  std::vector<Alert> out;
  const int last_ended = static_cast<int>(as_of.year()) - 1;
  for (const ReportDuty& duty : publication.duties) {
    // The years this duty's reports were published by `as_of`.
    std::set<int> done;
    auto counts = [&](const std::string& scope) {
      return scope == duty.scope ||
             std::find(duty.also_counts.begin(), duty.also_counts.end(),
                       scope) != duty.also_counts.end();
    };
    for (const auto& [period, on] : publication.published) {
      if (on <= as_of && counts(period.second)) done.insert(period.first);
    }
    // The first year owed: the first year this scope published in gongkai,
    // else the year just ended if gongkai holds its cases of that year.
    int first = last_ended + 1;
    if (!done.empty()) {
      first = *done.begin();
    } else if (duty.records_from > 0 && duty.records_from <= last_ended) {
      first = last_ended;
    }
    for (int year = first; year <= last_ended; ++year) {
      if (done.count(year) > 0) continue;
      const absl::CivilDay due(year + 1, duty.due_month, duty.due_day);
      absl::StatusOr<int> left = calendar.WorkingDaysLeft(as_of, due);
      const bool overdue = as_of > due;
      Alert a;
      a.kind = overdue ? "annual_report_overdue" : "annual_report_due";
      a.clock_id = absl::StrCat(year);
      a.due_on = due;
      a.working_days_left = left.ok() ? *left : 0;
      a.agency = duty.scope;
      const bool summary = duty.scope.empty() && duty.due_month != 1;
      if (!en) {
        const std::string what = absl::StrCat(
            duty.name,
            duty.scope.empty() ? "" : absl::StrCat("（", duty.scope, "）"),
            year,
            summary ? " 年政府信息公开工作年度报告（本级政府汇总）"
                    : " 年政府信息公开工作年度报告");
        if (overdue) {
          a.message = absl::StrCat(
              what, "应于 ", FormatDate(due),
              " 前公布（《政府信息公开条例》第四十九条），尚未公布");
          if (left.ok()) {
            absl::StrAppend(&a.message, "；已逾期 ", -*left, " 个工作日");
          }
        } else {
          a.message = absl::StrCat(what, "应于 ", FormatDate(due),
                                   " 前公布（《政府信息公开条例》第四十九条）");
          if (left.ok()) {
            absl::StrAppend(&a.message, "；还剩 ", *left, " 个工作日");
          }
        }
        a.key = absl::StrCat(a.kind, "|", year, "|", duty.scope);
        out.push_back(std::move(a));
        continue;
      }
      const std::string what = absl::StrCat(
          "the ", year,
          summary ? " annual report (government summary)" : " annual report",
          duty.name.empty() ? "" : absl::StrCat(" of ", duty.name),
          duty.scope.empty() ? "" : absl::StrCat(" (", duty.scope, ")"));
      if (overdue) {
        a.message = absl::StrCat(what, " was due by ", FormatDate(due),
                                 " (Art. 49) and is not published");
        if (left.ok()) {
          absl::StrAppend(&a.message, "; ", -*left, " working day",
                          *left == -1 ? "" : "s", " overdue");
        }
      } else {
        a.message = absl::StrCat(what, " must be published by ",
                                 FormatDate(due), " (Art. 49)");
        if (left.ok()) {
          absl::StrAppend(&a.message, "; ", *left, " working day",
                          *left == 1 ? "" : "s", " left");
        }
      }
      // Kind, year and scope: the same fact on every day until published.
      a.key = absl::StrCat(a.kind, "|", year, "|", duty.scope);
      out.push_back(std::move(a));
    }
  }
  return out;
}

void SortAlerts(std::vector<Alert>& alerts) {
  std::sort(alerts.begin(), alerts.end(), [](const Alert& a, const Alert& b) {
    if (a.due_on != b.due_on) return a.due_on < b.due_on;
    if (a.case_no != b.case_no) return a.case_no < b.case_no;
    if (a.kind != b.kind) return a.kind < b.kind;
    return a.key < b.key;
  });
}

}  // namespace gongkai

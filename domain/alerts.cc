#include "domain/alerts.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "common/dates.h"
#include "common/status_macros.h"

namespace gongkai {
namespace {

Alert Make(std::string kind, const std::string& case_no,
           const std::string& clock_id, absl::CivilDay due, int left,
           std::string message, const std::string& key_suffix = "") {
  Alert a;
  a.kind = std::move(kind);
  a.case_no = case_no;
  a.clock_id = clock_id;
  a.due_on = due;
  a.working_days_left = left;
  a.message = std::move(message);
  a.key = absl::StrCat(case_no, "|", a.kind, key_suffix, "|", clock_id, "|",
                       FormatDate(due));
  return a;
}

}  // namespace

absl::StatusOr<std::vector<AlertCondition>> AlertConditions(
    const ClockReport& clocks, absl::CivilDay as_of,
    const WorkCalendar& calendar, const AlertOptions& options,
    absl::CivilDay* next_change) {
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
  if (clocks.closed_on.has_value()) return out;
  for (size_t i = 0; i < clocks.clocks.size(); ++i) {
    const Clock& clock = clocks.clocks[i];
    if (!clock.due_on.has_value()) continue;
    AlertCondition c;
    c.clock = static_cast<int>(i);
    c.due = *clock.due_on;
    ASSIGN_OR_RETURN(c.working_days_left,
                     calendar.WorkingDaysLeft(as_of, c.due));
    const int left = c.working_days_left;
    if (clock.kind == kClockReply && as_of <= c.due) {
      RETURN_IF_ERROR(when_left(left, widest));
    }
    if (clock.kind == kClockCorrectionNotice && clock.state == kRunning &&
        !clocks.correction_requested && left >= 0) {
      RETURN_IF_ERROR(when_left(left, 1));
    }
    if (clock.kind == kClockReply) {
      if (as_of > c.due) {
        c.kind = "reply_overdue";
      } else if (left == 0) {
        c.kind = "reply_due_today";
      } else {
        // The smallest threshold that still covers `left` names the alert,
        // so each threshold crossed raises a new one.
        for (int t : options.reply_warning_days) {
          if (left <= t) c.threshold = t;
        }
        if (c.threshold == 0) continue;
        c.kind = "reply_due_soon";
      }
    } else if (clock.kind == kClockCorrectionNotice) {
      // The last working day on which the office can still ask for a
      // correction (7 working days from receipt).
      if (clock.state != kRunning || left < 0 || left > 1 ||
          clocks.correction_requested) {
        continue;
      }
      c.kind = "correction_notice_due";
    } else if (clock.kind == kClockCorrectionPeriod) {
      if (clock.state != kExpired) continue;
      c.kind = "correction_period_expired";
    } else if (clock.kind == kClockConsultation) {
      if (clock.state != kExpired) continue;
      bool agency = false;
      for (const ConsultationInfo& ci : clocks.consultations) {
        if (ci.id == clock.id) agency = ci.kind == "agency";
      }
      c.kind = agency ? "agency_reply_overdue" : "third_party_reply_overdue";
    } else if (clock.kind == kClockFeePayment) {
      if (clock.state != kExpired) continue;
      c.kind = "fee_payment_expired";
    } else {
      continue;
    }
    out.push_back(c);
  }
  if (next_change != nullptr) *next_change = next;
  return out;
}

Alert DescribeAlert(const std::string& case_no, const ClockReport& clocks,
                    const AlertCondition& c) {
  const Clock& clock = clocks.clocks[c.clock];
  const std::string kind = c.kind;
  const std::string due = FormatDate(c.due);
  const int left = c.working_days_left;
  if (kind == "reply_overdue") {
    return Make(kind, case_no, "", c.due, left,
                absl::StrCat("reply overdue since ", due));
  }
  if (kind == "reply_due_today") {
    return Make(kind, case_no, "", c.due, 0, "reply due today");
  }
  if (kind == "reply_due_soon") {
    return Make(kind, case_no, "", c.due, left,
                absl::StrCat("reply due on ", due, ", ", left, " working day",
                             left == 1 ? "" : "s", " left"),
                absl::StrCat("@", c.threshold));
  }
  if (kind == "correction_notice_due") {
    return Make(kind, case_no, "", c.due, left,
                absl::StrCat("a correction notice must be sent by ", due));
  }
  if (kind == "correction_period_expired") {
    return Make(kind, case_no, "", c.due, left,
                absl::StrCat("the applicant's correction period ended ", due,
                             "; close with other_no_correction"));
  }
  if (kind == "fee_payment_expired") {
    return Make(kind, case_no, "", c.due, left,
                absl::StrCat("the fee was not paid by ", due,
                             "; close with other_fee_unpaid"));
  }
  // agency_reply_overdue, third_party_reply_overdue
  return Make(kind, case_no, clock.id, c.due, left,
              absl::StrCat("consultation ", clock.id, " with ", clock.label,
                           " had no reply by ", due));
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
    out.push_back(DescribeAlert(case_no, clocks, c));
  }
  return out;
}

Alert DeadlineUnknownAlert(const std::string& case_no, absl::CivilDay as_of,
                           absl::string_view why) {
  Alert a;
  a.kind = "deadline_unknown";
  a.case_no = case_no;
  a.due_on = as_of;
  a.message = std::string(why);
  // A new key every day: the condition is raised again until it is mended.
  a.key = absl::StrCat(case_no, "|deadline_unknown||", FormatDate(as_of));
  return a;
}

std::vector<Alert> ReportAlerts(absl::CivilDay as_of,
                                const WorkCalendar& calendar) {
  std::vector<Alert> out;
  if (as_of.month() != 1) return out;
  const absl::CivilDay due(as_of.year(), 1, 31);
  absl::StatusOr<int> left = calendar.WorkingDaysBetween(as_of, due);
  const int year = static_cast<int>(as_of.year()) - 1;
  out.push_back(Make(
      "annual_report_due", "", absl::StrCat(year), due, left.ok() ? *left : 0,
      absl::StrCat("the ", year, " annual report must be published by ",
                   FormatDate(due), " (Art. 49)")));
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

#include "server/domain/alerts.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "common/dates.h"
#include "common/status_macros.h"

namespace gongkai {
namespace {

// Signed working days from `as_of` to `due`.
absl::StatusOr<int> DaysLeft(absl::CivilDay as_of, absl::CivilDay due,
                             const WorkCalendar& calendar) {
  if (as_of <= due) return calendar.WorkingDaysBetween(as_of, due);
  ASSIGN_OR_RETURN(int late, calendar.WorkingDaysBetween(due, as_of));
  return -late;
}

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

absl::StatusOr<std::vector<Alert>> CaseAlerts(const std::string& case_no,
                                              const ClockReport& clocks,
                                              absl::CivilDay as_of,
                                              const WorkCalendar& calendar,
                                              const AlertOptions& options) {
  std::vector<Alert> out;
  if (clocks.closed_on.has_value()) return out;
  for (const Clock& clock : clocks.clocks) {
    if (!clock.due_on.has_value()) continue;
    const absl::CivilDay due = *clock.due_on;
    ASSIGN_OR_RETURN(int left, DaysLeft(as_of, due, calendar));
    if (clock.kind == kClockReply) {
      if (as_of > due) {
        out.push_back(
            Make("reply_overdue", case_no, "", due, left,
                 absl::StrCat("reply overdue since ", FormatDate(due))));
      } else if (left == 0) {
        out.push_back(
            Make("reply_due_today", case_no, "", due, 0, "reply due today"));
      } else {
        // The smallest threshold that still covers `left` names the alert,
        // so each threshold crossed raises a new one.
        int threshold = 0;
        for (int t : options.reply_warning_days) {
          if (left <= t) threshold = t;
        }
        if (threshold > 0) {
          out.push_back(
              Make("reply_due_soon", case_no, "", due, left,
                   absl::StrCat("reply due on ", FormatDate(due), ", ", left,
                                " working day", left == 1 ? "" : "s", " left"),
                   absl::StrCat("@", threshold)));
        }
      }
    } else if (clock.kind == kClockCorrectionNotice) {
      // The last working day on which the office can still ask for a
      // correction (7 working days from receipt).
      if (clock.state == kRunning && left >= 0 && left <= 1 &&
          !clocks.correction_requested) {
        out.push_back(Make("correction_notice_due", case_no, "", due, left,
                           absl::StrCat("a correction notice must be sent by ",
                                        FormatDate(due))));
      }
    } else if (clock.kind == kClockCorrectionPeriod) {
      if (clock.state == kExpired) {
        out.push_back(Make(
            "correction_period_expired", case_no, "", due, left,
            absl::StrCat("the applicant's correction period ended ",
                         FormatDate(due), "; close with other_no_correction")));
      }
    } else if (clock.kind == kClockConsultation) {
      if (clock.state == kExpired) {
        bool agency = false;
        for (const ConsultationInfo& c : clocks.consultations) {
          if (c.id == clock.id) agency = c.kind == "agency";
        }
        out.push_back(
            Make(agency ? "agency_reply_overdue" : "third_party_reply_overdue",
                 case_no, clock.id, due, left,
                 absl::StrCat("consultation ", clock.id, " with ", clock.label,
                              " had no reply by ", FormatDate(due))));
      }
    } else if (clock.kind == kClockFeePayment) {
      if (clock.state == kExpired) {
        out.push_back(
            Make("fee_payment_expired", case_no, "", due, left,
                 absl::StrCat("the fee was not paid by ", FormatDate(due),
                              "; close with other_fee_unpaid")));
      }
    }
  }
  return out;
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
    return a.kind < b.kind;
  });
}

}  // namespace gongkai

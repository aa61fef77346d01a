// Deadline alerts (pure): which of a case's clocks need attention on a day.
#ifndef GONGKAI_DOMAIN_ALERTS_H_
#define GONGKAI_DOMAIN_ALERTS_H_

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "domain/calendar.h"
#include "domain/clocks.h"

namespace gongkai {

struct AlertOptions {
  // Warn when the reply is due within this many working days; each threshold
  // raises its own alert as the deadline comes closer. Descending order.
  std::vector<int> reply_warning_days = {5, 1};
};

struct Alert {
  std::string kind;     // reply_due_soon, reply_due_today, reply_overdue, ...
  std::string case_no;  // empty for annual_report_due
  std::string clock_id;
  absl::CivilDay due_on;
  int working_days_left = 0;  // negative when overdue
  std::string message;
  std::string assignee;  // the responsible handler, if the case has one
  std::string agency;    // the case's agency
  // Stable identity: the same condition on the same due day keeps its key,
  // so an alert is delivered once however often it is evaluated.
  std::string key;
};

// An alert condition in force, before it is put into words: cheap to
// compute and compare, so an index can re-check many cases every day and
// word only the alerts that changed.
struct AlertCondition {
  const char* kind = "";  // one of the alert kinds (static text)
  int clock = 0;          // position in ClockReport::clocks
  int threshold = 0;      // reply_due_soon: the warning threshold crossed
  absl::CivilDay due;
  int working_days_left = 0;

  // The same alert (same key), whatever the days left.
  bool SameAlert(const AlertCondition& o) const {
    return std::string_view(kind) == o.kind && clock == o.clock &&
           threshold == o.threshold && due == o.due;
  }
};

// The conditions in force for one open case on `as_of`, given its clocks as
// of that day. `next_change`, when given, gets the first later day on which
// they may differ in anything but the days left (a reply_due_soon alert's
// words count the days, so it changes daily), as long as the clocks stay the
// same (ClockReport::holds_through says how long that is).
absl::StatusOr<std::vector<AlertCondition>> AlertConditions(
    const ClockReport& clocks, absl::CivilDay as_of,
    const WorkCalendar& calendar, const AlertOptions& options,
    absl::CivilDay* next_change = nullptr);

// The condition in words, with its stable key.
Alert DescribeAlert(const std::string& case_no, const ClockReport& clocks,
                    const AlertCondition& condition);

// The alerts of one open case on `as_of`, given its clocks as of that day
// (AlertConditions, each described).
absl::StatusOr<std::vector<Alert>> CaseAlerts(const std::string& case_no,
                                              const ClockReport& clocks,
                                              absl::CivilDay as_of,
                                              const WorkCalendar& calendar,
                                              const AlertOptions& options);

// A case whose deadlines cannot be computed on `as_of` (the calendar does not
// cover a day the counting needs), with the reason: never dropped silently.
Alert DeadlineUnknownAlert(const std::string& case_no, absl::CivilDay as_of,
                           absl::string_view why);

// annual_report_due for the year just ended, during January (Art. 49).
std::vector<Alert> ReportAlerts(absl::CivilDay as_of,
                                const WorkCalendar& calendar);

// Soonest due first, then by case number, kind and key.
void SortAlerts(std::vector<Alert>& alerts);

}  // namespace gongkai

#endif  // GONGKAI_DOMAIN_ALERTS_H_

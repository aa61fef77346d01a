// Alerts (pure): the facts an office must act on, on a given day: a case's
// clocks that need attention, a case whose deadline cannot be computed, and
// an annual report still to publish (Art. 49).
//
// Each alert has a key that names the fact, never the day it was evaluated:
// the same fact keeps its key across days and restarts, so whoever stores
// the keys (the alert outbox) delivers each fact once. What may change from
// day to day (the working days left, the words) is not part of the key.
//
// Everything here is a pure function of its arguments; safe to call from any
// thread.
#ifndef GONGKAI_DOMAIN_ALERTS_H_
#define GONGKAI_DOMAIN_ALERTS_H_

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/container/inlined_vector.h"
#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "common/lang.h"
#include "domain/calendar.h"
#include "domain/clocks.h"

namespace gongkai {

struct AlertOptions {
  // Warn when the reply is due within this many working days; each threshold
  // raises its own alert as the deadline comes closer. Descending order.
  std::vector<int> reply_warning_days = {5, 1};
  // The language of the alerts' words (the daemon's --lang: alerts go to
  // hooks and mail, read by the office). Kinds and keys are the same in
  // either.
  Lang lang = Lang::kZh;
};

struct Alert {
  std::string kind;     // reply_due_soon, reply_due_today, reply_overdue, ...
  std::string case_no;  // empty for the annual report alerts
  std::string clock_id;
  absl::CivilDay due_on;
  int working_days_left = 0;  // negative when overdue
  std::string message;
  std::string assignee;  // the responsible handler, if the case has one
  std::string agency;    // the case's agency, or the report's scope
  // Stable identity: the same fact keeps its key on every day and after a
  // restart, so an alert is delivered once however often it is evaluated.
  // A case's clock alert is named by its case, kind (and threshold), clock
  // and due day; deadline_unknown by its case and cause; a report alert by
  // its kind, year and scope.
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

// A day as a number (days since 1970-01-01): four bytes where an index
// keeps many days, against the sixteen of an absl::CivilDay.
inline int32_t DayNumber(absl::CivilDay day) {
  return static_cast<int32_t>(day - absl::CivilDay(1970, 1, 1));
}
inline absl::CivilDay DayOfNumber(int32_t number) {
  return absl::CivilDay(1970, 1, 1) + number;
}

// What AlertConditions reads of a case's clocks, and nothing more: whether
// the case is closed, whether a correction was asked for, and each clock's
// kind, state and due day, as small codes. An index of every open case keeps
// this (a few bytes a clock) instead of the ClockReport with its texts.
struct AlertClocks {
  enum class Kind : uint8_t {
    kReply,
    kCorrectionNotice,
    kCorrectionPeriod,
    kAgencyConsultation,      // a consultation of another agency (Art. 34)
    kThirdPartyConsultation,  // any other consultation (Art. 32)
    kFeePayment,
    kOther,
  };
  // Only the states the conditions tell apart.
  enum class State : uint8_t { kRunning, kExpired, kOther };
  static constexpr int32_t kNoDue = INT32_MIN;  // paused: no due day
  struct Clock {
    int32_t due = kNoDue;  // DayNumber
    Kind kind = Kind::kOther;
    State state = State::kOther;
  };

  bool closed = false;
  bool correction_requested = false;
  // In the order of ClockReport::clocks (AlertCondition::clock points here).
  absl::InlinedVector<Clock, 2> clocks;

  static AlertClocks Of(const ClockReport& report);
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
// The same from the compact form: AlertConditions(AlertClocks::Of(r), ...)
// equals AlertConditions(r, ...).
absl::StatusOr<std::vector<AlertCondition>> AlertConditions(
    const AlertClocks& clocks, absl::CivilDay as_of,
    const WorkCalendar& calendar, const AlertOptions& options,
    absl::CivilDay* next_change = nullptr);

// The condition in words, in `lang`, with its stable key.
Alert DescribeAlert(const std::string& case_no, const ClockReport& clocks,
                    const AlertCondition& condition, Lang lang);
// The same given only what the words need of the condition's clock: its id
// and label (a consultation's id and party; unused for the other kinds).
Alert DescribeAlert(const std::string& case_no, absl::string_view clock_id,
                    absl::string_view clock_label,
                    const AlertCondition& condition, Lang lang);

// The alerts of one open case on `as_of`, given its clocks as of that day
// (AlertConditions, each described).
absl::StatusOr<std::vector<Alert>> CaseAlerts(const std::string& case_no,
                                              const ClockReport& clocks,
                                              absl::CivilDay as_of,
                                              const WorkCalendar& calendar,
                                              const AlertOptions& options);

// A case whose deadlines cannot be computed on `as_of` (the calendar does not
// cover a day the counting needs), with the reason: never dropped silently.
// Its key names the case and the cause (DeadlineUnknownCause), not the day:
// the alert is delivered once while the cause stays, and again only when the
// cause changes (another year missing). `due_on` is `as_of`.
// The message is `why` in `lang`; the key is made from its English words.
Alert DeadlineUnknownAlert(const std::string& case_no, absl::CivilDay as_of,
                           const absl::Status& why, Lang lang);

// The cause in `why` (a clock computation's error message), as it goes into
// the key: "calendar:2027" when the calendar lacks the year 2027 (the years,
// when several are named); otherwise the message with its dates left out, so
// that a message naming the day evaluated gives the same cause every day.
std::string DeadlineUnknownCause(absl::string_view why);

// Annual reports (Art. 49). A scope is a report that must be published: ""
// is the report of the whole office (or, where several agencies share the
// daemon, the government's summary of them), otherwise an agency's code.
struct ReportDuty {
  std::string scope;
  std::string name;  // for the message; may be empty
  // Due by this day of the next year: 31 January for an office's or an
  // agency's own report, 31 March for a government's summary report.
  int due_month = 1;
  int due_day = 31;
  // Other scopes whose publication counts as this one's (the combined report
  // of an office with a single agency is that agency's report).
  std::vector<std::string> also_counts;
  // The receipt year of the scope's earliest case in gongkai; 0 when it has
  // none. A year before it is not gongkai's to ask about.
  int records_from = 0;
};

// Who must publish, given the agencies sharing the daemon (their codes):
// with none, the office itself (scope "", due 31 January); with one, that
// agency (its report and the combined one are the same figures); with
// several, each agency by 31 January and the government's summary (scope "")
// by 31 March.
std::vector<ReportDuty> ReportDuties(
    const std::vector<std::pair<std::string, std::string>>& agencies,
    const std::string& office_name);

// What is known about publication: who must publish, and the reports
// published so far by (year, scope), with the day each was published (China
// time), so that a past day can be evaluated as it stood.
struct PublicationState {
  std::vector<ReportDuty> duties;
  std::map<std::pair<int, std::string>, absl::CivilDay> published;
};

// The annual report alerts on `as_of`, one per scope and year still owed:
//   annual_report_due      from 1 January of Y+1 through the due day, while
//                          the report of Y is unpublished;
//   annual_report_overdue  from the day after the due day, until published
//                          (no end date).
// A report published on or before `as_of` raises nothing. The years owed:
// - the year just ended, when gongkai holds a case of the scope received by
//   its end (the report would count it), so that an office that has only
//   just started using gongkai is not told about a report it published
//   elsewhere;
// - once a scope has published a report in gongkai, every later year.
// There is no reminder in December: a year's report can be published only
// once the year has ended (its figures are not final before), and January
// leaves three weeks or more.
std::vector<Alert> ReportAlerts(absl::CivilDay as_of,
                                const PublicationState& publication,
                                const WorkCalendar& calendar, Lang lang);

// Soonest due first, then by case number, kind and key.
void SortAlerts(std::vector<Alert>& alerts);

}  // namespace gongkai

#endif  // GONGKAI_DOMAIN_ALERTS_H_

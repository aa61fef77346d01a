// CalendarService: the working-day calendar deadlines are counted on —
// counting working days with an explanation a clerk can check against a
// paper calendar, showing a year's schedule, and loading a new or corrected
// schedule.
//
// Loading saves the years and records, in the same transaction, every open
// case whose reply deadline moves ("deadline_recalculated" in its history);
// only after that commit is the daemon's calendar swapped and the alerts
// rebuilt, so a failed load changes nothing.
//
// Thread safety: call from any number of threads at once. Loads are
// serialized among themselves (each merges onto the calendar in force, so
// two concurrent loads must not both start from the same one).
#ifndef GONGKAI_APP_CALENDAR_SERVICE_H_
#define GONGKAI_APP_CALENDAR_SERVICE_H_

#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "app/caller.h"
#include "app/environment.h"
#include "domain/calendar.h"

namespace gongkai::app {

struct WorkingDayCount {
  absl::CivilDay result;
  std::vector<std::string> explanation;  // one line each
};

struct CalendarYearView {
  int year = 0;
  std::vector<ScheduledDay> schedule;  // days off and make-up working days
  int working_days = 0;
};

struct CalendarLoadResult {
  std::vector<int> years;          // loaded
  std::vector<int> covered_years;  // the calendar now in force
  int cases_rescheduled = 0;
};

// The years a calendar may hold: from 2008, when the first Regulations took
// effect, to two years after `this_year` (schedules are published the
// November before). INVALID_ARGUMENT names the first year outside.
inline constexpr int kFirstCalendarYear = 2008;
absl::Status CheckCalendarYears(const std::vector<int>& years, int this_year,
                                absl::string_view source);

// At most this many years in one `calendar load` (a file usually holds the
// coming year, sometimes a few corrected ones).
inline constexpr int kMaxYearsPerLoad = 5;

class CalendarService {
 public:
  // `env` needs the store, the calendar holder and the time.
  explicit CalendarService(Environment env) : env_(std::move(env)) {}

  absl::StatusOr<WorkingDayCount> AddWorkingDays(const Caller& caller,
                                                 absl::CivilDay start,
                                                 int days) const;
  // NOT_FOUND (listing the years covered) for a year without a schedule.
  absl::StatusOr<CalendarYearView> GetCalendarYear(const Caller& caller,
                                                   int year) const;
  // Loads the schedules in `text` (the calendar text format); `source`
  // names the file in errors and in the records. The text is UTF-8 without
  // control characters (tabs allowed; CRLF line ends too), holds at most
  // kMaxYearsPerLoad years, each within CheckCalendarYears. A year the
  // calendar in force already has is replaced only when `replace` is set;
  // otherwise the load is refused (FAILED_PRECONDITION naming the years)
  // and nothing changes.
  absl::StatusOr<CalendarLoadResult> LoadCalendar(const Caller& caller,
                                                  const std::string& text,
                                                  const std::string& source,
                                                  bool replace = false);

 private:
  Environment env_;
  // Held for a whole load: from reading the calendar in force to swapping in
  // the merged one.
  std::mutex load_mu_;
};

}  // namespace gongkai::app

#endif  // GONGKAI_APP_CALENDAR_SERVICE_H_

// What every RPC handler needs from the daemon: the store, the working-day
// calendar, the current time and a log. Shared by all handlers; every member
// is safe to use from many threads at once.
#ifndef GONGKAI_APP_ENVIRONMENT_H_
#define GONGKAI_APP_ENVIRONMENT_H_

#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "app/alert_hub.h"
#include "common/dates.h"
#include "domain/alerts.h"
#include "domain/calendar.h"
#include "domain/clocks.h"
#include "storage/store.h"

namespace gongkai::app {

// The daemon's notion of now. Production uses the system clock; tests may fix
// "today" so that a case can be walked through weeks of calendar.
class TimeSource {
 public:
  explicit TimeSource(std::optional<absl::CivilDay> fixed_today = std::nullopt)
      : fixed_today_(fixed_today) {}
  absl::Time Now() const { return absl::Now(); }
  // Today in China Standard Time.
  absl::CivilDay Today() const {
    return fixed_today_.has_value() ? *fixed_today_ : ChinaDay(Now());
  }

 private:
  std::optional<absl::CivilDay> fixed_today_;
};

// Holds the current calendar; readers get a snapshot that stays valid while
// an administrator swaps in a new one.
class CalendarHolder {
 public:
  explicit CalendarHolder(WorkCalendar calendar)
      : current_(std::make_shared<const WorkCalendar>(std::move(calendar))) {}
  std::shared_ptr<const WorkCalendar> Get() const {
    std::lock_guard<std::mutex> lock(mu_);
    return current_;
  }
  void Set(WorkCalendar calendar) {
    auto next = std::make_shared<const WorkCalendar>(std::move(calendar));
    std::lock_guard<std::mutex> lock(mu_);
    current_ = std::move(next);
  }

 private:
  mutable std::mutex mu_;
  std::shared_ptr<const WorkCalendar> current_;
};

struct Environment {
  storage::Store* store = nullptr;
  CalendarHolder* calendar = nullptr;
  const TimeSource* time = nullptr;
  ClockOptions clock_options;
  // The department's name, printed on its reports.
  std::string agency;
  AlertOptions alert_options;
  // Receives one line per call and per error; must be thread-safe.
  std::function<void(const std::string&)> log;
  // Called after every committed change to a case with its number, or with
  // "" after a change to many cases (the alert index is rebuilt).
  std::function<void(const std::string&)> on_case_changed;
  // Called instead, when the handler has the case as committed and all its
  // events at hand (so alerts need not read them back).
  std::function<void(const CaseRecord&, const std::vector<CaseEvent>&)>
      on_case_saved;
  // Called after a report is published or an agency added: who must publish
  // an annual report, or what is published, changed (the report alerts
  // follow).
  std::function<void()> on_reports_changed;
  // Every call must carry a valid API token of a user whose role allows the
  // method (the daemon always sets this; in-process tests may not).
  bool require_auth = false;
  // The only folder backups are written to (absolute); "" refuses backups.
  std::string backup_dir;
  // Where newly raised alerts are published for WatchAlerts; may be null.
  alerts::AlertHub* alert_hub = nullptr;
  // Today's alerts from the scheduler's index, once it has taken in every
  // change so far; may be unset or answer nullopt (then they are computed
  // from the records).
  std::function<std::optional<std::vector<Alert>>(absl::CivilDay)>
      alerts_in_force;
};

}  // namespace gongkai::app

#endif  // GONGKAI_APP_ENVIRONMENT_H_

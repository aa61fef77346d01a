// AlertMarks: each user's acknowledged and snoozed alerts. An alert is named
// by its stable key (one per fact: case, kind, clock and due day), so an
// acknowledged alert stays hidden until the fact changes and a new key is
// raised; a snoozed one is hidden until the day it was snoozed to. Marks are
// per user, stored, and recorded lightly in the audit trail; they change
// only what that user's alert list shows, never the alert hook nor the
// WatchAlerts stream.
//
// Thread safety: holds only the Environment (whose members are
// thread-safe); call it from any number of threads at once.
#ifndef GONGKAI_APP_ALERT_MARKS_H_
#define GONGKAI_APP_ALERT_MARKS_H_

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "app/caller.h"
#include "app/environment.h"
#include "domain/alerts.h"

namespace gongkai::app {

// An alert as one user sees it.
struct MarkedAlert {
  Alert alert;
  std::string mark;  // "", "acknowledged" or "snoozed"
  std::optional<absl::CivilDay> snoozed_until;
};

struct MarkedAlerts {
  std::vector<MarkedAlert> alerts;  // the ones to show
  int hidden = 0;                   // acknowledged or still snoozed, left out
};

// The alerts `caller` may see among `alerts`: those of its agencies and the
// office-wide ones.
std::vector<Alert> VisibleAlerts(const Caller& caller,
                                 std::vector<Alert> alerts);

class AlertMarks {
 public:
  explicit AlertMarks(Environment env) : env_(std::move(env)) {}

  // `in_force` are the alerts in force today (VisibleAlerts of them is what
  // the caller may mark): NOT_FOUND for a key that is not among them.
  absl::Status Acknowledge(const Caller& caller, const std::string& key,
                           const std::vector<Alert>& in_force) const;
  // Hidden until `until` (shown again on that day); `until` must be after
  // today and at most a year ahead.
  absl::Status Snooze(const Caller& caller, const std::string& key,
                      absl::CivilDay until,
                      const std::vector<Alert>& in_force) const;
  // Removes the caller's mark (the alert shows again); any key.
  absl::Status Clear(const Caller& caller, const std::string& key) const;

  // The caller's view of `alerts` on `as_of`: its agencies' alerts, each
  // with the caller's mark; hidden ones left out (and counted) unless
  // `include_marked`.
  absl::StatusOr<MarkedAlerts> Apply(const Caller& caller,
                                     std::vector<Alert> alerts,
                                     absl::CivilDay as_of,
                                     bool include_marked) const;

 private:
  absl::Status SetMark(const Caller& caller, const std::string& key,
                       const std::string& state,
                       std::optional<absl::CivilDay> until,
                       const std::vector<Alert>* in_force) const;

  Environment env_;
};

}  // namespace gongkai::app

#endif  // GONGKAI_APP_ALERT_MARKS_H_

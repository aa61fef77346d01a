// AlertEngine: recomputes every open case's clocks from the records and
// returns the alerts in force on any day. The daemon answers for today from
// its AlertIndex; this answers for other days, and is what the index is
// tested against. Reads through the Store; holds no state of its own, so it
// is safe to use from many threads at once.
#ifndef GONGKAI_SERVER_ALERTS_ALERT_ENGINE_H_
#define GONGKAI_SERVER_ALERTS_ALERT_ENGINE_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "app/environment.h"
#include "common/json.h"
#include "domain/alerts.h"

namespace gongkai::alerts {

class AlertEngine {
 public:
  explicit AlertEngine(const app::Environment& env) : env_(env) {}

  // All alerts on `as_of`, soonest due first. A case whose clocks cannot be
  // computed (calendar not covering its dates) raises a deadline_unknown
  // alert instead of being silently skipped. The annual report alerts follow
  // publication as it stood on `as_of`.
  absl::StatusOr<std::vector<Alert>> Evaluate(absl::CivilDay as_of) const;

 private:
  void AppendCaseAlerts(const CaseRecord& c,
                        const std::vector<CaseEvent>& events,
                        const WorkCalendar& calendar, absl::CivilDay as_of,
                        std::vector<Alert>& out) const;

  const app::Environment& env_;
};

// Who must publish an annual report (the agencies in the store, the office
// named `office_name`) and which reports are published, read in one
// transaction. A report's publication day is taken from its frozen figures'
// published_at (China time).
absl::StatusOr<PublicationState> ReadPublication(
    storage::Store& store, const std::string& office_name);

// `publication` as it stands on `today`: every report published counts as
// published by then, whatever its publication day says (a daemon run with a
// fixed "today" stamps publications with the real time).
PublicationState PublishedByToday(PublicationState publication,
                                  absl::CivilDay today);

// The alert as the JSON object given to hooks and stored with it.
Json AlertToJson(const Alert& alert, absl::Time raised_at);

}  // namespace gongkai::alerts

#endif  // GONGKAI_SERVER_ALERTS_ALERT_ENGINE_H_

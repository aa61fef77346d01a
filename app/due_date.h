// The reply deadline kept with each open case (CaseRecord::due_on), so that
// the store can list cases by deadline and find the overdue ones in one
// query instead of working out every case's clocks.
//
// It is worked out from the case's events and the calendar at every write
// of the case (CaseService, ledger imports), and again for every open case
// when the calendar changes and when the daemon starts (cases stored before
// deadlines were kept, and deadlines that moved without a write).
//
// While the reply period is paused (a consultation, a fee notice), the
// deadline kept is the one that holds if nothing more is recorded: the
// clocks are followed forward until the pause ends by itself. While it is
// stopped for a correction, and for closed cases, none is kept.
//
// Thread safety: the functions hold no state; RefreshDueDates may run
// beside other writes (it writes only cases it read unchanged).
#ifndef GONGKAI_APP_DUE_DATE_H_
#define GONGKAI_APP_DUE_DATE_H_

#include <optional>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "app/environment.h"
#include "domain/calendar.h"
#include "domain/case.h"
#include "domain/clocks.h"

namespace gongkai::app {

// The deadline to keep for `record` with `events`, as of `today`.
std::optional<absl::CivilDay> DueDateToKeep(
    const CaseRecord& record, const std::vector<CaseEvent>& events,
    const WorkCalendar& calendar, const ClockOptions& options,
    absl::CivilDay today);

// Works out every open case's deadline afresh and stores those that
// differ. Returns how many changed.
absl::StatusOr<int64_t> RefreshDueDates(const Environment& env);

}  // namespace gongkai::app

#endif  // GONGKAI_APP_DUE_DATE_H_

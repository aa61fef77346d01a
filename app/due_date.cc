#include "app/due_date.h"

#include <algorithm>

#include "common/status_macros.h"

namespace gongkai::app {

std::optional<absl::CivilDay> DueDateToKeep(
    const CaseRecord& record, const std::vector<CaseEvent>& events,
    const WorkCalendar& calendar, const ClockOptions& options,
    absl::CivilDay today) {
  if (record.state == CaseState::kClosed) return std::nullopt;
  ClockOptions quiet = options;
  quiet.explain = false;
  absl::CivilDay as_of = std::max(today, record.received_on);
  // A pause ends by itself (a consultation lapses, the fee's payment period
  // runs out): follow the report to the day it changes, a few times.
  for (int step = 0; step < 8; ++step) {
    absl::StatusOr<ClockReport> r =
        ComputeClocks(events, calendar, quiet, as_of);
    if (!r.ok()) return std::nullopt;
    if (r->reply_due.has_value()) return r->reply_due;
    if (r->stopped_for_correction || !r->paused ||
        r->holds_through >= kNoChangeAhead) {
      return std::nullopt;
    }
    as_of = r->holds_through + 1;
  }
  return std::nullopt;
}

absl::StatusOr<int64_t> RefreshDueDates(const Environment& env) {
  std::shared_ptr<const WorkCalendar> calendar = env.calendar->Get();
  const absl::CivilDay today = env.time->Today();
  std::vector<storage::DueDate> changed;
  RETURN_IF_ERROR(storage::ForEachOpenCase(
      *env.store,
      [&](const CaseRecord& c,
          const std::vector<CaseEvent>& events) -> absl::Status {
        std::optional<absl::CivilDay> due =
            DueDateToKeep(c, events, *calendar, env.clock_options, today);
        if (due != c.due_on) changed.push_back({c.id, c.version, due});
        return absl::OkStatus();
      }));
  // A case written since it was read keeps what that write stored.
  constexpr size_t kBatch = 5000;
  for (size_t from = 0; from < changed.size(); from += kBatch) {
    std::vector<storage::DueDate> batch(
        changed.begin() + from,
        changed.begin() + std::min(changed.size(), from + kBatch));
    RETURN_IF_ERROR(env.store->Write(
        [&](storage::Tables& t) { return t.cases().SetDueDates(batch); }));
  }
  return static_cast<int64_t>(changed.size());
}

}  // namespace gongkai::app

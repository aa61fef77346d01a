// AlertIndex: the alerts of every open case, kept in memory and brought up to
// date incrementally, so that the daily pass over a province's open cases
// takes milliseconds instead of re-reading and recounting every case.
//
// Each open case keeps its events, its clocks and the alert conditions in
// force, and the day it next needs a look: when its clocks stop holding
// (ClockReport::holds_through) or its alerts may change other than in their
// days left (AlertConditions' next_change). A case that changed is re-read
// (Refresh). When the day moves on (Advance), only the cases filed under the
// days passed are looked at; the days left of every alert are worked out when
// the alerts are listed. Rebuild re-reads every open
// case: at start, after a calendar change and after an import.
//
// The annual report alerts come from the publication state (who must
// publish, what is published), read by Rebuild and RefreshReports; they are
// worked out for the day when listed, which is today: every report published
// counts (PublishedByToday).
//
// Current() equals AlertEngine::Evaluate() for the same day; a randomized
// test compares the two.
//
// A rebuild reads every open case without holding the index's mutex, so
// that Take, Refresh and the readers (Current, day, built) do not wait for
// the scan: it builds a new index beside the one in use and swaps it in.
// Changes taken in while the scan runs are applied to the index in use and
// remembered; at the swap they are applied to the new index too (a later
// version wins), so none is lost however the scan and a write interleave.
// This relies on every committed change being delivered (Take or Refresh)
// after its commit, which the scheduler guarantees.
//
// Thread safety: all methods may be called from any thread. One mutex
// guards the index in use and is held only briefly; rebuilds run one at a
// time. The Store is only read.
#ifndef GONGKAI_SERVER_ALERTS_ALERT_INDEX_H_
#define GONGKAI_SERVER_ALERTS_ALERT_INDEX_H_

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "absl/status/status.h"
#include "app/environment.h"
#include "domain/alerts.h"

namespace gongkai::alerts {

class AlertIndex {
 public:
  explicit AlertIndex(const app::Environment& env) : env_(env) {}

  // Each call brings the index to `as_of` and appends to `raised` the alerts
  // that came into force with it (keys not in force for that case before).
  //
  // Reads every open case afresh (without blocking the other methods).
  absl::Status Rebuild(absl::CivilDay as_of, std::vector<Alert>* raised);
  // Re-reads the named cases (they changed; closed ones leave the index).
  // Reads nothing when `case_nos` is empty. During the first rebuild (before
  // the index is built) the cases are kept for it and nothing is raised.
  absl::Status Refresh(const std::set<std::string>& case_nos,
                       absl::CivilDay as_of, std::vector<Alert>* raised);
  // A case as a write committed it, with all its events.
  struct SavedCase {
    CaseRecord record;
    std::vector<CaseEvent> events;
  };
  // Takes in cases as written (after a Refresh to the same day), unless the
  // index already holds a later version.
  void Take(std::vector<SavedCase> cases, std::vector<Alert>* raised);
  // Moves every case on to `as_of` (normally a new day).
  absl::Status Advance(absl::CivilDay as_of, std::vector<Alert>* raised);
  // Re-reads who must publish an annual report and what is published (a
  // report was published, an agency added).
  absl::Status RefreshReports();

  bool built() const;
  // The day of the last call, and every alert in force on it, soonest due
  // first (the annual report's included).
  absl::CivilDay day() const;
  std::vector<Alert> Current() const;
  // Only the annual report alerts in force on day().
  std::vector<Alert> ReportsInForce() const;
  size_t open_cases() const;

  // Runs `hook` after each case a rebuild reads, outside the mutex: tests
  // deliver changes in the middle of a scan with it. Set before use.
  void SetScanHookForTesting(std::function<void()> hook) {
    scan_hook_ = std::move(hook);
  }

 private:
  struct Entry {
    std::string case_no;
    std::string assignee;
    std::string agency;
    absl::CivilDay received_on;
    int64_t version = 0;
    std::vector<CaseEvent> events;
    // Valid from `computed_on` through clocks->holds_through.
    std::optional<ClockReport> clocks;
    absl::CivilDay computed_on;
    std::vector<AlertCondition> conditions;
    std::vector<Alert> alerts;  // one per condition, or one deadline_unknown
    // Until this day the alerts stay the same but for their days left, which
    // Current() works out; Advance skips the case till then.
    absl::CivilDay next_check;
  };

  // An index as of one day: the one in use, or one a rebuild is building.
  struct State {
    absl::CivilDay day;
    std::shared_ptr<const WorkCalendar> calendar;
    std::unordered_map<int64_t, Entry> cases;
    std::unordered_map<std::string, int64_t> ids;
    // Cases by the day they need a look; an id may also sit under an earlier
    // day it no longer needs (skipped when met).
    std::map<absl::CivilDay, std::vector<int64_t>> agenda;
  };

  // Brings `e` to `as_of`; `recount` forces its clocks to be recomputed.
  void Update(const WorkCalendar& calendar, Entry& e, absl::CivilDay as_of,
              bool recount, std::vector<Alert>* raised) const;
  void SetUnknown(Entry& e, absl::CivilDay as_of, const absl::Status& why,
                  std::vector<Alert>* raised) const;
  // Takes in cases as written, unless `s` holds a later version.
  void TakeInto(State& s, std::vector<SavedCase> cases,
                std::vector<Alert>* raised) const;
  // Replaces the entry of `c` (keeping what it had in force) and updates it.
  void Put(State& s, const CaseRecord& c, std::vector<CaseEvent> events,
           std::vector<Alert>* raised) const;
  // True when the calendar changed since `s` was last brought up to date
  // (then every case's clocks are recounted).
  bool TakeCalendar(State& s) const;
  // Files the case under its next_check day.
  static void Schedule(State& s, int64_t id, const Entry& e);
  // Updates every case (a new calendar, or a step back in time) and refiles
  // them all.
  void UpdateAll(State& s, bool recount, std::vector<Alert>* raised) const;
  void AdvanceState(State& s, absl::CivilDay as_of,
                    std::vector<Alert>* raised) const;
  // With mu_ held: keeps `cases` for the rebuild in progress (later version
  // wins).
  void RememberForRebuild(const std::vector<SavedCase>& cases);

  const app::Environment& env_;
  std::function<void()> scan_hook_;
  // Held by Rebuild throughout, so that rebuilds run one at a time; taken
  // before mu_, and by nothing else.
  std::mutex rebuild_mu_;
  mutable std::mutex mu_;
  bool built_ = false;       // guarded by mu_
  bool rebuilding_ = false;  // guarded by mu_
  State live_;               // guarded by mu_
  // Changes taken in while a rebuild scans, by case number; guarded by mu_.
  std::map<std::string, SavedCase> arrived_;
  // Who must publish and what is published; guarded by mu_. The version
  // counts RefreshReports calls, so that a rebuild does not put back a state
  // read before a later refresh.
  PublicationState publication_;
  uint64_t publication_version_ = 0;
};

}  // namespace gongkai::alerts

#endif  // GONGKAI_SERVER_ALERTS_ALERT_INDEX_H_

// AlertIndex: the alerts of every open case, kept in memory and brought up to
// date incrementally, so that the daily pass over a province's open cases
// takes milliseconds instead of re-reading and recounting every case.
//
// Each open case keeps the day it next needs a look: when its clocks stop
// holding (ClockReport::holds_through) or its alerts may change other than in
// their days left (AlertConditions' next_change). A case that changed is
// re-read (Refresh). When the day moves on (Advance), only the cases filed
// under the days passed are looked at; the days left of every alert are
// worked out when the alerts are listed. Rebuild re-reads every open case:
// at start, after a calendar change and after an import.
//
// What an entry holds, and why it is that small (216 bytes of heap a case in
// gongkai_bench, against 2.4 KB when it held the events, the ClockReport and
// the alerts in words): only what the conditions need, in compact form.
// - The events as the clocks read them (clock_inputs.h: kind codes, day
//   numbers, the few details that move a clock; about five bytes for a case
//   just received), so that the clocks can be recounted when they stop
//   holding, or on a new calendar, without reading the database.
// - The clocks as the conditions read them (AlertClocks: kind, state and due
//   day of each, eight bytes a clock) and the days they hold from and
//   through; the conditions in force (kind code, clock, threshold, due day,
//   days left). Days are int32 day numbers.
// - The case number, version and receipt day; the handler and the agency as
//   numbers into a table of the names (there are few of them).
// - Only for the cases that need them: the consultations' ids and parties
//   (their alerts name them) and a deadline_unknown alert's words and key.
// The words of an alert are made when it is raised or listed (Current),
// from the condition, the case number and those names: the same words the
// alert would have had if kept (they depend on nothing else).
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
// after its commit, which the scheduler guarantees. Cases are known by their
// storage id (a case number never moves to another id).
//
// Thread safety: all methods may be called from any thread. One mutex
// guards the index in use and is held only briefly; rebuilds run one at a
// time (the index being built is the rebuilding thread's own until the
// swap). The Store is only read. Clang's -Wthread-safety can check the
// annotations below.
#ifndef GONGKAI_SERVER_ALERTS_ALERT_INDEX_H_
#define GONGKAI_SERVER_ALERTS_ALERT_INDEX_H_

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/inlined_vector.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
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
  // A case as a write committed it (record.id set), with all its events.
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
  // A condition in force, compactly (AlertCondition without the pointer and
  // the CivilDays).
  struct Condition {
    int32_t due = 0;  // DayNumber
    int32_t left = 0;
    int32_t threshold = 0;
    uint16_t clock = 0;
    uint8_t kind = 0;  // position in kKinds (alert_index.cc)
  };
  // What few cases need: the words of their consultation alerts and of a
  // deadline_unknown alert.
  struct Rare {
    // By clock, as AlertClocks::clocks; empty but for consultations.
    std::vector<std::string> clock_ids;
    std::vector<std::string> clock_labels;
    std::string unknown_message;  // set with the deadline_unknown condition
    std::string unknown_key;
  };
  struct Entry {
    std::string case_no;
    std::string inputs;  // EncodeClockInputs of its events
    int64_t version = 0;
    int32_t received_on = 0;  // DayNumbers
    // The clocks are valid from `computed_on` through `holds_through` (when
    // `counted`).
    int32_t computed_on = 0;
    int32_t holds_through = 0;
    // Until this day the alerts stay the same but for their days left, which
    // Current() works out; Advance skips the case till then.
    int32_t next_check = 0;
    uint32_t assignee = 0;  // into State::names
    uint32_t agency = 0;
    bool counted = false;
    AlertClocks clocks;
    // One per alert in force: the conditions, or one deadline_unknown.
    absl::InlinedVector<Condition, 1> conditions;
    std::unique_ptr<Rare> rare;  // null when there is nothing to say
  };

  // An index as of one day: the one in use, or one a rebuild is building.
  struct State {
    absl::CivilDay day;
    std::shared_ptr<const WorkCalendar> calendar;
    std::unordered_map<int64_t, Entry> cases;  // by storage id
    // Cases by the day they need a look; an id may also sit under an earlier
    // day it no longer needs (skipped when met).
    std::map<int32_t, std::vector<int64_t>> agenda;
    // Handlers' and agencies' names; Entry keeps their positions. Only
    // grows (there are few names, and a rebuild starts afresh).
    std::vector<std::string> names = {""};
    std::unordered_map<std::string, uint32_t> name_ids = {{"", 0}};

    uint32_t Intern(const std::string& name);
  };

  // The alert of `e`'s k-th condition, in words, as of `s.day` (or, for the
  // days left, as it was worked out when the condition was).
  Alert AlertOf(const State& s, const Entry& e, size_t k) const;
  // Whether two conditions of one case (with the Rare of the clocks each
  // refers to) make alerts of the same key.
  static bool SameKey(const Condition& x, const Rare* x_rare,
                      const Condition& y, const Rare* y_rare);
  // Brings `e` to `as_of`; `recount` forces its clocks to be recomputed
  // (from `events` when given, else from e.inputs). Adds the alerts that
  // came into force to `raised`, unless null.
  void Update(State& s, Entry& e, absl::CivilDay as_of, bool recount,
              const std::vector<CaseEvent>* events,
              std::vector<Alert>* raised) const;
  void SetUnknown(State& s, Entry& e, absl::CivilDay as_of,
                  const absl::Status& why, std::vector<Alert>* raised) const;
  // Takes in cases as written, unless `s` holds a later version.
  void TakeInto(State& s, std::vector<SavedCase> cases,
                std::vector<Alert>* raised) const;
  // Replaces the entry of `c` (keeping what it had in force) and updates it.
  void Put(State& s, const CaseRecord& c, const std::vector<CaseEvent>& events,
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
  void RememberForRebuild(const std::vector<SavedCase>& cases)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const app::Environment& env_;
  std::function<void()> scan_hook_;
  // Held by Rebuild throughout, so that rebuilds run one at a time; taken
  // before mu_, and by nothing else.
  absl::Mutex rebuild_mu_ ABSL_ACQUIRED_BEFORE(mu_);
  mutable absl::Mutex mu_;
  bool built_ ABSL_GUARDED_BY(mu_) = false;
  bool rebuilding_ ABSL_GUARDED_BY(mu_) = false;
  State live_ ABSL_GUARDED_BY(mu_);
  // Changes taken in while a rebuild scans, by case number.
  std::map<std::string, SavedCase> arrived_ ABSL_GUARDED_BY(mu_);
  // Who must publish and what is published. The version counts
  // RefreshReports calls, so that a rebuild does not put back a state read
  // before a later refresh.
  PublicationState publication_ ABSL_GUARDED_BY(mu_);
  uint64_t publication_version_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace gongkai::alerts

#endif  // GONGKAI_SERVER_ALERTS_ALERT_INDEX_H_

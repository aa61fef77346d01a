#include "server/alerts/alert_index.h"

#include <cstdio>
#include <cstdlib>
#include <iterator>
#include <string_view>
#include <utility>

#include "common/status_macros.h"
#include "server/alerts/alert_engine.h"
#include "server/alerts/clock_inputs.h"
#include "storage/store.h"

namespace gongkai::alerts {

namespace {

// The alert kinds of a case, by code (Condition::kind).
constexpr const char* kKinds[] = {
    "reply_overdue",
    "reply_due_today",
    "reply_due_soon",
    "correction_notice_due",
    "correction_period_expired",
    "agency_reply_overdue",
    "third_party_reply_overdue",
    "fee_payment_expired",
    "deadline_unknown",
};
constexpr uint8_t kDeadlineUnknown = 8;

uint8_t KindCode(absl::string_view kind) {
  for (uint8_t i = 0; i < std::size(kKinds); ++i) {
    if (kind == kKinds[i]) return i;
  }
  // AlertConditions names no other kind; a new one must be added above.
  std::fprintf(stderr, "alert index: unknown alert kind %.*s\n",
               static_cast<int>(kind.size()), kind.data());
  std::abort();
}

// The alerts whose key names their clock (a consultation's id).
bool NamesClock(uint8_t kind) {
  return std::string_view(kKinds[kind]) == "agency_reply_overdue" ||
         std::string_view(kKinds[kind]) == "third_party_reply_overdue";
}

}  // namespace

uint32_t AlertIndex::State::Intern(const std::string& name) {
  auto [it, inserted] =
      name_ids.try_emplace(name, static_cast<uint32_t>(names.size()));
  if (inserted) names.push_back(name);
  return it->second;
}

bool AlertIndex::TakeCalendar(State& s) const {
  std::shared_ptr<const WorkCalendar> now = env_.calendar->Get();
  if (now == s.calendar) return false;
  s.calendar = std::move(now);
  return true;
}

bool AlertIndex::SameKey(const Condition& x, const Rare* x_rare,
                         const Condition& y, const Rare* y_rare) {
  // The key (DescribeAlert, DeadlineUnknownAlert) is made of the case, the
  // kind, the threshold, the clock's id where the kind names it, and the due
  // day; deadline_unknown's of the case and the cause.
  if (x.kind != y.kind) return false;
  if (x.kind == kDeadlineUnknown) {
    return x_rare != nullptr && y_rare != nullptr &&
           x_rare->unknown_key == y_rare->unknown_key;
  }
  if (x.due != y.due || x.threshold != y.threshold) return false;
  if (!NamesClock(x.kind)) return true;
  auto id = [](const Condition& c, const Rare* rare) -> absl::string_view {
    if (rare == nullptr || c.clock >= rare->clock_ids.size()) return "";
    return rare->clock_ids[c.clock];
  };
  return id(x, x_rare) == id(y, y_rare);
}

Alert AlertIndex::AlertOf(const State& s, const Entry& e, size_t k) const {
  const Condition& c = e.conditions[k];
  const Rare* rare = e.rare.get();
  Alert a;
  if (c.kind == kDeadlineUnknown) {
    a.kind = kKinds[c.kind];
    a.case_no = e.case_no;
    a.due_on = DayOfNumber(c.due);
    if (rare != nullptr) {
      a.message = rare->unknown_message;
      a.key = rare->unknown_key;
    }
  } else {
    AlertCondition condition;
    condition.kind = kKinds[c.kind];
    condition.clock = c.clock;
    condition.threshold = c.threshold;
    condition.due = DayOfNumber(c.due);
    condition.working_days_left = c.left;
    absl::string_view id, label;
    if (rare != nullptr && c.clock < rare->clock_ids.size()) {
      id = rare->clock_ids[c.clock];
      label = rare->clock_labels[c.clock];
    }
    a = DescribeAlert(e.case_no, id, label, condition, env_.alert_options.lang);
  }
  a.assignee = s.names[e.assignee];
  a.agency = s.names[e.agency];
  return a;
}

void AlertIndex::SetUnknown(State& s, Entry& e, absl::CivilDay as_of,
                            const absl::Status& why,
                            std::vector<Alert>* raised) const {
  Alert a =
      DeadlineUnknownAlert(e.case_no, as_of, why, env_.alert_options.lang);
  auto rare = std::make_unique<Rare>();
  rare->unknown_message = a.message;
  rare->unknown_key = a.key;
  const bool known = e.conditions.size() == 1 &&
                     e.conditions[0].kind == kDeadlineUnknown &&
                     e.rare != nullptr && e.rare->unknown_key == a.key;
  e.counted = false;
  e.clocks = AlertClocks();
  e.conditions.assign(1,
                      Condition{DayNumber(as_of), 0, 0, 0, kDeadlineUnknown});
  e.rare = std::move(rare);
  // Its key names the cause, which may change as the days pass (a count
  // reaching into another uncovered year): looked at again tomorrow.
  e.next_check = DayNumber(as_of) + 1;
  if (!known && raised != nullptr) {
    a.assignee = s.names[e.assignee];
    a.agency = s.names[e.agency];
    raised->push_back(std::move(a));
  }
}

void AlertIndex::Update(State& s, Entry& e, absl::CivilDay as_of, bool recount,
                        const std::vector<CaseEvent>* events,
                        std::vector<Alert>* raised) const {
  const int32_t day = DayNumber(as_of);
  if (e.received_on > day) {
    e.counted = false;
    e.clocks = AlertClocks();
    e.conditions.clear();
    e.rare.reset();
    e.next_check = e.received_on;
    return;
  }
  const bool fresh =
      recount || !e.counted || day < e.computed_on || day > e.holds_through;
  // The consultations' ids and parties the new conditions refer to.
  std::unique_ptr<Rare> rare;
  const Rare* names = e.rare.get();
  if (fresh) {
    ClockOptions options = env_.clock_options;
    options.explain = false;
    options.lang = env_.alert_options.lang;
    absl::StatusOr<ClockReport> clocks;
    if (events != nullptr) {
      clocks = ComputeClocks(*events, *s.calendar, options, as_of);
    } else {
      absl::StatusOr<std::vector<CaseEvent>> decoded =
          DecodeClockInputs(e.inputs);
      if (!decoded.ok())
        return SetUnknown(s, e, as_of, decoded.status(), raised);
      clocks = ComputeClocks(*decoded, *s.calendar, options, as_of);
    }
    if (!clocks.ok()) return SetUnknown(s, e, as_of, clocks.status(), raised);
    e.clocks = AlertClocks::Of(*clocks);
    e.counted = true;
    e.computed_on = day;
    e.holds_through = DayNumber(clocks->holds_through);
    for (size_t i = 0; i < clocks->clocks.size(); ++i) {
      const Clock& clock = clocks->clocks[i];
      if (clock.kind != kClockConsultation) continue;
      if (rare == nullptr) {
        rare = std::make_unique<Rare>();
        rare->clock_ids.resize(clocks->clocks.size());
        rare->clock_labels.resize(clocks->clocks.size());
      }
      rare->clock_ids[i] = clock.id;
      rare->clock_labels[i] = clock.label;
    }
    names = rare.get();
  }
  absl::CivilDay next_change;
  absl::StatusOr<std::vector<AlertCondition>> conditions = AlertConditions(
      e.clocks, as_of, *s.calendar, env_.alert_options, &next_change);
  if (!conditions.ok())
    return SetUnknown(s, e, as_of, conditions.status(), raised);
  e.next_check = std::min(DayNumber(next_change), e.holds_through + 1);

  absl::InlinedVector<Condition, 1> now;
  now.reserve(conditions->size());
  for (const AlertCondition& c : *conditions) {
    now.push_back(Condition{DayNumber(c.due), c.working_days_left, c.threshold,
                            static_cast<uint16_t>(c.clock), KindCode(c.kind)});
  }
  // Raised: the alerts whose key was not in force for the case before.
  absl::InlinedVector<size_t, 2> new_ones;
  for (size_t k = 0; raised != nullptr && k < now.size(); ++k) {
    bool known = false;
    for (size_t j = 0; !known && j < e.conditions.size(); ++j) {
      known = SameKey(now[k], names, e.conditions[j], e.rare.get());
    }
    if (!known) new_ones.push_back(k);
  }
  e.conditions = std::move(now);
  if (fresh) e.rare = std::move(rare);
  for (size_t k : new_ones) raised->push_back(AlertOf(s, e, k));
}

void AlertIndex::Put(State& s, const CaseRecord& c,
                     const std::vector<CaseEvent>& events,
                     std::vector<Alert>* raised) const {
  auto [it, inserted] = s.cases.try_emplace(c.id);
  Entry& e = it->second;
  e.case_no = c.case_no;
  e.inputs = EncodeClockInputs(events);
  e.inputs.shrink_to_fit();
  e.version = c.version;
  e.received_on = DayNumber(c.received_on);
  e.assignee = s.Intern(c.assignee);
  e.agency = s.Intern(c.agency);
  // Recounted; the alerts it had tell which ones are new.
  Update(s, e, s.day, /*recount=*/true, &events, raised);
  Schedule(s, c.id, e);
}

void AlertIndex::Schedule(State& s, int64_t id, const Entry& e) {
  if (e.next_check <= DayNumber(kNoChangeAhead))
    s.agenda[e.next_check].push_back(id);
}

void AlertIndex::UpdateAll(State& s, bool recount,
                           std::vector<Alert>* raised) const {
  s.agenda.clear();
  for (auto& [id, e] : s.cases) {
    Update(s, e, s.day, recount, nullptr, raised);
    Schedule(s, id, e);
  }
}

void AlertIndex::RememberForRebuild(const std::vector<SavedCase>& cases) {
  for (const SavedCase& c : cases) {
    auto [it, inserted] = arrived_.try_emplace(c.record.case_no, c);
    if (!inserted && it->second.record.version <= c.record.version)
      it->second = c;
  }
}

absl::Status AlertIndex::Rebuild(absl::CivilDay as_of,
                                 std::vector<Alert>* raised) {
  absl::MutexLock one_at_a_time(&rebuild_mu_);
  State fresh;
  fresh.day = as_of;
  TakeCalendar(fresh);
  uint64_t publication_version;
  {
    absl::MutexLock lock(&mu_);
    rebuilding_ = true;
    arrived_.clear();
    publication_version = publication_version_;
  }
  absl::StatusOr<PublicationState> publication =
      ReadPublication(*env_.store, env_.agency);
  // What is raised is worked out against the index in use at the swap; the
  // new index starts with nothing in force (and words nothing meanwhile).
  absl::Status read = storage::ForEachOpenCase(
      *env_.store,
      [&](const CaseRecord& c,
          const std::vector<CaseEvent>& events) -> absl::Status {
        Put(fresh, c, events, nullptr);
        if (scan_hook_) scan_hook_();
        return absl::OkStatus();
      });

  absl::MutexLock lock(&mu_);
  rebuilding_ = false;
  std::map<std::string, SavedCase> arrived;
  arrived.swap(arrived_);
  if (read.ok() && !publication.ok()) read = publication.status();
  if (!read.ok()) {
    // The next rebuild reads every case again, the arrived ones included.
    built_ = false;
    live_ = State();
    return read;
  }
  if (publication_version == publication_version_) {
    publication_ = *std::move(publication);
  }
  // Changes taken in during the scan: the scan may have read a case before
  // or after its change, so the later version wins.
  std::vector<SavedCase> late;
  late.reserve(arrived.size());
  for (auto& [no, c] : arrived) late.push_back(std::move(c));
  TakeInto(fresh, std::move(late), nullptr);
  // The index in use may have moved on to a later day meanwhile.
  if (built_ && live_.day > fresh.day) AdvanceState(fresh, live_.day, nullptr);
  // Raised: the alerts in force now that were not in force for their case.
  for (const auto& [id, e] : fresh.cases) {
    const Entry* before = nullptr;
    if (auto old = live_.cases.find(id); old != live_.cases.end())
      before = &old->second;
    for (size_t k = 0; k < e.conditions.size(); ++k) {
      bool known = false;
      for (size_t j = 0;
           before != nullptr && !known && j < before->conditions.size(); ++j) {
        known = SameKey(e.conditions[k], e.rare.get(), before->conditions[j],
                        before->rare.get());
      }
      if (!known) raised->push_back(AlertOf(fresh, e, k));
    }
  }
  live_ = std::move(fresh);
  built_ = true;
  return absl::OkStatus();
}

absl::Status AlertIndex::Refresh(const std::set<std::string>& case_nos,
                                 absl::CivilDay as_of,
                                 std::vector<Alert>* raised) {
  {
    absl::MutexLock lock(&mu_);
    if (!built_ && !rebuilding_)
      return absl::FailedPreconditionError("alert index not built");
  }
  // Read without the mutex; nothing to read opens no read transaction.
  std::vector<SavedCase> read;
  if (!case_nos.empty()) {
    RETURN_IF_ERROR(env_.store->Read([&](storage::Tables& t) -> absl::Status {
      ASSIGN_OR_RETURN(std::vector<CaseRecord> cases,
                       t.cases().GetMany(std::vector<std::string>(
                           case_nos.begin(), case_nos.end())));
      if (cases.empty()) return absl::OkStatus();
      std::vector<int64_t> ids;
      ids.reserve(cases.size());
      for (const CaseRecord& c : cases) ids.push_back(c.id);
      ASSIGN_OR_RETURN(auto events, t.cases().EventsOf(ids));
      for (CaseRecord& c : cases) {
        std::vector<CaseEvent>& e = events[c.id];
        read.push_back({std::move(c), std::move(e)});
      }
      return absl::OkStatus();
    }));
  }
  absl::MutexLock lock(&mu_);
  if (rebuilding_) RememberForRebuild(read);
  if (!built_) {
    if (rebuilding_) return absl::OkStatus();  // the rebuild takes them in
    return absl::FailedPreconditionError("alert index not built");
  }
  AdvanceState(live_, as_of, raised);
  TakeInto(live_, std::move(read), raised);
  return absl::OkStatus();
}

void AlertIndex::Take(std::vector<SavedCase> cases,
                      std::vector<Alert>* raised) {
  absl::MutexLock lock(&mu_);
  if (rebuilding_) RememberForRebuild(cases);
  // Before the first rebuild, the rebuild to come reads them.
  if (!built_) return;
  TakeInto(live_, std::move(cases), raised);
}

void AlertIndex::TakeInto(State& s, std::vector<SavedCase> cases,
                          std::vector<Alert>* raised) const {
  for (SavedCase& saved : cases) {
    const CaseRecord& c = saved.record;
    auto known = s.cases.find(c.id);
    if (known != s.cases.end() && known->second.version > c.version) continue;
    if (c.state == CaseState::kClosed) {
      if (known != s.cases.end()) s.cases.erase(known);
      continue;
    }
    Put(s, c, saved.events, raised);
  }
}

absl::Status AlertIndex::Advance(absl::CivilDay as_of,
                                 std::vector<Alert>* raised) {
  absl::MutexLock lock(&mu_);
  if (!built_) return absl::FailedPreconditionError("alert index not built");
  AdvanceState(live_, as_of, raised);
  return absl::OkStatus();
}

void AlertIndex::AdvanceState(State& s, absl::CivilDay as_of,
                              std::vector<Alert>* raised) const {
  const bool recount_all = TakeCalendar(s);
  const bool back = as_of < s.day;
  s.day = as_of;
  if (recount_all || back) {
    UpdateAll(s, recount_all, raised);
    return;
  }
  const int32_t day = DayNumber(as_of);
  while (!s.agenda.empty() && s.agenda.begin()->first <= day) {
    std::vector<int64_t> due = std::move(s.agenda.begin()->second);
    s.agenda.erase(s.agenda.begin());
    for (int64_t id : due) {
      auto it = s.cases.find(id);
      if (it == s.cases.end() || it->second.next_check > day) continue;
      Update(s, it->second, as_of, /*recount=*/false, nullptr, raised);
      Schedule(s, id, it->second);
    }
  }
}

absl::Status AlertIndex::RefreshReports() {
  ASSIGN_OR_RETURN(PublicationState publication,
                   ReadPublication(*env_.store, env_.agency));
  absl::MutexLock lock(&mu_);
  publication_ = std::move(publication);
  ++publication_version_;
  return absl::OkStatus();
}

std::vector<Alert> AlertIndex::ReportsInForce() const {
  absl::MutexLock lock(&mu_);
  if (!built_ || live_.calendar == nullptr) return {};
  return ReportAlerts(live_.day, PublishedByToday(publication_, live_.day),
                      *live_.calendar, env_.alert_options.lang);
}

bool AlertIndex::built() const {
  absl::MutexLock lock(&mu_);
  return built_;
}

absl::CivilDay AlertIndex::day() const {
  absl::MutexLock lock(&mu_);
  return live_.day;
}

size_t AlertIndex::open_cases() const {
  absl::MutexLock lock(&mu_);
  return live_.cases.size();
}

std::vector<Alert> AlertIndex::Current() const {
  absl::MutexLock lock(&mu_);
  size_t in_force = 0;
  for (const auto& [id, e] : live_.cases) in_force += e.conditions.size();
  std::vector<Alert> out;
  out.reserve(in_force);
  for (const auto& [id, e] : live_.cases) {
    for (size_t k = 0; k < e.conditions.size(); ++k) {
      out.push_back(AlertOf(live_, e, k));
      const Alert& a = out.back();
      if (a.kind == "deadline_unknown" || a.kind == "reply_due_today") continue;
      // A case not looked at today keeps its words; its days left move on.
      absl::StatusOr<int> left =
          live_.calendar->WorkingDaysLeft(live_.day, a.due_on);
      if (left.ok()) out.back().working_days_left = *left;
    }
  }
  if (live_.calendar != nullptr) {
    for (Alert& a :
         ReportAlerts(live_.day, PublishedByToday(publication_, live_.day),
                      *live_.calendar, env_.alert_options.lang))
      out.push_back(std::move(a));
  }
  SortAlerts(out);
  return out;
}

}  // namespace gongkai::alerts

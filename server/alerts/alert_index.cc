#include "server/alerts/alert_index.h"

#include <utility>

#include "common/status_macros.h"
#include "server/alerts/alert_engine.h"
#include "storage/store.h"

namespace gongkai::alerts {

bool AlertIndex::TakeCalendar(State& s) const {
  std::shared_ptr<const WorkCalendar> now = env_.calendar->Get();
  if (now == s.calendar) return false;
  s.calendar = std::move(now);
  return true;
}

void AlertIndex::SetUnknown(Entry& e, absl::CivilDay as_of,
                            const absl::Status& why,
                            std::vector<Alert>* raised) const {
  Alert a =
      DeadlineUnknownAlert(e.case_no, as_of, why, env_.alert_options.lang);
  a.assignee = e.assignee;
  a.agency = e.agency;
  if (e.alerts.size() != 1 || e.alerts[0].key != a.key) raised->push_back(a);
  e.clocks.reset();
  e.conditions.clear();
  e.alerts = {std::move(a)};
  // Its key names the cause, which may change as the days pass (a count
  // reaching into another uncovered year): looked at again tomorrow.
  e.next_check = as_of + 1;
}

void AlertIndex::Update(const WorkCalendar& calendar, Entry& e,
                        absl::CivilDay as_of, bool recount,
                        std::vector<Alert>* raised) const {
  if (e.received_on > as_of) {
    e.clocks.reset();
    e.conditions.clear();
    e.alerts.clear();
    e.next_check = e.received_on;
    return;
  }
  const bool fresh = recount || !e.clocks.has_value() ||
                     as_of < e.computed_on || as_of > e.clocks->holds_through;
  if (fresh) {
    ClockOptions options = env_.clock_options;
    options.explain = false;
    options.lang = env_.alert_options.lang;
    absl::StatusOr<ClockReport> clocks =
        ComputeClocks(e.events, calendar, options, as_of);
    if (!clocks.ok()) return SetUnknown(e, as_of, clocks.status(), raised);
    e.clocks = *std::move(clocks);
    e.computed_on = as_of;
  }
  absl::CivilDay next_change;
  absl::StatusOr<std::vector<AlertCondition>> conditions = AlertConditions(
      *e.clocks, as_of, calendar, env_.alert_options, &next_change);
  if (!conditions.ok())
    return SetUnknown(e, as_of, conditions.status(), raised);
  e.next_check = std::min(next_change, e.clocks->holds_through + 1);

  // Unchanged clocks: an alert already in force keeps its words, bar the
  // days left. Otherwise (or when new) it is described afresh.
  const bool reuse = !fresh && e.alerts.size() == e.conditions.size();
  std::vector<Alert> alerts;
  alerts.reserve(conditions->size());
  for (const AlertCondition& c : *conditions) {
    int same = -1;
    if (reuse) {
      for (size_t k = 0; k < e.conditions.size(); ++k) {
        if (e.conditions[k].SameAlert(c)) same = static_cast<int>(k);
      }
    }
    if (same >= 0 &&
        (e.conditions[same].working_days_left == c.working_days_left ||
         std::string_view(c.kind) != "reply_due_soon")) {
      Alert a = std::move(e.alerts[same]);
      a.working_days_left = c.working_days_left;
      alerts.push_back(std::move(a));
      continue;
    }
    Alert a = DescribeAlert(e.case_no, *e.clocks, c, env_.alert_options.lang);
    a.assignee = e.assignee;
    a.agency = e.agency;
    bool known = same >= 0;
    for (size_t k = 0; !known && k < e.alerts.size(); ++k) {
      known = e.alerts[k].key == a.key;
    }
    if (!known) raised->push_back(a);
    alerts.push_back(std::move(a));
  }
  e.conditions = *std::move(conditions);
  e.alerts = std::move(alerts);
}

void AlertIndex::Put(State& s, const CaseRecord& c,
                     std::vector<CaseEvent> events,
                     std::vector<Alert>* raised) const {
  auto [it, inserted] = s.cases.try_emplace(c.id);
  Entry& e = it->second;
  e.case_no = c.case_no;
  e.assignee = c.assignee;
  e.agency = c.agency;
  e.received_on = c.received_on;
  e.version = c.version;
  e.events = std::move(events);
  // Recounted, so every alert is described afresh (the handler or agency
  // may have changed); the alerts it had tell which ones are new.
  s.ids[c.case_no] = c.id;
  Update(*s.calendar, e, s.day, /*recount=*/true, raised);
  Schedule(s, c.id, e);
}

void AlertIndex::Schedule(State& s, int64_t id, const Entry& e) {
  if (e.next_check <= kNoChangeAhead) s.agenda[e.next_check].push_back(id);
}

void AlertIndex::UpdateAll(State& s, bool recount,
                           std::vector<Alert>* raised) const {
  s.agenda.clear();
  for (auto& [id, e] : s.cases) {
    Update(*s.calendar, e, s.day, recount, raised);
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
  std::lock_guard<std::mutex> one_at_a_time(rebuild_mu_);
  State fresh;
  fresh.day = as_of;
  TakeCalendar(fresh);
  uint64_t publication_version;
  {
    std::lock_guard<std::mutex> lock(mu_);
    rebuilding_ = true;
    arrived_.clear();
    publication_version = publication_version_;
  }
  absl::StatusOr<PublicationState> publication =
      ReadPublication(*env_.store, env_.agency);
  // What is raised is worked out against the index in use at the swap; the
  // new index starts with nothing in force.
  std::vector<Alert> ignored;
  absl::Status read = storage::ForEachOpenCase(
      *env_.store,
      [&](const CaseRecord& c,
          const std::vector<CaseEvent>& events) -> absl::Status {
        Put(fresh, c, events, &ignored);
        if (scan_hook_) scan_hook_();
        return absl::OkStatus();
      });

  std::lock_guard<std::mutex> lock(mu_);
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
  TakeInto(fresh, std::move(late), &ignored);
  // The index in use may have moved on to a later day meanwhile.
  if (built_ && live_.day > fresh.day) AdvanceState(fresh, live_.day, &ignored);
  // Raised: the alerts in force now that were not in force for their case.
  for (const auto& [id, e] : fresh.cases) {
    const Entry* before = nullptr;
    if (auto old = live_.ids.find(e.case_no); old != live_.ids.end()) {
      auto entry = live_.cases.find(old->second);
      if (entry != live_.cases.end()) before = &entry->second;
    }
    for (const Alert& a : e.alerts) {
      bool known = false;
      for (size_t k = 0;
           before != nullptr && !known && k < before->alerts.size(); ++k) {
        known = before->alerts[k].key == a.key;
      }
      if (!known) raised->push_back(a);
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
    std::lock_guard<std::mutex> lock(mu_);
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
  std::lock_guard<std::mutex> lock(mu_);
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
  std::lock_guard<std::mutex> lock(mu_);
  if (rebuilding_) RememberForRebuild(cases);
  // Before the first rebuild, the rebuild to come reads them.
  if (!built_) return;
  TakeInto(live_, std::move(cases), raised);
}

void AlertIndex::TakeInto(State& s, std::vector<SavedCase> cases,
                          std::vector<Alert>* raised) const {
  for (SavedCase& saved : cases) {
    const CaseRecord& c = saved.record;
    auto known = s.ids.find(c.case_no);
    if (known != s.ids.end() && s.cases.at(known->second).version > c.version)
      continue;
    if (c.state == CaseState::kClosed) {
      if (known != s.ids.end()) {
        s.cases.erase(known->second);
        s.ids.erase(known);
      }
      continue;
    }
    Put(s, c, std::move(saved.events), raised);
  }
}

absl::Status AlertIndex::Advance(absl::CivilDay as_of,
                                 std::vector<Alert>* raised) {
  std::lock_guard<std::mutex> lock(mu_);
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
  while (!s.agenda.empty() && s.agenda.begin()->first <= as_of) {
    std::vector<int64_t> due = std::move(s.agenda.begin()->second);
    s.agenda.erase(s.agenda.begin());
    for (int64_t id : due) {
      auto it = s.cases.find(id);
      if (it == s.cases.end() || it->second.next_check > as_of) continue;
      Update(*s.calendar, it->second, as_of, /*recount=*/false, raised);
      Schedule(s, id, it->second);
    }
  }
}

absl::Status AlertIndex::RefreshReports() {
  ASSIGN_OR_RETURN(PublicationState publication,
                   ReadPublication(*env_.store, env_.agency));
  std::lock_guard<std::mutex> lock(mu_);
  publication_ = std::move(publication);
  ++publication_version_;
  return absl::OkStatus();
}

std::vector<Alert> AlertIndex::ReportsInForce() const {
  std::lock_guard<std::mutex> lock(mu_);
  if (!built_ || live_.calendar == nullptr) return {};
  return ReportAlerts(live_.day, PublishedByToday(publication_, live_.day),
                      *live_.calendar, env_.alert_options.lang);
}

bool AlertIndex::built() const {
  std::lock_guard<std::mutex> lock(mu_);
  return built_;
}

absl::CivilDay AlertIndex::day() const {
  std::lock_guard<std::mutex> lock(mu_);
  return live_.day;
}

size_t AlertIndex::open_cases() const {
  std::lock_guard<std::mutex> lock(mu_);
  return live_.cases.size();
}

std::vector<Alert> AlertIndex::Current() const {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<Alert> out;
  for (const auto& [id, e] : live_.cases) {
    for (const Alert& a : e.alerts) {
      out.push_back(a);
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

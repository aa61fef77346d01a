#include "server/alerts/alert_index.h"

#include <utility>

#include "common/status_macros.h"
#include "storage/store.h"

namespace gongkai::alerts {

bool AlertIndex::TakeCalendar() {
  std::shared_ptr<const WorkCalendar> now = env_.calendar->Get();
  if (now == calendar_) return false;
  calendar_ = std::move(now);
  return true;
}

void AlertIndex::SetUnknown(Entry& e, absl::CivilDay as_of,
                            absl::string_view why, std::vector<Alert>* raised) {
  Alert a = DeadlineUnknownAlert(e.case_no, as_of, why);
  a.assignee = e.assignee;
  a.agency = e.agency;
  if (e.alerts.size() != 1 || e.alerts[0].key != a.key) raised->push_back(a);
  e.clocks.reset();
  e.conditions.clear();
  e.alerts = {std::move(a)};
  e.next_check = as_of + 1;  // its key names the day
}

void AlertIndex::Update(Entry& e, absl::CivilDay as_of, bool recount,
                        std::vector<Alert>* raised) {
  if (e.received_on > as_of) {
    e.clocks.reset();
    e.conditions.clear();
    e.alerts.clear();
    e.next_check = e.received_on;
    return;
  }
  const WorkCalendar& calendar = *calendar_;
  const bool fresh = recount || !e.clocks.has_value() ||
                     as_of < e.computed_on || as_of > e.clocks->holds_through;
  if (fresh) {
    ClockOptions options = env_.clock_options;
    options.explain = false;
    absl::StatusOr<ClockReport> clocks =
        ComputeClocks(e.events, calendar, options, as_of);
    if (!clocks.ok())
      return SetUnknown(e, as_of, clocks.status().message(), raised);
    e.clocks = *std::move(clocks);
    e.computed_on = as_of;
  }
  absl::CivilDay next_change;
  absl::StatusOr<std::vector<AlertCondition>> conditions = AlertConditions(
      *e.clocks, as_of, calendar, env_.alert_options, &next_change);
  if (!conditions.ok())
    return SetUnknown(e, as_of, conditions.status().message(), raised);
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
    Alert a = DescribeAlert(e.case_no, *e.clocks, c);
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

void AlertIndex::Put(const CaseRecord& c, std::vector<CaseEvent> events,
                     std::vector<Alert>* raised) {
  auto [it, inserted] = cases_.try_emplace(c.id);
  Entry& e = it->second;
  e.case_no = c.case_no;
  e.assignee = c.assignee;
  e.agency = c.agency;
  e.received_on = c.received_on;
  e.version = c.version;
  e.events = std::move(events);
  // Recounted, so every alert is described afresh (the handler or agency
  // may have changed); the alerts it had tell which ones are new.
  ids_[c.case_no] = c.id;
  Update(e, day_, /*recount=*/true, raised);
  Schedule(c.id, e);
}

void AlertIndex::Schedule(int64_t id, const Entry& e) {
  if (e.next_check <= kNoChangeAhead) agenda_[e.next_check].push_back(id);
}

void AlertIndex::UpdateAll(bool recount, std::vector<Alert>* raised) {
  agenda_.clear();
  for (auto& [id, e] : cases_) {
    Update(e, day_, recount, raised);
    Schedule(id, e);
  }
}

absl::Status AlertIndex::Rebuild(absl::CivilDay as_of,
                                 std::vector<Alert>* raised) {
  std::lock_guard<std::mutex> lock(mu_);
  TakeCalendar();
  day_ = as_of;
  std::unordered_map<int64_t, Entry> previous;
  previous.swap(cases_);
  ids_.clear();
  agenda_.clear();
  absl::Status read = storage::ForEachOpenCase(
      *env_.store,
      [&](const CaseRecord& c,
          const std::vector<CaseEvent>& events) -> absl::Status {
        if (auto old = previous.find(c.id); old != previous.end()) {
          cases_.emplace(c.id, std::move(old->second));
        }
        Put(c, events, raised);
        return absl::OkStatus();
      });
  if (!read.ok()) {
    built_ = false;
    return read;
  }
  built_ = true;
  return absl::OkStatus();
}

absl::Status AlertIndex::Refresh(const std::set<std::string>& case_nos,
                                 absl::CivilDay as_of,
                                 std::vector<Alert>* raised) {
  std::lock_guard<std::mutex> lock(mu_);
  if (!built_) return absl::FailedPreconditionError("alert index not built");
  if (absl::Status s = AdvanceLocked(as_of, raised); !s.ok()) return s;
  ASSIGN_OR_RETURN(std::vector<CaseRecord> cases,
                   env_.store->GetCases(std::vector<std::string>(
                       case_nos.begin(), case_nos.end())));
  std::vector<int64_t> ids;
  for (const CaseRecord& c : cases) ids.push_back(c.id);
  ASSIGN_OR_RETURN(auto events, env_.store->GetEventsOfCases(ids));
  std::vector<SavedCase> read;
  for (CaseRecord& c : cases) {
    std::vector<CaseEvent>& e = events[c.id];
    read.push_back({std::move(c), std::move(e)});
  }
  TakeLocked(std::move(read), raised);
  return absl::OkStatus();
}

void AlertIndex::Take(std::vector<SavedCase> cases,
                      std::vector<Alert>* raised) {
  std::lock_guard<std::mutex> lock(mu_);
  if (!built_) return;  // the rebuild to come reads them
  TakeLocked(std::move(cases), raised);
}

void AlertIndex::TakeLocked(std::vector<SavedCase> cases,
                            std::vector<Alert>* raised) {
  for (SavedCase& s : cases) {
    const CaseRecord& c = s.record;
    auto known = ids_.find(c.case_no);
    if (known != ids_.end() && cases_.at(known->second).version > c.version)
      continue;
    if (c.state == CaseState::kClosed) {
      if (known != ids_.end()) {
        cases_.erase(known->second);
        ids_.erase(known);
      }
      continue;
    }
    Put(c, std::move(s.events), raised);
  }
}

absl::Status AlertIndex::Advance(absl::CivilDay as_of,
                                 std::vector<Alert>* raised) {
  std::lock_guard<std::mutex> lock(mu_);
  if (!built_) return absl::FailedPreconditionError("alert index not built");
  return AdvanceLocked(as_of, raised);
}

absl::Status AlertIndex::AdvanceLocked(absl::CivilDay as_of,
                                       std::vector<Alert>* raised) {
  const bool recount_all = TakeCalendar();
  const bool back = as_of < day_;
  day_ = as_of;
  if (recount_all || back) {
    UpdateAll(recount_all, raised);
    return absl::OkStatus();
  }
  while (!agenda_.empty() && agenda_.begin()->first <= as_of) {
    std::vector<int64_t> due = std::move(agenda_.begin()->second);
    agenda_.erase(agenda_.begin());
    for (int64_t id : due) {
      auto it = cases_.find(id);
      if (it == cases_.end() || it->second.next_check > as_of) continue;
      Update(it->second, as_of, /*recount=*/false, raised);
      Schedule(id, it->second);
    }
  }
  return absl::OkStatus();
}

bool AlertIndex::built() const {
  std::lock_guard<std::mutex> lock(mu_);
  return built_;
}

absl::CivilDay AlertIndex::day() const {
  std::lock_guard<std::mutex> lock(mu_);
  return day_;
}

size_t AlertIndex::open_cases() const {
  std::lock_guard<std::mutex> lock(mu_);
  return cases_.size();
}

std::vector<Alert> AlertIndex::Current() const {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<Alert> out;
  for (const auto& [id, e] : cases_) {
    for (const Alert& a : e.alerts) {
      out.push_back(a);
      if (a.kind == "deadline_unknown" || a.kind == "reply_due_today") continue;
      // A case not looked at today keeps its words; its days left move on.
      absl::StatusOr<int> left = calendar_->WorkingDaysLeft(day_, a.due_on);
      if (left.ok()) out.back().working_days_left = *left;
    }
  }
  if (calendar_ != nullptr) {
    for (Alert& a : ReportAlerts(day_, *calendar_)) out.push_back(std::move(a));
  }
  SortAlerts(out);
  return out;
}

}  // namespace gongkai::alerts

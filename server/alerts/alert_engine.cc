#include "server/alerts/alert_engine.h"

#include "absl/strings/str_cat.h"
#include "common/dates.h"
#include "common/status_macros.h"

namespace gongkai::alerts {

absl::StatusOr<std::vector<Alert>> AlertEngine::Evaluate(
    absl::CivilDay as_of) const {
  std::shared_ptr<const WorkCalendar> calendar = env_.calendar->Get();
  std::vector<Alert> out;
  storage::CaseQuery query;
  query.open_only = true;
  query.limit = 1000;
  while (true) {
    ASSIGN_OR_RETURN(storage::CasePage page, env_.store->ListCases(query));
    std::vector<int64_t> ids;
    for (const CaseRecord& c : page.cases) ids.push_back(c.id);
    ASSIGN_OR_RETURN(auto events, env_.store->GetEventsOfCases(ids));
    for (const CaseRecord& c : page.cases) {
      if (c.received_on > as_of) continue;
      absl::StatusOr<ClockReport> clocks =
          ComputeClocks(events[c.id], *calendar, env_.clock_options, as_of);
      absl::StatusOr<std::vector<Alert>> alerts =
          clocks.ok() ? CaseAlerts(c.case_no, *clocks, as_of, *calendar,
                                   env_.alert_options)
                      : absl::StatusOr<std::vector<Alert>>(clocks.status());
      if (!alerts.ok()) {
        // Never silently drop a case: say why its deadline is unknown.
        Alert a;
        a.kind = "deadline_unknown";
        a.case_no = c.case_no;
        a.due_on = as_of;
        a.message = std::string(alerts.status().message());
        a.key = absl::StrCat(c.case_no, "|deadline_unknown||", FormatDate(as_of));
        out.push_back(std::move(a));
        continue;
      }
      for (Alert& a : *alerts) out.push_back(std::move(a));
    }
    if (!page.more) break;
    query.after = {{page.cases.back().received_on, page.cases.back().id}};
  }
  for (Alert& a : ReportAlerts(as_of, *calendar)) out.push_back(std::move(a));
  SortAlerts(out);
  return out;
}

Json AlertToJson(const Alert& a, absl::Time raised_at) {
  Json j = Json::MakeObject();
  j.Set("key", a.key);
  j.Set("kind", a.kind);
  j.Set("case_no", a.case_no.empty() ? Json(nullptr) : Json(a.case_no));
  j.Set("clock_id", a.clock_id.empty() ? Json(nullptr) : Json(a.clock_id));
  j.Set("due_on", FormatDate(a.due_on));
  j.Set("working_days_left", a.working_days_left);
  j.Set("message", a.message);
  j.Set("raised_at", FormatTimestamp(raised_at));
  return j;
}

}  // namespace gongkai::alerts

#include "server/alerts/alert_engine.h"

#include "absl/strings/str_cat.h"
#include "common/dates.h"
#include "common/status_macros.h"

namespace gongkai::alerts {

void AlertEngine::AppendCaseAlerts(const CaseRecord& c,
                                   const std::vector<CaseEvent>& events,
                                   const WorkCalendar& calendar,
                                   absl::CivilDay as_of,
                                   std::vector<Alert>& out) const {
  if (c.state == CaseState::kClosed || c.received_on > as_of) return;
  ClockOptions options = env_.clock_options;
  options.explain = false;
  absl::StatusOr<ClockReport> clocks =
      ComputeClocks(events, calendar, options, as_of);
  absl::StatusOr<std::vector<Alert>> alerts =
      clocks.ok()
          ? CaseAlerts(c.case_no, *clocks, as_of, calendar, env_.alert_options)
          : absl::StatusOr<std::vector<Alert>>(clocks.status());
  if (!alerts.ok()) {
    Alert a = DeadlineUnknownAlert(c.case_no, as_of, alerts.status().message());
    a.assignee = c.assignee;
    a.agency = c.agency;
    out.push_back(std::move(a));
    return;
  }
  for (Alert& a : *alerts) {
    a.assignee = c.assignee;
    a.agency = c.agency;
    out.push_back(std::move(a));
  }
}

absl::StatusOr<std::vector<Alert>> AlertEngine::Evaluate(
    absl::CivilDay as_of) const {
  std::shared_ptr<const WorkCalendar> calendar = env_.calendar->Get();
  std::vector<Alert> out;
  RETURN_IF_ERROR(storage::ForEachOpenCase(
      *env_.store,
      [&](const CaseRecord& c,
          const std::vector<CaseEvent>& events) -> absl::Status {
        AppendCaseAlerts(c, events, *calendar, as_of, out);
        return absl::OkStatus();
      }));
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
  j.Set("handler", a.assignee.empty() ? Json(nullptr) : Json(a.assignee));
  j.Set("agency", a.agency);
  j.Set("raised_at", FormatTimestamp(raised_at));
  return j;
}

}  // namespace gongkai::alerts

#include "server/alerts/alert_engine.h"

#include <algorithm>

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
  options.lang = env_.alert_options.lang;
  absl::StatusOr<ClockReport> clocks =
      ComputeClocks(events, calendar, options, as_of);
  absl::StatusOr<std::vector<Alert>> alerts =
      clocks.ok()
          ? CaseAlerts(c.case_no, *clocks, as_of, calendar, env_.alert_options)
          : absl::StatusOr<std::vector<Alert>>(clocks.status());
  if (!alerts.ok()) {
    Alert a = DeadlineUnknownAlert(c.case_no, as_of, alerts.status(),
                                   env_.alert_options.lang);
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
  ASSIGN_OR_RETURN(PublicationState publication,
                   ReadPublication(*env_.store, env_.agency));
  // A past day is evaluated as it stood; today, with everything published.
  if (as_of >= env_.time->Today()) {
    publication = PublishedByToday(std::move(publication), as_of);
  }
  for (Alert& a :
       ReportAlerts(as_of, publication, *calendar, env_.alert_options.lang))
    out.push_back(std::move(a));
  SortAlerts(out);
  return out;
}

absl::StatusOr<PublicationState> ReadPublication(
    storage::Store& store, const std::string& office_name) {
  return storage::ReadValue<PublicationState>(
      store, [&](storage::Tables& t) -> absl::StatusOr<PublicationState> {
        PublicationState state;
        ASSIGN_OR_RETURN(auto agencies, t.agencies().List());
        state.duties = ReportDuties(agencies, office_name);
        for (ReportDuty& duty : state.duties) {
          // The scope's earliest case (cases are listed by receipt date).
          storage::CaseQuery q;
          if (!duty.scope.empty()) q.agencies = {duty.scope};
          q.limit = 1;
          ASSIGN_OR_RETURN(storage::CasePage page, t.cases().List(q));
          if (!page.cases.empty()) {
            duty.records_from =
                static_cast<int>(page.cases.front().received_on.year());
          }
        }
        ASSIGN_OR_RETURN(auto published, t.reports().Published());
        for (const auto& [period, figures] : published) {
          // A report without a readable publication time (none is written
          // so) counts as published from the first day it could be.
          absl::CivilDay on = absl::CivilDay(period.first + 1, 1, 1);
          absl::StatusOr<Json> j = Json::Parse(figures);
          const Json* at =
              j.ok() && j->is_object() ? j->Find("published_at") : nullptr;
          if (at != nullptr && at->is_string()) {
            absl::StatusOr<absl::Time> t = ParseTimestamp(at->as_string());
            if (t.ok()) on = ChinaDay(*t);
          }
          state.published[period] = on;
        }
        return state;
      });
}

PublicationState PublishedByToday(PublicationState publication,
                                  absl::CivilDay today) {
  for (auto& [period, on] : publication.published) on = std::min(on, today);
  return publication;
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

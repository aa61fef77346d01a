#include "app/alert_marks.h"

#include <map>

#include "absl/strings/str_cat.h"
#include "common/dates.h"
#include "common/lang.h"
#include "common/status_macros.h"

namespace gongkai::app {

std::vector<Alert> VisibleAlerts(const Caller& caller,
                                 std::vector<Alert> alerts) {
  std::erase_if(alerts, [&](const Alert& a) {
    // Staff see their own agencies' cases and reports (and the office-wide
    // report alerts, of no agency).
    const bool office_wide = a.case_no.empty() && a.agency.empty();
    return !office_wide && !caller.SeesAgency(a.agency);
  });
  return alerts;
}

absl::Status AlertMarks::Acknowledge(const Caller& caller,
                                     const std::string& key,
                                     const std::vector<Alert>& in_force) const {
  return SetMark(caller, key, "acknowledged", std::nullopt, &in_force);
}

absl::Status AlertMarks::Snooze(const Caller& caller, const std::string& key,
                                absl::CivilDay until,
                                const std::vector<Alert>& in_force) const {
  const absl::CivilDay today = env_.time->Today();
  if (until <= today || until > today + 366) {
    return LocalizedError(
        absl::StatusCode::kInvalidArgument,
        absl::StrCat("暂缓到 ", FormatDate(until), " 不可行：应在今天（",
                     FormatDate(today), "）之后、一年之内"),
        absl::StrCat("cannot snooze until ", FormatDate(until),
                     ": the day must be after today (", FormatDate(today),
                     ") and within a year"));
  }
  return SetMark(caller, key, "snoozed", until, &in_force);
}

absl::Status AlertMarks::Clear(const Caller& caller,
                               const std::string& key) const {
  return SetMark(caller, key, "cleared", std::nullopt, nullptr);
}

absl::Status AlertMarks::SetMark(const Caller& caller, const std::string& key,
                                 const std::string& state,
                                 std::optional<absl::CivilDay> until,
                                 const std::vector<Alert>* in_force) const {
  RETURN_IF_ERROR(CheckAllowed(caller, "MarkAlert"));
  if (key.empty() || key.size() > 512) {
    return LocalizedError(absl::StatusCode::kInvalidArgument,
                          "请给出提醒的键（gongkai alerts --json 中的 key）",
                          "give the alert's key (the key in gongkai alerts "
                          "--json)");
  }
  if (in_force != nullptr) {
    bool found = false;
    for (const Alert& a : VisibleAlerts(caller, *in_force)) {
      found |= a.key == key;
    }
    if (!found) {
      return LocalizedError(
          absl::StatusCode::kNotFound,
          absl::StrCat("今天没有键为“", key,
                       "”的提醒（已解除或已变化）；用 gongkai alerts --all "
                       "--json 查看各提醒的键"),
          absl::StrCat("no alert keyed '", key,
                       "' is in force today (it ended or changed); see the "
                       "keys with gongkai alerts --all --json"));
    }
  }
  const absl::Time at = env_.time->Now();
  storage::AlertOutbox::UserMark mark{key, state, until, at};
  return env_.store->Write([&](storage::Tables& t) -> absl::Status {
    ASSIGN_OR_RETURN(Caller now, ConfirmCaller(t, caller, "MarkAlert"));
    storage::RecordEvent event{absl::StrCat("alert_", state),
                               absl::StrCat("alert ", key), now.name, at};
    if (until.has_value()) event.details.Set("until", FormatDate(*until));
    return t.alerts().SetUserMark(now.name, mark, event);
  });
}

absl::StatusOr<MarkedAlerts> AlertMarks::Apply(const Caller& caller,
                                               std::vector<Alert> alerts,
                                               absl::CivilDay as_of,
                                               bool include_marked) const {
  MarkedAlerts out;
  std::map<std::string, storage::AlertOutbox::UserMark> marks;
  if (!caller.name.empty()) {
    ASSIGN_OR_RETURN(
        std::vector<storage::AlertOutbox::UserMark> stored,
        storage::ReadValue<std::vector<storage::AlertOutbox::UserMark>>(
            *env_.store, [&](storage::Tables& t) {
              return t.alerts().UserMarks(caller.name);
            }));
    for (auto& m : stored) marks[m.key] = std::move(m);
  }
  for (Alert& a : VisibleAlerts(caller, std::move(alerts))) {
    MarkedAlert shown{std::move(a), "", std::nullopt};
    bool hidden = false;
    if (auto it = marks.find(shown.alert.key); it != marks.end()) {
      if (it->second.state == "acknowledged") {
        shown.mark = "acknowledged";
        hidden = true;
      } else if (it->second.state == "snoozed" &&
                 it->second.snoozed_until.has_value() &&
                 *it->second.snoozed_until > as_of) {
        shown.mark = "snoozed";
        shown.snoozed_until = it->second.snoozed_until;
        hidden = true;
      }
    }
    if (hidden && !include_marked) {
      ++out.hidden;
      continue;
    }
    out.alerts.push_back(std::move(shown));
  }
  return out;
}

}  // namespace gongkai::app

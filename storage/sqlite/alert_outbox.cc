#include "storage/sqlite/alert_outbox.h"

#include "common/dates.h"
#include "common/status_macros.h"
#include "storage/sqlite/rows.h"

namespace gongkai::storage {

absl::StatusOr<std::vector<size_t>> SqliteAlertOutbox::Record(
    const std::vector<NewAlert>& alerts, absl::Time raised_at, bool deliver) {
  RETURN_IF_ERROR(session_->RequireWrite("recording alerts"));
  std::vector<size_t> fresh;
  if (alerts.empty()) return fresh;
  const std::string at = FormatTimestamp(raised_at);
  ASSIGN_OR_RETURN(
      ScopedStatement s,
      db().Prepare("INSERT INTO alerts (alert_key, payload, raised_at, "
                   "hook_state, next_attempt_at) VALUES (?, ?, ?, ?, ?) "
                   "ON CONFLICT (alert_key) DO NOTHING"));
  for (size_t i = 0; i < alerts.size(); ++i) {
    s->BindText(1, alerts[i].key);
    s->BindText(2, alerts[i].payload);
    s->BindText(3, at);
    s->BindText(4, deliver ? "pending" : "none");
    s->BindText(5, at);
    RETURN_IF_ERROR(s->Run());
    if (db().Changes() == 1) fresh.push_back(i);
    s->Reset();
  }
  return fresh;
}

absl::StatusOr<std::vector<AlertOutbox::StoredAlert>>
SqliteAlertOutbox::Pending(absl::Time now) {
  ASSIGN_OR_RETURN(
      ScopedStatement s,
      db().Prepare("SELECT alert_key, payload, raised_at, attempts FROM alerts "
                   "WHERE hook_state = 'pending' AND next_attempt_at <= ? "
                   "ORDER BY raised_at, alert_key LIMIT 100"));
  s->BindText(1, FormatTimestamp(now));
  return CollectRows(
      *s, [](const Statement& row) -> absl::StatusOr<StoredAlert> {
        StoredAlert a;
        a.key = row.ColumnText(0);
        a.payload = row.ColumnText(1);
        ASSIGN_OR_RETURN(a.raised_at, StoredTimestamp(row.ColumnText(2)));
        a.attempts = static_cast<int>(row.ColumnInt(3));
        return a;
      });
}

absl::Status SqliteAlertOutbox::MarkDelivered(const std::string& key,
                                              absl::Time at) {
  RETURN_IF_ERROR(session_->RequireWrite("marking an alert delivered"));
  ASSIGN_OR_RETURN(ScopedStatement s,
                   db().Prepare("UPDATE alerts SET hook_state = 'delivered', "
                                "delivered_at = ?, attempts = attempts + 1, "
                                "last_error = NULL WHERE alert_key = ?"));
  s->BindText(1, FormatTimestamp(at));
  s->BindText(2, key);
  return s->Run();
}

absl::Status SqliteAlertOutbox::MarkFailed(const std::string& key,
                                           const std::string& error,
                                           absl::Time next_attempt) {
  RETURN_IF_ERROR(session_->RequireWrite("marking an alert failed"));
  ASSIGN_OR_RETURN(ScopedStatement s,
                   db().Prepare("UPDATE alerts SET attempts = attempts + 1, "
                                "last_error = ?, next_attempt_at = ? "
                                "WHERE alert_key = ?"));
  s->BindText(1, error);
  s->BindText(2, FormatTimestamp(next_attempt));
  s->BindText(3, key);
  return s->Run();
}

}  // namespace gongkai::storage

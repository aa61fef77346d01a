#include "storage/sqlite/alert_outbox.h"

#include "common/dates.h"
#include "common/status_macros.h"
#include "storage/sqlite/audit_chain.h"
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

absl::Status SqliteAlertOutbox::SetUserMark(const std::string& user,
                                            const UserMark& mark,
                                            const RecordEvent& event) {
  RETURN_IF_ERROR(session_->RequireWrite("marking an alert"));
  ASSIGN_OR_RETURN(
      ScopedStatement s,
      db().Prepare("INSERT INTO alert_marks (user_name, alert_key, state, "
                   "snoozed_until, marked_at) VALUES (?, ?, ?, ?, ?) "
                   "ON CONFLICT (user_name, alert_key) DO UPDATE SET "
                   "state = excluded.state, snoozed_until = "
                   "excluded.snoozed_until, marked_at = excluded.marked_at"));
  s->BindText(1, user);
  s->BindText(2, mark.key);
  s->BindText(3, mark.state);
  if (mark.snoozed_until.has_value()) {
    s->BindText(4, FormatDate(*mark.snoozed_until));
  } else {
    s->BindNull(4);
  }
  s->BindText(5, FormatTimestamp(mark.marked_at));
  RETURN_IF_ERROR(s->Run());
  return AppendRecordEvent(*session_, event);
}

absl::StatusOr<std::vector<AlertOutbox::UserMark>> SqliteAlertOutbox::UserMarks(
    const std::string& user) {
  ASSIGN_OR_RETURN(
      ScopedStatement s,
      db().Prepare("SELECT alert_key, state, snoozed_until, marked_at FROM "
                   "alert_marks WHERE user_name = ? AND state != 'cleared' "
                   "ORDER BY alert_key"));
  s->BindText(1, user);
  return CollectRows(*s, [](const Statement& row) -> absl::StatusOr<UserMark> {
    UserMark m;
    m.key = row.ColumnText(0);
    m.state = row.ColumnText(1);
    if (const std::string until = row.ColumnText(2); !until.empty()) {
      ASSIGN_OR_RETURN(m.snoozed_until, ParseDate(until));
    }
    ASSIGN_OR_RETURN(m.marked_at, StoredTimestamp(row.ColumnText(3)));
    return m;
  });
}

}  // namespace gongkai::storage

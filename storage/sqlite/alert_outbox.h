// SqliteAlertOutbox: alerts raised once (keyed) and handed to the alert hook
// once, with retries.
//
// Thread safety: reached only through Tables inside a transaction of its
// SqliteStore, which holds the connection.
#ifndef GONGKAI_STORAGE_SQLITE_ALERT_OUTBOX_H_
#define GONGKAI_STORAGE_SQLITE_ALERT_OUTBOX_H_

#include "storage/sqlite/session.h"
#include "storage/store.h"

namespace gongkai::storage {

class SqliteAlertOutbox : public AlertOutbox {
 public:
  explicit SqliteAlertOutbox(Session* session) : session_(session) {}

  absl::StatusOr<std::vector<size_t>> Record(
      const std::vector<NewAlert>& alerts, absl::Time raised_at,
      bool deliver) override;
  absl::StatusOr<std::vector<StoredAlert>> Pending(absl::Time now) override;
  absl::Status MarkDelivered(const std::string& key, absl::Time at) override;
  absl::Status MarkFailed(const std::string& key, const std::string& error,
                          absl::Time next_attempt) override;
  absl::Status SetUserMark(const std::string& user, const UserMark& mark,
                           const RecordEvent& event) override;
  absl::StatusOr<std::vector<UserMark>> UserMarks(
      const std::string& user) override;

 private:
  Database& db() { return session_->db(); }

  Session* const session_;
};

}  // namespace gongkai::storage

#endif  // GONGKAI_STORAGE_SQLITE_ALERT_OUTBOX_H_

// AlertHub: fans newly raised alerts out to every watcher (the WatchAlerts
// stream). Watchers poll with a timeout so they can notice cancellation.
// Thread-safe.
#ifndef GONGKAI_APP_ALERT_HUB_H_
#define GONGKAI_APP_ALERT_HUB_H_

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <vector>

#include "absl/time/time.h"

namespace gongkai::alerts {

class AlertHub {
 public:
  // Publishes one alert (its JSON payload) to all watchers.
  void Publish(std::string payload) {
    std::lock_guard<std::mutex> lock(mu_);
    recent_.push_back({++last_seq_, std::move(payload)});
    while (recent_.size() > kKeep) recent_.pop_front();
    cv_.notify_all();
  }

  // The sequence number a new watcher starts after.
  uint64_t Cursor() {
    std::lock_guard<std::mutex> lock(mu_);
    return last_seq_;
  }

  // Alerts published after `*cursor`, waiting up to `timeout` for one.
  std::vector<std::string> Next(uint64_t* cursor, absl::Duration timeout) {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait_for(lock, absl::ToChronoMilliseconds(timeout),
                 [&] { return last_seq_ > *cursor; });
    std::vector<std::string> out;
    for (const auto& [seq, payload] : recent_) {
      if (seq > *cursor) out.push_back(payload);
    }
    *cursor = last_seq_;
    return out;
  }

 private:
  static constexpr size_t kKeep = 10000;
  std::mutex mu_;
  std::condition_variable cv_;
  uint64_t last_seq_ = 0;
  std::deque<std::pair<uint64_t, std::string>> recent_;
};

}  // namespace gongkai::alerts

#endif  // GONGKAI_APP_ALERT_HUB_H_

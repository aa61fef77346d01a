// AlertScheduler: a background thread that evaluates every open clock when a
// case changes (Notify) and at least every minute, records each alert the
// first time it is raised, publishes it to watchers, and hands it to the
// alert hook. Alert identity survives restarts, because raised alerts are
// stored. Thread-safe; Stop() joins the threads.
#ifndef GONGKAI_SERVER_ALERTS_ALERT_SCHEDULER_H_
#define GONGKAI_SERVER_ALERTS_ALERT_SCHEDULER_H_

#include <condition_variable>
#include <functional>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <unordered_set>

#include "server/alerts/alert_engine.h"
#include "server/alerts/alert_hub.h"
#include "server/rpc/environment.h"

namespace gongkai::alerts {

struct SchedulerOptions {
  std::string hook_command;  // run once per new alert; empty: no hook
  // Every open case is re-evaluated when the day changes and at least this
  // often; a changed case is evaluated at once.
  absl::Duration evaluate_every = absl::Minutes(10);
  // How long changes may gather before their cases are evaluated.
  absl::Duration gather_changes = absl::Milliseconds(20);
  absl::Duration hook_timeout = absl::Seconds(30);
  absl::Duration first_retry = absl::Seconds(2);
  absl::Duration max_retry = absl::Hours(1);
};

class AlertScheduler {
 public:
  AlertScheduler(const rpc::Environment& env, AlertHub* hub,
                 SchedulerOptions options);
  ~AlertScheduler();

  void Start();
  void Stop();
  // Asks for an evaluation soon: of one case that changed, or of every open
  // case when `case_no` is empty (the calendar or many cases changed).
  void Notify(const std::string& case_no = "");

  // One evaluation pass over every open case (or, with `case_nos`, over
  // those); returns how many alerts were new. Public for tests.
  absl::StatusOr<int> EvaluateOnce(
      const std::set<std::string>* case_nos = nullptr);
  // One delivery pass over pending alerts. Public for tests.
  void DeliverPending();

 private:
  void EvaluateLoop();
  void DeliverLoop();
  // Runs the hook with `payload` on stdin; OK when it exits 0 in time.
  absl::Status RunHook(const std::string& payload);

  const rpc::Environment& env_;
  AlertEngine engine_;
  AlertHub* hub_;
  SchedulerOptions options_;

  std::mutex mu_;
  std::condition_variable evaluate_cv_;  // work for EvaluateLoop, or stop
  std::condition_variable deliver_cv_;   // work for DeliverLoop, or stop
  bool stopping_ = false;
  bool dirty_ = true;              // evaluate every open case
  std::set<std::string> changed_;  // evaluate these cases
  absl::CivilDay last_full_day_;
  absl::Time last_full_ = absl::InfinitePast();
  bool deliver_now_ = true;
  // Keys of alerts in force that are known to be recorded.
  std::mutex recorded_mu_;
  std::unordered_set<std::string> recorded_;  // guarded by recorded_mu_
  std::thread evaluator_;
  std::thread deliverer_;
};

}  // namespace gongkai::alerts

#endif  // GONGKAI_SERVER_ALERTS_ALERT_SCHEDULER_H_

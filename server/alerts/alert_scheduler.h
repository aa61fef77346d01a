// AlertScheduler: a background thread that keeps an AlertIndex of every open
// case: built at start (and after a calendar change or an import), told of
// each changed case (Notify), moved on when the day changes and every ten
// minutes. It records each alert the first time it is raised, publishes it
// to watchers, and hands it to the alert hook. Alert identity survives
// restarts, because raised alerts are stored (the AlertOutbox keeps every key
// it was given, with its delivery state) and their keys name the fact, not
// the day: a fact is recorded, streamed and handed to the hook once, however
// often the daemon restarts. Thread-safe; Stop() joins the threads.
#ifndef GONGKAI_SERVER_ALERTS_ALERT_SCHEDULER_H_
#define GONGKAI_SERVER_ALERTS_ALERT_SCHEDULER_H_

#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>

#include "app/alert_hub.h"
#include "app/environment.h"
#include "server/alerts/alert_engine.h"
#include "server/alerts/alert_index.h"

namespace gongkai::alerts {

struct SchedulerOptions {
  std::string hook_command;  // run once per new alert; empty: no hook
  // The index is moved on to today when the day changes and at least this
  // often (cheap: only cases filed under the days passed are looked at); a
  // changed case is taken in at once.
  absl::Duration evaluate_every = absl::Minutes(10);
  // How long changes may gather before their cases are evaluated.
  absl::Duration gather_changes = absl::Milliseconds(20);
  absl::Duration hook_timeout = absl::Seconds(30);
  absl::Duration first_retry = absl::Seconds(2);
  absl::Duration max_retry = absl::Hours(1);
};

class AlertScheduler {
 public:
  AlertScheduler(const app::Environment& env, AlertHub* hub,
                 SchedulerOptions options);
  ~AlertScheduler();

  // Starts the threads; the index is built in the background, so Start
  // returns at once. Call it before serving: from then on AlertsInForce
  // answers from the index (waiting for the first build when asked).
  void Start();
  void Stop();
  // Asks for an evaluation soon: of one case that changed (re-read), or of
  // every open case when `case_no` is empty (the calendar or many cases
  // changed: the index is rebuilt).
  void Notify(const std::string& case_no = "");
  // The same for a case whose committed record and events the caller has:
  // they are taken as they are, without reading them back.
  void NotifySaved(const CaseRecord& record,
                   const std::vector<CaseEvent>& events);
  // Asks for the annual report alerts to be worked out again: a report was
  // published or an agency added. (They are also re-read on the first move
  // to a new day, which notices an agency's first case.)
  void NotifyReports();

  // Every alert in force on `day` (today), once every change notified so far
  // has been taken in; nullopt when the scheduler is not running or `day`
  // is not today (then AlertEngine answers).
  std::optional<std::vector<Alert>> AlertsInForce(absl::CivilDay day);
  // One delivery pass over pending alerts. Public for tests.
  void DeliverPending();
  // One evaluation pass on the calling thread: builds the index if it is not
  // built, else moves it on to today and takes in what was notified; records
  // what is new. Returns how many alerts were new to the outbox. For tests,
  // which drive the days themselves, and only while not Start()ed.
  absl::StatusOr<int> EvaluateOnce();

 private:
  enum class PassKind { kRebuild, kAdvance, kRefresh };
  // `reports`: re-read the publication state first.
  absl::StatusOr<int> Pass(PassKind kind, const std::set<std::string>* case_nos,
                           std::vector<AlertIndex::SavedCase>* saved,
                           bool reports);
  void EvaluateLoop();
  void DeliverLoop();
  // Runs the hook with `payload` on stdin; OK when it exits 0 in time.
  absl::Status RunHook(const std::string& payload);

  const app::Environment& env_;
  AlertIndex index_;
  AlertHub* hub_;
  SchedulerOptions options_;

  std::mutex mu_;
  std::condition_variable evaluate_cv_;  // work for EvaluateLoop, or stop
  std::condition_variable deliver_cv_;   // work for DeliverLoop, or stop
  bool running_ = false;                 // Start() was called
  bool stopping_ = false;
  bool rebuild_ = true;            // read every open case afresh
  bool advance_ = false;           // move every case on to today
  bool reports_ = false;           // re-read the publication state
  bool hurry_ = false;             // someone waits: skip the gathering
  std::set<std::string> changed_;  // re-read these cases
  std::map<std::string, AlertIndex::SavedCase> saved_;  // take these
  uint64_t requested_ = 0;           // AlertsInForce calls so far
  uint64_t completed_ = 0;           // of them, answered by a finished pass
  std::condition_variable done_cv_;  // a pass finished
  absl::CivilDay last_full_day_;
  // The day the publication state was last read; only the thread running
  // the passes uses it.
  absl::CivilDay reports_read_on_ = absl::CivilDay(1970, 1, 1);
  absl::Time last_full_ = absl::InfinitePast();
  bool deliver_now_ = true;
  std::thread evaluator_;
  std::thread deliverer_;
};

}  // namespace gongkai::alerts

#endif  // GONGKAI_SERVER_ALERTS_ALERT_SCHEDULER_H_

#include "server/alerts/alert_scheduler.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/status_macros.h"

extern char** environ;

namespace gongkai::alerts {

AlertScheduler::AlertScheduler(const rpc::Environment& env, AlertHub* hub,
                               SchedulerOptions options)
    : env_(env), engine_(env), hub_(hub), options_(std::move(options)) {}

AlertScheduler::~AlertScheduler() { Stop(); }

void AlertScheduler::Start() {
  evaluator_ = std::thread([this] { EvaluateLoop(); });
  deliverer_ = std::thread([this] { DeliverLoop(); });
}

void AlertScheduler::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  evaluate_cv_.notify_all();
  deliver_cv_.notify_all();
  if (evaluator_.joinable()) evaluator_.join();
  if (deliverer_.joinable()) deliverer_.join();
}

void AlertScheduler::Notify(const std::string& case_no) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (case_no.empty()) {
      dirty_ = true;
    } else {
      changed_.insert(case_no);
    }
  }
  evaluate_cv_.notify_one();
}

absl::StatusOr<int> AlertScheduler::EvaluateOnce(
    const std::set<std::string>* case_nos) {
  const absl::Time now = env_.time->Now();
  ASSIGN_OR_RETURN(std::vector<Alert> alerts,
                   case_nos == nullptr
                       ? engine_.Evaluate(env_.time->Today())
                       : engine_.EvaluateCases(*case_nos, env_.time->Today()));
  std::lock_guard<std::mutex> lock(recorded_mu_);
  // Keys this process has recorded need no trip to the database; the rest
  // are recorded together, in one transaction.
  std::vector<storage::Store::NewAlert> unknown;
  std::vector<const Alert*> unknown_alerts;
  for (const Alert& a : alerts) {
    if (recorded_.count(a.key) > 0) continue;
    unknown.push_back({a.key, AlertToJson(a, now).Dump()});
    unknown_alerts.push_back(&a);
  }
  ASSIGN_OR_RETURN(
      std::vector<size_t> fresh,
      env_.store->RecordAlerts(unknown, now, !options_.hook_command.empty()));
  for (const auto& u : unknown) recorded_.insert(u.key);
  if (case_nos == nullptr) {
    // A full pass knows every alert in force: forget the others.
    std::unordered_set<std::string> in_force;
    for (const Alert& a : alerts) in_force.insert(a.key);
    recorded_.swap(in_force);
  }
  for (size_t i : fresh) {
    const Alert& a = *unknown_alerts[i];
    if (env_.log)
      env_.log(absl::StrCat("alert ", a.kind, " ", a.case_no, " ", a.message));
    if (hub_ != nullptr) hub_->Publish(unknown[i].payload);
  }
  if (!fresh.empty()) {
    std::lock_guard<std::mutex> lock(mu_);
    deliver_now_ = true;
    deliver_cv_.notify_one();
  }
  return static_cast<int>(fresh.size());
}

void AlertScheduler::EvaluateLoop() {
  std::unique_lock<std::mutex> lock(mu_);
  while (!stopping_) {
    if (dirty_ || !changed_.empty()) {
      if (!dirty_ && options_.gather_changes > absl::ZeroDuration()) {
        // Let a burst of writes gather, so that their cases are read and
        // their alerts recorded together (one transaction, not one each).
        evaluate_cv_.wait_for(
            lock, absl::ToChronoMilliseconds(options_.gather_changes),
            [&] { return stopping_; });
        if (stopping_) break;
      }
      const bool full = dirty_;
      std::set<std::string> cases;
      cases.swap(changed_);
      dirty_ = false;
      lock.unlock();
      absl::StatusOr<int> r = full ? EvaluateOnce() : EvaluateOnce(&cases);
      if (full) {
        last_full_ = absl::Now();
        last_full_day_ = env_.time->Today();
      }
      if (!r.ok() && env_.log) {
        env_.log(absl::StrCat("error: alert evaluation failed: ",
                              r.status().message()));
      }
      lock.lock();
      continue;
    }
    // Wake every minute to notice a new day; evaluate everything then, or
    // when `evaluate_every` has passed.
    evaluate_cv_.wait_for(lock, std::chrono::minutes(1), [&] {
      return stopping_ || dirty_ || !changed_.empty();
    });
    if (env_.time->Today() != last_full_day_ ||
        absl::Now() - last_full_ >= options_.evaluate_every) {
      dirty_ = true;
    }
  }
}

void AlertScheduler::DeliverPending() {
  if (options_.hook_command.empty()) return;
  absl::StatusOr<std::vector<storage::Store::StoredAlert>> pending =
      env_.store->PendingAlerts(absl::Now());
  if (!pending.ok()) {
    if (env_.log) env_.log(absl::StrCat("error: ", pending.status().message()));
    return;
  }
  for (const auto& alert : *pending) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (stopping_) return;
    }
    absl::Status s = RunHook(alert.payload);
    if (s.ok()) {
      (void)env_.store->MarkAlertDelivered(alert.key, absl::Now());
      continue;
    }
    // Exponential back-off: 2 s, 4 s, 8 s ... up to an hour.
    absl::Duration delay = options_.first_retry;
    for (int i = 0; i < alert.attempts && delay < options_.max_retry; ++i)
      delay *= 2;
    delay = std::min(delay, options_.max_retry);
    if (env_.log) {
      env_.log(absl::StrCat("error: alert hook failed for ", alert.key,
                            " (attempt ", alert.attempts + 1,
                            "): ", s.message(), "; retry in ",
                            absl::FormatDuration(delay)));
    }
    (void)env_.store->MarkAlertFailed(alert.key, std::string(s.message()),
                                      absl::Now() + delay);
  }
}

void AlertScheduler::DeliverLoop() {
  std::unique_lock<std::mutex> lock(mu_);
  while (!stopping_) {
    deliver_now_ = false;
    lock.unlock();
    DeliverPending();
    lock.lock();
    deliver_cv_.wait_for(lock, std::chrono::seconds(1),
                         [&] { return stopping_ || deliver_now_; });
  }
}

absl::Status AlertScheduler::RunHook(const std::string& payload) {
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) {
    return absl::InternalError(absl::StrCat("pipe: ", strerror(errno)));
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, fds[0], 0);
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  sigset_t none, defaults;
  sigemptyset(&none);
  sigemptyset(&defaults);
  sigaddset(&defaults, SIGPIPE);
  sigaddset(&defaults, SIGTERM);
  sigaddset(&defaults, SIGINT);
  posix_spawnattr_setsigmask(&attr, &none);
  posix_spawnattr_setsigdefault(&attr, &defaults);
  posix_spawnattr_setflags(&attr,
                           POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
  const char* argv[] = {"/bin/sh", "-c", options_.hook_command.c_str(),
                        nullptr};
  pid_t pid;
  int rc = posix_spawn(&pid, "/bin/sh", &actions, &attr,
                       const_cast<char* const*>(argv), environ);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  close(fds[0]);
  if (rc != 0) {
    close(fds[1]);
    return absl::InternalError(absl::StrCat("cannot run hook: ", strerror(rc)));
  }
  std::string data = payload + "\n";
  size_t written = 0;
  while (written < data.size()) {
    ssize_t n = write(fds[1], data.data() + written, data.size() - written);
    if (n <= 0) break;  // the hook closed its stdin; its exit status decides
    written += static_cast<size_t>(n);
  }
  close(fds[1]);
  const absl::Time deadline = absl::Now() + options_.hook_timeout;
  int status = 0;
  while (true) {
    pid_t r = waitpid(pid, &status, WNOHANG);
    if (r == pid) break;
    if (absl::Now() > deadline) {
      kill(pid, SIGKILL);
      waitpid(pid, &status, 0);
      return absl::DeadlineExceededError("hook timed out and was killed");
    }
    absl::SleepFor(absl::Milliseconds(20));
  }
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return absl::OkStatus();
  if (WIFEXITED(status)) {
    return absl::UnknownError(
        absl::StrCat("hook exited with status ", WEXITSTATUS(status)));
  }
  return absl::UnknownError(
      absl::StrCat("hook killed by signal ", WTERMSIG(status)));
}

}  // namespace gongkai::alerts

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

AlertScheduler::AlertScheduler(const app::Environment& env, AlertHub* hub,
                               SchedulerOptions options)
    : env_(env), index_(env), hub_(hub), options_(std::move(options)) {}

AlertScheduler::~AlertScheduler() { Stop(); }

void AlertScheduler::Start() {
  // Under mu_: AlertsInForce may be called from a serving thread meanwhile
  // (it reads `running_`). The threads wait for mu_ before they begin.
  std::lock_guard<std::mutex> lock(mu_);
  if (running_ || stopping_) return;
  evaluator_ = std::thread([this] { EvaluateLoop(); });
  deliverer_ = std::thread([this] { DeliverLoop(); });
  running_ = true;
}

void AlertScheduler::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  evaluate_cv_.notify_all();
  deliver_cv_.notify_all();
  done_cv_.notify_all();
  if (evaluator_.joinable()) evaluator_.join();
  if (deliverer_.joinable()) deliverer_.join();
}

void AlertScheduler::Notify(const std::string& case_no) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (case_no.empty()) {
      rebuild_ = true;
    } else {
      changed_.insert(case_no);
    }
  }
  evaluate_cv_.notify_one();
}

void AlertScheduler::NotifySaved(const CaseRecord& record,
                                 const std::vector<CaseEvent>& events) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    AlertIndex::SavedCase& s = saved_[record.case_no];
    // Two writes of one case may report back out of order: keep the later.
    if (s.record.version <= record.version) {
      s.record = record;
      s.events = events;
    }
  }
  evaluate_cv_.notify_one();
}

void AlertScheduler::NotifyReports() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    reports_ = true;
  }
  evaluate_cv_.notify_one();
}

absl::StatusOr<int> AlertScheduler::EvaluateOnce() {
  std::set<std::string> cases;
  std::vector<AlertIndex::SavedCase> saved;
  bool reports;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (running_) {
      return absl::FailedPreconditionError(
          "EvaluateOnce is for a scheduler that is not started");
    }
    cases.swap(changed_);
    for (auto& [no, s] : saved_) saved.push_back(std::move(s));
    saved_.clear();
    reports = reports_;
    rebuild_ = advance_ = reports_ = false;
  }
  ASSIGN_OR_RETURN(int fresh,
                   Pass(PassKind::kAdvance, &cases, &saved, reports));
  if (cases.empty() && saved.empty()) return fresh;
  ASSIGN_OR_RETURN(int more,
                   Pass(PassKind::kRefresh, &cases, &saved, /*reports=*/false));
  return fresh + more;
}

absl::StatusOr<int> AlertScheduler::Pass(
    PassKind kind, const std::set<std::string>* case_nos,
    std::vector<AlertIndex::SavedCase>* saved, bool reports) {
  const absl::Time now = env_.time->Now();
  const absl::CivilDay today = env_.time->Today();
  if (!index_.built()) kind = PassKind::kRebuild;
  std::vector<Alert> raised;
  switch (kind) {
    case PassKind::kRebuild:
      RETURN_IF_ERROR(index_.Rebuild(today, &raised));
      break;
    case PassKind::kAdvance:
      RETURN_IF_ERROR(index_.Advance(today, &raised));
      break;
    case PassKind::kRefresh:
      RETURN_IF_ERROR(index_.Refresh(*case_nos, today, &raised));
      if (saved != nullptr) index_.Take(std::move(*saved), &raised);
      break;
  }
  // A rebuild has just read the publication state; the first move to a new
  // day re-reads it too, so that a missed notification costs a day at most.
  if ((kind == PassKind::kAdvance && today != reports_read_on_) ||
      (kind == PassKind::kRefresh && reports)) {
    RETURN_IF_ERROR(index_.RefreshReports());
  }
  if (kind != PassKind::kRefresh || reports) reports_read_on_ = today;
  if (kind != PassKind::kRefresh || reports) {
    // The outbox drops those it already holds.
    for (Alert& a : index_.ReportsInForce()) raised.push_back(std::move(a));
  }
  // Alerts new to the index are recorded; the database keeps each key once,
  // across restarts.
  std::vector<storage::AlertOutbox::NewAlert> records;
  records.reserve(raised.size());
  for (const Alert& a : raised) {
    records.push_back({a.key, AlertToJson(a, now).Dump()});
  }
  const bool deliver = !options_.hook_command.empty();
  // In batches: after a restart every alert in force is raised again (the
  // outbox finds it recorded), hundreds of thousands in a large office, and
  // one transaction for them all would hold the connection, and so every
  // call, for a second or more. A batch costs milliseconds.
  constexpr size_t kBatch = 2000;
  std::vector<size_t> fresh;
  absl::Status not_recorded;
  for (size_t from = 0; from < records.size(); from += kBatch) {
    const std::vector<storage::AlertOutbox::NewAlert> batch(
        records.begin() + from,
        records.begin() + std::min(records.size(), from + kBatch));
    absl::StatusOr<std::vector<size_t>> recorded =
        storage::WriteValue<std::vector<size_t>>(
            *env_.store, [&](storage::Tables& t) {
              return t.alerts().Record(batch, now, deliver);
            });
    if (!recorded.ok()) {
      // Those recorded so far are published below all the same: the outbox
      // would not call them new again.
      not_recorded = recorded.status();
      break;
    }
    for (size_t i : *recorded) fresh.push_back(from + i);
  }
  for (size_t i : fresh) {
    const Alert& a = raised[i];
    if (env_.log)
      env_.log(absl::StrCat("alert ", a.kind, " ", a.case_no, " ", a.message));
    if (hub_ != nullptr) hub_->Publish(records[i].payload);
  }
  if (!fresh.empty()) {
    std::lock_guard<std::mutex> lock(mu_);
    deliver_now_ = true;
    deliver_cv_.notify_one();
  }
  RETURN_IF_ERROR(not_recorded);
  return static_cast<int>(fresh.size());
}

std::optional<std::vector<Alert>> AlertScheduler::AlertsInForce(
    absl::CivilDay day) {
  std::unique_lock<std::mutex> lock(mu_);
  if (!running_) return std::nullopt;
  if (day != env_.time->Today()) return std::nullopt;
  // Wait for every change notified so far (and a new day) to be taken in.
  if (!index_.built() || index_.day() != day) advance_ = true;
  const uint64_t target = ++requested_;
  hurry_ = true;
  evaluate_cv_.notify_one();
  if (!done_cv_.wait_for(lock, std::chrono::seconds(10),
                         [&] { return stopping_ || completed_ >= target; })) {
    return std::nullopt;
  }
  if (stopping_ || !index_.built() || index_.day() != day) return std::nullopt;
  lock.unlock();
  return index_.Current();
}

void AlertScheduler::EvaluateLoop() {
  std::unique_lock<std::mutex> lock(mu_);
  while (!stopping_) {
    if (rebuild_ || advance_ || reports_ || !changed_.empty() ||
        !saved_.empty() || completed_ < requested_) {
      if (!rebuild_ && !advance_ && !reports_ && !hurry_ &&
          options_.gather_changes > absl::ZeroDuration()) {
        // Let a burst of writes gather, so that their cases are read and
        // their alerts recorded together (one transaction, not one each).
        evaluate_cv_.wait_for(
            lock, absl::ToChronoMilliseconds(options_.gather_changes),
            [&] { return stopping_ || hurry_; });
        if (stopping_) break;
      }
      const PassKind kind = rebuild_   ? PassKind::kRebuild
                            : advance_ ? PassKind::kAdvance
                                       : PassKind::kRefresh;
      std::set<std::string> cases;
      cases.swap(changed_);
      std::vector<AlertIndex::SavedCase> saved;
      for (auto& [no, s] : saved_) saved.push_back(std::move(s));
      saved_.clear();
      const bool reports = reports_;
      rebuild_ = advance_ = reports_ = hurry_ = false;
      const uint64_t taking = requested_;
      lock.unlock();
      absl::StatusOr<int> r = Pass(kind, &cases, &saved, reports);
      // A new day or a rebuild leaves changed cases to refresh too.
      if (r.ok() && kind != PassKind::kRefresh &&
          (!cases.empty() || !saved.empty()))
        r = Pass(PassKind::kRefresh, &cases, &saved, /*reports=*/false);
      if (kind != PassKind::kRefresh) {
        last_full_ = absl::Now();
        last_full_day_ = env_.time->Today();
      }
      if (!r.ok() && env_.log) {
        env_.log(absl::StrCat("error: alert evaluation failed: ",
                              r.status().message()));
      }
      lock.lock();
      // A failed pass may have left the index behind the records: read them
      // all again once the database answers.
      if (!r.ok()) rebuild_ = true;
      completed_ = std::max(completed_, taking);
      done_cv_.notify_all();
      if (!r.ok()) {
        // Do not spin on a failing database; try again in a while.
        evaluate_cv_.wait_for(lock, std::chrono::seconds(5),
                              [&] { return stopping_; });
      }
      continue;
    }
    // Wake every minute to notice a new day; move the index on then, or when
    // `evaluate_every` has passed.
    evaluate_cv_.wait_for(lock, std::chrono::minutes(1), [&] {
      return stopping_ || rebuild_ || advance_ || reports_ ||
             !changed_.empty() || !saved_.empty() || completed_ < requested_;
    });
    if (env_.time->Today() != last_full_day_ ||
        absl::Now() - last_full_ >= options_.evaluate_every) {
      advance_ = true;
    }
  }
}

void AlertScheduler::DeliverPending() {
  if (options_.hook_command.empty()) return;
  const absl::Time now = absl::Now();
  absl::StatusOr<std::vector<storage::AlertOutbox::StoredAlert>> pending =
      storage::ReadValue<std::vector<storage::AlertOutbox::StoredAlert>>(
          *env_.store,
          [&](storage::Tables& t) { return t.alerts().Pending(now); });
  if (!pending.ok()) {
    if (env_.log) env_.log(absl::StrCat("error: ", pending.status().message()));
    return;
  }
  for (const auto& alert : *pending) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (stopping_) return;
    }
    // What the outbox could not record is logged; the alert stays pending
    // and is delivered again (the hook must accept a repeat).
    auto note = [&](const absl::Status& recorded) {
      if (!recorded.ok() && env_.log) {
        env_.log(absl::StrCat("error: cannot record delivery of ", alert.key,
                              ": ", recorded.message()));
      }
    };
    absl::Status s = RunHook(alert.payload);
    if (s.ok()) {
      const absl::Time at = absl::Now();
      note(env_.store->Write([&](storage::Tables& t) {
        return t.alerts().MarkDelivered(alert.key, at);
      }));
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
    const absl::Time next = absl::Now() + delay;
    note(env_.store->Write([&](storage::Tables& t) {
      return t.alerts().MarkFailed(alert.key, std::string(s.message()), next);
    }));
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

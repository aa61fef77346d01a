#include "storage/group_commit.h"

#include "absl/strings/str_cat.h"

namespace gongkai::storage {

absl::Status GroupCommit::Run(absl::FunctionRef<absl::Status()> work) {
  Job job(work);
  std::unique_lock<std::mutex> lock(mu_);
  queue_.push_back(&job);
  while (!job.done) {
    if (leading_) {
      job.wake.wait(lock);
      continue;
    }
    // Lead: take what is queued (our own job among it) and run it.
    leading_ = true;
    const size_t n = std::min(queue_.size(), kMaxBatch);
    std::vector<Job*> batch(queue_.begin(), queue_.begin() + n);
    queue_.erase(queue_.begin(), queue_.begin() + n);
    lock.unlock();
    RunBatch(batch);
    lock.lock();
    ++batches_;
    jobs_ += static_cast<int64_t>(batch.size());
    leading_ = false;
    for (Job* j : batch) {
      j->done = true;
      j->wake.notify_one();
    }
    // Whoever queued meanwhile leads the next batch.
    if (!queue_.empty()) queue_.front()->wake.notify_one();
  }
  return job.status;
}

void GroupCommit::RunBatch(const std::vector<Job*>& batch) {
  std::lock_guard<std::mutex> connection(*connection_mu_);
  auto fail_all = [&](const absl::Status& s) {
    for (Job* j : batch) j->status = s;
  };
  Transaction txn(db_);
  if (absl::Status s = txn.Begin(); !s.ok()) return fail_all(s);
  if (batch.size() == 1) {
    // Alone: no savepoint needed; the transaction is the job's.
    Job* j = batch.front();
    j->status = j->work();
    if (j->status.ok()) j->status = txn.Commit();
    return;
  }
  for (size_t i = 0; i < batch.size(); ++i) {
    Job* j = batch[i];
    absl::Status s = db_->Run("SAVEPOINT job");
    if (s.ok()) {
      j->status = j->work();
      if (!j->status.ok()) s = db_->Run("ROLLBACK TO job");
      if (s.ok()) s = db_->Run("RELEASE job");
    }
    if (!s.ok() || !db_->InTransaction()) {
      // SQLite ended the whole transaction (a full disk or an I/O error ends
      // it on its own): nothing of this batch is saved, so every job fails
      // with the cause.
      const absl::Status cause = j->status.ok() ? s : j->status;
      fail_all(cause);
      return;
    }
  }
  absl::Status committed = txn.Commit();
  if (!committed.ok()) {
    for (Job* j : batch) {
      if (j->status.ok()) j->status = committed;
    }
  }
}

int64_t GroupCommit::batches() const {
  std::lock_guard<std::mutex> lock(mu_);
  return batches_;
}

int64_t GroupCommit::jobs() const {
  std::lock_guard<std::mutex> lock(mu_);
  return jobs_;
}

}  // namespace gongkai::storage

#include "storage/group_commit.h"

#include <algorithm>
#include <exception>

#include "absl/strings/str_cat.h"

namespace gongkai::storage {
namespace {

// What a job threw, for the status of every job of its batch.
std::string Thrown() {
  try {
    throw;
  } catch (const std::exception& e) {
    return e.what();
  } catch (...) {
    return "an exception that is not a std::exception";
  }
}

}  // namespace

absl::Status GroupCommit::Run(absl::FunctionRef<absl::Status()> work) {
  Job job(work);
  absl::MutexLock lock(&mu_);
  queue_.push_back(&job);
  while (!job.done) {
    if (leading_) {
      job.wake.Wait(&mu_);
      continue;
    }
    // Lead: take what is queued (our own job among it) and run it.
    leading_ = true;
    const size_t n = std::min(queue_.size(), kMaxBatch);
    std::vector<Job*> batch(queue_.begin(), queue_.begin() + n);
    queue_.erase(queue_.begin(), queue_.begin() + n);
    mu_.Unlock();
    RunBatch(batch);  // never throws, so leadership always passes on
    mu_.Lock();
    ++batches_;
    jobs_ += static_cast<int64_t>(batch.size());
    leading_ = false;
    for (Job* j : batch) {
      j->done = true;
      j->wake.Signal();
    }
    // Whoever queued meanwhile leads the next batch.
    if (!queue_.empty()) queue_.front()->wake.Signal();
  }
  return job.status;
}

void GroupCommit::RunBatch(const std::vector<Job*>& batch) {
  absl::MutexLock connection(connection_mu_);
  try {
    RunBatchLocked(batch);
  } catch (...) {
    // The transaction (a local of RunBatchLocked) has been rolled back while
    // the exception unwound; nothing of this batch is kept.
    const absl::Status failed = absl::InternalError(
        absl::StrCat("a write failed unexpectedly (", Thrown(),
                     "); nothing of it, nor of the writes committed with it, "
                     "was saved"));
    for (Job* j : batch) j->status = failed;
  }
  if (after_batch_) after_batch_();
}

void GroupCommit::RunBatchLocked(const std::vector<Job*>& batch) {
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
  absl::MutexLock lock(&mu_);
  return batches_;
}

int64_t GroupCommit::jobs() const {
  absl::MutexLock lock(&mu_);
  return jobs_;
}

size_t GroupCommit::waiting() const {
  absl::MutexLock lock(&mu_);
  return queue_.size();
}

}  // namespace gongkai::storage

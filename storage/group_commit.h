// GroupCommit: runs the write transactions of concurrent callers together so
// that one fsync acknowledges many of them.
//
// A caller hands Run() a job: the body of its transaction. The first caller
// to find no batch in progress leads: it takes every job queued so far and
// runs them on the connection in one BEGIN IMMEDIATE ... COMMIT, each inside
// its own SAVEPOINT, so a job that fails is rolled back alone and the others
// still commit. Callers that arrive while a batch commits queue up and form
// the next batch. Run() returns only once its job's effects are durable (or
// have been rolled back), so an acknowledgement still means "on disk".
//
// A job that throws fails its whole batch with INTERNAL: the transaction is
// rolled back (the savepoints of the other jobs with it) and the next caller
// leads, so one faulty body cannot wedge every later write.
//
// Thread safety: Run() may be called from any number of threads. Jobs run
// one at a time, on the leader's thread, while `connection_mu` is held; a job
// must not take that mutex itself, nor call Run() (it would wait for its own
// batch). A job's effects outside the database must wait until Run() returns
// OK, because a failed COMMIT undoes the batch.
#ifndef GONGKAI_STORAGE_GROUP_COMMIT_H_
#define GONGKAI_STORAGE_GROUP_COMMIT_H_

#include <cstdint>
#include <deque>
#include <functional>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "storage/database.h"

namespace gongkai::storage {

class GroupCommit {
 public:
  // A batch never holds more jobs than this, to bound a caller's wait.
  static constexpr size_t kMaxBatch = 256;

  // `after_batch`, when given, runs on the leader's thread once each batch's
  // transaction has ended (committed or rolled back), with `connection_mu`
  // still held: the place to drop caches the batch may have made stale.
  GroupCommit(Database* db, absl::Mutex* connection_mu,
              std::function<void()> after_batch = nullptr)
      : db_(db),
        connection_mu_(connection_mu),
        after_batch_(std::move(after_batch)) {}
  GroupCommit(const GroupCommit&) = delete;
  GroupCommit& operator=(const GroupCommit&) = delete;

  // Runs `job` inside a transaction and returns its status, or the reason the
  // transaction could not be committed.
  absl::Status Run(absl::FunctionRef<absl::Status()> job)
      ABSL_LOCKS_EXCLUDED(mu_, *connection_mu_);

  // Batches committed so far and jobs they held (for benchmarks and tests).
  int64_t batches() const ABSL_LOCKS_EXCLUDED(mu_);
  int64_t jobs() const ABSL_LOCKS_EXCLUDED(mu_);
  // Jobs queued behind the batch in progress (for tests and monitoring).
  size_t waiting() const ABSL_LOCKS_EXCLUDED(mu_);

 private:
  struct Job {
    explicit Job(absl::FunctionRef<absl::Status()> w) : work(w) {}
    absl::FunctionRef<absl::Status()> work;
    absl::Status status;
    bool done = false;
    // Woken when the job is done or its thread should lead; one per job so
    // that a batch wakes only its own callers.
    absl::CondVar wake;
  };

  // Runs `batch` in one transaction; sets every job's status. Never throws.
  void RunBatch(const std::vector<Job*>& batch)
      ABSL_LOCKS_EXCLUDED(mu_, *connection_mu_);
  void RunBatchLocked(const std::vector<Job*>& batch)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(*connection_mu_);

  Database* const db_;
  absl::Mutex* const connection_mu_;
  const std::function<void()> after_batch_;

  mutable absl::Mutex mu_;
  std::deque<Job*> queue_ ABSL_GUARDED_BY(mu_);
  bool leading_ ABSL_GUARDED_BY(mu_) = false;  // a batch is running
  int64_t batches_ ABSL_GUARDED_BY(mu_) = 0;
  int64_t jobs_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace gongkai::storage

#endif  // GONGKAI_STORAGE_GROUP_COMMIT_H_

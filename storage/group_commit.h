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
// Thread safety: Run() may be called from any number of threads. Jobs run
// one at a time, on the leader's thread, while `connection_mu` is held; a job
// must not take that mutex itself, nor call Run() (it would wait for its own
// batch). A job's effects outside the database must
// wait until Run() returns OK, because a failed COMMIT undoes the batch.
#ifndef GONGKAI_STORAGE_GROUP_COMMIT_H_
#define GONGKAI_STORAGE_GROUP_COMMIT_H_

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "storage/database.h"

namespace gongkai::storage {

class GroupCommit {
 public:
  // A batch never holds more jobs than this, to bound a caller's wait.
  static constexpr size_t kMaxBatch = 256;

  GroupCommit(Database* db, std::mutex* connection_mu)
      : db_(db), connection_mu_(connection_mu) {}
  GroupCommit(const GroupCommit&) = delete;
  GroupCommit& operator=(const GroupCommit&) = delete;

  // Runs `job` inside a transaction and returns its status, or the reason the
  // transaction could not be committed.
  absl::Status Run(absl::FunctionRef<absl::Status()> job);

  // Batches committed so far and jobs they held (for benchmarks and tests).
  int64_t batches() const;
  int64_t jobs() const;

 private:
  struct Job {
    explicit Job(absl::FunctionRef<absl::Status()> w) : work(w) {}
    absl::FunctionRef<absl::Status()> work;
    absl::Status status;
    bool done = false;
    // Woken when the job is done or its thread should lead; one per job so
    // that a batch wakes only its own callers.
    std::condition_variable wake;
  };

  // Runs `batch` in one transaction; sets every job's status.
  void RunBatch(const std::vector<Job*>& batch);

  Database* const db_;
  std::mutex* const connection_mu_;

  mutable std::mutex mu_;
  std::deque<Job*> queue_;  // guarded by mu_
  bool leading_ = false;    // a batch is running; guarded by mu_
  int64_t batches_ = 0;     // guarded by mu_
  int64_t jobs_ = 0;        // guarded by mu_
};

}  // namespace gongkai::storage

#endif  // GONGKAI_STORAGE_GROUP_COMMIT_H_

// Checkpointer: copies committed pages from the write-ahead log into the
// database file on its own thread and its own connection, when nudged.
//
// SQLite checkpoints inside whichever commit takes the log past 1000 pages.
// For everyday writes that is cheap and is left as it is (measured: moving
// those checkpoints to a thread made concurrent creates slower on two
// cores). A bulk import writes tens of thousands of pages in one commit;
// its caller should not also wait for all of them to be copied, so the
// import turns the automatic checkpoint off for its commit and nudges this
// thread instead.
//
// Durability does not depend on it: a commit is durable once the log is
// synced. Checkpoints are PASSIVE, so they never block readers or writers.
//
// Thread safety: Nudge() from any thread; Start() and the destructor (which
// stops the thread) from one thread.
#ifndef GONGKAI_STORAGE_CHECKPOINTER_H_
#define GONGKAI_STORAGE_CHECKPOINTER_H_

#include <memory>
#include <string>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "storage/database.h"

namespace gongkai::storage {

class Checkpointer {
 public:
  // Opens a second connection to the database at `path` and starts the
  // thread.
  static absl::StatusOr<std::unique_ptr<Checkpointer>> Start(
      const std::string& path);
  // Checkpoint now (on the thread; returns at once).
  void Nudge() ABSL_LOCKS_EXCLUDED(mu_);
  Checkpointer(const Checkpointer&) = delete;
  Checkpointer& operator=(const Checkpointer&) = delete;
  ~Checkpointer();

 private:
  explicit Checkpointer(std::unique_ptr<Database> db) : db_(std::move(db)) {}
  void Loop() ABSL_LOCKS_EXCLUDED(mu_);
  bool Woken() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return stopping_ || nudged_;
  }

  // Used only by the thread (and the destructor, after joining it).
  std::unique_ptr<Database> db_;
  mutable absl::Mutex mu_;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  bool nudged_ ABSL_GUARDED_BY(mu_) = false;
  std::thread thread_;
};

}  // namespace gongkai::storage

#endif  // GONGKAI_STORAGE_CHECKPOINTER_H_

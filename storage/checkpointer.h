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

#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "absl/status/statusor.h"
#include "storage/database.h"

namespace gongkai::storage {

class Checkpointer {
 public:
  // Opens a second connection to the database at `path` and starts the
  // thread.
  static absl::StatusOr<std::unique_ptr<Checkpointer>> Start(
      const std::string& path);
  // Checkpoint now (on the thread; returns at once).
  void Nudge();
  Checkpointer(const Checkpointer&) = delete;
  Checkpointer& operator=(const Checkpointer&) = delete;
  ~Checkpointer();

 private:
  explicit Checkpointer(std::unique_ptr<Database> db) : db_(std::move(db)) {}
  void Loop();

  std::unique_ptr<Database> db_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;  // guarded by mu_
  bool nudged_ = false;    // guarded by mu_
  std::thread thread_;
};

}  // namespace gongkai::storage

#endif  // GONGKAI_STORAGE_CHECKPOINTER_H_

// Checkpointer: copies committed pages from the write-ahead log into the
// database file on its own thread and its own connection, so that no write
// waits for it. (Left to itself, SQLite checkpoints inside whichever commit
// takes the log past 1000 pages: that caller's reply waits for a thousand
// page writes and an fsync of the database file.)
//
// Durability does not depend on it: a commit is durable once the log is
// synced. Checkpoints are PASSIVE, so they never block readers or writers.
//
// Thread safety: Start() and the destructor (which stops the thread, after
// one last checkpoint) from one thread; the class has no other methods.
#ifndef GONGKAI_STORAGE_CHECKPOINTER_H_
#define GONGKAI_STORAGE_CHECKPOINTER_H_

#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "storage/database.h"

namespace gongkai::storage {

class Checkpointer {
 public:
  // Opens a second connection to the database at `path` and checkpoints
  // every `every`.
  static absl::StatusOr<std::unique_ptr<Checkpointer>> Start(
      const std::string& path, absl::Duration every = absl::Seconds(1));
  Checkpointer(const Checkpointer&) = delete;
  Checkpointer& operator=(const Checkpointer&) = delete;
  ~Checkpointer();

 private:
  Checkpointer(std::unique_ptr<Database> db, absl::Duration every)
      : db_(std::move(db)), every_(every) {}
  void Loop();

  std::unique_ptr<Database> db_;
  const absl::Duration every_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;  // guarded by mu_
  std::thread thread_;
};

}  // namespace gongkai::storage

#endif  // GONGKAI_STORAGE_CHECKPOINTER_H_

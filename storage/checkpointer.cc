#include "storage/checkpointer.h"

#include "common/status_macros.h"

namespace gongkai::storage {

absl::StatusOr<std::unique_ptr<Checkpointer>> Checkpointer::Start(
    const std::string& path) {
  OpenOptions options;
  options.must_exist = true;
  options.check_integrity = false;  // the main connection checked it
  ASSIGN_OR_RETURN(std::unique_ptr<Database> db, Database::Open(path, options));
  std::unique_ptr<Checkpointer> c(new Checkpointer(std::move(db)));
  c->thread_ = std::thread([p = c.get()] { p->Loop(); });
  return c;
}

Checkpointer::~Checkpointer() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void Checkpointer::Nudge() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    nudged_ = true;
  }
  cv_.notify_all();
}

void Checkpointer::Loop() {
  std::unique_lock<std::mutex> lock(mu_);
  while (true) {
    cv_.wait(lock, [&] { return stopping_ || nudged_; });
    // At stop, closing the last connection checkpoints anyway.
    if (stopping_) return;
    nudged_ = false;
    lock.unlock();
    // Busy (a checkpoint already running) or any other failure: the log
    // stays as it is, safely, until the next nudge or SQLite's own
    // checkpoint.
    (void)db_->Execute("PRAGMA wal_checkpoint(PASSIVE)");
    lock.lock();
  }
}

}  // namespace gongkai::storage

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
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  if (thread_.joinable()) thread_.join();
}

void Checkpointer::Nudge() {
  absl::MutexLock lock(&mu_);
  nudged_ = true;
}

void Checkpointer::Loop() {
  absl::MutexLock lock(&mu_);
  while (true) {
    mu_.Await(absl::Condition(this, &Checkpointer::Woken));
    // At stop, closing the last connection checkpoints anyway.
    if (stopping_) return;
    nudged_ = false;
    mu_.Unlock();
    // Busy (a checkpoint already running) or any other failure: the log
    // stays as it is, safely, until the next nudge or SQLite's own
    // checkpoint.
    (void)db_->Execute("PRAGMA wal_checkpoint(PASSIVE)");
    mu_.Lock();
  }
}

}  // namespace gongkai::storage

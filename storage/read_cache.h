// ReadCache<T>: a value read from the database and kept in memory until a
// write that changes it calls Invalidate(). Used for what nearly every call
// consults (the users by token, the agencies, the published years), so those
// reads neither run SQL nor build the value again.
//
// Only values read from committed data may be kept: load it in a read
// transaction, never in a write transaction that may still roll back, and
// call Invalidate() after a write transaction that touched the rows has
// ended (committed or not), not before.
//
// Thread safety: all methods may be called from any thread. A load that
// raced with an invalidation is returned to its caller but not kept, so the
// cache never holds a value older than the last Invalidate().
#ifndef GONGKAI_STORAGE_READ_CACHE_H_
#define GONGKAI_STORAGE_READ_CACHE_H_

#include <cstdint>
#include <memory>

#include "absl/base/thread_annotations.h"
#include "absl/functional/function_ref.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"

namespace gongkai::storage {

template <typename T>
class ReadCache {
 public:
  // The cached value, or `load()` kept for next time. Shared, not copied:
  // it is consulted on every call. `load` runs without the cache's lock.
  absl::StatusOr<std::shared_ptr<const T>> Get(
      absl::FunctionRef<absl::StatusOr<T>()> load) ABSL_LOCKS_EXCLUDED(mu_) {
    uint64_t generation;
    {
      absl::MutexLock lock(&mu_);
      if (value_ != nullptr) return value_;
      generation = generation_;
    }
    absl::StatusOr<T> loaded = load();
    if (!loaded.ok()) return loaded.status();
    auto value = std::make_shared<const T>(*std::move(loaded));
    absl::MutexLock lock(&mu_);
    if (generation == generation_) value_ = value;
    return value;
  }

  // The cached value, or null; never loads.
  std::shared_ptr<const T> Peek() ABSL_LOCKS_EXCLUDED(mu_) {
    absl::MutexLock lock(&mu_);
    return value_;
  }

  // Call after a write to the underlying rows has ended (committed or not).
  void Invalidate() ABSL_LOCKS_EXCLUDED(mu_) {
    absl::MutexLock lock(&mu_);
    ++generation_;
    value_ = nullptr;
  }

 private:
  absl::Mutex mu_;
  std::shared_ptr<const T> value_ ABSL_GUARDED_BY(mu_);
  uint64_t generation_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace gongkai::storage

#endif  // GONGKAI_STORAGE_READ_CACHE_H_

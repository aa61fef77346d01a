// ReadCache<T>: a value read from the database and kept in memory until a
// write that changes it calls Invalidate(). Used for what nearly every call
// consults (the users by token, the agencies, the published years), so those
// reads neither touch SQLite nor wait behind a commit.
//
// Thread safety: all methods may be called from any thread. A load that
// raced with an invalidation is returned to its caller but not kept, so the
// cache never holds a value older than the last Invalidate().
#ifndef GONGKAI_STORAGE_READ_CACHE_H_
#define GONGKAI_STORAGE_READ_CACHE_H_

#include <cstdint>
#include <memory>
#include <mutex>

#include "absl/functional/function_ref.h"
#include "absl/status/statusor.h"

namespace gongkai::storage {

template <typename T>
class ReadCache {
 public:
  // The cached value, or `load()` kept for next time. Shared, not copied:
  // it is consulted on every call.
  absl::StatusOr<std::shared_ptr<const T>> Get(
      absl::FunctionRef<absl::StatusOr<T>()> load) {
    uint64_t generation;
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (value_ != nullptr) return value_;
      generation = generation_;
    }
    absl::StatusOr<T> loaded = load();
    if (!loaded.ok()) return loaded.status();
    auto value = std::make_shared<const T>(*std::move(loaded));
    std::lock_guard<std::mutex> lock(mu_);
    if (generation == generation_) value_ = value;
    return value;
  }

  // Call after a write to the underlying rows has ended (committed or not).
  void Invalidate() {
    std::lock_guard<std::mutex> lock(mu_);
    ++generation_;
    value_ = nullptr;
  }

 private:
  std::mutex mu_;
  std::shared_ptr<const T> value_;  // guarded by mu_
  uint64_t generation_ = 0;         // guarded by mu_
};

}  // namespace gongkai::storage

#endif  // GONGKAI_STORAGE_READ_CACHE_H_

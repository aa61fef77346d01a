// Early-return helpers for absl::Status, which Abseil 20220623 does not ship.
#ifndef GONGKAI_COMMON_STATUS_MACROS_H_
#define GONGKAI_COMMON_STATUS_MACROS_H_

#include "absl/status/status.h"
#include "absl/status/statusor.h"

#define GONGKAI_CONCAT_INNER_(a, b) a##b
#define GONGKAI_CONCAT_(a, b) GONGKAI_CONCAT_INNER_(a, b)

// Returns the status of `expr` from the calling function if it is not OK.
#define RETURN_IF_ERROR(expr)                          \
  do {                                                 \
    const ::absl::Status gongkai_status_ = (expr);     \
    if (!gongkai_status_.ok()) return gongkai_status_; \
  } while (0)

// ASSIGN_OR_RETURN(lhs, expr): evaluates the StatusOr `expr`; on error
// returns its status, otherwise moves its value into `lhs` (which may be a
// declaration such as `auto x`).
#define ASSIGN_OR_RETURN(lhs, expr)                                         \
  ASSIGN_OR_RETURN_IMPL_(GONGKAI_CONCAT_(gongkai_statusor_, __LINE__), lhs, \
                         expr)

#define ASSIGN_OR_RETURN_IMPL_(statusor, lhs, expr) \
  auto statusor = (expr);                           \
  if (!statusor.ok()) return statusor.status();     \
  lhs = std::move(statusor).value()

#endif  // GONGKAI_COMMON_STATUS_MACROS_H_

// PeriodLock: once a year's report is published its figures are frozen. A
// change to the records that would alter a published figure is refused
// (FAILED_PRECONDITION) unless the caller forces it with a reason, which is
// then recorded with the change.
//
// Built inside a write's transaction from the published years as they stand
// there, so a publication committed a moment earlier stops the change.
// Immutable once built.
#ifndef GONGKAI_APP_PERIOD_LOCK_H_
#define GONGKAI_APP_PERIOD_LOCK_H_

#include <optional>
#include <set>
#include <string>

#include "absl/status/statusor.h"
#include "app/caller.h"
#include "domain/case.h"
#include "domain/report.h"
#include "storage/store.h"

namespace gongkai::app {

class PeriodLock {
 public:
  // Reads the published years in `tables`. A non-empty `force_reason` (the
  // CLI's --force-reason) lifts the lock; PERMISSION_DENIED unless the
  // caller's role may force (the office head, an administrator).
  static absl::StatusOr<PeriodLock> Load(storage::Tables& tables,
                                         const Caller& caller,
                                         std::string force_reason);

  // Checks a case's contribution before (absent for a new case) and after,
  // against the published reports of its agency and of the whole government.
  absl::Status CheckCase(const std::optional<CaseFact>& before,
                         const std::optional<CaseFact>& after,
                         const std::string& agency) const;
  absl::Status CheckAppeal(const std::optional<AppealFact>& before,
                           const std::optional<AppealFact>& after,
                           const std::string& agency) const;
  // Table 2 figures of `year` for `agency`.
  absl::Status CheckYear(int year, const std::string& agency,
                         absl::string_view what) const;

  // Non-empty when the caller forced the change.
  const std::string& force_reason() const { return force_reason_; }

 private:
  absl::Status Refuse(int year, absl::string_view what) const;
  // Years that matter to `agency`: its own reports and the combined ones.
  std::set<int> YearsFor(const std::string& agency) const;
  std::set<std::pair<int, std::string>> published_;
  std::string force_reason_;
};

CaseFact FactOf(const CaseRecord& c);
AppealFact FactOf(const storage::AppealRecord& a);

}  // namespace gongkai::app

#endif  // GONGKAI_APP_PERIOD_LOCK_H_

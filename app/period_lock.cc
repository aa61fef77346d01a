#include "app/period_lock.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/lang.h"
#include "common/status_macros.h"

namespace gongkai::app {

absl::StatusOr<PeriodLock> PeriodLock::Load(storage::Tables& tables,
                                            const Caller& caller,
                                            std::string force_reason) {
  PeriodLock lock;
  ASSIGN_OR_RETURN(lock.published_, tables.reports().PublishedPeriods());
  lock.force_reason_ = std::move(force_reason);
  if (!lock.force_reason_.empty()) {
    const std::optional<Role>& role = caller.role;
    if (role.has_value() && !MayForce(*role)) {
      return LocalizedError(
          absl::StatusCode::kPermissionDenied,
          absl::StrCat("只有负责人或管理员才能修改已公布年度的记录（",
                       RoleCode(*role), " 不能使用 --force-reason）"),
          absl::StrCat("only the office head or an administrator may change "
                       "a published year's records (",
                       RoleCode(*role), " may not use --force-reason)"));
    }
  }
  return lock;
}

absl::Status PeriodLock::Refuse(int year, absl::string_view what) const {
  return LocalizedError(
      absl::StatusCode::kFailedPrecondition,
      absl::StrCat(year, " 年度报告已经公布，这一修改会改变其中的数字（", what,
                   "）；管理员可以用 --force-reason 注明理由强制修改"),
      absl::StrCat("the ", year,
                   " report is published and this change would alter its "
                   "figures (",
                   what,
                   "); an administrator may force it with "
                   "--force-reason TEXT"));
}

std::set<int> PeriodLock::YearsFor(const std::string& agency) const {
  std::set<int> years;
  for (const auto& [year, published_agency] : published_) {
    if (published_agency.empty() || published_agency == agency)
      years.insert(year);
  }
  return years;
}

absl::Status PeriodLock::CheckCase(const std::optional<CaseFact>& before,
                                   const std::optional<CaseFact>& after,
                                   const std::string& agency) const {
  if (!force_reason_.empty()) return absl::OkStatus();
  for (int year : YearsFor(agency)) {
    std::vector<std::string> a =
        before ? CaseCells(year, *before) : std::vector<std::string>{};
    std::vector<std::string> b =
        after ? CaseCells(year, *after) : std::vector<std::string>{};
    if (a != b) {
      return Refuse(year, absl::StrCat("table 3: ", absl::StrJoin(a, " "),
                                       " -> ", absl::StrJoin(b, " ")));
    }
  }
  return absl::OkStatus();
}

absl::Status PeriodLock::CheckAppeal(const std::optional<AppealFact>& before,
                                     const std::optional<AppealFact>& after,
                                     const std::string& agency) const {
  if (!force_reason_.empty()) return absl::OkStatus();
  for (int year : YearsFor(agency)) {
    std::vector<std::string> a =
        before ? AppealCells(year, *before) : std::vector<std::string>{};
    std::vector<std::string> b =
        after ? AppealCells(year, *after) : std::vector<std::string>{};
    if (a != b) return Refuse(year, "table 4");
  }
  return absl::OkStatus();
}

absl::Status PeriodLock::CheckYear(int year, const std::string& agency,
                                   absl::string_view what) const {
  if (!force_reason_.empty() || YearsFor(agency).count(year) == 0) {
    return absl::OkStatus();
  }
  return Refuse(year, what);
}

CaseFact FactOf(const CaseRecord& c) {
  CaseFact f;
  f.received_on = c.received_on;
  if (c.state == CaseState::kClosed) {
    f.closed_on = c.answered_on;
    f.outcome = c.outcome;
  }
  f.applicant_type = c.applicant_type;
  return f;
}

AppealFact FactOf(const storage::AppealRecord& a) {
  return AppealFact{a.kind, a.filed_on, a.decided_on, a.result};
}

}  // namespace gongkai::app

// The statutory clocks of a case (domain.md sections 3 and 4).
//
// ComputeClocks() is the one function that computes a case's deadlines. It is
// pure: the same case facts and calendar always give the same dates, and it
// records its arithmetic in plain words so staff can check it. Deadlines are
// always derived from the recorded facts, never typed in.
#ifndef GONGKAI_SERVER_DOMAIN_CLOCKS_H_
#define GONGKAI_SERVER_DOMAIN_CLOCKS_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "server/domain/calendar.h"

namespace gongkai {

// The 2019 Regulations apply to applications received from this day on;
// earlier ones keep the 2008 regulation's 15-day reply period.
inline constexpr absl::CivilDay kRegulations2019Effective{2019, 5, 15};
// The 2008 Regulations took effect on this day; no case can be older.
inline constexpr absl::CivilDay kRegulations2008Effective{2008, 5, 1};

inline constexpr int kReplyPeriodDays = 20;        // Art. 33
inline constexpr int kLegacyReplyPeriodDays = 15;  // 2008 regulation

// The facts of a case that its clocks depend on.
struct ClockFacts {
  absl::CivilDay received_on;
  std::optional<absl::CivilDay> closed_on;
};

// One clock of a case.
struct Clock {
  std::string kind;  // "reply"
  absl::CivilDay due_on;
  std::string state;  // "running", "met" (closed on time), "missed"
};

struct ClockReport {
  int reply_period_days = 0;  // 20, or 15 for legacy cases
  absl::CivilDay reply_due;
  std::vector<Clock> clocks;
  // The arithmetic in plain words, one step per line.
  std::vector<std::string> explanation;
};

// Reply period in working days for an application received on `received_on`.
int ReplyPeriodDays(absl::CivilDay received_on);

// Computes every clock of the case. Fails (FAILED_PRECONDITION) when the
// calendar does not cover a day the counting needs.
absl::StatusOr<ClockReport> ComputeClocks(const ClockFacts& facts,
                                          const WorkCalendar& calendar);

}  // namespace gongkai

#endif  // GONGKAI_SERVER_DOMAIN_CLOCKS_H_

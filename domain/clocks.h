// The statutory clocks of a case (domain.md sections 3 and 4).
//
// ComputeClocks() is the one function that computes a case's deadlines: the
// reply deadline and every other clock (correction notice, the applicant's
// correction period, each consultation, fee payment). It is pure: the same
// recorded events, calendar and options always give the same dates, and it
// writes its arithmetic in plain words so staff can check it. Deadlines are
// derived from the recorded events, never typed in.
//
// The rules (domain.md sections 3 and 4; docs/conventions.md):
// - The receipt day is not counted; "N working days after D" is the N-th
//   working day after D (Civil Code Art. 201).
// - A reply period runs from its start (the receipt, or the corrected
//   application) for 20 working days (15 before 2019-05-15), plus the
//   working days not counted, plus its extensions.
// - Not counted: the days a consultation letter is out (Arts. 32, 34), from
//   the day after it is sent through the reply, or the lapse of the party's
//   15 working days counted from the day the party received it; and, with
//   fee pausing on, the days from the fee notice to payment, never past the
//   payment period. Several pauses count each day once: the days not counted
//   are the union of their periods.
// - A correction notice (Art. 30) stops the reply period; the corrected
//   application starts a new one. What was counted on the old period (its
//   pauses, its extensions) ends with it; the new period may be extended.
// - A step is late when it is taken after the reply deadline as it stood
//   that day (not while the period is paused or stopped). A late step is
//   kept on the record but moves no deadline: a late correction notice
//   restarts nothing, a late consultation or fee notice pauses nothing, a
//   late extension adds nothing.
// - One Art. 33 extension per reply period; an Art. 35 period is its own
//   step and does not use it up.
// - The office's 7 working days to ask for a correction (none before
//   2019-05-15) end as soon as the application is recorded complete or a
//   step shows it was understood (consultation, fee notice, extension,
//   answer).
#ifndef GONGKAI_DOMAIN_CLOCKS_H_
#define GONGKAI_DOMAIN_CLOCKS_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "common/lang.h"
#include "domain/calendar.h"
#include "domain/case.h"

namespace gongkai {

// The 2019 Regulations apply to applications received from this day on;
// earlier ones keep the 2008 regulation's 15-day periods.
inline constexpr absl::CivilDay kRegulations2019Effective{2019, 5, 15};
// The 2008 Regulations took effect on this day; no case can be older.
inline constexpr absl::CivilDay kRegulations2008Effective{2008, 5, 1};

inline constexpr int kReplyPeriodDays = 20;        // Art. 33
inline constexpr int kLegacyReplyPeriodDays = 15;  // 2008 regulation Art. 24
inline constexpr int kCorrectionNoticeDays = 7;    // Art. 30
inline constexpr int kDefaultCorrectionPeriodDays = 10;
inline constexpr int kConsultationReplyDays = 15;  // Arts. 32 and 34
inline constexpr int kFeePaymentDays = 20;         // fee measures

struct ClockOptions {
  // Whether the days from a fee notice to payment are left out of the reply
  // period (domain.md "Convention: fees"; the measures do not say outright).
  bool fee_pauses_reply = true;
  // Whether to explain the arithmetic in words, day by day (costly; for
  // `case deadline`). Without it the explanation is left empty.
  bool explain = true;
  // The language of the texts made for a reader: explanation lines, clock
  // labels, the pause reason and late steps' `why`. Kinds and states stay
  // stable codes in either.
  Lang lang = Lang::kZh;
};

// Clock kinds.
inline constexpr char kClockReply[] = "reply";
inline constexpr char kClockCorrectionNotice[] = "correction_notice";
inline constexpr char kClockCorrectionPeriod[] = "correction_period";
inline constexpr char kClockConsultation[] = "consultation";
inline constexpr char kClockFeePayment[] = "fee_payment";

// Clock states.
inline constexpr char kRunning[] = "running";  // counting, not yet due
inline constexpr char kPaused[] = "paused";    // reply clock while paused
inline constexpr char kMet[] = "met";          // done in time
inline constexpr char kMissed[] = "missed";    // done, but after the due day
inline constexpr char kExpired[] = "expired";  // due day passed, not done
inline constexpr char kEnded[] = "ended";      // no longer relevant

// A clock kind's name ("答复期限" / "reply to the applicant") and a clock
// state's ("已逾期" / "expired") for a reader of `lang`.
std::string ClockKindLabel(absl::string_view kind, Lang lang);
std::string ClockStateLabel(absl::string_view state, Lang lang);

struct Clock {
  std::string kind;
  std::string id;                        // consultation id; empty otherwise
  std::string label;                     // e.g. the consulted party
  std::optional<absl::CivilDay> due_on;  // unset while paused
  std::string state;
};

struct ConsultationInfo {
  std::string id;
  std::string party;
  std::string kind;  // third_party | agency
  absl::CivilDay sent_on;
  // The day the party received the letter; the sent day when not recorded.
  absl::CivilDay received_on;
  bool receipt_recorded = false;
  absl::CivilDay lapses_on;  // received_on + 15 working days
  std::optional<absl::CivilDay> replied_on;
  bool open = false;  // neither replied nor lapsed as of the evaluation date
  // Sent after the reply deadline had passed: it pauses nothing.
  bool late = false;
  // Working days of its own period (sent, end]; days shared with another
  // pause are counted once in ClockReport::pause_days.
  int pause_days = 0;
};

// A step recorded after the moment the law allowed it, kept on the record
// without the effect it would have had in time.
struct LateStep {
  std::string kind;  // the event kind
  absl::CivilDay on;
  absl::CivilDay deadline;  // the reply deadline it came after
  int64_t seq = 0;          // the event's sequence number
  std::string why;          // what the law says and what was done instead
};

struct ClockReport {
  absl::CivilDay received_on;
  absl::CivilDay reply_start;  // receipt, or the corrected application
  int reply_period_days = 0;   // 20, or 15 for legacy cases
  int pause_days = 0;          // working days not counted (union of the pauses)
  int extension_days = 0;      // Art. 33, this reply period
  int unreasonable_period_days = 0;  // Art. 35, this reply period
  bool paused = false;
  std::string pause_reason;
  std::optional<absl::CivilDay> reply_due;  // unset while paused
  std::optional<absl::CivilDay> closed_on;
  // The reply period is stopped by a correction notice in time, awaiting
  // the corrected application.
  bool stopped_for_correction = false;
  // A correction notice is out (in time or late) and no corrected
  // application has arrived.
  bool awaiting_correction = false;
  bool correction_requested = false;
  bool corrected = false;
  // Recorded complete (受理/审查完毕): no correction is needed.
  std::optional<absl::CivilDay> complete_on;
  std::optional<absl::CivilDay> correction_due;  // applicant's period
  bool fee_open = false;                         // notice sent, not paid
  bool fee_notified = false;
  std::optional<absl::CivilDay> fee_due;
  bool extended = false;                 // an Art. 33 extension this period
  bool unreasonable_period_set = false;  // an Art. 35 period this period
  std::vector<ConsultationInfo> consultations;
  std::vector<LateStep> late_steps;
  std::vector<Clock> clocks;
  // The arithmetic in plain words, one step per line.
  std::vector<std::string> explanation;
  // ComputeClocks gives this same report for every day from the one asked
  // for through this one (kNoChangeAhead: for every later day), as long as
  // the events and the calendar stay the same.
  absl::CivilDay holds_through;
};

inline constexpr absl::CivilDay kNoChangeAhead(9999, 12, 31);

// Reply period in working days for an application received on `received_on`.
int ReplyPeriodDays(absl::CivilDay received_on);
// The most an extension may add (Art. 33; 15 for legacy cases).
int MaxExtensionDays(absl::CivilDay received_on);
// Whether the office's 7-working-day correction notice clock applies (the
// 2008 regulation set no such limit).
bool HasCorrectionNoticeClock(absl::CivilDay received_on);

// Computes every clock of the case from its events as they stood on `as_of`
// (events dated later are ignored). Fails (FAILED_PRECONDITION) when the
// calendar does not cover a day the counting needs.
absl::StatusOr<ClockReport> ComputeClocks(const std::vector<CaseEvent>& events,
                                          const WorkCalendar& calendar,
                                          const ClockOptions& options,
                                          absl::CivilDay as_of);

}  // namespace gongkai

#endif  // GONGKAI_DOMAIN_CLOCKS_H_

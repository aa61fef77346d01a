// The lifecycle of a case: every action the law allows between receipt and
// answer, as pure transitions. Each checks the action against the case and
// its recorded events (FAILED_PRECONDITION for an illegal sequence,
// INVALID_ARGUMENT for bad input), then updates the record and returns the
// audit event to store with it. On error the record is left untouched.
//
// A step taken after the moment the law allows it (a correction notice or a
// consultation after the reply deadline, a payment after its period) is
// refused with the article, unless the action carries a late reason: then
// it is recorded with the reason and the clocks give it no effect.
//
// A Lifecycle holds only references and values; it is cheap to build per
// call and safe to use from one thread at a time.
#ifndef GONGKAI_DOMAIN_LIFECYCLE_H_
#define GONGKAI_DOMAIN_LIFECYCLE_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "domain/amendment.h"
#include "domain/calendar.h"
#include "domain/case.h"
#include "domain/clocks.h"

namespace gongkai {

struct AnswerInput {
  absl::CivilDay answered_on;
  Outcome outcome = Outcome::kDisclosed;
  std::string note;
};

struct ExtensionInput {
  absl::CivilDay date;  // approved and notified to the applicant
  int days = 0;
  bool unreasonable_volume = false;  // Art. 35 instead of Art. 33
  std::string approved_by;
  std::string reason;
};

struct ConsultationInput {
  absl::CivilDay date;  // the letter was sent
  std::string party;
  bool agency = false;  // another agency (Art. 34) instead of a third party
  // The day the party received the letter, when staff know it; the party's
  // 15 working days count from it (Arts. 32, 34).
  std::optional<absl::CivilDay> received_on;
};

class Lifecycle {
 public:
  Lifecycle(const ActionContext& action, const WorkCalendar& calendar,
            const ClockOptions& options)
      : action_(action), calendar_(calendar), options_(options) {}

  using Events = std::vector<CaseEvent>;

  absl::StatusOr<CaseEvent> Answer(CaseRecord& c, const Events& events,
                                   const AnswerInput& input) const;
  absl::StatusOr<CaseEvent> Withdraw(CaseRecord& c, const Events& events,
                                     absl::CivilDay date,
                                     const std::string& reason) const;
  // period_days: the applicant's correction period in working days (1-60).
  absl::StatusOr<CaseEvent> RequestCorrection(CaseRecord& c,
                                              const Events& events,
                                              absl::CivilDay date,
                                              int period_days) const;
  absl::StatusOr<CaseEvent> RecordCorrection(CaseRecord& c,
                                             const Events& events,
                                             absl::CivilDay date) const;
  absl::StatusOr<CaseEvent> StartConsultation(
      CaseRecord& c, const Events& events,
      const ConsultationInput& input) const;
  // `id` may be empty when exactly one consultation is open.
  absl::StatusOr<CaseEvent> RecordConsultationReply(
      CaseRecord& c, const Events& events, absl::CivilDay date,
      const std::string& id) const;
  // The party received consultation `id` (empty: the only one awaiting a
  // reply) on `date`.
  absl::StatusOr<CaseEvent> RecordConsultationReceipt(
      CaseRecord& c, const Events& events, absl::CivilDay date,
      const std::string& id) const;
  // The application is complete (受理/审查完毕): no correction is needed.
  absl::StatusOr<CaseEvent> MarkComplete(CaseRecord& c, const Events& events,
                                         absl::CivilDay date,
                                         const std::string& note) const;
  absl::StatusOr<CaseEvent> Extend(CaseRecord& c, const Events& events,
                                   const ExtensionInput& input) const;
  absl::StatusOr<CaseEvent> SendFeeNotice(CaseRecord& c, const Events& events,
                                          absl::CivilDay date,
                                          int64_t amount_fen) const;
  absl::StatusOr<CaseEvent> RecordFeePayment(CaseRecord& c,
                                             const Events& events,
                                             absl::CivilDay date) const;

  // Corrects intake fields (更正) of an open or closed case; defined in
  // amendment.cc. Each given field is validated as at creation. A new
  // receipt date may not be in the future nor after any recorded step. A
  // field equal to its current value is no change; INVALID_ARGUMENT when
  // nothing changes at all.
  absl::StatusOr<CaseEvent> Amend(CaseRecord& c, const Events& events,
                                  const AmendInput& input) const;
  // Opens a closed (answered or withdrawn) case again: its outcome and
  // answer date are cleared and the close is set aside; it returns to the
  // state its other steps give (open, or awaiting a correction or a fee),
  // to be answered again. Defined in amendment.cc.
  absl::StatusOr<CaseEvent> Reopen(CaseRecord& c, const Events& events,
                                   const std::string& reason) const;

 private:
  absl::Status CheckOpen(const CaseRecord& c, absl::string_view action) const;
  absl::Status CheckDate(const CaseRecord& c, absl::CivilDay date,
                         absl::string_view what) const;
  absl::StatusOr<ClockReport> ClocksOn(const Events& events,
                                       absl::CivilDay date) const;
  // The deadline `step` would come after if it were recorded now, or none
  // when it is in time. ComputeClocks decides, so a step is refused exactly
  // when the clocks would give it no effect.
  absl::StatusOr<std::optional<absl::CivilDay>> LateAfter(
      const Events& events, const CaseEvent& step) const;
  CaseEvent NewEvent(absl::string_view kind, absl::CivilDay date) const;
  // For a step the law no longer allows on its date: refuses with `why`
  // unless the action carries a late reason, which the event then records.
  absl::Status AllowLate(absl::string_view why_zh, absl::string_view why_en,
                         CaseEvent& event) const;
  // AllowLate for a step that is late when it comes after the reply
  // deadline (LateAfter); `why_late` follows "the reply deadline D passed
  // before D2" in the refusal.
  absl::Status AllowIfInTime(const Events& events, CaseEvent& step,
                             absl::string_view why_zh,
                             absl::string_view why_en) const;
  void Apply(CaseRecord& c, CaseState state) const;

  ActionContext action_;
  const WorkCalendar& calendar_;
  ClockOptions options_;
};

}  // namespace gongkai

#endif  // GONGKAI_DOMAIN_LIFECYCLE_H_

// CaseService: the use cases of a request's life — logging it, finding it,
// moving it through the states the law defines, assigning it, explaining its
// deadline.
//
// Every method takes the caller explicitly. Every write runs its checks —
// the caller's account as it stands, the role, the case's agency, the
// period lock of published years, the lifecycle rule — inside the write's
// own transaction, against the rows as they are there, and returns the case
// as committed with all its events (nothing is read back after the commit,
// so a committed write is never reported as failed). A refused request
// changes nothing.
//
//   CaseService cases(env);
//   absl::StatusOr<CaseView> v =
//       cases.Withdraw(caller, "2026-0001", {absl::CivilDay(2026, 12, 1), ""});
//
// Thread safety: a CaseService may be used from any number of threads.
#ifndef GONGKAI_APP_CASE_SERVICE_H_
#define GONGKAI_APP_CASE_SERVICE_H_

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "app/caller.h"
#include "app/environment.h"
#include "domain/case.h"
#include "domain/clocks.h"
#include "domain/lifecycle.h"
#include "storage/store.h"

namespace gongkai::app {

// A case as committed (or read), with every event and its clocks as of
// today. `clocks` is an error when the deadline cannot be computed (e.g. the
// calendar does not cover it yet): the case is still shown, with the reason.
struct CaseView {
  CaseRecord record;
  std::vector<CaseEvent> events;
  absl::StatusOr<ClockReport> clocks = absl::UnknownError("not computed");
  // Working days left to the reply deadline (negative: overdue); set for
  // open cases whose deadline is known.
  std::optional<int> working_days_left;
};

struct CaseListing {
  std::vector<CaseView> cases;
  bool more = false;
  int64_t total = 0;
  bool total_is_lower_bound = false;  // more than `total` cases match
};

// Options every changing use case accepts.
struct WriteOptions {
  // Non-empty: change a published year's records anyway (office head or
  // administrator only); recorded with the change.
  std::string force_reason;
  // Non-empty: record a step the law no longer allows at its date (a late
  // letter that was sent anyway). It is kept with this reason and moves no
  // deadline (domain/lifecycle.h).
  std::string late_reason;
};

class CaseService {
 public:
  explicit CaseService(const Environment& env) : env_(env) {}

  // Logs a new application ("CreateCase"). The agency is resolved for the
  // caller (app/access.h).
  absl::StatusOr<CaseView> Create(const Caller& caller, NewCase input,
                                  const WriteOptions& options = {});

  // The case with its events. With `reveal`, identity numbers and contacts
  // may be shown unmasked: only to roles that may, and the reveal is itself
  // recorded on the audit trail in the same transaction.
  absl::StatusOr<CaseView> Get(const Caller& caller, absl::string_view case_no,
                               bool reveal = false);

  // A page of the cases the caller may see; `query.agencies` is narrowed to
  // the caller's. Events are included (clocks need them).
  absl::StatusOr<CaseListing> List(const Caller& caller,
                                   storage::CaseQuery query);

  // The day-by-day account of the case's deadlines.
  absl::StatusOr<CaseView> ExplainDeadline(const Caller& caller,
                                           absl::string_view case_no);

  // Lifecycle steps; each names the permission-matrix action it performs.
  absl::StatusOr<CaseView> Answer(const Caller& caller,
                                  absl::string_view case_no,
                                  const AnswerInput& input,
                                  const WriteOptions& options = {});
  absl::StatusOr<CaseView> Withdraw(const Caller& caller,
                                    absl::string_view case_no,
                                    absl::CivilDay date,
                                    const std::string& reason,
                                    const WriteOptions& options = {});
  absl::StatusOr<CaseView> RequestCorrection(const Caller& caller,
                                             absl::string_view case_no,
                                             absl::CivilDay date,
                                             int period_days,
                                             const WriteOptions& options = {});
  absl::StatusOr<CaseView> RecordCorrection(const Caller& caller,
                                            absl::string_view case_no,
                                            absl::CivilDay date,
                                            const WriteOptions& options = {});
  absl::StatusOr<CaseView> StartConsultation(const Caller& caller,
                                             absl::string_view case_no,
                                             const ConsultationInput& input,
                                             const WriteOptions& options = {});
  absl::StatusOr<CaseView> RecordConsultationReply(
      const Caller& caller, absl::string_view case_no, absl::CivilDay date,
      const std::string& consultation_id, const WriteOptions& options = {});
  absl::StatusOr<CaseView> RecordConsultationReceipt(
      const Caller& caller, absl::string_view case_no, absl::CivilDay date,
      const std::string& consultation_id, const WriteOptions& options = {});
  // Records the application complete (受理/审查完毕): the correction notice
  // clock ends.
  absl::StatusOr<CaseView> MarkComplete(const Caller& caller,
                                        absl::string_view case_no,
                                        absl::CivilDay date,
                                        const std::string& note,
                                        const WriteOptions& options = {});
  // Both are recorded: the approver as named in `input.approved_by`, and the
  // caller who entered it (the event's actor).
  absl::StatusOr<CaseView> Extend(const Caller& caller,
                                  absl::string_view case_no,
                                  ExtensionInput input,
                                  const WriteOptions& options = {});
  absl::StatusOr<CaseView> SendFeeNotice(const Caller& caller,
                                         absl::string_view case_no,
                                         absl::CivilDay date,
                                         int64_t amount_fen,
                                         const WriteOptions& options = {});
  absl::StatusOr<CaseView> RecordFeePayment(const Caller& caller,
                                            absl::string_view case_no,
                                            absl::CivilDay date,
                                            const WriteOptions& options = {});
  // Corrects intake fields of a case ("AmendCase", 更正): the amended
  // event keeps every changed field's value before and after and the
  // reason; deadlines and report counts follow the corrected facts.
  absl::StatusOr<CaseView> Amend(const Caller& caller,
                                 absl::string_view case_no,
                                 const AmendInput& input,
                                 const WriteOptions& options = {});
  // Opens a closed case again to be answered again ("ReopenCase").
  absl::StatusOr<CaseView> Reopen(const Caller& caller,
                                  absl::string_view case_no,
                                  const std::string& reason,
                                  const WriteOptions& options = {});
  // Makes `assignee` (a handler or head of an active account; "" to clear)
  // responsible for the case.
  absl::StatusOr<CaseView> Assign(const Caller& caller,
                                  absl::string_view case_no,
                                  const std::string& assignee,
                                  const WriteOptions& options = {});

 private:
  // A change to one case: applies a domain step to the loaded case and
  // returns its event. Runs inside the write transaction.
  using Step = std::function<absl::StatusOr<CaseEvent>(
      const Caller&, storage::Tables&, const Lifecycle&, CaseRecord&,
      const std::vector<CaseEvent>&)>;

  // The one path of every change to an existing case: confirm the caller,
  // load the case (NOT_FOUND for another agency's), apply `step`, check the
  // period lock against what the case contributed before and after, record
  // the states before and after, write — all in one transaction.
  absl::StatusOr<CaseView> Change(const Caller& caller,
                                  absl::string_view action,
                                  absl::string_view case_no,
                                  const WriteOptions& options,
                                  const Step& step);

  // Fills the clocks as of today, their texts in `lang`, and tells the
  // alert index.
  CaseView Complete(CaseRecord record, std::vector<CaseEvent> events,
                    Lang lang) const;
  void Announce(const CaseView& view) const;
  ActionContext Action(const Caller& caller,
                       const WriteOptions& options = {}) const;

  const Environment& env_;
};

}  // namespace gongkai::app

#endif  // GONGKAI_APP_CASE_SERVICE_H_

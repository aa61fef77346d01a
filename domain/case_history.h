// What a case's own event history says about it, so that a case row can be
// checked against the events that made it (gongkai admin check). The case
// row is a cache of its history: every field a transition sets is recorded
// in the event the lifecycle returns, and this file reads it back from
// there. It does not re-run the lifecycle's rules (those ran when the event
// was recorded); it reads their recorded results: the state an event led to
// ("state_after"), the outcome and date of an answer, the intake fields of
// the "received" event as later "amended" events changed them, the close a
// "reopened" event set aside, the assignee of an "assigned" event.
//
// Personal data and long text (contact, identity number, request) are
// recorded in the received event as salted SHA-256 digests, not in clear:
// the history is shown to every role that may see the case, and the
// identity number only to roles that may reveal it.
//
// Pure code; thread-compatible.
#ifndef GONGKAI_DOMAIN_CASE_HISTORY_H_
#define GONGKAI_DOMAIN_CASE_HISTORY_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "common/json.h"
#include "domain/case.h"
#include "domain/codes.h"

namespace gongkai {

// The details of the "received" event of `c`: channel, applicant type and
// applicant in clear, the agency, and digests of contact, identity number
// and request. Used for new cases and ledger imports alike.
Json ReceivedDetails(const CaseRecord& c);

// The digest of intake field `field` ("contact", "id_number", "request")
// with `value`, salted with the applicant and the receipt date.
std::string IntakeDigest(absl::string_view field, absl::string_view applicant,
                         absl::CivilDay received_on, absl::string_view value);

// The case as its events describe it. A field is empty (nullopt) when the
// history does not carry it: cases received before the received event
// recorded the intake fields.
struct CaseFromHistory {
  std::optional<CaseState> state;
  std::optional<absl::CivilDay> received_on;
  std::optional<absl::CivilDay> answered_on;
  std::optional<Outcome> outcome;
  std::optional<Channel> channel;
  std::optional<ApplicantType> applicant_type;
  std::optional<std::string> applicant;
  std::optional<std::string> agency;
  std::string assignee;  // "" until an "assigned" event
  // Digests of the intake fields as received (see IntakeDigest).
  std::optional<std::string> contact_digest;
  std::optional<std::string> id_number_digest;
  std::optional<std::string> request_digest;
  // What could not be read (no received event, an unknown code, ...).
  std::vector<std::string> problems;
};

CaseFromHistory ReplayHistory(const std::vector<CaseEvent>& events);

// One field whose stored value differs from its history.
struct FieldMismatch {
  std::string field;    // "outcome", "applicant", ...
  std::string row;      // the value in the case row
  std::string derived;  // the value its events give
};

// Every field of `row` that its `events` contradict, in a fixed order.
// Contact and identity number are shown masked (MaskSensitive), the request
// by its length. `unchecked`, when given, receives the fields the history
// does not carry for this case.
std::vector<FieldMismatch> CompareWithHistory(
    const CaseRecord& row, const std::vector<CaseEvent>& events,
    std::vector<std::string>* unchecked = nullptr);

}  // namespace gongkai

#endif  // GONGKAI_DOMAIN_CASE_HISTORY_H_

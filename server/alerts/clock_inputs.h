// Clock inputs: a case's events cut down to what ComputeClocks reads, packed
// into a few bytes, so that an index of every open case can recount a case's
// clocks when they stop holding without keeping its full history (actors,
// times, free-text details) in memory or reading it back from the database.
//
// What is kept, per event in the order given: the kind (as a small code),
// the effective day, and of the details only those the clocks read (a
// consultation's id, party, kind and receipt day; a correction period's
// length; an extension's kind and days). Amendments and reopenings are
// applied first (EffectiveHistory), so the events kept are the corrected
// facts. An event of a kind the clocks ignore is kept only when it is the
// earliest of all (it then stands before the receipt, and the clocks refuse
// the case). Left out: sequence numbers (each event decodes with its
// position), actors, times, late reasons, approvers.
//
// The contract, checked by clock_inputs_test.cc: for every day and calendar,
// ComputeClocks(DecodeClockInputs(EncodeClockInputs(events))) gives the same
// clocks, dates, states and consultations as ComputeClocks(events), with
// explain off. A change to what ComputeClocks reads must be made here too.
//
// Thread safety: pure functions.
#ifndef GONGKAI_SERVER_ALERTS_CLOCK_INPUTS_H_
#define GONGKAI_SERVER_ALERTS_CLOCK_INPUTS_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "domain/case.h"

namespace gongkai::alerts {

// The events, packed (typically five bytes for a case just received).
std::string EncodeClockInputs(const std::vector<CaseEvent>& events);

// The events back, as ComputeClocks sees them. INTERNAL when `packed` was not
// made by EncodeClockInputs.
absl::StatusOr<std::vector<CaseEvent>> DecodeClockInputs(
    absl::string_view packed);

}  // namespace gongkai::alerts

#endif  // GONGKAI_SERVER_ALERTS_CLOCK_INPUTS_H_

// Amendments (更正) and reopenings (重新办理): how a correction of what was
// recorded about a case is written into its history and read back out.
//
// Nothing in a case's history is ever deleted. A typo in the intake is
// corrected by an "amended" event that carries, for every changed field,
// its value before and after, and the reason. A closed case whose answer
// was recorded wrongly is reopened by a "reopened" event that names the
// closing event it sets aside; the case is then answered again.
//
// Both correct facts rather than add steps: the clocks read the case as if
// the corrected facts had always been so (EffectiveHistory), so an amended
// receipt date moves the reply deadline and a reopened case's old answer
// no longer ends its clocks.
//
// Before and after values of the contact and identity number are recorded
// masked (MaskSensitive), never in clear: the history is shown to every
// role that may see the case. Their digests (case_history.h) are recorded
// in clear, salted with the amended applicant and receipt date, so that
// `admin check` can compare the row with its history.
//
// Pure code; thread-compatible.
#ifndef GONGKAI_DOMAIN_AMENDMENT_H_
#define GONGKAI_DOMAIN_AMENDMENT_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "common/lang.h"
#include "domain/case.h"
#include "domain/codes.h"

namespace gongkai {

// What a clerk corrects; an unset field stays as it is.
struct AmendInput {
  std::optional<absl::CivilDay> received_on;
  std::optional<Channel> channel;
  std::optional<ApplicantType> applicant_type;
  std::optional<std::string> applicant;
  std::optional<std::string> request;
  std::optional<std::string> contact;
  std::optional<std::string> id_number;
  std::string reason;  // required
};

// The intake fields an amendment may change, in the order they are shown:
// "received_on", "channel", "applicant_type", "applicant", "request",
// "contact", "id_number".
const std::vector<absl::string_view>& AmendableFields();

// The field's name for a reader ("申请人类型" / "applicant type").
std::string AmendFieldName(absl::string_view field, Lang lang);

// How a recorded value of `field` (as in the event's "<field>_before" or
// "<field>_after") reads: codes become their labels, an empty value
// "（空）" / "(empty)".
std::string AmendValueText(absl::string_view field, absl::string_view value,
                           Lang lang);

// The value of `field` of `c` as an amended event records it: dates as
// YYYY-MM-DD, codes, the contact and identity number masked, the request
// cut to its first characters.
std::string RecordedValue(const CaseRecord& c, absl::string_view field);

// Reads one detail of an event ("" when absent).
using DetailLookup = absl::FunctionRef<std::string(absl::string_view)>;

// "更正 申请人类型：自然人 → 商业企业；原因：录入错误" from the details of
// an "amended" event.
std::string DescribeAmendment(DetailLookup detail, Lang lang);
// "重新办理（原办理结果：予以公开，2026-03-02）；原因：…" from the details
// of a "reopened" event.
std::string DescribeReopening(DetailLookup detail, Lang lang);

// True when `events` hold an amendment or a reopening.
bool HasCorrections(const std::vector<CaseEvent>& events);

// The events as the corrected facts give them: the "received" event dated
// on the receipt date as last amended; the closing events a reopening set
// aside, the "amended" and the "reopened" events themselves left out.
// Sequence numbers are kept.
std::vector<CaseEvent> EffectiveHistory(const std::vector<CaseEvent>& events);

// The seq of the closing event ("answered", "withdrawn") a "reopened"
// event sets aside: the one it names, else the last close before it.
std::optional<int64_t> ReopenedClose(const std::vector<CaseEvent>& events,
                                     const CaseEvent& reopened);

}  // namespace gongkai

#endif  // GONGKAI_DOMAIN_AMENDMENT_H_

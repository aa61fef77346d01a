// The fixed vocabularies of the domain (domain.md sections 2, 5, 6): channels,
// applicant types, outcomes and case states, each with its stable code and its
// exact Chinese label. Pure data; safe from any thread.
#ifndef GONGKAI_DOMAIN_CODES_H_
#define GONGKAI_DOMAIN_CODES_H_

#include <span>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace gongkai {

// Enumerator values match the gongkai.v1 proto enums; 0 is never valid.
enum class Channel { kInPerson = 1, kMail, kLetter, kOnline, kFax };

enum class ApplicantType {
  kNaturalPerson = 1,
  kCommercialEnterprise,
  kResearchInstitution,
  kPublicInterestOrg,
  kLegalServiceOrg,
  kOtherOrg,
};

// The 21 outcome rows of table 3, in table order.
enum class Outcome {
  kDisclosed = 1,
  kPartiallyDisclosed,
  kWithheldStateSecret,
  kWithheldProhibitedByLaw,
  kWithheldSecurityStability,
  kWithheldThirdPartyRights,
  kWithheldInternalAffairs,
  kWithheldProcessInfo,
  kWithheldEnforcementFile,
  kWithheldAdministrativeQuery,
  kUnavailableNotHeld,
  kUnavailableNeedsCreation,
  kUnavailableUnclearAfterCorrection,
  kRejectedPetition,
  kRejectedDuplicate,
  kRejectedPublication,
  kRejectedExcessive,
  kRejectedConfirmObtained,
  kOtherNoCorrection,
  kOtherFeeUnpaid,
  kOther,
};

// Values match gongkai.v1.CaseState. Every state but kClosed is open.
enum class CaseState {
  kOpen = 1,                // being processed
  kClosed = 2,              // answered or withdrawn
  kAwaitingCorrection = 3,  // correction notice sent (补正)
  kAwaitingFee = 4,         // fee notice sent, not yet paid
};

// One entry of a vocabulary.
template <typename E>
struct CodeInfo {
  E value;
  absl::string_view code;   // stable machine code, e.g. "natural_person"
  absl::string_view label;  // exact Chinese label, e.g. "自然人"
};

// Outcomes also carry their table 3 row: group heading and number.
struct OutcomeInfo {
  Outcome value;
  absl::string_view code;
  absl::string_view label;  // the exact row label of table 3
  absl::string_view row;    // e.g. "（三）1"
  absl::string_view group;  // e.g. "（三）不予公开"; empty for （一）（二）
};

// How the official form writes an outcome's row. A numbered item under a
// group heading is its number, a full stop and its label, with the heading in
// the column before it: "1.本机关不掌握相关政府信息" under "（四）无法提供". A
// row without a heading is its row number and label: "（一）予以公开".
std::string OutcomeItemLabel(const OutcomeInfo& o);
// The same row on one line, heading first, for lists and messages that have
// no column for the heading: "（四）无法提供 1.本机关不掌握相关政府信息",
// "（一）予以公开".
std::string OutcomeRowLabel(const OutcomeInfo& o);

std::span<const CodeInfo<Channel>> AllChannels();
std::span<const CodeInfo<ApplicantType>> AllApplicantTypes();
std::span<const OutcomeInfo> AllOutcomes();
std::span<const CodeInfo<CaseState>> AllCaseStates();

const CodeInfo<Channel>& Info(Channel c);
const CodeInfo<ApplicantType>& Info(ApplicantType t);
const OutcomeInfo& Info(Outcome o);
const CodeInfo<CaseState>& Info(CaseState s);

// Parse a code or the exact Chinese label (surrounding spaces ignored). The
// error (INVALID_ARGUMENT, in both languages) lists every valid code with its
// label.
absl::StatusOr<Channel> ParseChannel(absl::string_view text);
absl::StatusOr<CaseState> ParseCaseState(absl::string_view text);

// The one parser of outcome and applicant-type labels, for every form an
// office writes them: the stable code; the label with or without its row
// number ("（二）", "（四）1", "（四）1.", "(四)1、", "1."), with or without
// the group heading ("（四）无法提供 1.本机关不掌握相关政府信息", which is what
// `case answer --help` prints); the row number alone ("（二）", "（四）1");
// the short form without the parenthetical note ("部分公开") or a unique
// part of the label ("不掌握"). Full- and half-width brackets, digits and
// spaces are the same. A short form that fits several rows is refused with
// INVALID_ARGUMENT listing the candidates; one that fits none lists every
// valid code. Applicant types may carry their column heading
// ("法人或其他组织 商业企业").
absl::StatusOr<ApplicantType> ParseApplicantType(absl::string_view text);
absl::StatusOr<Outcome> ParseOutcome(absl::string_view text);

// Checked conversion from the numeric (proto) value; false when out of range.
bool ChannelFromInt(int v, Channel* out);
bool ApplicantTypeFromInt(int v, ApplicantType* out);
bool OutcomeFromInt(int v, Outcome* out);

}  // namespace gongkai

#endif  // GONGKAI_DOMAIN_CODES_H_

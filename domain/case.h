// A case (one application for government information) and the rules that
// move it through its lifecycle. Pure code: no storage, no RPC. Every
// transition validates its input against the case and returns the audit
// event to record; on error it leaves the case untouched.
#ifndef GONGKAI_DOMAIN_CASE_H_
#define GONGKAI_DOMAIN_CASE_H_

#include <cstdint>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "common/json.h"
#include "common/lang.h"
#include "domain/codes.h"

namespace gongkai {

// Field limits; over-long input is refused, never truncated.
inline constexpr int kMaxCaseNoChars = 64;
inline constexpr int kMaxNameChars = 200;
inline constexpr int kMaxContactChars = 500;
inline constexpr int kMaxIdNumberChars = 64;
inline constexpr size_t kMaxRequestBytes = 64 * 1024;
inline constexpr int kMaxNoteChars = 4000;

struct CaseRecord {
  int64_t id = 0;  // storage key; 0 until stored
  std::string case_no;
  CaseState state = CaseState::kOpen;
  Channel channel = Channel::kInPerson;
  ApplicantType applicant_type = ApplicantType::kNaturalPerson;
  std::string applicant;
  std::string contact;
  std::string id_number;
  std::string request;
  absl::CivilDay received_on;
  std::optional<absl::CivilDay> answered_on;
  std::optional<Outcome> outcome;
  std::string answer_note;
  std::string assignee;  // the responsible handler's user name, if any
  std::string agency;    // the department the case belongs to ('' = none)
  // The reply deadline as worked out at the last write (app/due_date.h):
  // what lets the store sort by deadline and find overdue cases in one
  // query. Unset when it cannot be worked out (awaiting a correction, or the
  // calendar does not reach it yet).
  std::optional<absl::CivilDay> due_on;
  // The query code (查询码) the applicant quotes to ask about the case;
  // assigned by storage when the case is stored (domain/documents.h).
  std::string query_code;
  int64_t version = 0;
  absl::Time created_at;
  absl::Time updated_at;
};

// One entry of a case's append-only audit trail.
struct CaseEvent {
  int64_t seq = 0;   // assigned by storage: 1, 2, ... per case
  std::string kind;  // "received", "answered"
  absl::CivilDay effective_on;
  absl::Time recorded_at;
  std::string actor;
  Json details = Json::MakeObject();
};

// What a clerk enters for a new application.
struct NewCase {
  std::string agency;
  std::string case_no;  // empty: storage assigns the next number of the year
  absl::CivilDay received_on;
  Channel channel = Channel::kInPerson;
  ApplicantType applicant_type = ApplicantType::kNaturalPerson;
  std::string applicant;
  std::string contact;
  std::string id_number;
  std::string request;
};

// Who acts and when: the clock of the caller, passed in so tests control it.
struct ActionContext {
  std::string actor;
  absl::Time now;
  absl::CivilDay today;  // in China Standard Time
  // Why a step the law no longer allows at this moment is recorded anyway
  // (late letters exist). Empty: such a step is refused. The step is kept
  // with the reason and moves no deadline.
  std::string late_reason;
};

// Validates one free-text field: UTF-8, present when `required`, within the
// limits (0: no limit), no control characters (newlines and tabs allowed
// when `multiline`). INVALID_ARGUMENT names the field.
absl::Status ValidateText(absl::string_view field, absl::string_view value,
                          bool required, int max_chars, size_t max_bytes,
                          bool multiline);
// The Chinese name of a field that ValidateText knows by its English name
// ("applicant name" -> "申请人姓名（名称）"); the name itself if unknown.
absl::string_view FieldNameZh(absl::string_view field);

// Money is kept in fen (1/100 yuan), never in floating point.
std::string FormatYuan(int64_t fen);
absl::StatusOr<int64_t> ParseYuan(absl::string_view text);

// Checks a user-chosen case number (INVALID_ARGUMENT with the reason).
absl::Status ValidateCaseNo(absl::string_view case_no);

// Validates `input` and builds the new case with its "received" event.
absl::StatusOr<CaseRecord> OpenCase(const NewCase& input,
                                    const ActionContext& ctx, CaseEvent* event);

// One line for an event, in the reader's language `lang`.
std::string DescribeEvent(const CaseEvent& event, Lang lang);

}  // namespace gongkai

#endif  // GONGKAI_DOMAIN_CASE_H_

// Conversions between the domain types and the gongkai.v1 messages. Input
// conversions validate and return INVALID_ARGUMENT naming the field.
#ifndef GONGKAI_CONVERT_PROTO_CONVERT_H_
#define GONGKAI_CONVERT_PROTO_CONVERT_H_

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "common/lang.h"
#include "domain/calendar.h"
#include "domain/case.h"
#include "domain/report.h"
#include "gongkai/v1/case_service.pb.h"
#include "gongkai/v1/report_service.pb.h"
#include "gongkai/v1/types.pb.h"

namespace gongkai {

void ToProto(absl::CivilDay day, v1::Date* out);

// `field` names the field in the error, e.g. "received_on".
absl::StatusOr<absl::CivilDay> FromProto(const v1::Date& date,
                                         absl::string_view field);
absl::StatusOr<Channel> FromProto(v1::Channel channel);
absl::StatusOr<ApplicantType> FromProto(v1::ApplicantType type);
absl::StatusOr<Outcome> FromProto(v1::Outcome outcome);
absl::StatusOr<CaseState> FromProto(v1::CaseState state);

v1::Channel ToProto(Channel c);
v1::ApplicantType ToProto(ApplicantType t);
v1::Outcome ToProto(Outcome o);
v1::CaseState ToProto(CaseState s);

// Appeals (table 4). An unspecified result is a pending appeal: FromProto
// returns NOT_FOUND for it, INVALID_ARGUMENT for a value out of range.
v1::AppealKind ToProto(AppealKind k);
v1::AppealResult ToProto(AppealResult r);
absl::StatusOr<AppealKind> FromProto(v1::AppealKind kind);
absl::StatusOr<AppealResult> FromProto(v1::AppealResult result);

// Fills the stored fields of a case (not its deadline or events).
void ToProto(const CaseRecord& record, v1::Case* out);
// The event's summary is written in `lang`; kind and details stay codes.
void ToProto(const CaseEvent& event, Lang lang, v1::CaseEvent* out);

// Accepts "cases/2023-0001" or "2023-0001".
absl::StatusOr<std::string> CaseNoFromName(absl::string_view name);

}  // namespace gongkai

#endif  // GONGKAI_CONVERT_PROTO_CONVERT_H_

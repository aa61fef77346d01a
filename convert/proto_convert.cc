#include "convert/proto_convert.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/strip.h"
#include "common/dates.h"
#include "common/lang.h"

namespace gongkai {

void ToProto(absl::CivilDay day, v1::Date* out) {
  out->set_year(static_cast<int32_t>(day.year()));
  out->set_month(day.month());
  out->set_day(day.day());
}

absl::StatusOr<absl::CivilDay> FromProto(const v1::Date& date,
                                         absl::string_view field) {
  if (date.year() == 0 && date.month() == 0 && date.day() == 0) {
    return LocalizedError(absl::StatusCode::kInvalidArgument,
                          absl::StrCat(field, " 为必填项"),
                          absl::StrCat(field, " is required"));
  }
  if (!IsValidDate(date.year(), date.month(), date.day())) {
    return LocalizedError(
        absl::StatusCode::kInvalidArgument,
        absl::StrFormat("%s %04d-%02d-%02d 不是真实存在的日期", field,
                        date.year(), date.month(), date.day()),
        absl::StrFormat("%s %04d-%02d-%02d is not a real calendar date", field,
                        date.year(), date.month(), date.day()));
  }
  return absl::CivilDay(date.year(), date.month(), date.day());
}

absl::StatusOr<Channel> FromProto(v1::Channel channel) {
  Channel c;
  if (!ChannelFromInt(channel, &c)) {
    return LocalizedError(
        absl::StatusCode::kInvalidArgument,
        "必须给出申请渠道：in_"
        "person（当面）、mail（邮寄）、letter（平常信函）、online（互联网）或 "
        "fax（传真）",
        "channel is required: one of in_person, mail, letter, online, fax");
  }
  return c;
}

absl::StatusOr<ApplicantType> FromProto(v1::ApplicantType type) {
  ApplicantType t;
  if (!ApplicantTypeFromInt(type, &t)) {
    return LocalizedError(
        absl::StatusCode::kInvalidArgument,
        "必须给出申请人类型：natural_person、commercial_enterprise、research_"
        "institution、public_interest_org、legal_service_org 或 other_org",
        "applicant type is required: one of natural_person, "
        "commercial_enterprise, research_institution, public_interest_org, "
        "legal_service_org, other_org");
  }
  return t;
}

absl::StatusOr<Outcome> FromProto(v1::Outcome outcome) {
  Outcome o;
  if (!OutcomeFromInt(outcome, &o)) {
    return LocalizedError(
        absl::StatusCode::kInvalidArgument,
        "必须给出办理结果：表三 21 个办理结果代码之一",
        "outcome is required: one of the 21 outcome codes of table 3");
  }
  return o;
}

absl::StatusOr<CaseState> FromProto(v1::CaseState state) {
  for (const CodeInfo<CaseState>& s : AllCaseStates()) {
    if (ToProto(s.value) == state) return s.value;
  }
  return LocalizedError(
      absl::StatusCode::kInvalidArgument,
      "必须给出案件状态：open、closed、awaiting_correction 或 awaiting_fee",
      "state is required: one of open, closed, awaiting_correction, "
      "awaiting_fee");
}

v1::Channel ToProto(Channel c) { return static_cast<v1::Channel>(c); }
v1::ApplicantType ToProto(ApplicantType t) {
  return static_cast<v1::ApplicantType>(t);
}
v1::Outcome ToProto(Outcome o) { return static_cast<v1::Outcome>(o); }
v1::CaseState ToProto(CaseState s) { return static_cast<v1::CaseState>(s); }

v1::AppealKind ToProto(AppealKind k) { return static_cast<v1::AppealKind>(k); }
v1::AppealResult ToProto(AppealResult r) {
  return static_cast<v1::AppealResult>(r);
}

absl::StatusOr<AppealKind> FromProto(v1::AppealKind kind) {
  for (AppealKind k :
       {AppealKind::kReconsideration, AppealKind::kLitigationDirect,
        AppealKind::kLitigationAfterReconsideration}) {
    if (ToProto(k) == kind) return k;
  }
  return LocalizedError(
      absl::StatusCode::kInvalidArgument,
      "必须给出复议诉讼类型：reconsideration、litigation_direct 或 "
      "litigation_after_reconsideration",
      "appeal kind is required: one of reconsideration, litigation_direct, "
      "litigation_after_reconsideration");
}

absl::StatusOr<AppealResult> FromProto(v1::AppealResult result) {
  if (result == v1::APPEAL_RESULT_UNSPECIFIED) {
    return LocalizedError(absl::StatusCode::kNotFound, "复议诉讼尚未结案",
                          "the appeal is not decided");
  }
  for (AppealResult r : {AppealResult::kUpheld, AppealResult::kCorrected,
                         AppealResult::kOther}) {
    if (ToProto(r) == result) return r;
  }
  return LocalizedError(
      absl::StatusCode::kInvalidArgument,
      "复议诉讼结果只能是 upheld（维持）、corrected（纠正）或 other（其他）",
      "appeal result must be one of upheld, corrected, other");
}

void ToProto(const CaseRecord& c, v1::Case* out) {
  out->set_name(absl::StrCat("cases/", c.case_no));
  out->set_case_no(c.case_no);
  out->set_state(ToProto(c.state));
  out->set_channel(ToProto(c.channel));
  out->set_applicant_type(ToProto(c.applicant_type));
  out->set_applicant(c.applicant);
  out->set_contact(c.contact);
  out->set_id_number(c.id_number);
  out->set_request(c.request);
  ToProto(c.received_on, out->mutable_received_on());
  if (c.answered_on.has_value()) {
    ToProto(*c.answered_on, out->mutable_answered_on());
  }
  if (c.outcome.has_value()) out->set_outcome(ToProto(*c.outcome));
  out->set_answer_note(c.answer_note);
  out->set_version(c.version);
  out->set_created_at(FormatTimestamp(c.created_at));
  out->set_updated_at(FormatTimestamp(c.updated_at));
}

void ToProto(const CaseEvent& e, Lang lang, v1::CaseEvent* out) {
  out->set_seq(e.seq);
  out->set_kind(e.kind);
  ToProto(e.effective_on, out->mutable_effective_on());
  out->set_recorded_at(FormatTimestamp(e.recorded_at));
  out->set_actor(e.actor);
  out->set_summary(DescribeEvent(e, lang));
  if (e.details.is_object()) {
    for (const auto& [key, value] : e.details.as_object()) {
      (*out->mutable_details())[key] =
          value.is_string() ? value.as_string() : value.Dump();
    }
  }
}

absl::StatusOr<std::string> CaseNoFromName(absl::string_view name) {
  absl::string_view no = name;
  absl::ConsumePrefix(&no, "cases/");
  if (no.empty()) {
    return LocalizedError(absl::StatusCode::kInvalidArgument,
                          "必须给出案件编号", "a case number is required");
  }
  if (absl::Status s = ValidateCaseNo(no); !s.ok()) return s;
  return std::string(no);
}

}  // namespace gongkai

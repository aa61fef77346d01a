#include "domain/codes.h"

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/lang.h"

namespace gongkai {
namespace {

constexpr CodeInfo<Channel> kChannels[] = {
    {Channel::kInPerson, "in_person", "当面"},
    {Channel::kMail, "mail", "邮寄"},
    {Channel::kLetter, "letter", "平常信函"},
    {Channel::kOnline, "online", "互联网"},
    {Channel::kFax, "fax", "传真"},
};

constexpr CodeInfo<ApplicantType> kApplicantTypes[] = {
    {ApplicantType::kNaturalPerson, "natural_person", "自然人"},
    {ApplicantType::kCommercialEnterprise, "commercial_enterprise", "商业企业"},
    {ApplicantType::kResearchInstitution, "research_institution", "科研机构"},
    {ApplicantType::kPublicInterestOrg, "public_interest_org", "社会公益组织"},
    {ApplicantType::kLegalServiceOrg, "legal_service_org", "法律服务机构"},
    {ApplicantType::kOtherOrg, "other_org", "其他"},
};

constexpr absl::string_view kWithheld = "（三）不予公开";
constexpr absl::string_view kUnavailable = "（四）无法提供";
constexpr absl::string_view kRejected = "（五）不予处理";
constexpr absl::string_view kOtherGroup = "（六）其他处理";

constexpr OutcomeInfo kOutcomes[] = {
    {Outcome::kDisclosed, "disclosed", "予以公开", "（一）", ""},
    {Outcome::kPartiallyDisclosed, "partially_disclosed",
     "部分公开（区分处理的，只计这一情形，不计其他情形）", "（二）", ""},
    {Outcome::kWithheldStateSecret, "withheld_state_secret", "属于国家秘密",
     "（三）1", kWithheld},
    {Outcome::kWithheldProhibitedByLaw, "withheld_prohibited_by_law",
     "其他法律行政法规禁止公开", "（三）2", kWithheld},
    {Outcome::kWithheldSecurityStability, "withheld_security_stability",
     "危及“三安全一稳定”", "（三）3", kWithheld},
    {Outcome::kWithheldThirdPartyRights, "withheld_third_party_rights",
     "保护第三方合法权益", "（三）4", kWithheld},
    {Outcome::kWithheldInternalAffairs, "withheld_internal_affairs",
     "属于三类内部事务信息", "（三）5", kWithheld},
    {Outcome::kWithheldProcessInfo, "withheld_process_info",
     "属于四类过程性信息", "（三）6", kWithheld},
    {Outcome::kWithheldEnforcementFile, "withheld_enforcement_file",
     "属于行政执法案卷", "（三）7", kWithheld},
    {Outcome::kWithheldAdministrativeQuery, "withheld_administrative_query",
     "属于行政查询事项", "（三）8", kWithheld},
    {Outcome::kUnavailableNotHeld, "unavailable_not_held",
     "本机关不掌握相关政府信息", "（四）1", kUnavailable},
    {Outcome::kUnavailableNeedsCreation, "unavailable_needs_creation",
     "没有现成信息需要另行制作", "（四）2", kUnavailable},
    {Outcome::kUnavailableUnclearAfterCorrection,
     "unavailable_unclear_after_correction", "补正后申请内容仍不明确",
     "（四）3", kUnavailable},
    {Outcome::kRejectedPetition, "rejected_petition", "信访举报投诉类申请",
     "（五）1", kRejected},
    {Outcome::kRejectedDuplicate, "rejected_duplicate", "重复申请", "（五）2",
     kRejected},
    {Outcome::kRejectedPublication, "rejected_publication",
     "要求提供公开出版物", "（五）3", kRejected},
    {Outcome::kRejectedExcessive, "rejected_excessive",
     "无正当理由大量反复申请", "（五）4", kRejected},
    {Outcome::kRejectedConfirmObtained, "rejected_confirm_obtained",
     "要求行政机关确认或重新出具已获取信息", "（五）5", kRejected},
    {Outcome::kOtherNoCorrection, "other_no_correction",
     "申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
     "（六）1", kOtherGroup},
    {Outcome::kOtherFeeUnpaid, "other_fee_unpaid",
     "申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
     "（六）2", kOtherGroup},
    {Outcome::kOther, "other", "其他", "（六）3", kOtherGroup},
};

constexpr CodeInfo<CaseState> kCaseStates[] = {
    {CaseState::kOpen, "open", "办理中"},
    {CaseState::kClosed, "closed", "已办结"},
    {CaseState::kAwaitingCorrection, "awaiting_correction", "待补正"},
    {CaseState::kAwaitingFee, "awaiting_fee", "待缴费"},
};

// The Chinese name of a vocabulary LookUp is given in English.
absl::string_view VocabularyZh(absl::string_view what) {
  if (what == "channel") return "申请渠道";
  if (what == "applicant type") return "申请人类型";
  if (what == "outcome") return "办理结果";
  if (what == "state") return "案件状态";
  return what;
}

template <typename Table>
auto LookUp(const Table& table, absl::string_view text, absl::string_view what)
    -> absl::StatusOr<decltype(table[0].value)> {
  absl::string_view t = absl::StripAsciiWhitespace(text);
  for (const auto& info : table) {
    if (t == info.code || t == info.label) return info.value;
  }
  std::string valid, valid_zh;
  for (const auto& info : table) {
    absl::StrAppend(&valid, valid.empty() ? "" : ", ", info.code, " (",
                    info.label, ")");
    absl::StrAppend(&valid_zh, valid_zh.empty() ? "" : "；", info.label, "（",
                    info.code, "）");
  }
  return LocalizedError(
      absl::StatusCode::kInvalidArgument,
      absl::StrCat("未知的", VocabularyZh(what), "“", text, "”；可用的",
                   VocabularyZh(what), "：", valid_zh),
      absl::StrCat("unknown ", what, " '", text, "'; valid ", what,
                   "s: ", valid));
}

template <typename Table, typename E>
bool FromInt(const Table& table, int v, E* out) {
  for (const auto& info : table) {
    if (static_cast<int>(info.value) == v) {
      *out = info.value;
      return true;
    }
  }
  return false;
}

}  // namespace

std::span<const CodeInfo<Channel>> AllChannels() { return kChannels; }
std::span<const CodeInfo<ApplicantType>> AllApplicantTypes() {
  return kApplicantTypes;
}
std::span<const OutcomeInfo> AllOutcomes() { return kOutcomes; }
std::span<const CodeInfo<CaseState>> AllCaseStates() { return kCaseStates; }

// The tables are in enumerator order starting at 1, so the index is value-1.
const CodeInfo<Channel>& Info(Channel c) {
  return kChannels[static_cast<int>(c) - 1];
}
const CodeInfo<ApplicantType>& Info(ApplicantType t) {
  return kApplicantTypes[static_cast<int>(t) - 1];
}
const OutcomeInfo& Info(Outcome o) {
  return kOutcomes[static_cast<int>(o) - 1];
}
const CodeInfo<CaseState>& Info(CaseState s) {
  return kCaseStates[static_cast<int>(s) - 1];
}

absl::StatusOr<Channel> ParseChannel(absl::string_view text) {
  return LookUp(kChannels, text, "channel");
}
absl::StatusOr<ApplicantType> ParseApplicantType(absl::string_view text) {
  return LookUp(kApplicantTypes, text, "applicant type");
}
absl::StatusOr<Outcome> ParseOutcome(absl::string_view text) {
  return LookUp(kOutcomes, text, "outcome");
}
absl::StatusOr<CaseState> ParseCaseState(absl::string_view text) {
  return LookUp(kCaseStates, text, "state");
}

bool ChannelFromInt(int v, Channel* out) { return FromInt(kChannels, v, out); }
bool ApplicantTypeFromInt(int v, ApplicantType* out) {
  return FromInt(kApplicantTypes, v, out);
}
bool OutcomeFromInt(int v, Outcome* out) { return FromInt(kOutcomes, v, out); }

std::string OutcomeItemLabel(const OutcomeInfo& o) {
  if (o.group.empty()) return absl::StrCat(o.row, o.label);
  // "（三）1" -> "1": what follows the group's closing parenthesis.
  constexpr absl::string_view kClose = "）";
  absl::string_view number = o.row.substr(o.row.find(kClose) + kClose.size());
  return absl::StrCat(number, ".", o.label);
}

std::string OutcomeRowLabel(const OutcomeInfo& o) {
  if (o.group.empty()) return OutcomeItemLabel(o);
  return absl::StrCat(o.group, " ", OutcomeItemLabel(o));
}

}  // namespace gongkai

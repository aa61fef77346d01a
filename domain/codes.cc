#include "domain/codes.h"

#include <algorithm>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
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

// Text reduced to what tells labels apart: ASCII brackets and digits, no
// spaces, no trailing full stops.
std::string NormalizeLabel(absl::string_view text) {
  std::string s = absl::StrReplaceAll(
      text, {{"（", "("},
             {"）", ")"},
             {"〔", "("},
             {"〕", ")"},
             {"\xE3\x80\x80", ""},  // U+3000 ideographic space
             {"０", "0"},
             {"１", "1"},
             {"２", "2"},
             {"３", "3"},
             {"４", "4"},
             {"５", "5"},
             {"６", "6"},
             {"７", "7"},
             {"８", "8"},
             {"９", "9"},
             {"．", "."},
             {"。", "."},
             {"“", ""},
             {"”", ""},
             {"\"", ""}});
  s.erase(
      std::remove_if(s.begin(), s.end(),
                     [](unsigned char c) { return absl::ascii_isspace(c); }),
      s.end());
  return s;
}

// The label without its parenthetical note: "部分公开(区分处理的…)" ->
// "部分公开".
std::string ShortLabel(absl::string_view normalized) {
  const size_t open = normalized.find('(');
  if (open == 0 || open == absl::string_view::npos) {
    return std::string(normalized);
  }
  return std::string(normalized.substr(0, open));
}

// A row number read off the front of a label: "(四)1." -> group 四, item 1.
struct RowPrefix {
  std::string group;  // "四"; empty when none was written
  int item = 0;       // 1; 0 when none was written
};

// Consumes a leading item number with its separator: "1." "1、" "1)" "1".
// A number that runs straight into more digits is not taken apart.
bool ConsumeItemNumber(absl::string_view& s, int* item) {
  size_t n = 0;
  while (n < s.size() && absl::ascii_isdigit(s[n])) ++n;
  if (n == 0 || n > 2) return false;
  int value = 0;
  for (size_t i = 0; i < n; ++i) value = value * 10 + (s[i] - '0');
  s.remove_prefix(n);
  for (absl::string_view sep : {".", "、", ")", ":", "：", "-"}) {
    if (absl::StartsWith(s, sep)) {
      s.remove_prefix(sep.size());
      break;
    }
  }
  *item = value;
  return true;
}

// A group heading as written without its number, and the group it names.
struct Heading {
  absl::string_view text;   // "无法提供"
  absl::string_view group;  // "四"
};

// Splits "(四)无法提供1.本机关不掌握..." into its row and its label text.
RowPrefix SplitRow(absl::string_view& s, std::span<const Heading> headings) {
  RowPrefix row;
  if (absl::StartsWith(s, "(")) {
    const size_t close = s.find(')');
    if (close != absl::string_view::npos && close > 1 && close <= 7) {
      row.group = std::string(s.substr(1, close - 1));
      s.remove_prefix(close + 1);
    }
  }
  for (const Heading& h : headings) {
    if (absl::StartsWith(s, h.text)) {
      s.remove_prefix(h.text.size());
      // A heading that names another group than the number leaves the row
      // matching nothing, which is then refused.
      if (row.group.empty()) row.group = std::string(h.group);
      if (row.group != h.group) row.group = "?";
      break;
    }
  }
  ConsumeItemNumber(s, &row.item);
  return row;
}

// A candidate row for the label parser.
template <typename E>
struct LabelRow {
  E value;
  absl::string_view code;
  std::string shown;  // how the row is shown to the reader in a list
  std::string group;  // "四" or empty
  int item = 0;       // 1 or 0
  std::string label;  // normalized label
};

template <typename E>
std::string Candidates(const std::vector<const LabelRow<E>*>& rows) {
  std::string out;
  for (const LabelRow<E>* r : rows) {
    absl::StrAppend(&out, out.empty() ? "" : ", ", r->code, " (", r->shown,
                    ")");
  }
  return out;
}

template <typename E>
absl::StatusOr<E> MatchLabel(const std::vector<LabelRow<E>>& rows,
                             std::span<const Heading> headings,
                             absl::string_view text, absl::string_view what_zh,
                             absl::string_view what_en) {
  absl::string_view trimmed = absl::StripAsciiWhitespace(text);
  for (const auto& r : rows) {
    if (trimmed == r.code) return r.value;
  }
  const std::string normalized = NormalizeLabel(trimmed);
  absl::string_view rest = normalized;
  const RowPrefix row = SplitRow(rest, headings);
  while (absl::StartsWith(rest, ".") || absl::StartsWith(rest, "、")) {
    rest.remove_prefix(absl::StartsWith(rest, ".") ? 1 : 3);
  }
  std::vector<const LabelRow<E>*> in_row;
  for (const auto& r : rows) {
    if (!row.group.empty() && r.group != row.group) continue;
    if (row.item != 0 && r.item != row.item) continue;
    in_row.push_back(&r);
  }
  std::vector<const LabelRow<E>*> found;
  if (!rest.empty() && !normalized.empty()) {
    // Best first: the whole label, then the label without its note, then a
    // part of the label; the first kind that fits decides.
    for (int kind = 0; kind < 3 && found.empty(); ++kind) {
      for (const LabelRow<E>* r : in_row) {
        const bool fits =
            kind == 0   ? r->label == rest
            : kind == 1 ? ShortLabel(r->label) == rest
                        : rest.size() >= 6 && absl::StrContains(r->label, rest);
        if (fits) found.push_back(r);
      }
    }
  } else if (!normalized.empty() && (!row.group.empty() || row.item != 0)) {
    found = in_row;  // the row number or the heading alone
  }
  if (found.size() == 1) return found[0]->value;
  if (found.size() > 1) {
    const std::string list = Candidates(found);
    return LocalizedError(
        absl::StatusCode::kInvalidArgument,
        absl::StrCat(what_zh, "“", trimmed, "”不明确，可能是：", list,
                     "；请写出完整名称或代码"),
        absl::StrCat(what_en, " '", trimmed, "' is ambiguous; it could be: ",
                     list, "; write the full label or the code"));
  }
  std::string all;
  for (const auto& r : rows) {
    absl::StrAppend(&all, all.empty() ? "" : ", ", r.code, " (", r.shown, ")");
  }
  return LocalizedError(absl::StatusCode::kInvalidArgument,
                        absl::StrCat("未知的", what_zh, "“", trimmed,
                                     "”；可用的", what_zh, "：", all),
                        absl::StrCat("unknown ", what_en, " '", trimmed,
                                     "'; valid ", what_en, "s: ", all));
}

// The group headings without their numbers: "不予公开", "无法提供"...
constexpr Heading kOutcomeHeadings[] = {{"不予公开", "三"},
                                        {"无法提供", "四"},
                                        {"不予处理", "五"},
                                        {"其他处理", "六"}};
// The report's column heading over every applicant type but 自然人.
constexpr absl::string_view kOrgGroup = "法人或其他组织";
constexpr Heading kApplicantHeadings[] = {{kOrgGroup, kOrgGroup}};

const std::vector<LabelRow<Outcome>>& OutcomeRows() {
  static const auto* rows = [] {
    auto* v = new std::vector<LabelRow<Outcome>>;
    for (const OutcomeInfo& o : kOutcomes) {
      absl::string_view row_text;
      const std::string row = NormalizeLabel(o.row);
      row_text = row;
      RowPrefix p = SplitRow(row_text, {});
      v->push_back({o.value, o.code, OutcomeRowLabel(o), p.group, p.item,
                    NormalizeLabel(o.label)});
    }
    return v;
  }();
  return *rows;
}

const std::vector<LabelRow<ApplicantType>>& ApplicantTypeRows() {
  static const auto* rows = [] {
    auto* v = new std::vector<LabelRow<ApplicantType>>;
    for (const auto& t : kApplicantTypes) {
      const bool org = t.value != ApplicantType::kNaturalPerson;
      v->push_back({t.value, t.code, std::string(t.label),
                    org ? std::string(kOrgGroup) : "", 0,
                    NormalizeLabel(t.label)});
    }
    return v;
  }();
  return *rows;
}

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
  return MatchLabel(ApplicantTypeRows(), kApplicantHeadings, text, "申请人类型",
                    "applicant type");
}
absl::StatusOr<Outcome> ParseOutcome(absl::string_view text) {
  return MatchLabel(OutcomeRows(), kOutcomeHeadings, text, "办理结果",
                    "outcome");
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

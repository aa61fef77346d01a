#include "domain/documents.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "common/dates.h"

namespace gongkai {
namespace {

constexpr unsigned K(DocumentKind k) { return 1u << static_cast<int>(k); }
constexpr unsigned kEveryKind =
    K(DocumentKind::kReceipt) | K(DocumentKind::kCorrection) |
    K(DocumentKind::kExtension) | K(DocumentKind::kConsultation) |
    K(DocumentKind::kFee) | K(DocumentKind::kReasons) | K(DocumentKind::kReply);

constexpr DocumentKindInfo kKinds[] = {
    {DocumentKind::kReceipt, "receipt", "接收回执", "receipt"},
    {DocumentKind::kCorrection, "correction", "补正告知书",
     "correction notice"},
    {DocumentKind::kExtension, "extension", "延期答复告知书",
     "extension notice"},
    {DocumentKind::kConsultation, "consultation", "征求意见书",
     "consultation letter"},
    {DocumentKind::kFee, "fee", "收费通知书", "fee notice"},
    {DocumentKind::kReasons, "reasons", "说明理由告知书",
     "request for reasons"},
    {DocumentKind::kReply, "reply", "答复告知书", "reply"},
};

constexpr TemplateInfo kTemplates[] = {
    {"receipt", DocumentKind::kReceipt, "接收回执", "receipt"},
    {"correction", DocumentKind::kCorrection, "补正告知书",
     "correction notice"},
    {"extension", DocumentKind::kExtension, "延期答复告知书",
     "extension notice"},
    {"consultation_third_party", DocumentKind::kConsultation,
     "征求意见书（第三方）", "consultation letter (third party, Art. 32)"},
    {"consultation_agency", DocumentKind::kConsultation,
     "征求意见书（其他机关）", "consultation letter (other agency, Art. 34)"},
    {"fee", DocumentKind::kFee, "收费通知书", "fee notice"},
    {"reasons", DocumentKind::kReasons, "说明理由告知书",
     "request for reasons (Art. 35)"},
    {"reply_disclosed", DocumentKind::kReply, "答复告知书（予以公开）",
     "reply (disclosed)"},
    {"reply_partial", DocumentKind::kReply, "答复告知书（部分公开）",
     "reply (partly disclosed)"},
    {"reply_withheld", DocumentKind::kReply, "答复告知书（不予公开）",
     "reply (withheld)"},
    {"reply_unavailable", DocumentKind::kReply, "答复告知书（无法提供）",
     "reply (unavailable)"},
    {"reply_not_handled", DocumentKind::kReply, "答复告知书（不予处理）",
     "reply (not handled)"},
    {"reply_other", DocumentKind::kReply, "答复告知书（其他处理）",
     "reply (other)"},
};

constexpr unsigned kCorrectionOnly = K(DocumentKind::kCorrection);
constexpr unsigned kExtensionOnly = K(DocumentKind::kExtension);
constexpr unsigned kConsultationOnly = K(DocumentKind::kConsultation);
constexpr unsigned kFeeOnly = K(DocumentKind::kFee);
constexpr unsigned kReasonsOnly = K(DocumentKind::kReasons);
constexpr unsigned kReplyOnly = K(DocumentKind::kReply);

constexpr PlaceholderInfo kPlaceholders[] = {
    {"机关名称", "本机关的全称（文书设置）",
     "the agency's full name (document settings)", kEveryKind},
    {"机关地址", "本机关的地址（文书设置）",
     "the agency's address (document settings)", kEveryKind},
    {"机关联系方式", "本机关的联系方式（文书设置）",
     "the agency's contact (document settings)", kEveryKind},
    {"文号", "文书编号，如 驻公信〔2024〕3号",
     "the document number, e.g. 驻公信〔2024〕3号", kEveryKind},
    {"文书日期", "文书日期，如 二〇二四年三月六日",
     "the document's date, e.g. 二〇二四年三月六日", kEveryKind},
    {"申请人", "申请人姓名或名称", "the applicant", kEveryKind},
    {"编号", "案件编号，如 2024-0001", "the case number, e.g. 2024-0001",
     kEveryKind},
    {"收到日期", "收到申请的日期", "the day the application was received",
     kEveryKind},
    {"申请方式", "申请方式，如 当面", "how it was made, e.g. 当面", kEveryKind},
    {"申请内容", "申请公开的内容", "what was asked for", kEveryKind},
    {"答复期限", "答复期限（按文书日期计算；暂停时说明）",
     "the reply deadline as of the document's date (or why it is paused)",
     kEveryKind},
    {"查询码", "查询码，申请人查询办理进度时使用",
     "the query code the applicant quotes to ask about progress", kEveryKind},
    {"复议机关", "行政复议机关（文书设置）",
     "the reconsideration body (document settings)", kEveryKind},
    {"诉讼法院", "行政诉讼的人民法院（文书设置）",
     "the court for litigation (document settings)", kEveryKind},
    {"补正事项", "需要补正的内容", "what the applicant must correct",
     kCorrectionOnly},
    {"补正期限", "补正期限，如 10个工作日",
     "the correction period, e.g. 10个工作日", kCorrectionOnly},
    {"补正截止日期", "补正的截止日期", "the last day to correct",
     kCorrectionOnly},
    {"延期理由", "延期的理由", "why the deadline is extended", kExtensionOnly},
    {"延期天数", "延长的工作日数，如 20个工作日",
     "the working days added, e.g. 20个工作日", kExtensionOnly},
    {"延期后答复期限", "延期后的答复期限", "the extended reply deadline",
     kExtensionOnly},
    {"征求对象", "被征求意见的第三方或机关", "the party consulted",
     kConsultationOnly},
    {"征求截止日期", "提出意见的截止日期（15个工作日）",
     "the last day for the party's opinion (15 working days)",
     kConsultationOnly},
    {"收费方式", "按件计收或按量计收", "per piece or per page", kFeeOnly},
    {"收费金额", "收费金额，如 100.00元", "the amount, e.g. 100.00元",
     kFeeOnly},
    {"缴费截止日期", "缴费的截止日期（20个工作日）",
     "the last day to pay (20 working days)", kFeeOnly},
    {"收费依据", "收费的依据", "the basis of the fee", kFeeOnly},
    {"说明理由事项", "请申请人说明理由的事项",
     "what the applicant is asked to explain", kReasonsOnly},
    {"说明理由期限", "延长的答复期限（工作日）",
     "the longer period set (working days)", kReasonsOnly},
    {"办理结果", "办理结果（年报表三的类别）",
     "the outcome (its table 3 category)", kReplyOnly},
    {"答复日期", "答复日期", "the day of the answer", kReplyOnly},
    {"答复内容", "经办人填写的答复内容", "the handler's answer note",
     kReplyOnly},
    {"法律依据", "依办理结果引用的条例条款",
     "the articles the outcome rests on", kReplyOnly},
};

constexpr char kRegulation[] = "《中华人民共和国政府信息公开条例》";
constexpr char kFeeMeasures[] =
    "《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）";

absl::Status Refuse(absl::string_view zh, absl::string_view en) {
  return LocalizedError(absl::StatusCode::kFailedPrecondition, zh, en);
}

std::string Detail(const CaseEvent& e, absl::string_view key) {
  const Json* v = e.details.Find(key);
  if (v == nullptr || v->is_null()) return "";
  return v->is_string() ? v->as_string() : v->Dump();
}

int64_t DetailInt(const CaseEvent& e, absl::string_view key) {
  const Json* v = e.details.Find(key);
  return v != nullptr && v->is_int() ? v->as_int() : 0;
}

// The last event of `kind` whose details match `pred`.
template <typename Pred>
const CaseEvent* LastEvent(const std::vector<CaseEvent>& events,
                           absl::string_view kind, Pred pred) {
  const CaseEvent* found = nullptr;
  for (const CaseEvent& e : events) {
    if (e.kind == kind && pred(e)) found = &e;
  }
  return found;
}

std::string Digits(int64_t n) {
  static constexpr absl::string_view kDigit[] = {"〇", "一", "二", "三", "四",
                                                 "五", "六", "七", "八", "九"};
  std::string out;
  for (char c : absl::StrCat(n)) absl::StrAppend(&out, kDigit[c - '0']);
  return out;
}

// 1-31 as counted in Chinese: 六, 十, 十六, 二十, 三十一.
std::string Count(int n) {
  static constexpr absl::string_view kDigit[] = {"",   "一", "二", "三", "四",
                                                 "五", "六", "七", "八", "九"};
  if (n < 10) return std::string(kDigit[n]);
  return absl::StrCat(n >= 20 ? kDigit[n / 10] : "", "十", kDigit[n % 10]);
}

std::string WorkingDays(int64_t days) { return absl::StrCat(days, "个工作日"); }

std::string OptionalChineseDate(const std::optional<absl::CivilDay>& day,
                                absl::string_view when_unset) {
  return day.has_value() ? ChineseDate(*day) : std::string(when_unset);
}

// The outcome as a letter states it: the row label under its group.
std::string OutcomeText(Outcome o) {
  const OutcomeInfo& info = Info(o);
  if (o == Outcome::kPartiallyDisclosed) return "部分公开";
  if (info.group.empty()) return std::string(info.label);
  // "（三）不予公开" -> "不予公开"
  absl::string_view group = info.group;
  size_t close = group.find("）");
  if (close != absl::string_view::npos) group.remove_prefix(close + 3);
  return absl::StrCat(group, "（", info.label, "）");
}

}  // namespace

std::span<const DocumentKindInfo> AllDocumentKinds() { return kKinds; }

const DocumentKindInfo& Info(DocumentKind kind) {
  return kKinds[static_cast<int>(kind) - 1];
}

absl::StatusOr<DocumentKind> ParseDocumentKind(absl::string_view text) {
  absl::string_view t = absl::StripAsciiWhitespace(text);
  std::vector<std::string> valid;
  for (const DocumentKindInfo& k : kKinds) {
    if (t == k.code || t == k.zh) return k.kind;
    valid.push_back(absl::StrCat(k.code, " (", k.zh, ")"));
  }
  const std::string list = absl::StrJoin(valid, ", ");
  return LocalizedError(
      absl::StatusCode::kInvalidArgument,
      absl::StrCat("没有“", t, "”这种文书；可用：", list),
      absl::StrCat("no document kind '", t, "'; use one of: ", list));
}

std::span<const TemplateInfo> AllTemplates() { return kTemplates; }

const TemplateInfo* FindTemplate(absl::string_view name) {
  for (const TemplateInfo& t : kTemplates) {
    if (t.name == name) return &t;
  }
  return nullptr;
}

absl::string_view ReplyTemplateName(Outcome outcome) {
  switch (outcome) {
    case Outcome::kDisclosed:
      return "reply_disclosed";
    case Outcome::kPartiallyDisclosed:
      return "reply_partial";
    case Outcome::kWithheldStateSecret:
    case Outcome::kWithheldProhibitedByLaw:
    case Outcome::kWithheldSecurityStability:
    case Outcome::kWithheldThirdPartyRights:
    case Outcome::kWithheldInternalAffairs:
    case Outcome::kWithheldProcessInfo:
    case Outcome::kWithheldEnforcementFile:
    case Outcome::kWithheldAdministrativeQuery:
      return "reply_withheld";
    case Outcome::kUnavailableNotHeld:
    case Outcome::kUnavailableNeedsCreation:
    case Outcome::kUnavailableUnclearAfterCorrection:
      return "reply_unavailable";
    case Outcome::kRejectedPetition:
    case Outcome::kRejectedDuplicate:
    case Outcome::kRejectedPublication:
    case Outcome::kRejectedExcessive:
    case Outcome::kRejectedConfirmObtained:
      return "reply_not_handled";
    case Outcome::kOtherNoCorrection:
    case Outcome::kOtherFeeUnpaid:
    case Outcome::kOther:
      return "reply_other";
  }
  return "reply_other";
}

std::span<const PlaceholderInfo> PlaceholderCatalogue() {
  return kPlaceholders;
}

const PlaceholderInfo* FindPlaceholder(absl::string_view name) {
  for (const PlaceholderInfo& p : kPlaceholders) {
    if (p.name == name) return &p;
  }
  return nullptr;
}

bool PlaceholderFor(const PlaceholderInfo& p, DocumentKind kind) {
  return (p.kinds & K(kind)) != 0;
}

absl::Status CheckTemplatePlaceholders(absl::string_view name,
                                       const std::vector<std::string>& used) {
  const TemplateInfo* t = FindTemplate(name);
  if (t == nullptr) {
    std::vector<absl::string_view> names;
    for (const TemplateInfo& info : kTemplates) names.push_back(info.name);
    const std::string list = absl::StrJoin(names, ", ");
    return LocalizedError(
        absl::StatusCode::kInvalidArgument,
        absl::StrCat("没有名为“", name, "”的模板；模板名称为：", list),
        absl::StrCat("no template named '", name, "'; the names are: ", list));
  }
  for (const std::string& p : used) {
    const PlaceholderInfo* info = FindPlaceholder(p);
    if (info == nullptr) {
      return LocalizedError(
          absl::StatusCode::kInvalidArgument,
          absl::StrCat("模板 ", name, " 使用了未知的占位符 {{", p,
                       "}}；可用的占位符见 docs/documents.md"),
          absl::StrCat("template ", name, " uses the unknown placeholder {{", p,
                       "}}; docs/documents.md lists the placeholders"));
    }
    if (!PlaceholderFor(*info, t->kind)) {
      return LocalizedError(
          absl::StatusCode::kInvalidArgument,
          absl::StrCat("模板 ", name, " 使用了占位符 {{", p, "}}，但", t->zh,
                       "没有这一项"),
          absl::StrCat("template ", name, " uses the placeholder {{", p,
                       "}}, which a ", t->en, " does not have"));
    }
  }
  return absl::OkStatus();
}

absl::Status ValidateDocumentSettings(const DocumentSettings& s) {
  struct Field {
    absl::string_view zh, en;
    const std::string& value;
    int max_chars;
  };
  const Field fields[] = {
      {"机关全称", "full name", s.full_name, kMaxNameChars},
      {"地址", "address", s.address, kMaxContactChars},
      {"联系方式", "contact", s.contact, kMaxContactChars},
      {"复议机关", "reconsideration body", s.reconsideration_body,
       kMaxNameChars},
      {"诉讼法院", "court", s.court, kMaxNameChars},
      {"文号前缀", "number prefix", s.number_prefix, 20},
  };
  for (const Field& f : fields) {
    absl::Status st = ValidateText(f.en, f.value, false, f.max_chars, 0, false);
    if (!st.ok()) {
      return LocalizedError(absl::StatusCode::kInvalidArgument,
                            absl::StrCat(f.zh, "无效（须为一行文字，不超过 ",
                                         f.max_chars, " 个字）"),
                            std::string(st.message()));
    }
  }
  for (absl::string_view bad : {"〔", "〕", "号", "[", "]"}) {
    if (absl::StrContains(s.number_prefix, bad)) {
      return LocalizedError(
          absl::StatusCode::kInvalidArgument,
          absl::StrCat("文号前缀只写机关代字（如“驻公信”），不含“", bad,
                       "”：年份和序号由系统加上"),
          absl::StrCat("the number prefix is the agency's abbreviation only "
                       "(e.g. 驻公信), without '",
                       bad, "': the year and number are added"));
    }
  }
  return absl::OkStatus();
}

std::span<const SettingUse> SettingUses() {
  static const SettingUse kUses[] = {
      {"机关名称", "--full-name", &DocumentSettings::full_name},
      {"机关地址", "--address", &DocumentSettings::address},
      {"机关联系方式", "--contact", &DocumentSettings::contact},
      {"复议机关", "--reconsideration-body",
       &DocumentSettings::reconsideration_body},
      {"诉讼法院", "--court", &DocumentSettings::court},
      {"文号", "--prefix", &DocumentSettings::number_prefix},
  };
  return kUses;
}

std::string ChineseDate(absl::CivilDay day) {
  return absl::StrCat(Digits(day.year()), "年", Count(day.month()), "月",
                      Count(day.day()), "日");
}

std::string ChineseYuan(int64_t fen) {
  std::string sign = fen < 0 ? "-" : "";
  if (fen < 0) fen = -fen;
  return absl::StrCat(sign, fen / 100, ".", fen % 100 < 10 ? "0" : "",
                      fen % 100, "元");
}

std::string DocumentNumber(absl::string_view prefix, int year, int64_t n) {
  return absl::StrCat(prefix, "〔", year, "〕", n, "号");
}

std::string LegalBasis(Outcome outcome) {
  auto cite = [](absl::string_view articles) {
    return absl::StrCat(kRegulation, articles);
  };
  switch (outcome) {
    case Outcome::kDisclosed:
      return cite("第三十六条第（一）项、第（二）项");
    case Outcome::kPartiallyDisclosed:
      return cite("第三十七条");
    case Outcome::kWithheldStateSecret:
    case Outcome::kWithheldProhibitedByLaw:
    case Outcome::kWithheldSecurityStability:
      return cite("第三十六条第（三）项、第十四条");
    case Outcome::kWithheldThirdPartyRights:
      return cite("第三十六条第（三）项、第十五条");
    case Outcome::kWithheldInternalAffairs:
      return cite("第三十六条第（三）项、第十六条第一款");
    case Outcome::kWithheldProcessInfo:
    case Outcome::kWithheldEnforcementFile:
      return cite("第三十六条第（三）项、第十六条第二款");
    case Outcome::kWithheldAdministrativeQuery:
      return cite("第三十六条第（七）项");
    case Outcome::kUnavailableNotHeld:
      return cite("第三十六条第（四）项、第（五）项");
    case Outcome::kUnavailableNeedsCreation:
      return cite("第三十八条");
    case Outcome::kUnavailableUnclearAfterCorrection:
      return cite("第三十条");
    case Outcome::kRejectedPetition:
      return cite("第三十九条第一款");
    case Outcome::kRejectedDuplicate:
      return cite("第三十六条第（六）项");
    case Outcome::kRejectedPublication:
      return cite("第三十九条第二款");
    case Outcome::kRejectedExcessive:
      return cite("第三十五条");
    case Outcome::kRejectedConfirmObtained:
      return cite("第三十六条第（六）项、第三十八条");
    case Outcome::kOtherNoCorrection:
      return cite("第三十条");
    case Outcome::kOtherFeeUnpaid:
      return absl::StrCat(kRegulation, "第四十二条、", kFeeMeasures);
    case Outcome::kOther:
      return kRegulation;
  }
  return kRegulation;
}

std::string QueryCodeFromBytes(absl::string_view random) {
  const size_t n = kQueryCodeAlphabet.size();
  // The largest multiple of n below 256: bytes at or above it are skipped,
  // so every character is equally likely.
  const unsigned limit = 256 - 256 % n;
  std::string code;
  for (unsigned char b : random) {
    if (b >= limit) continue;
    code.push_back(kQueryCodeAlphabet[b % n]);
    if (code.size() == kQueryCodeLength) break;
  }
  return code;
}

std::string FormatQueryCode(absl::string_view code) {
  if (code.size() != kQueryCodeLength) return std::string(code);
  return absl::StrCat(code.substr(0, 4), "-", code.substr(4));
}

absl::StatusOr<std::string> NormalizeQueryCode(absl::string_view typed) {
  std::string code;
  for (char c : typed) {
    if (c == '-' || c == ' ') continue;
    code.push_back(absl::ascii_toupper(static_cast<unsigned char>(c)));
  }
  bool ok = code.size() == kQueryCodeLength;
  for (char c : code) {
    if (kQueryCodeAlphabet.find(c) == absl::string_view::npos) ok = false;
  }
  if (!ok) {
    return LocalizedError(
        absl::StatusCode::kInvalidArgument,
        absl::StrCat("“", typed, "”不是查询码：查询码为 8 位，如 ACDE-FG34"),
        absl::StrCat("'", typed,
                     "' is not a query code: a query code has 8 characters, "
                     "e.g. ACDE-FG34"));
  }
  return code;
}

absl::StatusOr<DocumentTarget> ResolveDocument(
    const CaseRecord& c, const std::vector<CaseEvent>& events,
    DocumentKind kind, absl::string_view consultation_id) {
  DocumentTarget t;
  t.kind = kind;
  auto any = [](const CaseEvent&) { return true; };
  auto extension_of = [](absl::string_view what) {
    return [what](const CaseEvent& e) {
      return (Detail(e, "kind") == "unreasonable_volume") ==
             (what == "unreasonable_volume");
    };
  };
  switch (kind) {
    case DocumentKind::kReceipt:
      t.template_name = "receipt";
      t.step = LastEvent(events, "received", any);
      if (t.step == nullptr) t.step_on = c.received_on;
      break;
    case DocumentKind::kCorrection:
      t.template_name = "correction";
      t.step = LastEvent(events, "correction_requested", any);
      if (t.step == nullptr) {
        return Refuse(
            absl::StrCat("案件 ", c.case_no,
                         " 没有发出补正告知的记录（《条例》第三十条），"
                         "无法出具补正告知书"),
            absl::StrCat("case ", c.case_no,
                         " has no correction notice on record "
                         "(Art. 30); there is no correction notice "
                         "to print"));
      }
      break;
    case DocumentKind::kExtension:
      t.template_name = "extension";
      t.step = LastEvent(events, "extended", extension_of("statutory"));
      if (t.step == nullptr) {
        return Refuse(
            absl::StrCat("案件 ", c.case_no,
                         " 没有延期答复的记录（《条例》第三十三条），无法出具"
                         "延期答复告知书"),
            absl::StrCat("case ", c.case_no,
                         " was never extended (Art. 33); there is no "
                         "extension notice to print"));
      }
      break;
    case DocumentKind::kReasons:
      t.template_name = "reasons";
      t.step =
          LastEvent(events, "extended", extension_of("unreasonable_volume"));
      if (t.step == nullptr) {
        return Refuse(
            absl::StrCat("案件 ", c.case_no,
                         " 没有要求说明理由的记录（《条例》第三十五条），"
                         "无法出具说明理由告知书"),
            absl::StrCat("case ", c.case_no,
                         " has no longer period for unreasonable volume on "
                         "record (Art. 35); there is no request for reasons "
                         "to print"));
      }
      break;
    case DocumentKind::kFee:
      t.template_name = "fee";
      t.step = LastEvent(events, "fee_notified", any);
      if (t.step == nullptr) {
        return Refuse(
            absl::StrCat("案件 ", c.case_no,
                         " 没有发出收费通知的记录（国办函〔2020〕109号），"
                         "无法出具收费通知书"),
            absl::StrCat("case ", c.case_no,
                         " has no fee notice on record (国办函〔2020〕109号); "
                         "there is no fee notice to print"));
      }
      break;
    case DocumentKind::kConsultation: {
      std::vector<const CaseEvent*> started;
      for (const CaseEvent& e : events) {
        if (e.kind == "consultation_started" &&
            (consultation_id.empty() || Detail(e, "id") == consultation_id)) {
          started.push_back(&e);
        }
      }
      if (started.empty()) {
        if (!consultation_id.empty()) {
          return Refuse(absl::StrCat("案件 ", c.case_no, " 没有征求意见 ",
                                     consultation_id),
                        absl::StrCat("case ", c.case_no,
                                     " has no consultation ", consultation_id));
        }
        return Refuse(
            absl::StrCat(
                "案件 ", c.case_no,
                " 没有征求意见的记录（《条例》第三十二条、第三十四条），"
                "无法出具征求意见书"),
            absl::StrCat("case ", c.case_no,
                         " has no consultation on record (Arts. 32, 34); "
                         "there is no consultation letter to print"));
      }
      if (started.size() > 1) {
        std::vector<std::string> ids;
        for (const CaseEvent* e : started) ids.push_back(Detail(*e, "id"));
        const std::string list = absl::StrJoin(ids, ", ");
        return LocalizedError(
            absl::StatusCode::kInvalidArgument,
            absl::StrCat("案件 ", c.case_no, " 有多次征求意见（", list,
                         "）；请用 --id 指明哪一次"),
            absl::StrCat("case ", c.case_no, " has several consultations (",
                         list, "); say which with --id"));
      }
      t.step = started.front();
      t.consultation_id = Detail(*t.step, "id");
      t.template_name = Detail(*t.step, "kind") == "agency"
                            ? "consultation_agency"
                            : "consultation_third_party";
      break;
    }
    case DocumentKind::kReply:
      if (c.state != CaseState::kClosed || !c.outcome.has_value() ||
          !c.answered_on.has_value()) {
        return Refuse(
            absl::StrCat(
                "案件 ", c.case_no,
                " 尚未办结，还没有可以告知的答复（《条例》第三十六条）；"
                "请先记录答复"),
            absl::StrCat("case ", c.case_no,
                         " is still open: there is no answer to tell yet "
                         "(Art. 36); record the answer first"));
      }
      t.template_name = std::string(ReplyTemplateName(*c.outcome));
      t.step = LastEvent(events, "answered", any);
      if (t.step == nullptr) t.step = LastEvent(events, "withdrawn", any);
      if (t.step == nullptr) t.step_on = *c.answered_on;
      break;
  }
  if (t.step != nullptr) t.step_on = t.step->effective_on;
  return t;
}

std::optional<SentDocument> FindSentDocument(
    const std::vector<CaseEvent>& events, const DocumentTarget& target) {
  std::optional<SentDocument> found;
  for (const CaseEvent& e : events) {
    if (e.kind != kDocumentEvent ||
        Detail(e, "kind") != Info(target.kind).code ||
        Detail(e, "consultation_id") != target.consultation_id) {
      continue;
    }
    absl::StatusOr<absl::CivilDay> date = ParseDate(Detail(e, "date"));
    if (!date.ok()) continue;
    SentDocument d;
    d.number = Detail(e, "number");
    d.date = *date;
    d.sha256 = Detail(e, "sha256");
    d.extras.correction_items = Detail(e, "correction_items");
    d.extras.fee_method = Detail(e, "fee_method");
    d.seq = e.seq;
    // The first one fixed the number and date; later ones (after a change
    // of facts) keep them, so the latest carries the latest extras.
    if (found.has_value()) {
      d.number = found->number;
      d.date = found->date;
    }
    found = std::move(d);
  }
  return found;
}

CaseEvent DocumentEventFor(const DocumentTarget& target,
                           absl::string_view number, absl::CivilDay date,
                           absl::string_view sha256,
                           const DocumentExtras& extras) {
  CaseEvent e;
  e.kind = kDocumentEvent;
  e.effective_on = date;
  e.details.Set("kind", std::string(Info(target.kind).code));
  e.details.Set("template", target.template_name);
  if (!target.consultation_id.empty()) {
    e.details.Set("consultation_id", target.consultation_id);
  }
  e.details.Set("number", std::string(number));
  e.details.Set("date", FormatDate(date));
  e.details.Set("sha256", std::string(sha256));
  if (!extras.correction_items.empty()) {
    e.details.Set("correction_items", extras.correction_items);
  }
  if (!extras.fee_method.empty()) {
    e.details.Set("fee_method", extras.fee_method);
  }
  return e;
}

absl::StatusOr<std::map<std::string, std::string>> DocumentValues(
    const DocumentTarget& target, const DocumentFacts& facts) {
  const CaseRecord& c = *facts.record;
  const ClockReport& clocks = *facts.clocks;
  const DocumentSettings& s = facts.settings;
  std::map<std::string, std::string> v;
  v["机关名称"] = s.full_name.empty() ? facts.agency_name : s.full_name;
  v["机关地址"] = s.address;
  v["机关联系方式"] = s.contact;
  v["文号"] = facts.number;
  v["文书日期"] = ChineseDate(facts.date);
  v["申请人"] = c.applicant;
  v["编号"] = c.case_no;
  v["收到日期"] = ChineseDate(c.received_on);
  v["申请方式"] = std::string(Info(c.channel).label);
  v["申请内容"] = c.request;
  if (clocks.reply_due.has_value()) {
    v["答复期限"] = ChineseDate(*clocks.reply_due);
  } else if (clocks.stopped_for_correction) {
    v["答复期限"] = "自收到补正后的申请之日起重新计算";
  } else {
    v["答复期限"] = "征求意见或缴费期间暂停计算，恢复后另行告知";
  }
  v["查询码"] = FormatQueryCode(c.query_code);
  v["复议机关"] = s.reconsideration_body;
  v["诉讼法院"] = s.court;

  const CaseEvent* step = target.step;
  switch (target.kind) {
    case DocumentKind::kReceipt:
      break;
    case DocumentKind::kCorrection: {
      std::string items = facts.extras.correction_items;
      if (items.empty() && step != nullptr) items = Detail(*step, "items");
      if (items.empty()) {
        return LocalizedError(
            absl::StatusCode::kInvalidArgument,
            "补正告知书须一次性写明需要补正的事项（《条例》第三十条）："
            "请用 --items 写明",
            "a correction notice must say once and completely what to "
            "correct (Art. 30): give it with --items");
      }
      v["补正事项"] = items;
      v["补正期限"] = WorkingDays(step ? DetailInt(*step, "period_days") : 0);
      v["补正截止日期"] =
          OptionalChineseDate(clocks.correction_due, "（未能计算）");
      break;
    }
    case DocumentKind::kExtension:
    case DocumentKind::kReasons: {
      const std::string reason = step ? Detail(*step, "reason") : "";
      const std::string days = WorkingDays(step ? DetailInt(*step, "days") : 0);
      if (target.kind == DocumentKind::kExtension) {
        v["延期理由"] = reason;
        v["延期天数"] = days;
        v["延期后答复期限"] = v["答复期限"];
      } else {
        v["说明理由事项"] = reason;
        v["说明理由期限"] = days;
      }
      break;
    }
    case DocumentKind::kConsultation: {
      v["征求对象"] = step ? Detail(*step, "party") : "";
      std::string due = "（未能计算）";
      for (const ConsultationInfo& ci : clocks.consultations) {
        if (ci.id == target.consultation_id) due = ChineseDate(ci.lapses_on);
      }
      v["征求截止日期"] = due;
      break;
    }
    case DocumentKind::kFee: {
      std::string method = facts.extras.fee_method;
      if (method.empty() && step != nullptr) method = Detail(*step, "method");
      if (method != "per_piece" && method != "per_page") {
        return LocalizedError(
            absl::StatusCode::kInvalidArgument,
            "收费通知书须写明收费方式：请用 --fee-method per_piece（按件计收）"
            "或 per_page（按量计收）",
            "a fee notice states the method: give --fee-method per_piece "
            "(按件计收) or per_page (按量计收)");
      }
      v["收费方式"] = method == "per_piece" ? "按件计收" : "按量计收";
      v["收费金额"] = ChineseYuan(step ? DetailInt(*step, "amount_fen") : 0);
      v["缴费截止日期"] = OptionalChineseDate(clocks.fee_due, "（未能计算）");
      v["收费依据"] =
          absl::StrCat(kRegulation, "第四十二条、", kFeeMeasures,
                       method == "per_piece" ? "（按件计收）" : "（按量计收）");
      break;
    }
    case DocumentKind::kReply: {
      const Outcome o = *c.outcome;
      v["办理结果"] = OutcomeText(o);
      v["答复日期"] = ChineseDate(*c.answered_on);
      v["答复内容"] = c.answer_note;
      v["法律依据"] = LegalBasis(o);
      break;
    }
  }
  return v;
}

std::string DocumentFileName(absl::string_view case_no, DocumentKind kind,
                             absl::string_view format) {
  return absl::StrCat(case_no, "-", Info(kind).zh, ".", format);
}

}  // namespace gongkai

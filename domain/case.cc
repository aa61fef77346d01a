#include "domain/case.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/dates.h"
#include "common/lang.h"
#include "common/text_width.h"
#include "domain/amendment.h"
#include "domain/case_history.h"
#include "domain/clocks.h"

namespace gongkai {
namespace {

int CountChars(absl::string_view s) {
  int n = 0;
  for (unsigned char c : s) {
    if ((c & 0xC0) != 0x80) ++n;
  }
  return n;
}

bool HasControlChars(absl::string_view s, bool allow_newlines) {
  for (unsigned char c : s) {
    if (c == 0x7F) return true;
    if (c < 0x20) {
      if (allow_newlines && (c == '\n' || c == '\r' || c == '\t')) continue;
      return true;
    }
  }
  return false;
}

}  // namespace

absl::string_view FieldNameZh(absl::string_view field) {
  // The closed vocabulary of field names that ValidateText's callers use;
  // kept here, beside the check, so that a new field is named in both
  // languages where it is added.
  static constexpr std::pair<absl::string_view, absl::string_view> kNames[] = {
      {"agency name", "机关名称"},
      {"applicant name", "申请人姓名（名称）"},
      {"approver", "批准人"},
      {"backup file name", "备份文件名"},
      {"calendar source name", "日历来源名称"},
      {"case number", "案件编号"},
      {"consultation id", "征求意见编号"},
      {"late reason", "逾期原因"},
      {"note", "备注"},
      {"party", "征求意见对象"},
      {"reason", "理由"},
      {"request text", "申请内容"},
      {"contact", "联系方式"},
      {"identity number", "身份证件号码"},
      {"the day's name", "日期名称"},
      {"text", "内容"},
      {"the force reason (--force-reason)", "强制修改理由（--force-reason）"},
      {"the ledger's source name", "台账来源名称"},
      {"the user name (gongkai-user header)", "用户名（gongkai-user 头）"},
      {"user name", "用户名"},
  };
  for (const auto& [en, zh] : kNames) {
    if (en == field) return zh;
  }
  return field;
}

// Validates one free-text field.
absl::Status ValidateText(absl::string_view field, absl::string_view value,
                          bool required, int max_chars, size_t max_bytes,
                          bool multiline) {
  if (!IsValidUtf8(value)) {
    return LocalizedError(
        absl::StatusCode::kInvalidArgument,
        absl::StrCat(FieldNameZh(field), "不是有效的 UTF-8 文本"),
        absl::StrCat(field, " is not valid UTF-8 text"));
  }
  if (required && absl::StripAsciiWhitespace(value).empty()) {
    return LocalizedError(absl::StatusCode::kInvalidArgument,
                          absl::StrCat(FieldNameZh(field), "为必填项"),
                          absl::StrCat(field, " is required"));
  }
  if (max_chars > 0 && CountChars(value) > max_chars) {
    return LocalizedError(
        absl::StatusCode::kInvalidArgument,
        absl::StrCat(FieldNameZh(field), "过长：", CountChars(value),
                     " 个字符，最多 ", max_chars, " 个"),
        absl::StrCat(field, " is too long: ", CountChars(value),
                     " characters, at most ", max_chars, " allowed"));
  }
  if (max_bytes > 0 && value.size() > max_bytes) {
    return LocalizedError(
        absl::StatusCode::kInvalidArgument,
        absl::StrCat(FieldNameZh(field), "过长：", value.size(), " 字节，最多 ",
                     max_bytes, " 字节（", max_bytes / 1024, " KiB）"),
        absl::StrCat(field, " is too long: ", value.size(), " bytes, at most ",
                     max_bytes, " (", max_bytes / 1024, " KiB) allowed"));
  }
  if (HasControlChars(value, multiline)) {
    return LocalizedError(absl::StatusCode::kInvalidArgument,
                          absl::StrCat(FieldNameZh(field), "含有控制字符"),
                          absl::StrCat(field, " contains control characters"));
  }
  return absl::OkStatus();
}

absl::Status ValidateCaseNo(absl::string_view case_no) {
  if (case_no.empty()) {
    return LocalizedError(absl::StatusCode::kInvalidArgument, "案件编号为空",
                          "case number is empty");
  }
  if (absl::Status s =
          ValidateText("case number", case_no, true, kMaxCaseNoChars, 0, false);
      !s.ok()) {
    return s;
  }
  for (char c : case_no) {
    if (c == ' ' || c == '/' || c == '\\' || c == '"' || c == '\'') {
      return LocalizedError(
          absl::StatusCode::kInvalidArgument,
          absl::StrCat("案件编号“", case_no,
                       "”不能含有空格、引号或斜杠；例如 2023-0001"),
          absl::StrCat(
              "case number '", case_no,
              "' may not contain spaces, quotes or slashes; e.g. 2023-0001"));
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<CaseRecord> OpenCase(const NewCase& input,
                                    const ActionContext& ctx,
                                    CaseEvent* event) {
  if (!input.case_no.empty()) {
    if (absl::Status s = ValidateCaseNo(input.case_no); !s.ok()) return s;
  }
  if (input.received_on > ctx.today) {
    return LocalizedError(
        absl::StatusCode::kInvalidArgument,
        absl::StrCat("收到申请之日 ", FormatDate(input.received_on),
                     " 晚于今天（", FormatDate(ctx.today), "）"),
        absl::StrCat("receipt date ", FormatDate(input.received_on),
                     " is in the future (today is ", FormatDate(ctx.today),
                     ")"));
  }
  if (input.received_on < kRegulations2008Effective) {
    return LocalizedError(
        absl::StatusCode::kInvalidArgument,
        absl::StrCat("收到申请之日 ", FormatDate(input.received_on),
                     " 早于《政府信息公开条例》施行之日 ",
                     FormatDate(kRegulations2008Effective)),
        absl::StrCat("receipt date ", FormatDate(input.received_on),
                     " is before the Regulations took effect on ",
                     FormatDate(kRegulations2008Effective)));
  }
  struct Field {
    const char* name;
    const std::string& value;
    bool required;
    int max_chars;
    size_t max_bytes;
    bool multiline;
  };
  const Field fields[] = {
      {"applicant name", input.applicant, true, kMaxNameChars, 0, false},
      {"request text", input.request, true, 0, kMaxRequestBytes, true},
      {"contact", input.contact, false, kMaxContactChars, 0, true},
      {"identity number", input.id_number, false, kMaxIdNumberChars, 0, false},
  };
  for (const Field& f : fields) {
    if (absl::Status s = ValidateText(f.name, f.value, f.required, f.max_chars,
                                      f.max_bytes, f.multiline);
        !s.ok()) {
      return s;
    }
  }

  CaseRecord c;
  c.case_no = input.case_no;
  c.agency = input.agency;
  c.state = CaseState::kOpen;
  c.channel = input.channel;
  c.applicant_type = input.applicant_type;
  c.applicant = std::string(absl::StripAsciiWhitespace(input.applicant));
  c.contact = input.contact;
  c.id_number = std::string(absl::StripAsciiWhitespace(input.id_number));
  c.request = input.request;
  c.received_on = input.received_on;
  c.version = 1;
  c.created_at = ctx.now;
  c.updated_at = ctx.now;

  event->kind = "received";
  event->effective_on = input.received_on;
  event->recorded_at = ctx.now;
  event->actor = ctx.actor;
  // Everything the row holds is in the event too (some as digests), so
  // that the row can be checked against its history (admin check).
  event->details = ReceivedDetails(c);
  return c;
}

namespace {

std::string DescribeStep(const CaseEvent& event, Lang lang) {
  auto detail = [&](absl::string_view key) -> std::string {
    const Json* v = event.details.Find(key);
    if (v == nullptr) return "";
    return v->is_string() ? v->as_string() : v->Dump();
  };
  const bool en = lang == Lang::kEn;
  const std::string& k = event.kind;
  if (k == "received") {
    std::string line(Tr(lang, "收到申请", "application received"));
    absl::StatusOr<Channel> ch = ParseChannel(detail("channel"));
    if (ch.ok()) {
      absl::StrAppend(&line, en ? " (" : "（", Info(*ch).label,
                      en ? ")" : "）");
    }
    return line;
  }
  if (k == "answered") {
    std::string line(Tr(lang, "已答复", "answered"));
    absl::StatusOr<Outcome> o = ParseOutcome(detail("outcome"));
    if (o.ok()) {
      absl::StrAppend(&line, Tr(lang, "：", ": "), OutcomeRowLabel(Info(*o)));
    }
    return line;
  }
  if (k == "correction_requested") {
    return en ? absl::StrCat("correction notice sent (补正告知), ",
                             detail("period_days"), " working days to correct")
              : absl::StrCat("已发出补正告知，补正期限 ", detail("period_days"),
                             " 个工作日");
  }
  if (k == "corrected") {
    return std::string(
        Tr(lang, "收到补正后的申请", "corrected application received"));
  }
  if (k == "complete") {
    std::string note = detail("note");
    std::string line(Tr(lang, "申请已受理/审查完毕",
                        "application recorded complete (受理/审查完毕)"));
    if (!note.empty()) absl::StrAppend(&line, Tr(lang, "：", ": "), note);
    return line;
  }
  if (k == "consultation_received") {
    return en ? absl::StrCat("consultation ", detail("id"),
                             " received by the party")
              : absl::StrCat("征求意见 ", detail("id"), " 的函件已送达对方");
  }
  if (k == "consultation_started") {
    std::string received = detail("received_on");
    if (en) {
      return absl::StrCat(
          "consultation ", detail("id"), " sent to ", detail("party"),
          detail("kind") == "agency" ? " (agency)" : " (third party)",
          received.empty() ? "" : absl::StrCat(", received ", received));
    }
    return absl::StrCat(
        "向", detail("party"),
        detail("kind") == "agency" ? "（其他机关）" : "（第三方）", "征求意见 ",
        detail("id"),
        received.empty() ? "" : absl::StrCat("，对方于 ", received, " 收到"));
  }
  if (k == "consultation_replied") {
    return en ? absl::StrCat("consultation ", detail("id"), " answered")
              : absl::StrCat("征求意见 ", detail("id"), " 已收到答复");
  }
  if (k == "extended") {
    const bool art35 = detail("kind") == "unreasonable_volume";
    const bool entered_by_other =
        !event.actor.empty() && event.actor != detail("approved_by");
    if (en) {
      return absl::StrCat(
          art35 ? "longer period (Art. 35) of "
                : "deadline extended (Art. 33) by ",
          detail("days"), " working days, approved by ", detail("approved_by"),
          entered_by_other ? absl::StrCat(" (entered by ", event.actor, ")")
                           : "",
          ": ", detail("reason"));
    }
    return absl::StrCat(
        art35 ? "确定合理答复期限（《条例》第三十五条），延长 "
              : "延期答复（《条例》第三十三条），延长 ",
        detail("days"), " 个工作日，批准人 ", detail("approved_by"),
        entered_by_other ? absl::StrCat("（由 ", event.actor, " 录入）") : "",
        "：", detail("reason"));
  }
  if (k == "fee_notified") {
    const std::string yuan =
        FormatYuan(event.details.Find("amount_fen") != nullptr
                       ? event.details.Find("amount_fen")->as_int()
                       : 0);
    return en ? absl::StrCat("fee notice: ", yuan, " yuan")
              : absl::StrCat("已发出信息处理费缴费通知：", yuan, " 元");
  }
  if (k == "fee_paid") {
    return std::string(Tr(lang, "信息处理费已缴纳", "fee paid"));
  }
  if (k == "withdrawn") {
    std::string reason = detail("reason");
    std::string line(Tr(lang, "申请人撤回申请", "withdrawn by the applicant"));
    if (!reason.empty()) absl::StrAppend(&line, Tr(lang, "：", ": "), reason);
    return line;
  }
  if (k == "assigned") {
    std::string to = detail("after");
    if (to.empty()) return std::string(Tr(lang, "取消承办人", "unassigned"));
    return en ? absl::StrCat("assigned to ", to)
              : absl::StrCat("交由 ", to, " 承办");
  }
  if (k == "amended") return DescribeAmendment(detail, lang);
  if (k == "reopened") return DescribeReopening(detail, lang);
  if (k == "document") {
    // A document generated for the applicant (domain/documents.h).
    std::string consultation = detail("consultation_id");
    const std::string which = absl::StrCat(
        detail("template"),
        consultation.empty() ? "" : absl::StrCat(" ", consultation));
    return lang == Lang::kEn
               ? absl::StrCat("document sent: ", which, " ", detail("number"),
                              " of ", detail("date"), ", sha256 ",
                              detail("sha256").substr(0, 12))
               : absl::StrCat("发出文书：", which, " ", detail("number"),
                              "，日期 ", detail("date"), "，sha256 ",
                              detail("sha256").substr(0, 12));
  }
  if (k == "deadline_recalculated") {
    // "from" and "to" are dates, or the codes "paused" and "unknown".
    auto due = [&](absl::string_view key) {
      const std::string v = detail(key);
      if (en) return v;
      if (v == "paused") return std::string("暂停计算");
      if (v == "unknown") return std::string("无法计算");
      return v;
    };
    return en ? absl::StrCat("reply deadline moved from ", detail("from"),
                             " to ", detail("to"), " (calendar changed)")
              : absl::StrCat("答复期限由 ", due("from"), " 改为 ", due("to"),
                             "（工作日历变更）");
  }
  return k;
}

}  // namespace

std::string DescribeEvent(const CaseEvent& event, Lang lang) {
  std::string line = DescribeStep(event, lang);
  if (const Json* why = event.details.Find("late_reason");
      why != nullptr && why->is_string()) {
    const bool corrected = event.kind == "corrected";
    absl::StrAppend(
        &line,
        corrected ? Tr(lang, "；补正期限届满后补正，正当理由：",
                       "; after the correction period, for good reason: ")
                  : Tr(lang, "；逾期补录，原因：", "; recorded out of time: "),
        why->as_string());
  }
  return line;
}

std::string FormatYuan(int64_t fen) {
  std::string sign = fen < 0 ? "-" : "";
  if (fen < 0) fen = -fen;
  if (fen % 100 == 0) return absl::StrCat(sign, fen / 100);
  return absl::StrCat(sign, fen / 100, ".", fen % 100 < 10 ? "0" : "",
                      fen % 100);
}

absl::StatusOr<int64_t> ParseYuan(absl::string_view text) {
  absl::string_view t = absl::StripAsciiWhitespace(text);
  int64_t yuan = 0, fen = 0;
  size_t dot = t.find('.');
  absl::string_view whole = t.substr(0, dot);
  absl::string_view frac =
      dot == absl::string_view::npos ? "" : t.substr(dot + 1);
  auto digits = [](absl::string_view s) {
    if (s.empty()) return false;
    for (char c : s) {
      if (c < '0' || c > '9') return false;
    }
    return true;
  };
  if (!digits(whole) || whole.size() > 12 ||
      (dot != absl::string_view::npos && (!digits(frac) || frac.size() > 2))) {
    return LocalizedError(
        absl::StatusCode::kInvalidArgument,
        absl::StrCat("“", text, "”不是以元为单位的金额；请写作 300 或 300.50"),
        absl::StrCat("'", text,
                     "' is not an amount of yuan; write e.g. 300 or 300.50"));
  }
  for (char c : whole) yuan = yuan * 10 + (c - '0');
  for (size_t i = 0; i < 2; ++i) {
    fen = fen * 10 + (i < frac.size() ? frac[i] - '0' : 0);
  }
  return yuan * 100 + fen;
}

}  // namespace gongkai

#include "domain/amendment.h"

#include <algorithm>
#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "common/dates.h"
#include "common/status_macros.h"
#include "domain/case_history.h"
#include "domain/lifecycle.h"
#include "domain/permissions.h"

namespace gongkai {
namespace {

// The request is long free text: the history shows its opening, enough to
// tell two versions apart; the digest stands for the whole.
constexpr int kRequestExcerptChars = 40;

std::string Excerpt(absl::string_view text, int max_chars) {
  int chars = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) continue;
    if (chars == max_chars) return absl::StrCat(text.substr(0, i), "…");
    ++chars;
  }
  return std::string(text);
}

std::string DetailText(const CaseEvent& e, absl::string_view key) {
  const Json* v = e.details.Find(key);
  return v != nullptr && v->is_string() ? v->as_string() : "";
}

bool IsClose(const CaseEvent& e) {
  return e.kind == "answered" || e.kind == "withdrawn";
}

}  // namespace

const std::vector<absl::string_view>& AmendableFields() {
  static const auto* const kFields = new std::vector<absl::string_view>{
      "received_on", "channel", "applicant_type", "applicant",
      "request",     "contact", "id_number"};
  return *kFields;
}

std::string AmendFieldName(absl::string_view field, Lang lang) {
  if (field == "received_on")
    return std::string(Tr(lang, "收到日期", "receipt date"));
  if (field == "channel") return std::string(Tr(lang, "收件渠道", "channel"));
  if (field == "applicant_type") {
    return std::string(Tr(lang, "申请人类型", "applicant type"));
  }
  if (field == "applicant") return std::string(Tr(lang, "申请人", "applicant"));
  if (field == "request") return std::string(Tr(lang, "申请内容", "request"));
  if (field == "contact") return std::string(Tr(lang, "联系方式", "contact"));
  if (field == "id_number") {
    return std::string(Tr(lang, "证件号码", "identity number"));
  }
  return std::string(field);
}

std::string AmendValueText(absl::string_view field, absl::string_view value,
                           Lang lang) {
  if (value.empty()) return std::string(Tr(lang, "（空）", "(empty)"));
  if (field == "channel") {
    absl::StatusOr<Channel> c = ParseChannel(value);
    if (c.ok()) {
      return lang == Lang::kEn ? std::string(Info(*c).code)
                               : std::string(Info(*c).label);
    }
  }
  if (field == "applicant_type") {
    absl::StatusOr<ApplicantType> t = ParseApplicantType(value);
    if (t.ok()) {
      return lang == Lang::kEn ? std::string(Info(*t).code)
                               : std::string(Info(*t).label);
    }
  }
  return std::string(value);
}

std::string RecordedValue(const CaseRecord& c, absl::string_view field) {
  if (field == "received_on") return FormatDate(c.received_on);
  if (field == "channel") return std::string(Info(c.channel).code);
  if (field == "applicant_type")
    return std::string(Info(c.applicant_type).code);
  if (field == "applicant") return c.applicant;
  if (field == "request") return Excerpt(c.request, kRequestExcerptChars);
  if (field == "contact") return MaskSensitive(c.contact);
  if (field == "id_number") return MaskSensitive(c.id_number);
  return "";
}

std::string DescribeAmendment(DetailLookup detail, Lang lang) {
  std::vector<std::string> parts;
  for (absl::string_view field :
       absl::StrSplit(detail("changed"), ',', absl::SkipEmpty())) {
    const std::string before = detail(absl::StrCat(field, "_before"));
    const std::string after = detail(absl::StrCat(field, "_after"));
    parts.push_back(absl::StrCat(AmendFieldName(field, lang),
                                 Tr(lang, "：", ": "),
                                 AmendValueText(field, before, lang), " → ",
                                 AmendValueText(field, after, lang)));
  }
  std::string line = absl::StrCat(Tr(lang, "更正 ", "amended "),
                                  absl::StrJoin(parts, Tr(lang, "；", "; ")));
  const std::string reason = detail("reason");
  if (!reason.empty()) {
    absl::StrAppend(&line, Tr(lang, "；原因：", "; reason: "), reason);
  }
  return line;
}

std::string DescribeReopening(DetailLookup detail, Lang lang) {
  std::string line(Tr(lang, "重新办理", "reopened"));
  const std::string outcome = detail("outcome_before");
  const std::string answered = detail("answered_on_before");
  if (!outcome.empty()) {
    absl::StatusOr<Outcome> o = ParseOutcome(outcome);
    const std::string shown =
        o.ok() && lang == Lang::kZh ? OutcomeRowLabel(Info(*o)) : outcome;
    absl::StrAppend(
        &line, Tr(lang, "（原办理结果：", " (was: "), shown,
        answered.empty()
            ? ""
            : absl::StrCat(lang == Lang::kZh ? "，" : ", ", answered),
        Tr(lang, "）", ")"));
  }
  const std::string reason = detail("reason");
  if (!reason.empty()) {
    absl::StrAppend(&line, Tr(lang, "；原因：", "; reason: "), reason);
  }
  return line;
}

bool HasCorrections(const std::vector<CaseEvent>& events) {
  return std::any_of(events.begin(), events.end(), [](const CaseEvent& e) {
    return e.kind == "amended" || e.kind == "reopened";
  });
}

std::optional<int64_t> ReopenedClose(const std::vector<CaseEvent>& events,
                                     const CaseEvent& reopened) {
  if (const Json* v = reopened.details.Find("reopens_seq");
      v != nullptr && v->is_int()) {
    return v->as_int();
  }
  std::optional<int64_t> last;
  for (const CaseEvent& e : events) {
    if (e.seq >= reopened.seq) break;
    if (IsClose(e)) last = e.seq;
  }
  return last;
}

std::vector<CaseEvent> EffectiveHistory(const std::vector<CaseEvent>& events) {
  std::optional<absl::CivilDay> received_on;
  std::set<int64_t> set_aside;
  for (const CaseEvent& e : events) {
    if (e.kind == "amended") {
      absl::StatusOr<absl::CivilDay> d =
          ParseDate(DetailText(e, "received_on_after"));
      if (d.ok()) received_on = *d;
    } else if (e.kind == "reopened") {
      if (std::optional<int64_t> seq = ReopenedClose(events, e)) {
        set_aside.insert(*seq);
      }
    }
  }
  std::vector<CaseEvent> out;
  out.reserve(events.size());
  for (const CaseEvent& e : events) {
    if (e.kind == "amended" || e.kind == "reopened") continue;
    if (IsClose(e) && set_aside.count(e.seq) > 0) continue;
    out.push_back(e);
    if (e.kind == "received" && received_on.has_value()) {
      out.back().effective_on = *received_on;
    }
  }
  return out;
}

absl::StatusOr<CaseEvent> Lifecycle::Amend(CaseRecord& c, const Events& events,
                                           const AmendInput& input) const {
  if (absl::StripAsciiWhitespace(input.reason).empty()) {
    return LocalizedError(absl::StatusCode::kInvalidArgument,
                          "请用 --reason 写明更正的原因。",
                          "give the reason for the amendment (--reason)");
  }
  RETURN_IF_ERROR(
      ValidateText("reason", input.reason, true, kMaxNoteChars, 0, true));
  if (!input.received_on && !input.channel && !input.applicant_type &&
      !input.applicant && !input.request && !input.contact &&
      !input.id_number) {
    return LocalizedError(
        absl::StatusCode::kInvalidArgument,
        "请至少给出一项要更正的内容：--received、--channel、--applicant-type、"
        "--applicant、--request、--contact 或 --id-number。",
        "give at least one field to amend: --received, --channel, "
        "--applicant-type, --applicant, --request, --contact or --id-number");
  }
  CaseRecord after = c;
  if (input.received_on) after.received_on = *input.received_on;
  if (input.channel) after.channel = *input.channel;
  if (input.applicant_type) after.applicant_type = *input.applicant_type;
  if (input.applicant) after.applicant = *input.applicant;
  if (input.request) after.request = *input.request;
  if (input.contact) after.contact = *input.contact;
  if (input.id_number) after.id_number = *input.id_number;

  // The same checks, limits and messages as when the case was logged: the
  // amended intake must be one the office could have logged.
  NewCase probe;
  probe.agency = after.agency;
  probe.received_on = after.received_on;
  probe.channel = after.channel;
  probe.applicant_type = after.applicant_type;
  probe.applicant = after.applicant;
  probe.contact = after.contact;
  probe.id_number = after.id_number;
  probe.request = after.request;
  CaseEvent unused;
  ASSIGN_OR_RETURN(const CaseRecord normalized,
                   OpenCase(probe, action_, &unused));
  after.applicant = normalized.applicant;
  after.id_number = normalized.id_number;

  if (after.received_on > c.received_on) {
    // Every recorded step happened on or after the receipt: a later receipt
    // date would put a step before the application arrived.
    const CaseEvent* first = nullptr;
    for (const CaseEvent& e : events) {
      if (e.kind == "received" || e.kind == "amended" || e.kind == "reopened")
        continue;
      if (first == nullptr || e.effective_on < first->effective_on) first = &e;
    }
    if (first != nullptr && after.received_on > first->effective_on) {
      const std::string step = DescribeEvent(*first, Lang::kZh);
      const std::string step_en = DescribeEvent(*first, Lang::kEn);
      return LocalizedError(
          absl::StatusCode::kInvalidArgument,
          absl::StrCat("收到日期 ", FormatDate(after.received_on),
                       " 晚于本案已记录的第一个办理步骤（",
                       FormatDate(first->effective_on), "，", step,
                       "）。收到日期不能晚于任何已记录的步骤；请核对纸面材料"
                       "上的收到日期，或先核对该步骤的日期。"),
          absl::StrCat("receipt date ", FormatDate(after.received_on),
                       " is after the first recorded step of the case (",
                       FormatDate(first->effective_on), ", ", step_en,
                       "); an application is received before anything is "
                       "done with it. Check the receipt date on the papers, "
                       "or the date of that step."));
    }
  }

  std::vector<std::string> changed;
  std::vector<std::string> same;
  auto differs = [&](absl::string_view field) {
    if (field == "received_on") return after.received_on != c.received_on;
    if (field == "channel") return after.channel != c.channel;
    if (field == "applicant_type")
      return after.applicant_type != c.applicant_type;
    if (field == "applicant") return after.applicant != c.applicant;
    if (field == "request") return after.request != c.request;
    if (field == "contact") return after.contact != c.contact;
    return after.id_number != c.id_number;
  };
  auto given = [&](absl::string_view field) {
    if (field == "received_on") return input.received_on.has_value();
    if (field == "channel") return input.channel.has_value();
    if (field == "applicant_type") return input.applicant_type.has_value();
    if (field == "applicant") return input.applicant.has_value();
    if (field == "request") return input.request.has_value();
    if (field == "contact") return input.contact.has_value();
    return input.id_number.has_value();
  };
  for (absl::string_view field : AmendableFields()) {
    if (!given(field)) continue;
    (differs(field) ? changed : same).push_back(std::string(field));
  }
  if (changed.empty()) {
    std::vector<std::string> zh, en;
    for (const std::string& f : same) {
      zh.push_back(AmendFieldName(f, Lang::kZh));
      en.push_back(AmendFieldName(f, Lang::kEn));
    }
    return LocalizedError(
        absl::StatusCode::kFailedPrecondition,
        absl::StrCat("案件 ", c.case_no, " 的", absl::StrJoin(zh, "、"),
                     "与现有记录相同，没有需要更正的内容；未写入任何记录。"),
        absl::StrCat("case ", c.case_no, ": ", absl::StrJoin(en, ", "),
                     " already as given; nothing to amend, nothing written"));
  }

  CaseEvent e = NewEvent("amended", std::max(action_.today, c.received_on));
  e.details.Set("changed", absl::StrJoin(changed, ","));
  for (const std::string& f : changed) {
    e.details.Set(absl::StrCat(f, "_before"), RecordedValue(c, f));
    e.details.Set(absl::StrCat(f, "_after"), RecordedValue(after, f));
  }
  // The digests of the intake as it now stands, salted with the amended
  // applicant and receipt date, for `admin check` (case_history.h).
  const Json digests = ReceivedDetails(after);
  for (const char* key :
       {"contact_sha256", "id_number_sha256", "request_sha256"}) {
    if (const Json* d = digests.Find(key)) e.details.Set(key, *d);
  }
  e.details.Set("reason", input.reason);
  const int64_t version = c.version;
  const absl::Time updated = c.updated_at;
  c = std::move(after);
  c.version = version;
  c.updated_at = updated;
  Apply(c, c.state);
  return e;
}

absl::StatusOr<CaseEvent> Lifecycle::Reopen(CaseRecord& c, const Events& events,
                                            const std::string& reason) const {
  if (absl::StripAsciiWhitespace(reason).empty()) {
    return LocalizedError(absl::StatusCode::kInvalidArgument,
                          "请用 --reason 写明重新办理的原因。",
                          "give the reason for reopening the case (--reason)");
  }
  RETURN_IF_ERROR(ValidateText("reason", reason, true, kMaxNoteChars, 0, true));
  if (c.state != CaseState::kClosed) {
    return LocalizedError(
        absl::StatusCode::kFailedPrecondition,
        absl::StrCat("案件 ", c.case_no,
                     " 尚未办结，无需重新办理；办结后如发现办理结果有误，"
                     "再用 case reopen 重新办理。"),
        absl::StrCat("case ", c.case_no,
                     " is not closed; only a closed case can be reopened"));
  }
  // The close to set aside: the last one the corrected history still has.
  std::optional<int64_t> close_seq;
  for (const CaseEvent& e : EffectiveHistory(events)) {
    if (IsClose(e)) close_seq = e.seq;
  }
  if (!close_seq.has_value()) {
    return LocalizedError(
        absl::StatusCode::kFailedPrecondition,
        absl::StrCat("案件 ", c.case_no,
                     " 的历史记录中没有办结记录，无法重新办理；请管理员运行 "
                     "admin check。"),
        absl::StrCat("case ", c.case_no,
                     " has no close in its history to set aside; ask an "
                     "administrator to run admin check"));
  }
  CaseEvent e = NewEvent("reopened", std::max(action_.today, c.received_on));
  e.details.Set("reopens_seq", *close_seq);
  if (c.outcome) {
    e.details.Set("outcome_before", std::string(Info(*c.outcome).code));
  }
  if (c.answered_on) {
    e.details.Set("answered_on_before", FormatDate(*c.answered_on));
  }
  if (!c.answer_note.empty()) e.details.Set("note_before", c.answer_note);
  e.details.Set("reason", reason);
  // The state the case's other steps leave it in: a correction notice or a
  // fee notice still awaiting the applicant.
  Events with = events;
  with.push_back(e);
  int64_t seq = 0;
  for (const CaseEvent& ev : events) seq = std::max(seq, ev.seq);
  with.back().seq = seq + 1;
  ASSIGN_OR_RETURN(const ClockReport clocks,
                   ClocksOn(with, std::max(action_.today, c.received_on)));
  CaseState state = CaseState::kOpen;
  if (clocks.awaiting_correction) {
    state = CaseState::kAwaitingCorrection;
  } else if (clocks.fee_open) {
    state = CaseState::kAwaitingFee;
  }
  c.answered_on.reset();
  c.outcome.reset();
  c.answer_note.clear();
  Apply(c, state);
  return e;
}

}  // namespace gongkai

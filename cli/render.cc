#include "cli/render.h"

#include <algorithm>
#include <ostream>

#include "absl/strings/str_cat.h"
#include "common/dates.h"
#include "common/text_safety.h"
#include "common/text_width.h"
#include "convert/proto_convert.h"
#include "domain/case.h"
#include "domain/codes.h"

namespace gongkai::cli {
namespace {

std::string WeekdayOf(const v1::Date& d, Lang lang) {
  absl::StatusOr<absl::CivilDay> day = FromProto(d, "date");
  if (!day.ok()) return "";
  return lang == Lang::kEn ? WeekdayName(*day) : WeekdayNameZh(*day);
}

std::string DaysLeftText(const v1::Case& c, Lang lang) {
  if (!c.has_working_days_left()) return "";
  int left = c.working_days_left();
  if (lang == Lang::kZh) {
    if (left < 0) return absl::StrCat("已逾期 ", -left, " 个工作日");
    if (left == 0) return "今天到期";
    return absl::StrCat("还剩 ", left, " 个工作日");
  }
  if (left < 0)
    return absl::StrCat("overdue by ", -left, " working day",
                        left == -1 ? "" : "s");
  if (left == 0) return "due today";
  return absl::StrCat(left, " working day", left == 1 ? "" : "s", " left");
}

}  // namespace

std::string StateText(v1::CaseState s, Lang lang) {
  // A case the server sent without a state is being processed.
  const CaseState state = FromProto(s).value_or(CaseState::kOpen);
  return std::string(lang == Lang::kEn ? Info(state).code : Info(state).label);
}

std::string ChannelText(v1::Channel c, Lang lang) {
  absl::StatusOr<Channel> channel = FromProto(c);
  if (!channel.ok()) return "";
  return std::string(lang == Lang::kEn ? Info(*channel).code
                                       : Info(*channel).label);
}

std::string ApplicantTypeText(v1::ApplicantType t, Lang lang) {
  absl::StatusOr<ApplicantType> type = FromProto(t);
  if (!type.ok()) return "";
  return std::string(lang == Lang::kEn ? Info(*type).code : Info(*type).label);
}

std::string OutcomeText(v1::Outcome o, Lang lang) {
  absl::StatusOr<Outcome> outcome = FromProto(o);
  if (!outcome.ok()) return "";
  return lang == Lang::kEn ? std::string(Info(*outcome).code)
                           : OutcomeRowLabel(Info(*outcome));
}

std::string TimeText(absl::string_view rfc3339) {
  return rfc3339.empty() ? "" : ChinaTimeText(rfc3339);
}

Json TextOrNull(absl::string_view text) {
  return text.empty() ? Json(nullptr) : Json(std::string(text));
}

std::string DateText(const v1::Date& d, bool present) {
  if (!present) return "";
  absl::StatusOr<absl::CivilDay> day = FromProto(d, "date");
  return day.ok() ? FormatDate(*day) : "";
}

Json DateJson(const v1::Date& d, bool present) {
  std::string text = DateText(d, present);
  return text.empty() ? Json(nullptr) : Json(text);
}

absl::StatusOr<v1::Date> DateArg(absl::string_view text,
                                 absl::string_view what) {
  absl::StatusOr<absl::CivilDay> day = ParseDate(text);
  if (!day.ok()) {
    return PrefixError(day.status(), absl::StrCat(what, "："),
                       absl::StrCat(what, ": "));
  }
  v1::Date out;
  ToProto(*day, &out);
  return out;
}

std::string StateCode(v1::CaseState s) {
  absl::StatusOr<CaseState> state = FromProto(s);
  return state.ok() ? std::string(Info(*state).code) : "";
}

std::string ReplyDueLine(const v1::Case& c, Lang lang) {
  if (c.paused()) {
    return absl::StrCat(Tr(lang, "暂停计算：", "paused: "), c.pause_reason());
  }
  if (!c.has_due_on()) {
    return absl::StrCat(Tr(lang, "无法计算：", "not computed: "),
                        c.due_on_problem());
  }
  std::string line =
      absl::StrCat(DateText(c.due_on()), " ", WeekdayOf(c.due_on(), lang));
  if (std::string left = DaysLeftText(c, lang); !left.empty()) {
    absl::StrAppend(&line, Tr(lang, "（", " ("), left, Tr(lang, "）", ")"));
  }
  return line;
}

std::string ChannelCode(v1::Channel c) {
  absl::StatusOr<Channel> channel = FromProto(c);
  return channel.ok() ? std::string(Info(*channel).code) : "";
}

std::string ApplicantTypeCode(v1::ApplicantType t) {
  absl::StatusOr<ApplicantType> type = FromProto(t);
  return type.ok() ? std::string(Info(*type).code) : "";
}

std::string OutcomeCode(v1::Outcome o) {
  absl::StatusOr<Outcome> outcome = FromProto(o);
  return outcome.ok() ? std::string(Info(*outcome).code) : "";
}

Json CaseToJson(const v1::Case& c, bool with_events) {
  Json j = Json::MakeObject();
  auto code_or_null = [](const std::string& code) {
    return code.empty() ? Json(nullptr) : Json(code);
  };
  j.Set("case_no", c.case_no());
  j.Set("agency", c.agency().empty() ? Json(nullptr) : Json(c.agency()));
  j.Set("query_code",
        c.query_code().empty() ? Json(nullptr) : Json(c.query_code()));
  j.Set("assignee", c.assignee().empty() ? Json(nullptr) : Json(c.assignee()));
  j.Set("state", StateCode(c.state()));
  j.Set("channel", code_or_null(ChannelCode(c.channel())));
  j.Set("applicant_type", code_or_null(ApplicantTypeCode(c.applicant_type())));
  j.Set("applicant", TextOrNull(c.applicant()));
  j.Set("contact", c.contact().empty() ? Json(nullptr) : Json(c.contact()));
  j.Set("id_number",
        c.id_number().empty() ? Json(nullptr) : Json(c.id_number()));
  j.Set("request", TextOrNull(c.request()));
  j.Set("received_on", DateJson(c.received_on(), c.has_received_on()));
  j.Set("due_on", DateJson(c.due_on(), c.has_due_on()));
  j.Set("working_days_left", c.has_working_days_left()
                                 ? Json(c.working_days_left())
                                 : Json(nullptr));
  j.Set("answered_on", DateJson(c.answered_on(), c.has_answered_on()));
  j.Set("outcome", code_or_null(OutcomeCode(c.outcome())));
  absl::StatusOr<Outcome> outcome = FromProto(c.outcome());
  j.Set("outcome_label",
        outcome.ok() ? Json(std::string(Info(*outcome).label)) : Json(nullptr));
  j.Set("answer_note",
        c.answer_note().empty() ? Json(nullptr) : Json(c.answer_note()));
  j.Set("due_on_problem", TextOrNull(c.due_on_problem()));
  j.Set("paused", c.paused());
  j.Set("pause_reason",
        c.pause_reason().empty() ? Json(nullptr) : Json(c.pause_reason()));
  j.Set("extension_days", c.extension_days());
  j.Set("unreasonable_period_days", c.unreasonable_period_days());
  j.Set("pause_days", c.pause_days());
  j.Set("complete_on", DateJson(c.complete_on(), c.has_complete_on()));
  Json late_steps = Json::MakeArray();
  for (const v1::LateStep& l : c.late_steps()) {
    Json lj = Json::MakeObject();
    lj.Set("kind", l.kind());
    lj.Set("on", DateJson(l.on(), l.has_on()));
    lj.Set("why", TextOrNull(l.why()));
    late_steps.Push(std::move(lj));
  }
  j.Set("late_steps", late_steps);
  j.Set("reply_started_on",
        DateJson(c.reply_started_on(), c.has_reply_started_on()));
  Json clocks = Json::MakeArray();
  for (const v1::CaseClock& k : c.clocks()) {
    Json cj = Json::MakeObject();
    cj.Set("kind", k.kind());
    cj.Set("id", k.id().empty() ? Json(nullptr) : Json(k.id()));
    cj.Set("label", TextOrNull(k.label()));
    cj.Set("due_on", DateJson(k.due_on(), k.has_due_on()));
    cj.Set("state", TextOrNull(k.state()));
    clocks.Push(std::move(cj));
  }
  j.Set("clocks", clocks);
  Json consultations = Json::MakeArray();
  for (const v1::Consultation& k : c.consultations()) {
    Json cj = Json::MakeObject();
    cj.Set("id", k.id());
    cj.Set("party", TextOrNull(k.party()));
    cj.Set("kind", k.kind());
    cj.Set("sent_on", DateJson(k.sent_on(), k.has_sent_on()));
    cj.Set("received_on", DateJson(k.received_on(), k.has_received_on()));
    cj.Set("receipt_recorded", k.receipt_recorded());
    cj.Set("late", k.late());
    cj.Set("replied_on", DateJson(k.replied_on(), k.has_replied_on()));
    cj.Set("lapses_on", DateJson(k.lapses_on(), k.has_lapses_on()));
    cj.Set("open", k.open());
    cj.Set("pause_days", k.pause_days());
    consultations.Push(std::move(cj));
  }
  j.Set("consultations", consultations);
  j.Set("fee_amount_yuan", c.fee_amount_fen() > 0
                               ? Json(FormatYuan(c.fee_amount_fen()))
                               : Json(nullptr));
  j.Set("version", static_cast<int64_t>(c.version()));
  j.Set("created_at", TextOrNull(c.created_at()));
  j.Set("updated_at", TextOrNull(c.updated_at()));
  if (with_events) {
    Json events = Json::MakeArray();
    for (const v1::CaseEvent& e : c.events()) {
      Json ev = Json::MakeObject();
      ev.Set("seq", static_cast<int64_t>(e.seq()));
      ev.Set("kind", e.kind());
      ev.Set("effective_on", DateJson(e.effective_on(), e.has_effective_on()));
      ev.Set("recorded_at", TextOrNull(e.recorded_at()));
      ev.Set("actor", TextOrNull(e.actor()));
      ev.Set("summary", TextOrNull(e.summary()));
      Json details = Json::MakeObject();
      // Sorted keys keep the output stable (proto maps are unordered).
      std::vector<std::pair<std::string, std::string>> sorted(
          e.details().begin(), e.details().end());
      std::sort(sorted.begin(), sorted.end());
      for (const auto& [k, v] : sorted) details.Set(k, v);
      ev.Set("details", details);
      events.Push(std::move(ev));
    }
    j.Set("events", events);
  }
  return j;
}

std::string Shown(absl::string_view text, bool multiline) {
  return SafeForTerminal(text, multiline);
}

std::vector<std::vector<std::string>> ShownRows(
    std::vector<std::vector<std::string>> rows) {
  for (std::vector<std::string>& row : rows) {
    for (std::string& cell : row) cell = Shown(cell);
  }
  return rows;
}

void PrintCase(const v1::Case& c, Lang lang, std::ostream& out) {
  auto T = [lang](absl::string_view zh, absl::string_view en) {
    return std::string(Tr(lang, zh, en));
  };
  std::vector<std::pair<std::string, std::string>> rows;
  rows.push_back({T("申请编号", "Case"), c.case_no()});
  if (!c.query_code().empty()) {
    rows.push_back({T("查询码", "Query code"), c.query_code()});
  }
  if (!c.agency().empty()) rows.push_back({T("机关", "Agency"), c.agency()});
  if (!c.assignee().empty()) {
    rows.push_back({T("承办人", "Handler"), c.assignee()});
  }
  rows.push_back({T("状态", "State"), StateText(c.state(), lang)});
  rows.push_back({T("收到申请日期", "Received"),
                  absl::StrCat(DateText(c.received_on()), " ",
                               WeekdayOf(c.received_on(), lang),
                               T("  申请方式：", "  via "),
                               ChannelText(c.channel(), lang))});
  rows.push_back({T("答复期限", "Reply due"), ReplyDueLine(c, lang)});
  if (c.extension_days() > 0 || c.pause_days() > 0 ||
      c.unreasonable_period_days() > 0) {
    std::string added =
        lang == Lang::kEn
            ? absl::StrCat(c.pause_days(), " working days paused, ",
                           c.extension_days(), " extension")
            : absl::StrCat("不计算在内 ", c.pause_days(),
                           " 个工作日，延期答复 ", c.extension_days(),
                           " 个工作日");
    if (c.unreasonable_period_days() > 0) {
      absl::StrAppend(&added,
                      lang == Lang::kEn
                          ? absl::StrCat(", ", c.unreasonable_period_days(),
                                         " longer period (Art. 35)")
                          : absl::StrCat("，另行确定的合理期限 ",
                                         c.unreasonable_period_days(),
                                         " 个工作日（《条例》第三十五条）"));
    }
    rows.push_back({T("顺延", "Added"), added});
  }
  if (c.has_complete_on()) {
    rows.push_back({T("审查完毕", "Complete"), DateText(c.complete_on())});
  }
  for (const v1::LateStep& l : c.late_steps()) {
    rows.push_back({T("逾期步骤", "Late step"),
                    absl::StrCat(DateText(l.on()), " ", l.why())});
  }
  if (std::string type = ApplicantTypeText(c.applicant_type(), lang);
      !type.empty()) {
    rows.push_back({T("申请人类型", "Applicant type"), type});
  }
  rows.push_back({T("申请人", "Applicant"), c.applicant()});
  if (!c.id_number().empty())
    rows.push_back({T("证件号码", "ID number"), c.id_number()});
  if (!c.contact().empty()) {
    rows.push_back({T("联系方式", "Contact"), c.contact()});
  }
  rows.push_back({T("申请内容", "Request"), c.request()});
  if (std::string outcome = OutcomeText(c.outcome(), lang); !outcome.empty()) {
    rows.push_back({T("答复日期", "Answered"), DateText(c.answered_on())});
    // The table 3 row label is the law's own wording, with no official
    // English: an English reader sees the code and the row it counts in.
    if (lang == Lang::kEn) {
      absl::StatusOr<Outcome> o = FromProto(c.outcome());
      if (o.ok()) absl::StrAppend(&outcome, "  ", OutcomeRowLabel(Info(*o)));
    }
    rows.push_back({T("办理结果", "Outcome"), outcome});
    if (!c.answer_note().empty())
      rows.push_back({T("备注", "Note"), c.answer_note()});
  }
  int width = 0;
  for (const auto& [k, v] : rows) width = std::max(width, DisplayWidth(k));
  for (const auto& [k, v] : rows) {
    out << PadRight(k, width) << "  " << Shown(v, /*multiline=*/true) << "\n";
  }
  if (c.clocks_size() > 0) {
    out << "\n" << T("时限", "Clocks") << "\n";
    std::vector<std::vector<std::string>> clocks = {
        {T("时限", "Clock"), T("期限", "Due"), T("状态", "State")}};
    for (const v1::CaseClock& k : c.clocks()) {
      clocks.push_back({k.id().empty()
                            ? k.label()
                            : absl::StrCat(k.label(), " (", k.id(), ")"),
                        k.has_due_on() ? DateText(k.due_on()) : "-",
                        k.state_label().empty() ? k.state() : k.state_label()});
    }
    out << FormatTable(ShownRows(std::move(clocks)));
  }
  if (c.events_size() > 0) {
    out << "\n" << T("办理记录", "Events") << "\n";
    std::vector<std::vector<std::string>> table = {
        {"#", T("日期", "Date"), T("事项", "Event"), T("经办人", "By"),
         T("记录时间", "Recorded")}};
    for (const v1::CaseEvent& e : c.events()) {
      table.push_back({absl::StrCat(e.seq()), DateText(e.effective_on()),
                       e.summary(), e.actor(), TimeText(e.recorded_at())});
    }
    out << FormatTable(ShownRows(std::move(table)));
  }
}

void PrintCaseTable(const std::vector<v1::Case>& cases, Lang lang,
                    std::ostream& out) {
  auto T = [lang](absl::string_view zh, absl::string_view en) {
    return std::string(Tr(lang, zh, en));
  };
  std::vector<std::vector<std::string>> rows = {
      {T("申请编号", "No."), T("收到日期", "Received"), T("答复期限", "Due"),
       T("剩余工作日", "Left"), T("状态", "State"), T("答复日期", "Answered"),
       T("办理结果", "Outcome"), T("申请人", "Applicant"),
       T("申请内容", "Request")}};
  for (const v1::Case& c : cases) {
    std::string left;
    if (c.has_working_days_left()) {
      left = c.working_days_left() < 0
                 ? absl::StrCat(T("逾期 ", "overdue "), -c.working_days_left())
                 : absl::StrCat(c.working_days_left());
    } else if (c.state() != v1::CASE_STATE_CLOSED && !c.has_due_on()) {
      left = "?";
    } else {
      left = "-";
    }
    // Closed cases: when and how they were answered.
    std::string answered = "-";
    std::string outcome = "-";
    if (c.state() == v1::CASE_STATE_CLOSED) {
      if (c.has_answered_on()) answered = DateText(c.answered_on());
      if (absl::StatusOr<Outcome> o = FromProto(c.outcome()); o.ok()) {
        // The label without its explanation in brackets, to fit a column.
        absl::string_view label = Info(*o).label;
        label = label.substr(0, label.find("（"));
        outcome =
            lang == Lang::kEn ? std::string(Info(*o).code) : std::string(label);
      }
    }
    rows.push_back({c.case_no(), DateText(c.received_on()),
                    c.has_due_on() ? DateText(c.due_on()) : "?", left,
                    StateText(c.state(), lang), answered, outcome,
                    TruncateToWidth(Shown(c.applicant()), 16),
                    TruncateToWidth(Shown(c.request()), 30)});
  }
  out << FormatTable(
      ShownRows(std::move(rows)),
      {false, false, false, true, false, false, false, false, false});
}

}  // namespace gongkai::cli

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

std::string StateLabel(v1::CaseState s) {
  // A case the server sent without a state is being processed.
  const CaseState state = FromProto(s).value_or(CaseState::kOpen);
  return absl::StrCat(Info(state).label, " ", Info(state).code);
}

std::string WeekdayOf(const v1::Date& d) {
  absl::StatusOr<absl::CivilDay> day = FromProto(d, "date");
  return day.ok() ? WeekdayNameZh(*day) : "";
}

std::string DaysLeftText(const v1::Case& c) {
  if (!c.has_working_days_left()) return "";
  int left = c.working_days_left();
  if (left < 0)
    return absl::StrCat("overdue by ", -left, " working day",
                        left == -1 ? "" : "s");
  if (left == 0) return "due today";
  return absl::StrCat(left, " working day", left == 1 ? "" : "s", " left");
}

}  // namespace

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
    return absl::InvalidArgumentError(
        absl::StrCat(what, ": ", day.status().message()));
  }
  v1::Date out;
  ToProto(*day, &out);
  return out;
}

std::string StateCode(v1::CaseState s) {
  absl::StatusOr<CaseState> state = FromProto(s);
  return state.ok() ? std::string(Info(*state).code) : "";
}

std::string ReplyDueLine(const v1::Case& c) {
  if (c.paused()) return absl::StrCat("paused: ", c.pause_reason());
  if (!c.has_due_on()) {
    return absl::StrCat("not computed: ", c.due_on_problem());
  }
  std::string line =
      absl::StrCat(DateText(c.due_on()), " ", WeekdayOf(c.due_on()));
  if (std::string left = DaysLeftText(c); !left.empty()) {
    absl::StrAppend(&line, " (", left, ")");
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
  j.Set("applicant", c.applicant());
  j.Set("contact", c.contact().empty() ? Json(nullptr) : Json(c.contact()));
  j.Set("id_number",
        c.id_number().empty() ? Json(nullptr) : Json(c.id_number()));
  j.Set("request", c.request());
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
  if (!c.due_on_problem().empty()) j.Set("due_on_problem", c.due_on_problem());
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
    lj.Set("why", l.why());
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
    cj.Set("label", k.label());
    cj.Set("due_on", DateJson(k.due_on(), k.has_due_on()));
    cj.Set("state", k.state());
    clocks.Push(std::move(cj));
  }
  j.Set("clocks", clocks);
  Json consultations = Json::MakeArray();
  for (const v1::Consultation& k : c.consultations()) {
    Json cj = Json::MakeObject();
    cj.Set("id", k.id());
    cj.Set("party", k.party());
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
  j.Set("created_at", c.created_at());
  j.Set("updated_at", c.updated_at());
  if (with_events) {
    Json events = Json::MakeArray();
    for (const v1::CaseEvent& e : c.events()) {
      Json ev = Json::MakeObject();
      ev.Set("seq", static_cast<int64_t>(e.seq()));
      ev.Set("kind", e.kind());
      ev.Set("effective_on", DateJson(e.effective_on(), e.has_effective_on()));
      ev.Set("recorded_at", e.recorded_at());
      ev.Set("actor", e.actor());
      ev.Set("summary", e.summary());
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

void PrintCase(const v1::Case& c, std::ostream& out) {
  std::vector<std::pair<std::string, std::string>> rows;
  rows.push_back({"案件编号 Case", c.case_no()});
  if (!c.query_code().empty()) {
    rows.push_back({"查询码 Query code", c.query_code()});
  }
  if (!c.agency().empty()) rows.push_back({"机关 Agency", c.agency()});
  if (!c.assignee().empty()) rows.push_back({"承办人 Handler", c.assignee()});
  rows.push_back({"状态 State", StateLabel(c.state())});
  absl::StatusOr<Channel> ch = FromProto(c.channel());
  std::string channel =
      ch.ok() ? absl::StrCat(Info(*ch).label, " ", Info(*ch).code) : "";
  rows.push_back({"收到日期 Received",
                  absl::StrCat(DateText(c.received_on()), " ",
                               WeekdayOf(c.received_on()), "  via ", channel)});
  rows.push_back({"答复期限 Reply due", ReplyDueLine(c)});
  if (c.extension_days() > 0 || c.pause_days() > 0 ||
      c.unreasonable_period_days() > 0) {
    std::string added = absl::StrCat(c.pause_days(), " working days paused, ",
                                     c.extension_days(), " extension");
    if (c.unreasonable_period_days() > 0) {
      absl::StrAppend(&added, ", ", c.unreasonable_period_days(),
                      " longer period (Art. 35)");
    }
    rows.push_back({"顺延 Added", added});
  }
  if (c.has_complete_on()) {
    rows.push_back({"审查完毕 Complete", DateText(c.complete_on())});
  }
  for (const v1::LateStep& l : c.late_steps()) {
    rows.push_back(
        {"逾期步骤 Late step", absl::StrCat(DateText(l.on()), " ", l.why())});
  }
  if (absl::StatusOr<ApplicantType> at = FromProto(c.applicant_type());
      at.ok()) {
    rows.push_back({"申请人类型 Type",
                    absl::StrCat(Info(*at).label, " ", Info(*at).code)});
  }
  rows.push_back({"申请人 Applicant", c.applicant()});
  if (!c.id_number().empty())
    rows.push_back({"证件号码 ID number", c.id_number()});
  if (!c.contact().empty()) rows.push_back({"联系方式 Contact", c.contact()});
  rows.push_back({"申请内容 Request", c.request()});
  if (absl::StatusOr<Outcome> o = FromProto(c.outcome()); o.ok()) {
    rows.push_back({"答复日期 Answered", DateText(c.answered_on())});
    rows.push_back({"办理结果 Outcome", absl::StrCat(OutcomeRowLabel(Info(*o)),
                                                     "  ", Info(*o).code)});
    if (!c.answer_note().empty())
      rows.push_back({"备注 Note", c.answer_note()});
  }
  int width = 0;
  for (const auto& [k, v] : rows) width = std::max(width, DisplayWidth(k));
  for (const auto& [k, v] : rows) {
    out << PadRight(k, width) << "  " << Shown(v, /*multiline=*/true) << "\n";
  }
  if (c.clocks_size() > 0) {
    out << "\n时限 Clocks\n";
    std::vector<std::vector<std::string>> clocks = {
        {"时限 Clock", "期限 Due", "状态 State"}};
    for (const v1::CaseClock& k : c.clocks()) {
      clocks.push_back(
          {k.id().empty() ? k.label()
                          : absl::StrCat(k.label(), " (", k.id(), ")"),
           k.has_due_on() ? DateText(k.due_on()) : "-", k.state()});
    }
    out << FormatTable(ShownRows(std::move(clocks)));
  }
  if (c.events_size() > 0) {
    out << "\n办理记录 Events\n";
    std::vector<std::vector<std::string>> table = {
        {"#", "日期 Date", "事项 Event", "经办 By", "记录时间 Recorded"}};
    for (const v1::CaseEvent& e : c.events()) {
      table.push_back({absl::StrCat(e.seq()), DateText(e.effective_on()),
                       e.summary(), e.actor(), e.recorded_at()});
    }
    out << FormatTable(ShownRows(std::move(table)));
  }
}

void PrintCaseTable(const std::vector<v1::Case>& cases, std::ostream& out) {
  std::vector<std::vector<std::string>> rows = {
      {"编号 No.", "收到 Received", "期限 Due", "剩余 Left", "状态 State",
       "申请人 Applicant", "申请内容 Request"}};
  for (const v1::Case& c : cases) {
    std::string left;
    if (c.has_working_days_left()) {
      left = c.working_days_left() < 0
                 ? absl::StrCat("overdue ", -c.working_days_left())
                 : absl::StrCat(c.working_days_left());
    } else if (c.state() != v1::CASE_STATE_CLOSED && !c.has_due_on()) {
      left = "?";
    } else {
      left = "-";
    }
    rows.push_back({c.case_no(), DateText(c.received_on()),
                    c.has_due_on() ? DateText(c.due_on()) : "?", left,
                    StateCode(c.state()),
                    TruncateToWidth(Shown(c.applicant()), 16),
                    TruncateToWidth(Shown(c.request()), 30)});
  }
  out << FormatTable(ShownRows(std::move(rows)),
                     {false, false, false, true, false, false, false});
}

}  // namespace gongkai::cli

#include "domain/case.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/dates.h"
#include "common/text_width.h"
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

// Validates one free-text field.
absl::Status ValidateText(absl::string_view field, absl::string_view value,
                          bool required, int max_chars, size_t max_bytes,
                          bool multiline) {
  if (!IsValidUtf8(value)) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, " is not valid UTF-8 text"));
  }
  if (required && absl::StripAsciiWhitespace(value).empty()) {
    return absl::InvalidArgumentError(absl::StrCat(field, " is required"));
  }
  if (max_chars > 0 && CountChars(value) > max_chars) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, " is too long: ", CountChars(value),
                     " characters, at most ", max_chars, " allowed"));
  }
  if (max_bytes > 0 && value.size() > max_bytes) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, " is too long: ", value.size(), " bytes, at most ",
                     max_bytes, " (", max_bytes / 1024, " KiB) allowed"));
  }
  if (HasControlChars(value, multiline)) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, " contains control characters"));
  }
  return absl::OkStatus();
}

absl::Status ValidateCaseNo(absl::string_view case_no) {
  if (case_no.empty()) {
    return absl::InvalidArgumentError("case number is empty");
  }
  if (absl::Status s =
          ValidateText("case number", case_no, true, kMaxCaseNoChars, 0, false);
      !s.ok()) {
    return s;
  }
  for (char c : case_no) {
    if (c == ' ' || c == '/' || c == '\\' || c == '"' || c == '\'') {
      return absl::InvalidArgumentError(absl::StrCat(
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
    return absl::InvalidArgumentError(absl::StrCat(
        "receipt date ", FormatDate(input.received_on),
        " is in the future (today is ", FormatDate(ctx.today), ")"));
  }
  if (input.received_on < kRegulations2008Effective) {
    return absl::InvalidArgumentError(
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

std::string DescribeStep(const CaseEvent& event) {
  auto detail = [&](absl::string_view key) -> std::string {
    const Json* v = event.details.Find(key);
    if (v == nullptr) return "";
    return v->is_string() ? v->as_string() : v->Dump();
  };
  const std::string& k = event.kind;
  if (k == "received") {
    std::string line = "application received";
    absl::StatusOr<Channel> ch = ParseChannel(detail("channel"));
    if (ch.ok()) absl::StrAppend(&line, " (", Info(*ch).label, ")");
    return line;
  }
  if (k == "answered") {
    std::string line = "answered";
    absl::StatusOr<Outcome> o = ParseOutcome(detail("outcome"));
    if (o.ok()) absl::StrAppend(&line, ": ", OutcomeRowLabel(Info(*o)));
    return line;
  }
  if (k == "correction_requested") {
    return absl::StrCat("correction notice sent (补正告知), ",
                        detail("period_days"), " working days to correct");
  }
  if (k == "corrected") return "corrected application received";
  if (k == "complete") {
    std::string note = detail("note");
    return note.empty()
               ? "application recorded complete (受理/审查完毕)"
               : absl::StrCat("application recorded complete (受理/审查完毕): ",
                              note);
  }
  if (k == "consultation_received") {
    return absl::StrCat("consultation ", detail("id"),
                        " received by the party");
  }
  if (k == "consultation_started") {
    std::string received = detail("received_on");
    return absl::StrCat(
        "consultation ", detail("id"), " sent to ", detail("party"),
        detail("kind") == "agency" ? " (agency)" : " (third party)",
        received.empty() ? "" : absl::StrCat(", received ", received));
  }
  if (k == "consultation_replied") {
    return absl::StrCat("consultation ", detail("id"), " answered");
  }
  if (k == "extended") {
    return absl::StrCat(
        detail("kind") == "unreasonable_volume"
            ? "longer period (Art. 35) of "
            : "deadline extended (Art. 33) by ",
        detail("days"), " working days, approved by ", detail("approved_by"),
        event.actor.empty() || event.actor == detail("approved_by")
            ? ""
            : absl::StrCat(" (entered by ", event.actor, ")"),
        ": ", detail("reason"));
  }
  if (k == "fee_notified") {
    return absl::StrCat(
        "fee notice: ",
        FormatYuan(event.details.Find("amount_fen") != nullptr
                       ? event.details.Find("amount_fen")->as_int()
                       : 0),
        " yuan");
  }
  if (k == "fee_paid") return "fee paid";
  if (k == "withdrawn") {
    std::string reason = detail("reason");
    return reason.empty()
               ? "withdrawn by the applicant"
               : absl::StrCat("withdrawn by the applicant: ", reason);
  }
  if (k == "assigned") {
    std::string to = detail("after");
    return to.empty() ? "unassigned" : absl::StrCat("assigned to ", to);
  }
  if (k == "document") {
    // A document generated for the applicant (domain/documents.h).
    std::string consultation = detail("consultation_id");
    return absl::StrCat(
        "document sent (发出文书): ", detail("template"),
        consultation.empty() ? "" : absl::StrCat(" ", consultation), " ",
        detail("number"), " of ", detail("date"), ", sha256 ",
        detail("sha256").substr(0, 12));
  }
  if (k == "deadline_recalculated") {
    return absl::StrCat("reply deadline moved from ", detail("from"), " to ",
                        detail("to"), " (calendar changed)");
  }
  return k;
}

}  // namespace

std::string DescribeEvent(const CaseEvent& event) {
  std::string line = DescribeStep(event);
  if (const Json* why = event.details.Find("late_reason");
      why != nullptr && why->is_string()) {
    absl::StrAppend(&line,
                    event.kind == "corrected"
                        ? "; after the correction period, for good reason: "
                        : "; recorded out of time: ",
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
    return absl::InvalidArgumentError(absl::StrCat(
        "'", text, "' is not an amount of yuan; write e.g. 300 or 300.50"));
  }
  for (char c : whole) yuan = yuan * 10 + (c - '0');
  for (size_t i = 0; i < 2; ++i) {
    fen = fen * 10 + (i < frac.size() ? frac[i] - '0' : 0);
  }
  return yuan * 100 + fen;
}

}  // namespace gongkai

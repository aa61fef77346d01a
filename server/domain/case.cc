#include "server/domain/case.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/dates.h"
#include "common/text_width.h"
#include "server/domain/clocks.h"

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

// Validates one free-text field.
absl::Status CheckText(absl::string_view field, absl::string_view value,
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

}  // namespace

absl::Status ValidateCaseNo(absl::string_view case_no) {
  if (case_no.empty()) {
    return absl::InvalidArgumentError("case number is empty");
  }
  if (absl::Status s = CheckText("case number", case_no, true, kMaxCaseNoChars,
                                 0, false);
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
    return absl::InvalidArgumentError(absl::StrCat(
        "receipt date ", FormatDate(input.received_on),
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
    if (absl::Status s = CheckText(f.name, f.value, f.required, f.max_chars,
                                   f.max_bytes, f.multiline);
        !s.ok()) {
      return s;
    }
  }

  CaseRecord c;
  c.case_no = input.case_no;
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
  event->details = Json::MakeObject();
  event->details.Set("channel", std::string(Info(c.channel).code));
  event->details.Set("applicant_type", std::string(Info(c.applicant_type).code));
  event->details.Set("applicant", c.applicant);
  return c;
}

absl::StatusOr<CaseEvent> AnswerCase(CaseRecord& c, const AnswerInput& input,
                                     const ActionContext& ctx) {
  if (c.state == CaseState::kClosed) {
    return absl::FailedPreconditionError(absl::StrCat(
        "case ", c.case_no, " is already closed (answered on ",
        c.answered_on ? FormatDate(*c.answered_on) : "?", " with outcome ",
        c.outcome ? Info(*c.outcome).code : "?", ")"));
  }
  if (input.answered_on < c.received_on) {
    return absl::InvalidArgumentError(absl::StrCat(
        "answer date ", FormatDate(input.answered_on),
        " is before the receipt date ", FormatDate(c.received_on)));
  }
  if (input.answered_on > ctx.today) {
    return absl::InvalidArgumentError(
        absl::StrCat("answer date ", FormatDate(input.answered_on),
                     " is in the future (today is ", FormatDate(ctx.today), ")"));
  }
  if (absl::Status s =
          CheckText("note", input.note, false, kMaxNoteChars, 0, true);
      !s.ok()) {
    return s;
  }

  c.state = CaseState::kClosed;
  c.answered_on = input.answered_on;
  c.outcome = input.outcome;
  c.answer_note = input.note;
  ++c.version;
  c.updated_at = ctx.now;

  CaseEvent event;
  event.kind = "answered";
  event.effective_on = input.answered_on;
  event.recorded_at = ctx.now;
  event.actor = ctx.actor;
  event.details.Set("outcome", std::string(Info(input.outcome).code));
  if (!input.note.empty()) event.details.Set("note", input.note);
  return event;
}

std::string DescribeEvent(const CaseEvent& event) {
  auto detail = [&](absl::string_view key) -> std::string {
    const Json* v = event.details.Find(key);
    return v != nullptr && v->is_string() ? v->as_string() : "";
  };
  if (event.kind == "received") {
    std::string line = absl::StrCat("application received");
    absl::StatusOr<Channel> ch = ParseChannel(detail("channel"));
    if (ch.ok()) absl::StrAppend(&line, " (", Info(*ch).label, ")");
    return line;
  }
  if (event.kind == "answered") {
    std::string line = "answered";
    absl::StatusOr<Outcome> o = ParseOutcome(detail("outcome"));
    if (o.ok()) {
      absl::StrAppend(&line, ": ", Info(*o).row, " ", Info(*o).label);
    }
    return line;
  }
  return event.kind;
}

}  // namespace gongkai

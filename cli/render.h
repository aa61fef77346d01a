// Rendering of API messages for people (aligned tables with Chinese labels)
// and for programs (JSON with stable keys, YYYY-MM-DD dates, null when
// absent).
#ifndef GONGKAI_CLI_RENDER_H_
#define GONGKAI_CLI_RENDER_H_

#include <iosfwd>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/json.h"
#include "common/lang.h"
#include "formats/text_table.h"
#include "gongkai/v1/case_service.pb.h"
#include "gongkai/v1/types.pb.h"

namespace gongkai::cli {

// "YYYY-MM-DD", or "" when the date is unset.
std::string DateText(const v1::Date& date, bool present = true);
// The date as a JSON string, or null when unset.
Json DateJson(const v1::Date& date, bool present);

// Parses a user-typed date into the API form.
absl::StatusOr<v1::Date> DateArg(absl::string_view text,
                                 absl::string_view what);

// Stable codes for the enums ("" when unspecified).
std::string StateCode(v1::CaseState s);
std::string ChannelCode(v1::Channel c);
std::string ApplicantTypeCode(v1::ApplicantType t);
std::string OutcomeCode(v1::Outcome o);

Json CaseToJson(const v1::Case& c, bool with_events);

// "2024-02-21 星期三（还剩 5 个工作日）" / "2024-02-21 Wednesday (5 working
// days left)", or why the deadline is unset.
std::string ReplyDueLine(const v1::Case& c, Lang lang);

// How a person reads a stable code: the official Chinese label, or in
// English the code itself (the labels have no official English).
std::string StateText(v1::CaseState s, Lang lang);
std::string ChannelText(v1::Channel c, Lang lang);
std::string ApplicantTypeText(v1::ApplicantType t, Lang lang);
// The table 3 row: "（二）部分公开" or "partly_disclosed".
std::string OutcomeText(v1::Outcome o, Lang lang);

// A stored UTC timestamp as people read it: China Standard Time
// ("2026-12-01 08:21:43 +08:00"); "" stays "".
std::string TimeText(absl::string_view rfc3339);

// Text or null, for JSON: absent values are null, never "".
Json TextOrNull(absl::string_view text);

// Stored text as a terminal may show it: bytes that are not UTF-8 as
// U+FFFD, control characters and terminal escape sequences as visible
// escapes ("\x1b[2J"), so a record cannot clear the screen, move the
// cursor or forge the lines printed around it. `multiline` keeps newlines
// and tabs (request text, notes). See common/text_safety.h.
std::string Shown(absl::string_view text, bool multiline = false);

// `rows` with every cell Shown on one line, for FormatTable.
std::vector<std::vector<std::string>> ShownRows(
    std::vector<std::vector<std::string>> rows);

// The full human view of one case.
void PrintCase(const v1::Case& c, Lang lang, std::ostream& out);

// One row per case: number, received, due, days left, state, answer date
// and outcome (closed cases), applicant, first words of the request.
void PrintCaseTable(const std::vector<v1::Case>& cases, Lang lang,
                    std::ostream& out);

}  // namespace gongkai::cli

#endif  // GONGKAI_CLI_RENDER_H_

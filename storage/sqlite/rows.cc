#include "storage/sqlite/rows.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "common/dates.h"
#include "common/status_macros.h"

namespace gongkai::storage {

std::string AgencyList(const std::vector<std::string>& agencies) {
  if (agencies.empty()) return "";
  return absl::StrCat(",", absl::StrJoin(agencies, ","), ",");
}

std::string YearStart(int year) { return absl::StrFormat("%04d-01-01", year); }
std::string YearEnd(int year) { return absl::StrFormat("%04d-12-31", year); }

absl::StatusOr<absl::Time> StoredTimestamp(const std::string& text) {
  absl::StatusOr<absl::Time> t = ParseTimestamp(text);
  if (!t.ok()) {
    return absl::DataLossError(absl::StrCat(
        "bad timestamp '", text, "' in the database: ", t.status().message()));
  }
  return t;
}

absl::StatusOr<absl::CivilDay> StoredDate(const std::string& text) {
  absl::StatusOr<absl::CivilDay> d = ParseDate(text);
  if (!d.ok()) {
    return absl::DataLossError(
        absl::StrCat("bad date '", text, "' in the database"));
  }
  return d;
}

std::optional<std::string> OptionalDate(
    const std::optional<absl::CivilDay>& d) {
  if (!d.has_value()) return std::nullopt;
  return FormatDate(*d);
}

const char kCaseColumns[] =
    "id, case_no, state, channel, applicant_type, applicant, contact, "
    "id_number, request, received_on, answered_on, outcome, answer_note, "
    "version, created_at, updated_at, assignee, agency, due_on, query_code";

const char kCaseEventColumns[] =
    "case_id, seq, kind, effective_on, recorded_at, actor, details";

}  // namespace gongkai::storage

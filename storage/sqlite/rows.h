// Row conversions shared by the SQLite tables: stored timestamps and dates,
// agency filters, and the case row read by several tables.
//
// Thread safety: plain functions; the statements passed in belong to the
// caller's connection.
#ifndef GONGKAI_STORAGE_SQLITE_ROWS_H_
#define GONGKAI_STORAGE_SQLITE_ROWS_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "common/json.h"
#include "common/status_macros.h"
#include "domain/case.h"
#include "storage/database.h"

namespace gongkai::storage {

// An agency filter as one SQL parameter: ",a,b," (empty: every agency),
// matched by "(?N = '' OR instr(?N, ',' || agency || ',') > 0)" so that one
// prepared statement serves every filter.
std::string AgencyList(const std::vector<std::string>& agencies);

// "2023-01-01" and "2023-12-31" of `year`.
std::string YearStart(int year);
std::string YearEnd(int year);

// DATA_LOSS when the database holds something gongkai did not write.
absl::StatusOr<absl::Time> StoredTimestamp(const std::string& text);
absl::StatusOr<absl::CivilDay> StoredDate(const std::string& text);
std::optional<std::string> OptionalDate(const std::optional<absl::CivilDay>& d);

// The columns ReadCase expects, in order. Both engines store the same text
// forms, so the PostgreSQL tables read their rows with the same functions.
extern const char kCaseColumns[];
// The columns ReadCaseEvent expects, in order (the case id first).
extern const char kCaseEventColumns[];

// The case or event of the current row of `s`: a statement of either engine
// (ColumnInt, ColumnText, IsNull by column index).
template <typename Row>
absl::StatusOr<CaseRecord> ReadCase(const Row& s) {
  CaseRecord c;
  c.id = s.ColumnInt(0);
  c.case_no = s.ColumnText(1);
  absl::StatusOr<CaseState> state = ParseCaseState(s.ColumnText(2));
  absl::StatusOr<Channel> channel = ParseChannel(s.ColumnText(3));
  absl::StatusOr<ApplicantType> type = ParseApplicantType(s.ColumnText(4));
  if (!state.ok() || !channel.ok() || !type.ok()) {
    return absl::DataLossError(absl::StrCat(
        "case ", c.case_no, " has an unknown code in the database"));
  }
  c.state = *state;
  c.channel = *channel;
  c.applicant_type = *type;
  c.applicant = s.ColumnText(5);
  c.contact = s.ColumnText(6);
  c.id_number = s.ColumnText(7);
  c.request = s.ColumnText(8);
  ASSIGN_OR_RETURN(c.received_on, StoredDate(s.ColumnText(9)));
  if (!s.IsNull(10)) {
    ASSIGN_OR_RETURN(c.answered_on, StoredDate(s.ColumnText(10)));
  }
  if (!s.IsNull(11)) {
    absl::StatusOr<Outcome> outcome = ParseOutcome(s.ColumnText(11));
    if (!outcome.ok()) {
      return absl::DataLossError(
          absl::StrCat("case ", c.case_no, " has an unknown outcome"));
    }
    c.outcome = *outcome;
  }
  c.answer_note = s.ColumnText(12);
  c.version = s.ColumnInt(13);
  ASSIGN_OR_RETURN(c.created_at, StoredTimestamp(s.ColumnText(14)));
  ASSIGN_OR_RETURN(c.updated_at, StoredTimestamp(s.ColumnText(15)));
  c.assignee = s.ColumnText(16);
  c.agency = s.ColumnText(17);
  if (!s.IsNull(18)) {
    ASSIGN_OR_RETURN(c.due_on, StoredDate(s.ColumnText(18)));
  }
  c.query_code = s.ColumnText(19);
  return c;
}

template <typename Row>
absl::StatusOr<CaseEvent> ReadCaseEvent(const Row& s) {
  CaseEvent e;
  e.seq = s.ColumnInt(1);
  e.kind = s.ColumnText(2);
  ASSIGN_OR_RETURN(e.effective_on, StoredDate(s.ColumnText(3)));
  ASSIGN_OR_RETURN(e.recorded_at, StoredTimestamp(s.ColumnText(4)));
  e.actor = s.ColumnText(5);
  absl::StatusOr<Json> details = Json::Parse(s.ColumnText(6));
  if (!details.ok()) {
    return absl::DataLossError(
        absl::StrCat("event ", e.seq, " has unreadable details"));
  }
  e.details = *std::move(details);
  return e;
}

}  // namespace gongkai::storage

#endif  // GONGKAI_STORAGE_SQLITE_ROWS_H_

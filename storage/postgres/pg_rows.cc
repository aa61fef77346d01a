#include "storage/postgres/pg_rows.h"

#include "absl/strings/str_cat.h"
#include "common/json.h"
#include "common/status_macros.h"
#include "storage/sqlite/rows.h"

namespace gongkai::storage {

std::string PgAgencyFilter(int param, absl::string_view column) {
  return absl::StrCat("(?", param, " = '' OR strpos(?", param, ", ',' || ",
                      column, " || ',') > 0)");
}

const char kPgCaseColumns[] =
    "id, case_no, state, channel, applicant_type, applicant, contact, "
    "id_number, request, received_on, answered_on, outcome, answer_note, "
    "version, created_at, updated_at, assignee, agency, due_on, query_code";

absl::StatusOr<CaseRecord> PgReadCase(const PgStatement& s) {
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

const char kPgCaseEventColumns[] =
    "case_id, seq, kind, effective_on, recorded_at, actor, details";

absl::StatusOr<CaseEvent> PgReadCaseEvent(const PgStatement& s) {
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

#include "storage/sqlite/appeal_table.h"

#include "absl/strings/str_cat.h"
#include "common/dates.h"
#include "common/lang.h"
#include "common/status_macros.h"
#include "storage/sqlite/audit_chain.h"
#include "storage/sqlite/rows.h"

namespace gongkai::storage {
namespace {

constexpr char kAppealSelect[] =
    "SELECT a.id, c.case_no, a.kind, a.filed_on, a.result, a.decided_on, "
    "c.agency "
    "FROM appeals a JOIN cases c ON c.id = a.case_id";

absl::StatusOr<AppealRecord> ReadAppeal(const Statement& s) {
  AppealRecord a;
  a.id = s.ColumnInt(0);
  a.case_no = s.ColumnText(1);
  absl::StatusOr<AppealKind> kind = ParseAppealKind(s.ColumnText(2));
  if (!kind.ok()) return absl::DataLossError("an appeal has an unknown kind");
  a.kind = *kind;
  ASSIGN_OR_RETURN(a.filed_on, StoredDate(s.ColumnText(3)));
  if (!s.IsNull(4)) {
    absl::StatusOr<AppealResult> r = ParseAppealResult(s.ColumnText(4));
    if (!r.ok()) return absl::DataLossError("an appeal has an unknown result");
    a.result = *r;
    ASSIGN_OR_RETURN(a.decided_on, StoredDate(s.ColumnText(5)));
  }
  a.agency = s.ColumnText(6);
  return a;
}

}  // namespace

absl::StatusOr<AppealRecord> SqliteAppealTable::Get(int64_t id) {
  ASSIGN_OR_RETURN(ScopedStatement s, db().Prepare(absl::StrCat(
                                          kAppealSelect, " WHERE a.id = ?")));
  s->BindInt(1, id);
  ASSIGN_OR_RETURN(bool found, s->Step());
  if (!found)
    return LocalizedError(absl::StatusCode::kNotFound,
                          absl::StrCat("没有编号为 ", id, " 的复议诉讼"),
                          absl::StrCat("no appeal with id ", id));
  return ReadAppeal(*s);
}

absl::StatusOr<std::vector<AppealRecord>> SqliteAppealTable::List(
    int year, const std::vector<std::string>& agencies) {
  ASSIGN_OR_RETURN(ScopedStatement s,
                   db().Prepare(absl::StrCat(
                       kAppealSelect,
                       " WHERE (?1 = 0 OR (a.filed_on <= ?2 AND "
                       "(a.decided_on IS NULL OR a.decided_on >= ?3))) AND "
                       "(?4 = '' OR instr(?4, ',' || c.agency || ',') > 0) "
                       "ORDER BY a.filed_on, a.id")));
  s->BindInt(1, year);
  s->BindText(2, YearEnd(year));
  s->BindText(3, YearStart(year));
  s->BindText(4, AgencyList(agencies));
  return CollectRows(*s, ReadAppeal);
}

absl::StatusOr<AppealRecord> SqliteAppealTable::Insert(AppealRecord appeal,
                                                       RecordEvent event) {
  RETURN_IF_ERROR(session_->RequireWrite("recording an appeal"));
  ASSIGN_OR_RETURN(ScopedStatement c,
                   db().Prepare("SELECT id, agency FROM cases "
                                "WHERE case_no = ?"));
  c->BindText(1, appeal.case_no);
  ASSIGN_OR_RETURN(bool found, c->Step());
  if (!found) {
    return LocalizedError(
        absl::StatusCode::kNotFound,
        absl::StrCat("没有编号为“", appeal.case_no, "”的案件"),
        absl::StrCat("no case numbered '", appeal.case_no, "'"));
  }
  const int64_t case_id = c->ColumnInt(0);
  appeal.agency = c->ColumnText(1);
  ASSIGN_OR_RETURN(
      ScopedStatement s,
      db().Prepare("INSERT INTO appeals (case_id, kind, filed_on, "
                   "created_at, updated_at) VALUES (?, ?, ?, ?, ?)"));
  s->BindInt(1, case_id);
  s->BindText(2, AppealKindCode(appeal.kind));
  s->BindText(3, FormatDate(appeal.filed_on));
  s->BindText(4, FormatTimestamp(event.at));
  s->BindText(5, FormatTimestamp(event.at));
  RETURN_IF_ERROR(s->Run());
  appeal.id = db().LastInsertRowId();
  event.subject = absl::StrCat("appeal ", appeal.id);
  RETURN_IF_ERROR(AppendRecordEvent(*session_, event));
  return appeal;
}

absl::Status SqliteAppealTable::Update(const AppealRecord& appeal,
                                       const RecordEvent& event) {
  RETURN_IF_ERROR(session_->RequireWrite("deciding an appeal"));
  if (appeal.result.has_value() != appeal.decided_on.has_value()) {
    return LocalizedError(absl::StatusCode::kInvalidArgument,
                          "复议诉讼的结果和结案日期必须同时给出",
                          "an appeal's result and decision date go together");
  }
  ASSIGN_OR_RETURN(
      ScopedStatement s,
      db().Prepare("UPDATE appeals SET result = ?, decided_on = ?, "
                   "updated_at = ? WHERE id = ?"));
  if (appeal.result.has_value()) {
    s->BindText(1, AppealResultCode(*appeal.result));
    s->BindText(2, FormatDate(*appeal.decided_on));
  } else {
    s->BindNull(1);
    s->BindNull(2);
  }
  s->BindText(3, FormatTimestamp(event.at));
  s->BindInt(4, appeal.id);
  RETURN_IF_ERROR(s->Run());
  if (db().Changes() != 1) {
    return LocalizedError(absl::StatusCode::kNotFound,
                          absl::StrCat("没有编号为 ", appeal.id, " 的复议诉讼"),
                          absl::StrCat("no appeal with id ", appeal.id));
  }
  return AppendRecordEvent(*session_, event);
}

}  // namespace gongkai::storage

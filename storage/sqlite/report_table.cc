#include "storage/sqlite/report_table.h"

#include "absl/strings/str_cat.h"
#include "common/dates.h"
#include "common/lang.h"
#include "common/status_macros.h"
#include "storage/sqlite/audit_chain.h"
#include "storage/sqlite/rows.h"

namespace gongkai::storage {

absl::StatusOr<std::array<ProactiveRow, kProactiveItemCount>>
SqliteReportTable::GetProactive(int year,
                                const std::vector<std::string>& agencies) {
  // Several agencies' figures add up (a government's combined table 2).
  ASSIGN_OR_RETURN(
      ScopedStatement s,
      db().Prepare("SELECT item, SUM(issued), SUM(repealed), SUM(in_force), "
                   "SUM(decisions), SUM(amount_fen) FROM proactive_figures "
                   "WHERE year = ?1 AND "
                   "(?2 = '' OR instr(?2, ',' || agency || ',') > 0) "
                   "GROUP BY item"));
  s->BindInt(1, year);
  s->BindText(2, AgencyList(agencies));
  std::array<ProactiveRow, kProactiveItemCount> rows{};
  while (true) {
    ASSIGN_OR_RETURN(bool row, s->Step());
    if (!row) break;
    absl::StatusOr<ProactiveItem> item = ParseProactiveItem(s->ColumnText(0));
    if (!item.ok()) {
      return absl::DataLossError("unknown table 2 item in the database");
    }
    ProactiveRow& r = rows[static_cast<int>(*item) - 1];
    r.issued = s->ColumnInt(1);
    r.repealed = s->ColumnInt(2);
    r.in_force = s->ColumnInt(3);
    r.decisions = s->ColumnInt(4);
    r.amount_fen = s->ColumnInt(5);
  }
  return rows;
}

absl::Status SqliteReportTable::SetProactive(int year,
                                             const std::string& agency,
                                             ProactiveItem item,
                                             const ProactiveRow& row,
                                             const RecordEvent& event) {
  RETURN_IF_ERROR(session_->RequireWrite("setting table 2 figures"));
  std::string code;
  for (const ProactiveInfo& p : AllProactiveItems()) {
    if (p.item == item) code = std::string(p.code);
  }
  ASSIGN_OR_RETURN(
      ScopedStatement s,
      db().Prepare(
          "INSERT INTO proactive_figures (year, agency, item, issued, "
          "repealed, in_force, decisions, amount_fen, updated_at, "
          "updated_by) VALUES (?1, ?10, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) "
          "ON CONFLICT (year, agency, item) DO UPDATE SET issued = ?3, "
          "repealed = ?4, in_force = ?5, decisions = ?6, "
          "amount_fen = ?7, updated_at = ?8, updated_by = ?9"));
  s->BindInt(1, year);
  s->BindText(2, code);
  s->BindInt(3, row.issued);
  s->BindInt(4, row.repealed);
  s->BindInt(5, row.in_force);
  s->BindInt(6, row.decisions);
  s->BindInt(7, row.amount_fen);
  s->BindText(8, FormatTimestamp(event.at));
  s->BindText(9, event.actor);
  s->BindText(10, agency);
  RETURN_IF_ERROR(s->Run());
  return AppendRecordEvent(*session_, event);
}

absl::StatusOr<SqliteCaches::Published> SqliteReportTable::LoadPublished() {
  ASSIGN_OR_RETURN(
      ScopedStatement s,
      db().Prepare("SELECT year, agency, figures FROM published_reports"));
  SqliteCaches::Published out;
  while (true) {
    ASSIGN_OR_RETURN(bool row, s->Step());
    if (!row) break;
    out[{static_cast<int>(s->ColumnInt(0)), s->ColumnText(1)}] =
        s->ColumnText(2);
  }
  return out;
}

absl::StatusOr<std::map<std::pair<int, std::string>, std::string>>
SqliteReportTable::Published() {
  if (!session_->may_use_caches()) return LoadPublished();
  ASSIGN_OR_RETURN(
      std::shared_ptr<const SqliteCaches::Published> published,
      session_->caches().published.Get([&] { return LoadPublished(); }));
  return *published;
}

absl::StatusOr<std::set<std::pair<int, std::string>>>
SqliteReportTable::PublishedPeriods() {
  auto periods_of = [](const SqliteCaches::Published& published) {
    SqliteCaches::Periods out;
    for (const auto& [key, figures] : published) out.insert(key);
    return out;
  };
  if (!session_->may_use_caches()) {
    ASSIGN_OR_RETURN(SqliteCaches::Published published, LoadPublished());
    return periods_of(published);
  }
  ASSIGN_OR_RETURN(
      std::shared_ptr<const SqliteCaches::Periods> periods,
      session_->caches().published_periods.Get(
          [&]() -> absl::StatusOr<SqliteCaches::Periods> {
            ASSIGN_OR_RETURN(
                std::shared_ptr<const SqliteCaches::Published> published,
                session_->caches().published.Get(
                    [&] { return LoadPublished(); }));
            return periods_of(*published);
          }));
  return *periods;
}

absl::Status SqliteReportTable::Publish(int year, const std::string& agency,
                                        const std::string& figures,
                                        const RecordEvent& event) {
  RETURN_IF_ERROR(session_->RequireWrite("publishing a report"));
  ASSIGN_OR_RETURN(
      ScopedStatement existing,
      db().Prepare("SELECT published_at, published_by FROM "
                   "published_reports WHERE year = ? AND agency = ?"));
  existing->BindInt(1, year);
  existing->BindText(2, agency);
  ASSIGN_OR_RETURN(bool found, existing->Step());
  if (found) {
    return LocalizedError(
        absl::StatusCode::kAlreadyExists,
        absl::StrCat(agency.empty() ? "" : agency + " 的", year,
                     " 年度报告已由 ", existing->ColumnText(1), " 于 ",
                     ChinaTimeText(existing->ColumnText(0)), " 公布"),
        absl::StrCat("the ", year, " report",
                     agency.empty() ? "" : " of " + agency,
                     " was already published on ", existing->ColumnText(0),
                     " by ", existing->ColumnText(1)));
  }
  ASSIGN_OR_RETURN(ScopedStatement s,
                   db().Prepare("INSERT INTO published_reports (year, agency, "
                                "figures, published_at, published_by) "
                                "VALUES (?, ?, ?, ?, ?)"));
  s->BindInt(1, year);
  s->BindText(2, agency);
  s->BindText(3, figures);
  s->BindText(4, FormatTimestamp(event.at));
  s->BindText(5, event.actor);
  session_->published_changed = true;
  RETURN_IF_ERROR(s->Run());
  return AppendRecordEvent(*session_, event);
}

}  // namespace gongkai::storage

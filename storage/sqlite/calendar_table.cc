#include "storage/sqlite/calendar_table.h"

#include "absl/strings/str_cat.h"
#include "common/dates.h"
#include "common/status_macros.h"

namespace gongkai::storage {

absl::Status SqliteCalendarTable::SaveYears(
    const std::map<int, std::string>& year_texts, const std::string& source,
    const std::string& full_text, const std::string& actor, absl::Time at) {
  RETURN_IF_ERROR(session_->RequireWrite("loading a calendar"));
  ASSIGN_OR_RETURN(
      ScopedStatement s,
      db().Prepare(
          "INSERT INTO calendar_years (year, schedule, loaded_at, "
          "loaded_by, source) VALUES (?, ?, ?, ?, ?) "
          "ON CONFLICT (year) DO UPDATE SET schedule = excluded.schedule, "
          "loaded_at = excluded.loaded_at, loaded_by = excluded.loaded_by, "
          "source = excluded.source"));
  std::string years;
  for (const auto& [year, text] : year_texts) {
    s->BindInt(1, year);
    s->BindText(2, text);
    s->BindText(3, FormatTimestamp(at));
    s->BindText(4, actor);
    s->BindText(5, source);
    RETURN_IF_ERROR(s->Run());
    s->Reset();
    absl::StrAppend(&years, years.empty() ? "" : ",", year);
  }
  ASSIGN_OR_RETURN(
      ScopedStatement log,
      db().Prepare("INSERT INTO calendar_loads (loaded_at, loaded_by, "
                   "source, years, text) VALUES (?, ?, ?, ?, ?)"));
  log->BindText(1, FormatTimestamp(at));
  log->BindText(2, actor);
  log->BindText(3, source);
  log->BindText(4, years);
  log->BindText(5, full_text);
  return log->Run();
}

absl::StatusOr<std::map<int, std::string>> SqliteCalendarTable::LoadYears() {
  ASSIGN_OR_RETURN(ScopedStatement s,
                   db().Prepare("SELECT year, schedule FROM calendar_years "
                                "ORDER BY year"));
  std::map<int, std::string> out;
  while (true) {
    ASSIGN_OR_RETURN(bool row, s->Step());
    if (!row) break;
    out[static_cast<int>(s->ColumnInt(0))] = s->ColumnText(1);
  }
  return out;
}

}  // namespace gongkai::storage

// The check both engines run for `admin check` and the background pass:
// every case row against its event history, events without a case, and
// the kept report counts against the counts the histories give. One pass
// over cases and events in id order, merged.
//
// A template over the engine's connection (storage::Database or
// PgConnection: Prepare returning a statement with Step, ColumnInt,
// ColumnText and IsNull), since both store the same rows in the same text
// forms. Thread safety: runs on the caller's connection.
#ifndef GONGKAI_STORAGE_SQLITE_HISTORY_CHECK_H_
#define GONGKAI_STORAGE_SQLITE_HISTORY_CHECK_H_

#include <cstdint>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "domain/case_history.h"
#include "storage/sqlite/case_table.h"
#include "storage/sqlite/rows.h"
#include "storage/store.h"

namespace gongkai::storage {
namespace history_check {

inline IntegrityProblem Problem(std::string subject, std::string message) {
  IntegrityProblem p;
  p.subject = std::move(subject);
  p.message = std::move(message);
  return p;
}

inline std::string Describe(const CountDeltas::key_type& key) {
  const auto& [agency, year, kind, type] = key;
  return absl::StrCat("agency '", agency, "' year ", year, " ", kind, " ",
                      Info(type).code);
}

// The case as its history gives it, for counting: what the history does
// not carry (an old case's agency) is taken from the row.
inline CaseRecord AsDerived(const CaseRecord& row, const CaseFromHistory& h) {
  CaseRecord c = row;
  if (h.state) c.state = *h.state;
  if (h.received_on) c.received_on = *h.received_on;
  c.answered_on = h.answered_on;
  c.outcome = h.outcome;
  if (h.applicant_type) c.applicant_type = *h.applicant_type;
  if (h.agency) c.agency = *h.agency;
  return c;
}

}  // namespace history_check

// Appends what differs to `report`; an error only when the database cannot
// be read at all.
template <typename Db>
absl::Status CheckCasesAgainstHistory(Db& db, IntegrityReport& report) {
  // Cases and events in id order, merged: one pass over each table.
  ASSIGN_OR_RETURN(auto cases,
                   db.Prepare(absl::StrCat("SELECT ", kCaseColumns,
                                           " FROM cases ORDER BY id")));
  ASSIGN_OR_RETURN(auto events,
                   db.Prepare(absl::StrCat("SELECT ", kCaseEventColumns,
                                           " FROM case_events "
                                           "ORDER BY case_id, seq")));
  ASSIGN_OR_RETURN(bool have_event, events->Step());
  CountDeltas derived_counts;
  std::set<int64_t> orphans;
  while (true) {
    ASSIGN_OR_RETURN(bool row, cases->Step());
    // kCaseColumns start with the id; past the last case, take the rest.
    const int64_t case_id = row ? cases->ColumnInt(0) : INT64_MAX;
    std::vector<CaseEvent> history;
    std::string unreadable;
    while (have_event && events->ColumnInt(0) <= case_id) {
      const int64_t of = events->ColumnInt(0);
      if (of < case_id) {
        orphans.insert(of);
      } else {
        absl::StatusOr<CaseEvent> e = ReadCaseEvent(*events);
        if (e.ok()) {
          history.push_back(*std::move(e));
        } else {
          unreadable = std::string(e.status().message());
        }
      }
      ASSIGN_OR_RETURN(have_event, events->Step());
    }
    if (!row) break;
    ++report.cases_checked;
    absl::StatusOr<CaseRecord> c = ReadCase(*cases);
    if (!c.ok()) {
      report.problems.push_back(history_check::Problem(
          absl::StrCat("case row ", case_id),
          absl::StrCat("cannot be read: ", c.status().message())));
      continue;
    }
    const std::string subject = absl::StrCat("case ", c->case_no);
    if (!unreadable.empty()) {
      report.problems.push_back(history_check::Problem(subject, unreadable));
    }
    std::vector<std::string> unchecked;
    for (FieldMismatch& m : CompareWithHistory(*c, history, &unchecked)) {
      IntegrityProblem p;
      p.subject = subject;
      if (m.field == "history") {
        p.message = std::move(m.derived);
      } else {
        p.field = std::move(m.field);
        p.row = std::move(m.row);
        p.derived = std::move(m.derived);
      }
      report.problems.push_back(std::move(p));
    }
    if (!unchecked.empty()) ++report.cases_partly_checked;
    CountContribution(history_check::AsDerived(*c, ReplayHistory(history)), +1,
                      derived_counts);
  }
  for (int64_t id : orphans) {
    report.problems.push_back(history_check::Problem(
        absl::StrCat("case row ", id),
        "has events but no case row: the case was deleted outside "
        "gongkai"));
  }
  // The kept counts against the histories' counts.
  ASSIGN_OR_RETURN(auto kept,
                   db.Prepare("SELECT agency, year, kind, applicant_type, n "
                              "FROM case_counts"));
  CountDeltas stored;
  while (true) {
    ASSIGN_OR_RETURN(bool row, kept->Step());
    if (!row) break;
    absl::StatusOr<ApplicantType> type =
        ParseApplicantType(kept->ColumnText(3));
    if (!type.ok()) {
      report.problems.push_back(history_check::Problem(
          "report counts",
          absl::StrCat("a count has the unknown applicant type '",
                       kept->ColumnText(3), "'")));
      continue;
    }
    stored[{kept->ColumnText(0), static_cast<int>(kept->ColumnInt(1)),
            kept->ColumnText(2), *type}] += kept->ColumnInt(4);
  }
  std::set<CountDeltas::key_type> keys;
  for (const auto& [k, n] : stored) keys.insert(k);
  for (const auto& [k, n] : derived_counts) keys.insert(k);
  for (const CountDeltas::key_type& k : keys) {
    const int64_t s = stored.count(k) ? stored[k] : 0;
    const int64_t d = derived_counts.count(k) ? derived_counts[k] : 0;
    if (s != d) {
      IntegrityProblem p;
      p.subject = "report counts";
      p.field = history_check::Describe(k);
      p.row = absl::StrCat(s);
      p.derived = absl::StrCat(d);
      report.problems.push_back(std::move(p));
    }
  }
  return absl::OkStatus();
}

}  // namespace gongkai::storage

#endif  // GONGKAI_STORAGE_SQLITE_HISTORY_CHECK_H_

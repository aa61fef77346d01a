#include "storage/sqlite/integrity.h"

#include <sqlite3.h>

#include <map>
#include <memory>
#include <set>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "domain/case_history.h"
#include "storage/migrations.h"
#include "storage/sqlite/case_table.h"
#include "storage/sqlite/rows.h"

namespace gongkai::storage {
namespace {

IntegrityProblem Problem(std::string subject, std::string message) {
  IntegrityProblem p;
  p.subject = std::move(subject);
  p.message = std::move(message);
  return p;
}

std::string Describe(const CountDeltas::key_type& key) {
  const auto& [agency, year, kind, type] = key;
  return absl::StrCat("agency '", agency, "' year ", year, " ", kind, " ",
                      Info(type).code);
}

// The case as its history gives it, for counting: what the history does
// not carry (an old case's agency) is taken from the row.
CaseRecord AsDerived(const CaseRecord& row, const CaseFromHistory& h) {
  CaseRecord c = row;
  if (h.state) c.state = *h.state;
  if (h.received_on) c.received_on = *h.received_on;
  c.answered_on = h.answered_on;
  c.outcome = h.outcome;
  if (h.applicant_type) c.applicant_type = *h.applicant_type;
  if (h.agency) c.agency = *h.agency;
  return c;
}

}  // namespace

const std::vector<std::string>& TablesThatGrow() {
  static const std::vector<std::string>* const kTables =
      new std::vector<std::string>{
          "alert_marks", "alerts", "appeals",        "case_events",
          "case_text",   "cases",  "ledger_imports", "record_events",
      };
  return *kTables;
}

absl::StatusOr<IntegrityReport> CheckDatabaseFile(
    const std::string& path, const FileIdentity& expected,
    const std::atomic<bool>* stop) {
  OpenOptions options;
  options.must_exist = true;
  options.check_integrity = false;  // what follows checks it all
  options.watch_file = true;        // to compare it with `expected`
  absl::StatusOr<std::unique_ptr<Database>> db = Database::Open(path, options);
  IntegrityReport report;
  if (!db.ok() || (*db)->file_identity()->device() != expected.device() ||
      (*db)->file_identity()->inode() != expected.inode()) {
    // Whatever is at the path now, it is not the file served.
    if (absl::Status file = expected.Check(); !file.ok()) {
      report.problems.push_back(
          Problem("database file", std::string(file.message())));
      return report;
    }
    if (!db.ok()) return db.status();
  }
  if (stop != nullptr) {
    // SQLite asks every few thousand steps of its VM; a non-zero answer
    // ends the statement with SQLITE_INTERRUPT.
    sqlite3_progress_handler(
        (*db)->handle(), 10000,
        [](void* flag) -> int {
          return static_cast<const std::atomic<bool>*>(flag)->load() ? 1 : 0;
        },
        const_cast<std::atomic<bool>*>(stop));
  }
  auto stopped = [&](absl::Status s) {
    if (stop != nullptr && stop->load()) {
      return absl::CancelledError("the integrity check was stopped");
    }
    return s;
  };
  // One snapshot: rows, events and counts as of one moment; writers go on
  // beside it (WAL).
  ReadTransaction snapshot(db->get());
  if (absl::Status s = snapshot.Begin(); !s.ok()) return stopped(s);
  using Check = absl::Status (*)(Database&, IntegrityReport&);
  for (Check check : {&CheckEngine, &CheckSchema, &CheckCasesAgainstHistory}) {
    absl::Status s = check(**db, report);
    if (absl::IsDataLoss(s) && !(stop != nullptr && stop->load())) {
      // A damaged page can stop a check outright (SQLITE_CORRUPT): that is
      // a finding, not a failure to check; the other checks still run.
      report.problems.push_back(Problem("database", std::string(s.message())));
    } else if (!s.ok()) {
      return stopped(s);
    }
  }
  if (stop != nullptr && stop->load()) return stopped(absl::OkStatus());
  return report;
}

absl::Status CheckEngine(Database& db, IntegrityReport& report) {
  ASSIGN_OR_RETURN(ScopedStatement s, db.Prepare("PRAGMA integrity_check"));
  while (true) {
    ASSIGN_OR_RETURN(bool row, s->Step());
    if (!row) break;
    if (s->ColumnText(0) != "ok") {
      report.problems.push_back(Problem("database", s->ColumnText(0)));
    }
  }
  return absl::OkStatus();
}

absl::Status CheckSchema(Database& db, IntegrityReport& report) {
  ASSIGN_OR_RETURN(std::vector<SchemaObject> expected, ExpectedSchema());
  ASSIGN_OR_RETURN(std::vector<SchemaObject> actual, ReadSchema(db));
  std::map<std::string, const SchemaObject*> have;
  for (const SchemaObject& o : actual) have[o.name] = &o;
  for (const SchemaObject& o : expected) {
    auto it = have.find(o.name);
    const std::string subject = absl::StrCat("schema ", o.type, " ", o.name);
    if (it == have.end()) {
      report.problems.push_back(Problem(
          subject, o.type == "trigger"
                       ? "is missing: it was dropped outside gongkai, and "
                         "the table it protects could be changed unseen"
                       : "is missing: it was dropped outside gongkai"));
      continue;
    }
    if (!(*it->second == o)) {
      IntegrityProblem p =
          Problem(subject, "differs from what the migrations made");
      p.row = it->second->sql;
      p.derived = o.sql;
      report.problems.push_back(std::move(p));
    }
    have.erase(it);
  }
  for (const auto& [name, o] : have) {
    report.problems.push_back(
        Problem(absl::StrCat("schema ", o->type, " ", name),
                "was added outside gongkai"));
  }
  return absl::OkStatus();
}

absl::Status CheckCasesAgainstHistory(Database& db, IntegrityReport& report) {
  // Cases and events in id order, merged: one pass over each table.
  ASSIGN_OR_RETURN(ScopedStatement cases,
                   db.Prepare(absl::StrCat("SELECT ", kCaseColumns,
                                           " FROM cases ORDER BY id")));
  ASSIGN_OR_RETURN(ScopedStatement events,
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
      report.problems.push_back(
          Problem(absl::StrCat("case row ", case_id),
                  absl::StrCat("cannot be read: ", c.status().message())));
      continue;
    }
    const std::string subject = absl::StrCat("case ", c->case_no);
    if (!unreadable.empty()) {
      report.problems.push_back(Problem(subject, unreadable));
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
    CountContribution(AsDerived(*c, ReplayHistory(history)), +1,
                      derived_counts);
  }
  for (int64_t id : orphans) {
    report.problems.push_back(
        Problem(absl::StrCat("case row ", id),
                "has events but no case row: the case was deleted outside "
                "gongkai"));
  }
  // The kept counts against the histories' counts.
  ASSIGN_OR_RETURN(ScopedStatement kept,
                   db.Prepare("SELECT agency, year, kind, applicant_type, n "
                              "FROM case_counts"));
  CountDeltas stored;
  while (true) {
    ASSIGN_OR_RETURN(bool row, kept->Step());
    if (!row) break;
    absl::StatusOr<ApplicantType> type =
        ParseApplicantType(kept->ColumnText(3));
    if (!type.ok()) {
      report.problems.push_back(
          Problem("report counts",
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
      p.field = Describe(k);
      p.row = absl::StrCat(s);
      p.derived = absl::StrCat(d);
      report.problems.push_back(std::move(p));
    }
  }
  return absl::OkStatus();
}

}  // namespace gongkai::storage

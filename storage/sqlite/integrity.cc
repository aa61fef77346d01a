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
#include "storage/sqlite/history_check.h"
#include "storage/sqlite/rows.h"

namespace gongkai::storage {
namespace {

IntegrityProblem Problem(std::string subject, std::string message) {
  IntegrityProblem p;
  p.subject = std::move(subject);
  p.message = std::move(message);
  return p;
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
  for (Check check :
       {&CheckEngine, &CheckSchema, &CheckCasesAgainstHistory<Database>}) {
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

}  // namespace gongkai::storage

// Store: the durable home of every case, and the one way to reach it.
//
// A use case opens a transaction with Store::Write (or Store::Read) and works
// on the tables it is handed: loads what its rule needs, checks the rule
// against those rows, and writes the new state with its audit event. Either
// everything the body wrote is committed or nothing is.
//
//   absl::Status s = store.Write([&](Tables& t) -> absl::Status {
//     ASSIGN_OR_RETURN(CaseRecord c, t.cases().Get("2026-0001"));
//     if (!caller.SeesAgency(c.agency)) return absl::NotFoundError(...);
//     ...
//     return t.cases().Update(before, c, &event);
//   });
//
// The tables are small interfaces, one per kind of record (cases and their
// events, appeals, table 2 and publications, users, agencies, the audit log,
// the calendar, the alert outbox), so that a second engine implements the
// same contract.
//
// Thread safety: a Store may be used from any number of threads. A body runs
// on whatever thread the engine chooses (writes of concurrent callers are
// committed together by one leader thread), so it must carry everything it
// needs in its captures and must never ask "who is calling?" of the thread.
// The Tables reference is valid only inside the body; a body must not open
// another transaction.
#ifndef GONGKAI_STORAGE_STORE_H_
#define GONGKAI_STORAGE_STORE_H_

#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/json.h"
#include "domain/case.h"
#include "domain/codes.h"
#include "domain/documents.h"
#include "domain/report.h"

namespace gongkai::storage {

// The order of a case listing; each ends with the case's id, so that the
// order is total and a page cursor never repeats or skips a case.
enum class CaseSort {
  kReceived,  // oldest receipt first
  kDue,       // earliest reply deadline first; unknown deadlines last
  kCaseNo,    // by case number
};

// Where a page ends: the last case's sort key (its receipt date, deadline
// or number, as CaseQuery::Cursor makes it) and its id.
struct CaseCursor {
  CaseCursor() = default;
  CaseCursor(std::string key, int64_t id) : key(std::move(key)), id(id) {}
  // The receipt-order cursor of earlier callers.
  CaseCursor(absl::CivilDay received_on, int64_t id);
  CaseCursor(const std::pair<absl::CivilDay, int64_t>& after)  // NOLINT
      : CaseCursor(after.first, after.second) {}
  std::string key;
  int64_t id = 0;
};

struct CaseQuery {
  std::optional<CaseState> state;
  bool open_only = false;  // every state but closed
  int receipt_year = 0;    // 0: any
  std::optional<ApplicantType> applicant_type;
  std::string assignee;               // empty: anyone
  std::vector<std::string> agencies;  // empty: every agency
  // Words of the applicant, request or contact, separated by spaces; each
  // must occur (as a substring of two characters or more, found through
  // the full-text index). INVALID_ARGUMENT for a word of one character.
  std::string search;
  std::string applicant;  // substring of the applicant (two characters+)
  std::optional<absl::CivilDay> received_from;  // inclusive
  std::optional<absl::CivilDay> received_to;    // inclusive
  std::optional<Outcome> outcome;
  // Set: only open cases whose reply deadline is before this day (today).
  std::optional<absl::CivilDay> overdue_on;
  CaseSort sort = CaseSort::kReceived;
  int limit = 100;
  // The count of matches stops here: counting every one of a common word's
  // tens of thousands of matches costs more than the page itself. 0: count
  // them all.
  int64_t count_limit = 1000;
  // Keyset cursor: return cases after this one in the query's order.
  std::optional<CaseCursor> after;

  // The cursor that continues after `last` in this query's order.
  CaseCursor Cursor(const CaseRecord& last) const;
};

// A reply deadline worked out for a case read at `version`.
struct DueDate {
  int64_t id = 0;
  int64_t version = 0;
  std::optional<absl::CivilDay> due_on;
};

struct CasePage {
  std::vector<CaseRecord> cases;
  bool more = false;  // another page follows
  int64_t total = 0;  // cases matching the filter, all pages
  // More than `total` cases match: counting stopped at the query's
  // count_limit.
  bool total_is_lower_bound = false;
};

// An appeal (reconsideration or litigation) against a case's answer.
struct AppealRecord {
  int64_t id = 0;
  std::string case_no;
  std::string agency;  // the case's agency
  AppealKind kind = AppealKind::kReconsideration;
  absl::CivilDay filed_on;
  std::optional<absl::CivilDay> decided_on;
  std::optional<AppealResult> result;
};

// An audit entry for records that are not cases (appeals, table 2 figures,
// publication, imports, users, reveals of personal data).
struct RecordEvent {
  std::string kind;
  std::string subject;
  std::string actor;
  absl::Time at;
  Json details = Json::MakeObject();
};

// One case of an imported ledger with its events.
struct ImportedCase {
  CaseRecord record;
  std::vector<CaseEvent> events;
  int line = 0;  // in the ledger file, for error messages
};

// A staff account. Only a hash of its API token is stored.
struct UserRecord {
  int64_t id = 0;
  std::string name;
  std::string role;  // clerk, handler, head, admin, auditor
  bool disabled = false;
  absl::Time created_at;
  std::string agencies = "*";  // "*" (all) or "a,b"
};

// One entry of the audit trail across cases and other records.
struct AuditEntry {
  absl::Time recorded_at;
  std::string actor;
  std::string kind;
  std::string subject;          // "case 2023-0001", "appeal 3", ...
  absl::CivilDay effective_on;  // case events only
  Json details;
};

// One finding of Store::CheckIntegrity: a field that differs from what its
// history gives (field, row, derived), or another problem (message).
struct IntegrityProblem {
  std::string subject;  // "case 2023-0001", "report counts", "schema", ...
  std::string field;
  std::string row;
  std::string derived;
  std::string message;
};

struct IntegrityReport {
  std::vector<IntegrityProblem> problems;  // empty: consistent
  int64_t cases_checked = 0;
  // Cases received before the received event carried every intake field
  // (databases of earlier versions): their agency, contact, identity number
  // and request could not be checked against the history.
  int64_t cases_partly_checked = 0;
};

// Cases, their append-only events, and the per-year report counts kept with
// every write. Agency lists: empty means every agency.
class CaseTable {
 public:
  virtual ~CaseTable() = default;

  // NOT_FOUND ("no case numbered '…'") when there is no such case.
  virtual absl::StatusOr<CaseRecord> Get(absl::string_view case_no) = 0;
  // The named cases that exist (unknown numbers are skipped).
  virtual absl::StatusOr<std::vector<CaseRecord>> GetMany(
      const std::vector<std::string>& case_nos) = 0;
  virtual absl::StatusOr<std::vector<CaseEvent>> Events(int64_t case_id) = 0;
  // Events of several cases at once, keyed by case id.
  virtual absl::StatusOr<std::map<int64_t, std::vector<CaseEvent>>> EventsOf(
      const std::vector<int64_t>& case_ids) = 0;
  virtual absl::StatusOr<CasePage> List(const CaseQuery& query) = 0;
  // Records reply deadlines worked out anew (after a calendar change, or for
  // cases stored before deadlines were kept), each only if the case is
  // still at the version it was read at. Nothing else of the case changes,
  // and no event is written: the deadline follows from the events and the
  // calendar.
  virtual absl::Status SetDueDates(const std::vector<DueDate>& due) = 0;
  // Applications by `applicant` (exact name) received from `from` to `to`
  // by `agencies`.
  virtual absl::StatusOr<int64_t> CountApplications(
      const std::string& applicant, absl::CivilDay from, absl::CivilDay to,
      const std::vector<std::string>& agencies) = 0;
  // The receipt date of the latest application by `applicant` (exact name)
  // to `agencies`; nullopt when there is none.
  virtual absl::StatusOr<std::optional<absl::CivilDay>> LatestApplication(
      const std::string& applicant,
      const std::vector<std::string>& agencies) = 0;
  // Which of `case_nos` exist already.
  virtual absl::StatusOr<std::vector<std::string>> Existing(
      const std::vector<std::string>& case_nos) = 0;
  // Cases received or closed in `year`, oldest receipt first.
  virtual absl::StatusOr<std::vector<CaseRecord>> Ledger(
      int year, const std::vector<std::string>& agencies) = 0;

  // Stores a new case and its first event (which gets its sequence number)
  // and counts it for the report. An empty case_no takes the next number of
  // the receipt year ("2023-0001"). ALREADY_EXISTS when the number is taken,
  // saying only that (case numbers are unique across agencies, so the
  // message must not describe a case the caller may not see).
  virtual absl::StatusOr<CaseRecord> Insert(CaseRecord record,
                                            CaseEvent* event) = 0;
  // Writes `after` over the case as it was read (`before`), appends `event`
  // (which gets its sequence number) and moves the report counts from what
  // `before` contributed to what `after` does. ABORTED when the stored
  // version is no longer before.version.
  virtual absl::Status Update(const CaseRecord& before, const CaseRecord& after,
                              CaseEvent* event) = 0;

  // Ledger import: every case with its events, the import's record and its
  // audit event. ALREADY_EXISTS ("this ledger was already imported") when a
  // file with the same content was imported before.
  virtual absl::Status Import(std::vector<ImportedCase> cases,
                              const std::string& content_hash,
                              const RecordEvent& event) = 0;
  // When the same content was imported: "2024-01-05T… by admin from a.csv".
  virtual absl::StatusOr<std::optional<std::string>> FindImport(
      const std::string& content_hash) = 0;

  // --- The year-end report ---
  // Facts of every case the report of `year` may count (the reference the
  // kept counts are tested against).
  virtual absl::StatusOr<std::vector<CaseFact>> ReportFacts(
      int year, const std::vector<std::string>& agencies) = 0;
  // Table 3 of `year` from the per-year counts kept with every write; equal
  // to TallyTable3 over ReportFacts, without reading every case.
  virtual absl::StatusOr<Table3> Table3Of(
      int year, const std::vector<std::string>& agencies) = 0;
  // Fees paid in `year`, in fen.
  virtual absl::StatusOr<int64_t> FeesCollectedFen(
      int year, const std::vector<std::string>& agencies) = 0;
};

class AppealTable {
 public:
  virtual ~AppealTable() = default;
  // NOT_FOUND ("no appeal with id N").
  virtual absl::StatusOr<AppealRecord> Get(int64_t id) = 0;
  // Appeals filed by the end of `year` and not decided before it (0: all).
  virtual absl::StatusOr<std::vector<AppealRecord>> List(
      int year, const std::vector<std::string>& agencies) = 0;
  // Stores a new appeal (its id and agency filled in) and `event`, whose
  // subject is set to "appeal N".
  virtual absl::StatusOr<AppealRecord> Insert(AppealRecord appeal,
                                              RecordEvent event) = 0;
  // Writes the decision of `appeal` and records `event`.
  virtual absl::Status Update(const AppealRecord& appeal,
                              const RecordEvent& event) = 0;
};

// Table 2 (proactive disclosure figures) and the published reports.
class ReportTable {
 public:
  virtual ~ReportTable() = default;
  virtual absl::StatusOr<std::array<ProactiveRow, kProactiveItemCount>>
  GetProactive(int year, const std::vector<std::string>& agencies) = 0;
  virtual absl::Status SetProactive(int year, const std::string& agency,
                                    ProactiveItem item, const ProactiveRow& row,
                                    const RecordEvent& event) = 0;
  // Published figures (the report JSON), keyed by (year, agency); agency ""
  // is the whole government's report.
  virtual absl::StatusOr<std::map<std::pair<int, std::string>, std::string>>
  Published() = 0;
  // Only which (year, agency) are published: every write checks this.
  virtual absl::StatusOr<std::set<std::pair<int, std::string>>>
  PublishedPeriods() = 0;
  // ALREADY_EXISTS when the year is published already.
  virtual absl::Status Publish(int year, const std::string& agency,
                               const std::string& figures,
                               const RecordEvent& event) = 0;
};

class UserTable {
 public:
  virtual ~UserTable() = default;
  // ALREADY_EXISTS when the name is taken.
  virtual absl::StatusOr<UserRecord> Insert(const std::string& name,
                                            const std::string& role,
                                            const std::string& agencies,
                                            const std::string& token_hash,
                                            const RecordEvent& event) = 0;
  // NOT_FOUND for an unknown token (the caller reports UNAUTHENTICATED). A
  // user added by another process (gongkaid --create-admin) is found too.
  virtual absl::StatusOr<UserRecord> FindByTokenHash(
      const std::string& token_hash) = 0;
  // NOT_FOUND ("no user named '…'").
  virtual absl::StatusOr<UserRecord> FindByName(const std::string& name) = 0;
  virtual absl::StatusOr<std::vector<UserRecord>> List() = 0;
  // NOT_FOUND for an unknown name.
  virtual absl::Status SetDisabled(const std::string& name, bool disabled,
                                   const RecordEvent& event) = 0;
  virtual absl::Status SetToken(const std::string& name,
                                const std::string& token_hash,
                                const RecordEvent& event) = 0;
  // A new role and agencies ("*" or "a,b"); NOT_FOUND for an unknown name.
  virtual absl::Status SetRole(const std::string& name, const std::string& role,
                               const std::string& agencies,
                               const RecordEvent& event) = 0;
};

// Departments sharing this daemon: (code, name), ordered by code.
class AgencyTable {
 public:
  virtual ~AgencyTable() = default;
  // ALREADY_EXISTS when the code is taken.
  virtual absl::Status Insert(const std::string& code, const std::string& name,
                              const RecordEvent& event) = 0;
  virtual absl::StatusOr<std::vector<std::pair<std::string, std::string>>>
  List() = 0;
  // The agency's case-number pattern (domain/case_no_pattern.h; "" for the
  // default). NOT_FOUND for an unknown code.
  virtual absl::StatusOr<std::string> CaseNoPattern(
      const std::string& code) = 0;
  // Sets it; NOT_FOUND for an unknown code.
  virtual absl::Status SetCaseNoPattern(const std::string& code,
                                        const std::string& pattern,
                                        const RecordEvent& event) = 0;
};

// What each agency needs for its documents (domain/documents.h): its
// settings, its own templates, the 文号 sequences, and the query codes of
// cases. Agency "" is the office of a daemon without agencies.
class DocumentTable {
 public:
  virtual ~DocumentTable() = default;
  // The agency's settings; all fields empty when never set.
  virtual absl::StatusOr<DocumentSettings> Settings(
      const std::string& agency) = 0;
  // Replaces the agency's settings and records `event`.
  virtual absl::Status SetSettings(const std::string& agency,
                                   const DocumentSettings& settings,
                                   const RecordEvent& event) = 0;
  // The agency's own templates (name -> DOCX bytes); a name without one
  // uses the shipped default.
  virtual absl::StatusOr<std::map<std::string, std::string>> Templates(
      const std::string& agency) = 0;
  // The agency's own template `name`, if it has one.
  virtual absl::StatusOr<std::optional<std::string>> Template(
      const std::string& agency, const std::string& name) = 0;
  // Stores `templates` as the agency's own (replacing those of the same
  // names; others are kept) and records `event`.
  virtual absl::Status SaveTemplates(
      const std::string& agency,
      const std::map<std::string, std::string>& templates,
      const RecordEvent& event) = 0;
  // The number the next document of (agency, kind, year) gets, without
  // taking it; TakeNumber takes it (1, 2, ... per agency, kind and year).
  virtual absl::StatusOr<int64_t> NextNumber(const std::string& agency,
                                             const std::string& kind,
                                             int year) = 0;
  virtual absl::StatusOr<int64_t> TakeNumber(const std::string& agency,
                                             const std::string& kind,
                                             int year) = 0;
  // The case with query code `code` (stored form), if any.
  virtual absl::StatusOr<std::optional<std::string>> CaseNoByQueryCode(
      const std::string& code) = 0;
};

// The audit trail of records that are not cases, and the whole trail read
// back. Every entry is linked into a SHA-256 checksum chain.
class AuditLog {
 public:
  virtual ~AuditLog() = default;
  virtual absl::Status Append(const RecordEvent& event) = 0;
  // Events across all cases and records, oldest first, optionally only since
  // `since` (recorded time) and by `actor`. With `agencies` (empty: every
  // agency), only the events about them: their cases' events, the events
  // of their appeals, table 2 figures, imports and publications, and of
  // accounts limited to some of them; never what every agency shares
  // (agencies list aside, backups, accounts of every agency).
  virtual absl::StatusOr<std::vector<AuditEntry>> List(
      std::optional<absl::Time> since, const std::string& actor, int limit,
      const std::vector<std::string>& agencies) = 0;
  // Recomputes the checksum chains; returns every break found (empty:
  // intact).
  virtual absl::StatusOr<std::vector<std::string>> Verify() = 0;
};

// The working-day calendar loaded by administrators.
class CalendarTable {
 public:
  virtual ~CalendarTable() = default;
  // Stores the schedules of the years in `year_texts` (replacing earlier
  // loads of the same years) and records who loaded what.
  virtual absl::Status SaveYears(const std::map<int, std::string>& year_texts,
                                 const std::string& source,
                                 const std::string& full_text,
                                 const std::string& actor, absl::Time at) = 0;
  // Every stored year's schedule text, by year.
  virtual absl::StatusOr<std::map<int, std::string>> LoadYears() = 0;
};

// Alerts: each raised once, delivered to the hook once.
class AlertOutbox {
 public:
  struct StoredAlert {
    std::string key;
    std::string payload;  // the alert as JSON
    absl::Time raised_at;
    int attempts = 0;
  };
  struct NewAlert {
    std::string key;
    std::string payload;  // the alert as JSON
  };
  virtual ~AlertOutbox() = default;
  // Records the alerts whose keys are new; returns the positions in `alerts`
  // of those that were new. `deliver` marks them for the alert hook.
  virtual absl::StatusOr<std::vector<size_t>> Record(
      const std::vector<NewAlert>& alerts, absl::Time raised_at,
      bool deliver) = 0;
  // Alerts awaiting hook delivery whose next attempt is due by `now`.
  virtual absl::StatusOr<std::vector<StoredAlert>> Pending(absl::Time now) = 0;
  virtual absl::Status MarkDelivered(const std::string& key, absl::Time at) = 0;
  virtual absl::Status MarkFailed(const std::string& key,
                                  const std::string& error,
                                  absl::Time next_attempt) = 0;

  // One user's mark on an alert, by its stable key.
  struct UserMark {
    std::string key;
    std::string state;  // "acknowledged", "snoozed" or "cleared"
    std::optional<absl::CivilDay> snoozed_until;  // with "snoozed"
    absl::Time marked_at;
  };
  // Sets `user`'s mark on `mark.key` (replacing any earlier one) and
  // records `event`.
  virtual absl::Status SetUserMark(const std::string& user,
                                   const UserMark& mark,
                                   const RecordEvent& event) = 0;
  // `user`'s marks, "cleared" ones left out.
  virtual absl::StatusOr<std::vector<UserMark>> UserMarks(
      const std::string& user) = 0;
};

// What a transaction sees: every table, all on the same transaction.
class Tables {
 public:
  virtual ~Tables() = default;
  virtual CaseTable& cases() = 0;
  virtual AppealTable& appeals() = 0;
  virtual ReportTable& reports() = 0;
  virtual UserTable& users() = 0;
  virtual AgencyTable& agencies() = 0;
  virtual AuditLog& audit() = 0;
  virtual CalendarTable& calendar() = 0;
  virtual AlertOutbox& alerts() = 0;
  virtual DocumentTable& documents() = 0;
};

class Store {
 public:
  virtual ~Store() = default;

  // Runs `body` in one durable write transaction and returns its status, or
  // why the transaction could not be committed. When `body` fails, nothing
  // it wrote is kept. OK means committed and on disk: a write that committed
  // is never reported as failed.
  virtual absl::Status Write(absl::FunctionRef<absl::Status(Tables&)> body) = 0;
  // Runs `body` on one consistent snapshot; it must not write.
  virtual absl::Status Read(absl::FunctionRef<absl::Status(Tables&)> body) = 0;
  // Read, for the long scans of background work (the alert index's rebuild
  // after a start, the deadlines' refresh): an engine that can runs them on
  // a connection of their own, so that the calls being served meanwhile do
  // not wait behind them. Such bodies are serialised with each other only.
  virtual absl::Status ReadInBackground(
      absl::FunctionRef<absl::Status(Tables&)> body) {
    return Read(body);
  }

  // A consistent copy of the database at `path` while serving.
  virtual absl::Status Backup(const std::string& path) = 0;
  // Everything that can be checked without trusting the stored rows: the
  // engine's own consistency check, the schema (tables, indexes and the
  // append-only triggers) against what the migrations made, every case row
  // against its event history, and the kept report counts against the
  // counts the histories give. Empty problems: all consistent.
  virtual absl::StatusOr<IntegrityReport> CheckIntegrity() = 0;
  // Ends the integrity checks in progress (they return CANCELLED) and those
  // begun from now on, for a daemon shutting down; an engine whose check is
  // short may ignore it.
  virtual void StopIntegrityChecks() {}
};

namespace internal {
// Runs `body` (returning absl::StatusOr<T>) through `run` (Store::Read or
// Store::Write) and returns its value.
template <typename T, typename Run, typename Body>
absl::StatusOr<T> RunForValue(Run&& run, Body&& body) {
  std::optional<T> value;
  absl::Status status = run([&](Tables& tables) -> absl::Status {
    absl::StatusOr<T> result = body(tables);
    if (!result.ok()) return result.status();
    value.emplace(*std::move(result));
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return *std::move(value);
}
}  // namespace internal

// Runs `body` (returning absl::StatusOr<T>) in a read transaction and returns
// its value: the short form for a read of one thing.
//   ASSIGN_OR_RETURN(CaseRecord c, ReadValue<CaseRecord>(store, [&](Tables& t)
//   {
//     return t.cases().Get(no);
//   }));
template <typename T, typename Body>
absl::StatusOr<T> ReadValue(Store& store, Body&& body) {
  return internal::RunForValue<T>([&](auto&& b) { return store.Read(b); },
                                  std::forward<Body>(body));
}

// Likewise in a write transaction.
template <typename T, typename Body>
absl::StatusOr<T> WriteValue(Store& store, Body&& body) {
  return internal::RunForValue<T>([&](auto&& b) { return store.Write(b); },
                                  std::forward<Body>(body));
}

// Calls `visit` for every open case with its events, a page at a time (each
// page one Store::ReadInBackground transaction); stops at the first error
// `visit` returns.
absl::Status ForEachOpenCase(
    Store& store,
    const std::function<absl::Status(const CaseRecord&,
                                     const std::vector<CaseEvent>&)>& visit);

}  // namespace gongkai::storage

#endif  // GONGKAI_STORAGE_STORE_H_

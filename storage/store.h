// Store: the durable home of every case. The server talks to storage only
// through this interface.
//
// Every change to a case happens in one transaction that also appends the
// case's audit event; either both are written or neither. Implementations are
// safe to call from many threads at once.
#ifndef GONGKAI_STORAGE_STORE_H_
#define GONGKAI_STORAGE_STORE_H_

#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "domain/case.h"
#include "domain/codes.h"
#include "domain/report.h"

namespace gongkai::storage {

struct CaseQuery {
  std::optional<CaseState> state;
  bool open_only = false;  // every state but closed
  int receipt_year = 0;    // 0: any
  std::optional<ApplicantType> applicant_type;
  std::string assignee;               // empty: anyone
  std::vector<std::string> agencies;  // empty: every agency
  int limit = 100;
  // Keyset cursor: return cases after (received_on, id) in that order.
  std::optional<std::pair<absl::CivilDay, int64_t>> after;
};

struct CasePage {
  std::vector<CaseRecord> cases;
  bool more = false;  // another page follows
  int64_t total = 0;  // cases matching the filter, all pages
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
// publication, imports).
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

class Store {
 public:
  virtual ~Store() = default;

  // Stores a new case and its first event. An empty case_no takes the next
  // number of the receipt year ("2023-0001"). ALREADY_EXISTS when the case
  // number is taken. `event` gets its sequence number.
  virtual absl::StatusOr<CaseRecord> CreateCase(CaseRecord record,
                                                CaseEvent* event) = 0;

  // NOT_FOUND when there is no such case.
  virtual absl::StatusOr<CaseRecord> GetCase(absl::string_view case_no) = 0;
  virtual absl::StatusOr<std::vector<CaseEvent>> GetEvents(int64_t case_id) = 0;
  virtual absl::StatusOr<CasePage> ListCases(const CaseQuery& query) = 0;

  // Applications by `applicant` (exact name) received from `from` to `to`.
  virtual absl::StatusOr<int64_t> CountApplications(
      const std::string& applicant, absl::CivilDay from, absl::CivilDay to) = 0;

  // The named cases that exist (unknown numbers are skipped), read at once.
  virtual absl::StatusOr<std::vector<CaseRecord>> GetCases(
      const std::vector<std::string>& case_nos) = 0;

  // Events of several cases at once, keyed by case id.
  virtual absl::StatusOr<std::map<int64_t, std::vector<CaseEvent>>>
  GetEventsOfCases(const std::vector<int64_t>& case_ids) = 0;

  // Loads the case and its events, lets `change` apply a domain transition,
  // and writes the changed case with the returned event, all in one
  // transaction. When `change` fails nothing is written and its status is
  // returned.
  using Change = std::function<absl::StatusOr<CaseEvent>(
      CaseRecord&, const std::vector<CaseEvent>&)>;
  virtual absl::StatusOr<CaseRecord> UpdateCase(absl::string_view case_no,
                                                const Change& change) = 0;

  // --- The year-end report ---

  // Facts of every case the report of `year` may count.
  // Agency lists: empty means every agency.
  virtual absl::StatusOr<std::vector<CaseFact>> ReportCaseFacts(
      int year, const std::vector<std::string>& agencies) = 0;
  // Fees paid in `year`, in fen.
  // Table 3 of `year` from the per-year counts kept with every write; equal
  // to TallyTable3 over ReportCaseFacts, without reading every case.
  virtual absl::StatusOr<Table3> ReportTable3(
      int year, const std::vector<std::string>& agencies) = 0;
  virtual absl::StatusOr<int64_t> FeesCollectedFen(
      int year, const std::vector<std::string>& agencies) = 0;

  // NOT_FOUND when the case does not exist.
  virtual absl::StatusOr<AppealRecord> CreateAppeal(
      AppealRecord appeal, const RecordEvent& event) = 0;
  // Applies `change` to the appeal and records `event`, in one transaction.
  virtual absl::StatusOr<AppealRecord> UpdateAppeal(
      int64_t id, const std::function<absl::Status(AppealRecord&)>& change,
      const RecordEvent& event) = 0;
  virtual absl::StatusOr<AppealRecord> GetAppeal(int64_t id) = 0;
  // Appeals filed by the end of `year` and not decided before it (0: all).
  virtual absl::StatusOr<std::vector<AppealRecord>> ListAppeals(
      int year, const std::vector<std::string>& agencies) = 0;

  virtual absl::StatusOr<std::array<ProactiveRow, kProactiveItemCount>>
  GetProactive(int year, const std::vector<std::string>& agencies) = 0;
  virtual absl::Status SetProactive(int year, const std::string& agency,
                                    ProactiveItem item, const ProactiveRow& row,
                                    const RecordEvent& event) = 0;

  // Published figures (the report JSON) by year.
  // Keyed by (year, agency); agency '' is the whole government's report.
  virtual absl::StatusOr<std::map<std::pair<int, std::string>, std::string>>
  PublishedReports() = 0;
  // Only which (year, agency) are published: every write checks this, and
  // needs none of the figures.
  virtual absl::StatusOr<std::set<std::pair<int, std::string>>>
  PublishedPeriods() = 0;
  // ALREADY_EXISTS when the year is published already.
  virtual absl::Status PublishReport(int year, const std::string& agency,
                                     const std::string& figures,
                                     const RecordEvent& event) = 0;

  // Ledger import: all cases in one transaction, or none. ALREADY_EXISTS
  // when a file with the same content was imported before.
  virtual absl::Status ImportCases(std::vector<ImportedCase> cases,
                                   const std::string& content_hash,
                                   const RecordEvent& event) = 0;
  // When the same content was imported: "2024-01-05T… by admin from a.csv".
  virtual absl::StatusOr<std::optional<std::string>> FindImport(
      const std::string& content_hash) = 0;
  // Cases received or closed in `year`, oldest receipt first.
  virtual absl::StatusOr<std::vector<CaseRecord>> LedgerCases(
      int year, const std::vector<std::string>& agencies) = 0;
  // Which of `case_nos` exist already.
  virtual absl::StatusOr<std::vector<std::string>> ExistingCaseNos(
      const std::vector<std::string>& case_nos) = 0;

  // --- Staff accounts ---

  // ALREADY_EXISTS when the name is taken.
  virtual absl::StatusOr<UserRecord> CreateUser(const std::string& name,
                                                const std::string& role,
                                                const std::string& agencies,
                                                const std::string& token_hash,
                                                const RecordEvent& event) = 0;
  // NOT_FOUND for an unknown token (the caller reports UNAUTHENTICATED).
  virtual absl::StatusOr<UserRecord> FindUserByTokenHash(
      const std::string& token_hash) = 0;
  virtual absl::StatusOr<std::vector<UserRecord>> ListUsers() = 0;
  virtual absl::Status SetUserDisabled(const std::string& name, bool disabled,
                                       const RecordEvent& event) = 0;
  virtual absl::Status SetUserToken(const std::string& name,
                                    const std::string& token_hash,
                                    const RecordEvent& event) = 0;
  virtual absl::Status AppendRecord(const RecordEvent& event) = 0;

  // Departments sharing this daemon.
  virtual absl::Status CreateAgency(const std::string& code,
                                    const std::string& name,
                                    const RecordEvent& event) = 0;
  virtual absl::StatusOr<std::vector<std::pair<std::string, std::string>>>
  ListAgencies() = 0;

  // --- Audit and operations ---

  // Events across all cases and records, oldest first, optionally only
  // since `since` (recorded time) and by `actor`.
  virtual absl::StatusOr<std::vector<AuditEntry>> ListAudit(
      std::optional<absl::Time> since, const std::string& actor, int limit) = 0;
  // Recomputes the checksum chains; returns every break found (empty: intact).
  virtual absl::StatusOr<std::vector<std::string>> VerifyAuditChain() = 0;
  // A consistent copy of the database at `path` while serving.
  virtual absl::Status Backup(const std::string& path) = 0;
  // PRAGMA integrity_check: "ok" or the problems.
  virtual absl::StatusOr<std::string> CheckIntegrity() = 0;

  // --- The working-day calendar loaded by administrators ---

  // Stores the schedules of the years in `calendar_text` (replacing earlier
  // loads of the same years) and records who loaded what, in one
  // transaction.
  virtual absl::Status SaveCalendarYears(
      const std::map<int, std::string>& year_texts, const std::string& source,
      const std::string& full_text, const std::string& actor,
      absl::Time at) = 0;
  // Every stored year's schedule text, by year.
  virtual absl::StatusOr<std::map<int, std::string>> LoadCalendarYears() = 0;

  // --- Alerts: each raised once, delivered to the hook once ---

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
  // Records, in one transaction, the alerts whose keys are new; returns the
  // positions in `alerts` of those that were new. `deliver` marks them for
  // the alert hook.
  virtual absl::StatusOr<std::vector<size_t>> RecordAlerts(
      const std::vector<NewAlert>& alerts, absl::Time raised_at,
      bool deliver) = 0;
  // Alerts awaiting hook delivery whose next attempt is due by `now`.
  virtual absl::StatusOr<std::vector<StoredAlert>> PendingAlerts(
      absl::Time now) = 0;
  virtual absl::Status MarkAlertDelivered(const std::string& key,
                                          absl::Time at) = 0;
  virtual absl::Status MarkAlertFailed(const std::string& key,
                                       const std::string& error,
                                       absl::Time next_attempt) = 0;
};

// Calls `visit` for every open case with its events, a page at a time; stops
// at the first error `visit` returns.
absl::Status ForEachOpenCase(
    Store& store,
    const std::function<absl::Status(const CaseRecord&,
                                     const std::vector<CaseEvent>&)>& visit);

}  // namespace gongkai::storage

#endif  // GONGKAI_STORAGE_STORE_H_

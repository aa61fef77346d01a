// SqliteStore: the Store on an embedded SQLite file.
//
// One connection serves all callers, guarded by a mutex; SQLite in WAL mode
// with synchronous=FULL makes every acknowledged write durable. Writes of
// concurrent callers are committed together (GroupCommit), one fsync for the
// lot; users, agencies and published years are cached in memory.
//
// Thread safety: every method may be called from any thread.
#ifndef GONGKAI_STORAGE_SQLITE_STORE_H_
#define GONGKAI_STORAGE_SQLITE_STORE_H_

#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <tuple>

#include "storage/checkpointer.h"
#include "storage/database.h"
#include "storage/group_commit.h"
#include "storage/read_cache.h"
#include "storage/store.h"

namespace gongkai::storage {

class SqliteStore : public Store {
 public:
  // Opens or creates the database at `path`, checks its integrity and brings
  // its schema up to date.
  static absl::StatusOr<std::unique_ptr<SqliteStore>> Open(
      const std::string& path);

  // Writes committed so far, and the transactions that carried them.
  std::pair<int64_t, int64_t> WriteStats() const {
    return {writes_.jobs(), writes_.batches()};
  }

  absl::StatusOr<CaseRecord> CreateCase(CaseRecord record,
                                        CaseEvent* event) override;
  absl::StatusOr<CaseRecord> GetCase(absl::string_view case_no) override;
  absl::StatusOr<std::vector<CaseEvent>> GetEvents(int64_t case_id) override;
  absl::StatusOr<CasePage> ListCases(const CaseQuery& query) override;
  absl::StatusOr<int64_t> CountApplications(const std::string& applicant,
                                            absl::CivilDay from,
                                            absl::CivilDay to) override;
  absl::StatusOr<std::vector<CaseRecord>> GetCases(
      const std::vector<std::string>& case_nos) override;
  absl::StatusOr<std::map<int64_t, std::vector<CaseEvent>>> GetEventsOfCases(
      const std::vector<int64_t>& case_ids) override;
  absl::StatusOr<CaseRecord> UpdateCase(absl::string_view case_no,
                                        const Change& change) override;
  absl::StatusOr<std::vector<CaseFact>> ReportCaseFacts(
      int year, const std::vector<std::string>& agencies) override;
  absl::StatusOr<Table3> ReportTable3(
      int year, const std::vector<std::string>& agencies) override;
  absl::StatusOr<int64_t> FeesCollectedFen(
      int year, const std::vector<std::string>& agencies) override;
  absl::StatusOr<AppealRecord> CreateAppeal(AppealRecord appeal,
                                            const RecordEvent& event) override;
  absl::StatusOr<AppealRecord> UpdateAppeal(
      int64_t id, const std::function<absl::Status(AppealRecord&)>& change,
      const RecordEvent& event) override;
  absl::StatusOr<AppealRecord> GetAppeal(int64_t id) override;
  absl::StatusOr<std::vector<AppealRecord>> ListAppeals(
      int year, const std::vector<std::string>& agencies) override;
  absl::StatusOr<std::array<ProactiveRow, kProactiveItemCount>> GetProactive(
      int year, const std::vector<std::string>& agencies) override;
  absl::Status SetProactive(int year, const std::string& agency,
                            ProactiveItem item, const ProactiveRow& row,
                            const RecordEvent& event) override;
  absl::StatusOr<std::map<std::pair<int, std::string>, std::string>>
  PublishedReports() override;
  absl::StatusOr<std::set<std::pair<int, std::string>>> PublishedPeriods()
      override;
  absl::Status PublishReport(int year, const std::string& agency,
                             const std::string& figures,
                             const RecordEvent& event) override;
  absl::Status ImportCases(std::vector<ImportedCase> cases,
                           const std::string& content_hash,
                           const RecordEvent& event) override;
  absl::StatusOr<std::optional<std::string>> FindImport(
      const std::string& content_hash) override;
  absl::StatusOr<std::vector<CaseRecord>> LedgerCases(
      int year, const std::vector<std::string>& agencies) override;
  absl::Status CreateAgency(const std::string& code, const std::string& name,
                            const RecordEvent& event) override;
  absl::StatusOr<std::vector<std::pair<std::string, std::string>>>
  ListAgencies() override;
  absl::StatusOr<std::vector<std::string>> ExistingCaseNos(
      const std::vector<std::string>& case_nos) override;
  absl::StatusOr<UserRecord> CreateUser(const std::string& name,
                                        const std::string& role,
                                        const std::string& agencies,
                                        const std::string& token_hash,
                                        const RecordEvent& event) override;
  absl::StatusOr<UserRecord> FindUserByTokenHash(
      const std::string& token_hash) override;
  absl::StatusOr<std::vector<UserRecord>> ListUsers() override;
  absl::Status SetUserDisabled(const std::string& name, bool disabled,
                               const RecordEvent& event) override;
  absl::Status SetUserToken(const std::string& name,
                            const std::string& token_hash,
                            const RecordEvent& event) override;
  absl::Status AppendRecord(const RecordEvent& event) override;
  absl::StatusOr<std::vector<AuditEntry>> ListAudit(
      std::optional<absl::Time> since, const std::string& actor,
      int limit) override;
  absl::StatusOr<std::vector<std::string>> VerifyAuditChain() override;
  absl::Status Backup(const std::string& path) override;
  absl::StatusOr<std::string> CheckIntegrity() override;
  absl::Status SaveCalendarYears(const std::map<int, std::string>& year_texts,
                                 const std::string& source,
                                 const std::string& full_text,
                                 const std::string& actor,
                                 absl::Time at) override;
  absl::StatusOr<std::map<int, std::string>> LoadCalendarYears() override;
  absl::StatusOr<std::vector<size_t>> RecordAlerts(
      const std::vector<NewAlert>& alerts, absl::Time raised_at,
      bool deliver) override;
  absl::StatusOr<std::vector<StoredAlert>> PendingAlerts(
      absl::Time now) override;
  absl::Status MarkAlertDelivered(const std::string& key,
                                  absl::Time at) override;
  absl::Status MarkAlertFailed(const std::string& key, const std::string& error,
                               absl::Time next_attempt) override;

 private:
  explicit SqliteStore(std::unique_ptr<Database> db)
      : db_(std::move(db)), writes_(db_.get(), &mu_) {}

  // Runs `body` as one durable transaction (batched with concurrent ones).
  template <typename T>
  absl::StatusOr<T> Write(absl::FunctionRef<absl::StatusOr<T>()> body) {
    std::optional<T> result;
    absl::Status s = writes_.Run([&]() -> absl::Status {
      absl::StatusOr<T> r = body();
      if (!r.ok()) return r.status();
      result = *std::move(r);
      return absl::OkStatus();
    });
    if (!s.ok()) return s;
    return *std::move(result);
  }

  absl::Status ImportCasesNow(std::vector<ImportedCase> cases,
                              const std::string& content_hash,
                              const RecordEvent& event);
  absl::StatusOr<CaseRecord> LoadCase(absl::string_view case_no);
  absl::StatusOr<std::string> NextCaseNo(int year);
  // `chain`, when given, carries the last audit-chain link between calls of
  // one transaction (a bulk import) instead of reading it back each time;
  // `seq`, when known (a new case's events), saves looking it up.
  absl::Status AppendEvent(int64_t case_id, CaseEvent& event,
                           std::string* chain = nullptr, int64_t seq = 0);
  absl::StatusOr<std::vector<CaseEvent>> LoadEvents(int64_t case_id);
  absl::Status AppendRecordEvent(const RecordEvent& event);
  absl::StatusOr<std::string> LastChainLink(const char* table);
  absl::Status UpdateUser(const std::string& name, const std::string& set_sql,
                          const std::function<void(Statement&)>& bind,
                          const RecordEvent& event);
  absl::StatusOr<AppealRecord> LoadAppeal(int64_t id);
  // Report counts to add: (agency, year, kind, applicant type) -> n.
  using CountDeltas =
      std::map<std::tuple<std::string, int, std::string, ApplicantType>,
               int64_t>;
  // `deltas`, when given, gathers the case's report counts (a bulk import
  // writes them once at the end) instead of writing them at once.
  absl::StatusOr<CaseRecord> InsertCase(CaseRecord record,
                                        CountDeltas* deltas = nullptr);
  absl::Status CountCase(const std::string& agency, int year,
                         absl::string_view kind, ApplicantType type,
                         int64_t n = 1);

  std::mutex mu_;  // guards the connection
  std::unique_ptr<Database> db_;
  GroupCommit writes_;
  std::unique_ptr<Checkpointer> checkpointer_;  // may be null
  using UsersByToken = std::map<std::string, UserRecord>;
  ReadCache<UsersByToken> users_;
  ReadCache<std::vector<std::pair<std::string, std::string>>> agencies_;
  ReadCache<std::map<std::pair<int, std::string>, std::string>> published_;
  ReadCache<std::set<std::pair<int, std::string>>> published_periods_;
};

}  // namespace gongkai::storage

#endif  // GONGKAI_STORAGE_SQLITE_STORE_H_

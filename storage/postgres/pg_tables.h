// The tables of PgStore: the storage::Store contract (storage/store.h) on
// PostgreSQL, one class per kind of record as in storage/sqlite/, with the
// same SQL where the dialects agree. They keep no caches: several gongkaid
// replicas share the database, and a cached row could be another
// replica's past.
//
// Thread safety: reached only through Tables inside a transaction of their
// PgStore, on that transaction's connection.
#ifndef GONGKAI_STORAGE_POSTGRES_PG_TABLES_H_
#define GONGKAI_STORAGE_POSTGRES_PG_TABLES_H_

#include <array>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "storage/postgres/pg_session.h"
#include "storage/store.h"

namespace gongkai::storage {

class PgCaseTable : public CaseTable {
 public:
  explicit PgCaseTable(PgSession* session) : session_(session) {}

  absl::StatusOr<CaseRecord> Get(absl::string_view case_no) override;
  absl::StatusOr<std::vector<CaseRecord>> GetMany(
      const std::vector<std::string>& case_nos) override;
  absl::StatusOr<std::vector<CaseEvent>> Events(int64_t case_id) override;
  absl::StatusOr<std::map<int64_t, std::vector<CaseEvent>>> EventsOf(
      const std::vector<int64_t>& case_ids) override;
  absl::StatusOr<CasePage> List(const CaseQuery& query) override;
  absl::Status SetDueDates(const std::vector<DueDate>& due) override;
  absl::StatusOr<int64_t> CountApplications(
      const std::string& applicant, absl::CivilDay from, absl::CivilDay to,
      const std::vector<std::string>& agencies) override;
  absl::StatusOr<std::optional<absl::CivilDay>> LatestApplication(
      const std::string& applicant,
      const std::vector<std::string>& agencies) override;
  absl::StatusOr<std::vector<std::string>> Existing(
      const std::vector<std::string>& case_nos) override;
  absl::StatusOr<std::vector<CaseRecord>> Ledger(
      int year, const std::vector<std::string>& agencies) override;
  absl::StatusOr<CaseRecord> Insert(CaseRecord record,
                                    CaseEvent* event) override;
  absl::Status Update(const CaseRecord& before, const CaseRecord& after,
                      CaseEvent* event) override;
  absl::Status Import(std::vector<ImportedCase> cases,
                      const std::string& content_hash,
                      const RecordEvent& event) override;
  absl::StatusOr<std::optional<std::string>> FindImport(
      const std::string& content_hash) override;
  absl::StatusOr<std::vector<CaseFact>> ReportFacts(
      int year, const std::vector<std::string>& agencies) override;
  absl::StatusOr<Table3> Table3Of(
      int year, const std::vector<std::string>& agencies) override;
  absl::StatusOr<int64_t> FeesCollectedFen(
      int year, const std::vector<std::string>& agencies) override;

 private:
  PgConnection& db() { return session_->db(); }
  absl::StatusOr<std::string> NextCaseNo(int year, const std::string& agency);
  // Inserts the row and its search index. `deltas`, when given, gathers
  // the report counts instead of writing them (an import writes them once).
  absl::StatusOr<CaseRecord> InsertRow(
      CaseRecord record,
      std::map<std::tuple<std::string, int, std::string, ApplicantType>,
               int64_t>* deltas = nullptr);
  absl::Status WriteCounts(
      const std::map<std::tuple<std::string, int, std::string, ApplicantType>,
                     int64_t>& deltas);
  // Replaces the search index rows of case `id` with those of `c`.
  absl::Status IndexText(int64_t id, const CaseRecord& c, bool replace);

  PgSession* const session_;
};

class PgAppealTable : public AppealTable {
 public:
  explicit PgAppealTable(PgSession* session) : session_(session) {}
  absl::StatusOr<AppealRecord> Get(int64_t id) override;
  absl::StatusOr<std::vector<AppealRecord>> List(
      int year, const std::vector<std::string>& agencies) override;
  absl::StatusOr<AppealRecord> Insert(AppealRecord appeal,
                                      RecordEvent event) override;
  absl::Status Update(const AppealRecord& appeal,
                      const RecordEvent& event) override;

 private:
  PgConnection& db() { return session_->db(); }
  PgSession* const session_;
};

class PgReportTable : public ReportTable {
 public:
  explicit PgReportTable(PgSession* session) : session_(session) {}
  absl::StatusOr<std::array<ProactiveRow, kProactiveItemCount>> GetProactive(
      int year, const std::vector<std::string>& agencies) override;
  absl::Status SetProactive(int year, const std::string& agency,
                            ProactiveItem item, const ProactiveRow& row,
                            const RecordEvent& event) override;
  absl::StatusOr<std::map<std::pair<int, std::string>, std::string>> Published()
      override;
  absl::StatusOr<std::set<std::pair<int, std::string>>> PublishedPeriods()
      override;
  absl::Status Publish(int year, const std::string& agency,
                       const std::string& figures,
                       const RecordEvent& event) override;

 private:
  PgConnection& db() { return session_->db(); }
  PgSession* const session_;
};

class PgUserTable : public UserTable {
 public:
  explicit PgUserTable(PgSession* session) : session_(session) {}
  absl::StatusOr<UserRecord> Insert(const std::string& name,
                                    const std::string& role,
                                    const std::string& agencies,
                                    const std::string& token_hash,
                                    const RecordEvent& event) override;
  absl::StatusOr<UserRecord> FindByTokenHash(
      const std::string& token_hash) override;
  absl::StatusOr<UserRecord> FindByName(const std::string& name) override;
  absl::StatusOr<std::vector<UserRecord>> List() override;
  absl::Status SetDisabled(const std::string& name, bool disabled,
                           const RecordEvent& event) override;
  absl::Status SetToken(const std::string& name, const std::string& token_hash,
                        const RecordEvent& event) override;
  absl::Status SetRole(const std::string& name, const std::string& role,
                       const std::string& agencies,
                       const RecordEvent& event) override;

 private:
  PgConnection& db() { return session_->db(); }
  // UPDATE users SET `set_sql` (parameters ?3 on, bound by `bind`).
  absl::Status UpdateUser(const std::string& name, const char* set_sql,
                          const std::vector<std::string>& values,
                          const RecordEvent& event);
  PgSession* const session_;
};

class PgAgencyTable : public AgencyTable {
 public:
  explicit PgAgencyTable(PgSession* session) : session_(session) {}
  absl::Status Insert(const std::string& code, const std::string& name,
                      const RecordEvent& event) override;
  absl::StatusOr<std::vector<std::pair<std::string, std::string>>> List()
      override;
  absl::StatusOr<std::string> CaseNoPattern(const std::string& code) override;
  absl::Status SetCaseNoPattern(const std::string& code,
                                const std::string& pattern,
                                const RecordEvent& event) override;

 private:
  PgConnection& db() { return session_->db(); }
  PgSession* const session_;
};

class PgDocumentTable : public DocumentTable {
 public:
  explicit PgDocumentTable(PgSession* session) : session_(session) {}
  absl::StatusOr<DocumentSettings> Settings(const std::string& agency) override;
  absl::Status SetSettings(const std::string& agency,
                           const DocumentSettings& settings,
                           const RecordEvent& event) override;
  absl::StatusOr<std::map<std::string, std::string>> Templates(
      const std::string& agency) override;
  absl::StatusOr<std::optional<std::string>> Template(
      const std::string& agency, const std::string& name) override;
  absl::Status SaveTemplates(
      const std::string& agency,
      const std::map<std::string, std::string>& templates,
      const RecordEvent& event) override;
  absl::StatusOr<int64_t> NextNumber(const std::string& agency,
                                     const std::string& kind,
                                     int year) override;
  absl::StatusOr<int64_t> TakeNumber(const std::string& agency,
                                     const std::string& kind,
                                     int year) override;
  absl::StatusOr<std::optional<std::string>> CaseNoByQueryCode(
      const std::string& code) override;

 private:
  PgConnection& db() { return session_->db(); }
  PgSession* const session_;
};

class PgAuditLog : public AuditLog {
 public:
  explicit PgAuditLog(PgSession* session) : session_(session) {}
  absl::Status Append(const RecordEvent& event) override;
  absl::StatusOr<std::vector<AuditEntry>> List(
      std::optional<absl::Time> since, const std::string& actor, int limit,
      const std::vector<std::string>& agencies) override;
  absl::StatusOr<std::vector<std::string>> Verify() override;

 private:
  PgConnection& db() { return session_->db(); }
  PgSession* const session_;
};

class PgCalendarTable : public CalendarTable {
 public:
  explicit PgCalendarTable(PgSession* session) : session_(session) {}
  absl::Status SaveYears(const std::map<int, std::string>& year_texts,
                         const std::string& source,
                         const std::string& full_text, const std::string& actor,
                         absl::Time at) override;
  absl::StatusOr<std::map<int, std::string>> LoadYears() override;

 private:
  PgConnection& db() { return session_->db(); }
  PgSession* const session_;
};

class PgAlertOutbox : public AlertOutbox {
 public:
  explicit PgAlertOutbox(PgSession* session) : session_(session) {}
  absl::StatusOr<std::vector<size_t>> Record(
      const std::vector<NewAlert>& alerts, absl::Time raised_at,
      bool deliver) override;
  absl::StatusOr<std::vector<StoredAlert>> Pending(absl::Time now) override;
  absl::Status MarkDelivered(const std::string& key, absl::Time at) override;
  absl::Status MarkFailed(const std::string& key, const std::string& error,
                          absl::Time next_attempt) override;
  absl::Status SetUserMark(const std::string& user, const UserMark& mark,
                           const RecordEvent& event) override;
  absl::StatusOr<std::vector<UserMark>> UserMarks(
      const std::string& user) override;

 private:
  PgConnection& db() { return session_->db(); }
  PgSession* const session_;
};

// Every table on one transaction's session.
class PgTables : public Tables {
 public:
  explicit PgTables(PgSession* session)
      : cases_(session),
        appeals_(session),
        reports_(session),
        users_(session),
        agencies_(session),
        audit_(session),
        calendar_(session),
        alerts_(session),
        documents_(session) {}
  CaseTable& cases() override { return cases_; }
  AppealTable& appeals() override { return appeals_; }
  ReportTable& reports() override { return reports_; }
  UserTable& users() override { return users_; }
  AgencyTable& agencies() override { return agencies_; }
  AuditLog& audit() override { return audit_; }
  CalendarTable& calendar() override { return calendar_; }
  AlertOutbox& alerts() override { return alerts_; }
  DocumentTable& documents() override { return documents_; }

 private:
  PgCaseTable cases_;
  PgAppealTable appeals_;
  PgReportTable reports_;
  PgUserTable users_;
  PgAgencyTable agencies_;
  PgAuditLog audit_;
  PgCalendarTable calendar_;
  PgAlertOutbox alerts_;
  PgDocumentTable documents_;
};

}  // namespace gongkai::storage

#endif  // GONGKAI_STORAGE_POSTGRES_PG_TABLES_H_

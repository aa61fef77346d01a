// SqliteCaseTable: cases, their append-only events, the case-number
// sequences, ledger imports, and the per-year report counts (case_counts)
// kept with every write so that table 3 never reads every case.
//
// Thread safety: reached only through Tables inside a transaction of its
// SqliteStore, which holds the connection.
#ifndef GONGKAI_STORAGE_SQLITE_CASE_TABLE_H_
#define GONGKAI_STORAGE_SQLITE_CASE_TABLE_H_

#include <map>
#include <optional>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "storage/sqlite/session.h"
#include "storage/store.h"

namespace gongkai::storage {

// Report counts to add: (agency, year, kind, applicant type) -> n, where
// kind is "new" (counted in the receipt year) or an outcome code (counted
// in the year the case closed).
using CountDeltas =
    std::map<std::tuple<std::string, int, std::string, ApplicantType>, int64_t>;

// Adds what `c` contributes to the kept report counts, times `sign`: one
// "new" in its receipt year and, once closed with an outcome, one of that
// outcome in the year it closed.
void CountContribution(const CaseRecord& c, int64_t sign, CountDeltas& deltas);

class SqliteCaseTable : public CaseTable {
 public:
  explicit SqliteCaseTable(Session* session) : session_(session) {}

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
  Database& db() { return session_->db(); }
  // The next free number of `agency`'s sequence in `year`, in its pattern;
  // never one the case-number mark says was issued before.
  absl::StatusOr<std::string> NextCaseNo(int year, const std::string& agency);
  // Inserts the row. `deltas`, when given, gathers the case's report counts
  // (a bulk import writes them once at the end) instead of writing them.
  absl::StatusOr<CaseRecord> InsertRow(CaseRecord record,
                                       CountDeltas* deltas = nullptr);
  absl::Status WriteCounts(const CountDeltas& deltas);

  Session* const session_;
};

}  // namespace gongkai::storage

#endif  // GONGKAI_STORAGE_SQLITE_CASE_TABLE_H_

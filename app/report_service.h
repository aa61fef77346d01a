// ReportService: the year-end report computed from the records, its
// publication (which locks the year's figures), appeals (table 4), the
// proactive-disclosure figures (table 2), and the case ledger's import and
// export.
//
// Every use case takes the caller explicitly. A change runs all of its checks
// (the caller's account as it stands now, its role, the agency it works for,
// the period lock, the record's state) inside the one write transaction that
// makes the change, so what was checked is what is written; a refused request
// changes nothing.
//
// Thread safety: a ReportService holds only the Environment (whose members
// are thread-safe); call it from any number of threads at once.
#ifndef GONGKAI_APP_REPORT_SERVICE_H_
#define GONGKAI_APP_REPORT_SERVICE_H_

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "app/access.h"
#include "app/caller.h"
#include "app/environment.h"
#include "domain/report.h"
#include "formats/ledger.h"
#include "formats/text_encoding.h"
#include "storage/store.h"

namespace gongkai::app {

using ProactiveTable = std::array<ProactiveRow, kProactiveItemCount>;

// A report as the records give it now, and how it stands against what was
// published.
struct ReportView {
  AnnualReport report;           // as the records give it, or as published
  bool shows_published = false;  // `report` is the published one
  bool published = false;
  std::string published_at;                      // when published
  std::optional<AnnualReport> published_report;  // when published
  // What changed since publication ("三（一） 自然人: 25 -> 26").
  std::vector<std::string> differences;
  // Inconsistencies with the previous year's published report.
  std::vector<std::string> warnings;
};

// A new appeal against a case's answer.
struct NewAppeal {
  std::string case_no;
  AppealKind kind = AppealKind::kReconsideration;
  absl::CivilDay filed_on;
};

// Table 2 figures to set; absent figures keep their stored value.
struct ProactiveChange {
  int year = 0;
  std::string item;    // rules, normative_documents, licensing, ...
  std::string agency;  // "": the caller's only agency
  std::optional<int64_t> issued, repealed, in_force, decisions, amount_fen;
};

struct LedgerImport {
  std::string content;  // the file: CSV (UTF-8 or GB18030) or XLSX
  std::string source;   // its file name, recorded with the cases
  std::string agency;   // the department the cases belong to
};

struct LedgerImportResult {
  int imported = 0;
  bool already_imported = false;
  std::string previous_import;  // "2024-01-05T… by admin from a.csv"
  // How the file was read, to tell the user (when something was imported).
  LedgerFormat format = LedgerFormat::kCsv;
  TextEncoding encoding = TextEncoding::kUtf8;  // of a CSV
  std::string sheet;                            // of a workbook
};

struct LedgerExport {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
};

// INVALID_ARGUMENT unless `year` is a report year such as 2023.
absl::Status CheckReportYear(int year);

// Computes and verifies the report of `year` for `scope` from the rows of
// `tables`. INTERNAL (and no report) when the figures break a table rule.
absl::StatusOr<AnnualReport> BuildReport(storage::Tables& tables, int year,
                                         const ReportScope& scope);

class ReportService {
 public:
  // `env` needs the store and the time.
  explicit ReportService(Environment env) : env_(std::move(env)) {}

  // The report of `year` for `agency` ("" = every agency the caller sees).
  absl::StatusOr<ReportView> GetReport(const Caller& caller, int year,
                                       const std::string& agency) const;
  // The report of `year` as it was published, with the differences the
  // records now have from it (and the same warnings as GetReport).
  // FAILED_PRECONDITION when it is not published.
  absl::StatusOr<ReportView> GetPublishedReport(
      const Caller& caller, int year, const std::string& agency) const;
  // Freezes the figures of an ended year; from then on a change that would
  // alter them needs a forcing reason.
  absl::StatusOr<ReportView> PublishReport(const Caller& caller, int year,
                                           const std::string& agency) const;

  absl::StatusOr<storage::AppealRecord> CreateAppeal(
      const Caller& caller, const NewAppeal& appeal,
      const std::string& force_reason) const;
  absl::StatusOr<storage::AppealRecord> DecideAppeal(
      const Caller& caller, int64_t id, AppealResult result,
      absl::CivilDay decided_on, const std::string& force_reason) const;
  // Appeals of the caller's agencies that count in `year` (0: all).
  absl::StatusOr<std::vector<storage::AppealRecord>> ListAppeals(
      const Caller& caller, int year) const;

  // Sets table 2 figures of one item and returns the agency's whole table.
  absl::StatusOr<ProactiveTable> SetProactive(
      const Caller& caller, const ProactiveChange& change,
      const std::string& force_reason) const;
  // Table 2 of `agency`, or ("") summed over every agency the caller sees.
  absl::StatusOr<ProactiveTable> GetProactive(const Caller& caller, int year,
                                              const std::string& agency) const;

  // Imports every row of a ledger, or (listing every bad row) none, into
  // one of the caller's agencies. A file imported before is reported as
  // such, with who imported it when only to a caller of every agency.
  absl::StatusOr<LedgerImportResult> ImportLedger(
      const Caller& caller, const LedgerImport& ledger,
      const std::string& force_reason) const;
  // Cases received or closed in `year` of `agency` ("" = all the caller
  // sees), one row each; NOT_FOUND for an agency the caller does not work
  // for, exactly as for an unknown one.
  // Headers and values are the Chinese labels, or the codes with
  // LedgerStyle::kCodes.
  absl::StatusOr<LedgerExport> ExportLedger(
      const Caller& caller, int year, const std::string& agency,
      LedgerStyle style = LedgerStyle::kLabels) const;

 private:
  Environment env_;
};

// The report figures as JSON for table 2 alone.
Json ProactiveJson(const ProactiveTable& rows);

}  // namespace gongkai::app

#endif  // GONGKAI_APP_REPORT_SERVICE_H_

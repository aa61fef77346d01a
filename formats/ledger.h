// The case ledger (台账) as offices keep it in spreadsheets: reading an
// imported file (CSV in UTF-8 or GBK/GB18030, or an Excel workbook) into
// validated rows, and writing the export (CSV or XLSX) in the office's
// language. Pure code; safe from any thread.
//
// Columns (any order, by header; the header may follow title rows): 申请编号
// (optional), 收到日期, 申请人类型, 申请人, 申请方式 (optional), 申请内容,
// 答复日期 (optional), 办理结果 (required when answered) — or their codes
// case_no, received_on, applicant_type, applicant_name, channel, request,
// answered_on, outcome. Values take codes or the Chinese labels; dates are
// written 2024-01-10, 2024-1-10, 2024/1/10, 2024.1.10 or 2024年1月10日, or
// are date cells of a workbook.
//
// The export writes the Chinese headers and labels by default
// (LedgerStyle::kLabels) and the stable codes on request (kCodes); both
// re-import.
#ifndef GONGKAI_FORMATS_LEDGER_H_
#define GONGKAI_FORMATS_LEDGER_H_

#include <optional>
#include <span>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "domain/case.h"
#include "domain/codes.h"
#include "formats/csv.h"
#include "formats/text_encoding.h"

namespace gongkai {

// How the export names columns and values.
enum class LedgerStyle {
  kLabels,  // 收到日期, 自然人, 予以公开: what an office reads
  kCodes,   // received_on, natural_person, disclosed: stable, for programs
};

struct LedgerColumn {
  absl::string_view code;   // "received_on"
  absl::string_view label;  // "收到日期"
  bool required;
  bool date;  // holds a date (a date cell in a workbook)
};

// The columns, in the order the export writes them.
std::span<const LedgerColumn> LedgerColumns();

struct LedgerRow {
  int line = 0;  // the CSV line or the sheet's row number
  std::string case_no;
  absl::CivilDay received_on;
  ApplicantType applicant_type = ApplicantType::kNaturalPerson;
  std::string applicant;
  Channel channel = Channel::kInPerson;  // when the ledger has none
  std::string request;
  std::optional<absl::CivilDay> answered_on;
  std::optional<Outcome> outcome;
};

// Everything wrong with one row: a LocalizedError whose messages start with
// the row ("第 7 行：" / "line 7: ") and name each bad column.
struct LedgerError {
  int line = 0;
  absl::Status status;
};

enum class LedgerFormat { kCsv, kXlsx };

struct LedgerParse {
  std::vector<LedgerRow> rows;
  std::vector<LedgerError> errors;  // every bad row, in order
  LedgerFormat format = LedgerFormat::kCsv;
  TextEncoding encoding = TextEncoding::kUtf8;  // of a CSV
  std::string sheet;                            // of a workbook: the one read
};

// Parses and validates a ledger file: a workbook (recognised by its zip
// signature; the first sheet with a ledger header is read) or a CSV in UTF-8
// or GB18030. A malformed file (bad CSV, damaged workbook, missing required
// columns) is an error; bad rows are listed in `errors`, all of them.
absl::StatusOr<LedgerParse> ParseLedger(absl::string_view bytes,
                                        absl::CivilDay today);

// The same for rows already read: `records` begins with the header, possibly
// after title rows. `from_csv` undoes the quote that a CSV export puts before
// formula characters (NeutraliseCsvCell); a workbook's cells are taken as
// they are.
absl::StatusOr<LedgerParse> ParseLedgerRecords(
    const std::vector<CsvRecord>& records, absl::CivilDay today, bool from_csv);

// A date as offices write it: 2024-01-10, 2024-1-10, 2024/1/10, 2024.1.10,
// 2024年1月10日, optionally followed by a time of day (0:00, as Excel adds),
// which is ignored. INVALID_ARGUMENT in both languages otherwise.
absl::StatusOr<absl::CivilDay> ParseLedgerDate(absl::string_view text);

// The case a ledger row describes (closed when it has an answer), stamped
// with `now`; storage assigns the id and, when empty, the case number.
CaseRecord RecordFromLedgerRow(const LedgerRow& row, absl::Time now);

// The header and one case as cells; dates are YYYY-MM-DD.
std::vector<std::string> LedgerHeader(LedgerStyle style);
std::vector<std::string> LedgerCells(const CaseRecord& c, LedgerStyle style);

// The export as CSV: UTF-8 with a byte-order mark (so that Excel reads it as
// UTF-8), a header, one row per case; re-importable.
std::string LedgerCsv(const std::vector<CaseRecord>& cases, LedgerStyle style);
std::string LedgerCsv(const std::vector<std::string>& header,
                      const std::vector<std::vector<std::string>>& rows);

// Writes the export as a workbook at `path`: one sheet 台账, the header in
// bold, frozen, date columns (recognised by their header, label or code) as
// real dates shown yyyy-mm-dd, everything else as text. Re-importable.
absl::Status WriteLedgerXlsx(const std::vector<std::string>& header,
                             const std::vector<std::vector<std::string>>& rows,
                             const std::string& path);

}  // namespace gongkai

#endif  // GONGKAI_FORMATS_LEDGER_H_

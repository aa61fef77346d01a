// The case ledger (台账) as offices keep it in spreadsheets: parsing an
// imported CSV into validated rows, and writing the export. Pure code.
//
// Columns (any order, by header): case_no (optional), received_on,
// applicant_type, applicant_name, channel (optional), request, answered_on
// (optional), outcome (required when answered). Chinese headers are
// accepted: 申请编号, 收到日期, 申请人类型, 申请人, 申请方式, 申请内容,
// 答复日期, 办理结果. Values take codes or the exact Chinese labels.
#ifndef GONGKAI_FORMATS_LEDGER_H_
#define GONGKAI_FORMATS_LEDGER_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "domain/case.h"
#include "domain/codes.h"

namespace gongkai {

struct LedgerRow {
  int line = 0;
  std::string case_no;
  absl::CivilDay received_on;
  ApplicantType applicant_type = ApplicantType::kNaturalPerson;
  std::string applicant;
  Channel channel = Channel::kInPerson;  // when the ledger has none
  std::string request;
  std::optional<absl::CivilDay> answered_on;
  std::optional<Outcome> outcome;
};

struct LedgerParse {
  std::vector<LedgerRow> rows;
  std::vector<std::string> errors;  // "line 7: ..." for every bad row
};

// Parses and validates a ledger. A malformed file (bad CSV, missing required
// columns) is an error; bad rows are listed in `errors`, all of them.
absl::StatusOr<LedgerParse> ParseLedger(absl::string_view text,
                                        absl::CivilDay today);

// The case a ledger row describes (closed when it has an answer), stamped
// with `now`; storage assigns the id and, when empty, the case number.
CaseRecord RecordFromLedgerRow(const LedgerRow& row, absl::Time now);

// The export: a header row of codes, then one row per case; re-importable.
std::string LedgerCsv(const std::vector<CaseRecord>& cases);
// The header names and one case as cells, for other formats (xlsx).
std::vector<std::string> LedgerHeader();
std::vector<std::string> LedgerCells(const CaseRecord& c);

}  // namespace gongkai

#endif  // GONGKAI_FORMATS_LEDGER_H_

// CSV as spreadsheets write it (RFC 4180): quoted fields with doubled quotes,
// CRLF or LF line ends, an optional UTF-8 byte-order mark. Pure code.
#ifndef GONGKAI_FORMATS_CSV_H_
#define GONGKAI_FORMATS_CSV_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace gongkai {

struct CsvRecord {
  int line = 0;  // 1-based line where the record starts
  std::vector<std::string> fields;
};

// How a file separates and quotes its fields.
struct CsvDialect {
  // ',' (RFC 4180), '\t' (Excel's "text, tab-separated") or ';' (what Excel
  // writes where the decimal mark is a comma).
  char separator = ',';
  // A quote inside an unquoted field, and text after a closing quote, are
  // errors when strict (files this program wrote and reads back); otherwise
  // they are kept as text, as a spreadsheet shows them (a label typed as
  // 危及"三安全一稳定" in a published report).
  bool strict_quotes = true;
};

// Parses the whole text. Errors (INVALID_ARGUMENT) name the line: an
// unterminated quote, text after a closing quote, invalid UTF-8.
absl::StatusOr<std::vector<CsvRecord>> ParseCsv(absl::string_view text,
                                                CsvDialect dialect = {});

// Appends one record, quoting fields that need it, ending with CRLF. Every
// field goes through NeutraliseCsvCell first.
void AppendCsvRecord(std::string* out, const std::vector<std::string>& fields);

// CSV ("formula") injection, as OWASP describes it: Excel, WPS and LibreOffice
// read a cell that begins with '=', '+', '-', '@', a tab or a carriage
// return as a formula, so text an applicant typed could run in the office's
// spreadsheet. Such a cell is written with a single quote in front, which
// the spreadsheet takes as "this is text" and does not show. To keep the
// rule reversible, a cell that begins with quotes followed by one of those
// characters gets one more quote.
std::string NeutraliseCsvCell(absl::string_view cell);

// The inverse, for reading back a file this program wrote: one leading quote
// is removed when what follows it would have been neutralised (quotes, then
// '=', '+', '-', '@', tab or CR). Any other cell is returned as it is; in
// particular a quote before ordinary text is data.
std::string RestoreCsvCell(absl::string_view cell);

inline constexpr char kUtf8Bom[] = "\xEF\xBB\xBF";

}  // namespace gongkai

#endif  // GONGKAI_FORMATS_CSV_H_

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

// Parses the whole text. Errors (INVALID_ARGUMENT) name the line: an
// unterminated quote, text after a closing quote, invalid UTF-8.
absl::StatusOr<std::vector<CsvRecord>> ParseCsv(absl::string_view text);

// Appends one record, quoting fields that need it, ending with CRLF.
void AppendCsvRecord(std::string* out, const std::vector<std::string>& fields);

inline constexpr char kUtf8Bom[] = "\xEF\xBB\xBF";

}  // namespace gongkai

#endif  // GONGKAI_FORMATS_CSV_H_

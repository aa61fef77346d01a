// Reads the cells of an Excel workbook (.xlsx, Office Open XML), as WPS,
// Excel and LibreOffice save it, for importing the ledger. The zip container
// is opened with libzip and each part is read with libxml2's streaming
// reader, so a sheet of 100,000 rows is read without building a tree.
//
// What is read: every worksheet, in workbook order; shared strings (with rich
// text runs joined and phonetic runs left out), inline strings, formula
// results, numbers, booleans and error values; numbers whose cell format is a
// date (built-in or custom, e.g. yyyy-mm-dd or yyyy"年"m"月"d"日") become
// YYYY-MM-DD, counted in the workbook's date system (1900, or 1904 when the
// workbook says so). Merged ranges (<mergeCells>) are listed as they are,
// for readers that lay a sheet out as a grid; hidden rows and styles are not
// interpreted.
//
// The workbook may come from anyone: each part is unpacked only up to a
// limit (a "zip bomb" is refused), no network or external entity is ever
// loaded, and a damaged file is an INVALID_ARGUMENT error, never a crash.
//
// Pure functions; safe from any thread.
#ifndef GONGKAI_FORMATS_XLSX_READER_H_
#define GONGKAI_FORMATS_XLSX_READER_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "formats/csv.h"

namespace gongkai {

// A merged range, as the sheet declares it: the text is in the top-left
// cell, and the others show it.
struct XlsxMerge {
  int first_row = 0, last_row = 0;  // the sheet's row numbers, 1-based
  int first_col = 0, last_col = 0;  // A = 0
};

struct XlsxSheet {
  std::string name;
  std::vector<XlsxMerge> merges;
  // Rows that hold at least one cell; `line` is the row's number in the
  // sheet (1-based, as the spreadsheet shows it) and fields[i] is column i
  // (A = 0), empty where the row has no cell.
  std::vector<CsvRecord> rows;
};

// True when `bytes` starts like a zip archive (an .xlsx is one).
bool LooksLikeZip(absl::string_view bytes);

// Every worksheet of the workbook in `bytes`. The parts of the workbook are
// unpacked up to `max_unpacked_bytes` in all.
absl::StatusOr<std::vector<XlsxSheet>> ReadXlsx(
    absl::string_view bytes, int64_t max_unpacked_bytes = int64_t{1} << 30);

// The civil day of an Excel date serial (days since 1899-12-30, with Excel's
// fictitious 1900-02-29 at 60; since 1904-01-01 in the 1904 system). The
// fraction (the time of day) is dropped. False for serials before 1 or
// after 9999-12-31, and for the fictitious day.
bool ExcelSerialToDay(double serial, bool date1904, int* year, int* month,
                      int* day);

}  // namespace gongkai

#endif  // GONGKAI_FORMATS_XLSX_READER_H_

// An Excel workbook: one table per worksheet, merged ranges expanded.
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/lang.h"
#include "formats/xlsx_reader.h"
#include "published/source_internal.h"
#include "published/source_reader.h"

namespace gongkai::published::internal {

absl::StatusOr<Source> ReadXlsxSource(absl::string_view bytes) {
  QuietLibxml quiet;
  absl::StatusOr<std::vector<XlsxSheet>> sheets =
      ReadXlsx(bytes, kMaxUnpackedBytes);
  if (!sheets.ok()) return sheets.status();
  Source source;
  source.format = "XLSX";
  source.format_en = "XLSX";
  for (const XlsxSheet& sheet : *sheets) {
    // The cells by (row, column) in the sheet's own numbering.
    std::map<std::pair<int, int>, const std::string*> cells;
    for (const CsvRecord& r : sheet.rows) {
      for (size_t c = 0; c < r.fields.size(); ++c) {
        if (!r.fields[c].empty()) {
          cells[{r.line, static_cast<int>(c)}] = &r.fields[c];
        }
      }
    }
    // Rows and columns that show something: a spreadsheet's empty rows and
    // columns are spacing, not positions of the table, and a stray cell far
    // away must not make a grid of millions.
    std::set<int> used_rows, used_cols;
    for (const auto& [at, text] : cells) {
      used_rows.insert(at.first);
      used_cols.insert(at.second);
    }
    std::vector<const XlsxMerge*> merges;
    for (const XlsxMerge& m : sheet.merges) {
      auto it = cells.find({m.first_row, m.first_col});
      if (it == cells.end()) continue;  // an empty merged range shows nothing
      if (static_cast<int64_t>(m.last_row - m.first_row + 1) *
              (m.last_col - m.first_col + 1) >
          static_cast<int64_t>(kMaxGridCells)) {
        return TooLarge();
      }
      for (int r = m.first_row; r <= m.last_row; ++r) used_rows.insert(r);
      for (int c = m.first_col; c <= m.last_col; ++c) used_cols.insert(c);
      merges.push_back(&m);
    }
    if (used_rows.size() * used_cols.size() > kMaxGridCells) return TooLarge();
    std::map<int, size_t> row_at, col_at;
    for (int r : used_rows) row_at.emplace(r, row_at.size());
    for (int c : used_cols) col_at.emplace(c, col_at.size());

    SpanGrid grid;
    for (const XlsxMerge* m : merges) {
      const std::string& text = *cells.at({m->first_row, m->first_col});
      // Every used position inside the range shows the text.
      auto r0 = row_at.lower_bound(m->first_row);
      auto r1 = row_at.upper_bound(m->last_row);
      auto c0 = col_at.lower_bound(m->first_col);
      auto c1 = col_at.upper_bound(m->last_col);
      const size_t top = r0->second, left = c0->second;
      const size_t rows =
          (r1 == row_at.end() ? row_at.size() : r1->second) - top;
      const size_t cols =
          (c1 == col_at.end() ? col_at.size() : c1->second) - left;
      if (absl::Status s = grid.Place(top, left, rows, cols, text); !s.ok()) {
        return s;
      }
    }
    for (const auto& [at, text] : cells) {
      const size_t r = row_at.at(at.first), c = col_at.at(at.second);
      // A value inside a merged range is hidden by Excel: the range shows
      // its top-left cell only.
      if (grid.Taken(r, c)) continue;
      if (absl::Status s = grid.Place(r, c, 1, 1, *text); !s.ok()) return s;
    }
    if (cells.empty()) continue;  // an empty sheet ("Sheet2") holds no table
    Grid& out = source.tables.emplace_back();
    out.where = absl::StrCat("工作表“", sheet.name, "”");
    out.where_en = absl::StrCat("sheet \"", sheet.name, "\"");
    out.rows = std::move(grid).Finish();
  }
  return source;
}

}  // namespace gongkai::published::internal

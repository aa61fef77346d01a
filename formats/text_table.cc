#include "formats/text_table.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "common/text_width.h"

namespace gongkai {
namespace {

constexpr int kGap = 2;  // spaces between columns

// Removes the spaces that padding leaves after the last visible cell.
void TrimRight(std::string* line) {
  line->erase(line->find_last_not_of(' ') + 1);
}

}  // namespace

std::string FormatTable(const std::vector<std::vector<std::string>>& rows,
                        const std::vector<bool>& right_align) {
  std::vector<std::vector<TextCell>> cells;
  cells.reserve(rows.size());
  for (const auto& row : rows) {
    std::vector<TextCell>& out = cells.emplace_back();
    out.reserve(row.size());
    for (const std::string& text : row) out.push_back({text, 1});
  }
  return FormatSpannedTable(cells, right_align);
}

std::string FormatSpannedTable(const std::vector<std::vector<TextCell>>& rows,
                               const std::vector<bool>& right_align) {
  // Single cells first: they decide the columns' widths.
  std::vector<int> widths;
  for (const auto& row : rows) {
    size_t col = 0;
    for (const TextCell& cell : row) {
      const size_t span = static_cast<size_t>(std::max(cell.span, 1));
      if (widths.size() < col + span) widths.resize(col + span, 0);
      if (span == 1)
        widths[col] = std::max(widths[col], DisplayWidth(cell.text));
      col += span;
    }
  }
  // Then a spanning cell wider than its columns widens them evenly.
  for (const auto& row : rows) {
    size_t col = 0;
    for (const TextCell& cell : row) {
      const int span = std::max(cell.span, 1);
      if (span > 1) {
        int room = kGap * (span - 1);
        for (int i = 0; i < span; ++i) room += widths[col + i];
        int extra = DisplayWidth(cell.text) - room;
        for (int i = 0; extra > 0; i = (i + 1) % span, --extra) {
          ++widths[col + i];
        }
      }
      col += span;
    }
  }
  std::string out;
  for (const auto& row : rows) {
    std::string line;
    size_t col = 0;
    for (const TextCell& cell : row) {
      const int span = std::max(cell.span, 1);
      int width = kGap * (span - 1);
      for (int i = 0; i < span; ++i) width += widths[col + i];
      if (col > 0) line.append(kGap, ' ');
      const bool right =
          span == 1 && col < right_align.size() && right_align[col];
      line += right ? PadLeft(cell.text, width) : PadRight(cell.text, width);
      col += span;
    }
    TrimRight(&line);
    absl::StrAppend(&out, line, "\n");
  }
  return out;
}

}  // namespace gongkai

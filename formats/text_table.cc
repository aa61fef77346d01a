#include "formats/text_table.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "common/text_width.h"

namespace gongkai {

std::string FormatTable(const std::vector<std::vector<std::string>>& rows,
                        const std::vector<bool>& right_align) {
  std::vector<int> widths;
  for (const auto& row : rows) {
    if (widths.size() < row.size()) widths.resize(row.size(), 0);
    for (size_t i = 0; i < row.size(); ++i) {
      widths[i] = std::max(widths[i], DisplayWidth(row[i]));
    }
  }
  std::string out;
  for (const auto& row : rows) {
    std::string line;
    for (size_t i = 0; i < row.size(); ++i) {
      const bool right = i < right_align.size() && right_align[i];
      const bool last = i + 1 == row.size();
      if (i > 0) line += "  ";
      if (right) {
        line += PadLeft(row[i], widths[i]);
      } else {
        line += last ? row[i] : PadRight(row[i], widths[i]);
      }
    }
    absl::StrAppend(&out, line, "\n");
  }
  return out;
}

}  // namespace gongkai

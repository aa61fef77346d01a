// Aligned plain-text tables for terminals and text reports. Widths count
// display columns (a Chinese character takes two), so columns of mixed
// Chinese and ASCII text line up. Every width comes from the content: no
// cell is ever cut. Pure functions; safe from any thread.
#ifndef GONGKAI_FORMATS_TEXT_TABLE_H_
#define GONGKAI_FORMATS_TEXT_TABLE_H_

#include <string>
#include <vector>

namespace gongkai {

// One line per row (the first is usually the header), columns separated by
// two spaces; column i is right-aligned when right_align[i] (numbers), else
// left-aligned. The last column is not padded and no line ends in spaces.
std::string FormatTable(const std::vector<std::vector<std::string>>& rows,
                        const std::vector<bool>& right_align = {});

// A cell of a table with merged header cells: `text` over `span` adjacent
// columns, as a group heading such as 行政诉讼 over its ten columns.
struct TextCell {
  std::string text;
  int span = 1;  // at least 1
};

// Like FormatTable, but a cell may span several columns. A spanning cell is
// left-aligned over its columns and takes their widths plus the separators
// between them; when its text is wider, the extra width is shared out over
// the columns it spans, so the columns below stay aligned with it.
std::string FormatSpannedTable(const std::vector<std::vector<TextCell>>& rows,
                               const std::vector<bool>& right_align = {});

}  // namespace gongkai

#endif  // GONGKAI_FORMATS_TEXT_TABLE_H_

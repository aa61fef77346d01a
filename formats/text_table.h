// Aligned plain-text tables for terminals and text reports. Widths count
// display columns (a Chinese character takes two), so columns of mixed
// Chinese and ASCII text line up.
#ifndef GONGKAI_FORMATS_TEXT_TABLE_H_
#define GONGKAI_FORMATS_TEXT_TABLE_H_

#include <string>
#include <vector>

namespace gongkai {

// One line per row (the first is usually the header), columns separated by
// two spaces; column i is right-aligned when right_align[i] (numbers), else
// left-aligned. The last column is not padded.
std::string FormatTable(const std::vector<std::vector<std::string>>& rows,
                        const std::vector<bool>& right_align = {});

}  // namespace gongkai

#endif  // GONGKAI_FORMATS_TEXT_TABLE_H_

// Display width of UTF-8 text in a terminal, where CJK characters take two
// columns. Used to align tables that mix Chinese labels and digits.
#ifndef GONGKAI_COMMON_TEXT_WIDTH_H_
#define GONGKAI_COMMON_TEXT_WIDTH_H_

#include <string>
#include <string_view>

#include "absl/strings/string_view.h"

namespace gongkai {

// Number of terminal columns `text` occupies.
int DisplayWidth(absl::string_view text);

// `text` cut to at most `max_columns` columns (with "…" when cut).
std::string TruncateToWidth(absl::string_view text, int max_columns);

// `text` padded with spaces on the right (or left) to `columns`.
std::string PadRight(absl::string_view text, int columns);
std::string PadLeft(absl::string_view text, int columns);

// True when `text` is valid UTF-8.
bool IsValidUtf8(absl::string_view text);

}  // namespace gongkai

#endif  // GONGKAI_COMMON_TEXT_WIDTH_H_

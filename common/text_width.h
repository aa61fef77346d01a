// Display width of UTF-8 text in a terminal, where CJK characters take two
// columns, and UTF-8 validation. Used to align tables that mix Chinese labels
// and digits, and to refuse text that is not UTF-8 where it enters. Widths
// and validity come from utf8proc's Unicode tables. Pure functions; safe from
// any thread.
#ifndef GONGKAI_COMMON_TEXT_WIDTH_H_
#define GONGKAI_COMMON_TEXT_WIDTH_H_

#include <string>
#include <string_view>

#include "absl/strings/string_view.h"

namespace gongkai {

// Number of terminal columns `text` occupies: 2 per East Asian wide or
// fullwidth character (emoji included), 0 per control character, combining
// mark or zero-width character, 1 otherwise. Bytes that are not UTF-8 count 1
// each, as terminals show them as U+FFFD.
int DisplayWidth(absl::string_view text);

// `text` cut to at most `max_columns` columns (with "…" when cut).
std::string TruncateToWidth(absl::string_view text, int max_columns);

// `text` padded with spaces on the right (or left) to `columns`.
std::string PadRight(absl::string_view text, int columns);
std::string PadLeft(absl::string_view text, int columns);

// True when `text` is well-formed UTF-8: no overlong forms, no surrogates
// (U+D800-U+DFFF), nothing above U+10FFFF, no stray or missing continuation
// bytes. The same rule protobuf applies to string fields.
bool IsValidUtf8(absl::string_view text);

}  // namespace gongkai

#endif  // GONGKAI_COMMON_TEXT_WIDTH_H_

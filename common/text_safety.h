// Making stored or received text safe to show and to log. Text that reaches
// storage is validated where it enters (ValidateText), but records written
// before that rule, or altered in the database file, may still hold bytes
// that are not UTF-8, NUL, or terminal escape sequences. These functions
// turn any byte string into text that cannot break a protobuf message, move
// a terminal's cursor, or forge a log line. Pure functions; safe from any
// thread.
#ifndef GONGKAI_COMMON_TEXT_SAFETY_H_
#define GONGKAI_COMMON_TEXT_SAFETY_H_

#include <string>

#include "absl/strings/string_view.h"

namespace gongkai {

// True for code points that change how a terminal or a log reader shows the
// text around them rather than showing themselves: C0 and C1 controls, DEL,
// the line and paragraph separators U+2028/U+2029 and the bidirectional
// overrides and isolates (U+202A-U+202E, U+2066-U+2069).
bool IsUnsafeCodePoint(char32_t cp);

// `text` with every byte sequence that is not UTF-8 replaced by U+FFFD, one
// per byte; valid text is returned unchanged. For a protobuf string field,
// which must be UTF-8.
std::string ReplaceInvalidUtf8(absl::string_view text);

// `text` as a terminal may print it: invalid bytes become U+FFFD and unsafe
// code points are shown as escapes ("\x1b", "\u202e"), so ESC [ 2 J prints
// as the visible "\x1b[2J". With `keep_newlines`, "\n" and "\t" are kept for
// fields that allow several lines; "\r" is always escaped, since it returns
// the cursor and lets a line overwrite what was printed before it.
std::string SafeForTerminal(absl::string_view text, bool keep_newlines);

// `text` as one line of a log: backslash, every unsafe code point (newlines
// included) and every byte that is not UTF-8 are escaped ("\\", "\n", "\x1b",
// "\xff", "\u2028"), so nothing a client sends can start a line of its own or
// hide a byte from the reader.
std::string EscapeForLog(absl::string_view text);

}  // namespace gongkai

#endif  // GONGKAI_COMMON_TEXT_SAFETY_H_

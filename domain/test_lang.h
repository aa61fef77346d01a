// Test helper: finds English words in a text meant for a Chinese reader, so
// that a test can say "the Chinese version has no English in it" and fail on
// the first word that slipped through.
//
// A word is a run of three or more ASCII letters. Allowed are the stable
// tokens a Chinese text still carries on purpose: case numbers, codes, the
// command names and options a clerk types (--late-reason, case corrected),
// file names and JSON keys; the caller names them.
//
// Pure functions; thread-compatible.
#ifndef GONGKAI_DOMAIN_TEST_LANG_H_
#define GONGKAI_DOMAIN_TEST_LANG_H_

#include <algorithm>
#include <cctype>
#include <initializer_list>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace gongkai {

// Tokens every Chinese text may contain: units, standards and the names of
// the programs.
inline const std::vector<std::string>& AlwaysAllowedWords() {
  static const auto* words = new std::vector<std::string>{
      "KiB", "UTF", "JSON", "CSV", "XLSX", "gongkai", "gongkaid", "UTC",
  };
  return *words;
}

// The English words of `text` (runs of 3+ ASCII letters) that are neither
// always allowed nor in `allowed`.
inline std::vector<std::string> EnglishWords(
    absl::string_view text,
    std::initializer_list<absl::string_view> allowed = {}) {
  std::vector<std::string> found;
  size_t i = 0;
  while (i < text.size()) {
    if (!std::isalpha(static_cast<unsigned char>(text[i]))) {
      ++i;
      continue;
    }
    size_t j = i;
    while (j < text.size() &&
           std::isalpha(static_cast<unsigned char>(text[j]))) {
      ++j;
    }
    const absl::string_view word = text.substr(i, j - i);
    // Part of an option or a code (--late-reason, other_no_correction):
    // the whole token is checked against `allowed` below.
    size_t ts = i, te = j;
    auto token_char = [](char c) {
      return std::isalnum(static_cast<unsigned char>(c)) || c == '-' ||
             c == '_' || c == '.';
    };
    while (ts > 0 && token_char(text[ts - 1])) --ts;
    while (te < text.size() && token_char(text[te])) ++te;
    const absl::string_view token = text.substr(ts, te - ts);
    if (word.size() >= 3) {
      const auto& always = AlwaysAllowedWords();
      const bool ok =
          std::find(always.begin(), always.end(), word) != always.end() ||
          std::find(allowed.begin(), allowed.end(), word) != allowed.end() ||
          std::find(allowed.begin(), allowed.end(), token) != allowed.end();
      if (!ok) found.emplace_back(word);
    }
    i = j;
  }
  return found;
}

}  // namespace gongkai

#endif  // GONGKAI_DOMAIN_TEST_LANG_H_

#include "storage/sqlite/case_text.h"

#include <utf8proc.h>

#include <cstdint>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "common/lang.h"

namespace gongkai::storage {
namespace {

// One character of UTF-8 text: its bytes and whether it is part of a word.
struct Char {
  absl::string_view bytes;
  bool word = false;
};

// Spaces, ASCII punctuation and the common Unicode punctuation blocks split
// words; letters and digits of every script (CJK included) make them.
bool IsWordChar(uint32_t cp) {
  if (cp < 0x80) {
    return (cp >= '0' && cp <= '9') || (cp >= 'a' && cp <= 'z') ||
           (cp >= 'A' && cp <= 'Z');
  }
  if (cp <= 0xBF) return false;                    // Latin-1 punctuation
  if (cp >= 0x2000 && cp <= 0x2BFF) return false;  // punctuation, symbols
  if (cp >= 0x3000 && cp <= 0x303F) return false;  // CJK punctuation
  if (cp >= 0xFE30 && cp <= 0xFE4F) return false;  // CJK compatibility forms
  if (cp >= 0xFF00 && cp <= 0xFF0F) return false;  // full-width ！＂＃ …／
  if (cp >= 0xFF1A && cp <= 0xFF20) return false;  // ：；＜＝＞？＠
  if (cp >= 0xFF3B && cp <= 0xFF40) return false;  // ［＼］＾＿｀
  if (cp >= 0xFF5B && cp <= 0xFF65) return false;  // ｛｜｝～ …
  if (cp >= 0x1F000) return false;                 // emoji and the like
  return true;
}

// Splits UTF-8 text into characters (utf8proc decodes them). A byte that
// does not start a valid sequence is taken alone as a non-word character.
std::vector<Char> Chars(absl::string_view text) {
  std::vector<Char> out;
  size_t i = 0;
  while (i < text.size()) {
    utf8proc_int32_t cp = 0;
    const utf8proc_ssize_t len = utf8proc_iterate(
        reinterpret_cast<const utf8proc_uint8_t*>(text.data() + i),
        static_cast<utf8proc_ssize_t>(text.size() - i), &cp);
    if (len <= 0) {
      out.push_back({text.substr(i, 1), false});
      ++i;
      continue;
    }
    out.push_back({text.substr(i, len), IsWordChar(static_cast<uint32_t>(cp))});
    i += len;
  }
  return out;
}

void AppendLower(std::string* out, absl::string_view bytes) {
  for (char c : bytes) {
    *out += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  }
}

// The bigrams of `text`, in order.
std::vector<std::string> Bigrams(absl::string_view text) {
  std::vector<Char> chars = Chars(text);
  std::vector<std::string> out;
  for (size_t i = 0; i + 1 < chars.size(); ++i) {
    if (!chars[i].word || !chars[i + 1].word) continue;
    std::string gram;
    AppendLower(&gram, chars[i].bytes);
    AppendLower(&gram, chars[i + 1].bytes);
    out.push_back(std::move(gram));
  }
  return out;
}

void BigramsFunction(sqlite3_context* ctx, int argc, sqlite3_value** argv) {
  if (argc != 1 || sqlite3_value_type(argv[0]) == SQLITE_NULL) {
    sqlite3_result_text(ctx, "", 0, SQLITE_STATIC);
    return;
  }
  const unsigned char* text = sqlite3_value_text(argv[0]);
  const int n = sqlite3_value_bytes(argv[0]);
  std::string grams =
      TextBigrams(absl::string_view(reinterpret_cast<const char*>(text), n));
  sqlite3_result_text(ctx, grams.data(), static_cast<int>(grams.size()),
                      SQLITE_TRANSIENT);
}

}  // namespace

std::string TextBigrams(absl::string_view text) {
  return absl::StrJoin(Bigrams(text), " ");
}

absl::StatusOr<std::vector<std::string>> SearchWords(absl::string_view text) {
  std::vector<std::string> words;
  for (absl::string_view w :
       absl::StrSplit(text, absl::ByAnyChar(" \t\n\r"), absl::SkipEmpty())) {
    // The ideographic space separates words too.
    for (absl::string_view part :
         absl::StrSplit(w, "\u3000", absl::SkipEmpty())) {
      if (Bigrams(part).empty()) {
        return LocalizedError(
            absl::StatusCode::kInvalidArgument,
            absl::StrCat("搜索词“", part,
                         "”太短：每个词至少要有两个连续的汉字、字母或数字"),
            absl::StrCat("search word '", part,
                         "' is too short: each word needs at least two "
                         "consecutive letters, digits or Chinese characters"));
      }
      std::string lower;
      AppendLower(&lower, part);
      words.push_back(std::move(lower));
    }
  }
  if (words.empty()) {
    return LocalizedError(absl::StatusCode::kInvalidArgument, "搜索内容为空",
                          "the search has no words");
  }
  return words;
}

std::string MatchExpression(const std::vector<std::string>& words,
                            absl::string_view column) {
  std::string expr;
  for (const std::string& w : words) {
    if (!expr.empty()) expr += " AND ";
    if (!column.empty()) absl::StrAppend(&expr, column, " : ");
    // A bigram is letters and digits only, so it needs no quoting inside
    // the phrase's double quotes.
    absl::StrAppend(&expr, "\"", absl::StrJoin(Bigrams(w), " "), "\"");
  }
  return expr;
}

int RegisterTextFunctions(sqlite3* db) {
  return sqlite3_create_function(
      db, "gk_bigrams", 1,
      SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS, nullptr,
      BigramsFunction, nullptr, nullptr);
}

}  // namespace gongkai::storage

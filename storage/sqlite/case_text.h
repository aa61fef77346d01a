// The full-text index of cases: applicant, request and contact, searchable
// by any substring of two characters or more — Chinese names are often two
// characters, below what FTS5's trigram tokenizer can match.
//
// Each text is indexed as its character bigrams ("王五路" -> "王五 五路"),
// written as words for FTS5's unicode61 tokenizer. A search word becomes
// the phrase of its consecutive bigrams, which matches exactly the rows
// whose text holds those bigrams one after another; the store then confirms
// the substring itself (a phrase may also span two runs of text split by
// punctuation). Runs of letters and digits are what is indexed; spaces and
// punctuation split runs.
//
// The index is the FTS5 table `case_text` (rowid = cases.id), kept by
// triggers on `cases` that call the SQL function gk_bigrams: every insert
// and every change of those columns, whichever code path makes it. A
// ledger import sets the insert trigger aside and adds the same rows for
// its cases in one statement after them (SqliteCaseTable::Import).
//
// Thread safety: the functions are pure; RegisterTextFunctions is called
// once per connection, before the connection is shared.
#ifndef GONGKAI_STORAGE_SQLITE_CASE_TEXT_H_
#define GONGKAI_STORAGE_SQLITE_CASE_TEXT_H_

#include <sqlite3.h>

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace gongkai::storage {

// "申请人王五" -> "申请 请人 人王 王五"; ASCII letters are lower-cased. Runs
// of one character add nothing.
std::string TextBigrams(absl::string_view text);

// The words of a search (split at spaces), each lower-cased in ASCII.
// INVALID_ARGUMENT when there are none or a word has no two consecutive
// letters or digits (the index cannot find it).
absl::StatusOr<std::vector<std::string>> SearchWords(absl::string_view text);

// The FTS5 query matching rows whose `column` ("" = any column) holds each
// of `words`: the phrases of their bigrams, joined with AND.
std::string MatchExpression(const std::vector<std::string>& words,
                            absl::string_view column);

// Makes gk_bigrams(text) known to `db` (the triggers of case_text call it).
// Returns an SQLite result code.
int RegisterTextFunctions(sqlite3* db);

}  // namespace gongkai::storage

#endif  // GONGKAI_STORAGE_SQLITE_CASE_TEXT_H_

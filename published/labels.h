// Matching a label as an office published it to the official label it
// stands for, the way a person reads it.
//
// Published tables are typed by hand: full- and half-width brackets and
// periods, spaces, non-breaking spaces and line breaks inside a label,
// straight or curly quotes, the numbering written as "（三）", "(三)", "3．"
// or "3、", known other wordings (只计这一情况) and plain typos
// (其他法律行政止公开). A label is folded (NFKC via utf8proc, then every
// space, punctuation mark and quote dropped), its numbering taken off and
// kept as evidence, and it is compared with each candidate by edit distance
// relative to its length. Ties are broken by the numbering, then by the
// heading the row sits under, then by the position in the table; what stays
// ambiguous, or is too far from every candidate, is not matched.
//
// Pure functions over immutable data; safe from any thread.
#ifndef GONGKAI_PUBLISHED_LABELS_H_
#define GONGKAI_PUBLISHED_LABELS_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace gongkai::published {

// `text` compatibility-normalised (NFKC: full-width forms, NBSP and the
// ideographic space become their plain forms), then stripped of every
// space, control character, punctuation mark and symbol. "（三）不予公开"
// folds to "三不予公开", "1．属于“国家秘密”" to "1属于国家秘密".
std::string FoldLabel(absl::string_view text);

// `text` NFKC-normalised only (for numbers: full-width digits and commas,
// NBSP). Invalid UTF-8 comes back unchanged.
std::string NfkcText(absl::string_view text);

// The numbering that opens a label.
struct Numbering {
  enum Kind {
    kNone,
    kGroup,  // "一、" "三." : a row group of table 3
    kSub,    // "（三）" "(3)" : a numbered row or heading
    kItem,   // "1." "1．" "1、" : an item under a heading
  };
  Kind kind = kNone;
  int value = 0;
  friend bool operator==(const Numbering&, const Numbering&) = default;
};

// A label split into its numbering and its folded text.
struct ParsedLabel {
  Numbering numbering;
  std::string folded;  // FoldLabel of the text after the numbering
};
ParsedLabel ParseLabel(absl::string_view text);

// Splits a cell that holds a heading and an item together, as
// "（三）不予公开 1.属于国家秘密" or "（三）不予公开\n1．属于国家秘密", into
// its parts; a cell without an inner item number comes back whole.
std::vector<std::string> SplitLabelParts(absl::string_view text);

// Levenshtein distance between two UTF-8 texts, counted in code points.
int EditDistance(absl::string_view a, absl::string_view b);

// One official label a published one may stand for.
struct LabelCandidate {
  std::string id;        // the row or column id reported in findings
  std::string official;  // the official label, for messages
  std::string folded;    // FoldLabel of the official text without numbering
  Numbering numbering;   // the official numbering, kNone when it has none
  std::string parent;    // folded heading it sits under ("不予公开"), or ""
  int position = 0;      // its place in the table, from 0
};

// What a published label was matched to.
struct LabelMatch {
  int index = -1;              // into the candidates; -1 when unmatched
  bool exact = false;          // same folded text (width, spaces, quotes)
  bool known_variant = false;  // a wording listed in KnownVariants()
  bool ambiguous = false;      // unmatched because several fit equally
  int distance = 0;            // edit distance to the matched official text
};

// Evidence beyond the label's own text.
struct MatchHints {
  std::string parent;          // folded heading the row sits under, or ""
  int expected_position = -1;  // where the table's order puts it, or -1
};

// Matches `label` to one of `candidates`. A label whose text is empty but
// whose numbering fits exactly one candidate matches it (as a variant).
LabelMatch MatchLabel(absl::string_view label,
                      const std::vector<LabelCandidate>& candidates,
                      const MatchHints& hints = {});

// Published wordings known to stand for an official one, folded: the pairs
// (variant, official) substituted before distances are measured.
const std::vector<std::pair<std::string, std::string>>& KnownVariants();

}  // namespace gongkai::published

#endif  // GONGKAI_PUBLISHED_LABELS_H_

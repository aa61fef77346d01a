#include "published/labels.h"

#include <utf8proc.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <regex>
#include <tuple>

#include "absl/strings/ascii.h"
#include "absl/strings/str_replace.h"

namespace gongkai::published {
namespace {

// Relative edit distance up to which a label still stands for a candidate:
// one change in three characters. "其他法律行政止公开" is 3 changes from the
// 12 characters of "其他法律行政法规禁止公开" (0.25).
constexpr double kMaxRelative = 0.34;
// Candidates whose relative distances differ by less than this are tied,
// and the numbering, the heading and the position decide between them.
constexpr double kTieBand = 0.08;

std::vector<utf8proc_int32_t> CodePoints(absl::string_view text) {
  std::vector<utf8proc_int32_t> out;
  size_t pos = 0;
  while (pos < text.size()) {
    utf8proc_int32_t cp;
    const utf8proc_ssize_t len = utf8proc_iterate(
        reinterpret_cast<const utf8proc_uint8_t*>(text.data() + pos),
        static_cast<utf8proc_ssize_t>(text.size() - pos), &cp);
    if (len <= 0) {
      out.push_back(0xFFFD);
      ++pos;
      continue;
    }
    out.push_back(cp);
    pos += static_cast<size_t>(len);
  }
  return out;
}

void AppendCodePoint(std::string* out, utf8proc_int32_t cp) {
  utf8proc_uint8_t buf[4];
  const utf8proc_ssize_t n = utf8proc_encode_char(cp, buf);
  out->append(reinterpret_cast<const char*>(buf), static_cast<size_t>(n));
}

bool KeptInFold(utf8proc_int32_t cp) {
  switch (utf8proc_category(cp)) {
    case UTF8PROC_CATEGORY_LU:
    case UTF8PROC_CATEGORY_LL:
    case UTF8PROC_CATEGORY_LT:
    case UTF8PROC_CATEGORY_LM:
    case UTF8PROC_CATEGORY_LO:
    case UTF8PROC_CATEGORY_ND:
    case UTF8PROC_CATEGORY_NL:
    case UTF8PROC_CATEGORY_NO:
      return true;
    default:
      return false;
  }
}

bool IsSpaceLike(utf8proc_int32_t cp) {
  const utf8proc_category_t c = utf8proc_category(cp);
  return c == UTF8PROC_CATEGORY_ZS || c == UTF8PROC_CATEGORY_ZL ||
         c == UTF8PROC_CATEGORY_ZP || c == UTF8PROC_CATEGORY_CC ||
         c == UTF8PROC_CATEGORY_CF;
}

// 一 … 九十九 as a number; 0 when `s` is not such a numeral.
int ChineseNumeral(const std::vector<utf8proc_int32_t>& s) {
  static const std::u32string kDigits = U"零一二三四五六七八九";
  int value = 0, current = 0;
  bool any = false;
  for (utf8proc_int32_t cp : s) {
    const size_t d = kDigits.find(static_cast<char32_t>(cp));
    if (d != std::u32string::npos) {
      current = static_cast<int>(d);
      any = true;
    } else if (cp == U'十') {
      value += (any && current > 0 ? current : 1) * 10;
      current = 0;
      any = true;
    } else {
      return 0;
    }
  }
  return any ? value + current : 0;
}

bool IsChineseDigit(utf8proc_int32_t cp) {
  return std::u32string_view(U"零一二三四五六七八九十")
             .find(static_cast<char32_t>(cp)) != std::u32string_view::npos;
}

bool IsAsciiDigit(utf8proc_int32_t cp) { return cp >= '0' && cp <= '9'; }

// Encodes code points [from, end) of `cps`.
std::string Encode(const std::vector<utf8proc_int32_t>& cps, size_t from) {
  std::string out;
  for (size_t i = from; i < cps.size(); ++i) AppendCodePoint(&out, cps[i]);
  return out;
}

// The numbering at the start of `cps` (already NFKC), and where the text
// after it begins.
Numbering LeadingNumbering(const std::vector<utf8proc_int32_t>& cps,
                           size_t* rest) {
  size_t i = 0;
  while (i < cps.size() && IsSpaceLike(cps[i])) ++i;
  *rest = i;
  const size_t start = i;
  if (i < cps.size() && cps[i] == '(') {
    size_t j = i + 1;
    std::vector<utf8proc_int32_t> inner;
    while (j < cps.size() && j - i <= 5 && cps[j] != ')') {
      if (!IsSpaceLike(cps[j])) inner.push_back(cps[j]);
      ++j;
    }
    if (j < cps.size() && cps[j] == ')' && !inner.empty()) {
      int value = ChineseNumeral(inner);
      if (value == 0 && std::all_of(inner.begin(), inner.end(), IsAsciiDigit)) {
        value = std::atoi(Encode(inner, 0).c_str());
      }
      if (value > 0) {
        *rest = j + 1;
        return {Numbering::kSub, value};
      }
    }
    return {};
  }
  auto followed_by_mark = [&](size_t j) {
    while (j < cps.size() && IsSpaceLike(cps[j])) ++j;
    return j < cps.size() &&
                   (cps[j] == '.' || cps[j] == U'、' || cps[j] == ',' ||
                    cps[j] == U'．' || cps[j] == U'。')
               ? j + 1
               : 0;
  };
  std::vector<utf8proc_int32_t> run;
  size_t j = start;
  while (j < cps.size() && IsChineseDigit(cps[j])) run.push_back(cps[j++]);
  if (!run.empty()) {
    if (size_t after = followed_by_mark(j); after != 0) {
      *rest = after;
      return {Numbering::kGroup, ChineseNumeral(run)};
    }
    return {};
  }
  while (j < cps.size() && IsAsciiDigit(cps[j])) run.push_back(cps[j++]);
  if (!run.empty() && run.size() <= 2) {
    size_t after = followed_by_mark(j);
    if (after == 0 && j < cps.size() && cps[j] == ')') after = j + 1;
    if (after != 0) {
      *rest = after;
      return {Numbering::kItem, std::atoi(Encode(run, 0).c_str())};
    }
  }
  return {};
}

// Distance of `text` to a candidate's folded text, relative to the longer.
// A label of at least four characters that the official text contains
// whole ("部分公开" for the long （二） label) counts as near.
double Relative(const std::vector<utf8proc_int32_t>& text,
                absl::string_view text_utf8, absl::string_view official,
                int* distance) {
  const std::vector<utf8proc_int32_t> o = CodePoints(official);
  // Levenshtein with one row.
  std::vector<int> row(o.size() + 1);
  for (size_t j = 0; j <= o.size(); ++j) row[j] = static_cast<int>(j);
  for (size_t i = 1; i <= text.size(); ++i) {
    int diagonal = row[0];
    row[0] = static_cast<int>(i);
    for (size_t j = 1; j <= o.size(); ++j) {
      const int up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1,
                         diagonal + (text[i - 1] == o[j - 1] ? 0 : 1)});
      diagonal = up;
    }
  }
  *distance = row[o.size()];
  const size_t len = std::max(text.size(), o.size());
  double rel = len == 0 ? 0.0 : static_cast<double>(*distance) / len;
  if (text.size() >= 4 && official.find(text_utf8) != absl::string_view::npos) {
    rel = std::min(rel, 0.3);
  }
  return rel;
}

}  // namespace

std::string NfkcText(absl::string_view text) {
  utf8proc_uint8_t* mapped = nullptr;
  const utf8proc_ssize_t n =
      utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(text.data()),
                   static_cast<utf8proc_ssize_t>(text.size()), &mapped,
                   static_cast<utf8proc_option_t>(
                       UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_COMPAT));
  if (n < 0) return std::string(text);
  std::string out(reinterpret_cast<const char*>(mapped),
                  static_cast<size_t>(n));
  std::free(mapped);
  return out;
}

std::string FoldLabel(absl::string_view text) {
  std::string out;
  for (utf8proc_int32_t cp : CodePoints(NfkcText(text))) {
    if (KeptInFold(cp)) AppendCodePoint(&out, cp);
  }
  return out;
}

ParsedLabel ParseLabel(absl::string_view text) {
  const std::vector<utf8proc_int32_t> cps = CodePoints(NfkcText(text));
  size_t rest = 0;
  ParsedLabel p;
  p.numbering = LeadingNumbering(cps, &rest);
  p.folded = FoldLabel(Encode(cps, rest));
  return p;
}

std::vector<std::string> SplitLabelParts(absl::string_view text) {
  const std::string nfkc = NfkcText(text);
  const std::vector<utf8proc_int32_t> cps = CodePoints(nfkc);
  size_t rest = 0;
  if (LeadingNumbering(cps, &rest).kind != Numbering::kSub) {
    return {std::string(text)};
  }
  // An item number after the heading's words: "不予公开 1.属于…".
  static const std::regex kItem("([^0-9])\\s*([0-9]{1,2}\\s*(\\.|、))");
  const std::string after = Encode(cps, rest);
  std::smatch m;
  if (!std::regex_search(after, m, kItem)) return {std::string(text)};
  const size_t cut = static_cast<size_t>(m.position(2));
  std::string head =
      Encode(std::vector<utf8proc_int32_t>(cps.begin(), cps.begin() + rest),
             0) +
      after.substr(0, cut);
  std::string item = after.substr(cut);
  if (FoldLabel(head).empty() || FoldLabel(item).empty()) {
    return {std::string(text)};
  }
  return {std::string(absl::StripAsciiWhitespace(head)),
          std::string(absl::StripAsciiWhitespace(item))};
}

int EditDistance(absl::string_view a, absl::string_view b) {
  int d = 0;
  Relative(CodePoints(a), a, b, &d);
  return d;
}

const std::vector<std::pair<std::string, std::string>>& KnownVariants() {
  static const auto* variants =
      new std::vector<std::pair<std::string, std::string>>{
          {"只计这一情况", "只计这一情形"},
          {"不计其他情况", "不计其他情形"},
          {"三类内容事务信息", "三类内部事务信息"},
          {"三类内部事务", "三类内部事务信息"},
          {"四类过程信息", "四类过程性信息"},
          {"结转下一年度", "结转下年度"},
          {"结转至下年度", "结转下年度"},
          {"其它", "其他"},
          {"合计", "总计"},
          {"维持", "结果维持"},
          {"纠正", "结果纠正"},
          {"未审结", "尚未审结"},
      };
  return *variants;
}

LabelMatch MatchLabel(absl::string_view label,
                      const std::vector<LabelCandidate>& candidates,
                      const MatchHints& hints) {
  LabelMatch match;
  const ParsedLabel p = ParseLabel(label);
  std::string text = p.folded;
  for (const auto& [variant, official] : KnownVariants()) {
    // Only where the variant is not already part of the official wording
    // ("结果维持" contains "维持").
    if (text.find(variant) == std::string::npos ||
        text.find(official) != std::string::npos) {
      continue;
    }
    text = absl::StrReplaceAll(text, {{variant, official}});
  }
  const bool substituted = text != p.folded;

  auto parent_fits = [&](const LabelCandidate& c) {
    if (hints.parent.empty() || c.parent.empty()) return true;
    int d = 0;
    return Relative(CodePoints(hints.parent), hints.parent, c.parent, &d) <=
           kMaxRelative;
  };
  auto numbering_fits = [&](const LabelCandidate& c) {
    return p.numbering.kind == Numbering::kNone || p.numbering == c.numbering;
  };

  if (text.empty()) {
    if (p.numbering.kind == Numbering::kNone) return match;
    int found = -1;
    for (size_t i = 0; i < candidates.size(); ++i) {
      if (candidates[i].numbering == p.numbering &&
          parent_fits(candidates[i])) {
        if (found >= 0) {
          match.ambiguous = true;
          return match;
        }
        found = static_cast<int>(i);
      }
    }
    match.index = found;
    if (found >= 0) {
      match.distance =
          static_cast<int>(CodePoints(candidates[found].folded).size());
    }
    return match;
  }

  const std::vector<utf8proc_int32_t> cps = CodePoints(text);
  std::vector<double> rel(candidates.size());
  std::vector<int> dist(candidates.size());
  double best = 2.0;
  for (size_t i = 0; i < candidates.size(); ++i) {
    rel[i] = Relative(cps, text, candidates[i].folded, &dist[i]);
    best = std::min(best, rel[i]);
  }
  if (best > kMaxRelative) return match;

  // Among the candidates within the tie band of the best: the numbering,
  // then the heading, then the position decide; then the distance.
  using Key = std::tuple<int, int, int, double>;
  std::vector<std::pair<Key, int>> tied;
  for (size_t i = 0; i < candidates.size(); ++i) {
    if (rel[i] > kMaxRelative || rel[i] > best + kTieBand) continue;
    const LabelCandidate& c = candidates[i];
    const int position_gap =
        hints.expected_position < 0
            ? 0
            : std::abs(hints.expected_position - c.position);
    tied.push_back({Key{numbering_fits(c) ? 0 : 1, parent_fits(c) ? 0 : 1,
                        position_gap, rel[i]},
                    static_cast<int>(i)});
  }
  std::sort(tied.begin(), tied.end());
  if (tied.size() > 1 && tied[0].first == tied[1].first) {
    match.ambiguous = true;
    return match;
  }
  const int i = tied[0].second;
  match.index = i;
  match.distance = dist[i];
  match.exact =
      p.folded == candidates[i].folded && numbering_fits(candidates[i]);
  match.known_variant = substituted && dist[i] == 0;
  return match;
}

}  // namespace gongkai::published

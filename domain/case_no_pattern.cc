#include "domain/case_no_pattern.h"

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/lang.h"
#include "domain/case.h"

namespace gongkai {
namespace {

absl::Status BadPattern(absl::string_view pattern, absl::string_view zh,
                        absl::string_view en) {
  return LocalizedError(
      absl::StatusCode::kInvalidArgument,
      absl::StrCat("编号格式“", pattern, "”无效：", zh,
                   "；例如 驻公信〔{year}〕{n}号 或 {year}-{n:4}"),
      absl::StrCat("case-number pattern '", pattern, "' is invalid: ", en,
                   "; e.g. 驻公信〔{year}〕{n}号 or {year}-{n:4}"));
}

// Expands the placeholders, or says why it cannot.
absl::StatusOr<std::string> Expand(absl::string_view pattern, int year,
                                   int64_t n) {
  std::string out;
  int sequences = 0;
  int years = 0;
  size_t i = 0;
  while (i < pattern.size()) {
    const char c = pattern[i];
    if (c == '}') {
      return BadPattern(pattern, "“}”前没有“{”", "'}' without '{'");
    }
    if (c != '{') {
      out.push_back(c);
      ++i;
      continue;
    }
    const size_t close = pattern.find('}', i);
    if (close == absl::string_view::npos) {
      return BadPattern(pattern, "“{”没有对应的“}”", "'{' without '}'");
    }
    const absl::string_view name = pattern.substr(i + 1, close - i - 1);
    if (name == "year") {
      ++years;
      absl::StrAppend(&out, absl::StrFormat("%04d", year));
    } else if (name == "n" || absl::StartsWith(name, "n:")) {
      ++sequences;
      int width = 1;
      if (name != "n" && (!absl::SimpleAtoi(name.substr(2), &width) ||
                          width < 1 || width > 9)) {
        return BadPattern(pattern, "{n:W} 的位数 W 应为 1 到 9",
                          "the width W of {n:W} must be 1 to 9");
      }
      absl::StrAppend(&out, absl::StrFormat("%0*d", width, n));
    } else {
      return BadPattern(
          pattern,
          absl::StrCat("不认识的占位符 {", name, "}，只能用 {year} 和 {n}"),
          absl::StrCat("unknown placeholder {", name,
                       "}; only {year} and {n} are known"));
    }
    i = close + 1;
  }
  if (sequences != 1) {
    return BadPattern(pattern, "必须恰好含一个序号 {n}",
                      "it must contain the sequence number {n} exactly once");
  }
  if (years > 1) {
    return BadPattern(pattern, "{year} 至多出现一次",
                      "{year} may appear at most once");
  }
  return out;
}

}  // namespace

absl::Status ValidateCaseNoPattern(absl::string_view pattern) {
  if (pattern.empty()) return absl::OkStatus();
  // The longest number it can make must still be a valid case number.
  absl::StatusOr<std::string> sample = Expand(pattern, 2099, 999999999);
  if (!sample.ok()) return sample.status();
  if (absl::Status s = ValidateCaseNo(*sample); !s.ok()) {
    return BadPattern(pattern,
                      absl::StrCat("生成的编号“", *sample,
                                   "”不是有效的申请编号（", s.message(), "）"),
                      absl::StrCat("it makes '", *sample,
                                   "', which is not a valid case number (",
                                   MessageIn(s, Lang::kEn), ")"));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string> FormatCaseNo(absl::string_view pattern, int year,
                                         int64_t n) {
  return Expand(pattern.empty() ? kDefaultCaseNoPattern : pattern, year, n);
}

}  // namespace gongkai

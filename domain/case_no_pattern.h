// Case-number patterns: how an agency writes its case numbers, e.g.
// "驻公信〔{year}〕{n}号" for 驻公信〔2023〕47号. Placeholders: {year} (the
// receipt year, four digits) and {n} (the sequence number, at least
// {n:W} digits when a width W from 1 to 9 is given). The empty pattern is
// the default, "{year}-{n:4}" (2023-0001).
//
// Pure functions; safe from any thread.
#ifndef GONGKAI_DOMAIN_CASE_NO_PATTERN_H_
#define GONGKAI_DOMAIN_CASE_NO_PATTERN_H_

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace gongkai {

inline constexpr absl::string_view kDefaultCaseNoPattern = "{year}-{n:4}";

// OK when `pattern` has exactly one {n} (or {n:W}), at most one {year}, no
// other braces, and makes numbers ValidateCaseNo accepts; INVALID_ARGUMENT
// (in both languages) saying what is wrong otherwise. Empty is valid (the
// default).
absl::Status ValidateCaseNoPattern(absl::string_view pattern);

// The case number `n` of `year` in `pattern` (empty: the default).
// INVALID_ARGUMENT for a pattern ValidateCaseNoPattern refuses.
absl::StatusOr<std::string> FormatCaseNo(absl::string_view pattern, int year,
                                         int64_t n);

}  // namespace gongkai

#endif  // GONGKAI_DOMAIN_CASE_NO_PATTERN_H_

#include "domain/fees.h"

#include <algorithm>

#include "absl/strings/str_cat.h"

namespace gongkai {

int64_t PerPieceFeeYuan(int nth) {
  if (nth <= 10) return 0;
  if (nth <= 30) return 100;
  return 200 + static_cast<int64_t>((nth - 31) / 10) * 100;
}

int64_t PerPieceMonthTotalYuan(int n) {
  int64_t total = 0;
  for (int i = 1; i <= n; ++i) total += PerPieceFeeYuan(i);
  return total;
}

namespace {

struct PageBand {
  int first;
  int last;  // inclusive; -1 for no upper bound
  int64_t yuan_per_page;
};
constexpr PageBand kPageBands[] = {
    {31, 100, 10}, {101, 200, 20}, {201, -1, 40}};

int PagesInBand(int pages, const PageBand& b) {
  int upper = b.last < 0 ? pages : std::min(pages, b.last);
  return std::max(0, upper - b.first + 1);
}

}  // namespace

int64_t PerPageFeeYuan(int pages) {
  int64_t total = 0;
  for (const PageBand& b : kPageBands)
    total += PagesInBand(pages, b) * b.yuan_per_page;
  return total;
}

std::vector<std::string> ExplainPerPageFee(int pages, Lang lang) {
  std::vector<std::string> lines;
  lines.push_back(
      lang == Lang::kEn
          ? absl::StrCat("pages 1-", std::min(pages, 30), ": free")
          : absl::StrCat("第 1-", std::min(pages, 30), " 页：免费"));
  for (const PageBand& b : kPageBands) {
    int n = PagesInBand(pages, b);
    if (n == 0) continue;
    lines.push_back(lang == Lang::kEn
                        ? absl::StrCat("pages ", b.first, "-", b.first + n - 1,
                                       ": ", n, " x ", b.yuan_per_page, " = ",
                                       n * b.yuan_per_page, " yuan")
                        : absl::StrCat("第 ", b.first, "-", b.first + n - 1,
                                       " 页：", n, " × ", b.yuan_per_page,
                                       " = ", n * b.yuan_per_page, " 元"));
  }
  return lines;
}

}  // namespace gongkai

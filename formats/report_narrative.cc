#include "formats/report_narrative.h"

#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace gongkai {
namespace {

constexpr absl::string_view kOrdinals[] = {"一", "五", "六"};
constexpr absl::string_view kPartNames[] = {"第一部分", "第五部分", "第六部分"};

// A line as a heading: without Markdown marks, emphasis and spaces
// (ASCII or the ideographic space U+3000 that Chinese editors insert).
std::string HeadingText(absl::string_view line) {
  absl::string_view t = absl::StripAsciiWhitespace(line);
  while (absl::ConsumePrefix(&t, "#")) {
  }
  return absl::StrReplaceAll(
      t, {{" ", ""}, {"\t", ""}, {"\r", ""}, {"\u3000", ""}, {"*", ""}});
}

}  // namespace

absl::Status CheckNarrative(absl::string_view narrative) {
  constexpr size_t kCount = kNarrativeSections.size();
  int found_line[kCount] = {};  // 1-based; 0 when absent
  // Lines that start like a section ("五、…") without being its heading.
  std::vector<std::string> near_misses[kCount];
  int line_no = 0;
  for (absl::string_view line : absl::StrSplit(narrative, '\n')) {
    ++line_no;
    const std::string text = HeadingText(line);
    for (size_t k = 0; k < kCount; ++k) {
      if (text == kNarrativeSections[k]) {
        if (found_line[k] == 0) found_line[k] = line_no;
      } else if (absl::StartsWith(text, absl::StrCat(kOrdinals[k], "、"))) {
        near_misses[k].push_back(absl::StrCat(
            "第", line_no, "行「", absl::StripAsciiWhitespace(line), "」"));
      }
    }
  }

  std::vector<std::string> missing, fixes;
  for (size_t k = 0; k < kCount; ++k) {
    if (found_line[k] != 0) continue;
    missing.push_back(
        absl::StrCat(kPartNames[k], "「", kNarrativeSections[k], "」"));
    std::string fix = absl::StrCat("「## ", kNarrativeSections[k], "」");
    if (!near_misses[k].empty()) {
      absl::StrAppend(&fix, "（", absl::StrJoin(near_misses[k], "、"),
                      "不是规定的标题，应改为这一行）");
    }
    fixes.push_back(std::move(fix));
  }
  if (!missing.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "年度报告正文缺少", absl::StrJoin(missing, "、"),
        "。请在正文中加入标题行", absl::StrJoin(fixes, "、"),
        "，每个标题单独一行，后接该部分的内容；六个部分依次为一、总体情况，"
        "二、三、四（表格，由系统填入），五、存在的主要问题及改进情况，"
        "六、其他需要报告的事项。"));
  }
  for (size_t k = 1; k < kCount; ++k) {
    if (found_line[k] < found_line[k - 1]) {
      return absl::InvalidArgumentError(absl::StrCat(
          "年度报告正文各部分顺序不对：「", kNarrativeSections[k], "」（第",
          found_line[k], "行）应在「", kNarrativeSections[k - 1], "」（第",
          found_line[k - 1], "行）之后。"));
    }
  }
  return absl::OkStatus();
}

}  // namespace gongkai

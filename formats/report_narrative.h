// The narrative staff write for the published report document (年度报告正文).
// The official format has six sections; the tables fill 二、三、四, and staff
// must write 一、总体情况, 五、存在的主要问题及改进情况 and 六、其他需要报告的
// 事项 themselves. This checks that they did before a document is made, so a
// report never goes out without them. Pure functions; safe from any thread.
#ifndef GONGKAI_FORMATS_REPORT_NARRATIVE_H_
#define GONGKAI_FORMATS_REPORT_NARRATIVE_H_

#include <array>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace gongkai {

// The sections the narrative must contain, in the order they must appear.
inline constexpr std::array<absl::string_view, 3> kNarrativeSections = {
    "一、总体情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项"};

// OK when `narrative` (Markdown or plain text) has a heading line for each
// of kNarrativeSections, in order. A heading line is the heading alone on
// its line; Markdown "#" marks, "**" emphasis and spaces around or inside it
// are ignored ("## 一、 总体情况" counts).
//
// Otherwise INVALID_ARGUMENT, in Chinese for the clerk who wrote it: every
// missing section by name with the heading line to add (and any line that
// looks like a misspelt heading for it), or the sections out of order.
absl::Status CheckNarrative(absl::string_view narrative);

}  // namespace gongkai

#endif  // GONGKAI_FORMATS_REPORT_NARRATIVE_H_

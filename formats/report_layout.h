// The official layout of tables 2, 3 and 4 (国办公开办函〔2021〕30号): row
// labels in order, and table 3 as CSV, both written and checked. Pure code.
#ifndef GONGKAI_FORMATS_REPORT_LAYOUT_H_
#define GONGKAI_FORMATS_REPORT_LAYOUT_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "domain/report.h"

namespace gongkai {

// One row of table 3 in official order.
struct Table3Row {
  std::string
      group;  // "一、本年新收政府信息公开申请数量", "三、本年度办理结果", ...
  std::string sub;  // "（一）予以公开", "（三）不予公开", "（七）总计", or ""
  std::string item;  // "1.属于国家秘密" for rows under a heading, else ""
  const Counts* counts;  // the figures of this row
  std::string id;  // "一", "二", "（一）", "（三）1", "（七）", "四"
};

// The 25 rows of table 3 for `t`, in order.
std::vector<Table3Row> Table3Rows(const Table3& t);

inline constexpr char kTable3Title[] = "三、收到和处理政府信息公开申请情况";
inline constexpr char kTable4Title[] = "四、政府信息公开行政复议、行政诉讼情况";
inline constexpr char kTable2Title[] = "二、主动公开政府信息情况";
inline constexpr char kTable3Note[] =
    "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）";

// Tables 3 and 4 as CSV in the official row and column order, UTF-8 with a
// byte-order mark so Excel and WPS open it correctly.
std::string ReportCsv(const AnnualReport& r);

// Checks a table 3 typed by someone else in the ReportCsv layout. Returns
// every broken rule with its row and column; empty when the table is right.
// INVALID_ARGUMENT when the file is not such a table at all.
absl::StatusOr<std::vector<std::string>> CheckTable3Csv(absl::string_view text);

}  // namespace gongkai

#endif  // GONGKAI_FORMATS_REPORT_LAYOUT_H_

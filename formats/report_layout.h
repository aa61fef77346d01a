// The official layout of tables 2, 3 and 4 (国办公开办函〔2021〕30号): row
// labels in order, and tables 3 and 4 as CSV. Published reports are checked
// by published/report_check.h. Pure code.
#ifndef GONGKAI_FORMATS_REPORT_LAYOUT_H_
#define GONGKAI_FORMATS_REPORT_LAYOUT_H_

#include <cstdint>
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

// Table 4's official header, shared by every renderer: 行政复议 over its five
// result columns; 行政诉讼 over ten, split into 未经复议直接起诉 and
// 复议后起诉, each over five. 行政复议's result headings sit on the row of the
// two litigation groups (merged down over the row below).
inline constexpr char kReconsideration[] = "行政复议";
inline constexpr char kLitigation[] = "行政诉讼";
inline constexpr char kLitigationDirect[] = "未经复议直接起诉";
inline constexpr char kLitigationAfter[] = "复议后起诉";
inline constexpr const char* kResultHeads[] = {"结果维持", "结果纠正",
                                               "其他结果", "尚未审结", "总计"};
// The 15 figures of table 4 in column order: each group's 结果维持, 结果纠正,
// 其他结果, 尚未审结, 总计.
std::vector<int64_t> Table4Values(const Table4& t);

// Tables 3 and 4 as CSV in the official row and column order, UTF-8 with a
// byte-order mark so Excel and WPS open it correctly.
std::string ReportCsv(const AnnualReport& r);

}  // namespace gongkai

#endif  // GONGKAI_FORMATS_REPORT_LAYOUT_H_

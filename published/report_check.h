// Checking a published annual report (政府信息公开工作年度报告) as offices
// publish it: `report check FILE [--previous FILE] [--children FILE...]`.
//
// The checker reads a Source (source.h; any reader's output), finds tables
// 2, 3 and 4 in its grids, matches their labels to the official rows and
// columns (labels.h), reads their cells, and checks every rule of the
// shared contract (docs/report.md): table 3's balance, total row and total
// column, table 4's totals, this year's 二 against last year's 四, the
// running text against the tables, and a parent against the sum of its
// children. A rule that cannot run for one row or column (a cell that is
// not a count, a row that is not there) says so as `rule.not_run`; every
// other rule still runs. Nothing is skipped silently, and nothing unread is
// taken for 0.
//
// Recognised layouts: 国办公开办函〔2021〕30号 and the 2019 trial layout
// (国办公开办函〔2019〕60号), told apart by the single （六）其他处理 row.
//
// Pure code over immutable values; safe from any thread.
#ifndef GONGKAI_PUBLISHED_REPORT_CHECK_H_
#define GONGKAI_PUBLISHED_REPORT_CHECK_H_

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/json.h"
#include "common/lang.h"
#include "domain/report.h"
#include "published/source.h"

namespace gongkai::published {

enum class Severity { kError, kWarning, kNote };
absl::string_view SeverityCode(Severity s);  // "error", "warning", "note"

// One broken or unrunnable rule, for one row or column where it applies.
struct Finding {
  Severity severity = Severity::kError;
  std::optional<int> table;  // 2, 3, 4, or none
  std::string rule;          // "t3.balance", "cell.unreadable", ...
  std::string row;     // "一", "（三）1", "reconsideration"; "" = none
  std::string column;  // "natural_person", "upheld"; "" = none
  std::optional<int64_t> expected, found;
  std::string message_zh, message_en;
  const std::string& Message(Lang lang) const {
    return lang == Lang::kEn ? message_en : message_zh;
  }
};

enum class Layout { kUnknown, k2021, k2019 };
absl::string_view LayoutCode(Layout l);  // "2021", "2019", "" for unknown

// The 7 columns of table 3: six applicant columns, then 总计.
inline constexpr int kTable3Columns = 7;
// A value as read: empty when the cell could not be read or is not there.
using Value = std::optional<int64_t>;
using Table3Values = std::array<Value, kTable3Columns>;
// Table 4: each group's 结果维持, 结果纠正, 其他结果, 尚未审结, 总计.
using Table4Group = std::array<Value, 5>;

// What was read from one file's tables.
struct PublishedFigures {
  Layout layout = Layout::kUnknown;
  bool has_table2 = false, has_table3 = false, has_table4 = false;
  // Table 3 by row id ("一", "（三）1", "（六）" in the 2019 layout, ...):
  // only the rows found.
  std::map<std::string, Table3Values> table3;
  // Table 4 by group code ("reconsideration", ...): only the groups found.
  std::map<std::string, Table4Group> table4;
  // Table 2 by item code ("rules", "fees", ...) and column code ("issued",
  // "repealed", "in_force", "decisions", "amount_fen"); fees in fen.
  std::map<std::string, std::map<std::string, Value>> table2;
  // The report year from the file name or the text; 0 when not stated.
  int year = 0;
};

// The outcome of checking one file.
struct CheckResult {
  std::string file;
  std::string format, format_en;  // how the file was read
  PublishedFigures figures;
  std::vector<Finding> findings;
  // What was read and where, one line each, for the summary.
  std::vector<std::string> read_zh, read_en;
  // True when no finding is an error.
  bool consistent() const;
};

// Other files the check compares with.
struct CheckInputs {
  const Source* previous = nullptr;     // last year's report (--previous)
  std::vector<const Source*> children;  // reports it sums up (--children)
};

// Checks one published report.
CheckResult CheckPublishedReport(const Source& source,
                                 const CheckInputs& inputs = {});

// The figures of `source` as a report of the project's own shape, for
// `report merge`. FAILED_PRECONDITION, listing the errors, when a table is
// missing or a cell cannot be read, a label matched nothing or a rule is
// broken: a sum of doubtful figures would look right and be wrong. A 2019
// report's single （六）其他处理 row goes to （六）3 其他.
absl::StatusOr<AnnualReport> ToAnnualReport(const Source& source);

// The human summary in `lang`: what was read and how, the tables found,
// the layout, then errors, warnings and notes, and a verdict line.
std::string CheckSummary(const CheckResult& result, Lang lang);
// {file, format, layout, tables_found, consistent, findings: [...]}.
Json CheckJson(const CheckResult& result, Lang lang);

}  // namespace gongkai::published

#endif  // GONGKAI_PUBLISHED_REPORT_CHECK_H_

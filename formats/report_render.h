// Renders a year-end report in every format an office publishes: aligned
// terminal text, Markdown, CSV, JSON, a standalone HTML page (official
// layout with merged header cells, A4 print), and an XLSX workbook.
#ifndef GONGKAI_FORMATS_REPORT_RENDER_H_
#define GONGKAI_FORMATS_REPORT_RENDER_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "domain/report.h"

namespace gongkai {

std::string ReportText(const AnnualReport& r);
std::string ReportMarkdown(const AnnualReport& r);
std::string ReportHtml(const AnnualReport& r);
// The three tables as HTML fragments, for documents.
std::string Table2Html(const AnnualReport& r);
std::string Table3Html(const AnnualReport& r);
std::string Table4Html(const AnnualReport& r);
std::string Table2Markdown(const AnnualReport& r);
std::string Table3Markdown(const AnnualReport& r);
std::string Table4Markdown(const AnnualReport& r);

// Writes the workbook (sheets 表二, 表三, 表四) to `path`. Non-empty `notes`
// (e.g. that the records differ from the published figures) come first, on
// a sheet 说明 of their own, one line per row.
absl::Status WriteReportXlsx(const AnnualReport& r, const std::string& path,
                             const std::vector<std::string>& notes = {});

// Fills {{path.to.figure}} placeholders from the report JSON and inserts the
// tables ({{table2}}, {{table3}}, {{table4}}, or after the headings 二、三、
// 四、 when absent). Returns the document as Markdown or standalone HTML.
// INVALID_ARGUMENT when the narrative lacks a section staff must write (see
// CheckNarrative), has an unknown placeholder, or has no place for a table.
absl::StatusOr<std::string> ReportDocument(const AnnualReport& r,
                                           const std::string& narrative,
                                           bool html);

std::string HtmlEscape(absl::string_view s);

// Table 2 as the official form lays it out: one block per item of 第二十条,
// with its heading, its rows and its columns. Every renderer (and the Word
// report in documents/) draws it from this one list.
struct Table2Block {
  const char* heading;
  std::vector<ProactiveItem> items;
  std::vector<const char*> columns;
};
const std::vector<Table2Block>& Table2Blocks();

}  // namespace gongkai

#endif  // GONGKAI_FORMATS_REPORT_RENDER_H_

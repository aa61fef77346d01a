// A published annual report as it was read from a file, before anything is
// recognised in it: the tables as grids of cell texts and the running text.
//
// Readers (source_reader.h) turn CSV (UTF-8, GBK/GB18030, UTF-16), tab-
// separated text, XLSX, the HTML of a report page and DOCX into this one
// shape; the checker (report_check.h) finds tables 2, 3 and 4 in it, matches
// their labels and checks their arithmetic. Keeping the two apart means a new
// input format never touches a rule.
//
// Plain values; safe to share between threads once built.
#ifndef GONGKAI_PUBLISHED_SOURCE_H_
#define GONGKAI_PUBLISHED_SOURCE_H_

#include <string>
#include <vector>

namespace gongkai::published {

// One position of a grid. A merged cell (HTML rowspan/colspan, DOCX
// gridSpan/vMerge, XLSX mergeCells) is expanded so that every row has one
// entry per column it covers: the top-left position carries the text, and
// each covered position repeats it with `merged_copy` set. A reader never
// drops an empty cell: positions stay where the page put them.
struct Cell {
  std::string text;  // UTF-8 exactly as published (no trimming or mapping)
  bool merged_copy = false;
};

// One table of the source, in reading order.
struct Grid {
  // Where the table sits, for messages a reader can follow: "第 2 个表格",
  // "工作表“表三”", "CSV 文件". Chinese; `where_en` in English.
  std::string where;
  std::string where_en;
  // The text just before the table (a heading such as
  // "三、收到和处理政府信息公开申请情况"), empty when there is none.
  std::string caption;
  std::vector<std::vector<Cell>> rows;
};

// Everything read from one file.
struct Source {
  std::string file_name;
  // How the file was read, for the summary: "HTML", "CSV（GB18030）",
  // "DOCX", ...; `format_en` in English.
  std::string format;
  std::string format_en;
  std::vector<Grid> tables;
  // The running text outside the tables, paragraphs separated by "\n", for
  // the narrative checks ("共收到政府信息公开申请47件").
  std::string text;
};

}  // namespace gongkai::published

#endif  // GONGKAI_PUBLISHED_SOURCE_H_

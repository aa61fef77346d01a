// CSV and tab-separated text: a file of delimited records is one table; a
// text copied from a report page holds runs of tab-separated lines (the
// tables) among lines of running text.
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "formats/csv.h"
#include "published/source_internal.h"
#include "published/source_reader.h"

namespace gongkai::published::internal {
namespace {

struct Separator {
  char c;
  absl::string_view zh, en;
};
constexpr Separator kSeparators[] = {
    {',', "逗号分隔", "comma-separated"},
    {'\t', "制表符分隔", "tab-separated"},
    {';', "分号分隔", "semicolon-separated"},
};

bool Blank(absl::string_view line) { return ShowsNothing(line); }

// The separator whose records most often split into two fields or more; a
// table has one in every row, running text rarely. Ties go to the comma.
// Null when no separator splits any record.
const Separator* DetectSeparator(absl::string_view text) {
  const Separator* best = nullptr;
  size_t best_rows = 0;
  for (const Separator& s : kSeparators) {
    if (text.find(s.c) == absl::string_view::npos) continue;
    absl::StatusOr<std::vector<CsvRecord>> records =
        ParseCsv(text, CsvDialect{s.c, /*strict_quotes=*/false});
    size_t rows = 0;
    if (records.ok()) {
      for (const CsvRecord& r : *records) rows += r.fields.size() > 1;
    } else {
      // An unclosed quote: count lines instead, for the comparison only.
      for (absl::string_view line : absl::StrSplit(text, '\n')) {
        rows += absl::StrContains(line, s.c);
      }
    }
    if (rows > best_rows) {
      best = &s;
      best_rows = rows;
    }
  }
  return best;
}

// Lines of running text with runs of tab-separated lines among them.
Source ReadTabbedText(const DecodedText& text) {
  Source source;
  source.format = absl::StrCat("文本（", ShortEncodingName(text.encoding),
                               "，制表符分隔）");
  source.format_en = absl::StrCat("text (", ShortEncodingName(text.encoding),
                                  ", tab-separated)");
  std::vector<std::string> paragraphs;
  std::string last_text;
  Grid* grid = nullptr;
  for (absl::string_view line : absl::StrSplit(text.text, '\n')) {
    if (absl::EndsWith(line, "\r")) line.remove_suffix(1);
    if (absl::StrContains(line, '\t')) {
      if (grid == nullptr) {
        grid = &source.tables.emplace_back();
        NameTable(static_cast<int>(source.tables.size()), grid);
        grid->caption = last_text;
      }
      std::vector<Cell>& row = grid->rows.emplace_back();
      for (absl::string_view field : absl::StrSplit(line, '\t')) {
        row.push_back(Cell{std::string(field), false});
      }
      continue;
    }
    grid = nullptr;
    if (Blank(line)) continue;
    last_text = std::string(line);
    paragraphs.push_back(last_text);
  }
  for (Grid& g : source.tables) {
    size_t width = 0;
    for (const auto& row : g.rows) width = std::max(width, row.size());
    for (auto& row : g.rows) row.resize(width);
  }
  source.text = absl::StrJoin(paragraphs, "\n");
  return source;
}

}  // namespace

absl::StatusOr<Source> ReadDelimitedText(const DecodedText& text,
                                         absl::string_view file_name) {
  const std::string extension = LowerExtension(file_name);
  const bool table_file = extension == "csv" || extension == "tsv";

  const Separator* sep = DetectSeparator(text.text);
  if (sep == nullptr && !table_file) {
    // Text without a table: the checker says which tables are missing.
    return ReadTabbedText(text);
  }
  if (sep == nullptr) sep = &kSeparators[0];

  absl::StatusOr<std::vector<CsvRecord>> records =
      ParseCsv(text.text, CsvDialect{sep->c, /*strict_quotes=*/false});
  if (sep->c == '\t' && !table_file) {
    // Copied from a page when some line is running text (no tab), or when
    // the quotes do not pair up as a spreadsheet writes them.
    bool running_text = !records.ok();
    for (size_t i = 0; records.ok() && i < records->size(); ++i) {
      const CsvRecord& r = (*records)[i];
      running_text =
          running_text || (r.fields.size() == 1 && !Blank(r.fields[0]));
    }
    if (running_text) return ReadTabbedText(text);
  }
  if (!records.ok()) {
    return PrefixError(records.status(), "CSV 文件无法读取：",
                       "the CSV file cannot be read: ");
  }
  // A table saved as text (Excel's "文本文件（制表符分隔）") is named as
  // what the reviewer gave, not as CSV.
  const bool text_file = sep->c == '\t' && !table_file;
  Source source;
  source.format =
      absl::StrCat(text_file ? "文本（" : "CSV（",
                   ShortEncodingName(text.encoding), "，", sep->zh, "）");
  source.format_en =
      absl::StrCat(text_file ? "text (" : "CSV (",
                   ShortEncodingName(text.encoding), ", ", sep->en, ")");
  Grid& grid = source.tables.emplace_back();
  grid.where = text_file ? "文本文件" : "CSV 文件";
  grid.where_en = text_file ? "the text file" : "the CSV file";
  size_t width = 0;
  for (const CsvRecord& r : *records) width = std::max(width, r.fields.size());
  if (width * records->size() > kMaxGridCells) return TooLarge();
  for (CsvRecord& r : *records) {
    std::vector<Cell>& row = grid.rows.emplace_back();
    for (std::string& f : r.fields) row.push_back(Cell{std::move(f), false});
    row.resize(width);
  }
  return source;
}

}  // namespace gongkai::published::internal

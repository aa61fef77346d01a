// TEMPORARY — replaced at merge by the readers (published/source_reader.cc).
// A minimal CSV-only ReadSource so that the checker's branch builds and its
// CLI can be tested before the readers land. Do not extend it.
#include "absl/strings/str_cat.h"
#include "common/lang.h"
#include "formats/csv.h"
#include "formats/text_encoding.h"
#include "published/source_reader.h"

namespace gongkai::published {

absl::StatusOr<Source> ReadSource(absl::string_view bytes,
                                  absl::string_view file_name) {
  absl::StatusOr<DecodedText> text = DecodeSpreadsheetText(bytes);
  if (!text.ok()) return text.status();
  absl::StatusOr<std::vector<CsvRecord>> records = ParseCsv(text->text);
  if (!records.ok()) return records.status();
  Source source;
  source.file_name = std::string(file_name);
  source.format =
      absl::StrCat("CSV（", EncodingName(text->encoding, Lang::kZh), "）");
  source.format_en =
      absl::StrCat("CSV (", EncodingName(text->encoding, Lang::kEn), ")");
  Grid grid;
  grid.where = "CSV 文件";
  grid.where_en = "CSV file";
  for (const CsvRecord& record : *records) {
    std::vector<Cell> row;
    for (const std::string& field : record.fields) row.push_back(Cell{field});
    grid.rows.push_back(std::move(row));
  }
  source.tables.push_back(std::move(grid));
  return source;
}

}  // namespace gongkai::published

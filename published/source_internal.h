// What the per-format readers of source_reader.cc share: the grid that lays
// out merged cells, and one entry point per format. Internal to
// gongkai_published; callers use ReadSource.
//
// Pure code; a SpanGrid belongs to one thread.
#ifndef GONGKAI_PUBLISHED_SOURCE_INTERNAL_H_
#define GONGKAI_PUBLISHED_SOURCE_INTERNAL_H_

#include <libxml/xmlerror.h>

#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "formats/text_encoding.h"
#include "published/source.h"

namespace gongkai::published::internal {

// A table being laid out, position by position. Place() puts a cell's text
// at its top-left position and a merged copy on every other position it
// covers; Finish() gives the rows, each padded with empty cells to the width
// of the widest, so that a column is the same index in every row.
class SpanGrid {
 public:
  // Covers rows [row, row + rows) and columns [col, col + cols). Positions
  // already taken (overlapping spans in a damaged file) keep what they had.
  // With `all_copies` the top-left position is a copy as well (a DOCX cell
  // that continues a vertical merge begun in the row above).
  // INVALID_ARGUMENT when the grid would exceed kMaxGridCells.
  absl::Status Place(size_t row, size_t col, size_t rows, size_t cols,
                     const std::string& text, bool all_copies = false);
  bool Taken(size_t row, size_t col) const;
  // The text at a position, empty when nothing is there.
  const std::string& TextAt(size_t row, size_t col) const;
  // Makes sure row `row` exists, even if nothing is placed in it.
  void AddRow(size_t row);
  std::vector<std::vector<Cell>> Finish() &&;

 private:
  std::vector<std::vector<std::optional<Cell>>> rows_;
  size_t cells_ = 0;
};

// While alive, libxml2 on this thread says nothing on stderr. Its parse
// options silence the parser's own errors, but an encoding conversion that
// fails is reported through the thread's generic error handler; the readers
// turn what matters into statuses instead.
class QuietLibxml {
 public:
  QuietLibxml();
  ~QuietLibxml();
  QuietLibxml(const QuietLibxml&) = delete;
  QuietLibxml& operator=(const QuietLibxml&) = delete;

 private:
  xmlGenericErrorFunc saved_handler_;
  void* saved_context_;
};

// True when `text` shows nothing: only ASCII white space, NBSP (U+00A0)
// and the ideographic space (U+3000). For choosing running text and
// captions only; a cell's text is never judged by it.
bool ShowsNothing(absl::string_view text);

// "第 3 个表格" / "table 3".
void NameTable(int number, Grid* grid);

// The error for a table larger than kMaxGridCells.
absl::Status TooLarge();

// The readers, each given the whole file.
absl::StatusOr<Source> ReadDelimitedText(const DecodedText& text,
                                         absl::string_view file_name);
absl::StatusOr<Source> ReadHtml(absl::string_view bytes);
absl::StatusOr<Source> ReadDocx(absl::string_view bytes);
absl::StatusOr<Source> ReadXlsxSource(absl::string_view bytes);

// "csv" for "a/b/报告.CSV"; empty without an extension.
std::string LowerExtension(absl::string_view file_name);

// A short encoding name for Source::format: "UTF-8", "GB18030", "UTF-16LE".
std::string ShortEncodingName(TextEncoding encoding);

}  // namespace gongkai::published::internal

#endif  // GONGKAI_PUBLISHED_SOURCE_INTERNAL_H_

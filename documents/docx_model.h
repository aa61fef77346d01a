// A DOCX's body read into what a layout engine needs: paragraphs (their
// alignment, indents, spacing and runs with bold and size, resolved through
// the paragraph styles and document defaults) and tables (grid, spans,
// vertical merges), plus the page size and margins of the section. Used by
// the PDF renderer and by tests that read generated documents back.
//
// Thread safety: pure functions.
#ifndef GONGKAI_DOCUMENTS_DOCX_MODEL_H_
#define GONGKAI_DOCUMENTS_DOCX_MODEL_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace gongkai::documents {

struct TextRun {
  std::string text;  // "\n" is a line break
  bool bold = false;
  int half_points = 0;  // font size in half-points (w:sz)
};

enum class Align { kLeft, kCenter, kRight, kJustify };

struct Paragraph {
  Align align = Align::kLeft;
  int left_twips = 0, right_twips = 0, first_line_twips = 0;  // indents
  int before_twips = 0, after_twips = 0;                      // spacing
  // Line pitch: exactly `line_twips` when `line_exact`, else line_twips/240
  // of the font's natural line height.
  int line_twips = 240;
  bool line_exact = false;
  bool page_break_before = false;
  bool keep_next = false;  // kept on the page of what follows (headings)
  int half_points = 21;    // the paragraph's own size (for empty lines)
  std::vector<TextRun> runs;

  std::string Text() const;  // the runs' text joined
};

struct Table;

struct Block {
  std::unique_ptr<Paragraph> paragraph;  // one of the two
  std::unique_ptr<Table> table;
};

enum class VMerge { kNone, kRestart, kContinue };

struct Cell {
  int span = 1;
  VMerge vmerge = VMerge::kNone;
  std::vector<Block> blocks;
};

struct Table {
  std::vector<int> grid_twips;
  int header_rows = 0;  // leading rows marked w:tblHeader (repeated)
  std::vector<std::vector<Cell>> rows;
};

struct Page {
  int width_twips = 11906, height_twips = 16838;  // A4
  int top = 1440, bottom = 1440, left = 1800, right = 1800;
};

struct DocxModel {
  Page page;
  std::vector<Block> body;
  std::string created;  // docProps/core.xml dcterms:created, or ""
  std::string title;    // docProps/core.xml dc:title, or ""
};

// INVALID_ARGUMENT when `docx` is not a readable DOCX.
absl::StatusOr<DocxModel> ReadDocx(absl::string_view docx);

// The text of the body, a paragraph a line; table cells separated by " | ",
// a row a line. For tests and checks.
std::string PlainText(const DocxModel& model);

}  // namespace gongkai::documents

#endif  // GONGKAI_DOCUMENTS_DOCX_MODEL_H_

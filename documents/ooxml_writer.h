// Builds minimal, valid WordprocessingML packages: the default templates and
// the year-end report are written through this. The styles follow the
// official document format (GB/T 9704): A4, 37/35/28/26 mm margins, body in
// 三号 (16 pt) 宋体 with a fixed 28.95 pt line pitch, titles in 二号 (22 pt),
// 宋体/SimSun with Noto CJK as the fallback where 宋体 is not installed.
//
// Thread safety: pure functions.
#ifndef GONGKAI_DOCUMENTS_OOXML_WRITER_H_
#define GONGKAI_DOCUMENTS_OOXML_WRITER_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace gongkai::documents {

// Paragraph styles defined in word/styles.xml.
inline constexpr char kStyleBody[] = "GkBody";        // first line indented
inline constexpr char kStyleTitle[] = "GkTitle";      // centred, 22 pt, bold
inline constexpr char kStyleRight[] = "GkRight";      // right-aligned
inline constexpr char kStyleLeft[] = "GkLeft";        // flush left
inline constexpr char kStyleHeading[] = "GkHeading";  // bold section heading
inline constexpr char kStyleCell[] = "GkCell";        // 10.5 pt table text
inline constexpr char kStyleSmallCell[] = "GkSmallCell";  // 9 pt table text

// The text width of the page in twentieths of a point.
inline constexpr int kTextWidthTwips = 11906 - 1587 - 1474;

std::string XmlEscape(absl::string_view text);

// A paragraph in `style` with `text` (escaped here; "\n" becomes a line
// break). `bold` adds bold to the run.
std::string ParagraphXml(absl::string_view style, absl::string_view text,
                         bool bold = false);

// A table cell for TableXml.
struct CellSpec {
  std::string text;
  int span = 1;  // grid columns covered (w:gridSpan)
  enum class VMerge { kNone, kRestart, kContinue } vmerge = VMerge::kNone;
  bool header = false;  // bold, centred
  bool left = false;    // text flush left instead of centred
};

// A bordered table with column widths `grid` (twips) and `rows`, whose text
// is in `cell_style`. Header rows repeat on each page.
std::string TableXml(const std::vector<int>& grid,
                     const std::vector<std::vector<CellSpec>>& rows,
                     absl::string_view cell_style, int header_rows);

// The DOCX bytes of a document whose <w:body> holds `body_xml` (paragraphs
// and tables), with our styles, fonts, A4 section and `title` in its core
// properties. Deterministic.
absl::StatusOr<std::string> BuildDocx(absl::string_view body_xml,
                                      absl::string_view title);

}  // namespace gongkai::documents

#endif  // GONGKAI_DOCUMENTS_OOXML_WRITER_H_

#include "documents/template_markup.h"

#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "common/lang.h"
#include "documents/ooxml_writer.h"

namespace gongkai::documents {

absl::StatusOr<std::string> MarkupToDocx(absl::string_view source) {
  std::string body, title;
  std::vector<std::vector<CellSpec>> rows;
  auto flush_table = [&] {
    if (rows.empty()) return;
    // A label column of six characters, the value taking the rest.
    const int label = 2200;
    body += TableXml({label, kTextWidthTwips - label}, rows, kStyleCell, 0);
    rows.clear();
  };
  int line_no = 0;
  for (absl::string_view raw : absl::StrSplit(source, '\n')) {
    ++line_no;
    absl::string_view line = absl::StripAsciiWhitespace(raw);
    if (line.empty() || absl::StartsWith(line, "#")) continue;
    if (absl::ConsumePrefix(&line, "|")) {
      absl::ConsumeSuffix(&line, "|");
      std::vector<std::string> cells = absl::StrSplit(line, '|');
      if (cells.size() != 2) {
        return LocalizedError(
            absl::StatusCode::kInvalidArgument,
            absl::StrCat("模板第 ", line_no, " 行：表格行须有两个单元格"),
            absl::StrCat("template line ", line_no,
                         ": a table row needs two cells"));
      }
      CellSpec name{std::string(absl::StripAsciiWhitespace(cells[0]))};
      name.header = true;
      CellSpec value{std::string(absl::StripAsciiWhitespace(cells[1]))};
      value.left = true;
      rows.push_back({name, value});
      continue;
    }
    flush_table();
    if (!absl::StartsWith(line, "@")) {
      body += ParagraphXml(kStyleBody, line);
      continue;
    }
    absl::string_view directive = line.substr(0, line.find(' '));
    absl::string_view text =
        directive.size() < line.size()
            ? absl::StripAsciiWhitespace(line.substr(directive.size()))
            : absl::string_view();
    if (directive == "@title") {
      body += ParagraphXml(kStyleTitle, text);
      if (title.empty()) title = std::string(text);
    } else if (directive == "@right") {
      body += ParagraphXml(kStyleRight, text);
    } else if (directive == "@left") {
      body += ParagraphXml(kStyleLeft, text);
    } else if (directive == "@heading") {
      body += ParagraphXml(kStyleHeading, text);
    } else if (directive == "@blank") {
      body += ParagraphXml(kStyleLeft, "");
    } else {
      return LocalizedError(
          absl::StatusCode::kInvalidArgument,
          absl::StrCat("模板第 ", line_no, " 行：未知指令 ", directive),
          absl::StrCat("template line ", line_no, ": unknown directive ",
                       directive));
    }
  }
  flush_table();
  return BuildDocx(body, title);
}

}  // namespace gongkai::documents

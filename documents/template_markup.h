// The readable source of the shipped default templates (documents/templates/
// *.txt), turned into WordprocessingML. One line is one paragraph:
//   # ...            a comment
//   @title TEXT      the centred title
//   @right TEXT      right-aligned (文号, agency and date at the bottom)
//   @left TEXT       flush left (the addressee line "{{申请人}}：")
//   @heading TEXT    a bold section heading
//   @blank           an empty paragraph
//   | a | b |        a table row (consecutive rows form one two-column table)
//   TEXT             a body paragraph, first line indented two characters
// Blank lines are ignored.
//
// Thread safety: pure functions.
#ifndef GONGKAI_DOCUMENTS_TEMPLATE_MARKUP_H_
#define GONGKAI_DOCUMENTS_TEMPLATE_MARKUP_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace gongkai::documents {

// The DOCX bytes of the markup `source`. INVALID_ARGUMENT naming the line
// for an unknown @directive or a table row of other than two cells.
absl::StatusOr<std::string> MarkupToDocx(absl::string_view source);

}  // namespace gongkai::documents

#endif  // GONGKAI_DOCUMENTS_TEMPLATE_MARKUP_H_

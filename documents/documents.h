// The office's documents (文书): DOCX templates with "{{名称}}" placeholders,
// the shipped default templates, and PDF rendering of a filled DOCX.
//
// A template is a DOCX the office edits in Word or WPS. Word splits text
// into runs wherever formatting, spell-check marks or bookmarks change, so
// a placeholder may be spread over several runs ("{{申" in one, "请人}}" in
// another); both listing and filling read a paragraph's text as a whole, and
// filling merges the runs a placeholder spans into its first run (whose
// formatting the value takes).
//
// DOCX files are passed as their bytes. Everything here is a pure function
// of its inputs and may be called from any thread; DocxToPdf renders one
// document at a time (pango's shared font map is not safe to use from
// several threads at once), so concurrent calls queue behind each other.
#ifndef GONGKAI_DOCUMENTS_DOCUMENTS_H_
#define GONGKAI_DOCUMENTS_DOCUMENTS_H_

#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace gongkai::documents {

// Every "{{名称}}" placeholder in the text of the document (body, headers,
// footers, footnotes), in order of first appearance, also when Word split it
// across several runs. Spaces inside the braces are ignored ("{{ 申请人 }}").
// INVALID_ARGUMENT when the bytes are not a DOCX.
absl::StatusOr<std::vector<std::string>> ListPlaceholders(
    absl::string_view docx);

// The document with each placeholder replaced by values.at(name),
// XML-escaped; "\n" in a value becomes a line break. INVALID_ARGUMENT
// (zh+en) naming the first placeholder that `values` lacks, or when a value
// is not UTF-8. Deterministic: the same inputs give byte-identical output
// (fixed zip timestamps and order).
absl::StatusOr<std::string> FillTemplate(
    absl::string_view docx, const std::map<std::string, std::string>& values);

// The names of the shipped default templates: receipt, correction,
// extension, consultation_third_party, consultation_agency, fee, reasons,
// reply_disclosed, reply_partial, reply_withheld, reply_unavailable,
// reply_not_handled, reply_other.
std::vector<std::string> DefaultTemplateNames();

// The shipped default template `name` as DOCX bytes (the same bytes on every
// call). NOT_FOUND (zh+en) for an unknown name.
absl::StatusOr<std::string> DefaultTemplate(absl::string_view name);

// The document's content laid out on A4 (or the page size its section
// sets) as a PDF with the CJK font embedded: paragraphs with their
// alignment, indents, bold and size, line breaks, page breaks and tables
// (merged cells included); long lines wrap, long documents break into pages.
// The PDF's creation date is the DOCX's dcterms:created when it has one, so
// the same DOCX always gives the same PDF. INVALID_ARGUMENT when the bytes
// are not a DOCX.
absl::StatusOr<std::string> DocxToPdf(absl::string_view docx);

}  // namespace gongkai::documents

#endif  // GONGKAI_DOCUMENTS_DOCUMENTS_H_

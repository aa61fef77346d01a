// The year-end report (政府信息公开工作年度报告) as a Word document and a PDF:
// the staff's narrative (Markdown, checked and filled exactly as
// `report document` does for Markdown and HTML, see formats/ReportDocument)
// with the six sections, and tables 2, 3 and 4 in the official layout,
// merged header cells included (w:gridSpan, w:vMerge).
//
// Thread safety: pure functions.
#ifndef GONGKAI_DOCUMENTS_REPORT_DOCUMENT_H_
#define GONGKAI_DOCUMENTS_REPORT_DOCUMENT_H_

#include <string>

#include "absl/status/statusor.h"
#include "domain/report.h"

namespace gongkai::documents {

// The report as DOCX bytes. The narrative's "#" heading becomes the centred
// title (or the standard title is added when it has none), "##" headings
// and bare section headings (一、总体情况 ...) section headings, other
// paragraphs indented body text. The same INVALID_ARGUMENT as
// ReportDocument when the narrative lacks a section or has an unknown
// placeholder.
absl::StatusOr<std::string> ReportDocx(const AnnualReport& r,
                                       const std::string& narrative);

// The same document as a PDF (DocxToPdf of ReportDocx).
absl::StatusOr<std::string> ReportPdf(const AnnualReport& r,
                                      const std::string& narrative);

}  // namespace gongkai::documents

#endif  // GONGKAI_DOCUMENTS_REPORT_DOCUMENT_H_

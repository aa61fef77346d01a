#include "app/document_engine.h"

#include "documents/documents.h"

namespace gongkai::app {

DocumentEngine LibraryEngine() {
  DocumentEngine e;
  e.list_placeholders = [](absl::string_view docx) {
    return documents::ListPlaceholders(docx);
  };
  e.fill = [](absl::string_view docx,
              const std::map<std::string, std::string>& values) {
    return documents::FillTemplate(docx, values);
  };
  e.default_template = [](absl::string_view name) {
    return documents::DefaultTemplate(name);
  };
  e.to_pdf = [](absl::string_view docx) { return documents::DocxToPdf(docx); };
  return e;
}

}  // namespace gongkai::app

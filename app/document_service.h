// DocumentService: the office's documents (文书) for a case — generated from
// the agency's template and the record, numbered (文号) and recorded on the
// case — the agency's document settings and templates, and finding a case
// by its query code (查询码).
//
// Generating a document is repeatable: the first generation takes the next
// 文号 of the agency, kind and year and records a "document" event on the
// case (kind, template, number, date, SHA-256 of the DOCX); generating it
// again reuses that number and date, and records nothing new while the
// content is the same. When the facts changed (the settings, a template,
// the answer), the new content is recorded as a reissue under the same
// number and date.
//
// The DOCX work (placeholders, filling, PDF) is done by a DocumentEngine,
// in production the documents/ library (LibraryEngine in
// app/document_engine.h), outside any transaction: the service reads in
// one transaction, fills, then records in a second one that checks nothing
// changed in between (and starts again when something did).
//
// Thread safety: holds the Environment and the engine (both safe to share);
// call from any number of threads.
#ifndef GONGKAI_APP_DOCUMENT_SERVICE_H_
#define GONGKAI_APP_DOCUMENT_SERVICE_H_

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "app/caller.h"
#include "app/case_service.h"
#include "app/environment.h"
#include "domain/documents.h"

namespace gongkai::app {

// The DOCX operations the service needs (documents/documents.h).
struct DocumentEngine {
  std::function<absl::StatusOr<std::vector<std::string>>(absl::string_view)>
      list_placeholders;
  std::function<absl::StatusOr<std::string>(
      absl::string_view, const std::map<std::string, std::string>&)>
      fill;
  std::function<absl::StatusOr<std::string>(absl::string_view)>
      default_template;
  std::function<absl::StatusOr<std::string>(absl::string_view)> to_pdf;
};

struct DocumentRequest {
  std::string case_no;
  DocumentKind kind = DocumentKind::kReceipt;
  std::string consultation_id;  // consultation: C1, C2, ...
  std::string format = "docx";  // docx | pdf
  DocumentExtras extras;        // what the record does not hold
};

struct GeneratedDocument {
  std::string content;      // the DOCX or PDF bytes
  std::string format;       // docx | pdf
  std::string sha256;       // of `content`
  std::string docx_sha256;  // of the DOCX, as recorded on the case
  std::string number;       // 文号
  absl::CivilDay date;
  std::string template_name;
  std::string file_name;  // "2024-0001-答复告知书.docx"
  // True when an earlier generation fixed the number and date.
  bool reused = false;
  // True when this generation was recorded on the case (a first one, or a
  // reissue with changed content).
  bool recorded = false;
};

// Settings to change; absent fields keep their value.
struct SettingsChange {
  std::string agency;  // "": the caller's only agency
  std::optional<std::string> full_name, address, contact, reconsideration_body,
      court, number_prefix;
};

struct AgencySettings {
  std::string agency;
  std::string agency_name;
  DocumentSettings settings;
};

struct TemplateFile {
  std::string name;  // the template name (receipt, reply_withheld, ...)
  std::string docx;
  bool own = false;  // the agency's own (else the shipped default)
};

// One file offered to LoadTemplates: "reply_withheld.docx" and its bytes.
struct TemplateUpload {
  std::string file_name;
  std::string docx;
};

class DocumentService {
 public:
  DocumentService(const Environment& env, DocumentEngine engine)
      : env_(env), engine_(std::move(engine)) {}

  // "GenerateDocument".
  absl::StatusOr<GeneratedDocument> Generate(const Caller& caller,
                                             const DocumentRequest& request);

  // "GetDocumentSettings" / "SetDocumentSettings" (audited).
  absl::StatusOr<AgencySettings> GetSettings(const Caller& caller,
                                             const std::string& agency);
  absl::StatusOr<AgencySettings> SetSettings(const Caller& caller,
                                             const SettingsChange& change);

  // "ExportTemplates": every template name, the agency's own or the default.
  absl::StatusOr<std::vector<TemplateFile>> ExportTemplates(
      const Caller& caller, const std::string& agency);
  // "LoadTemplates": all or nothing. INVALID_ARGUMENT naming the file for a
  // name that is no template, a file that is no DOCX, or a placeholder
  // outside the catalogue; the load is audited.
  absl::StatusOr<std::vector<std::string>> LoadTemplates(
      const Caller& caller, const std::string& agency,
      const std::vector<TemplateUpload>& files);

  // "GetCase" by query code: NOT_FOUND, in the same words, for a code no
  // case has and for a case of an agency the caller does not work for.
  absl::StatusOr<CaseView> FindByQueryCode(const Caller& caller,
                                           absl::string_view code);

 private:
  // One attempt: read, fill, record. ABORTED when the case or the number
  // sequence changed in between.
  absl::StatusOr<GeneratedDocument> TryGenerate(const Caller& caller,
                                                const DocumentRequest& request);
  absl::StatusOr<std::string> TemplateFor(storage::Tables& t,
                                          const std::string& agency,
                                          const std::string& name);

  const Environment& env_;
  DocumentEngine engine_;
};

}  // namespace gongkai::app

#endif  // GONGKAI_APP_DOCUMENT_SERVICE_H_

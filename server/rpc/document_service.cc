#include "server/rpc/document_service.h"

#include "common/status_macros.h"
#include "convert/proto_convert.h"
#include "domain/documents.h"
#include "server/rpc/case_service.h"

namespace gongkai::rpc {
namespace {

void RenderSettings(const app::AgencySettings& s, v1::DocumentSettings* out) {
  out->set_agency(s.agency);
  out->set_agency_name(s.agency_name);
  out->set_full_name(s.settings.full_name);
  out->set_address(s.settings.address);
  out->set_contact(s.settings.contact);
  out->set_reconsideration_body(s.settings.reconsideration_body);
  out->set_court(s.settings.court);
  out->set_number_prefix(s.settings.number_prefix);
}

}  // namespace

grpc::Status DocumentServiceImpl::GenerateDocument(
    grpc::ServerContext* context, const v1::GenerateDocumentRequest* request,
    v1::Document* response) {
  return Serve(env_, "GenerateDocument", *context,
               [&](const Caller& caller) -> absl::Status {
                 app::DocumentRequest r;
                 r.case_no = request->case_no();
                 ASSIGN_OR_RETURN(r.kind, ParseDocumentKind(request->kind()));
                 r.consultation_id = request->consultation_id();
                 if (!request->format().empty()) r.format = request->format();
                 r.extras.correction_items = request->correction_items();
                 r.extras.fee_method = request->fee_method();
                 ASSIGN_OR_RETURN(app::GeneratedDocument doc,
                                  documents_.Generate(caller, r));
                 response->set_content(std::move(doc.content));
                 response->set_format(doc.format);
                 response->set_sha256(doc.sha256);
                 response->set_docx_sha256(doc.docx_sha256);
                 response->set_number(doc.number);
                 ToProto(doc.date, response->mutable_date());
                 response->set_template_name(doc.template_name);
                 response->set_file_name(doc.file_name);
                 response->set_reused(doc.reused);
                 response->set_recorded(doc.recorded);
                 return absl::OkStatus();
               });
}

grpc::Status DocumentServiceImpl::GetDocumentSettings(
    grpc::ServerContext* context, const v1::GetDocumentSettingsRequest* request,
    v1::DocumentSettings* response) {
  return Serve(env_, "GetDocumentSettings", *context,
               [&](const Caller& caller) -> absl::Status {
                 ASSIGN_OR_RETURN(
                     app::AgencySettings s,
                     documents_.GetSettings(caller, request->agency()));
                 RenderSettings(s, response);
                 return absl::OkStatus();
               });
}

grpc::Status DocumentServiceImpl::SetDocumentSettings(
    grpc::ServerContext* context, const v1::SetDocumentSettingsRequest* request,
    v1::DocumentSettings* response) {
  return Serve(env_, "SetDocumentSettings", *context,
               [&](const Caller& caller) -> absl::Status {
                 app::SettingsChange change;
                 change.agency = request->agency();
                 if (request->has_full_name())
                   change.full_name = request->full_name();
                 if (request->has_address())
                   change.address = request->address();
                 if (request->has_contact())
                   change.contact = request->contact();
                 if (request->has_reconsideration_body()) {
                   change.reconsideration_body =
                       request->reconsideration_body();
                 }
                 if (request->has_court()) change.court = request->court();
                 if (request->has_number_prefix()) {
                   change.number_prefix = request->number_prefix();
                 }
                 ASSIGN_OR_RETURN(app::AgencySettings s,
                                  documents_.SetSettings(caller, change));
                 RenderSettings(s, response);
                 return absl::OkStatus();
               });
}

grpc::Status DocumentServiceImpl::ExportTemplates(
    grpc::ServerContext* context, const v1::ExportTemplatesRequest* request,
    v1::TemplateSet* response) {
  return Serve(env_, "ExportTemplates", *context,
               [&](const Caller& caller) -> absl::Status {
                 ASSIGN_OR_RETURN(
                     std::vector<app::TemplateFile> files,
                     documents_.ExportTemplates(caller, request->agency()));
                 response->set_agency(request->agency());
                 for (app::TemplateFile& f : files) {
                   v1::TemplateFile* out = response->add_templates();
                   out->set_name(f.name);
                   out->set_docx(std::move(f.docx));
                   out->set_own(f.own);
                 }
                 return absl::OkStatus();
               });
}

grpc::Status DocumentServiceImpl::LoadTemplates(
    grpc::ServerContext* context, const v1::LoadTemplatesRequest* request,
    v1::LoadTemplatesResponse* response) {
  return Serve(env_, "LoadTemplates", *context,
               [&](const Caller& caller) -> absl::Status {
                 std::vector<app::TemplateUpload> files;
                 for (const auto& f : request->files()) {
                   files.push_back({f.file_name(), f.docx()});
                 }
                 ASSIGN_OR_RETURN(std::vector<std::string> loaded,
                                  documents_.LoadTemplates(
                                      caller, request->agency(), files));
                 for (const std::string& name : loaded) {
                   response->add_loaded(name);
                 }
                 return absl::OkStatus();
               });
}

grpc::Status DocumentServiceImpl::FindCaseByQueryCode(
    grpc::ServerContext* context, const v1::FindCaseByQueryCodeRequest* request,
    v1::Case* response) {
  return Serve(env_, "FindCaseByQueryCode", *context,
               [&](const Caller& caller) -> absl::Status {
                 ASSIGN_OR_RETURN(
                     app::CaseView view,
                     documents_.FindByQueryCode(caller, request->query_code()));
                 RenderCase(view, /*with_events=*/true, /*reveal=*/false,
                            caller.lang, response);
                 return absl::OkStatus();
               });
}

}  // namespace gongkai::rpc

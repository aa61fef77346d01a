// DocumentServiceImpl: the gRPC face of app::DocumentService (the office's
// documents, their settings and templates, and finding a case by its query
// code). Thread-safe.
#ifndef GONGKAI_SERVER_RPC_DOCUMENT_SERVICE_H_
#define GONGKAI_SERVER_RPC_DOCUMENT_SERVICE_H_

#include "app/document_service.h"
#include "app/environment.h"
#include "gongkai/v1/document_service.grpc.pb.h"
#include "server/rpc/boundary.h"

namespace gongkai::rpc {

class DocumentServiceImpl final : public v1::DocumentService::Service {
 public:
  DocumentServiceImpl(const Environment& env, app::DocumentEngine engine)
      : env_(env), documents_(env, std::move(engine)) {}

  grpc::Status GenerateDocument(grpc::ServerContext* context,
                                const v1::GenerateDocumentRequest* request,
                                v1::Document* response) override;
  grpc::Status GetDocumentSettings(
      grpc::ServerContext* context,
      const v1::GetDocumentSettingsRequest* request,
      v1::DocumentSettings* response) override;
  grpc::Status SetDocumentSettings(
      grpc::ServerContext* context,
      const v1::SetDocumentSettingsRequest* request,
      v1::DocumentSettings* response) override;
  grpc::Status ExportTemplates(grpc::ServerContext* context,
                               const v1::ExportTemplatesRequest* request,
                               v1::TemplateSet* response) override;
  grpc::Status LoadTemplates(grpc::ServerContext* context,
                             const v1::LoadTemplatesRequest* request,
                             v1::LoadTemplatesResponse* response) override;
  grpc::Status FindCaseByQueryCode(
      grpc::ServerContext* context,
      const v1::FindCaseByQueryCodeRequest* request,
      v1::Case* response) override;

 private:
  const Environment& env_;
  app::DocumentService documents_;
};

}  // namespace gongkai::rpc

#endif  // GONGKAI_SERVER_RPC_DOCUMENT_SERVICE_H_

// AdminService: the gRPC face of app::AdminService — staff accounts,
// agencies, the audit trail, backups and checks. Handlers only convert
// between messages and domain values. Thread-safe.
#ifndef GONGKAI_SERVER_RPC_ADMIN_SERVICE_H_
#define GONGKAI_SERVER_RPC_ADMIN_SERVICE_H_

#include "app/admin_service.h"
#include "app/environment.h"
#include "gongkai/v1/admin_service.grpc.pb.h"
#include "server/rpc/boundary.h"

namespace gongkai::rpc {

class AdminServiceImpl final : public v1::AdminService::Service {
 public:
  explicit AdminServiceImpl(const Environment& env) : env_(env), admin_(env) {}

  grpc::Status WhoAmI(grpc::ServerContext* context,
                      const v1::WhoAmIRequest* request,
                      v1::User* response) override;
  grpc::Status CreateUser(grpc::ServerContext* context,
                          const v1::CreateUserRequest* request,
                          v1::UserToken* response) override;
  grpc::Status ListUsers(grpc::ServerContext* context,
                         const v1::ListUsersRequest* request,
                         v1::ListUsersResponse* response) override;
  grpc::Status DisableUser(grpc::ServerContext* context,
                           const v1::DisableUserRequest* request,
                           v1::User* response) override;
  grpc::Status RotateToken(grpc::ServerContext* context,
                           const v1::RotateTokenRequest* request,
                           v1::UserToken* response) override;
  grpc::Status EnableUser(grpc::ServerContext* context,
                          const v1::EnableUserRequest* request,
                          v1::User* response) override;
  grpc::Status UpdateUser(grpc::ServerContext* context,
                          const v1::UpdateUserRequest* request,
                          v1::User* response) override;
  grpc::Status ListAudit(grpc::ServerContext* context,
                         const v1::ListAuditRequest* request,
                         v1::ListAuditResponse* response) override;
  grpc::Status VerifyAudit(grpc::ServerContext* context,
                           const v1::VerifyAuditRequest* request,
                           v1::VerifyAuditResponse* response) override;
  grpc::Status Backup(grpc::ServerContext* context,
                      const v1::BackupRequest* request,
                      v1::BackupResponse* response) override;
  grpc::Status CheckDatabase(grpc::ServerContext* context,
                             const v1::CheckDatabaseRequest* request,
                             v1::CheckDatabaseResponse* response) override;
  grpc::Status CreateAgency(grpc::ServerContext* context,
                            const v1::CreateAgencyRequest* request,
                            v1::Agency* response) override;
  grpc::Status SetAgencyCaseNoPattern(
      grpc::ServerContext* context,
      const v1::SetAgencyCaseNoPatternRequest* request,
      v1::Agency* response) override;
  grpc::Status ListAgencies(grpc::ServerContext* context,
                            const v1::ListAgenciesRequest* request,
                            v1::ListAgenciesResponse* response) override;

 private:
  Environment env_;
  app::AdminService admin_;
};

}  // namespace gongkai::rpc

#endif  // GONGKAI_SERVER_RPC_ADMIN_SERVICE_H_

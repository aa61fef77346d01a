#include "server/rpc/admin_service.h"

#include "common/dates.h"
#include "common/status_macros.h"
#include "convert/proto_convert.h"
#include "domain/case.h"
#include "domain/permissions.h"
#include "server/rpc/boundary.h"

namespace gongkai::rpc {
namespace {

void UserToProto(const storage::UserRecord& u, v1::User* out) {
  out->set_name(u.name);
  out->set_role(u.role);
  out->set_disabled(u.disabled);
  out->set_created_at(FormatTimestamp(u.created_at));
  for (const std::string& a : app::ParseAgencyList(u.agencies)) {
    out->add_agencies(a);
  }
}

}  // namespace

grpc::Status AdminServiceImpl::WhoAmI(grpc::ServerContext* context,
                                      const v1::WhoAmIRequest* request,
                                      v1::User* response) {
  return Serve(
      env_, "WhoAmI", *context, [&](const Caller& caller) -> absl::Status {
        response->set_name(caller.name);
        response->set_role(caller.role ? std::string(RoleCode(*caller.role))
                                       : "");
        for (const std::string& a : caller.agencies) {
          response->add_agencies(a);
        }
        return absl::OkStatus();
      });
}

grpc::Status AdminServiceImpl::CreateUser(grpc::ServerContext* context,
                                          const v1::CreateUserRequest* request,
                                          v1::UserToken* response) {
  return Serve(
      env_, "CreateUser", *context, [&](const Caller& caller) -> absl::Status {
        const std::vector<std::string> agencies(request->agencies().begin(),
                                                request->agencies().end());
        ASSIGN_OR_RETURN(app::UserToken created,
                         admin_.CreateUserWithToken(caller, request->name(),
                                                    request->role(), agencies));
        UserToProto(created.user, response->mutable_user());
        response->set_token(created.token);
        return absl::OkStatus();
      });
}

grpc::Status AdminServiceImpl::ListUsers(grpc::ServerContext* context,
                                         const v1::ListUsersRequest* request,
                                         v1::ListUsersResponse* response) {
  return Serve(env_, "ListUsers", *context,
               [&](const Caller& caller) -> absl::Status {
                 ASSIGN_OR_RETURN(auto users, admin_.ListUsers(caller));
                 for (const auto& u : users) {
                   UserToProto(u, response->add_users());
                 }
                 return absl::OkStatus();
               });
}

grpc::Status AdminServiceImpl::DisableUser(
    grpc::ServerContext* context, const v1::DisableUserRequest* request,
    v1::User* response) {
  return Serve(env_, "DisableUser", *context,
               [&](const Caller& caller) -> absl::Status {
                 ASSIGN_OR_RETURN(storage::UserRecord user,
                                  admin_.DisableUser(caller, request->name()));
                 UserToProto(user, response);
                 return absl::OkStatus();
               });
}

grpc::Status AdminServiceImpl::RotateToken(
    grpc::ServerContext* context, const v1::RotateTokenRequest* request,
    v1::UserToken* response) {
  return Serve(env_, "RotateToken", *context,
               [&](const Caller& caller) -> absl::Status {
                 ASSIGN_OR_RETURN(app::UserToken rotated,
                                  admin_.RotateToken(caller, request->name()));
                 UserToProto(rotated.user, response->mutable_user());
                 response->set_token(rotated.token);
                 return absl::OkStatus();
               });
}

grpc::Status AdminServiceImpl::EnableUser(grpc::ServerContext* context,
                                          const v1::EnableUserRequest* request,
                                          v1::User* response) {
  return Serve(env_, "EnableUser", *context,
               [&](const Caller& caller) -> absl::Status {
                 ASSIGN_OR_RETURN(storage::UserRecord user,
                                  admin_.EnableUser(caller, request->name()));
                 UserToProto(user, response);
                 return absl::OkStatus();
               });
}

grpc::Status AdminServiceImpl::UpdateUser(grpc::ServerContext* context,
                                          const v1::UpdateUserRequest* request,
                                          v1::User* response) {
  return Serve(
      env_, "UpdateUser", *context, [&](const Caller& caller) -> absl::Status {
        std::optional<std::string> role;
        if (request->has_role()) role = request->role();
        std::optional<std::vector<std::string>> agencies;
        if (request->set_agencies()) {
          agencies.emplace(request->agencies().begin(),
                           request->agencies().end());
        }
        ASSIGN_OR_RETURN(
            storage::UserRecord user,
            admin_.UpdateUser(caller, request->name(), role, agencies));
        UserToProto(user, response);
        return absl::OkStatus();
      });
}

grpc::Status AdminServiceImpl::ListAudit(grpc::ServerContext* context,
                                         const v1::ListAuditRequest* request,
                                         v1::ListAuditResponse* response) {
  return Serve(
      env_, "ListAudit", *context, [&](const Caller& caller) -> absl::Status {
        app::AuditQuery query;
        if (request->has_since()) {
          ASSIGN_OR_RETURN(query.since, FromProto(request->since(), "since"));
        }
        query.actor = request->user();
        query.limit = request->limit();
        ASSIGN_OR_RETURN(auto entries, admin_.ListAudit(caller, query));
        for (const storage::AuditEntry& e : entries) {
          v1::AuditEvent* out = response->add_events();
          out->set_recorded_at(FormatTimestamp(e.recorded_at));
          out->set_actor(e.actor);
          out->set_kind(e.kind);
          out->set_subject(e.subject);
          if (e.effective_on != absl::CivilDay()) {
            ToProto(e.effective_on, out->mutable_effective_on());
          }
          out->set_details_json(e.details.Dump());
        }
        return absl::OkStatus();
      });
}

grpc::Status AdminServiceImpl::VerifyAudit(
    grpc::ServerContext* context, const v1::VerifyAuditRequest* request,
    v1::VerifyAuditResponse* response) {
  return Serve(env_, "VerifyAudit", *context,
               [&](const Caller& caller) -> absl::Status {
                 ASSIGN_OR_RETURN(std::vector<std::string> problems,
                                  admin_.VerifyAudit(caller));
                 response->set_intact(problems.empty());
                 for (const std::string& p : problems) {
                   response->add_problems(p);
                 }
                 return absl::OkStatus();
               });
}

grpc::Status AdminServiceImpl::Backup(grpc::ServerContext* context,
                                      const v1::BackupRequest* request,
                                      v1::BackupResponse* response) {
  return Serve(env_, "Backup", *context,
               [&](const Caller& caller) -> absl::Status {
                 // The path is written to the audit trail and the log.
                 RETURN_IF_ERROR(ValidateText(
                     "the backup path", request->path(), true, 4096, 0, false));
                 ASSIGN_OR_RETURN(app::BackupResult backup,
                                  admin_.Backup(caller, request->path()));
                 response->set_path(backup.path);
                 response->set_bytes(backup.bytes);
                 return absl::OkStatus();
               });
}

grpc::Status AdminServiceImpl::CheckDatabase(
    grpc::ServerContext* context, const v1::CheckDatabaseRequest* request,
    v1::CheckDatabaseResponse* response) {
  return Serve(
      env_, "CheckDatabase", *context,
      [&](const Caller& caller) -> absl::Status {
        ASSIGN_OR_RETURN(storage::IntegrityReport report,
                         admin_.CheckDatabase(caller));
        response->set_ok(report.problems.empty());
        response->set_result(app::FormatIntegrityReport(report, caller.lang));
        return absl::OkStatus();
      });
}

grpc::Status AdminServiceImpl::CreateAgency(
    grpc::ServerContext* context, const v1::CreateAgencyRequest* request,
    v1::Agency* response) {
  return Serve(env_, "CreateAgency", *context,
               [&](const Caller& caller) -> absl::Status {
                 ASSIGN_OR_RETURN(app::Agency agency,
                                  admin_.CreateAgency(caller, request->code(),
                                                      request->name()));
                 response->set_code(agency.code);
                 response->set_name(agency.name);
                 return absl::OkStatus();
               });
}

grpc::Status AdminServiceImpl::ListAgencies(
    grpc::ServerContext* context, const v1::ListAgenciesRequest* request,
    v1::ListAgenciesResponse* response) {
  return Serve(env_, "ListAgencies", *context,
               [&](const Caller& caller) -> absl::Status {
                 ASSIGN_OR_RETURN(std::vector<app::Agency> agencies,
                                  admin_.ListAgencies(caller));
                 for (const app::Agency& a : agencies) {
                   v1::Agency* out = response->add_agencies();
                   out->set_code(a.code);
                   out->set_name(a.name);
                   out->set_case_no_pattern(a.case_no_pattern);
                 }
                 return absl::OkStatus();
               });
}

grpc::Status AdminServiceImpl::SetAgencyCaseNoPattern(
    grpc::ServerContext* context,
    const v1::SetAgencyCaseNoPatternRequest* request, v1::Agency* response) {
  return Serve(env_, "SetAgencyCaseNoPattern", *context,
               [&](const Caller& caller) -> absl::Status {
                 ASSIGN_OR_RETURN(
                     app::Agency agency,
                     admin_.SetAgencyCaseNoPattern(caller, request->code(),
                                                   request->pattern()));
                 response->set_code(agency.code);
                 response->set_name(agency.name);
                 response->set_case_no_pattern(agency.case_no_pattern);
                 return absl::OkStatus();
               });
}

}  // namespace gongkai::rpc

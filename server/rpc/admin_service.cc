#include "server/rpc/admin_service.h"

#include <filesystem>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "common/crypto.h"
#include "common/dates.h"
#include "common/status_macros.h"
#include "domain/case.h"
#include "domain/permissions.h"
#include "server/rpc/boundary.h"
#include "convert/proto_convert.h"

namespace gongkai::rpc {
namespace {

absl::Status CheckUserName(const std::string& name) {
  RETURN_IF_ERROR(ValidateText("user name", name, true, 64, 0, false));
  for (char c : name) {
    if (c == ' ' || c == '/' || c == ':' || c == '"' || c == '\'') {
      return absl::InvalidArgumentError(
          "a user name may not contain spaces, quotes, slashes or colons");
    }
  }
  return absl::OkStatus();
}

void ToProto(const storage::UserRecord& u, v1::User* out) {
  out->set_name(u.name);
  out->set_role(u.role);
  out->set_disabled(u.disabled);
  out->set_created_at(FormatTimestamp(u.created_at));
  if (u.agencies != "*" && !u.agencies.empty()) {
    for (absl::string_view a : absl::StrSplit(u.agencies, ',')) {
      out->add_agencies(std::string(a));
    }
  }
}

}  // namespace

absl::StatusOr<std::string> CreateUserWithToken(
    storage::Store& store, const std::string& name, const std::string& role,
    const std::string& agencies, const std::string& actor, absl::Time now) {
  RETURN_IF_ERROR(CheckUserName(name));
  RETURN_IF_ERROR(ParseRole(role).status());
  const std::string token = NewApiToken();
  storage::RecordEvent event{"user_created", absl::StrCat("user ", name), actor,
                             now};
  event.details.Set("role", role);
  event.details.Set("agencies", agencies);
  RETURN_IF_ERROR(
      store.CreateUser(name, role, agencies, Sha256Hex(token), event).status());
  return token;
}

grpc::Status AdminServiceImpl::WhoAmI(grpc::ServerContext* context,
                                      const v1::WhoAmIRequest* request,
                                      v1::User* response) {
  return Serve(env_, "WhoAmI", *context, [&]() -> absl::Status {
    response->set_name(CallerName(*context));
    std::optional<Role> role = CallerRole();
    response->set_role(role ? std::string(RoleCode(*role)) : "");
    return absl::OkStatus();
  });
}

grpc::Status AdminServiceImpl::CreateUser(grpc::ServerContext* context,
                                          const v1::CreateUserRequest* request,
                                          v1::UserToken* response) {
  return Serve(env_, "CreateUser", *context, [&]() -> absl::Status {
    std::string agencies = "*";
    if (request->agencies_size() > 0) {
      ASSIGN_OR_RETURN(auto known, env_.store->ListAgencies());
      std::vector<std::string> codes;
      for (const std::string& a : request->agencies()) {
        bool found = false;
        for (const auto& [code, name] : known) found |= code == a;
        if (!found) {
          return absl::InvalidArgumentError(
              absl::StrCat("unknown agency '", a,
                           "'; add it with gongkai admin agency add"));
        }
        codes.push_back(a);
      }
      agencies = absl::StrJoin(codes, ",");
    }
    ASSIGN_OR_RETURN(
        std::string token,
        CreateUserWithToken(*env_.store, request->name(), request->role(),
                            agencies, CallerName(*context), env_.time->Now()));
    for (const std::string& a : request->agencies())
      response->mutable_user()->add_agencies(a);
    response->set_token(token);
    response->mutable_user()->set_name(request->name());
    response->mutable_user()->set_role(request->role());
    return absl::OkStatus();
  });
}

grpc::Status AdminServiceImpl::ListUsers(grpc::ServerContext* context,
                                         const v1::ListUsersRequest* request,
                                         v1::ListUsersResponse* response) {
  return Serve(env_, "ListUsers", *context, [&]() -> absl::Status {
    ASSIGN_OR_RETURN(auto users, env_.store->ListUsers());
    for (const auto& u : users) ToProto(u, response->add_users());
    return absl::OkStatus();
  });
}

grpc::Status AdminServiceImpl::DisableUser(
    grpc::ServerContext* context, const v1::DisableUserRequest* request,
    v1::User* response) {
  return Serve(env_, "DisableUser", *context, [&]() -> absl::Status {
    if (request->name() == CallerName(*context)) {
      return absl::FailedPreconditionError("you cannot disable yourself");
    }
    storage::RecordEvent event{"user_disabled",
                               absl::StrCat("user ", request->name()),
                               CallerName(*context), env_.time->Now()};
    RETURN_IF_ERROR(env_.store->SetUserDisabled(request->name(), true, event));
    response->set_name(request->name());
    response->set_disabled(true);
    return absl::OkStatus();
  });
}

grpc::Status AdminServiceImpl::RotateToken(
    grpc::ServerContext* context, const v1::RotateTokenRequest* request,
    v1::UserToken* response) {
  return Serve(env_, "RotateToken", *context, [&]() -> absl::Status {
    const std::string token = NewApiToken();
    storage::RecordEvent event{"token_rotated",
                               absl::StrCat("user ", request->name()),
                               CallerName(*context), env_.time->Now()};
    RETURN_IF_ERROR(
        env_.store->SetUserToken(request->name(), Sha256Hex(token), event));
    response->set_token(token);
    response->mutable_user()->set_name(request->name());
    return absl::OkStatus();
  });
}

grpc::Status AdminServiceImpl::ListAudit(grpc::ServerContext* context,
                                         const v1::ListAuditRequest* request,
                                         v1::ListAuditResponse* response) {
  return Serve(env_, "ListAudit", *context, [&]() -> absl::Status {
    std::optional<absl::Time> since;
    if (request->has_since()) {
      ASSIGN_OR_RETURN(absl::CivilDay day,
                       FromProto(request->since(), "since"));
      since = absl::FromCivil(absl::CivilSecond(day),
                              absl::FixedTimeZone(8 * 3600));
    }
    const int limit =
        request->limit() <= 0 ? 1000 : std::min(request->limit(), 100000);
    ASSIGN_OR_RETURN(auto entries,
                     env_.store->ListAudit(since, request->user(), limit));
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
  return Serve(env_, "VerifyAudit", *context, [&]() -> absl::Status {
    ASSIGN_OR_RETURN(std::vector<std::string> problems,
                     env_.store->VerifyAuditChain());
    response->set_intact(problems.empty());
    for (const std::string& p : problems) response->add_problems(p);
    return absl::OkStatus();
  });
}

grpc::Status AdminServiceImpl::Backup(grpc::ServerContext* context,
                                      const v1::BackupRequest* request,
                                      v1::BackupResponse* response) {
  return Serve(env_, "Backup", *context, [&]() -> absl::Status {
    std::filesystem::path path(request->path());
    if (!path.is_absolute()) {
      return absl::InvalidArgumentError(
          "give the backup file as an absolute path on the server's machine");
    }
    std::error_code ec;
    if (std::filesystem::exists(path, ec)) {
      return absl::AlreadyExistsError(
          absl::StrCat(request->path(),
                       " exists; choose a new file name so no backup is "
                       "overwritten"));
    }
    RETURN_IF_ERROR(env_.store->Backup(request->path()));
    response->set_path(request->path());
    response->set_bytes(
        static_cast<int64_t>(std::filesystem::file_size(path, ec)));
    storage::RecordEvent event{"backup", request->path(), CallerName(*context),
                               env_.time->Now()};
    RETURN_IF_ERROR(env_.store->AppendRecord(event));
    return absl::OkStatus();
  });
}

grpc::Status AdminServiceImpl::CheckDatabase(
    grpc::ServerContext* context, const v1::CheckDatabaseRequest* request,
    v1::CheckDatabaseResponse* response) {
  return Serve(env_, "CheckDatabase", *context, [&]() -> absl::Status {
    ASSIGN_OR_RETURN(std::string result, env_.store->CheckIntegrity());
    response->set_ok(result == "ok");
    response->set_result(result);
    return absl::OkStatus();
  });
}

grpc::Status AdminServiceImpl::CreateAgency(
    grpc::ServerContext* context, const v1::CreateAgencyRequest* request,
    v1::Agency* response) {
  return Serve(env_, "CreateAgency", *context, [&]() -> absl::Status {
    RETURN_IF_ERROR(CheckUserName(request->code()).ok()
                        ? absl::OkStatus()
                        : absl::InvalidArgumentError(
                              "an agency code is a short name without spaces, "
                              "quotes, slashes or colons, e.g. psb"));
    if (request->code().find(',') != std::string::npos ||
        request->code() == "*") {
      return absl::InvalidArgumentError(
          "an agency code may not contain ',' or be '*'");
    }
    RETURN_IF_ERROR(
        ValidateText("agency name", request->name(), true, 200, 0, false));
    storage::RecordEvent event{"agency_created",
                               absl::StrCat("agency ", request->code()),
                               CallerName(*context), env_.time->Now()};
    event.details.Set("name", request->name());
    RETURN_IF_ERROR(
        env_.store->CreateAgency(request->code(), request->name(), event));
    response->set_code(request->code());
    response->set_name(request->name());
    return absl::OkStatus();
  });
}

grpc::Status AdminServiceImpl::ListAgencies(
    grpc::ServerContext* context, const v1::ListAgenciesRequest* request,
    v1::ListAgenciesResponse* response) {
  return Serve(env_, "ListAgencies", *context, [&]() -> absl::Status {
    ASSIGN_OR_RETURN(auto agencies, env_.store->ListAgencies());
    for (const auto& [code, name] : agencies) {
      v1::Agency* a = response->add_agencies();
      a->set_code(code);
      a->set_name(name);
    }
    return absl::OkStatus();
  });
}

}  // namespace gongkai::rpc

// gongkai whoami | admin user add|list|disable|enable|set|rotate-token | admin
// verify-audit | admin backup | admin check | admin permissions | audit |
// case history | case assign
#include <filesystem>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "cli/command.h"
#include "cli/render.h"
#include "common/status_macros.h"
#include "domain/case_no_pattern.h"
#include "domain/permissions.h"
#include "gongkai/v1/admin_service.grpc.pb.h"
#include "gongkai/v1/case_service.grpc.pb.h"

namespace gongkai::cli {
namespace {

using Stub = v1::AdminService::Stub;

// One unary AdminService call with the context's credentials.
template <typename Request, typename Response>
absl::Status Call(CommandContext& ctx,
                  grpc::Status (Stub::*method)(grpc::ClientContext*,
                                               const Request&, Response*),
                  const Request& request, Response* response) {
  auto stub = v1::AdminService::NewStub(ctx.Channel());
  auto call = ctx.NewCall();
  grpc::Status s = ((*stub).*method)(call.get(), request, response);
  return s.ok() ? absl::OkStatus() : ctx.CallFailed(s);
}

Json UserJson(const v1::User& u) {
  Json j = Json::MakeObject();
  j.Set("name", u.name());
  j.Set("role", u.role());
  j.Set("disabled", u.disabled());
  j.Set("created_at", u.created_at());
  Json agencies = Json::MakeArray();
  for (const std::string& a : u.agencies()) agencies.Push(a);
  j.Set("agencies", agencies);
  return j;
}

absl::Status PrintToken(CommandContext& ctx, const v1::UserToken& t) {
  if (ctx.json) {
    Json j = UserJson(t.user());
    j.Set("token", t.token());
    *ctx.out << j.Dump(2) << "\n";
  } else {
    *ctx.out << t.token() << "\n";
    *ctx.err << "This is the only time the token for " << t.user().name()
             << " is shown. Give it to them privately; they keep it in "
                "~/.config/gongkai/token (chmod 600) or GONGKAI_TOKEN.\n";
  }
  return absl::OkStatus();
}

absl::Status AgencyAdd(CommandContext& ctx) {
  v1::CreateAgencyRequest r;
  r.set_code(ctx.args.positional()[0]);
  r.set_name(ctx.args.Get("name"));
  v1::Agency a;
  RETURN_IF_ERROR(Call(ctx, &Stub::CreateAgency, r, &a));
  *ctx.out << "Agency " << a.code() << " (" << a.name() << ") added.\n";
  return absl::OkStatus();
}

absl::Status AgencySet(CommandContext& ctx) {
  v1::SetAgencyCaseNoPatternRequest r;
  r.set_code(ctx.args.positional()[0]);
  r.set_pattern(ctx.args.Get("case-no-pattern"));
  v1::Agency a;
  RETURN_IF_ERROR(Call(ctx, &Stub::SetAgencyCaseNoPattern, r, &a));
  if (ctx.json) {
    Json j = Json::MakeObject();
    j.Set("code", a.code());
    j.Set("name", a.name());
    j.Set("case_no_pattern",
          a.case_no_pattern().empty() ? Json() : Json(a.case_no_pattern()));
    *ctx.out << j.Dump(2) << "\n";
    return absl::OkStatus();
  }
  if (a.case_no_pattern().empty()) {
    *ctx.out << absl::StrCat(
        ctx.T("机关 ", "Agency "), a.code(),
        ctx.T(" 的新案件按默认格式编号（如 2023-0001）。\n",
              ": new cases are numbered in the default form (e.g. "
              "2023-0001).\n"));
  } else {
    *ctx.out << absl::StrCat(
        ctx.T("机关 ", "Agency "), a.code(),
        ctx.T(" 的新案件编号格式：", ": new cases are numbered "),
        a.case_no_pattern(),
        ctx.T("（每年从 1 起）。\n", " (from 1 each year).\n"));
  }
  return absl::OkStatus();
}

absl::Status AgencyList(CommandContext& ctx) {
  v1::ListAgenciesResponse resp;
  RETURN_IF_ERROR(
      Call(ctx, &Stub::ListAgencies, v1::ListAgenciesRequest(), &resp));
  if (ctx.json) {
    Json list = Json::MakeArray();
    for (const v1::Agency& a : resp.agencies()) {
      Json j = Json::MakeObject();
      j.Set("code", a.code());
      j.Set("name", a.name());
      j.Set("case_no_pattern",
            a.case_no_pattern().empty() ? Json() : Json(a.case_no_pattern()));
      list.Push(std::move(j));
    }
    *ctx.out << list.Dump(2) << "\n";
    return absl::OkStatus();
  }
  std::vector<std::vector<std::string>> rows = {
      {"代码 Code", "名称 Name",
       std::string(ctx.T("编号格式", "Case numbers"))}};
  for (const v1::Agency& a : resp.agencies()) {
    rows.push_back({a.code(), a.name(),
                    a.case_no_pattern().empty()
                        ? std::string(kDefaultCaseNoPattern)
                        : a.case_no_pattern()});
  }
  *ctx.out << FormatTable(rows);
  return absl::OkStatus();
}

absl::Status WhoAmI(CommandContext& ctx) {
  v1::User u;
  RETURN_IF_ERROR(Call(ctx, &Stub::WhoAmI, v1::WhoAmIRequest(), &u));
  *ctx.out << (ctx.json ? UserJson(u).Dump(2)
                        : absl::StrCat(u.name(), " (", u.role(), ")"))
           << "\n";
  return absl::OkStatus();
}

absl::Status UserAdd(CommandContext& ctx) {
  v1::CreateUserRequest r;
  r.set_name(ctx.args.positional()[0]);
  r.set_role(ctx.args.Get("role"));
  RETURN_IF_ERROR(ParseRole(r.role()).status());
  if (ctx.args.Has("agency")) {
    for (absl::string_view a : absl::StrSplit(ctx.args.Get("agency"), ',')) {
      r.add_agencies(std::string(a));
    }
  }
  v1::UserToken t;
  RETURN_IF_ERROR(Call(ctx, &Stub::CreateUser, r, &t));
  return PrintToken(ctx, t);
}

absl::Status UserList(CommandContext& ctx) {
  v1::ListUsersResponse resp;
  RETURN_IF_ERROR(Call(ctx, &Stub::ListUsers, v1::ListUsersRequest(), &resp));
  if (ctx.json) {
    Json list = Json::MakeArray();
    for (const v1::User& u : resp.users()) list.Push(UserJson(u));
    *ctx.out << list.Dump(2) << "\n";
    return absl::OkStatus();
  }
  std::vector<std::vector<std::string>> rows = {
      {"用户 User", "角色 Role", "状态", "创建 Created"}};
  for (const v1::User& u : resp.users()) {
    rows.push_back({u.name(), u.role(), u.disabled() ? "disabled" : "active",
                    u.created_at()});
  }
  *ctx.out << FormatTable(rows);
  return absl::OkStatus();
}

absl::Status UserDisable(CommandContext& ctx) {
  v1::DisableUserRequest r;
  r.set_name(ctx.args.positional()[0]);
  v1::User u;
  RETURN_IF_ERROR(Call(ctx, &Stub::DisableUser, r, &u));
  *ctx.out << "User " << r.name()
           << " is disabled; their token no longer works.\n";
  return absl::OkStatus();
}

absl::Status UserEnable(CommandContext& ctx) {
  v1::EnableUserRequest r;
  r.set_name(ctx.args.positional()[0]);
  v1::User u;
  RETURN_IF_ERROR(Call(ctx, &Stub::EnableUser, r, &u));
  if (ctx.json) {
    *ctx.out << UserJson(u).Dump(2) << "\n";
  } else {
    *ctx.out << absl::StrCat(
        ctx.T("用户 ", "User "), u.name(),
        ctx.T(" 已启用，原令牌恢复有效（如令牌可能已泄露，请执行 admin user "
              "rotate-token）。\n",
              " is enabled; their old token works again (run admin user "
              "rotate-token if it may have leaked).\n"));
  }
  return absl::OkStatus();
}

absl::Status UserSet(CommandContext& ctx) {
  v1::UpdateUserRequest r;
  r.set_name(ctx.args.positional()[0]);
  // Neither --role nor --agency: the daemon says what to give, in the
  // reader's language.
  if (ctx.args.Has("role")) {
    r.set_role(ctx.args.Get("role"));
    RETURN_IF_ERROR(ParseRole(r.role()).status());
  }
  if (ctx.args.Has("agency")) {
    r.set_set_agencies(true);
    // "*" or "all": every agency.
    const std::string agencies = ctx.args.Get("agency");
    if (agencies != "*" && agencies != "all") {
      for (absl::string_view a : absl::StrSplit(agencies, ',')) {
        r.add_agencies(std::string(a));
      }
    }
  }
  v1::User u;
  RETURN_IF_ERROR(Call(ctx, &Stub::UpdateUser, r, &u));
  if (ctx.json) {
    *ctx.out << UserJson(u).Dump(2) << "\n";
  } else {
    const std::string agencies =
        u.agencies().empty() ? std::string(ctx.T("全部机关", "every agency"))
                             : absl::StrJoin(u.agencies(), ",");
    *ctx.out << absl::StrCat(ctx.T("用户 ", "User "), u.name(),
                             ctx.T("：角色 ", ": role "), u.role(),
                             ctx.T("，机关 ", ", agencies "), agencies, "\n");
  }
  return absl::OkStatus();
}

absl::Status UserRotate(CommandContext& ctx) {
  v1::RotateTokenRequest r;
  r.set_name(ctx.args.positional()[0]);
  v1::UserToken t;
  RETURN_IF_ERROR(Call(ctx, &Stub::RotateToken, r, &t));
  return PrintToken(ctx, t);
}

absl::Status VerifyAudit(CommandContext& ctx) {
  v1::VerifyAuditResponse resp;
  RETURN_IF_ERROR(
      Call(ctx, &Stub::VerifyAudit, v1::VerifyAuditRequest(), &resp));
  if (ctx.json) {
    Json j = Json::MakeObject();
    j.Set("intact", resp.intact());
    Json problems = Json::MakeArray();
    for (const std::string& p : resp.problems()) problems.Push(p);
    j.Set("problems", problems);
    *ctx.out << j.Dump(2) << "\n";
  } else if (resp.intact()) {
    *ctx.out << "The audit trail is intact: every event matches its keyed "
                "checksum chain and the anchored ends are all there.\n";
  } else {
    for (const std::string& p : resp.problems()) *ctx.out << p << "\n";
  }
  if (!resp.intact()) {
    return absl::DataLossError("the audit trail was tampered with");
  }
  return absl::OkStatus();
}

absl::Status Backup(CommandContext& ctx) {
  v1::BackupRequest r;
  // The name is the server's to resolve: in its backup folder.
  r.set_path(ctx.args.positional()[0]);
  v1::BackupResponse resp;
  RETURN_IF_ERROR(Call(ctx, &Stub::Backup, r, &resp));
  *ctx.out << "Backed up to " << resp.path() << " (" << resp.bytes()
           << " bytes).\n";
  return absl::OkStatus();
}

absl::Status Check(CommandContext& ctx) {
  v1::CheckDatabaseResponse resp;
  RETURN_IF_ERROR(
      Call(ctx, &Stub::CheckDatabase, v1::CheckDatabaseRequest(), &resp));
  // The result is "ok" or one line per problem, then any notes.
  std::vector<std::string> problems, notes;
  for (absl::string_view line : absl::StrSplit(resp.result(), '\n')) {
    if (line.empty() || line == "ok") continue;
    (absl::StartsWith(line, "note: ") ? notes : problems)
        .push_back(std::string(line));
  }
  if (ctx.json) {
    Json j = Json::MakeObject();
    j.Set("ok", resp.ok());
    Json list = Json::MakeArray();
    for (const std::string& p : problems) list.Push(p);
    j.Set("problems", list);
    Json note_list = Json::MakeArray();
    for (const std::string& n : notes) note_list.Push(n);
    j.Set("notes", note_list);
    *ctx.out << j.Dump(2) << "\n";
  } else if (resp.ok()) {
    *ctx.out << "Database check: ok (engine, schema and triggers, every case "
                "against its history, report counts)\n";
  } else {
    *ctx.out << "Database check FAILED: " << problems.size() << " problem"
             << (problems.size() == 1 ? "" : "s") << "\n";
    for (const std::string& p : problems) *ctx.out << "  " << p << "\n";
  }
  if (!ctx.json) {
    for (const std::string& n : notes) *ctx.out << n << "\n";
  }
  return resp.ok() ? absl::OkStatus()
                   : absl::DataLossError(
                         "the database does not agree with itself: it was "
                         "changed outside gongkai (see docs/security.md)");
}

absl::Status Permissions(CommandContext& ctx) {
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> head = {"method"};
  for (Role r : AllRoles()) head.push_back(std::string(RoleCode(r)));
  head.push_back("what");
  rows.push_back(head);
  for (const MethodPermission& p : PermissionMatrix()) {
    std::vector<std::string> row = {std::string(p.method)};
    for (Role r : AllRoles()) row.push_back(Allowed(r, p.method) ? "yes" : "-");
    row.push_back(
        absl::StrCat(p.what, p.every_agency ? " (every agency only)" : ""));
    rows.push_back(row);
  }
  *ctx.out << FormatTable(rows);
  return absl::OkStatus();
}

absl::Status Audit(CommandContext& ctx) {
  v1::ListAuditRequest r;
  if (ctx.args.Has("since")) {
    ASSIGN_OR_RETURN(*r.mutable_since(),
                     DateArg(ctx.args.Get("since"), "--since"));
  }
  r.set_user(ctx.args.Get("user"));
  if (ctx.args.Has("limit")) {
    int limit = 0;
    if (!absl::SimpleAtoi(ctx.args.Get("limit"), &limit) || limit < 1) {
      return absl::InvalidArgumentError(
          "usage: --limit must be a positive number");
    }
    r.set_limit(limit);
  }
  v1::ListAuditResponse resp;
  RETURN_IF_ERROR(Call(ctx, &Stub::ListAudit, r, &resp));
  if (ctx.json) {
    Json list = Json::MakeArray();
    for (const v1::AuditEvent& e : resp.events()) {
      Json j = Json::MakeObject();
      j.Set("recorded_at", e.recorded_at());
      j.Set("actor", e.actor());
      j.Set("kind", e.kind());
      j.Set("subject", e.subject());
      j.Set("effective_on", DateJson(e.effective_on(), e.has_effective_on()));
      absl::StatusOr<Json> details = Json::Parse(e.details_json());
      j.Set("details", details.ok() ? *details : Json(e.details_json()));
      list.Push(std::move(j));
    }
    *ctx.out << list.Dump(2) << "\n";
    return absl::OkStatus();
  }
  std::vector<std::vector<std::string>> rows = {{"记录时间 Recorded",
                                                 "用户 User", "对象 Subject",
                                                 "事项 Kind", "详情 Details"}};
  for (const v1::AuditEvent& e : resp.events()) {
    rows.push_back(
        {e.recorded_at(), e.actor(), e.subject(), e.kind(), e.details_json()});
  }
  // Stored text is shown, never obeyed: escapes in a record do not reach the
  // terminal.
  *ctx.out << FormatTable(ShownRows(std::move(rows)));
  return absl::OkStatus();
}

absl::Status History(CommandContext& ctx) {
  auto stub = v1::CaseService::NewStub(ctx.Channel());
  v1::GetCaseRequest r;
  r.set_name(ctx.args.positional()[0]);
  v1::Case c;
  auto call = ctx.NewCall();
  grpc::Status s = stub->GetCase(call.get(), r, &c);
  if (!s.ok()) return ctx.CallFailed(s);
  if (ctx.json) {
    *ctx.out << CaseToJson(c, true).Find("events")->Dump(2) << "\n";
    return absl::OkStatus();
  }
  std::vector<std::vector<std::string>> rows = {{"#", "记录时间 Recorded",
                                                 "用户 User", "日期 Date",
                                                 "事项 Event", "变化 Change"}};
  for (const v1::CaseEvent& e : c.events()) {
    std::vector<std::string> changes;
    auto get = [&](const char* k) {
      auto it = e.details().find(k);
      return it == e.details().end() ? std::string() : it->second;
    };
    if (!get("state_before").empty()) {
      changes.push_back(absl::StrCat("state ", get("state_before"), " -> ",
                                     get("state_after")));
    }
    if (e.kind() == "assigned") {
      changes.push_back(absl::StrCat("assignee '", get("before"), "' -> '",
                                     get("after"), "'"));
    }
    if (e.kind() == "deadline_recalculated") {
      changes.push_back(absl::StrCat("due ", get("from"), " -> ", get("to")));
    }
    if (!get("forced").empty())
      changes.push_back(absl::StrCat("forced: ", get("forced")));
    rows.push_back({absl::StrCat(e.seq()), e.recorded_at(), e.actor(),
                    DateText(e.effective_on()), e.summary(),
                    absl::StrJoin(changes, "; ")});
  }
  *ctx.out << "Case " << Shown(c.case_no()) << "\n"
           << FormatTable(ShownRows(std::move(rows)));
  return absl::OkStatus();
}

absl::Status Assign(CommandContext& ctx) {
  v1::AssignCaseRequest r;
  r.set_name(ctx.args.positional()[0]);
  const std::string who = ctx.args.positional()[1];
  r.set_assignee(who == "none" ? "" : who);
  auto stub = v1::CaseService::NewStub(ctx.Channel());
  v1::Case c;
  auto call = ctx.NewCall();
  grpc::Status s = stub->AssignCase(call.get(), r, &c);
  if (!s.ok()) return ctx.CallFailed(s);
  *ctx.out << "Case " << c.case_no() << ": "
           << (c.assignee().empty() ? "unassigned"
                                    : "assigned to " + c.assignee())
           << "\n";
  return absl::OkStatus();
}

}  // namespace

void AddAdminCommands(std::vector<Command>& table) {
  auto none = [](CLI::App&) {};
  table.push_back(
      Command{"whoami", "Show who the token belongs to", "", none, WhoAmI});
  table.push_back(Command{
      "admin user add", "Add a staff account; prints its one-time token",
      "Roles: clerk (logs requests, records correspondence), handler "
      "(processes and answers),\nhead (a handler who also approves extensions "
      "and publishes reports), admin (users,\ncalendar, table 2, imports, "
      "backups), auditor (read-only, with the audit trail).",
      [](CLI::App& app) {
        AddPositional(app, "NAME", "the account name");
        AddRequired(app, "role", "ROLE",
                    "clerk | handler | head | admin | auditor");
        AddOption(app, "agency", "A,B",
                  "agencies the user works for (default: all)");
      },
      UserAdd});
  table.push_back(Command{
      "admin agency add", "Add a department (agency) that shares this daemon",
      "",
      [](CLI::App& app) {
        AddPositional(app, "CODE", "a short code for the agency");
        AddRequired(app, "name", "NAME", "its full name, printed on reports");
      },
      AgencyAdd});
  table.push_back(
      Command{"admin agency list", "List the agencies", "", none, AgencyList});
  table.push_back(Command{
      "admin agency set", "Set how an agency's new cases are numbered",
      "The pattern holds {n}, the sequence number (once; {n:4} pads it to 4 "
      "digits),\nand may hold {year}, the receipt year: e.g. "
      "驻公信〔{year}〕{n}号 gives 驻公信〔2023〕47号.\nAn agency with its "
      "own pattern counts from 1 each year on its own; 'default' goes\nback "
      "to {year}-{n:4} (2023-0001). Numbers already issued stay.",
      [](CLI::App& app) {
        AddPositional(app, "CODE", "the agency's code");
        AddRequired(app, "case-no-pattern", "PATTERN",
                    "e.g. 驻公信〔{year}〕{n}号, or default");
      },
      AgencySet});
  table.push_back(
      Command{"admin user list", "List staff accounts", "", none, UserList});
  table.push_back(Command{
      "admin user disable", "Disable an account at once", "",
      [](CLI::App& app) { AddPositional(app, "NAME", "the account name"); },
      UserDisable});
  table.push_back(Command{
      "admin user enable", "Let a disabled account in again",
      "The account's old token works again; rotate it if it may have leaked.",
      [](CLI::App& app) { AddPositional(app, "NAME", "the account name"); },
      UserEnable});
  table.push_back(Command{
      "admin user set", "Change an account's role, agencies or both",
      "The last enabled administrator of every agency cannot be demoted or "
      "confined.",
      [](CLI::App& app) {
        AddPositional(app, "NAME", "the account name");
        AddOption(app, "role", "ROLE",
                  "clerk | handler | head | admin | auditor");
        AddOption(app, "agency", "A,B",
                  "the agencies the user works for ('all': every agency)");
      },
      UserSet});
  table.push_back(Command{
      "admin user rotate-token", "Issue a new token; the old one stops working",
      "", [](CLI::App& app) { AddPositional(app, "NAME", "the account name"); },
      UserRotate});
  table.push_back(
      Command{"admin verify-audit",
              "Check the audit trail's checksum chain for tampering", "", none,
              VerifyAudit});
  table.push_back(Command{
      "admin backup", "Write a consistent copy of the database while serving",
      "FILE is a new file name in the daemon's backup folder (gongkaid "
      "--backup-dir;\nby default 'backups' beside the database), or an "
      "absolute path in it. It must\nnot exist. See docs/operations.md for "
      "restoring.",
      [](CLI::App& app) {
        AddPositional(app, "FILE", "the backup's file name");
      },
      Backup});
  table.push_back(Command{
      "admin check",
      "Check the database against itself: schema, triggers, cases, counts",
      "Runs SQLite's integrity check, compares the schema and its append-only "
      "triggers\nwith what the migrations made, re-derives every case from "
      "its event history\nand the report counts from the cases, and lists "
      "every difference (case, field,\nvalue in the row, value from the "
      "history). See docs/security.md.",
      none, Check});
  table.push_back(Command{"admin permissions", "Print the permission matrix",
                          "", none, Permissions});
  table.push_back(Command{
      "audit", "List events across all cases and records (auditors)", "",
      [](CLI::App& app) {
        AddOption(app, "since", "DATE", "recorded on or after DATE");
        AddOption(app, "user", "NAME", "only events by this user");
        AddOption(app, "limit", "N", "at most N events (default 1000)");
      },
      Audit});
  table.push_back(Command{
      "case history", "Every event of a case with time, user and what changed",
      "", [](CLI::App& app) { AddPositional(app, "NO", "the case number"); },
      History});
  table.push_back(Command{
      "case assign",
      "Make a handler (承办人) responsible for a case ('none' unassigns)", "",
      [](CLI::App& app) {
        AddPositional(app, "NO", "the case number");
        AddPositional(app, "USER", "the handler's account name, or none");
      },
      Assign});
}

}  // namespace gongkai::cli

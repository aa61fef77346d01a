// gongkai whoami | admin user add|list|disable|enable|set|rotate-token | admin
// verify-audit | admin backup | admin check | admin permissions | audit |
// case history | case assign
#include <filesystem>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "cli/command.h"
#include "cli/render.h"
#include "common/status_macros.h"
#include "domain/amendment.h"
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
  j.Set("created_at", TextOrNull(u.created_at()));
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
    if (ctx.lang == Lang::kEn) {
      *ctx.err << "This is the only time the token for " << t.user().name()
               << " is shown. Give it to them privately; they keep it in "
                  "~/.config/gongkai/token (chmod 600) or GONGKAI_TOKEN.\n";
    } else {
      *ctx.err << "用户 " << t.user().name()
               << " 的令牌只显示这一次。请私下交给本人；本人将其保存在 "
                  "~/.config/gongkai/token（chmod 600）或 GONGKAI_TOKEN 中。\n";
    }
  }
  return absl::OkStatus();
}

Json AgencyJson(const v1::Agency& a) {
  Json j = Json::MakeObject();
  j.Set("code", a.code());
  j.Set("name", TextOrNull(a.name()));
  j.Set("case_no_pattern", TextOrNull(a.case_no_pattern()));
  return j;
}

absl::Status AgencyAdd(CommandContext& ctx) {
  v1::CreateAgencyRequest r;
  r.set_code(ctx.args.positional()[0]);
  r.set_name(ctx.args.Get("name"));
  v1::Agency a;
  RETURN_IF_ERROR(Call(ctx, &Stub::CreateAgency, r, &a));
  if (ctx.json) {
    *ctx.out << AgencyJson(a).Dump(2) << "\n";
  } else if (ctx.lang == Lang::kEn) {
    *ctx.out << "Agency " << a.code() << " (" << a.name() << ") added.\n";
  } else {
    *ctx.out << "已添加机关 " << a.code() << "（" << a.name() << "）。\n";
  }
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
    for (const v1::Agency& a : resp.agencies()) list.Push(AgencyJson(a));
    *ctx.out << list.Dump(2) << "\n";
    return absl::OkStatus();
  }
  std::vector<std::vector<std::string>> rows = {
      {ctx.Ts("代码", "Code"), ctx.Ts("名称", "Name"),
       ctx.Ts("编号格式", "Case numbers")}};
  for (const v1::Agency& a : resp.agencies()) {
    rows.push_back({a.code(), a.name(),
                    a.case_no_pattern().empty()
                        ? std::string(kDefaultCaseNoPattern)
                        : a.case_no_pattern()});
  }
  *ctx.out << FormatTable(ShownRows(std::move(rows)));
  return absl::OkStatus();
}

absl::Status WhoAmI(CommandContext& ctx) {
  v1::User u;
  RETURN_IF_ERROR(Call(ctx, &Stub::WhoAmI, v1::WhoAmIRequest(), &u));
  *ctx.out << (ctx.json ? UserJson(u).Dump(2)
                        : absl::StrCat(u.name(), ctx.Ts("（角色：", " ("),
                                       u.role(), ctx.Ts("）", ")")))
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
      {ctx.Ts("用户", "User"), ctx.Ts("角色", "Role"), ctx.Ts("状态", "Status"),
       ctx.Ts("机关", "Agencies"), ctx.Ts("创建时间", "Created")}};
  for (const v1::User& u : resp.users()) {
    rows.push_back(
        {u.name(), u.role(),
         u.disabled() ? ctx.Ts("已停用", "disabled") : ctx.Ts("启用", "active"),
         u.agencies().empty() ? ctx.Ts("全部", "all")
                              : absl::StrJoin(u.agencies(), ","),
         TimeText(u.created_at())});
  }
  *ctx.out << FormatTable(ShownRows(std::move(rows)));
  return absl::OkStatus();
}

absl::Status UserDisable(CommandContext& ctx) {
  v1::DisableUserRequest r;
  r.set_name(ctx.args.positional()[0]);
  v1::User u;
  RETURN_IF_ERROR(Call(ctx, &Stub::DisableUser, r, &u));
  if (ctx.json) {
    *ctx.out << UserJson(u).Dump(2) << "\n";
  } else if (ctx.lang == Lang::kEn) {
    *ctx.out << "User " << r.name()
             << " is disabled; their token no longer works.\n";
  } else {
    *ctx.out << "用户 " << r.name() << " 已停用；其令牌不再有效。\n";
  }
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
    *ctx.out << ctx.Ts(
                    "审计记录完整：每条记录都与其带密钥的校验链相符，"
                    "锚定的链端也都在。",
                    "The audit trail is intact: every event matches its "
                    "keyed checksum chain and the anchored ends are all "
                    "there.")
             << "\n";
  } else {
    for (const std::string& p : resp.problems()) *ctx.out << p << "\n";
  }
  if (!resp.intact()) {
    return LocalizedError(absl::StatusCode::kDataLoss, "审计记录已被篡改",
                          "the audit trail was tampered with");
  }
  return absl::OkStatus();
}

absl::Status Backup(CommandContext& ctx) {
  v1::BackupRequest r;
  // The name is the server's to resolve: in its backup folder.
  r.set_path(ctx.args.positional()[0]);
  v1::BackupResponse resp;
  RETURN_IF_ERROR(Call(ctx, &Stub::Backup, r, &resp));
  if (ctx.json) {
    Json j = Json::MakeObject();
    j.Set("path", resp.path());
    j.Set("bytes", static_cast<int64_t>(resp.bytes()));
    *ctx.out << j.Dump(2) << "\n";
  } else if (ctx.lang == Lang::kEn) {
    *ctx.out << "Backed up to " << resp.path() << " (" << resp.bytes()
             << " bytes).\n";
  } else {
    *ctx.out << "已备份到 " << resp.path() << "（" << resp.bytes()
             << " 字节）。\n";
  }
  return absl::OkStatus();
}

absl::Status Check(CommandContext& ctx) {
  v1::CheckDatabaseResponse resp;
  RETURN_IF_ERROR(
      Call(ctx, &Stub::CheckDatabase, v1::CheckDatabaseRequest(), &resp));
  // The result is "ok" or one line per problem, then any notes.
  std::vector<std::string> problems, notes;
  for (absl::string_view line : absl::StrSplit(resp.result(), '\n')) {
    if (line.empty() || line == "ok" || line == "正常") continue;
    (absl::StartsWith(line, "note: ") || absl::StartsWith(line, "说明：")
         ? notes
         : problems)
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
    *ctx.out << ctx.Ts(
                    "数据库检查：正常（存储引擎、表结构和触发器、每件申请与其"
                    "办理记录、年度报告统计数）",
                    "Database check: ok (engine, schema and triggers, every "
                    "case against its history, report counts)")
             << "\n";
  } else if (ctx.lang == Lang::kEn) {
    *ctx.out << "Database check FAILED: " << problems.size() << " problem"
             << (problems.size() == 1 ? "" : "s") << "\n";
    for (const std::string& p : problems) *ctx.out << "  " << p << "\n";
  } else {
    *ctx.out << "数据库检查未通过：" << problems.size() << " 个问题\n";
    for (const std::string& p : problems) *ctx.out << "  " << p << "\n";
  }
  if (!ctx.json) {
    for (const std::string& n : notes) *ctx.out << n << "\n";
  }
  return resp.ok()
             ? absl::OkStatus()
             : LocalizedError(absl::StatusCode::kDataLoss,
                              "数据库前后不一致：它在 gongkai 之外被修改过"
                              "（见 docs/security.md）",
                              "the database does not agree with itself: it "
                              "was changed outside gongkai (see "
                              "docs/security.md)");
}

// What each method does, in Chinese; the English is the matrix's own.
std::string WhatZh(const MethodPermission& p) {
  static const auto* const kWhat =
      new absl::flat_hash_map<std::string, std::string>{
          {"GetCase", "查看申请"},
          {"ListCases", "列出申请"},
          {"ExplainDeadline", "说明答复期限"},
          {"ListAlerts", "列出到期提醒"},
          {"WatchAlerts", "接收到期提醒"},
          {"AddWorkingDays", "推算工作日"},
          {"GetCalendarYear", "查看工作日历"},
          {"QuoteFee", "计算信息处理费"},
          {"GetReport", "生成年度报告"},
          {"ListAppeals", "列出复议诉讼"},
          {"GetProactive", "查看表二"},
          {"WhoAmI", "查看当前用户"},
          {"CreateCase", "登记申请"},
          {"RecordCorrection", "记录补正后的申请"},
          {"RecordConsultationReply", "记录征求意见的回复"},
          {"RecordConsultationReceipt", "记录对方收到征求意见书"},
          {"RecordFeePayment", "记录缴费"},
          {"WithdrawCase", "记录撤回申请"},
          {"AnswerCase", "答复申请"},
          {"MarkComplete", "记录审查完毕"},
          {"RequestCorrection", "发出补正告知"},
          {"StartConsultation", "征求意见"},
          {"SendFeeNotice", "发出收费通知"},
          {"AssignCase", "指定承办人"},
          {"CreateAppeal", "登记复议诉讼"},
          {"DecideAppeal", "记录复议诉讼结果"},
          {"ExtendDeadline", "同意延期答复"},
          {"PublishReport", "发布年度报告"},
          {"CreateUser", "添加用户"},
          {"ListUsers", "列出用户"},
          {"DisableUser", "停用用户"},
          {"RotateToken", "为用户签发新令牌"},
          {"LoadCalendar", "载入工作日历"},
          {"SetProactive", "录入表二数据"},
          {"ImportLedger", "导入台账"},
          {"Backup", "备份数据库"},
          {"CheckDatabase", "检查数据库"},
          {"CreateAgency", "添加机关"},
          {"ListAgencies", "列出机关"},
          {"ListAudit", "查看审计记录"},
          {"VerifyAudit", "核验审计链"},
          {"ExportLedger", "导出台账"},
      };
  auto it = kWhat->find(std::string(p.method));
  // A method added since this list was written shows its English words.
  return it == kWhat->end() ? std::string(p.what) : it->second;
}

absl::Status Permissions(CommandContext& ctx) {
  if (ctx.json) {
    Json list = Json::MakeArray();
    for (const MethodPermission& p : PermissionMatrix()) {
      Json j = Json::MakeObject();
      j.Set("method", std::string(p.method));
      Json roles = Json::MakeArray();
      for (Role r : AllRoles()) {
        if (Allowed(r, p.method)) roles.Push(std::string(RoleCode(r)));
      }
      j.Set("roles", roles);
      j.Set("every_agency", p.every_agency);
      j.Set("what", std::string(p.what));
      list.Push(std::move(j));
    }
    *ctx.out << list.Dump(2) << "\n";
    return absl::OkStatus();
  }
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> head = {ctx.Ts("方法", "method")};
  for (Role r : AllRoles()) head.push_back(std::string(RoleCode(r)));
  head.push_back(ctx.Ts("用途", "what"));
  rows.push_back(head);
  for (const MethodPermission& p : PermissionMatrix()) {
    std::vector<std::string> row = {std::string(p.method)};
    for (Role r : AllRoles()) {
      row.push_back(Allowed(r, p.method) ? ctx.Ts("可", "yes") : "-");
    }
    row.push_back(
        ctx.lang == Lang::kEn
            ? absl::StrCat(p.what, p.every_agency ? " (every agency only)" : "")
            : absl::StrCat(WhatZh(p),
                           p.every_agency ? "（仅限所有机关的用户）" : ""));
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
      return UsageError("--limit 须为正整数",
                        "--limit must be a positive number");
    }
    r.set_limit(limit);
  }
  v1::ListAuditResponse resp;
  RETURN_IF_ERROR(Call(ctx, &Stub::ListAudit, r, &resp));
  if (ctx.json) {
    Json list = Json::MakeArray();
    for (const v1::AuditEvent& e : resp.events()) {
      Json j = Json::MakeObject();
      j.Set("recorded_at", TextOrNull(e.recorded_at()));
      j.Set("actor", TextOrNull(e.actor()));
      j.Set("kind", e.kind());
      j.Set("subject", TextOrNull(e.subject()));
      j.Set("effective_on", DateJson(e.effective_on(), e.has_effective_on()));
      absl::StatusOr<Json> details = Json::Parse(e.details_json());
      j.Set("details", details.ok() ? *details : TextOrNull(e.details_json()));
      list.Push(std::move(j));
    }
    *ctx.out << list.Dump(2) << "\n";
    return absl::OkStatus();
  }
  std::vector<std::vector<std::string>> rows = {
      {ctx.Ts("记录时间", "Recorded"), ctx.Ts("用户", "User"),
       ctx.Ts("对象", "Subject"), ctx.Ts("事项", "Kind"),
       ctx.Ts("详情", "Details")}};
  for (const v1::AuditEvent& e : resp.events()) {
    rows.push_back({TimeText(e.recorded_at()), e.actor(), e.subject(), e.kind(),
                    e.details_json()});
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
  std::vector<std::vector<std::string>> rows = {
      {"#", ctx.Ts("记录时间", "Recorded"), ctx.Ts("用户", "User"),
       ctx.Ts("日期", "Date"), ctx.Ts("事项", "Event"),
       ctx.Ts("变化", "Change")}};
  for (const v1::CaseEvent& e : c.events()) {
    std::vector<std::string> changes;
    auto get = [&](const char* k) {
      auto it = e.details().find(k);
      return it == e.details().end() ? std::string() : it->second;
    };
    if (!get("state_before").empty()) {
      changes.push_back(absl::StrCat(ctx.Ts("状态 ", "state "),
                                     get("state_before"), " -> ",
                                     get("state_after")));
    }
    if (e.kind() == "assigned") {
      changes.push_back(absl::StrCat(ctx.Ts("承办人 '", "assignee '"),
                                     get("before"), "' -> '", get("after"),
                                     "'"));
    }
    if (e.kind() == "deadline_recalculated") {
      changes.push_back(absl::StrCat(ctx.Ts("答复期限 ", "due "), get("from"),
                                     " -> ", get("to")));
    }
    if (!get("forced").empty()) {
      changes.push_back(
          absl::StrCat(ctx.Ts("强制修改：", "forced: "), get("forced")));
    }
    // Corrections read in the reader's language from their details.
    auto detail = [&](absl::string_view k) {
      return get(std::string(k).c_str());
    };
    std::string summary = e.summary();
    if (e.kind() == "amended") summary = DescribeAmendment(detail, ctx.lang);
    if (e.kind() == "reopened") summary = DescribeReopening(detail, ctx.lang);
    rows.push_back({absl::StrCat(e.seq()), TimeText(e.recorded_at()), e.actor(),
                    DateText(e.effective_on()), summary,
                    absl::StrJoin(changes, "; ")});
  }
  *ctx.out << ctx.Ts("申请 ", "Case ") << Shown(c.case_no()) << "\n"
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
  if (ctx.json) {
    *ctx.out << CaseToJson(c, true).Dump(2) << "\n";
  } else if (ctx.lang == Lang::kEn) {
    *ctx.out << "Case " << c.case_no() << ": "
             << (c.assignee().empty() ? "unassigned"
                                      : "assigned to " + c.assignee())
             << "\n";
  } else {
    *ctx.out << "申请 " << c.case_no() << "："
             << (c.assignee().empty() ? "已取消承办人"
                                      : "承办人为 " + c.assignee())
             << "\n";
  }
  return absl::OkStatus();
}

}  // namespace

void AddAdminCommands(std::vector<Command>& table) {
  auto none = [](CLI::App&) {};
  auto name = [](CLI::App& app) {
    AddPositional(app, "NAME", {"账户名", "the account name"});
  };
  table.push_back(Command{"whoami",
                          {"显示令牌属于谁", "Show who the token belongs to"},
                          "",
                          none,
                          WhoAmI});
  table.push_back(Command{
      "admin user add",
      {"添加工作人员账户；输出其一次性令牌",
       "Add a staff account; prints its one-time token"},
      {"角色：clerk（登记申请、记录往来文书），handler（办理和答复），"
       "\nhead（同时同意延期答复和发布年度报告的负责人），admin（用户、"
       "\n工作日历、表二、导入、备份），auditor（只读，可查看审计记录）。",
       "Roles: clerk (logs requests, records correspondence), handler "
       "(processes and answers),\nhead (a handler who also approves "
       "extensions and publishes reports), admin (users,\ncalendar, table 2, "
       "imports, backups), auditor (read-only, with the audit trail)."},
      [](CLI::App& app) {
        AddPositional(app, "NAME", {"账户名", "the account name"});
        AddRequired(app, "role", "ROLE",
                    {"clerk | handler | head | admin | auditor",
                     "clerk | handler | head | admin | auditor"});
        AddOption(app, "agency", "A,B",
                  {"该用户所属的机关（默认：全部）",
                   "agencies the user works for (default: all)"});
      },
      UserAdd});
  table.push_back(Command{
      "admin agency add",
      {"添加共用本守护进程的机关（部门）",
       "Add a department (agency) that shares this daemon"},
      "",
      [](CLI::App& app) {
        AddPositional(app, "CODE",
                      {"机关的简短代码", "a short code for the agency"});
        AddRequired(
            app, "name", "NAME",
            {"机关全称，印在年度报告上", "its full name, printed on reports"});
      },
      AgencyAdd});
  table.push_back(Command{"admin agency list",
                          {"列出机关", "List the agencies"},
                          "",
                          none,
                          AgencyList});
  table.push_back(Command{
      "admin agency set",
      {"设置机关新申请的编号格式",
       "Set how an agency's new cases are numbered"},
      {"格式中须有一次 {n}，即顺序号（{n:4} 补足 4 位），可以有 "
       "{year}，即收到年份："
       "\n如 驻公信〔{year}〕{n}号 得到 "
       "驻公信〔2023〕47号。有自己格式的机关每年从 1 "
       "\n单独计数；'default' 恢复为 "
       "{year}-{n:4}（2023-0001）。已发出的编号不变。",
       "The pattern holds {n}, the sequence number (once; {n:4} pads it to 4 "
       "digits),\nand may hold {year}, the receipt year: e.g. "
       "GX-{year}-{n:3} gives GX-2023-047.\nAn agency with its "
       "own pattern counts from 1 each year on its own; 'default' goes\nback "
       "to {year}-{n:4} (2023-0001). Numbers already issued stay."},
      [](CLI::App& app) {
        AddPositional(app, "CODE", {"机关代码", "the agency's code"});
        AddRequired(app, "case-no-pattern", "PATTERN",
                    {"如 驻公信〔{year}〕{n}号，或 default",
                     "e.g. GX-{year}-{n:3}, or default"});
      },
      AgencySet});
  table.push_back(Command{"admin user list",
                          {"列出工作人员账户", "List staff accounts"},
                          "",
                          none,
                          UserList});
  table.push_back(Command{"admin user disable",
                          {"立即停用账户", "Disable an account at once"},
                          "",
                          name,
                          UserDisable});
  table.push_back(Command{
      "admin user enable",
      {"重新启用已停用的账户", "Let a disabled account in again"},
      {"账户原来的令牌重新有效；如可能已泄露，请更换令牌。",
       "The account's old token works again; rotate it if it may have leaked."},
      name,
      UserEnable});
  table.push_back(Command{
      "admin user set",
      {"更改账户的角色、所属机关或两者",
       "Change an account's role, agencies or both"},
      {"最后一个可管理全部机关的启用中管理员不能被降级或限定机关。",
       "The last enabled administrator of every agency cannot be demoted or "
       "confined."},
      [](CLI::App& app) {
        AddPositional(app, "NAME", {"账户名", "the account name"});
        AddOption(app, "role", "ROLE",
                  {"clerk | handler | head | admin | auditor",
                   "clerk | handler | head | admin | auditor"});
        AddOption(app, "agency", "A,B",
                  {"该用户所属的机关（'all'：全部机关）",
                   "the agencies the user works for ('all': every agency)"});
      },
      UserSet});
  table.push_back(Command{"admin user rotate-token",
                          {"签发新令牌；旧令牌随即失效",
                           "Issue a new token; the old one stops working"},
                          "",
                          name,
                          UserRotate});
  table.push_back(
      Command{"admin verify-audit",
              {"核验审计记录的校验链是否被篡改",
               "Check the audit trail's checksum chain for tampering"},
              "",
              none,
              VerifyAudit});
  table.push_back(Command{
      "admin backup",
      {"在服务不中断的情况下写出数据库的一致副本",
       "Write a consistent copy of the database while serving"},
      {"FILE 是守护进程备份目录中的新文件名（gongkaid --backup-dir；\n默认为"
       "数据库旁的 backups），或该目录中的绝对路径。它必须\n尚不存在。恢复"
       "方法见 docs/operations.md。",
       "FILE is a new file name in the daemon's backup folder (gongkaid "
       "--backup-dir;\nby default 'backups' beside the database), or an "
       "absolute path in it. It must\nnot exist. See docs/operations.md for "
       "restoring."},
      [](CLI::App& app) {
        AddPositional(app, "FILE", {"备份的文件名", "the backup's file name"});
      },
      Backup});
  table.push_back(Command{
      "admin check",
      {"核对数据库自身：表结构、触发器、申请、统计数",
       "Check the database against itself: schema, triggers, cases, counts"},
      {"运行 SQLite 的完整性检查，将表结构及其只允许追加的触发器与迁移脚本\n"
       "生成的结果比较，根据办理记录重新推导每件申请、根据申请重新推导年度\n"
       "报告统计数，并列出每一处差异（申请、字段、行中的值、按记录推导的值）。"
       "\n见 docs/security.md。",
       "Runs SQLite's integrity check, compares the schema and its "
       "append-only triggers\nwith what the migrations made, re-derives every "
       "case from its event history\nand the report counts from the cases, "
       "and lists every difference (case, field,\nvalue in the row, value "
       "from the history). See docs/security.md."},
      none,
      Check});
  table.push_back(Command{"admin permissions",
                          {"列出权限表", "Print the permission matrix"},
                          "",
                          none,
                          Permissions});
  table.push_back(Command{
      "audit",
      {"列出所有申请和记录上的操作（审计人员）",
       "List events across all cases and records (auditors)"},
      "",
      [](CLI::App& app) {
        AddOption(app, "since", "DATE",
                  {"DATE 当日或之后记录的", "recorded on or after DATE"});
        AddOption(app, "user", "NAME",
                  {"只列这个用户的操作", "only events by this user"});
        AddOption(
            app, "limit", "N",
            {"最多 N 条（默认 1000）", "at most N events (default 1000)"});
      },
      Audit});
  table.push_back(
      Command{"case history",
              {"列出一件申请的全部办理记录：时间、用户和变化",
               "Every event of a case with time, user and what changed"},
              "",
              [](CLI::App& app) {
                AddPositional(app, "NO", {"申请编号", "the case number"});
              },
              History});
  table.push_back(Command{
      "case assign",
      {"指定申请的承办人（'none' 取消指定）",
       "Make a handler responsible for a case ('none' unassigns)"},
      "",
      [](CLI::App& app) {
        AddPositional(app, "NO", {"申请编号", "the case number"});
        AddPositional(
            app, "USER",
            {"承办人的账户名，或 none", "the handler's account name, or none"});
      },
      Assign});
}

}  // namespace gongkai::cli

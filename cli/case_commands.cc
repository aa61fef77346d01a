// gongkai case new | show | list | answer
#include <fstream>
#include <iostream>
#include <sstream>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "cli/command.h"
#include "cli/render.h"
#include "common/status_macros.h"
#include "convert/proto_convert.h"
#include "domain/codes.h"
#include "gongkai/v1/admin_service.grpc.pb.h"
#include "gongkai/v1/case_service.grpc.pb.h"

namespace gongkai::cli {
namespace {

std::string OutcomeHelp() {
  std::string text = "Outcome codes (table 3 rows):\n";
  for (const OutcomeInfo& o : AllOutcomes()) {
    absl::StrAppend(&text, "  ", o.code, "  ", OutcomeRowLabel(o), "\n");
  }
  return text;
}

std::string ApplicantTypeHelp() {
  std::string text = "Applicant types:";
  for (const auto& t : AllApplicantTypes()) {
    absl::StrAppend(&text, " ", t.code, " (", t.label, ")");
  }
  return text;
}

absl::StatusOr<std::string> ReadTextFile(const std::string& path) {
  std::stringstream text;
  if (path == "-") {
    text << std::cin.rdbuf();
  } else {
    std::ifstream in(path, std::ios::binary);
    if (!in) return absl::NotFoundError(absl::StrCat("cannot read ", path));
    text << in.rdbuf();
  }
  return text.str();
}

absl::Status CaseNew(CommandContext& ctx) {
  const CommandArgs& a = ctx.args;
  v1::CreateCaseRequest request;
  ASSIGN_OR_RETURN(*request.mutable_received_on(),
                   DateArg(a.Get("received"), "--received"));
  ASSIGN_OR_RETURN(Channel channel, ParseChannel(a.Get("channel")));
  request.set_channel(ToProto(channel));
  ASSIGN_OR_RETURN(ApplicantType type,
                   ParseApplicantType(a.Get("applicant-type")));
  request.set_applicant_type(ToProto(type));
  request.set_applicant(a.Get("applicant"));
  if (a.Has("request") == a.Has("request-file")) {
    return absl::InvalidArgumentError(
        "usage: give the request text with exactly one of --request TEXT or "
        "--request-file FILE");
  }
  if (a.Has("request")) {
    request.set_request(a.Get("request"));
  } else {
    ASSIGN_OR_RETURN(std::string text, ReadTextFile(a.Get("request-file")));
    request.set_request(text);
  }
  request.set_contact(a.Get("contact"));
  request.set_id_number(a.Get("id-number"));
  request.set_case_no(a.Get("case-no"));
  request.set_agency(a.Get("agency"));

  auto stub = v1::CaseService::NewStub(ctx.Channel());
  v1::Case created;
  auto call = ctx.NewCall();
  grpc::Status s = stub->CreateCase(call.get(), request, &created);
  if (!s.ok()) return ctx.CallFailed(s);
  if (ctx.json) {
    *ctx.out << CaseToJson(created, true).Dump(2) << "\n";
  } else {
    *ctx.out << created.case_no() << "\n";
  }
  return absl::OkStatus();
}

absl::Status CaseShow(CommandContext& ctx) {
  auto stub = v1::CaseService::NewStub(ctx.Channel());
  v1::GetCaseRequest request;
  request.set_name(ctx.args.positional()[0]);
  request.set_reveal(ctx.args.Has("reveal"));
  v1::Case c;
  auto call = ctx.NewCall();
  grpc::Status s = stub->GetCase(call.get(), request, &c);
  if (!s.ok()) return ctx.CallFailed(s);
  if (ctx.json) {
    *ctx.out << CaseToJson(c, true).Dump(2) << "\n";
  } else {
    PrintCase(c, *ctx.out);
  }
  return absl::OkStatus();
}

absl::Status CaseList(CommandContext& ctx) {
  const CommandArgs& a = ctx.args;
  v1::ListCasesRequest request;
  if (a.Has("state")) {
    std::string state = a.Get("state");
    if (state == "open") {
      request.set_state(v1::ListCasesRequest::STATE_FILTER_OPEN);
    } else if (state == "closed") {
      request.set_state(v1::ListCasesRequest::STATE_FILTER_CLOSED);
    } else {
      return absl::InvalidArgumentError(absl::StrCat(
          "usage: --state must be open or closed, not '", state, "'"));
    }
  }
  if (a.Has("year")) {
    int year = 0;
    if (!absl::SimpleAtoi(a.Get("year"), &year) || year < 2008 || year > 9999) {
      return absl::InvalidArgumentError(
          absl::StrCat("usage: --year must be a year such as 2023, not '",
                       a.Get("year"), "'"));
    }
    request.set_receipt_year(year);
  }
  if (a.Has("applicant-type")) {
    ASSIGN_OR_RETURN(ApplicantType type,
                     ParseApplicantType(a.Get("applicant-type")));
    request.set_applicant_type(ToProto(type));
  }
  int limit = 0;
  if (a.Has("limit") &&
      (!absl::SimpleAtoi(a.Get("limit"), &limit) || limit < 1)) {
    return absl::InvalidArgumentError(
        "usage: --limit must be a positive number");
  }
  if (limit > 1000) {
    return absl::InvalidArgumentError(std::string(
        ctx.T("用法：--limit 最多为 1000；更多请用 --page-token 翻页",
              "usage: --limit is at most 1000; page on with --page-token")));
  }
  request.set_search(a.Get("search"));
  request.set_applicant(a.Get("applicant"));
  if (a.Has("received-from")) {
    ASSIGN_OR_RETURN(*request.mutable_received_from(),
                     DateArg(a.Get("received-from"), "--received-from"));
  }
  if (a.Has("received-to")) {
    ASSIGN_OR_RETURN(*request.mutable_received_to(),
                     DateArg(a.Get("received-to"), "--received-to"));
  }
  if (a.Has("outcome")) {
    ASSIGN_OR_RETURN(Outcome outcome, ParseOutcome(a.Get("outcome")));
    request.set_outcome(ToProto(outcome));
  }
  request.set_overdue(a.Has("overdue"));
  if (a.Has("sort")) {
    const std::string sort = a.Get("sort");
    if (sort == "received") {
      request.set_sort(v1::ListCasesRequest::SORT_RECEIVED);
    } else if (sort == "due") {
      request.set_sort(v1::ListCasesRequest::SORT_DUE);
    } else if (sort == "case_no") {
      request.set_sort(v1::ListCasesRequest::SORT_CASE_NO);
    } else {
      return absl::InvalidArgumentError(absl::StrCat(
          ctx.T("用法：--sort 只能是 received、due 或 case_no，不能是 '",
                "usage: --sort must be received, due or case_no, not '"),
          sort, "'"));
    }
  }
  request.set_page_token(a.Get("page-token"));
  if (a.Has("handler") && a.Has("mine")) {
    return absl::InvalidArgumentError(
        std::string(ctx.T("用法：--handler 和 --mine 只能选一个",
                          "usage: give --handler or --mine, not both")));
  }
  request.set_assignee(a.Get("handler"));
  if (ctx.args.Has("mine")) {
    auto admin = v1::AdminService::NewStub(ctx.Channel());
    v1::User me;
    auto who = ctx.NewCall();
    grpc::Status s = admin->WhoAmI(who.get(), v1::WhoAmIRequest(), &me);
    if (!s.ok()) return ctx.CallFailed(s);
    request.set_assignee(me.name());
  }
  // The daemon filters, orders and pages. With --limit (or --page-token)
  // one page is shown with the token of the next; without, every page.
  const bool one_page = limit > 0 || a.Has("page-token");
  request.set_page_size(limit > 0 ? limit : 1000);
  auto stub = v1::CaseService::NewStub(ctx.Channel());
  std::vector<v1::Case> cases;
  int64_t total = 0;
  std::string next_token;
  while (true) {
    v1::ListCasesResponse response;
    auto call = ctx.NewCall();
    grpc::Status s = stub->ListCases(call.get(), request, &response);
    if (!s.ok()) return ctx.CallFailed(s);
    total = response.total_size();
    for (v1::Case& c : *response.mutable_cases()) cases.push_back(std::move(c));
    next_token = response.next_page_token();
    if (next_token.empty() || one_page) break;
    request.set_page_token(next_token);
  }
  // How to get the next page; in JSON mode on stderr, so that stdout stays
  // the list of cases.
  const std::string next_hint =
      next_token.empty()
          ? std::string()
          : absl::StrCat(
                ctx.T("下一页：同样的选项再加 --page-token ",
                      "Next page: the same options with --page-token "),
                next_token, "\n");
  if (ctx.json) {
    Json list = Json::MakeArray();
    for (const v1::Case& c : cases) list.Push(CaseToJson(c, false));
    *ctx.out << list.Dump(2) << "\n";
    if (!next_hint.empty()) *ctx.err << next_hint;
    return absl::OkStatus();
  }
  if (cases.empty()) {
    *ctx.out << ctx.T("没有符合条件的案件。\n", "No cases match.\n");
    return absl::OkStatus();
  }
  PrintCaseTable(cases, *ctx.out, ctx.lang);
  *ctx.out << absl::StrCat(ctx.T("显示 ", ""), cases.size(),
                           ctx.T(" 件，共 ", " of "), total,
                           ctx.T(" 件\n", total == 1 ? " case\n" : " cases\n"));
  *ctx.out << next_hint;
  return absl::OkStatus();
}

absl::Status CaseAnswer(CommandContext& ctx) {
  const CommandArgs& a = ctx.args;
  v1::AnswerCaseRequest request;
  request.set_name(a.positional()[0]);
  ASSIGN_OR_RETURN(*request.mutable_answered_on(),
                   DateArg(a.Get("date"), "--date"));
  ASSIGN_OR_RETURN(Outcome outcome, ParseOutcome(a.Get("outcome")));
  request.set_outcome(ToProto(outcome));
  request.set_note(a.Get("note"));
  auto stub = v1::CaseService::NewStub(ctx.Channel());
  v1::Case c;
  auto call = ctx.NewCall();
  grpc::Status s = stub->AnswerCase(call.get(), request, &c);
  if (!s.ok()) return ctx.CallFailed(s);
  if (ctx.json) {
    *ctx.out << CaseToJson(c, true).Dump(2) << "\n";
  } else {
    *ctx.out << "Case " << c.case_no() << " closed on "
             << DateText(c.answered_on()) << ": " << Info(outcome).row << " "
             << Info(outcome).label << "\n";
  }
  return absl::OkStatus();
}

}  // namespace

void AddCaseCommands(std::vector<Command>& table) {
  table.push_back(Command{
      "case new", "Log a new application; prints its case number",
      absl::StrCat(
          "The receipt date (收到申请之日) starts the reply clock: for mail it "
          "is the day the office\nsigned for it; for ordinary letters, online "
          "and fax the day both sides confirmed.\nChannels: in_person (当面), "
          "mail (邮寄), letter (平常信函), online (互联网), fax (传真).\n",
          ApplicantTypeHelp(),
          "\nGive the request text with exactly one of --request or "
          "--request-file."),
      [](CLI::App& app) {
        AddRequired(app, "received", "DATE", "receipt date, YYYY-MM-DD");
        AddRequired(app, "channel", "CH",
                    "in_person | mail | letter | online | fax");
        AddRequired(app, "applicant-type", "TYPE",
                    "code or Chinese label, e.g. natural_person");
        AddRequired(app, "applicant", "NAME",
                    "applicant's name (at most 200 characters)");
        AddOption(app, "request", "TEXT",
                  "the information requested (at most 64 KiB)");
        AddOption(app, "request-file", "FILE",
                  "read the request text from FILE ('-': stdin)");
        AddOption(app, "contact", "TEXT", "address, phone or e-mail");
        AddOption(app, "id-number", "TEXT", "identity document number");
        AddOption(app, "case-no", "NO",
                  "case number to use instead of the next YYYY-NNNN");
        AddOption(app, "agency", "CODE",
                  "the department (default: your only one)");
      },
      CaseNew});
  table.push_back(Command{
      "case show", "Show one case with its deadline and history",
      "Identity numbers and contacts are masked unless --reveal is given by "
      "a\nrole that may see them (handler, head, auditor); every reveal is "
      "audited.",
      [](CLI::App& app) {
        AddPositional(app, "NO", "the case number (申请编号), e.g. 2023-0001");
        AddFlag(app, "reveal", "show personal data unmasked");
      },
      CaseShow});
  table.push_back(Command{
      "case list", "List and find cases, oldest receipt first",
      "Every filter runs in the daemon; filters combine (all must hold).\n"
      "--search finds words (two characters or more, e.g. 王五 or 规划) in\n"
      "the applicant, the request and the contact; several words separated\n"
      "by spaces must all occur. Closed cases show their answer date and\n"
      "outcome. With --limit N one page is shown, with the --page-token of\n"
      "the next.\n"
      "每个筛选条件都在服务端执行，多个条件须同时满足。--search "
      "在申请人、申请内容\n"
      "和联系方式中查找词语（至少两个字，如“王五”“规划”），多个词用空格分开。",
      [](CLI::App& app) {
        AddOption(app, "state", "open|closed",
                  "only open or only closed cases");
        AddOption(app, "year", "Y", "only cases received in year Y");
        AddOption(app, "applicant-type", "TYPE", "only this applicant type");
        AddOption(app, "search", "TEXT",
                  "words in the applicant, request or contact (2+ characters "
                  "each) / 按申请人、内容、联系方式查找");
        AddOption(app, "applicant", "NAME",
                  "part of the applicant's name / 申请人姓名（部分）");
        AddOption(app, "received-from", "DATE",
                  "received on or after DATE / 收到日期不早于");
        AddOption(app, "received-to", "DATE",
                  "received on or before DATE / 收到日期不晚于");
        AddOption(app, "outcome", "CODE",
                  "outcome code or label, as for case answer / 办理结果");
        AddOption(app, "handler", "USER",
                  "only cases assigned to USER / 承办人");
        AddFlag(app, "overdue",
                "open cases past their reply deadline today / 已逾期");
        AddOption(app, "sort", "received|due|case_no",
                  "order: receipt date (default), reply deadline or case "
                  "number / 排序");
        AddOption(app, "limit", "N",
                  "one page of at most N cases (1-1000) / 每页件数");
        AddOption(app, "page-token", "TOKEN",
                  "the next page, as the previous page printed / 翻页");
        AddFlag(app, "mine", "only cases assigned to me");
      },
      CaseList});
  table.push_back(Command{
      "case answer", "Close a case with its outcome (办理结果)", OutcomeHelp(),
      [](CLI::App& app) {
        AddPositional(app, "NO", "the case number");
        AddRequired(app, "date", "DATE", "date of the reply, YYYY-MM-DD");
        AddRequired(app, "outcome", "CODE",
                    "outcome code or its exact Chinese label");
        AddOption(app, "note", "TEXT", "free-text note on the reply");
      },
      CaseAnswer});
}

}  // namespace gongkai::cli

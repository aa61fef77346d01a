// gongkai case new | show | list | answer
#include <fstream>
#include <iostream>
#include <sstream>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "cli/command.h"
#include "cli/render.h"
#include "common/status_macros.h"
#include "convert/proto_convert.h"
#include "domain/codes.h"
#include "gongkai/v1/admin_service.grpc.pb.h"
#include "gongkai/v1/case_service.grpc.pb.h"

namespace gongkai::cli {
namespace {

// The outcome codes with their table 3 rows. The English help lists the
// codes only: the labels are the Chinese of the official form.
Text OutcomeHelp() {
  Text text{"办理结果代码（表三的行）：\n",
            "Outcome codes (table 3 rows):\n  "};
  std::vector<std::string> codes;
  for (const OutcomeInfo& o : AllOutcomes()) {
    absl::StrAppend(&text.zh, "  ", o.code, "  ", OutcomeRowLabel(o), "\n");
    codes.push_back(std::string(o.code));
  }
  absl::StrAppend(&text.en, absl::StrJoin(codes, ",\n  "), "\n");
  return text;
}

Text ApplicantTypeHelp() {
  Text text{"申请人类型：", "Applicant types:"};
  for (const auto& t : AllApplicantTypes()) {
    absl::StrAppend(&text.zh, " ", t.code, "（", t.label, "）");
    absl::StrAppend(&text.en, " ", t.code);
  }
  return text;
}

absl::StatusOr<std::string> ReadTextFile(const std::string& path) {
  std::stringstream text;
  if (path == "-") {
    text << std::cin.rdbuf();
  } else {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
      return LocalizedError(absl::StatusCode::kNotFound,
                            absl::StrCat("无法读取 ", path),
                            absl::StrCat("cannot read ", path));
    }
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
    return UsageError(
        "申请内容须用 --request TEXT 或 --request-file FILE 二者之一给出",
        "give the request text with exactly one of --request TEXT or "
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
    PrintCase(c, ctx.lang, *ctx.out);
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
      return UsageError(
          absl::StrCat("--state 须为 open 或 closed，而不是 '", state, "'"),
          absl::StrCat("--state must be open or closed, not '", state, "'"));
    }
  }
  if (a.Has("year")) {
    int year = 0;
    if (!absl::SimpleAtoi(a.Get("year"), &year) || year < 2008 || year > 9999) {
      return UsageError(
          absl::StrCat("--year 须为年份，如 2023，而不是 '", a.Get("year"),
                       "'"),
          absl::StrCat("--year must be a year such as 2023, not '",
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
    return UsageError("--limit 须为正整数",
                      "--limit must be a positive number");
  }
  if (limit > 1000) {
    return UsageError("--limit 最多为 1000；更多请用 --page-token 翻页",
                      "--limit is at most 1000; page on with --page-token");
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
      return UsageError(
          absl::StrCat("--sort 只能是 received、due 或 case_no，不能是 '", sort,
                       "'"),
          absl::StrCat("--sort must be received, due or case_no, not '", sort,
                       "'"));
    }
  }
  request.set_page_token(a.Get("page-token"));
  if (a.Has("handler") && a.Has("mine")) {
    return UsageError("--handler 和 --mine 只能选一个",
                      "give --handler or --mine, not both");
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
  bool more_than_total = false;
  std::string next_token;
  while (true) {
    v1::ListCasesResponse response;
    auto call = ctx.NewCall();
    grpc::Status s = stub->ListCases(call.get(), request, &response);
    if (!s.ok()) return ctx.CallFailed(s);
    total = response.total_size();
    more_than_total = response.total_is_lower_bound();
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
    *ctx.out << ctx.T("没有符合条件的案件。", "No cases match.") << "\n";
    return absl::OkStatus();
  }
  PrintCaseTable(cases, ctx.lang, *ctx.out);
  // Every page read from the first: the cases themselves are the count,
  // however far gongkaid counted.
  if (!one_page) {
    total = static_cast<int64_t>(cases.size());
    more_than_total = false;
  }
  if (more_than_total) {
    *ctx.out << ctx.T(absl::StrCat("显示 ", cases.size(), " 件，共 ", total,
                                   " 余件"),
                      absl::StrCat(cases.size(), " of more than ", total,
                                   " cases"))
             << "\n";
  } else if (ctx.lang == Lang::kEn) {
    *ctx.out << cases.size() << " of " << total << " case"
             << (total == 1 ? "" : "s") << "\n";
  } else {
    *ctx.out << "显示 " << cases.size() << " 件，共 " << total << " 件\n";
  }
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
    if (ctx.lang == Lang::kEn) {
      *ctx.out << "Case " << c.case_no() << " closed on "
               << DateText(c.answered_on()) << ": " << Info(outcome).code
               << "  " << OutcomeRowLabel(Info(outcome)) << "\n";
    } else {
      *ctx.out << "申请 " << c.case_no() << " 已于 "
               << DateText(c.answered_on()) << " 答复办结："
               << OutcomeRowLabel(Info(outcome)) << "\n";
    }
  }
  return absl::OkStatus();
}

}  // namespace

void AddCaseCommands(std::vector<Command>& table) {
  table.push_back(Command{
      "case new",
      {"登记新的申请；输出其申请编号",
       "Log a new application; prints its case number"},
      {absl::StrCat(
           "收到申请之日起算答复期限：邮寄的，为机关签收之日；平常信函、"
           "互联网渠道和传真的，为双方确认之日。\n申请方式：in_person（当面）、"
           "mail（邮寄）、letter（平常信函）、online（互联网）、fax（传真）。"
           "\n",
           ApplicantTypeHelp().zh,
           "\n申请内容用 --request 或 --request-file 二者之一给出。"),
       absl::StrCat(
           "The receipt date starts the reply clock: for mail it is the day "
           "the office\nsigned for it; for ordinary letters, online and fax "
           "the day both sides confirmed.\nChannels: in_person, mail, letter, "
           "online, fax.\n",
           ApplicantTypeHelp().en,
           "\nGive the request text with exactly one of --request or "
           "--request-file.")},
      [](CLI::App& app) {
        AddRequired(app, "received", "DATE",
                    {"收到申请日期，YYYY-MM-DD", "receipt date, YYYY-MM-DD"});
        AddRequired(app, "channel", "CH",
                    {"in_person | mail | letter | online | fax（或中文名称）",
                     "in_person | mail | letter | online | fax"});
        AddRequired(app, "applicant-type", "TYPE",
                    {"代码或中文名称，如 natural_person 或 自然人",
                     "code or Chinese label, e.g. natural_person"});
        AddRequired(app, "applicant", "NAME",
                    {"申请人姓名或名称（最多 200 个字符）",
                     "applicant's name (at most 200 characters)"});
        AddOption(app, "request", "TEXT",
                  {"所需信息的内容描述（最多 64 KiB）",
                   "the information requested (at most 64 KiB)"});
        AddOption(app, "request-file", "FILE",
                  {"从文件读取申请内容（'-'：标准输入）",
                   "read the request text from FILE ('-': stdin)"});
        AddOption(app, "contact", "TEXT",
                  {"通信地址、电话或电子邮箱", "address, phone or e-mail"});
        AddOption(app, "id-number", "TEXT",
                  {"身份证件号码", "identity document number"});
        AddOption(app, "case-no", "NO",
                  {"使用此申请编号，而不是下一个 YYYY-NNNN",
                   "case number to use instead of the next YYYY-NNNN"});
        AddOption(app, "agency", "CODE",
                  {"所属机关（默认：你唯一所属的机关）",
                   "the department (default: your only one)"});
      },
      CaseNew});
  table.push_back(Command{
      "case show",
      {"显示一件申请及其答复期限和办理记录",
       "Show one case with its deadline and history"},
      {"身份证件号码和联系方式默认遮盖；有权查看的角色（handler、head、auditor"
       "）"
       "\n给出 --reveal 时完整显示，每次查看都记入审计记录。",
       "Identity numbers and contacts are masked unless --reveal is given by "
       "a\nrole that may see them (handler, head, auditor); every reveal is "
       "audited."},
      [](CLI::App& app) {
        AddPositional(
            app, "NO",
            {"申请编号，如 2023-0001", "the case number, e.g. 2023-0001"});
        AddFlag(app, "reveal",
                {"不遮盖个人信息", "show personal data unmasked"});
      },
      CaseShow});
  table.push_back(Command{
      "case list",
      {"列出和查找申请，按收到日期从早到晚",
       "List and find cases, oldest receipt first"},
      {"每个筛选条件都在服务端执行，多个条件须同时满足。--search "
       "在申请人、申请内容\n"
       "和联系方式中查找词语（每个至少两个字，如“王五”“规划”），多个词用空格分"
       "开，\n"
       "须全部出现。已办结的申请显示答复日期和办理结果。给出 --limit N "
       "时只显示一页，\n"
       "并给出下一页的 --page-token。",
       "Every filter runs in the daemon; filters combine (all must hold).\n"
       "--search finds words (two characters or more each) in\n"
       "the applicant, the request and the contact; several words separated\n"
       "by spaces must all occur. Closed cases show their answer date and\n"
       "outcome. With --limit N one page is shown, with the --page-token of\n"
       "the next."},
      [](CLI::App& app) {
        AddOption(app, "state", "open|closed",
                  {"只列办理中（open）或已办结（closed）的申请",
                   "only open or only closed cases"});
        AddOption(app, "year", "Y",
                  {"只列 Y 年收到的申请", "only cases received in year Y"});
        AddOption(app, "applicant-type", "TYPE",
                  {"只列这类申请人的申请", "only this applicant type"});
        AddOption(app, "search", "TEXT",
                  {"在申请人、申请内容、联系方式中查找（每个词至少两个字）",
                   "words in the applicant, request or contact (2+ characters "
                   "each)"});
        AddOption(app, "applicant", "NAME",
                  {"申请人姓名或名称的一部分", "part of the applicant's name"});
        AddOption(app, "received-from", "DATE",
                  {"收到日期不早于 DATE", "received on or after DATE"});
        AddOption(app, "received-to", "DATE",
                  {"收到日期不晚于 DATE", "received on or before DATE"});
        AddOption(app, "outcome", "CODE",
                  {"办理结果（代码或标签，同 case answer）",
                   "outcome code or label, as for case answer"});
        AddOption(app, "handler", "USER",
                  {"只列由 USER 承办的申请", "only cases assigned to USER"});
        AddFlag(app, "overdue",
                {"只列今天已超过答复期限的办理中申请",
                 "open cases past their reply deadline today"});
        AddOption(app, "sort", "received|due|case_no",
                  {"排序：收到日期（默认）、答复期限或申请编号",
                   "order: receipt date (default), reply deadline or case "
                   "number"});
        AddOption(app, "limit", "N",
                  {"每页最多 N 件（1–1000）",
                   "one page of at most N cases (1-1000)"});
        AddOption(app, "page-token", "TOKEN",
                  {"下一页：上一页末尾给出的标记",
                   "the next page, as the previous page printed"});
        AddFlag(app, "mine",
                {"只列由我承办的申请", "only cases assigned to me"});
      },
      CaseList});
  table.push_back(Command{
      "case answer",
      {"答复并办结申请，记录办理结果", "Close a case with its outcome"},
      OutcomeHelp(),
      [](CLI::App& app) {
        AddPositional(app, "NO", {"申请编号", "the case number"});
        AddRequired(app, "date", "DATE",
                    {"答复日期，YYYY-MM-DD", "date of the reply, YYYY-MM-DD"});
        AddRequired(
            app, "outcome", "CODE",
            {"办理结果代码或中文名称", "outcome code or its Chinese label"});
        AddOption(app, "note", "TEXT",
                  {"答复的备注", "free-text note on the reply"});
      },
      CaseAnswer});
}

}  // namespace gongkai::cli

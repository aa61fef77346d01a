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
  request.set_page_size(1000);
  if (ctx.args.Has("mine")) {
    auto admin = v1::AdminService::NewStub(ctx.Channel());
    v1::User me;
    auto who = ctx.NewCall();
    grpc::Status s = admin->WhoAmI(who.get(), v1::WhoAmIRequest(), &me);
    if (!s.ok()) return ctx.CallFailed(s);
    request.set_assignee(me.name());
  }
  auto stub = v1::CaseService::NewStub(ctx.Channel());
  std::vector<v1::Case> cases;
  int64_t total = 0;
  while (true) {
    v1::ListCasesResponse response;
    auto call = ctx.NewCall();
    grpc::Status s = stub->ListCases(call.get(), request, &response);
    if (!s.ok()) return ctx.CallFailed(s);
    total = response.total_size();
    for (v1::Case& c : *response.mutable_cases()) {
      if (limit > 0 && static_cast<int>(cases.size()) >= limit) break;
      cases.push_back(std::move(c));
    }
    if (response.next_page_token().empty() ||
        (limit > 0 && static_cast<int>(cases.size()) >= limit)) {
      break;
    }
    request.set_page_token(response.next_page_token());
  }
  if (ctx.json) {
    Json list = Json::MakeArray();
    for (const v1::Case& c : cases) list.Push(CaseToJson(c, false));
    *ctx.out << list.Dump(2) << "\n";
    return absl::OkStatus();
  }
  if (cases.empty()) {
    *ctx.out << "No cases match.\n";
    return absl::OkStatus();
  }
  PrintCaseTable(cases, *ctx.out);
  *ctx.out << cases.size() << " of " << total << " case"
           << (total == 1 ? "" : "s") << "\n";
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
      "case list", "List cases, oldest receipt first", "",
      [](CLI::App& app) {
        AddOption(app, "state", "open|closed",
                  "only open or only closed cases");
        AddOption(app, "year", "Y", "only cases received in year Y");
        AddOption(app, "applicant-type", "TYPE", "only this applicant type");
        AddOption(app, "limit", "N", "at most N cases");
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

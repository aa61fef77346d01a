// gongkai report [publish|document|check|merge] | appeal new|decide|list |
// proactive set|show | import ledger | export ledger
#include <fstream>
#include <sstream>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "cli/command.h"
#include "cli/render.h"
#include "common/defaults.h"
#include "common/status_macros.h"
#include "convert/proto_convert.h"
#include "documents/report_document.h"
#include "domain/case.h"
#include "formats/csv.h"
#include "formats/report_layout.h"
#include "formats/report_render.h"
#include "gongkai/v1/report_service.grpc.pb.h"

namespace gongkai::cli {
namespace {

absl::StatusOr<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot read ", path));
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

absl::Status WriteFile(const std::string& path, const std::string& content) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out)
    return absl::PermissionDeniedError(absl::StrCat("cannot write ", path));
  out << content;
  out.close();
  if (!out)
    return absl::DataLossError(absl::StrCat("writing ", path, " failed"));
  return absl::OkStatus();
}

absl::StatusOr<int> YearArg(const CommandContext& ctx) {
  int year = 0;
  if (!absl::SimpleAtoi(ctx.args.Get("year"), &year) || year < 2008 ||
      year > 9999) {
    return absl::InvalidArgumentError(
        absl::StrCat("usage: --year must be a year such as 2023, not '",
                     ctx.args.Get("year"), "'"));
  }
  return year;
}

// Writes rendered output to --out, or to stdout.
absl::Status Emit(CommandContext& ctx, const std::string& content) {
  if (ctx.args.Has("out")) {
    RETURN_IF_ERROR(WriteFile(ctx.args.Get("out"), content));
    *ctx.err << "wrote " << ctx.args.Get("out") << "\n";
    return absl::OkStatus();
  }
  *ctx.out << content;
  return absl::OkStatus();
}

absl::Status Render(CommandContext& ctx, const AnnualReport& r,
                    const std::string& format) {
  if (format == "text") return Emit(ctx, ReportText(r));
  if (format == "md") return Emit(ctx, ReportMarkdown(r));
  if (format == "csv") return Emit(ctx, ReportCsv(r));
  if (format == "json") return Emit(ctx, ReportToJson(r).Dump(2) + "\n");
  if (format == "html") return Emit(ctx, ReportHtml(r));
  if (format == "xlsx") {
    if (!ctx.args.Has("out")) {
      return absl::InvalidArgumentError(
          "usage: --format xlsx needs --out FILE.xlsx");
    }
    RETURN_IF_ERROR(WriteReportXlsx(r, ctx.args.Get("out")));
    *ctx.err << "wrote " << ctx.args.Get("out") << "\n";
    return absl::OkStatus();
  }
  return absl::InvalidArgumentError(absl::StrCat(
      "usage: --format must be text, md, csv, json, html or xlsx, not '",
      format, "'"));
}

absl::StatusOr<v1::Report> FetchReport(CommandContext& ctx, int year) {
  auto stub = v1::ReportService::NewStub(ctx.Channel());
  v1::GetReportRequest request;
  request.set_year(year);
  request.set_agency(ctx.args.Get("agency"));
  v1::Report report;
  auto call = ctx.NewCall();
  grpc::Status s = stub->GetReport(call.get(), request, &report);
  if (!s.ok()) return ctx.CallFailed(s);
  return report;
}

absl::StatusOr<AnnualReport> Decode(const std::string& json,
                                    const std::string& what) {
  absl::StatusOr<Json> j = Json::Parse(json);
  if (!j.ok())
    return absl::InvalidArgumentError(
        absl::StrCat(what, ": ", j.status().message()));
  absl::StatusOr<AnnualReport> r = ReportFromJson(*j);
  if (!r.ok())
    return absl::InvalidArgumentError(
        absl::StrCat(what, ": ", r.status().message()));
  return r;
}

void PrintStatus(CommandContext& ctx, const v1::Report& report) {
  if (report.published()) {
    *ctx.err << "The " << report.year() << " report was published "
             << report.published_at() << ".";
    if (report.differences_size() == 0) {
      *ctx.err << " The records agree with the published figures.\n";
    } else {
      *ctx.err << " The records now differ from the published figures:\n";
      for (const std::string& d : report.differences())
        *ctx.err << "  " << d << "\n";
    }
  }
  for (const std::string& w : report.warnings())
    *ctx.err << "warning: " << w << "\n";
}

absl::Status Report(CommandContext& ctx) {
  ASSIGN_OR_RETURN(int year, YearArg(ctx));
  std::string format = ctx.json ? "json" : ctx.args.Get("format", "text");
  ASSIGN_OR_RETURN(v1::Report report, FetchReport(ctx, year));
  ASSIGN_OR_RETURN(AnnualReport r,
                   Decode(report.json(), "the server's report"));
  RETURN_IF_ERROR(Render(ctx, r, format));
  PrintStatus(ctx, report);
  return absl::OkStatus();
}

absl::Status Publish(CommandContext& ctx) {
  ASSIGN_OR_RETURN(int year, YearArg(ctx));
  auto stub = v1::ReportService::NewStub(ctx.Channel());
  v1::PublishReportRequest request;
  request.set_year(year);
  request.set_agency(ctx.args.Get("agency"));
  v1::Report report;
  auto call = ctx.NewCall();
  grpc::Status s = stub->PublishReport(call.get(), request, &report);
  if (!s.ok()) return ctx.CallFailed(s);
  if (ctx.json) {
    *ctx.out << report.json() << "\n";
  } else {
    *ctx.out << "The " << year
             << " report is published and its figures are frozen.\n";
  }
  return absl::OkStatus();
}

absl::Status Document(CommandContext& ctx) {
  ASSIGN_OR_RETURN(int year, YearArg(ctx));
  std::string out = ctx.args.Get("out");
  // The format: --format, else the --out file's extension, else Markdown.
  std::string format = ctx.args.Get("format");
  if (format.empty()) {
    for (const char* ext : {"md", "html", "docx", "pdf"}) {
      if (absl::EndsWith(out, absl::StrCat(".", ext))) format = ext;
    }
    if (absl::EndsWith(out, ".htm")) format = "html";
    if (format.empty()) format = "md";
  }
  if (format != "md" && format != "html" && format != "docx" &&
      format != "pdf") {
    return absl::InvalidArgumentError(
        absl::StrCat("usage: ",
                     ctx.T("--format 只能是 md、html、docx 或 pdf，不是 ",
                           "--format must be md, html, docx or pdf, not "),
                     format));
  }
  if (out.empty()) {
    out = absl::StrCat(year, "年政府信息公开工作年度报告.", format);
  }
  ASSIGN_OR_RETURN(std::string narrative, ReadFile(ctx.args.Get("narrative")));
  ASSIGN_OR_RETURN(v1::Report report, FetchReport(ctx, year));
  ASSIGN_OR_RETURN(AnnualReport r,
                   Decode(report.json(), "the server's report"));
  std::string doc;
  if (format == "docx") {
    ASSIGN_OR_RETURN(doc, documents::ReportDocx(r, narrative));
  } else if (format == "pdf") {
    ASSIGN_OR_RETURN(doc, documents::ReportPdf(r, narrative));
  } else {
    ASSIGN_OR_RETURN(doc, ReportDocument(r, narrative, format == "html"));
  }
  RETURN_IF_ERROR(WriteFile(out, doc));
  *ctx.out << ctx.T("已写入 ", "wrote ") << out << "\n";
  PrintStatus(ctx, report);
  return absl::OkStatus();
}

absl::Status Check(CommandContext& ctx) {
  const std::string& path = ctx.args.positional()[0];
  ASSIGN_OR_RETURN(std::string text, ReadFile(path));
  absl::StatusOr<std::vector<std::string>> problems = CheckTable3Csv(text);
  if (!problems.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, ": ", problems.status().message()));
  }
  if (ctx.json) {
    Json list = Json::MakeArray();
    for (const std::string& p : *problems) list.Push(p);
    Json j = Json::MakeObject();
    j.Set("file", path);
    j.Set("ok", problems->empty());
    j.Set("problems", list);
    *ctx.out << j.Dump(2) << "\n";
  } else if (problems->empty()) {
    *ctx.out << path << ": table 3 is consistent.\n";
  } else {
    *ctx.out << path << ": " << problems->size() << " broken rule"
             << (problems->size() == 1 ? "" : "s") << ":\n";
    for (const std::string& p : *problems) *ctx.out << "  " << p << "\n";
  }
  if (!problems->empty()) {
    return absl::FailedPreconditionError(
        absl::StrCat(problems->size(), " broken rule(s) in ", path));
  }
  return absl::OkStatus();
}

absl::Status Merge(CommandContext& ctx) {
  std::vector<AnnualReport> reports;
  for (const std::string& path : ctx.args.positional()) {
    ASSIGN_OR_RETURN(std::string text, ReadFile(path));
    ASSIGN_OR_RETURN(AnnualReport r, Decode(text, path));
    reports.push_back(std::move(r));
  }
  ASSIGN_OR_RETURN(AnnualReport merged,
                   MergeReports(reports, ctx.args.Get("agency")));
  return Render(ctx, merged,
                ctx.json ? "json" : ctx.args.Get("format", "json"));
}

Json AppealJson(const v1::Appeal& a) {
  Json j = Json::MakeObject();
  j.Set("id", static_cast<int64_t>(a.id()));
  j.Set("case_no", a.case_no());
  absl::StatusOr<AppealKind> kind = FromProto(a.kind());
  j.Set("kind", kind.ok() ? std::string(AppealKindCode(*kind)) : "");
  j.Set("filed_on", DateJson(a.filed_on(), a.has_filed_on()));
  absl::StatusOr<AppealResult> result = FromProto(a.result());
  j.Set("result", result.ok() ? Json(std::string(AppealResultCode(*result)))
                              : Json(nullptr));
  j.Set("decided_on", DateJson(a.decided_on(), a.has_decided_on()));
  return j;
}

absl::Status AppealNew(CommandContext& ctx) {
  v1::CreateAppealRequest r;
  r.set_case_no(ctx.args.Get("case"));
  ASSIGN_OR_RETURN(AppealKind kind, ParseAppealKind(ctx.args.Get("kind")));
  r.set_kind(ToProto(kind));
  ASSIGN_OR_RETURN(*r.mutable_filed_on(),
                   DateArg(ctx.args.Get("filed"), "--filed"));
  auto stub = v1::ReportService::NewStub(ctx.Channel());
  v1::Appeal a;
  auto call = ctx.NewCall();
  grpc::Status s = stub->CreateAppeal(call.get(), r, &a);
  if (!s.ok()) return ctx.CallFailed(s);
  if (ctx.json) {
    *ctx.out << AppealJson(a).Dump(2) << "\n";
  } else {
    *ctx.out << a.id() << "\n";
  }
  return absl::OkStatus();
}

absl::Status AppealDecide(CommandContext& ctx) {
  v1::DecideAppealRequest r;
  int64_t id = 0;
  if (!absl::SimpleAtoi(ctx.args.positional()[0], &id) || id < 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("usage: ID must be an appeal id (a number), not '",
                     ctx.args.positional()[0], "'"));
  }
  r.set_id(id);
  ASSIGN_OR_RETURN(AppealResult result,
                   ParseAppealResult(ctx.args.Get("result")));
  r.set_result(ToProto(result));
  ASSIGN_OR_RETURN(*r.mutable_decided_on(),
                   DateArg(ctx.args.Get("date"), "--date"));
  auto stub = v1::ReportService::NewStub(ctx.Channel());
  v1::Appeal a;
  auto call = ctx.NewCall();
  grpc::Status s = stub->DecideAppeal(call.get(), r, &a);
  if (!s.ok()) return ctx.CallFailed(s);
  if (ctx.json) {
    *ctx.out << AppealJson(a).Dump(2) << "\n";
  } else {
    *ctx.out << "Appeal " << a.id() << " decided: " << AppealResultCode(result)
             << "\n";
  }
  return absl::OkStatus();
}

absl::Status AppealList(CommandContext& ctx) {
  v1::ListAppealsRequest r;
  if (ctx.args.Has("year")) {
    ASSIGN_OR_RETURN(int year, YearArg(ctx));
    r.set_year(year);
  }
  auto stub = v1::ReportService::NewStub(ctx.Channel());
  v1::ListAppealsResponse resp;
  auto call = ctx.NewCall();
  grpc::Status s = stub->ListAppeals(call.get(), r, &resp);
  if (!s.ok()) return ctx.CallFailed(s);
  if (ctx.json) {
    Json list = Json::MakeArray();
    for (const v1::Appeal& a : resp.appeals()) list.Push(AppealJson(a));
    *ctx.out << list.Dump(2) << "\n";
    return absl::OkStatus();
  }
  if (resp.appeals_size() == 0) {
    *ctx.out << "No appeals.\n";
    return absl::OkStatus();
  }
  std::vector<std::vector<std::string>> rows = {{"ID", "编号 Case", "类别 Kind",
                                                 "提起 Filed", "结果 Result",
                                                 "审结 Decided"}};
  for (const v1::Appeal& a : resp.appeals()) {
    Json j = AppealJson(a);
    rows.push_back({absl::StrCat(a.id()), a.case_no(),
                    j.Find("kind")->as_string(), DateText(a.filed_on()),
                    j.Find("result")->is_null() ? "pending"
                                                : j.Find("result")->as_string(),
                    DateText(a.decided_on(), a.has_decided_on())});
  }
  *ctx.out << FormatTable(rows);
  return absl::OkStatus();
}

absl::Status ProactiveSet(CommandContext& ctx) {
  v1::SetProactiveRequest r;
  ASSIGN_OR_RETURN(int year, YearArg(ctx));
  r.set_year(year);
  r.set_item(ctx.args.Get("item"));
  r.set_agency(ctx.args.Get("agency"));
  auto count = [&](const char* flag, void (v1::SetProactiveRequest::*set)(
                                         int64_t)) -> absl::Status {
    if (!ctx.args.Has(flag)) return absl::OkStatus();
    int64_t v = 0;
    if (!absl::SimpleAtoi(ctx.args.Get(flag), &v) || v < 0) {
      return absl::InvalidArgumentError(absl::StrCat(
          "usage: --", flag, " must be a whole number of 0 or more, not '",
          ctx.args.Get(flag), "'"));
    }
    (r.*set)(v);
    return absl::OkStatus();
  };
  RETURN_IF_ERROR(count("issued", &v1::SetProactiveRequest::set_issued));
  RETURN_IF_ERROR(count("repealed", &v1::SetProactiveRequest::set_repealed));
  RETURN_IF_ERROR(count("in-force", &v1::SetProactiveRequest::set_in_force));
  RETURN_IF_ERROR(count("decisions", &v1::SetProactiveRequest::set_decisions));
  if (ctx.args.Has("amount-yuan")) {
    ASSIGN_OR_RETURN(int64_t fen, ParseYuan(ctx.args.Get("amount-yuan")));
    r.set_amount_fen(fen);
  }
  auto stub = v1::ReportService::NewStub(ctx.Channel());
  v1::ProactiveFigures figures;
  auto call = ctx.NewCall();
  grpc::Status s = stub->SetProactive(call.get(), r, &figures);
  if (!s.ok()) return ctx.CallFailed(s);
  *ctx.out << (ctx.json ? figures.json() + "\n"
                        : absl::StrCat("Table 2 of ", year, ": ", r.item(),
                                       " set.\n"));
  return absl::OkStatus();
}

absl::Status ProactiveShow(CommandContext& ctx) {
  ASSIGN_OR_RETURN(int year, YearArg(ctx));
  v1::GetProactiveRequest r;
  r.set_year(year);
  r.set_agency(ctx.args.Get("agency"));
  auto stub = v1::ReportService::NewStub(ctx.Channel());
  v1::ProactiveFigures figures;
  auto call = ctx.NewCall();
  grpc::Status s = stub->GetProactive(call.get(), r, &figures);
  if (!s.ok()) return ctx.CallFailed(s);
  if (ctx.json) {
    *ctx.out << figures.json() << "\n";
    return absl::OkStatus();
  }
  absl::StatusOr<Json> proactive = Json::Parse(figures.json());
  if (!proactive.ok()) return proactive.status();
  Json wrapper = Json::MakeObject();
  wrapper.Set("year", year);
  AnnualReport report;
  report.year = year;
  // Reuse the table 2 text layout.
  for (const ProactiveInfo& p : AllProactiveItems()) {
    const Json* item = proactive->Find(p.code);
    ProactiveRow& row = report.proactive[static_cast<int>(p.item) - 1];
    if (item == nullptr) continue;
    if (const Json* v = item->Find("issued")) row.issued = v->as_int();
    if (const Json* v = item->Find("repealed")) row.repealed = v->as_int();
    if (const Json* v = item->Find("in_force")) row.in_force = v->as_int();
    if (const Json* v = item->Find("decisions")) row.decisions = v->as_int();
    if (const Json* v = item->Find("amount_yuan")) {
      row.amount_fen = static_cast<int64_t>(v->as_double() * 100 + 0.5);
    }
  }
  std::string text = ReportText(report);
  *ctx.out << text.substr(0, text.find(kTable3Title));
  return absl::OkStatus();
}

absl::Status ImportLedger(CommandContext& ctx) {
  const std::string& path = ctx.args.positional()[0];
  ASSIGN_OR_RETURN(std::string content, ReadFile(path));
  if (content.size() > static_cast<size_t>(kMaxLedgerBytes)) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, " is larger than ", kMaxLedgerBytes >> 20,
                     " MiB, the most one import takes; split it"));
  }
  auto stub = v1::ReportService::NewStub(ctx.Channel());
  v1::ImportLedgerResponse resp;
  auto call = ctx.NewCall();
  call->set_deadline(std::chrono::system_clock::now() +
                     std::chrono::minutes(10));
  // The file goes in pieces: the daemon reads no message over 1 MiB.
  std::unique_ptr<grpc::ClientWriter<v1::ImportLedgerRequest>> writer =
      stub->ImportLedger(call.get(), &resp);
  v1::ImportLedgerRequest piece;
  piece.set_source(path);
  piece.set_agency(ctx.args.Get("agency"));
  size_t at = 0;
  do {
    piece.set_content(content.substr(at, kLedgerChunkBytes));
    at += piece.content().size();
    // A failed write means the server ended the call; Finish says why.
    if (!writer->Write(piece)) break;
    piece.clear_source();
    piece.clear_agency();
  } while (at < content.size());
  writer->WritesDone();
  grpc::Status s = writer->Finish();
  if (!s.ok()) return ctx.CallFailed(s);
  if (ctx.json) {
    Json j = Json::MakeObject();
    j.Set("imported", resp.imported());
    j.Set("already_imported", resp.already_imported());
    *ctx.out << j.Dump(2) << "\n";
  } else if (resp.already_imported()) {
    *ctx.out << "Nothing imported: " << path << " was already imported"
             << (resp.previous_import().empty()
                     ? ""
                     : " (" + resp.previous_import() + ")")
             << ".\n";
  } else {
    *ctx.out << "Imported " << resp.imported() << " case"
             << (resp.imported() == 1 ? "" : "s") << " from " << path << ".\n";
  }
  return absl::OkStatus();
}

absl::Status ExportLedger(CommandContext& ctx) {
  ASSIGN_OR_RETURN(int year, YearArg(ctx));
  const std::string format = ctx.args.Get("format", "csv");
  if (format != "csv" && format != "xlsx") {
    return absl::InvalidArgumentError("usage: --format must be csv or xlsx");
  }
  v1::ExportLedgerRequest r;
  r.set_year(year);
  r.set_agency(ctx.args.Get("agency"));
  auto stub = v1::ReportService::NewStub(ctx.Channel());
  v1::ExportLedgerResponse resp;
  auto call = ctx.NewCall();
  call->set_deadline(std::chrono::system_clock::now() +
                     std::chrono::minutes(10));
  grpc::Status s = stub->ExportLedger(call.get(), r, &resp);
  if (!s.ok()) return ctx.CallFailed(s);
  std::vector<std::string> header(resp.header().begin(), resp.header().end());
  std::vector<std::vector<std::string>> rows;
  for (const v1::LedgerRow& row : resp.rows()) {
    rows.emplace_back(row.cells().begin(), row.cells().end());
  }
  if (format == "xlsx") {
    if (!ctx.args.Has("out")) {
      return absl::InvalidArgumentError(
          "usage: --format xlsx needs --out FILE.xlsx");
    }
    RETURN_IF_ERROR(WriteLedgerXlsx(header, rows, ctx.args.Get("out")));
    *ctx.err << "wrote " << ctx.args.Get("out") << " (" << rows.size()
             << " cases)\n";
    return absl::OkStatus();
  }
  std::string csv = kUtf8Bom;
  AppendCsvRecord(&csv, header);
  for (const auto& row : rows) AppendCsvRecord(&csv, row);
  return Emit(ctx, csv);
}

void Year(CLI::App& app) { AddRequired(app, "year", "Y", "the report year"); }
void Agency(CLI::App& app) {
  AddOption(app, "agency", "CODE",
            "one agency (default: every agency you see)");
}
void Out(CLI::App& app) {
  AddOption(app, "out", "FILE", "write to FILE instead of standard output");
}

}  // namespace

void AddReportCommands(std::vector<Command>& table) {
  table.push_back(Command{
      "report",
      "The year-end report tables (表二、表三、表四) from the records",
      "Row 一 counts cases received in the year, 二 those received before and "
      "open on 1 January,\n三 those closed in the year by outcome, 四 those "
      "still open after 31 December.\nEvery consistency rule is verified "
      "before any output. After 'report publish' the\nreport also states any "
      "difference between the records and the published figures.",
      [](CLI::App& app) {
        Year(app);
        AddOption(app, "format", "FMT",
                  "text (default), md, csv, json, html or xlsx");
        Out(app);
        Agency(app);
      },
      Report});
  table.push_back(Command{
      "report publish", "Publish a year's report (发布): freeze its figures",
      "Afterwards a change to the records that would alter a published figure "
      "is refused\nunless forced with the global --force-reason TEXT.",
      [](CLI::App& app) {
        Year(app);
        AddOption(app, "agency", "CODE",
                  "one agency's report (default: the combined one)");
      },
      Publish});
  table.push_back(Command{
      "report document", "Assemble the full six-section report document",
      "The narrative is Markdown with placeholders filled from the report's "
      "JSON figures,\ne.g. {{requests.new.total}}, "
      "{{requests.carried_out.total}}, "
      "{{fees.collected_yuan}},\n{{year}}, {{agency}}. The tables go where "
      "{{table2}}, {{table3}}, {{table4}} stand,\nor right after the headings "
      "二、三、四、 when there is no placeholder.",
      [](CLI::App& app) {
        Year(app);
        AddRequired(app, "narrative", "FILE", "the narrative in Markdown");
        AddOption(app, "format", "md|html|docx|pdf",
                  HelpText("格式；默认按 --out 的扩展名，否则 md",
                           "the format; default from --out, else md"));
        AddOption(app, "out", "FILE",
                  HelpText("输出文件，默认 Y年政府信息公开工作年度报告.FMT",
                           "the file, default "
                           "Y年政府信息公开工作年度报告.FMT"));
        Agency(app);
      },
      Document});
  table.push_back(Command{
      "report check", "Check a typed table 3 and list every broken rule",
      "FILE.csv must have the layout of 'gongkai report --format csv'. Works "
      "without the daemon.",
      [](CLI::App& app) {
        AddPositional(app, "FILE.csv", "the table 3 to check");
      },
      Check});
  table.push_back(Command{
      "report merge", "Sum departments' JSON reports into one",
      "Works without the daemon. The totals are re-verified.",
      [](CLI::App& app) {
        AddPositionals(app, "FILE.json",
                       "reports written by 'gongkai report --format json'");
        AddOption(app, "agency", "NAME", "name of the combined report");
        AddOption(app, "format", "FMT",
                  "json (default), text, md, csv, html or xlsx");
        Out(app);
      },
      Merge});
  table.push_back(Command{
      "appeal new",
      "Record a reconsideration or lawsuit against a case; prints its id", "",
      [](CLI::App& app) {
        AddRequired(app, "case", "NO", "the case it challenges");
        AddRequired(app, "kind", "KIND",
                    "reconsideration (行政复议) | litigation_direct (直接起诉) "
                    "| litigation_after_reconsideration (复议后起诉)");
        AddRequired(app, "filed", "DATE", "date filed, YYYY-MM-DD");
      },
      AppealNew});
  table.push_back(Command{
      "appeal decide", "Record an appeal's result", "",
      [](CLI::App& app) {
        AddPositional(app, "ID", "the appeal id that 'appeal new' printed");
        AddRequired(app, "result", "RESULT",
                    "upheld (维持) | corrected (纠正) | other (其他)");
        AddRequired(app, "date", "DATE", "date decided, YYYY-MM-DD");
      },
      AppealDecide});
  table.push_back(Command{
      "appeal list", "List appeals (those in a year's table 4 with --year)", "",
      [](CLI::App& app) {
        AddOption(app, "year", "Y", "only appeals counted in year Y");
      },
      AppealList});
  table.push_back(Command{
      "proactive set", "Enter a year's table 2 figures (主动公开)",
      "Items: rules, normative_documents (--issued, --repealed, --in-force); "
      "licensing,\npunishment, enforcement (--decisions); fees (--amount-yuan, "
      "stored exactly,\nshown in 万元 with four decimals).",
      [](CLI::App& app) {
        Year(app);
        AddRequired(app, "item", "ITEM", "the row of table 2");
        AddOption(app, "issued", "N", "本年制发件数");
        AddOption(app, "repealed", "N", "本年废止件数");
        AddOption(app, "in-force", "N", "现行有效件数");
        AddOption(app, "decisions", "N", "本年处理决定数量");
        AddOption(app, "amount-yuan", "YUAN", "本年收费金额, in yuan");
        AddOption(app, "agency", "CODE", "the agency (default: your only one)");
      },
      ProactiveSet});
  table.push_back(Command{"proactive show", "Show a year's table 2 figures", "",
                          [](CLI::App& app) {
                            Year(app);
                            Agency(app);
                          },
                          ProactiveShow});
  table.push_back(Command{
      "import ledger", "Import a case ledger (台账): all rows or none",
      "Columns (any order): case_no, received_on, applicant_type, "
      "applicant_name, channel,\nrequest, answered_on, outcome; or 申请编号, "
      "收到日期, 申请人类型, 申请人, 申请方式,\n申请内容, 答复日期, 办理结果. "
      "UTF-8 with or without BOM. A missing channel is\nrecorded as "
      "in_person. Importing the same file again imports nothing.",
      [](CLI::App& app) {
        AddPositional(app, "FILE.csv", "the ledger");
        AddOption(app, "agency", "CODE", "the agency the cases belong to");
      },
      ImportLedger});
  table.push_back(
      Command{"export ledger", "Export every case received or closed in a year",
              "The CSV re-imports with 'gongkai import ledger'.",
              [](CLI::App& app) {
                Year(app);
                AddOption(app, "format", "FMT", "csv (default) or xlsx");
                Out(app);
                Agency(app);
              },
              ExportLedger});
}

}  // namespace gongkai::cli

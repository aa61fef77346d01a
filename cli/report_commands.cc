// gongkai report [publish|document|check|merge] | appeal new|decide|list |
// proactive set|show | import ledger | export ledger
#include <fstream>
#include <optional>
#include <sstream>

#include "CLI/CLI.hpp"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "cli/command.h"
#include "cli/render.h"
#include "common/dates.h"
#include "common/defaults.h"
#include "common/status_macros.h"
#include "convert/proto_convert.h"
#include "documents/report_document.h"
#include "domain/case.h"
#include "formats/csv.h"
#include "formats/ledger.h"
#include "formats/report_layout.h"
#include "formats/report_render.h"
#include "formats/text_encoding.h"
#include "gongkai/v1/report_service.grpc.pb.h"
#include "published/report_check.h"
#include "published/source_reader.h"

namespace gongkai::cli {
namespace {

absl::StatusOr<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return LocalizedError(absl::StatusCode::kNotFound,
                          absl::StrCat("无法读取 ", path),
                          absl::StrCat("cannot read ", path));
  }
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

absl::Status WriteFile(const std::string& path, const std::string& content) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) {
    return LocalizedError(absl::StatusCode::kPermissionDenied,
                          absl::StrCat("无法写入 ", path),
                          absl::StrCat("cannot write ", path));
  }
  out << content;
  out.close();
  if (!out) {
    return LocalizedError(absl::StatusCode::kDataLoss,
                          absl::StrCat("写入 ", path, " 失败"),
                          absl::StrCat("writing ", path, " failed"));
  }
  return absl::OkStatus();
}

absl::StatusOr<int> YearArg(const CommandContext& ctx) {
  int year = 0;
  if (!absl::SimpleAtoi(ctx.args.Get("year"), &year) || year < 2008 ||
      year > 9999) {
    return UsageError(absl::StrCat("--year 须为年份，如 2023，而不是 '",
                                   ctx.args.Get("year"), "'"),
                      absl::StrCat("--year must be a year such as 2023, not '",
                                   ctx.args.Get("year"), "'"));
  }
  return year;
}

// Writes rendered output to --out, or to stdout.
absl::Status Emit(CommandContext& ctx, const std::string& content) {
  if (ctx.args.Has("out")) {
    RETURN_IF_ERROR(WriteFile(ctx.args.Get("out"), content));
    *ctx.err << ctx.T("已写入 ", "wrote ") << ctx.args.Get("out") << "\n";
    return absl::OkStatus();
  }
  *ctx.out << content;
  return absl::OkStatus();
}

// What a report says about its publication, in the output itself: which
// figures these are and whether the records now differ from the published
// ones. Empty for an unpublished report, and for current figures that agree
// with the published ones.
struct PublicationNote {
  std::vector<std::string> lines;
  Json json;  // the "publication" member of the JSON output, or null
};

PublicationNote NoteOf(const CommandContext& ctx, const v1::Report* report) {
  PublicationNote note;
  if (report == nullptr || !report->published()) return note;
  const std::string at = ChinaTimeText(report->published_at());
  const std::string year = absl::StrCat(report->year());
  const bool differ = report->differences_size() > 0;
  if (report->shows_published()) {
    note.lines.push_back(absl::StrCat(
        ctx.T("以下是 ", "These are the figures of the "), year,
        ctx.T(" 年度报告发布时（", " report as published ("), at,
        ctx.T("）的数字。", ")."),
        differ ? ctx.T("现有记录与之不同：", " The records now differ:")
               : ctx.T("现有记录与之一致。", " The records agree with them.")));
  } else if (differ) {
    note.lines.push_back(absl::StrCat(
        ctx.T("注意：", "Note: "), year,
        ctx.T(" 年度报告已于 ", " report was published "), at,
        ctx.T(" 发布，以下按现有记录计算的数字与已发布的不同（已发布的数字用 "
              "--published 打印）：",
              "; these figures from the records now differ from the "
              "published ones (print those with --published):")));
  }
  for (const std::string& d : report->differences()) {
    if (!note.lines.empty()) note.lines.push_back(absl::StrCat("  ", d));
  }
  note.json = Json::MakeObject();
  note.json.Set("figures", report->shows_published() ? "published" : "current");
  note.json.Set("published_at", report->published_at());
  note.json.Set("differs", differ);
  Json differences = Json::MakeArray();
  for (const std::string& d : report->differences()) differences.Push(d);
  note.json.Set("differences", std::move(differences));
  return note;
}

absl::Status Render(CommandContext& ctx, const AnnualReport& r,
                    const std::string& format,
                    const v1::Report* from_server = nullptr) {
  const PublicationNote note = NoteOf(ctx, from_server);
  std::string lines;  // the note as plain lines
  for (const std::string& l : note.lines) absl::StrAppend(&lines, l, "\n");
  if (format == "text") {
    return Emit(ctx, lines.empty() ? ReportText(r)
                                   : absl::StrCat(lines, "\n", ReportText(r)));
  }
  if (format == "md") {
    std::string quoted;
    for (const std::string& l : note.lines) {
      absl::StrAppend(&quoted, "> ", l, "\n>\n");
    }
    return Emit(ctx, quoted.empty()
                         ? ReportMarkdown(r)
                         : absl::StrCat(quoted, "\n", ReportMarkdown(r)));
  }
  if (format == "csv") {
    // After the tables, where a reader of table 3 (report check) stops.
    std::string csv = ReportCsv(r);
    if (!note.lines.empty()) {
      csv.append("\r\n");
      for (const std::string& l : note.lines) AppendCsvRecord(&csv, {l});
    }
    return Emit(ctx, csv);
  }
  if (format == "json") {
    Json j = ReportToJson(r);
    j.Set("publication", from_server != nullptr && from_server->published()
                             ? note.json
                             : Json(nullptr));
    return Emit(ctx, j.Dump(2) + "\n");
  }
  if (format == "html") {
    std::string html = ReportHtml(r);
    if (!note.lines.empty()) {
      std::string p =
          "<div class=\"publication-note\" style=\"border:1px "
          "solid #c00;padding:0.5em;margin:1em 0\">";
      for (const std::string& l : note.lines) {
        absl::StrAppend(&p, "<p>", HtmlEscape(l), "</p>");
      }
      p.append("</div>\n");
      // Right after <body ...>, so that it is the first thing read.
      const size_t body = html.find("<body");
      const size_t open_end =
          body == std::string::npos ? std::string::npos : html.find('>', body);
      html.insert(open_end == std::string::npos ? 0 : open_end + 1, p);
    }
    return Emit(ctx, html);
  }
  if (format == "xlsx") {
    if (!ctx.args.Has("out")) {
      return UsageError("--format xlsx 需要 --out FILE.xlsx",
                        "--format xlsx needs --out FILE.xlsx");
    }
    RETURN_IF_ERROR(WriteReportXlsx(r, ctx.args.Get("out"), note.lines));
    *ctx.err << ctx.T("已写入 ", "wrote ") << ctx.args.Get("out") << "\n";
    return absl::OkStatus();
  }
  return UsageError(
      absl::StrCat("--format 须为 text、md、csv、json、html 或 xlsx，而不是 '",
                   format, "'"),
      absl::StrCat("--format must be text, md, csv, json, html or xlsx, not '",
                   format, "'"));
}

absl::StatusOr<v1::Report> FetchReport(CommandContext& ctx, int year) {
  auto stub = v1::ReportService::NewStub(ctx.Channel());
  v1::GetReportRequest request;
  request.set_year(year);
  request.set_agency(ctx.args.Get("agency"));
  request.set_published(ctx.args.Has("published"));
  v1::Report report;
  auto call = ctx.NewCall();
  grpc::Status s = stub->GetReport(call.get(), request, &report);
  if (!s.ok()) return ctx.CallFailed(s);
  return report;
}

// `what` names the document: {"服务器返回的报告", "the server's report"}
// or a file name.
absl::StatusOr<AnnualReport> Decode(const std::string& json, const Text& what) {
  absl::StatusOr<Json> j = Json::Parse(json);
  if (!j.ok()) {
    return PrefixError(absl::InvalidArgumentError(j.status().message()),
                       what.zh + "：", what.en + ": ");
  }
  absl::StatusOr<AnnualReport> r = ReportFromJson(*j);
  if (!r.ok()) {
    return PrefixError(r.status(), what.zh + "：", what.en + ": ");
  }
  return r;
}

void PrintStatus(CommandContext& ctx, const v1::Report& report) {
  if (report.published()) {
    if (ctx.lang == Lang::kEn) {
      *ctx.err << "The " << report.year() << " report was published "
               << TimeText(report.published_at()) << ".";
    } else {
      *ctx.err << report.year() << " 年度报告已于 "
               << TimeText(report.published_at()) << " 发布。";
    }
    if (report.differences_size() == 0) {
      *ctx.err << ctx.T("记录与已发布的数字一致。",
                        " The records agree with the published figures.")
               << "\n";
    } else {
      *ctx.err << ctx.T("记录现在与已发布的数字不同：",
                        " The records now differ from the published figures:")
               << "\n";
      for (const std::string& d : report.differences())
        *ctx.err << "  " << d << "\n";
    }
  }
  for (const std::string& w : report.warnings())
    *ctx.err << ctx.T("警告：", "warning: ") << w << "\n";
}

absl::Status Report(CommandContext& ctx) {
  ASSIGN_OR_RETURN(int year, YearArg(ctx));
  std::string format = ctx.json ? "json" : ctx.args.Get("format", "text");
  ASSIGN_OR_RETURN(v1::Report report, FetchReport(ctx, year));
  ASSIGN_OR_RETURN(
      AnnualReport r,
      Decode(report.json(), {"服务器返回的报告", "the server's report"}));
  RETURN_IF_ERROR(Render(ctx, r, format, &report));
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
    *ctx.out << (ctx.lang == Lang::kEn
                     ? absl::StrCat("The ", year,
                                    " report is published and its figures "
                                    "are frozen.")
                     : absl::StrCat(year, " 年度报告已发布，其数字已固定。"))
             << "\n";
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
    return UsageError(
        absl::StrCat("--format 只能是 md、html、docx 或 pdf，不是 ", format),
        absl::StrCat("--format must be md, html, docx or pdf, not ", format));
  }
  if (out.empty()) {
    out = absl::StrCat(year, "年政府信息公开工作年度报告.", format);
  }
  ASSIGN_OR_RETURN(std::string narrative, ReadFile(ctx.args.Get("narrative")));
  ASSIGN_OR_RETURN(v1::Report report, FetchReport(ctx, year));
  ASSIGN_OR_RETURN(
      AnnualReport r,
      Decode(report.json(), {"服务器返回的报告", "the server's report"}));
  std::string doc;
  if (format == "docx") {
    ASSIGN_OR_RETURN(doc, documents::ReportDocx(r, narrative));
  } else if (format == "pdf") {
    ASSIGN_OR_RETURN(doc, documents::ReportPdf(r, narrative));
  } else {
    ASSIGN_OR_RETURN(doc, ReportDocument(r, narrative, format == "html"));
  }
  RETURN_IF_ERROR(WriteFile(out, doc));
  if (ctx.json) {
    Json j = Json::MakeObject();
    j.Set("file", out);
    j.Set("format", format);
    *ctx.out << j.Dump(2) << "\n";
  } else {
    *ctx.out << ctx.T("已写入 ", "wrote ") << out << "\n";
  }
  PrintStatus(ctx, report);
  return absl::OkStatus();
}

// A published report file read into a Source, its path in errors.
absl::StatusOr<published::Source> ReadPublished(const std::string& path) {
  ASSIGN_OR_RETURN(std::string bytes, ReadFile(path));
  absl::StatusOr<published::Source> source = published::ReadSource(bytes, path);
  if (!source.ok()) {
    return PrefixError(source.status(), path + "：", path + ": ");
  }
  return source;
}

absl::Status Check(CommandContext& ctx) {
  const std::string& path = ctx.args.positional()[0];
  ASSIGN_OR_RETURN(published::Source source, ReadPublished(path));
  std::optional<published::Source> previous;
  if (ctx.args.Has("previous")) {
    ASSIGN_OR_RETURN(previous, ReadPublished(ctx.args.Get("previous")));
  }
  std::vector<published::Source> children;
  for (const std::string& child : ctx.args.GetAll("children")) {
    ASSIGN_OR_RETURN(published::Source s, ReadPublished(child));
    children.push_back(std::move(s));
  }
  published::CheckInputs inputs;
  if (previous) inputs.previous = &*previous;
  for (const published::Source& c : children) inputs.children.push_back(&c);
  const published::CheckResult result =
      published::CheckPublishedReport(source, inputs);
  if (ctx.json) {
    *ctx.out << published::CheckJson(result, ctx.lang).Dump(2) << "\n";
  } else {
    *ctx.out << published::CheckSummary(result, ctx.lang);
  }
  if (!result.consistent()) {
    int errors = 0;
    for (const published::Finding& f : result.findings) {
      if (f.severity == published::Severity::kError) ++errors;
    }
    // With --json the findings above are the answer ("consistent": false).
    return ReportedInJson(
        LocalizedError(absl::StatusCode::kFailedPrecondition,
                       absl::StrCat(path, " 有 ", errors, " 个错误"),
                       absl::StrCat(errors, " error(s) in ", path)));
  }
  return absl::OkStatus();
}

// One input of `report merge`: a JSON report written by gongkai, or a
// published report in any format ReadSource reads. A JSON document that is
// not a gongkai report is refused as such, not read as a table.
absl::StatusOr<AnnualReport> MergeInput(const std::string& path) {
  ASSIGN_OR_RETURN(std::string bytes, ReadFile(path));
  if (Json::Parse(bytes).ok()) return Decode(bytes, Text(path));
  absl::StatusOr<published::Source> source = published::ReadSource(bytes, path);
  if (!source.ok()) {
    return PrefixError(source.status(), path + "：", path + ": ");
  }
  return published::ToAnnualReport(*source);
}

absl::Status Merge(CommandContext& ctx) {
  std::vector<AnnualReport> reports;
  for (const std::string& path : ctx.args.positional()) {
    ASSIGN_OR_RETURN(AnnualReport r, MergeInput(path));
    reports.push_back(std::move(r));
  }
  // A published file that states no year takes the year of the others.
  int year = 0;
  for (const AnnualReport& r : reports) {
    if (r.year != 0) year = r.year;
  }
  if (ctx.args.Has("year")) {
    ASSIGN_OR_RETURN(year, YearArg(ctx));
  }
  for (AnnualReport& r : reports) {
    if (r.year == 0) r.year = year;
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
  j.Set("kind",
        kind.ok() ? Json(std::string(AppealKindCode(*kind))) : Json(nullptr));
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
    return UsageError(absl::StrCat("ID 须为复议诉讼编号（一个数字），而不是 '",
                                   ctx.args.positional()[0], "'"),
                      absl::StrCat("ID must be an appeal id (a number), not '",
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
    *ctx.out << ctx.T("复议诉讼 ", "Appeal ") << a.id()
             << ctx.T(" 已审结：", " decided: ") << AppealResultCode(result)
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
    *ctx.out << ctx.Ts("没有复议诉讼。", "No appeals.") << "\n";
    return absl::OkStatus();
  }
  std::vector<std::vector<std::string>> rows = {
      {"ID", ctx.Ts("申请编号", "Case"), ctx.Ts("类别", "Kind"),
       ctx.Ts("提起日期", "Filed"), ctx.Ts("结果", "Result"),
       ctx.Ts("审结日期", "Decided")}};
  for (const v1::Appeal& a : resp.appeals()) {
    Json j = AppealJson(a);
    rows.push_back(
        {absl::StrCat(a.id()), a.case_no(),
         j.Find("kind")->is_null() ? "-" : j.Find("kind")->as_string(),
         DateText(a.filed_on()),
         j.Find("result")->is_null() ? ctx.Ts("未审结", "pending")
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
      return UsageError(
          absl::StrCat("--", flag, " 须为 0 或更大的整数，而不是 '",
                       ctx.args.Get(flag), "'"),
          absl::StrCat("--", flag,
                       " must be a whole number of 0 or more, not '",
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
               : ctx.lang == Lang::kEn
                   ? absl::StrCat("Table 2 of ", year, ": ", r.item(),
                                  " set.\n")
                   : absl::StrCat(year, " 年表二：已录入 ", r.item(), "。\n"));
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
    return LocalizedError(
        absl::StatusCode::kInvalidArgument,
        absl::StrCat(path, " 超过 ", kMaxLedgerBytes >> 20,
                     " MiB，即一次导入的上限；请拆分后导入"),
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
    // How the daemon read the file; null when it was not read (already
    // imported) or the value does not apply (a workbook has no encoding).
    auto text_or_null = [](const std::string& v) {
      return v.empty() ? Json() : Json(v);
    };
    j.Set("format", text_or_null(resp.format()));
    j.Set("encoding", text_or_null(resp.encoding()));
    j.Set("sheet", text_or_null(resp.sheet()));
    *ctx.out << j.Dump(2) << "\n";
  } else if (resp.already_imported()) {
    if (ctx.lang == Lang::kEn) {
      *ctx.out << "Nothing imported: " << path << " was already imported"
               << (resp.previous_import().empty()
                       ? ""
                       : " (" + resp.previous_import() + ")")
               << ".\n";
    } else {
      *ctx.out << "未导入任何记录：" << path << " 已经导入过"
               << (resp.previous_import().empty()
                       ? ""
                       : "（" + resp.previous_import() + "）")
               << "。\n";
    }
  } else {
    // Which encoding or sheet was read, so that a clerk whose file was read
    // otherwise than meant sees it at once.
    std::string how;
    if (resp.format() == "xlsx") {
      how = absl::StrCat(
          ctx.T("Excel 工作簿，工作表“", "Excel workbook, sheet '"),
          resp.sheet(), ctx.T("”", "'"));
    } else {
      TextEncoding encoding = TextEncoding::kUtf8;
      if (resp.encoding() == EncodingCode(TextEncoding::kGb18030)) {
        encoding = TextEncoding::kGb18030;
      } else if (resp.encoding() == EncodingCode(TextEncoding::kUtf8Bom)) {
        encoding = TextEncoding::kUtf8Bom;
      }
      how = absl::StrCat(ctx.T("CSV，编码 ", "CSV, encoding "),
                         EncodingName(encoding, ctx.lang));
    }
    if (ctx.lang == Lang::kEn) {
      *ctx.out << "Imported " << resp.imported() << " case"
               << (resp.imported() == 1 ? "" : "s") << " from " << path << " ("
               << how << ").\n";
    } else {
      *ctx.out << "已从 " << path << " 导入 " << resp.imported() << " 件案件（"
               << how << "）。\n";
    }
  }
  return absl::OkStatus();
}

absl::Status ExportLedger(CommandContext& ctx) {
  ASSIGN_OR_RETURN(int year, YearArg(ctx));
  const std::string format = ctx.args.Get("format", "csv");
  if (format != "csv" && format != "xlsx") {
    return UsageError("--format 须为 csv 或 xlsx",
                      "--format must be csv or xlsx");
  }
  v1::ExportLedgerRequest r;
  r.set_year(year);
  r.set_agency(ctx.args.Get("agency"));
  r.set_codes(ctx.args.Has("codes"));
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
      return UsageError("--format xlsx 需要 --out FILE.xlsx",
                        "--format xlsx needs --out FILE.xlsx");
    }
    RETURN_IF_ERROR(WriteLedgerXlsx(header, rows, ctx.args.Get("out")));
    if (ctx.lang == Lang::kEn) {
      *ctx.err << "wrote " << ctx.args.Get("out") << " (" << rows.size()
               << " cases)\n";
    } else {
      *ctx.err << "已写入 " << ctx.args.Get("out") << "（" << rows.size()
               << " 件案件）\n";
    }
    return absl::OkStatus();
  }
  if (ctx.json) {
    Json j = Json::MakeObject();
    Json head = Json::MakeArray();
    for (const std::string& h : header) head.Push(h);
    Json list = Json::MakeArray();
    for (const auto& row : rows) {
      Json cells = Json::MakeArray();
      for (const std::string& cell : row) cells.Push(TextOrNull(cell));
      list.Push(std::move(cells));
    }
    j.Set("header", head);
    j.Set("rows", list);
    return Emit(ctx, j.Dump(2) + "\n");
  }
  return Emit(ctx, LedgerCsv(header, rows));
}

void Year(CLI::App& app) {
  AddRequired(app, "year", "Y", {"报告年度", "the report year"});
}
void Agency(CLI::App& app) {
  AddOption(app, "agency", "CODE",
            {"只统计一个机关（默认：你能看到的全部机关）",
             "one agency (default: every agency you see)"});
}
void Out(CLI::App& app) {
  AddOption(
      app, "out", "FILE",
      {"写入 FILE 而不是标准输出", "write to FILE instead of standard output"});
}

}  // namespace

void AddReportCommands(std::vector<Command>& table) {
  table.push_back(Command{
      "report",
      {"根据记录生成年度报告的表二、表三、表四",
       "The year-end report tables (2, 3, 4) from the records"},
      {"第一行统计本年新收的申请，第二行统计上年结转、1 月 1 日仍在办理的申请，"
       "\n第三行按办理结果统计本年办结的申请，第四行统计 12 月 31 日后结转下年"
       "的申请。\n输出前核验每一条一致性规则。'report publish' 之后，报告还会"
       "说明记录与\n已发布数字的任何差异。",
       "Row 1 counts cases received in the year, row 2 those received before "
       "and open on 1 January,\nrow 3 those closed in the year by outcome, "
       "row 4 those still open after 31 December.\nEvery consistency rule is "
       "verified before any output. After 'report publish' the\nreport also "
       "states any difference between the records and the published "
       "figures."},
      [](CLI::App& app) {
        Year(app);
        AddOption(app, "format", "FMT",
                  {"text（默认）、md、csv、json、html 或 xlsx",
                   "text (default), md, csv, json, html or xlsx"});
        Out(app);
        Agency(app);
        AddFlag(app, "published",
                {"显示已发布的数字，而不是按现有记录统计的数字",
                 "the figures as published, not as the records give them "
                 "now"});
      },
      Report});
  table.push_back(Command{
      "report publish",
      {"发布一个年度的报告：固定其数字",
       "Publish a year's report: freeze its figures"},
      {"此后，会改变已发布数字的记录修改将被拒绝，除非用全局选项\n"
       "--force-reason TEXT 强制修改。",
       "Afterwards a change to the records that would alter a published "
       "figure is refused\nunless forced with the global --force-reason "
       "TEXT."},
      [](CLI::App& app) {
        Year(app);
        AddOption(app, "agency", "CODE",
                  {"一个机关的报告（默认：合并的报告）",
                   "one agency's report (default: the combined one)"});
      },
      Publish});
  table.push_back(Command{
      "report document",
      {"组装完整的六部分年度报告文本",
       "Assemble the full six-section report document"},
      {"正文为 Markdown，其中的占位符由报告的 JSON 数字填入，\n如 "
       "{{requests.new.total}}、{{requests.carried_out.total}}、"
       "{{fees.collected_yuan}}、\n{{year}}、{{agency}}。表格放在 {{table2}}、"
       "{{table3}}、{{table4}} 所在位置，\n没有占位符时紧接在标题 二、三、四、 "
       "之后。",
       "The narrative is Markdown with placeholders filled from the report's "
       "JSON figures,\ne.g. {{requests.new.total}}, "
       "{{requests.carried_out.total}}, {{fees.collected_yuan}},\n{{year}}, "
       "{{agency}}. The tables go where {{table2}}, {{table3}}, {{table4}} "
       "stand,\nor right after the headings of sections 2, 3 and 4 when there "
       "is no placeholder."},
      [](CLI::App& app) {
        Year(app);
        AddRequired(app, "narrative", "FILE",
                    {"Markdown 格式的正文", "the narrative in Markdown"});
        AddOption(app, "format", "md|html|docx|pdf",
                  {"格式；默认按 --out 的扩展名，否则 md",
                   "the format; default from --out, else md"});
        AddOption(app, "out", "FILE",
                  {"输出文件，默认 Y年政府信息公开工作年度报告.FMT",
                   "the file; by default the report's Chinese title for "
                   "year Y, with the format as extension"});
        Agency(app);
      },
      Document});
  table.push_back(Command{
      "report check",
      {"检查已发布的年度报告：表二、表三、表四、正文数字，列出每一条问题",
       "Check a published annual report: tables 2-4 and the text, every "
       "problem listed"},
      {"FILE 可以是 CSV（UTF-8、GBK/GB18030、UTF-16）、XLSX、报告网页的 HTML "
       "或 DOCX。\n"
       "标签按人读的方式对应官方行（全角半角、空格、换行、引号不计；已知的"
       "其他写法和\n小错字对应到官方行并给出警告）；空白、“/”“—”“无”按 0 "
       "读取；无法读取的单元格\n是错误，不按 0 计算；不能检查的规则逐条说明。"
       "识别 2021 年版和 2019 年试行版。\n"
       "--previous 核对本年 二 行与上年 四 行；--children 核对本报告等于各下级"
       "报告之和。\n有错误时退出状态非零。无需守护进程。",
       "FILE is a CSV (UTF-8, GBK/GB18030, UTF-16), XLSX, the HTML of a "
       "report page or DOCX.\nLabels are matched to the official rows the "
       "way a person reads them (width, spaces,\nline breaks and quotes "
       "ignored; known variants and small typos matched with a warning);\n"
       "blank cells, '/', dashes and the word for 'none' read as 0; a cell "
       "that cannot be read\nis an error, never 0; a rule that could not run "
       "is named. The 2021 and 2019 trial\nlayouts are recognised. "
       "--previous checks this year's row 2 against last year's row 4;\n"
       "--children checks that this report is the sum of the given ones. "
       "Exit status non-zero\non any error. Works without the daemon."},
      [](CLI::App& app) {
        AddPositional(app, "FILE", {"要检查的报告", "the report to check"});
        AddOption(app, "previous", "FILE",
                  {"上一年度的报告", "last year's report"});
        AddOption(app, "children", "FILE...",
                  {"应与本报告合计相等的下级报告",
                   "reports this one must be the sum of"})
            ->expected(1, 1000);
      },
      Check});
  table.push_back(Command{
      "report merge",
      {"把各部门的报告合并为一份", "Sum departments' reports into one"},
      {"输入可以是 'gongkai report --format json' 写出的 JSON，也可以是已发布"
       "的报告\n（CSV、XLSX、HTML、DOCX，与 report check 读取的相同；有错误的"
       "报告不合并）。\n无需守护进程。合计数会重新核验。",
       "Inputs are JSON reports written by 'gongkai report --format json' or "
       "published reports\n(CSV, XLSX, HTML, DOCX, read as report check reads "
       "them; one with errors is not\nmerged). Works without the daemon. The "
       "totals are re-verified."},
      [](CLI::App& app) {
        AddPositionals(app, "FILE",
                       {"要合并的报告（JSON 或已发布的报告）",
                        "the reports to merge (JSON or published)"});
        AddOption(app, "agency", "NAME",
                  {"合并后报告的名称", "name of the combined report"});
        AddOption(app, "year", "Y",
                  {"报告年度（已发布的报告未写明年度时）",
                   "the report year (when published files do not state "
                   "it)"});
        AddOption(app, "format", "FMT",
                  {"json（默认）、text、md、csv、html 或 xlsx",
                   "json (default), text, md, csv, html or xlsx"});
        Out(app);
      },
      Merge});
  table.push_back(Command{
      "appeal new",
      {"登记针对某件申请的行政复议或行政诉讼；输出其编号",
       "Record a reconsideration or lawsuit against a case; prints its id"},
      "",
      [](CLI::App& app) {
        AddRequired(app, "case", "NO",
                    {"被复议或起诉的申请", "the case it challenges"});
        AddRequired(
            app, "kind", "KIND",
            {"reconsideration（行政复议）| litigation_direct（直接起诉）"
             "| litigation_after_reconsideration（复议后起诉）",
             "reconsideration | litigation_direct | "
             "litigation_after_reconsideration"});
        AddRequired(app, "filed", "DATE",
                    {"提起日期，YYYY-MM-DD", "date filed, YYYY-MM-DD"});
      },
      AppealNew});
  table.push_back(Command{
      "appeal decide",
      {"记录复议诉讼的结果", "Record an appeal's result"},
      "",
      [](CLI::App& app) {
        AddPositional(app, "ID",
                      {"'appeal new' 输出的编号",
                       "the appeal id that 'appeal new' printed"});
        AddRequired(app, "result", "RESULT",
                    {"upheld（维持）| corrected（纠正）| other（其他）",
                     "upheld | corrected | other"});
        AddRequired(app, "date", "DATE",
                    {"审结日期，YYYY-MM-DD", "date decided, YYYY-MM-DD"});
      },
      AppealDecide});
  table.push_back(Command{
      "appeal list",
      {"列出复议诉讼（给出 --year 时为该年度表四所统计的）",
       "List appeals (those in a year's table 4 with --year)"},
      "",
      [](CLI::App& app) {
        AddOption(app, "year", "Y",
                  {"只列 Y 年度统计的", "only appeals counted in year Y"});
      },
      AppealList});
  table.push_back(Command{
      "proactive set",
      {"录入一个年度表二（主动公开）的数字",
       "Enter a year's table 2 figures (proactive disclosure)"},
      {"项目：rules、normative_documents（--issued、--repealed、--in-force）；"
       "licensing、\npunishment、enforcement（--decisions）；fees"
       "（--amount-yuan，精确保存，\n以万元显示，保留四位小数）。",
       "Items: rules, normative_documents (--issued, --repealed, "
       "--in-force); licensing,\npunishment, enforcement (--decisions); fees "
       "(--amount-yuan, stored exactly,\nshown in units of 10,000 yuan with "
       "four decimals)."},
      [](CLI::App& app) {
        Year(app);
        AddRequired(app, "item", "ITEM",
                    {"表二的哪一行", "the row of table 2"});
        AddOption(app, "issued", "N", {"本年制发件数", "issued this year"});
        AddOption(app, "repealed", "N", {"本年废止件数", "repealed this year"});
        AddOption(app, "in-force", "N", {"现行有效件数", "in force"});
        AddOption(app, "decisions", "N",
                  {"本年处理决定数量", "decisions this year"});
        AddOption(app, "amount-yuan", "YUAN",
                  {"本年收费金额（元）", "fees collected this year, in yuan"});
        AddOption(app, "agency", "CODE",
                  {"所属机关（默认：你唯一所属的机关）",
                   "the agency (default: your only one)"});
      },
      ProactiveSet});
  table.push_back(
      Command{"proactive show",
              {"显示一个年度表二的数字", "Show a year's table 2 figures"},
              "",
              [](CLI::App& app) {
                Year(app);
                Agency(app);
              },
              ProactiveShow});
  table.push_back(Command{
      "import ledger",
      {"导入案件台账：全部行导入，或（有错行时）一行也不导入",
       "Import a case ledger: all rows or none"},
      {"文件可以是 CSV（UTF-8，带或不带 BOM；或中文版电子表格软件默认保存的 "
       "GBK/GB18030）\n或 .xlsx "
       "工作簿（读取第一张有台账表头的工作表）。列（顺序不限）："
       "申请编号、收到日期、\n申请人类型、申请人、申请方式、申请内容、答复日期"
       "、"
       "办理结果，或其代码 case_no、\nreceived_on、applicant_type、"
       "applicant_name、channel、request、answered_on、outcome。\n取值可用中文"
       "名称或代码；日期可写作 2024-01-10、2024/1/10、2024.1.10 "
       "或\n2024年1月10日。"
       "没有申请方式的记为当面。同一文件再次导入时不导入任何内容。",
       "FILE is a CSV (UTF-8 with or without BOM, or GBK/GB18030 as Excel on "
       "Chinese Windows\nsaves it) or an Excel workbook (.xlsx; the first "
       "sheet "
       "with a ledger header is read).\nColumns (any order): the Chinese "
       "headers that 'export ledger' writes (case number,\nreceipt date, "
       "applicant type, applicant, channel, request, answer date, outcome), "
       "or\ntheir codes case_no, received_on, applicant_type, applicant_name, "
       "channel, request,\nanswered_on, outcome. Values take the Chinese "
       "labels or the codes; dates are written\n2024-01-10, 2024/1/10, "
       "2024.1.10 or in the Chinese form (year, month, day). A missing\n"
       "channel is recorded as in_person. Importing the same file again "
       "imports nothing."},
      [](CLI::App& app) {
        AddPositional(app, "FILE",
                      {"台账文件：.csv 或 .xlsx", "the ledger: .csv or .xlsx"});
        AddOption(app, "agency", "CODE",
                  {"这些申请所属的机关", "the agency the cases belong to"});
      },
      ImportLedger});
  table.push_back(Command{
      "export ledger",
      {"导出一年内收到或办结的全部案件（台账）",
       "Export every case received or closed in a year"},
      {"默认用中文表头和名称（申请编号、收到日期、自然人、予以公开……）"
       "，加 "
       "--codes 改用代码。\nCSV 为带 BOM 的 UTF-8；xlsx "
       "的日期列是真正的日期。"
       "两者都可用 'gongkai import ledger'\n重新导入。",
       "Chinese headers and labels by default, as the official forms "
       "name them; codes with\n--codes. The CSV is UTF-8 with a BOM; "
       "the xlsx "
       "holds real dates. Both re-import with\n'gongkai import "
       "ledger'."},
      [](CLI::App& app) {
        Year(app);
        AddOption(app, "format", "FMT",
                  {"csv（默认）或 xlsx", "csv (default) or xlsx"});
        AddFlag(
            app, "codes",
            {"表头和取值用代码（received_on、natural_person……），而非中文名称",
             "headers and values as codes (received_on, natural_person…), "
             "not labels"});
        Out(app);
        Agency(app);
      },
      ExportLedger});
}

}  // namespace gongkai::cli

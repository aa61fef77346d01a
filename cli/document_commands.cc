// gongkai doc KIND NO | doc settings | doc templates export|load DIR |
// case find --code CODE: the office's documents (docs/documents.md).
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "cli/command.h"
#include "cli/render.h"
#include "common/json.h"
#include "common/status_macros.h"
#include "domain/documents.h"
#include "gongkai/v1/document_service.grpc.pb.h"

namespace gongkai::cli {
namespace {

namespace fs = std::filesystem;

absl::StatusOr<std::string> ReadBytes(const CommandContext& ctx,
                                      const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return absl::NotFoundError(
        absl::StrCat(ctx.T("无法读取 ", "cannot read "), path.string()));
  }
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// Writes `content` to `path`; an existing file is replaced only with
// --force, so that a document already sent is not overwritten by accident.
absl::Status WriteBytes(const CommandContext& ctx, const fs::path& path,
                        const std::string& content) {
  std::error_code ec;
  if (fs::exists(path, ec) && !ctx.args.Has("force")) {
    return absl::AlreadyExistsError(absl::StrCat(
        path.string(), ctx.T(" 已存在；如要覆盖请加 --force",
                             " exists; add --force to replace it")));
  }
  // Written beside and renamed, so that a reader never sees half a file.
  const fs::path tmp = path.string() + ".part";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) {
      return absl::PermissionDeniedError(
          absl::StrCat(ctx.T("无法写入 ", "cannot write "), path.string()));
    }
    out << content;
    out.close();
    if (!out) {
      fs::remove(tmp, ec);
      return absl::DataLossError(
          absl::StrCat(ctx.T("写入失败：", "writing failed: "), path.string()));
    }
  }
  fs::rename(tmp, path, ec);
  if (ec) {
    fs::remove(tmp, ec);
    return absl::PermissionDeniedError(
        absl::StrCat(ctx.T("无法写入 ", "cannot write "), path.string()));
  }
  return absl::OkStatus();
}

absl::Status DocGenerate(CommandContext& ctx) {
  const std::vector<std::string>& pos = ctx.args.positional();
  absl::StatusOr<DocumentKind> parsed = ParseDocumentKind(pos[0]);
  if (!parsed.ok()) {
    return UsageError(MessageIn(parsed.status(), Lang::kZh),
                      MessageIn(parsed.status(), Lang::kEn));
  }
  const DocumentKind kind = *parsed;
  const std::string format = ctx.args.Get("format", "docx");
  if (format != "docx" && format != "pdf") {
    return UsageError(
        absl::StrCat("--format 只能是 docx 或 pdf，不是 ", format),
        absl::StrCat("--format must be docx or pdf, not ", format));
  }
  v1::GenerateDocumentRequest request;
  request.set_kind(std::string(Info(kind).code));
  request.set_case_no(pos[1]);
  request.set_format(format);
  request.set_consultation_id(ctx.args.Get("id"));
  request.set_correction_items(ctx.args.Get("items"));
  request.set_fee_method(ctx.args.Get("fee-method"));
  // Refuse an existing file before the server numbers anything.
  std::error_code ec;
  if (ctx.args.Has("out") && fs::exists(ctx.args.Get("out"), ec) &&
      !ctx.args.Has("force")) {
    return absl::AlreadyExistsError(absl::StrCat(
        ctx.args.Get("out"), ctx.T(" 已存在；如要覆盖请加 --force",
                                   " exists; add --force to replace it")));
  }
  auto stub = v1::DocumentService::NewStub(ctx.Channel());
  v1::Document doc;
  auto call = ctx.NewCall();
  grpc::Status s = stub->GenerateDocument(call.get(), request, &doc);
  if (!s.ok()) return ctx.CallFailed(s);
  const std::string out = ctx.args.Get("out", doc.file_name());
  RETURN_IF_ERROR(WriteBytes(ctx, out, doc.content()));
  if (ctx.json) {
    Json j = Json::MakeObject();
    j.Set("file", out);
    j.Set("kind", std::string(Info(kind).code));
    j.Set("template", doc.template_name());
    j.Set("format", doc.format());
    j.Set("number", doc.number());
    j.Set("date", DateJson(doc.date(), doc.has_date()));
    j.Set("sha256", doc.sha256());
    j.Set("docx_sha256", doc.docx_sha256());
    j.Set("reused", doc.reused());
    j.Set("recorded", doc.recorded());
    *ctx.out << j.Dump(2) << "\n";
    return absl::OkStatus();
  }
  *ctx.out << ctx.T("已写入 ", "wrote ") << out << "\n"
           << ctx.T("文号：", "number: ") << doc.number() << "  "
           << ctx.T("日期：", "date: ") << DateText(doc.date()) << "\n";
  if (doc.reused()) {
    *ctx.out << (doc.recorded()
                     ? ctx.T("沿用原文号和日期；内容有变化，已登记为重新出具。",
                             "same number and date as before; the content "
                             "changed and is recorded as reissued.")
                     : ctx.T("沿用原文号和日期，内容与已登记的一致。",
                             "same number, date and content as recorded "
                             "before."))
             << "\n";
  }
  return absl::OkStatus();
}

void PrintSettings(CommandContext& ctx, const v1::DocumentSettings& s) {
  if (ctx.json) {
    Json j = Json::MakeObject();
    auto or_null = [](const std::string& v) {
      return v.empty() ? Json(nullptr) : Json(v);
    };
    j.Set("agency", or_null(s.agency()));
    j.Set("agency_name", or_null(s.agency_name()));
    j.Set("full_name", or_null(s.full_name()));
    j.Set("address", or_null(s.address()));
    j.Set("contact", or_null(s.contact()));
    j.Set("reconsideration_body", or_null(s.reconsideration_body()));
    j.Set("court", or_null(s.court()));
    j.Set("number_prefix", or_null(s.number_prefix()));
    *ctx.out << j.Dump(2) << "\n";
    return;
  }
  const std::string unset(ctx.T("（未设置）", "(not set)"));
  auto row = [&](absl::string_view zh, absl::string_view en,
                 const std::string& v) {
    *ctx.out << ctx.T(zh, en) << "  " << (v.empty() ? unset : v) << "\n";
  };
  if (!s.agency().empty()) {
    row("机关代码", "Agency", absl::StrCat(s.agency(), " ", s.agency_name()));
  }
  row("机关全称", "Full name", s.full_name());
  row("地址", "Address", s.address());
  row("联系方式", "Contact", s.contact());
  row("复议机关", "Reconsideration body", s.reconsideration_body());
  row("诉讼法院", "Court", s.court());
  row("文号前缀", "Number prefix", s.number_prefix());
  if (!s.number_prefix().empty()) {
    *ctx.out << ctx.T("文号示例  ", "Number e.g.  ")
             << DocumentNumber(s.number_prefix(), 2024, 1) << "\n";
  }
}

absl::Status DocSettings(CommandContext& ctx) {
  auto stub = v1::DocumentService::NewStub(ctx.Channel());
  struct Field {
    const char* option;
    void (v1::SetDocumentSettingsRequest::*set)(const std::string&);
  };
  static const Field kFields[] = {
      {"full-name", &v1::SetDocumentSettingsRequest::set_full_name},
      {"address", &v1::SetDocumentSettingsRequest::set_address},
      {"contact", &v1::SetDocumentSettingsRequest::set_contact},
      {"reconsideration-body",
       &v1::SetDocumentSettingsRequest::set_reconsideration_body},
      {"court", &v1::SetDocumentSettingsRequest::set_court},
      {"prefix", &v1::SetDocumentSettingsRequest::set_number_prefix},
  };
  v1::SetDocumentSettingsRequest set;
  set.set_agency(ctx.args.Get("agency"));
  bool changing = false;
  for (const Field& f : kFields) {
    if (ctx.args.Has(f.option)) {
      (set.*f.set)(ctx.args.Get(f.option));
      changing = true;
    }
  }
  v1::DocumentSettings settings;
  auto call = ctx.NewCall();
  grpc::Status s;
  if (changing) {
    s = stub->SetDocumentSettings(call.get(), set, &settings);
  } else {
    v1::GetDocumentSettingsRequest get;
    get.set_agency(ctx.args.Get("agency"));
    s = stub->GetDocumentSettings(call.get(), get, &settings);
  }
  if (!s.ok()) return ctx.CallFailed(s);
  PrintSettings(ctx, settings);
  return absl::OkStatus();
}

absl::Status TemplatesExport(CommandContext& ctx) {
  const fs::path dir = ctx.args.positional()[0];
  auto stub = v1::DocumentService::NewStub(ctx.Channel());
  v1::ExportTemplatesRequest request;
  request.set_agency(ctx.args.Get("agency"));
  v1::TemplateSet set;
  auto call = ctx.NewCall();
  grpc::Status s = stub->ExportTemplates(call.get(), request, &set);
  if (!s.ok()) return ctx.CallFailed(s);
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec || !fs::is_directory(dir, ec)) {
    return absl::PermissionDeniedError(absl::StrCat(
        ctx.T("无法建立目录 ", "cannot make the folder "), dir.string()));
  }
  // Every file is checked before any is written.
  if (!ctx.args.Has("force")) {
    for (const v1::TemplateFile& t : set.templates()) {
      const fs::path file = dir / (t.name() + ".docx");
      if (fs::exists(file, ec)) {
        return absl::AlreadyExistsError(absl::StrCat(
            file.string(), ctx.T(" 已存在；如要覆盖请加 --force",
                                 " exists; add --force to replace it")));
      }
    }
  }
  Json list = Json::MakeArray();
  for (const v1::TemplateFile& t : set.templates()) {
    const fs::path file = dir / (t.name() + ".docx");
    RETURN_IF_ERROR(WriteBytes(ctx, file, t.docx()));
    if (ctx.json) {
      Json j = Json::MakeObject();
      j.Set("name", t.name());
      j.Set("file", file.string());
      j.Set("own", t.own());
      list.Push(std::move(j));
    } else {
      const TemplateInfo* info = FindTemplate(t.name());
      *ctx.out << file.string() << "  "
               << (info ? ctx.T(info->zh, info->en) : "") << "  "
               << (t.own() ? ctx.T("本机关模板", "the agency's own")
                           : ctx.T("默认模板", "the default"))
               << "\n";
    }
  }
  if (ctx.json) *ctx.out << list.Dump(2) << "\n";
  return absl::OkStatus();
}

absl::Status TemplatesLoad(CommandContext& ctx) {
  const fs::path dir = ctx.args.positional()[0];
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    return absl::NotFoundError(
        absl::StrCat(dir.string(), ctx.T(" 不是目录", " is not a folder")));
  }
  std::vector<fs::path> paths;
  for (const fs::directory_entry& e : fs::directory_iterator(dir, ec)) {
    const std::string name = e.path().filename().string();
    // Word and WPS keep "~$name.docx" lock files beside an open document.
    if (!e.is_regular_file() || absl::StartsWith(name, "~$") ||
        !absl::EndsWithIgnoreCase(name, ".docx")) {
      continue;
    }
    paths.push_back(e.path());
  }
  if (ec) {
    return absl::PermissionDeniedError(absl::StrCat(
        ctx.T("无法读取目录 ", "cannot read the folder "), dir.string()));
  }
  if (paths.empty()) {
    return absl::NotFoundError(absl::StrCat(
        dir.string(), ctx.T(" 中没有 .docx 文件", " holds no .docx files")));
  }
  std::sort(paths.begin(), paths.end());
  v1::LoadTemplatesRequest request;
  request.set_agency(ctx.args.Get("agency"));
  for (const fs::path& p : paths) {
    ASSIGN_OR_RETURN(std::string bytes, ReadBytes(ctx, p));
    auto* f = request.add_files();
    f->set_file_name(p.filename().string());
    f->set_docx(std::move(bytes));
  }
  auto stub = v1::DocumentService::NewStub(ctx.Channel());
  v1::LoadTemplatesResponse response;
  auto call = ctx.NewCall();
  grpc::Status s = stub->LoadTemplates(call.get(), request, &response);
  if (!s.ok()) return ctx.CallFailed(s);
  if (ctx.json) {
    Json list = Json::MakeArray();
    for (const std::string& n : response.loaded()) list.Push(Json(n));
    *ctx.out << list.Dump(2) << "\n";
    return absl::OkStatus();
  }
  *ctx.out << ctx.T("已载入模板：", "templates loaded: ")
           << absl::StrJoin(response.loaded(), ", ") << "\n";
  return absl::OkStatus();
}

absl::Status CaseFind(CommandContext& ctx) {
  auto stub = v1::DocumentService::NewStub(ctx.Channel());
  v1::FindCaseByQueryCodeRequest request;
  request.set_query_code(ctx.args.Get("code"));
  v1::Case c;
  auto call = ctx.NewCall();
  grpc::Status s = stub->FindCaseByQueryCode(call.get(), request, &c);
  if (!s.ok()) return ctx.CallFailed(s);
  if (ctx.json) {
    *ctx.out << CaseToJson(c, true).Dump(2) << "\n";
  } else {
    PrintCase(c, ctx.lang, *ctx.out);
  }
  return absl::OkStatus();
}

// The kinds KIND takes, with their names: "receipt（接收回执）、..." and
// "receipt, correction (correction notice), ...".
Text KindHelp() {
  std::vector<std::string> zh, en;
  for (const DocumentKindInfo& k : AllDocumentKinds()) {
    zh.push_back(absl::StrCat(k.code, "（", k.zh, "）"));
    en.push_back(k.en == k.code ? std::string(k.code)
                                : absl::StrCat(k.code, " (", k.en, ")"));
  }
  return {absl::StrCat("文书种类：", absl::StrJoin(zh, "、")),
          absl::StrCat("the kind: ", absl::StrJoin(en, ", "))};
}

}  // namespace

void AddDocumentCommands(std::vector<Command>& table) {
  table.push_back(Command{
      "doc",
      {"生成案件的文书", "Generate a case's document"},
      {"按本机关的模板填写文书。首次生成时登记文号（每个机关、每种文书、每年"
       "各一个序列），\n再次生成沿用原文号和日期。答复告知书按办理结果选用"
       "模板。详见 docs/documents.md。",
       "The document is filled from the agency's template; the first "
       "generation records its\nnumber (one sequence per agency, kind "
       "and year), later ones keep number and date.\nThe reply's "
       "template follows the outcome. See docs/documents.md."},
      [](CLI::App& app) {
        AddPositional(app, "KIND", KindHelp());
        AddPositional(
            app, "NO",
            {"申请编号，如 2024-0001", "the case number, e.g. 2024-0001"});
        AddOption(app, "format", "docx|pdf",
                  {"文件格式：docx（默认）或 pdf",
                   "the format: docx (the default) or pdf"});
        AddOption(app, "out", "FILE",
                  {"输出文件；默认为申请编号加文书名称，如 "
                   "2024-0001-答复告知书.docx",
                   "the file to write; by default the case number and the "
                   "document's Chinese title"});
        AddOption(app, "id", "C1",
                  {"征求意见书：针对哪一次征求意见（如 C1）",
                   "consultation letter: which consultation (e.g. C1)"});
        AddOption(app, "items", "TEXT",
                  {"补正告知书：需要补正的事项",
                   "correction notice: what the applicant must correct"});
        AddOption(app, "fee-method", "per_piece|per_page",
                  {"收费通知书：按件计收（per_piece）或按量计收（per_page）",
                   "fee notice: charged per piece or per page"});
        AddFlag(app, "force", {"覆盖已有文件", "replace an existing file"});
      },
      DocGenerate});
  table.push_back(Command{
      "doc settings",
      {"查看或修改本机关的文书设置",
       "Show or change the agency's document settings"},
      {"不带选项时显示当前设置；管理员用选项修改，未给出的项目保持不变。",
       "Without options it shows them; an administrator changes "
       "them with the options\n(those not given stay as they are)."},
      [](CLI::App& app) {
        AddOption(app, "agency", "CODE",
                  {"机关代码（你属于多个机关时须给出）",
                   "the agency, when you belong to several"});
        AddOption(app, "full-name", "TEXT",
                  {"机关全称", "the agency's full name"});
        AddOption(app, "address", "TEXT", {"通信地址", "the postal address"});
        AddOption(app, "contact", "TEXT",
                  {"联系方式", "how to contact the office"});
        AddOption(app, "reconsideration-body", "TEXT",
                  {"行政复议机关", "the body that hears reconsideration"});
        AddOption(app, "court", "TEXT",
                  {"管辖行政诉讼的人民法院",
                   "the court that hears administrative litigation"});
        AddOption(app, "prefix", "TEXT",
                  {"文号前缀（机关代字），如 驻公信",
                   "the number prefix (the agency's abbreviation)"});
      },
      DocSettings});
  table.push_back(Command{
      "doc templates export",
      {"把文书模板导出到目录", "Export the templates to a folder"},
      {"每个模板写成一个 NAME.docx：有本机关模板的用本机关模板，否则用默认"
       "模板。",
       "One NAME.docx per template: the agency's own, else the default."},
      [](CLI::App& app) {
        AddPositional(app, "DIR", {"目录", "the folder"});
        AddOption(app, "agency", "CODE", {"机关代码", "the agency"});
        AddFlag(app, "force", {"覆盖已有文件", "replace existing files"});
      },
      TemplatesExport});
  table.push_back(Command{
      "doc templates load",
      {"从目录载入文书模板（管理员）",
       "Load templates from a folder (administrators)"},
      {"载入目录中的全部 NAME.docx；只要有一个文件有问题（名称、格式或未知"
       "的占位符），\n就一个也不载入。",
       "Loads every NAME.docx in the folder; one bad file (name, "
       "format, unknown\nplaceholder) and none is loaded."},
      [](CLI::App& app) {
        AddPositional(app, "DIR", {"目录", "the folder"});
        AddOption(app, "agency", "CODE", {"机关代码", "the agency"});
      },
      TemplatesLoad});
  table.push_back(Command{"case find",
                          {"按查询码查找申请", "Find a case by its query code"},
                          {},
                          [](CLI::App& app) {
                            AddRequired(app, "code", "CODE",
                                        {"查询码，如 ACDE-FG34",
                                         "the query code, e.g. ACDE-FG34"});
                          },
                          CaseFind});
}

}  // namespace gongkai::cli

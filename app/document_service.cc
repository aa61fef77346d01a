#include "app/document_service.h"

#include <algorithm>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "app/access.h"
#include "common/crypto.h"
#include "common/dates.h"
#include "common/lang.h"
#include "common/status_macros.h"

namespace gongkai::app {
namespace {

// How often a generation starts again when the case or the number sequence
// changed between reading and recording.
constexpr int kAttempts = 4;

absl::Status NoSuchQueryCode(absl::string_view code) {
  return LocalizedError(
      absl::StatusCode::kNotFound,
      absl::StrCat("没有查询码为 ", FormatQueryCode(code), " 的案件"),
      absl::StrCat("no case has the query code ", FormatQueryCode(code)));
}

std::string AgencyName(
    const std::vector<std::pair<std::string, std::string>>& agencies,
    const std::string& code, const std::string& fallback) {
  for (const auto& [c, name] : agencies) {
    if (c == code) return name;
  }
  return fallback;
}

}  // namespace

absl::StatusOr<std::string> DocumentService::TemplateFor(
    storage::Tables& t, const std::string& agency, const std::string& name) {
  ASSIGN_OR_RETURN(std::optional<std::string> own,
                   t.documents().Template(agency, name));
  if (own.has_value()) return *std::move(own);
  return engine_.default_template(name);
}

absl::StatusOr<GeneratedDocument> DocumentService::Generate(
    const Caller& caller, const DocumentRequest& request) {
  if (request.format != "docx" && request.format != "pdf") {
    return LocalizedError(
        absl::StatusCode::kInvalidArgument,
        absl::StrCat("文书格式只能是 docx 或 pdf，不是“", request.format, "”"),
        absl::StrCat("the document format is docx or pdf, not '",
                     request.format, "'"));
  }
  if (!request.extras.fee_method.empty() &&
      request.extras.fee_method != "per_piece" &&
      request.extras.fee_method != "per_page") {
    return LocalizedError(
        absl::StatusCode::kInvalidArgument,
        "收费方式只能是 per_piece（按件计收）或 per_page（按量计收）",
        "the fee method is per_piece (按件计收) or per_page (按量计收)");
  }
  RETURN_IF_ERROR(ValidateText("correction items",
                               request.extras.correction_items, false,
                               kMaxNoteChars, 0, true));
  absl::Status last;
  for (int attempt = 0; attempt < kAttempts; ++attempt) {
    absl::StatusOr<GeneratedDocument> doc = TryGenerate(caller, request);
    if (!absl::IsAborted(doc.status())) return doc;
    last = doc.status();
  }
  return last;
}

absl::StatusOr<GeneratedDocument> DocumentService::TryGenerate(
    const Caller& caller, const DocumentRequest& request) {
  // 1. Read everything the document needs, in one snapshot.
  CaseRecord record;
  std::vector<CaseEvent> events;
  DocumentSettings settings;
  std::string agency_name;
  std::string template_docx;
  int64_t next_number = 0;
  DocumentTarget target;
  std::optional<SentDocument> sent;
  RETURN_IF_ERROR(env_.store->Read([&](storage::Tables& t) -> absl::Status {
    ASSIGN_OR_RETURN(const Caller now,
                     ConfirmCaller(t, caller, "GenerateDocument"));
    ASSIGN_OR_RETURN(record, VisibleCase(t, now, request.case_no));
    ASSIGN_OR_RETURN(events, t.cases().Events(record.id));
    ASSIGN_OR_RETURN(target, ResolveDocument(record, events, request.kind,
                                             request.consultation_id));
    sent = FindSentDocument(events, target);
    ASSIGN_OR_RETURN(settings, t.documents().Settings(record.agency));
    ASSIGN_OR_RETURN(auto agencies, t.agencies().List());
    agency_name = AgencyName(agencies, record.agency, env_.agency);
    ASSIGN_OR_RETURN(template_docx,
                     TemplateFor(t, record.agency, target.template_name));
    if (!sent.has_value()) {
      ASSIGN_OR_RETURN(next_number,
                       t.documents().NextNumber(
                           record.agency, std::string(Info(request.kind).code),
                           target.step_on.year()));
    }
    return absl::OkStatus();
  }));

  // 2. Fill the template outside any transaction.
  GeneratedDocument doc;
  doc.template_name = target.template_name;
  doc.reused = sent.has_value();
  doc.date = sent.has_value() ? sent->date : target.step_on;
  doc.number = sent.has_value() ? sent->number
                                : DocumentNumber(settings.number_prefix,
                                                 doc.date.year(), next_number);
  DocumentExtras extras = request.extras;
  if (sent.has_value()) {
    if (extras.correction_items.empty()) {
      extras.correction_items = sent->extras.correction_items;
    }
    if (extras.fee_method.empty()) extras.fee_method = sent->extras.fee_method;
  }
  ASSIGN_OR_RETURN(std::vector<std::string> used,
                   engine_.list_placeholders(template_docx));
  // A setting the template prints must be set: an empty court or number
  // would go out on paper.
  for (const SettingUse& use : SettingUses()) {
    if (std::find(used.begin(), used.end(), use.placeholder) == used.end()) {
      continue;
    }
    if (!(settings.*use.field).empty()) continue;
    if (use.placeholder == "机关名称" && !agency_name.empty()) continue;
    return LocalizedError(
        absl::StatusCode::kFailedPrecondition,
        absl::StrCat("模板 ", target.template_name, " 使用了 {{",
                     use.placeholder,
                     "}}，但本机关尚未设置：请管理员用 "
                     "gongkai doc settings ",
                     use.option, " 设置"),
        absl::StrCat("template ", target.template_name, " uses {{",
                     use.placeholder,
                     "}}, which this agency has not set: an administrator "
                     "sets it with gongkai doc settings ",
                     use.option));
  }
  ClockOptions options = env_.clock_options;
  options.explain = false;
  std::shared_ptr<const WorkCalendar> calendar = env_.calendar->Get();
  ASSIGN_OR_RETURN(ClockReport clocks,
                   ComputeClocks(events, *calendar, options, doc.date));
  DocumentFacts facts;
  facts.record = &record;
  facts.clocks = &clocks;
  facts.settings = settings;
  facts.agency_name = agency_name;
  facts.number = doc.number;
  facts.date = doc.date;
  facts.extras = extras;
  ASSIGN_OR_RETURN(auto values, DocumentValues(target, facts));
  ASSIGN_OR_RETURN(std::string docx, engine_.fill(template_docx, values));
  doc.docx_sha256 = Sha256Hex(docx);

  // 3. Record it, unless exactly this was recorded before.
  if (!sent.has_value() || sent->sha256 != doc.docx_sha256) {
    RETURN_IF_ERROR(env_.store->Write([&](storage::Tables& t) -> absl::Status {
      ASSIGN_OR_RETURN(const Caller now,
                       ConfirmCaller(t, caller, "GenerateDocument"));
      ASSIGN_OR_RETURN(const CaseRecord before,
                       VisibleCase(t, now, request.case_no));
      if (before.version != record.version) {
        return absl::AbortedError("the case changed while filling");
      }
      if (!sent.has_value()) {
        ASSIGN_OR_RETURN(
            int64_t n, t.documents().TakeNumber(
                           before.agency, std::string(Info(request.kind).code),
                           doc.date.year()));
        if (n != next_number) {
          return absl::AbortedError("the number was taken while filling");
        }
      }
      CaseEvent event = DocumentEventFor(target, doc.number, doc.date,
                                         doc.docx_sha256, extras);
      event.recorded_at = env_.time->Now();
      event.actor = now.name;
      if (sent.has_value()) event.details.Set("reissue_of", sent->seq);
      CaseRecord after = before;
      ++after.version;
      after.updated_at = event.recorded_at;
      return t.cases().Update(before, after, &event);
    }));
    doc.recorded = true;
  }

  doc.format = request.format;
  if (request.format == "pdf") {
    ASSIGN_OR_RETURN(doc.content, engine_.to_pdf(docx));
  } else {
    doc.content = std::move(docx);
  }
  doc.sha256 = Sha256Hex(doc.content);
  doc.file_name = DocumentFileName(record.case_no, request.kind, doc.format);
  return doc;
}

absl::StatusOr<AgencySettings> DocumentService::GetSettings(
    const Caller& caller, const std::string& agency) {
  AgencySettings out;
  RETURN_IF_ERROR(env_.store->Read([&](storage::Tables& t) -> absl::Status {
    ASSIGN_OR_RETURN(const Caller now,
                     ConfirmCaller(t, caller, "GetDocumentSettings"));
    ASSIGN_OR_RETURN(out.agency, ResolveAgency(t, now, agency));
    ASSIGN_OR_RETURN(auto agencies, t.agencies().List());
    out.agency_name = AgencyName(agencies, out.agency, env_.agency);
    ASSIGN_OR_RETURN(out.settings, t.documents().Settings(out.agency));
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<AgencySettings> DocumentService::SetSettings(
    const Caller& caller, const SettingsChange& change) {
  AgencySettings out;
  RETURN_IF_ERROR(env_.store->Write([&](storage::Tables& t) -> absl::Status {
    ASSIGN_OR_RETURN(const Caller now,
                     ConfirmCaller(t, caller, "SetDocumentSettings"));
    ASSIGN_OR_RETURN(out.agency, ResolveAgency(t, now, change.agency));
    ASSIGN_OR_RETURN(auto agencies, t.agencies().List());
    out.agency_name = AgencyName(agencies, out.agency, env_.agency);
    ASSIGN_OR_RETURN(DocumentSettings s, t.documents().Settings(out.agency));
    const DocumentSettings before = s;
    auto apply = [](const std::optional<std::string>& v, std::string& field) {
      if (v.has_value()) field = *v;
    };
    apply(change.full_name, s.full_name);
    apply(change.address, s.address);
    apply(change.contact, s.contact);
    apply(change.reconsideration_body, s.reconsideration_body);
    apply(change.court, s.court);
    apply(change.number_prefix, s.number_prefix);
    RETURN_IF_ERROR(ValidateDocumentSettings(s));
    out.settings = s;
    if (s == before) return absl::OkStatus();
    storage::RecordEvent event{"document_settings_set",
                               absl::StrCat("agency ", out.agency), now.name,
                               env_.time->Now()};
    auto record = [&](absl::string_view key, const std::string& b,
                      const std::string& a) {
      if (a == b) return;
      Json change_of = Json::MakeObject();
      change_of.Set("before", b);
      change_of.Set("after", a);
      event.details.Set(std::string(key), std::move(change_of));
    };
    record("full_name", before.full_name, s.full_name);
    record("address", before.address, s.address);
    record("contact", before.contact, s.contact);
    record("reconsideration_body", before.reconsideration_body,
           s.reconsideration_body);
    record("court", before.court, s.court);
    record("number_prefix", before.number_prefix, s.number_prefix);
    return t.documents().SetSettings(out.agency, s, event);
  }));
  return out;
}

absl::StatusOr<std::vector<TemplateFile>> DocumentService::ExportTemplates(
    const Caller& caller, const std::string& agency) {
  std::vector<TemplateFile> out;
  RETURN_IF_ERROR(env_.store->Read([&](storage::Tables& t) -> absl::Status {
    ASSIGN_OR_RETURN(const Caller now,
                     ConfirmCaller(t, caller, "ExportTemplates"));
    ASSIGN_OR_RETURN(const std::string resolved, ResolveAgency(t, now, agency));
    ASSIGN_OR_RETURN(auto own, t.documents().Templates(resolved));
    for (const TemplateInfo& info : AllTemplates()) {
      TemplateFile f;
      f.name = std::string(info.name);
      auto it = own.find(f.name);
      f.own = it != own.end();
      if (f.own) {
        f.docx = it->second;
      } else {
        ASSIGN_OR_RETURN(f.docx, engine_.default_template(info.name));
      }
      out.push_back(std::move(f));
    }
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<std::vector<std::string>> DocumentService::LoadTemplates(
    const Caller& caller, const std::string& agency,
    const std::vector<TemplateUpload>& files) {
  // Refused before the files are looked at: what they hold is no business
  // of a caller who may not load them.
  RETURN_IF_ERROR(CheckAllowed(caller, "LoadTemplates"));
  if (files.empty()) {
    return LocalizedError(absl::StatusCode::kInvalidArgument,
                          "没有要载入的模板文件", "no template files to load");
  }
  // Every file is checked before anything is stored: all or nothing.
  std::map<std::string, std::string> templates;
  std::map<std::string, std::string> from_file;
  // Every catalogue name with a sample value, to fill each template once.
  std::map<std::string, std::string> sample;
  for (const PlaceholderInfo& p : PlaceholderCatalogue()) {
    sample[std::string(p.name)] = std::string(p.name);
  }
  for (const TemplateUpload& f : files) {
    std::string name = f.file_name;
    const size_t slash = name.find_last_of('/');
    if (slash != std::string::npos) name = name.substr(slash + 1);
    if (absl::EndsWithIgnoreCase(name, ".docx")) {
      name.resize(name.size() - 5);
    }
    auto in_file = [&](const absl::Status& s) {
      return PrefixError(s, absl::StrCat("文件 ", f.file_name, "："),
                         absl::StrCat("file ", f.file_name, ": "));
    };
    if (FindTemplate(name) == nullptr) {
      return in_file(CheckTemplatePlaceholders(name, {}));
    }
    if (templates.count(name) > 0) {
      return LocalizedError(
          absl::StatusCode::kInvalidArgument,
          absl::StrCat("文件 ", from_file[name], " 和 ", f.file_name,
                       " 是同一个模板 ", name),
          absl::StrCat("files ", from_file[name], " and ", f.file_name,
                       " are both template ", name));
    }
    absl::StatusOr<std::vector<std::string>> used =
        engine_.list_placeholders(f.docx);
    if (!used.ok()) return in_file(used.status());
    absl::Status checked = CheckTemplatePlaceholders(name, *used);
    if (!checked.ok()) return in_file(checked);
    absl::StatusOr<std::string> filled = engine_.fill(f.docx, sample);
    if (!filled.ok()) return in_file(filled.status());
    templates[name] = f.docx;
    from_file[name] = f.file_name;
  }
  std::vector<std::string> loaded;
  for (const auto& [name, docx] : templates) loaded.push_back(name);
  RETURN_IF_ERROR(env_.store->Write([&](storage::Tables& t) -> absl::Status {
    ASSIGN_OR_RETURN(const Caller now,
                     ConfirmCaller(t, caller, "LoadTemplates"));
    ASSIGN_OR_RETURN(const std::string resolved, ResolveAgency(t, now, agency));
    storage::RecordEvent event{"document_templates_loaded",
                               absl::StrCat("agency ", resolved), now.name,
                               env_.time->Now()};
    Json list = Json::MakeObject();
    for (const auto& [name, docx] : templates) {
      Json entry = Json::MakeObject();
      entry.Set("file", from_file[name]);
      entry.Set("sha256", Sha256Hex(docx));
      list.Set(name, std::move(entry));
    }
    event.details.Set("templates", std::move(list));
    return t.documents().SaveTemplates(resolved, templates, event);
  }));
  return loaded;
}

absl::StatusOr<CaseView> DocumentService::FindByQueryCode(
    const Caller& caller, absl::string_view code) {
  ASSIGN_OR_RETURN(const std::string normalized, NormalizeQueryCode(code));
  std::string case_no;
  RETURN_IF_ERROR(env_.store->Read([&](storage::Tables& t) -> absl::Status {
    ASSIGN_OR_RETURN(const Caller now,
                     ConfirmCaller(t, caller, "FindCaseByQueryCode"));
    ASSIGN_OR_RETURN(std::optional<std::string> found,
                     t.documents().CaseNoByQueryCode(normalized));
    if (!found.has_value()) return NoSuchQueryCode(normalized);
    // Another agency's case is answered word for word like a missing one.
    absl::StatusOr<CaseRecord> c = VisibleCase(t, now, *found);
    if (absl::IsNotFound(c.status())) return NoSuchQueryCode(normalized);
    if (!c.ok()) return c.status();
    case_no = *found;
    return absl::OkStatus();
  }));
  return CaseService(env_).Get(caller, case_no);
}

}  // namespace gongkai::app

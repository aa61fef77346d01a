// The shipped default templates: their markup sources are compiled in
// (default_templates_data.cc, generated from templates/*.txt) and built into
// DOCX once, on first use.
#include <map>
#include <mutex>

#include "absl/strings/str_cat.h"
#include "common/lang.h"
#include "documents/documents.h"
#include "documents/template_markup.h"

namespace gongkai::documents {

// Defined in the generated default_templates_data.cc: name -> markup.
const std::map<std::string, std::string>& DefaultTemplateSources();

namespace {

const std::map<std::string, absl::StatusOr<std::string>>& Built() {
  static const auto* built = [] {
    auto* m = new std::map<std::string, absl::StatusOr<std::string>>;
    for (const auto& [name, source] : DefaultTemplateSources()) {
      m->emplace(name, MarkupToDocx(source));
    }
    return m;
  }();
  return *built;
}

}  // namespace

std::vector<std::string> DefaultTemplateNames() {
  // The order of a case: receipt to reply.
  return {"receipt",
          "correction",
          "extension",
          "consultation_third_party",
          "consultation_agency",
          "fee",
          "reasons",
          "reply_disclosed",
          "reply_partial",
          "reply_withheld",
          "reply_unavailable",
          "reply_not_handled",
          "reply_other"};
}

absl::StatusOr<std::string> DefaultTemplate(absl::string_view name) {
  auto it = Built().find(std::string(name));
  if (it == Built().end()) {
    return LocalizedError(
        absl::StatusCode::kNotFound,
        absl::StrCat("没有名为 ", name, " 的默认模板"),
        absl::StrCat("there is no default template called ", name));
  }
  return it->second;
}

}  // namespace gongkai::documents

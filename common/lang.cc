#include "common/lang.h"

#include "absl/strings/ascii.h"
#include "absl/strings/cord.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace gongkai {
namespace {

// The payload that carries a message's English version.
constexpr char kEnglishPayload[] = "type.gongkai/message.en";

}  // namespace

absl::StatusOr<Lang> ParseLang(absl::string_view text) {
  std::string t = absl::AsciiStrToLower(absl::StripAsciiWhitespace(text));
  // "zh_CN.UTF-8@variant" → "zh_cn"; "en-US" → "en".
  const size_t cut = t.find_first_of(".@");
  if (cut != std::string::npos) t.resize(cut);
  if (t == "中文" || t == "cn" || t == "zh" || absl::StartsWith(t, "zh_") ||
      absl::StartsWith(t, "zh-")) {
    return Lang::kZh;
  }
  if (t == "english" || t == "en" || absl::StartsWith(t, "en_") ||
      absl::StartsWith(t, "en-")) {
    return Lang::kEn;
  }
  return LocalizedError(
      absl::StatusCode::kInvalidArgument,
      absl::StrCat("不支持的语言“", text, "”；可选 zh（中文）或 en（英文）"),
      absl::StrCat("unknown language '", text,
                   "'; use zh (Chinese) or en (English)"));
}

absl::string_view LangCode(Lang lang) {
  return lang == Lang::kEn ? "en" : "zh";
}

absl::Status LocalizedError(absl::StatusCode code, absl::string_view zh,
                            absl::string_view en) {
  absl::Status status(code, zh);
  status.SetPayload(kEnglishPayload, absl::Cord(en));
  return status;
}

std::string MessageIn(const absl::Status& status, Lang lang) {
  if (lang == Lang::kEn) {
    if (auto en = status.GetPayload(kEnglishPayload); en.has_value()) {
      return std::string(*en);
    }
  }
  return std::string(status.message());
}

absl::Status InLanguage(const absl::Status& status, Lang lang) {
  if (status.ok()) return status;
  return absl::Status(status.code(), MessageIn(status, lang));
}

absl::Status PrefixError(const absl::Status& status, absl::string_view zh,
                         absl::string_view en) {
  if (status.ok()) return status;
  return LocalizedError(status.code(), absl::StrCat(zh, status.message()),
                        absl::StrCat(en, MessageIn(status, Lang::kEn)));
}

}  // namespace gongkai

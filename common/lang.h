// The two languages gongkai speaks. Chinese is the office's working language
// and the default everywhere; English is there for whoever asks for it
// (`gongkai --lang en`, GONGKAI_LANG=en, or the "gongkai-lang" header of a
// call).
//
// Texts are written in both languages where they are made, side by side:
//
//   out << Tr(lang, "没有符合条件的案件。", "No cases match.");
//
// so that no text can lack its translation and a reader can check one
// against the other. Code that refuses something without knowing who will
// read the refusal (domain rules, storage) builds a LocalizedError: its
// message is Chinese and it carries the English as a payload, and the
// transport's boundary answers in the caller's language (InLanguage).
//
// Why not gettext: its choice of language is process-wide state (setlocale,
// LANGUAGE) and it needs the locale generated on the machine; here the
// language is a value of each call, and a bare server has no zh_CN locale.
//
// Thread safety: pure functions and immutable values.
#ifndef GONGKAI_COMMON_LANG_H_
#define GONGKAI_COMMON_LANG_H_

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace gongkai {

enum class Lang { kZh, kEn };

// "zh", "zh_CN", "zh-CN", "zh_CN.UTF-8", "zh-Hans", "cn" and "中文" are
// Chinese; "en", "en_US.UTF-8", "english" are English. INVALID_ARGUMENT (in
// both languages) for anything else.
absl::StatusOr<Lang> ParseLang(absl::string_view text);

// "zh" or "en": the code sent in the "gongkai-lang" header and shown in JSON.
absl::string_view LangCode(Lang lang);

// The metadata header that carries the reader's language on every call.
inline constexpr char kLangHeader[] = "gongkai-lang";

// The text in `lang`.
inline absl::string_view Tr(Lang lang, absl::string_view zh,
                            absl::string_view en) {
  return lang == Lang::kEn ? en : zh;
}

// An error whose message is `zh`, carrying `en` for English readers.
absl::Status LocalizedError(absl::StatusCode code, absl::string_view zh,
                            absl::string_view en);

// The message of `status` in `lang`: for English the English payload when
// there is one; otherwise the message itself.
std::string MessageIn(const absl::Status& status, Lang lang);

// `status` with its message in `lang` and the payload dropped (OK stays OK).
absl::Status InLanguage(const absl::Status& status, Lang lang);

// `status` with a prefix in each language ("第 3 行：", "line 3: "), its code
// and both versions kept. OK stays OK.
absl::Status PrefixError(const absl::Status& status, absl::string_view zh,
                         absl::string_view en);

}  // namespace gongkai

#endif  // GONGKAI_COMMON_LANG_H_

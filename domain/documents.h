// The office's documents (文书, domain.md section 8) as values: which kinds
// exist, which template each uses, the placeholders a template may contain,
// and the text of every placeholder for one case. The DOCX files themselves
// are the documents/ library's business; this file only says what goes in.
//
// Every value comes from the record: the case, its events, its clocks (as
// ComputeClocks gives them on the document's date), the agency's document
// settings, and the document's number and date. Nothing is typed in twice;
// the few facts the record does not hold (what the applicant must correct,
// the fee method) are passed in and kept with the document's record, so a
// document generated again says the same.
//
// A kind that the case's history does not support (an extension notice for
// a case never extended, a reply to an open case) is refused with
// FAILED_PRECONDITION, in Chinese and English (LocalizedError).
//
// Pure code: no storage, no files, no clock; safe from any thread.
#ifndef GONGKAI_DOMAIN_DOCUMENTS_H_
#define GONGKAI_DOMAIN_DOCUMENTS_H_

#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "common/lang.h"
#include "domain/case.h"
#include "domain/clocks.h"

namespace gongkai {

// What `gongkai doc KIND` asks for. The reply's template follows the
// outcome; the consultation's the kind of party consulted.
enum class DocumentKind {
  kReceipt = 1,   // 接收回执
  kCorrection,    // 补正告知书 (Art. 30)
  kExtension,     // 延期答复告知书 (Art. 33)
  kConsultation,  // 征求意见书 (Arts. 32, 34)
  kFee,           // 收费通知书 (国办函〔2020〕109号)
  kReasons,       // 说明理由告知书 (Art. 35)
  kReply,         // 答复告知书 (Art. 36)
};

struct DocumentKindInfo {
  DocumentKind kind;
  absl::string_view code;  // "receipt", ...
  absl::string_view zh;    // "接收回执", ...
  absl::string_view en;    // "receipt", ...
};

std::span<const DocumentKindInfo> AllDocumentKinds();
const DocumentKindInfo& Info(DocumentKind kind);
// The code or the Chinese name; INVALID_ARGUMENT listing them otherwise.
absl::StatusOr<DocumentKind> ParseDocumentKind(absl::string_view text);

// One template a document kind is filled from.
struct TemplateInfo {
  absl::string_view name;  // "reply_withheld": the file name without .docx
  DocumentKind kind;
  absl::string_view zh;  // the title, e.g. "答复告知书（不予公开）"
  absl::string_view en;
};

// Every template name, in a fixed order (kinds first, then the replies).
std::span<const TemplateInfo> AllTemplates();
// nullptr when `name` is not a template name.
const TemplateInfo* FindTemplate(absl::string_view name);

// The reply template of an outcome ("reply_withheld" for every withheld
// row, ...).
absl::string_view ReplyTemplateName(Outcome outcome);

// One placeholder of the catalogue: "{{名称}}" in a template.
struct PlaceholderInfo {
  absl::string_view name;
  absl::string_view zh;  // what it holds, for docs/documents.md and the CLI
  absl::string_view en;
  // The kinds it is given for (bit 1 << kind); every kind when all set.
  unsigned kinds;
};

std::span<const PlaceholderInfo> PlaceholderCatalogue();
// nullptr when `name` is not in the catalogue.
const PlaceholderInfo* FindPlaceholder(absl::string_view name);
bool PlaceholderFor(const PlaceholderInfo& p, DocumentKind kind);

// Checks the placeholders a template uses (as the documents/ library lists
// them) against the catalogue for template `name`: INVALID_ARGUMENT naming
// the first unknown name, or a name given only to other kinds of document,
// and the template.
absl::Status CheckTemplatePlaceholders(absl::string_view name,
                                       const std::vector<std::string>& used);

// What an agency prints on its documents. Empty fields are not set yet.
struct DocumentSettings {
  std::string full_name;             // 机关名称, e.g. "某市某局"
  std::string address;               // 机关地址
  std::string contact;               // 机关联系方式
  std::string reconsideration_body;  // 复议机关
  std::string court;                 // 诉讼法院
  std::string number_prefix;         // 文号 prefix, e.g. "驻公信"

  friend bool operator==(const DocumentSettings&,
                         const DocumentSettings&) = default;
};

// INVALID_ARGUMENT naming the field: UTF-8, single line, within limits; the
// prefix also without the characters the number adds (〔〕号).
absl::Status ValidateDocumentSettings(const DocumentSettings& settings);

// The placeholder a setting fills and the `gongkai doc settings` option
// that sets it, for the refusal when a template needs an unset one.
struct SettingUse {
  absl::string_view placeholder;
  absl::string_view option;  // "--court"
  std::string DocumentSettings::*field;
};
std::span<const SettingUse> SettingUses();

// 二〇二四年三月六日.
std::string ChineseDate(absl::CivilDay day);
// 100.00元 (fen to yuan with two decimals).
std::string ChineseYuan(int64_t fen);
// 驻公信〔2024〕3号.
std::string DocumentNumber(absl::string_view prefix, int year, int64_t n);

// The legal basis an answer cites, e.g.
// "《中华人民共和国政府信息公开条例》第三十六条第（三）项、第十四条".
std::string LegalBasis(Outcome outcome);

// The query code (查询码): 8 characters of an alphabet without look-alikes
// (no 0/O, 1/I/L, 2/Z, 5/S, 8/B), shown as "ABCD-EFGH".
inline constexpr absl::string_view kQueryCodeAlphabet =
    "ACDEFGHJKMNPQRTUVWXY345679";
inline constexpr int kQueryCodeLength = 8;
// The code made from `random` (at least kQueryCodeLength bytes; each byte
// picks one character, without modulo bias).
std::string QueryCodeFromBytes(absl::string_view random);
// "ABCD-EFGH" for the stored "ABCDEFGH".
std::string FormatQueryCode(absl::string_view code);
// The stored form of what someone typed: case and dashes or spaces ignored.
// INVALID_ARGUMENT (zh+en) when it cannot be a query code.
absl::StatusOr<std::string> NormalizeQueryCode(absl::string_view typed);

// Which document of a case: the kind asked for, resolved against the
// case's history.
struct DocumentTarget {
  DocumentKind kind = DocumentKind::kReceipt;
  std::string template_name;
  // The consultation (C1, C2, ...) for kConsultation; "" otherwise.
  std::string consultation_id;
  // The day of the step the document tells of (the receipt, the notice,
  // the answer): its date unless one was recorded before.
  absl::CivilDay step_on;
  // The event of that step.
  const CaseEvent* step = nullptr;
};

// FAILED_PRECONDITION (zh+en, citing the article) when the case's history
// has no step this kind of document tells of; INVALID_ARGUMENT when
// several consultations fit and `consultation_id` does not say which.
absl::StatusOr<DocumentTarget> ResolveDocument(
    const CaseRecord& c, const std::vector<CaseEvent>& events,
    DocumentKind kind, absl::string_view consultation_id);

// Facts a document needs that the record does not hold.
struct DocumentExtras {
  std::string correction_items;  // 补正事项 (correction)
  std::string fee_method;        // "per_piece" or "per_page" (fee)
};

// A document already generated for the same target: its number and date
// are kept, and the extras it was made with.
struct SentDocument {
  std::string number;
  absl::CivilDay date;
  std::string sha256;
  DocumentExtras extras;
  int64_t seq = 0;
};

// The last "document" event for `target`, if any.
std::optional<SentDocument> FindSentDocument(
    const std::vector<CaseEvent>& events, const DocumentTarget& target);

// The case event that records a generated document.
inline constexpr char kDocumentEvent[] = "document";
CaseEvent DocumentEventFor(const DocumentTarget& target,
                           absl::string_view number, absl::CivilDay date,
                           absl::string_view sha256,
                           const DocumentExtras& extras);

// Everything DocumentValues reads.
struct DocumentFacts {
  const CaseRecord* record = nullptr;
  // The clocks as of the document's date (ComputeClocks with as_of = date).
  const ClockReport* clocks = nullptr;
  DocumentSettings settings;
  std::string agency_name;  // the agency's registered name (fallback)
  std::string number;       // 文号
  absl::CivilDay date;      // 文书日期
  DocumentExtras extras;
};

// Every placeholder for `target` (the common ones and the kind's own).
// INVALID_ARGUMENT (zh+en) when an extra the kind needs is missing.
absl::StatusOr<std::map<std::string, std::string>> DocumentValues(
    const DocumentTarget& target, const DocumentFacts& facts);

// The default output file name: "2024-0001-答复告知书.docx".
std::string DocumentFileName(absl::string_view case_no, DocumentKind kind,
                             absl::string_view format);

}  // namespace gongkai

#endif  // GONGKAI_DOMAIN_DOCUMENTS_H_

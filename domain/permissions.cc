#include "domain/permissions.h"

#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/lang.h"

namespace gongkai {
namespace {

constexpr unsigned Bit(Role r) { return 1u << static_cast<int>(r); }

constexpr unsigned kClerk = Bit(Role::kClerk);
constexpr unsigned kHandler = Bit(Role::kHandler);
constexpr unsigned kHead = Bit(Role::kHead);
constexpr unsigned kAdmin = Bit(Role::kAdmin);
constexpr unsigned kAuditor = Bit(Role::kAuditor);
constexpr unsigned kAll = kClerk | kHandler | kHead | kAdmin | kAuditor;
// A handler does what a clerk does; the head what a handler does.
constexpr unsigned kCaseStaff = kClerk | kHandler | kHead;
constexpr unsigned kHandlers = kHandler | kHead;

constexpr Role kRoles[] = {Role::kClerk, Role::kHandler, Role::kHead,
                           Role::kAdmin, Role::kAuditor};

constexpr MethodPermission kMatrix[] = {
    // Reading cases, deadlines, calendar, alerts and reports.
    {"GetCase", "show a case", kAll},
    {"ListCases", "list cases", kAll},
    {"ExplainDeadline", "explain a deadline", kAll},
    {"ListAlerts", "list alerts", kAll},
    {"WatchAlerts", "stream alerts", kAll},
    {"MarkAlert", "acknowledge or snooze an alert (for oneself)", kAll},
    {"AddWorkingDays", "count working days", kAll},
    {"GetCalendarYear", "show the calendar", kAll},
    {"QuoteFee", "quote a fee", kAll},
    {"GetReport", "compute the year-end report", kAll},
    {"ListAppeals", "list appeals", kAll},
    {"GetProactive", "show table 2", kAll},
    {"WhoAmI", "show the caller", kAll},
    {"FindCaseByQueryCode", "find a case by its query code", kAll},
    // Logging requests and recording correspondence.
    {"CreateCase", "log a request", kCaseStaff},
    {"RecordCorrection", "record a corrected application", kCaseStaff},
    {"RecordConsultationReply", "record a consultation reply", kCaseStaff},
    {"RecordConsultationReceipt",
     "record when a consulted party received the letter", kCaseStaff},
    {"RecordFeePayment", "record a fee payment", kCaseStaff},
    {"WithdrawCase", "record a withdrawal", kCaseStaff},
    {"AmendCase", "correct a case's intake fields", kCaseStaff},
    // Processing and answering.
    {"AnswerCase", "answer a case", kHandlers},
    {"MarkComplete", "record an application complete", kHandlers},
    {"RequestCorrection", "send a correction notice", kHandlers},
    {"StartConsultation", "start a consultation", kHandlers},
    {"SendFeeNotice", "send a fee notice", kHandlers},
    {"AssignCase", "assign a case to a handler", kHandlers},
    {"ReopenCase", "reopen a closed case to answer it again", kHandlers},
    {"CreateAppeal", "record an appeal", kHandlers},
    {"DecideAppeal", "record an appeal's result", kHandlers},
    // The office's documents (docs/documents.md).
    {"GenerateDocument", "generate a case's document (receipt, notice, reply)",
     kCaseStaff},
    {"GetDocumentSettings", "show the agency's document settings",
     kCaseStaff | kAdmin},
    {"ExportTemplates", "export the agency's document templates",
     kCaseStaff | kAdmin},
    // The office head.
    {"ExtendDeadline", "approve an extension", kHead},
    {"PublishReport", "publish the year-end report", kHead},
    // Administration. `true`: shared by every agency, so only for a user
    // of every agency (an agency's administrator manages its own staff and
    // figures, not the calendar, the agency list or the database file).
    {"CreateUser", "add a user", kAdmin},
    {"ListUsers", "list users", kAdmin},
    {"DisableUser", "disable a user", kAdmin},
    {"RotateToken", "issue a user a new token", kAdmin},
    {"EnableUser", "enable a disabled user", kAdmin},
    {"UpdateUser", "change a user's role or agencies", kAdmin},
    {"LoadCalendar", "load a calendar year", kAdmin, true},
    {"SetProactive", "enter table 2 figures", kAdmin},
    {"ImportLedger", "import a ledger", kAdmin},
    {"SetDocumentSettings", "set the agency's document settings", kAdmin},
    {"LoadTemplates", "load the agency's document templates", kAdmin},
    {"Backup", "back up the database", kAdmin, true},
    {"CheckDatabase", "check the database", kAdmin, true},
    {"CreateAgency", "add an agency", kAdmin, true},
    {"ListAgencies", "list agencies", kAll},
    {"SetAgencyCaseNoPattern", "set an agency's case-number pattern", kAdmin},
    // Audit.
    {"ListAudit", "list the audit trail", kHead | kAdmin | kAuditor},
    {"VerifyAudit", "verify the audit chain", kAdmin | kAuditor},
    {"ExportLedger", "export the ledger", kHead | kAdmin | kAuditor},
};

}  // namespace

absl::string_view RoleCode(Role r) {
  switch (r) {
    case Role::kClerk:
      return "clerk";
    case Role::kHandler:
      return "handler";
    case Role::kHead:
      return "head";
    case Role::kAdmin:
      return "admin";
    case Role::kAuditor:
      return "auditor";
  }
  return "";
}

absl::StatusOr<Role> ParseRole(absl::string_view text) {
  for (Role r : kRoles) {
    if (absl::StripAsciiWhitespace(text) == RoleCode(r)) return r;
  }
  return LocalizedError(
      absl::StatusCode::kInvalidArgument,
      absl::StrCat("未知的角色“", text,
                   "”；可用的角色：clerk（登记员）、handler（承办人）、"
                   "head（负责人）、admin（管理员）、auditor（审计员）"),
      absl::StrCat("unknown role '", text,
                   "'; valid roles: clerk, handler, head, admin, auditor"));
}

std::span<const Role> AllRoles() { return kRoles; }

std::span<const MethodPermission> PermissionMatrix() { return kMatrix; }

bool Allowed(Role role, absl::string_view method) {
  for (const MethodPermission& p : kMatrix) {
    if (p.method == method) return (p.roles & Bit(role)) != 0;
  }
  return false;
}

bool NeedsEveryAgency(absl::string_view method) {
  for (const MethodPermission& p : kMatrix) {
    if (p.method == method) return p.every_agency;
  }
  return false;
}

bool MayReveal(Role role) {
  return role == Role::kHandler || role == Role::kHead ||
         role == Role::kAuditor;
}

bool MayForce(Role role) { return role == Role::kHead || role == Role::kAdmin; }

std::string MaskSensitive(absl::string_view value) {
  // Work on code points so Chinese addresses mask cleanly.
  std::vector<absl::string_view> chars;
  for (size_t i = 0; i < value.size();) {
    unsigned char c = static_cast<unsigned char>(value[i]);
    size_t len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : 4;
    len = std::min(len, value.size() - i);
    chars.push_back(value.substr(i, len));
    i += len;
  }
  const size_t n = chars.size();
  if (n == 0) return "";
  const size_t keep = n >= 12 ? 4 : n >= 7 ? 3 : n >= 4 ? 1 : 0;
  std::string out;
  for (size_t i = 0; i < n; ++i) {
    if (i < keep || i >= n - keep) {
      out.append(chars[i].data(), chars[i].size());
    } else {
      out.push_back('*');
    }
  }
  return out;
}

}  // namespace gongkai

#include "app/access.h"

#include <vector>

#include "absl/strings/str_cat.h"
#include "common/lang.h"
#include "common/status_macros.h"

namespace gongkai::app {

absl::StatusOr<CaseRecord> VisibleCase(storage::Tables& tables,
                                       const Caller& caller,
                                       absl::string_view case_no) {
  absl::StatusOr<CaseRecord> c = tables.cases().Get(case_no);
  if (c.ok() && !caller.SeesAgency(c->agency)) {
    return LocalizedError(absl::StatusCode::kNotFound,
                          absl::StrCat("没有编号为“", case_no, "”的案件"),
                          absl::StrCat("no case numbered '", case_no, "'"));
  }
  return c;
}

bool ReachesUser(const Caller& caller, absl::string_view user_agencies) {
  if (caller.SeesAllAgencies()) return true;
  const std::vector<std::string> theirs = ParseAgencyList(user_agencies);
  if (theirs.empty()) return false;
  for (const std::string& a : theirs) {
    if (!caller.SeesAgency(a)) return false;
  }
  return true;
}

absl::Status NoSuchUser(absl::string_view name) {
  return LocalizedError(absl::StatusCode::kNotFound,
                        absl::StrCat("没有名为“", name, "”的用户"),
                        absl::StrCat("no user named '", name, "'"));
}

absl::StatusOr<storage::UserRecord> ReachableUser(storage::Tables& tables,
                                                  const Caller& caller,
                                                  const std::string& name) {
  ASSIGN_OR_RETURN(storage::UserRecord user, tables.users().FindByName(name));
  if (!ReachesUser(caller, user.agencies)) return NoSuchUser(name);
  return user;
}

absl::StatusOr<std::vector<std::pair<std::string, std::string>>>
VisibleAgencies(storage::Tables& tables, const Caller& caller) {
  ASSIGN_OR_RETURN(auto agencies, tables.agencies().List());
  std::erase_if(agencies,
                [&](const auto& a) { return !caller.SeesAgency(a.first); });
  return agencies;
}

absl::StatusOr<std::string> ResolveAgency(storage::Tables& tables,
                                          const Caller& caller,
                                          const std::string& requested) {
  ASSIGN_OR_RETURN(auto all, tables.agencies().List());
  if (all.empty()) {
    if (!requested.empty()) {
      return LocalizedError(
          absl::StatusCode::kInvalidArgument,
          absl::StrCat("未知的机关“", requested,
                       "”；尚未设置任何机关（gongkai admin agency add）"),
          absl::StrCat("unknown agency '", requested,
                       "'; no agencies are set up (gongkai admin agency add)"));
    }
    return std::string();
  }
  // Another agency is named like an unknown one, and never listed.
  ASSIGN_OR_RETURN(auto agencies, VisibleAgencies(tables, caller));
  std::string agency = requested;
  if (agency.empty() && agencies.size() == 1 && !caller.SeesAllAgencies()) {
    agency = agencies[0].first;
  }
  std::string codes, codes_zh;
  for (const auto& [code, name] : agencies) {
    absl::StrAppend(&codes, codes.empty() ? "" : ", ", code, " (", name, ")");
    absl::StrAppend(&codes_zh, codes_zh.empty() ? "" : "、", code, "（", name,
                    "）");
  }
  if (agency.empty()) {
    return LocalizedError(
        absl::StatusCode::kInvalidArgument,
        absl::StrCat("请用 --agency 指明案件属于哪个机关：", codes_zh),
        absl::StrCat("say which agency the case belongs to (--agency): ",
                     codes));
  }
  for (const auto& [code, name] : agencies) {
    if (code == agency) return agency;
  }
  return LocalizedError(
      absl::StatusCode::kInvalidArgument,
      absl::StrCat("未知的机关“", agency, "”；可用的机关：", codes_zh),
      absl::StrCat("unknown agency '", agency, "'; agencies: ", codes));
}

absl::StatusOr<ReportScope> ScopeFor(storage::Tables& tables,
                                     const Caller& caller,
                                     const std::string& agency,
                                     const std::string& combined_name) {
  ReportScope scope;
  if (agency.empty()) {
    scope.agencies = caller.agencies;
    scope.name = combined_name;
    return scope;
  }
  ASSIGN_OR_RETURN(auto agencies, VisibleAgencies(tables, caller));
  for (const auto& [code, name] : agencies) {
    if (code != agency) continue;
    scope.key = code;
    scope.agencies = {code};
    scope.name = name;
    return scope;
  }
  return LocalizedError(absl::StatusCode::kNotFound,
                        absl::StrCat("没有机关“", agency, "”"),
                        absl::StrCat("no agency '", agency, "'"));
}

}  // namespace gongkai::app

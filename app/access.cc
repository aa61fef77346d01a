#include "app/access.h"

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"

namespace gongkai::app {

absl::StatusOr<CaseRecord> VisibleCase(storage::Tables& tables,
                                       const Caller& caller,
                                       absl::string_view case_no) {
  absl::StatusOr<CaseRecord> c = tables.cases().Get(case_no);
  if (c.ok() && !caller.SeesAgency(c->agency)) {
    return absl::NotFoundError(
        absl::StrCat("no case numbered '", case_no, "'"));
  }
  return c;
}

absl::StatusOr<std::string> ResolveAgency(storage::Tables& tables,
                                          const Caller& caller,
                                          const std::string& requested) {
  ASSIGN_OR_RETURN(auto agencies, tables.agencies().List());
  if (agencies.empty()) {
    if (!requested.empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat("unknown agency '", requested,
                       "'; no agencies are set up (gongkai admin agency add)"));
    }
    return std::string();
  }
  std::string agency = requested;
  if (agency.empty() && caller.agencies.size() == 1)
    agency = caller.agencies[0];
  std::string codes;
  for (const auto& [code, name] : agencies) {
    absl::StrAppend(&codes, codes.empty() ? "" : ", ", code, " (", name, ")");
  }
  if (agency.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "say which agency the case belongs to (--agency): ", codes));
  }
  bool known = false;
  for (const auto& [code, name] : agencies) known |= code == agency;
  if (!known) {
    return absl::InvalidArgumentError(
        absl::StrCat("unknown agency '", agency, "'; agencies: ", codes));
  }
  if (!caller.SeesAgency(agency)) {
    return absl::PermissionDeniedError(
        absl::StrCat("you do not work for agency ", agency));
  }
  return agency;
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
  ASSIGN_OR_RETURN(auto agencies, tables.agencies().List());
  for (const auto& [code, name] : agencies) {
    if (code != agency) continue;
    if (!caller.SeesAgency(code)) {
      return absl::PermissionDeniedError(
          absl::StrCat("you do not work for agency ", code));
    }
    scope.key = code;
    scope.agencies = {code};
    scope.name = name;
    return scope;
  }
  return absl::NotFoundError(absl::StrCat("no agency '", agency, "'"));
}

}  // namespace gongkai::app

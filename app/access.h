// What a caller may see and where a new record belongs. Every function reads
// through the Tables it is given, so inside a write it judges the rows of
// that write's transaction.
//
// Confinement: to a caller limited to some agencies, whatever belongs to
// another agency (a case, an appeal, an agency, a user account) does not
// exist: it is refused with exactly the code and message a missing one
// gets, and it is left out of every list, so nothing can be learnt by
// asking. docs/permissions.md lists what each role may do.
#ifndef GONGKAI_APP_ACCESS_H_
#define GONGKAI_APP_ACCESS_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "app/caller.h"
#include "domain/case.h"
#include "storage/store.h"

namespace gongkai::app {

// The case if it exists and the caller may see its agency; NOT_FOUND
// otherwise (another agency's case is indistinguishable from a missing one).
absl::StatusOr<CaseRecord> VisibleCase(storage::Tables& tables,
                                       const Caller& caller,
                                       absl::string_view case_no);

// True when the account whose stored agency list is `user_agencies` ("*"
// or "a,b") is within the caller's reach: the caller works for every
// agency, or the account is limited to agencies the caller all works for.
// Only such accounts are listed to, managed by, or named in errors to the
// caller; an account of every agency is within reach of no limited caller.
bool ReachesUser(const Caller& caller, absl::string_view user_agencies);

// The message and code of an unknown user name, word for word what the
// store says (NOT_FOUND "no user named '…'").
absl::Status NoSuchUser(absl::string_view name);

// The account `name` if it exists and is within the caller's reach;
// NoSuchUser otherwise.
absl::StatusOr<storage::UserRecord> ReachableUser(storage::Tables& tables,
                                                  const Caller& caller,
                                                  const std::string& name);

// The agencies (code, name) the caller works for, ordered by code.
absl::StatusOr<std::vector<std::pair<std::string, std::string>>>
VisibleAgencies(storage::Tables& tables, const Caller& caller);

// The agency for a new record: the requested one, or the caller's only
// agency; INVALID_ARGUMENT (listing the caller's agencies) when unknown, not
// one of the caller's (the same message) or not given where several exist.
// "" when no agencies are set up.
absl::StatusOr<std::string> ResolveAgency(storage::Tables& tables,
                                          const Caller& caller,
                                          const std::string& requested);

// Which records a report covers.
struct ReportScope {
  std::string key;                    // "" for the combined report
  std::vector<std::string> agencies;  // empty: every agency
  std::string name;                   // printed on the report
};

// The scope of the report of `agency` ("" = every agency the caller sees,
// named `combined_name`). NOT_FOUND ("no agency '…'") for an unknown agency
// and, word for word, for one the caller does not work for.
absl::StatusOr<ReportScope> ScopeFor(storage::Tables& tables,
                                     const Caller& caller,
                                     const std::string& agency,
                                     const std::string& combined_name);

}  // namespace gongkai::app

#endif  // GONGKAI_APP_ACCESS_H_

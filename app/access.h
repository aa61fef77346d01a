// What a caller may see and where a new record belongs. Every function reads
// through the Tables it is given, so inside a write it judges the rows of
// that write's transaction.
#ifndef GONGKAI_APP_ACCESS_H_
#define GONGKAI_APP_ACCESS_H_

#include <string>
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

// The agency for a new record: the requested one, or the caller's only
// agency; INVALID_ARGUMENT (listing the agencies) when unknown or not given
// where several exist, PERMISSION_DENIED when the caller does not work for
// it. "" when no agencies are set up.
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
// named `combined_name`). NOT_FOUND for an unknown agency,
// PERMISSION_DENIED for one the caller does not work for.
absl::StatusOr<ReportScope> ScopeFor(storage::Tables& tables,
                                     const Caller& caller,
                                     const std::string& agency,
                                     const std::string& combined_name);

}  // namespace gongkai::app

#endif  // GONGKAI_APP_ACCESS_H_

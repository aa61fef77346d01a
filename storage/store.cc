#include "storage/store.h"

#include "common/status_macros.h"

namespace gongkai::storage {

absl::Status ForEachOpenCase(
    Store& store,
    const std::function<absl::Status(const CaseRecord&,
                                     const std::vector<CaseEvent>&)>& visit) {
  CaseQuery query;
  query.open_only = true;
  query.limit = 1000;
  while (true) {
    ASSIGN_OR_RETURN(CasePage page, store.ListCases(query));
    std::vector<int64_t> ids;
    for (const CaseRecord& c : page.cases) ids.push_back(c.id);
    ASSIGN_OR_RETURN(auto events, store.GetEventsOfCases(ids));
    for (const CaseRecord& c : page.cases)
      RETURN_IF_ERROR(visit(c, events[c.id]));
    if (!page.more) return absl::OkStatus();
    query.after = {{page.cases.back().received_on, page.cases.back().id}};
  }
}

}  // namespace gongkai::storage

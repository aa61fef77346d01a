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
    // The page and its events from one snapshot; `visit` runs outside the
    // transaction so that it may use the store itself.
    CasePage page;
    std::map<int64_t, std::vector<CaseEvent>> events;
    RETURN_IF_ERROR(store.Read([&](Tables& t) -> absl::Status {
      ASSIGN_OR_RETURN(page, t.cases().List(query));
      std::vector<int64_t> ids;
      for (const CaseRecord& c : page.cases) ids.push_back(c.id);
      ASSIGN_OR_RETURN(events, t.cases().EventsOf(ids));
      return absl::OkStatus();
    }));
    for (const CaseRecord& c : page.cases)
      RETURN_IF_ERROR(visit(c, events[c.id]));
    if (!page.more) return absl::OkStatus();
    query.after = {{page.cases.back().received_on, page.cases.back().id}};
  }
}

}  // namespace gongkai::storage

#include "storage/store.h"

#include "common/dates.h"
#include "common/status_macros.h"

namespace gongkai::storage {

CaseCursor::CaseCursor(absl::CivilDay received_on, int64_t id)
    : key(FormatDate(received_on)), id(id) {}

CaseCursor CaseQuery::Cursor(const CaseRecord& last) const {
  switch (sort) {
    case CaseSort::kDue:
      // Unknown deadlines sort last, as the store's index orders them.
      return CaseCursor(
          last.due_on.has_value() ? FormatDate(*last.due_on) : "9999-12-31",
          last.id);
    case CaseSort::kCaseNo:
      return CaseCursor(last.case_no, last.id);
    case CaseSort::kReceived:
      break;
  }
  return CaseCursor(last.received_on, last.id);
}

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
    RETURN_IF_ERROR(store.ReadInBackground([&](Tables& t) -> absl::Status {
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

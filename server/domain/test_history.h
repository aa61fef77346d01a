// Test helper: builds a case's event list the way storage would return it.
#ifndef GONGKAI_SERVER_DOMAIN_TEST_HISTORY_H_
#define GONGKAI_SERVER_DOMAIN_TEST_HISTORY_H_

#include <initializer_list>
#include <string>
#include <utility>
#include <vector>

#include "common/dates.h"
#include "server/domain/case.h"

namespace gongkai {

inline absl::CivilDay D(const char* s) { return *ParseDate(s); }

class History {
 public:
  explicit History(const char* received) { Add("received", received); }
  History& Add(
      const char* kind, const char* date,
      std::initializer_list<std::pair<const char*, Json>> details = {}) {
    CaseEvent e;
    e.seq = static_cast<int64_t>(events_.size()) + 1;
    e.kind = kind;
    e.effective_on = D(date);
    for (const auto& [k, v] : details) e.details.Set(k, v);
    events_.push_back(std::move(e));
    return *this;
  }
  const std::vector<CaseEvent>& events() const { return events_; }

 private:
  std::vector<CaseEvent> events_;
};

}  // namespace gongkai

#endif  // GONGKAI_SERVER_DOMAIN_TEST_HISTORY_H_

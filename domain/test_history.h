// Test helper: builds a case's event list the way storage would return it.
#ifndef GONGKAI_DOMAIN_TEST_HISTORY_H_
#define GONGKAI_DOMAIN_TEST_HISTORY_H_

#include <initializer_list>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/dates.h"
#include "domain/case.h"

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

// A random history for property tests: receipt on `received`, then up to
// four events of the kinds that move clocks (and, with `may_close`, the
// answer), each up to two weeks after the one before.
inline History RandomHistory(std::mt19937& rng, absl::CivilDay received,
                             bool may_close) {
  static const char* const kKinds[] = {"correction_requested",
                                       "corrected",
                                       "consultation_started",
                                       "consultation_replied",
                                       "extended",
                                       "fee_notified",
                                       "fee_paid",
                                       "answered"};
  History h(FormatDate(received).c_str());
  absl::CivilDay d = received;
  for (int i = static_cast<int>(rng() % 5); i > 0; --i) {
    d += static_cast<int>(rng() % 15);
    h.Add(kKinds[rng() % (may_close ? 8 : 7)], FormatDate(d).c_str(),
          {{"id", Json(absl::StrCat("c", rng() % 2))},
           {"party", Json("某单位")},
           {"kind", Json(rng() % 2 ? "agency" : "third_party")},
           {"days", Json(int64_t{20})},
           {"period_days", Json(int64_t{10})},
           {"amount_fen", Json(int64_t{100})}});
  }
  return h;
}

}  // namespace gongkai

#endif  // GONGKAI_DOMAIN_TEST_HISTORY_H_

// Store: the durable home of every case. The server talks to storage only
// through this interface.
//
// Every change to a case happens in one transaction that also appends the
// case's audit event; either both are written or neither. Implementations are
// safe to call from many threads at once.
#ifndef GONGKAI_STORAGE_STORE_H_
#define GONGKAI_STORAGE_STORE_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "server/domain/case.h"
#include "server/domain/codes.h"

namespace gongkai::storage {

struct CaseQuery {
  std::optional<CaseState> state;
  int receipt_year = 0;  // 0: any
  std::optional<ApplicantType> applicant_type;
  int limit = 100;
  // Keyset cursor: return cases after (received_on, id) in that order.
  std::optional<std::pair<absl::CivilDay, int64_t>> after;
};

struct CasePage {
  std::vector<CaseRecord> cases;
  bool more = false;   // another page follows
  int64_t total = 0;   // cases matching the filter, all pages
};

class Store {
 public:
  virtual ~Store() = default;

  // Stores a new case and its first event. An empty case_no takes the next
  // number of the receipt year ("2023-0001"). ALREADY_EXISTS when the case
  // number is taken.
  virtual absl::StatusOr<CaseRecord> CreateCase(CaseRecord record,
                                                CaseEvent event) = 0;

  // NOT_FOUND when there is no such case.
  virtual absl::StatusOr<CaseRecord> GetCase(absl::string_view case_no) = 0;
  virtual absl::StatusOr<std::vector<CaseEvent>> GetEvents(int64_t case_id) = 0;
  virtual absl::StatusOr<CasePage> ListCases(const CaseQuery& query) = 0;

  // Loads the case, lets `change` apply a domain transition to it, and writes
  // the changed case with the returned event, all in one transaction. When
  // `change` fails nothing is written and its status is returned.
  using Change = std::function<absl::StatusOr<CaseEvent>(CaseRecord&)>;
  virtual absl::StatusOr<CaseRecord> UpdateCase(absl::string_view case_no,
                                                const Change& change) = 0;
};

}  // namespace gongkai::storage

#endif  // GONGKAI_STORAGE_STORE_H_

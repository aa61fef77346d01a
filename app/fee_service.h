// FeeService: quotes the information-processing fee (信息处理费) an applicant
// owes, per page or per application of the month, with the arithmetic
// spelled out. Reads only.
//
// Thread safety: holds only the Environment; call from any number of
// threads at once.
#ifndef GONGKAI_APP_FEE_SERVICE_H_
#define GONGKAI_APP_FEE_SERVICE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "app/caller.h"
#include "app/environment.h"

namespace gongkai::app {

// What the fee is quoted on: exactly one of the three.
struct FeeBasis {
  std::optional<int> pages;              // per page
  std::optional<int> pieces_this_month;  // per application, the n-th
  // Per application, counted among the applications received by the
  // caller's agencies (a caller of every agency: all of them).
  std::optional<std::string> applicant;
  std::optional<absl::CivilDay> month_of;  // with `applicant`; default today
};

struct FeeQuote {
  std::string method;  // "per_page" or "per_piece"
  int pages = 0;
  int pieces_this_month = 0;
  int64_t fee_yuan = 0;
  int64_t month_total_yuan = 0;  // per piece: applications 1..n together
  std::vector<std::string> explanation;
};

class FeeService {
 public:
  // `env` needs the store and the time.
  explicit FeeService(Environment env) : env_(std::move(env)) {}

  absl::StatusOr<FeeQuote> QuoteFee(const Caller& caller,
                                    const FeeBasis& basis) const;

 private:
  Environment env_;
};

}  // namespace gongkai::app

#endif  // GONGKAI_APP_FEE_SERVICE_H_

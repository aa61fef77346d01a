// Information-processing fees (国办函〔2020〕109号). Both methods charge only
// for the part above each threshold; amounts are whole yuan.
#ifndef GONGKAI_DOMAIN_FEES_H_
#define GONGKAI_DOMAIN_FEES_H_

#include <cstdint>
#include <string>
#include <vector>

#include "common/lang.h"

namespace gongkai {

// Per piece (按件计收): the fee for an applicant's `nth` application in one
// calendar month. 1-10 free; 11-30: 100; 31-40: 200; 41-50: 300; each further
// band of 10: 100 more than the band before.
int64_t PerPieceFeeYuan(int nth);
// The fees of applications 1..n of one month together.
int64_t PerPieceMonthTotalYuan(int n);

// Per page (按量计收), within one application: 1-30 free; 31-100: 10 per
// page; 101-200: 20 per page; over 200: 40 per page.
int64_t PerPageFeeYuan(int pages);
// The same in words, one line per band.
std::vector<std::string> ExplainPerPageFee(int pages, Lang lang = Lang::kZh);

}  // namespace gongkai

#endif  // GONGKAI_DOMAIN_FEES_H_

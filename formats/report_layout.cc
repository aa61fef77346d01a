#include "formats/report_layout.h"

#include "absl/strings/str_cat.h"
#include "formats/csv.h"

namespace gongkai {
namespace {

constexpr char kNew[] = "一、本年新收政府信息公开申请数量";
constexpr char kCarriedIn[] = "二、上年结转政府信息公开申请数量";
constexpr char kOutcomes[] = "三、本年度办理结果";
constexpr char kCarriedOut[] = "四、结转下年度继续办理";
constexpr char kTotal[] = "（七）总计";

std::vector<std::string> Header1() {
  return {kTable3Note, "", "", "申请人情况", "", "", "", "", "", ""};
}
std::vector<std::string> Header2() {
  return {"", "", "", "自然人", "法人或其他组织", "", "", "", "", "总计"};
}
std::vector<std::string> Header3() {
  std::vector<std::string> h = {"", "", "", ""};
  for (int i = 1; i < kApplicantTypeCount; ++i) {
    h.push_back(std::string(AllApplicantTypes()[i].label));
  }
  h.push_back("");
  return h;
}

}  // namespace

std::vector<int64_t> Table4Values(const Table4& t) {
  std::vector<int64_t> v;
  for (const Results* res : {&t.reconsideration, &t.litigation_direct,
                             &t.litigation_after_reconsideration}) {
    for (int64_t x : {res->upheld, res->corrected, res->other, res->pending,
                      res->total()}) {
      v.push_back(x);
    }
  }
  return v;
}

std::vector<Table3Row> Table3Rows(const Table3& t) {
  std::vector<Table3Row> rows;
  rows.push_back({kNew, "", "", &t.new_requests, "一"});
  rows.push_back({kCarriedIn, "", "", &t.carried_in, "二"});
  for (int i = 0; i < kOutcomeCount; ++i) {
    const OutcomeInfo& o = AllOutcomes()[i];
    Table3Row row{kOutcomes, "", "", &t.outcomes[i], std::string(o.row)};
    if (o.group.empty()) {
      row.sub = OutcomeItemLabel(o);
    } else {
      row.sub = std::string(o.group);
      row.item = OutcomeItemLabel(o);
    }
    rows.push_back(row);
  }
  rows.push_back({kOutcomes, kTotal, "", &t.outcome_total, "（七）"});
  rows.push_back({kCarriedOut, "", "", &t.carried_out, "四"});
  return rows;
}

std::string ReportCsv(const AnnualReport& r) {
  std::string out = kUtf8Bom;
  AppendCsvRecord(&out, {kTable3Title});
  AppendCsvRecord(&out, Header1());
  AppendCsvRecord(&out, Header2());
  AppendCsvRecord(&out, Header3());
  for (const Table3Row& row : Table3Rows(r.table3)) {
    std::vector<std::string> cells = {row.group, row.sub, row.item};
    for (int64_t v : row.counts->by_type) cells.push_back(absl::StrCat(v));
    cells.push_back(absl::StrCat(row.counts->total()));
    AppendCsvRecord(&out, cells);
  }
  AppendCsvRecord(&out, {});
  AppendCsvRecord(&out, {kTable4Title});
  // Without merged cells the groups stand over their first column, and the
  // third row names all 15 columns so a spreadsheet reads them one by one.
  std::vector<std::string> groups(15), litigation(15), heads;
  groups[0] = kReconsideration;
  groups[5] = kLitigation;
  litigation[5] = kLitigationDirect;
  litigation[10] = kLitigationAfter;
  AppendCsvRecord(&out, groups);
  AppendCsvRecord(&out, litigation);
  for (int k = 0; k < 3; ++k) {
    for (const char* h : kResultHeads) heads.push_back(h);
  }
  AppendCsvRecord(&out, heads);
  std::vector<std::string> values;
  for (int64_t v : Table4Values(r.table4)) values.push_back(absl::StrCat(v));
  AppendCsvRecord(&out, values);
  return out;
}

}  // namespace gongkai

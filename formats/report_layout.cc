#include "formats/report_layout.h"

#include <map>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "common/lang.h"
#include "formats/csv.h"

namespace gongkai {
namespace {

constexpr char kNew[] = "一、本年新收政府信息公开申请数量";
constexpr char kCarriedIn[] = "二、上年结转政府信息公开申请数量";
constexpr char kOutcomes[] = "三、本年度办理结果";
constexpr char kCarriedOut[] = "四、结转下年度继续办理";
constexpr char kTotal[] = "（七）总计";

// Label cells compare after removing spaces and unifying parentheses and
// the item numbering, so hand-typed "(一) 予以公开" matches "（一）予以公开".
std::string Normalize(absl::string_view s) {
  std::string out = absl::StrReplaceAll(
      s, {{" ", ""}, {"\t", ""}, {"(", "（"}, {")", "）"}, {"　", ""}});
  return out;
}

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

absl::StatusOr<std::vector<std::string>> CheckTable3Csv(
    absl::string_view text) {
  absl::StatusOr<std::vector<CsvRecord>> records = ParseCsv(text);
  if (!records.ok()) return records.status();

  // The expected rows, keyed by their normalized labels.
  Table3 empty;
  std::vector<Table3Row> expected = Table3Rows(empty);
  const std::vector<std::string> columns = {
      "自然人",       "商业企业", "科研机构", "社会公益组织",
      "法律服务机构", "其他",     "总计"};
  std::map<std::string, int> by_label;  // normalized key -> expected index
  auto key_of = [](const std::string& group, const std::string& sub,
                   const std::string& item) {
    return Normalize(group) + "|" + Normalize(sub) + "|" + Normalize(item);
  };
  for (size_t i = 0; i < expected.size(); ++i) {
    by_label[key_of(expected[i].group, expected[i].sub, expected[i].item)] =
        static_cast<int>(i);
  }

  std::vector<std::string> problems;
  std::vector<std::vector<int64_t>> values(expected.size());
  std::vector<int> found_line(expected.size(), 0);
  std::string group, sub;  // carried down, as merged cells leave them empty
  bool in_table3 = false;
  for (const CsvRecord& rec : *records) {
    std::vector<std::string> f = rec.fields;
    f.resize(std::max<size_t>(f.size(), 10));
    if (absl::StartsWith(Normalize(f[0]), Normalize(kTable4Title))) break;
    if (Normalize(f[0]) == Normalize(kTable3Title)) {
      in_table3 = true;
      continue;
    }
    // Data rows have a number in the first applicant column.
    const bool is_data =
        !f[3].empty() && f[3] != "自然人" && f[3] != "申请人情况";
    if (!is_data) continue;
    in_table3 = true;
    if (!f[0].empty()) {
      group = f[0];
      sub.clear();
    }
    if (!f[1].empty()) sub = f[1];
    std::string item = f[2];
    std::string key =
        key_of(group, f[1].empty() && item.empty() ? "" : sub, item);
    auto it = by_label.find(key);
    if (it == by_label.end()) {
      problems.push_back(absl::StrCat(
          "line ", rec.line, ": row '", group, sub.empty() ? "" : " ", sub,
          item.empty() ? "" : " ", item, "' is not a row of table 3"));
      continue;
    }
    const int idx = it->second;
    const std::string row_id = expected[idx].id;
    if (found_line[idx] != 0) {
      problems.push_back(absl::StrCat("line ", rec.line, ": row ", row_id,
                                      " appears again (first on line ",
                                      found_line[idx], ")"));
      continue;
    }
    found_line[idx] = rec.line;
    values[idx].assign(7, 0);
    for (int c = 0; c < 7; ++c) {
      std::string cell(absl::StripAsciiWhitespace(f[3 + c]));
      int64_t v = 0;
      if (!absl::SimpleAtoi(cell, &v) || v < 0) {
        problems.push_back(absl::StrCat("row ", row_id, " column ", columns[c],
                                        ": '", cell, "' is not a count"));
        v = 0;
      }
      values[idx][c] = v;
    }
    int64_t sum = 0;
    for (int c = 0; c < 6; ++c) sum += values[idx][c];
    if (sum != values[idx][6]) {
      problems.push_back(absl::StrCat("row ", row_id,
                                      " column 总计: ", values[idx][6],
                                      " but the six columns sum to ", sum));
    }
  }
  if (!in_table3) {
    return LocalizedError(
        absl::StatusCode::kInvalidArgument,
        "没有找到表三；文件必须是“gongkai report --format csv”的格式",
        "no table 3 found; the file must have the layout of "
        "'gongkai report --format csv'");
  }
  bool complete = true;
  for (size_t i = 0; i < expected.size(); ++i) {
    if (found_line[i] == 0) {
      problems.push_back(absl::StrCat(
          "row ", expected[i].id, " (",
          expected[i].item.empty() ? expected[i].sub : expected[i].item,
          expected[i].sub.empty() ? expected[i].group : "", ") is missing"));
      complete = false;
    }
  }
  if (complete) {
    const size_t kFirstOutcome = 2, kTotalRow = 23, kCarriedOutRow = 24;
    for (int c = 0; c < 7; ++c) {
      int64_t sum = 0;
      for (size_t i = kFirstOutcome; i < kTotalRow; ++i) sum += values[i][c];
      if (sum != values[kTotalRow][c]) {
        problems.push_back(absl::StrCat(
            "row （七）总计 column ", columns[c], ": ", values[kTotalRow][c],
            " but the 21 outcome rows sum to ", sum));
      }
      const int64_t left = values[0][c] + values[1][c];
      const int64_t right = values[kTotalRow][c] + values[kCarriedOutRow][c];
      if (left != right) {
        problems.push_back(
            absl::StrCat("column ", columns[c], ": 一 + 二 = ", left,
                         " but （七）总计 + 四 = ", right,
                         " (第一项加第二项之和，等于第三项加第四项之和)"));
      }
    }
  }
  return problems;
}

}  // namespace gongkai

#include "published/report_check.h"

#include <algorithm>
#include <functional>
#include <regex>
#include <set>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "domain/codes.h"
#include "published/labels.h"

namespace gongkai::published {
namespace {

constexpr const char* kColumnCodes[kTable3Columns] = {"natural_person",
                                                      "commercial_enterprise",
                                                      "research_institution",
                                                      "public_interest_org",
                                                      "legal_service_org",
                                                      "other_org",
                                                      "total"};
constexpr const char* kColumnZh[kTable3Columns] = {
    "自然人",       "商业企业", "科研机构", "社会公益组织",
    "法律服务机构", "其他",     "总计"};
constexpr const char* kColumnEn[kTable3Columns] = {"natural person",
                                                   "commercial enterprise",
                                                   "research institution",
                                                   "public-interest org",
                                                   "legal service org",
                                                   "other org",
                                                   "total"};

constexpr const char* kGroupCodes[3] = {"reconsideration", "litigation_direct",
                                        "litigation_after_reconsideration"};
constexpr const char* kGroupZh[3] = {"行政复议", "行政诉讼（未经复议直接起诉）",
                                     "行政诉讼（复议后起诉）"};
constexpr const char* kGroupEn[3] = {"reconsideration", "litigation (direct)",
                                     "litigation (after reconsideration)"};
constexpr const char* kResultCodes[5] = {"upheld", "corrected", "other",
                                         "pending", "total"};
constexpr const char* kResultZh[5] = {"结果维持", "结果纠正", "其他结果",
                                      "尚未审结", "总计"};
constexpr const char* kResultEn[5] = {"upheld", "corrected", "other", "pending",
                                      "total"};

// ---------------------------------------------------------------------------
// Cells.

enum class CellKind { kNumber, kBlankZero, kUnreadable };

// What a cell is read as.
enum class Quantity {
  kCount,        // a count: 47, "47件"
  kSignedCount,  // 2019 table 2's 本年增/减: -18, +3
  kWanYuan,      // an amount in a column of 万元, read in fen: "24252.311082"
                 // or, with the unit written in the cell, "251000元"
};

struct CellRead {
  CellKind kind = CellKind::kUnreadable;
  int64_t value = 0;  // the count, or the amount in fen
  // The unit written after the number ("件", "元"), empty when none.
  std::string unit;
};

// `text` without any space-like character (NBSP and the ideographic space
// are spaces after NFKC).
std::string Compact(absl::string_view text) {
  std::string nfkc = NfkcText(text);
  std::string out;
  for (size_t i = 0; i < nfkc.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(nfkc[i]);
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') continue;
    // U+200B zero width space, U+FEFF byte-order mark.
    if (nfkc.compare(i, 3, "\u200b") == 0 ||
        nfkc.compare(i, 3, "\ufeff") == 0) {
      i += 2;
      continue;
    }
    out.push_back(nfkc[i]);
  }
  return out;
}

bool IsBlankZero(const std::string& compact) {
  static const std::set<std::string> kBlank = {"",
                                               "/",
                                               "\\",
                                               "-",
                                               "--",
                                               "—",
                                               "——",
                                               "–",
                                               "一",
                                               "―",
                                               "─",
                                               "无",
                                               "空",
                                               "\u2012",
                                               "\u2010",
                                               "\u2011",
                                               "\u2015\u2015",
                                               "-0-"};
  return kBlank.count(compact) > 0;
}

// `whole`.`frac` (ASCII digits) times 10^shift; false when `frac` has more
// digits than the shift keeps (an amount finer than a fen) or the result
// would not fit 15 digits.
bool ScaledDigits(const std::string& whole, std::string frac, int shift,
                  int64_t* out) {
  if (static_cast<int>(frac.size()) > shift) return false;
  frac.resize(shift, '0');
  const std::string all = whole + frac;
  return all.size() <= 15 && absl::SimpleAtoi(all, out);
}

// A cell as `quantity`. Offices write a count as "47" or "47件", thousands
// as "1,234", an amount as "24252.311082" (万元 to the fen) or with its
// unit as "251000元" (2019's 采购总金额): a reviewer reads all of these,
// so does the checker, and the unit is kept for a note. Blank, "/", "—",
// "无" and the like are zero. Anything else (a date, a word, "约50", a
// fraction of a count) is unreadable, never 0.
CellRead ReadNumber(absl::string_view text,
                    Quantity quantity = Quantity::kCount) {
  CellRead r;
  std::string s = Compact(text);
  if (IsBlankZero(s)) {
    r.kind = CellKind::kBlankZero;
    return r;
  }
  // The unit after the number; longest first ("万元" before "元").
  static constexpr const char* kCountUnits[] = {"件", "条", "项", "个"};
  static constexpr const char* kMoneyUnits[] = {"万元", "元"};
  if (quantity == Quantity::kWanYuan) {
    for (const char* unit : kMoneyUnits) {
      if (absl::EndsWith(s, unit)) {
        r.unit = unit;
        break;
      }
    }
  } else {
    for (const char* unit : kCountUnits) {
      if (absl::EndsWith(s, unit)) {
        r.unit = unit;
        break;
      }
    }
  }
  s.resize(s.size() - r.unit.size());
  bool negative = false;
  if (quantity == Quantity::kSignedCount && !s.empty() &&
      (s[0] == '+' || s[0] == '-')) {
    negative = s[0] == '-';
    s.erase(0, 1);
  }
  static const std::regex kPlain("[0-9]+(\\.[0-9]+)?");
  static const std::regex kGrouped("[0-9]{1,3}(,[0-9]{3})+(\\.[0-9]+)?");
  if (!std::regex_match(s, kPlain) && !std::regex_match(s, kGrouped)) return r;
  s = absl::StrReplaceAll(s, {{",", ""}});
  std::string whole = s, frac;
  if (size_t dot = s.find('.'); dot != std::string::npos) {
    whole = s.substr(0, dot);
    frac = s.substr(dot + 1);
  }
  int64_t v = 0;
  if (quantity == Quantity::kWanYuan) {
    // 1 万元 = 10^6 fen, 1 元 = 100 fen.
    if (!ScaledDigits(whole, frac, r.unit == "元" ? 2 : 6, &v)) return r;
  } else {
    // "47.0" as Excel may write a count is still 47; "47.5" is no count.
    if (frac.find_first_not_of('0') != std::string::npos) return r;
    if (!ScaledDigits(whole, "", 0, &v)) return r;
  }
  r.kind = CellKind::kNumber;
  r.value = negative ? -v : v;
  return r;
}

// "12,345", "-18", "24252.31", "251000元" look numeric; "自然人" does not.
// For finding the number columns of a table without a recognised header.
bool LooksNumeric(absl::string_view text) {
  return ReadNumber(text, Quantity::kWanYuan).kind == CellKind::kNumber ||
         ReadNumber(text, Quantity::kSignedCount).kind == CellKind::kNumber;
}

// ---------------------------------------------------------------------------
// Official rows.

struct OfficialRow {
  std::string id;
  std::string official;  // as the table writes it, for messages
  bool heading = false;  // a heading over items, not a row of figures
  bool only2019 = false, only2021 = false;
};

// Table 3's candidates in table order; positions follow the 2021 layout.
const std::vector<OfficialRow>& Table3Official() {
  static const auto* rows = [] {
    auto* v = new std::vector<OfficialRow>;
    v->push_back({"一", "一、本年新收政府信息公开申请数量"});
    v->push_back({"二", "二、上年结转政府信息公开申请数量"});
    v->push_back({"三", "三、本年度办理结果", true});
    for (const OutcomeInfo& o : AllOutcomes()) {
      if (o.row == "（三）1" || o.row == "（四）1" || o.row == "（五）1" ||
          o.row == "（六）1") {
        const std::string group(o.group);
        if (o.row == "（六）1") {
          // A heading in 2021; the single row of figures in 2019.
          v->push_back({"（六）", group});
        } else {
          v->push_back({group.substr(0, group.find("）") + 3), group, true});
        }
      }
      OfficialRow row{std::string(o.row), OutcomeItemLabel(o)};
      row.only2021 = absl::StartsWith(o.row, "（六）");
      v->push_back(row);
    }
    v->push_back({"（七）", "（七）总计"});
    v->push_back({"四", "四、结转下年度继续办理"});
    return v;
  }();
  return *rows;
}

Numbering NumberingOfId(absl::string_view id) {
  // "一" → group 1; "（三）" → sub 3; "（三）1" → item 1.
  const ParsedLabel p = ParseLabel(absl::StrCat(id, "、x"));
  if (absl::StartsWith(id, "（")) {
    const size_t close = id.find("）");
    const absl::string_view item = id.substr(close + 3);
    if (!item.empty()) {
      int n = 0;
      (void)absl::SimpleAtoi(item, &n);
      return {Numbering::kItem, n};
    }
    return ParseLabel(absl::StrCat(id, "x")).numbering;
  }
  return p.numbering;
}

// The official text of a row without its numbering, folded.
std::string FoldedLeaf(const OfficialRow& r) {
  if (r.id == "（七）") return "总计";
  return ParseLabel(r.official).folded;
}

std::vector<LabelCandidate> Table3Candidates() {
  std::vector<LabelCandidate> out;
  int position = 0;
  std::string parent;
  for (const OfficialRow& r : Table3Official()) {
    LabelCandidate c;
    c.id = r.id;
    c.official = r.official;
    c.folded = FoldedLeaf(r);
    c.numbering = NumberingOfId(r.id);
    const bool item = c.numbering.kind == Numbering::kItem;
    if (r.heading || r.id == "（六）") parent = c.folded;
    if (!item && !r.heading && r.id != "（六）") parent.clear();
    c.parent = item ? parent : "";
    c.position = position++;
    out.push_back(std::move(c));
  }
  return out;
}

const OfficialRow& Table3Row(const std::string& id) {
  for (const OfficialRow& r : Table3Official()) {
    if (r.id == id) return r;
  }
  return Table3Official().front();
}

// The ids of the rows of figures in `layout`, in order.
std::vector<std::string> Table3Ids(Layout layout) {
  std::vector<std::string> ids;
  for (const OfficialRow& r : Table3Official()) {
    if (r.heading) continue;
    if (layout == Layout::k2019 ? r.only2021 : r.id == "（六）") continue;
    ids.push_back(r.id);
  }
  return ids;
}

bool IsOutcomeRow(const std::string& id) {
  return id != "一" && id != "二" && id != "（七）" && id != "四";
}

std::vector<LabelCandidate> SimpleCandidates(
    const std::vector<std::pair<std::string, std::string>>& id_label) {
  std::vector<LabelCandidate> out;
  for (const auto& [id, label] : id_label) {
    LabelCandidate c;
    c.id = id;
    c.official = label;
    c.folded = FoldLabel(label);
    c.position = static_cast<int>(out.size());
    out.push_back(std::move(c));
  }
  return out;
}

const std::vector<LabelCandidate>& ColumnCandidates() {
  static const auto* c = new std::vector<LabelCandidate>([] {
    std::vector<std::pair<std::string, std::string>> v;
    for (int i = 0; i < kTable3Columns; ++i)
      v.push_back({kColumnCodes[i], kColumnZh[i]});
    return SimpleCandidates(v);
  }());
  return *c;
}

const std::vector<LabelCandidate>& ResultCandidates() {
  static const auto* c = new std::vector<LabelCandidate>([] {
    std::vector<std::pair<std::string, std::string>> v;
    for (int i = 0; i < 5; ++i) v.push_back({kResultCodes[i], kResultZh[i]});
    return SimpleCandidates(v);
  }());
  return *c;
}

// Table 2 items (both layouts) and columns.
struct Table2Item {
  const char* code;
  const char* label;
  bool fee;
};
constexpr Table2Item kTable2Items[] = {
    {"rules", "规章", false},
    {"normative_documents", "行政规范性文件", false},
    {"licensing", "行政许可", false},
    {"other_services", "其他对外管理服务事项", false},  // 2019
    {"punishment", "行政处罚", false},
    {"enforcement", "行政强制", false},
    {"fees", "行政事业性收费", true},
    {"procurement", "政府集中采购", true},  // 2019
};
struct Table2Column {
  const char* code;
  const char* label;
  Quantity quantity;
};
constexpr Table2Column kTable2Columns[] = {
    {"issued", "本年制发件数", Quantity::kCount},
    {"repealed", "本年废止件数", Quantity::kCount},
    {"in_force", "现行有效件数", Quantity::kCount},
    {"decisions", "本年处理决定数量", Quantity::kCount},
    {"amount", "本年收费金额单位万元", Quantity::kWanYuan},
    // 2019
    {"made", "本年新制作数量", Quantity::kCount},
    {"published", "本年新公开数量", Quantity::kCount},
    {"public_total", "对外公开总数量", Quantity::kCount},
    {"previous_items", "上一年项目数量", Quantity::kCount},
    {"change", "本年增减", Quantity::kSignedCount},
    // No unit in the header: 万元 as the fees of the same table, unless
    // the cell says "元".
    {"amount", "采购总金额", Quantity::kWanYuan},
};

// ---------------------------------------------------------------------------
// Narrative numbers.

// "47", "４７", "四十七", "一百零二" as a number; -1 otherwise.
int64_t NarrativeNumber(const std::string& s) {
  int64_t v = 0;
  if (absl::SimpleAtoi(absl::StrReplaceAll(s, {{",", ""}}), &v)) return v;
  static const std::u32string kDigits = U"零一二三四五六七八九";
  std::u32string u;
  for (size_t i = 0; i < s.size();) {
    // The numerals are all 3-byte UTF-8.
    if (i + 3 > s.size()) return -1;
    const std::string ch = s.substr(i, 3);
    static const std::vector<std::pair<std::string, char32_t>> kMap = {
        {"零", U'零'}, {"一", U'一'}, {"二", U'二'}, {"两", U'二'},
        {"三", U'三'}, {"四", U'四'}, {"五", U'五'}, {"六", U'六'},
        {"七", U'七'}, {"八", U'八'}, {"九", U'九'}, {"十", U'十'},
        {"百", U'百'}, {"千", U'千'}};
    char32_t c = 0;
    for (const auto& [k, cp] : kMap) {
      if (k == ch) c = cp;
    }
    if (c == 0) return -1;
    u.push_back(c);
    i += 3;
  }
  int64_t total = 0, current = 0;
  for (char32_t c : u) {
    const size_t d = kDigits.find(c);
    if (d != std::u32string::npos) {
      current = static_cast<int64_t>(d);
    } else {
      const int64_t unit = c == U'十' ? 10 : c == U'百' ? 100 : 1000;
      total += (current == 0 ? 1 : current) * unit;
      current = 0;
    }
  }
  return u.empty() ? -1 : total + current;
}

// ---------------------------------------------------------------------------
// The checker.

struct Region {
  int grid = -1;
  int begin = 0, end = 0;  // rows [begin, end)
};

class Checker {
 public:
  explicit Checker(const Source& source) : source_(source) {
    result_.file = source.file_name;
    result_.format = source.format;
    result_.format_en = source.format_en;
  }

  CheckResult Run(const CheckInputs& inputs) {
    FindRegions();
    if (regions_[2].grid >= 0) {
      ReadTable2();
    } else {
      Add(Severity::kNote, 2, "table.missing", "", "", {}, {},
          "没有找到表二（主动公开政府信息情况）。",
          "Table 2 (proactive disclosure) was not found.");
    }
    if (regions_[3].grid >= 0) {
      ReadTable3();
    } else {
      Add(Severity::kError, 3, "table.missing", "", "", {}, {},
          "没有找到表三（收到和处理政府信息公开申请情况），表三的规则都未能检查"
          "。",
          "Table 3 (requests received and handled) was not found; none of "
          "its rules could run.");
    }
    if (regions_[4].grid >= 0) {
      ReadTable4();
    } else {
      Add(Severity::kError, 4, "table.missing", "", "", {}, {},
          "没有找到表四（行政复议、行政诉讼情况），t4.total 未能检查。",
          "Table 4 (reconsideration and litigation) was not found; t4.total "
          "could not run.");
    }
    if (blank_zero_ > 0) {
      Add(Severity::kNote, std::nullopt, "cell.blank_zero", "", "", {},
          blank_zero_,
          absl::StrCat("有 ", blank_zero_,
                       " 个单元格为空白或写作“/”“—”“无”等，均按 0 读取。"),
          absl::StrCat(blank_zero_,
                       " cell(s) blank or written as '/', '—', '无' and "
                       "the like were read as 0."));
    }
    if (with_unit_ > 0) {
      Add(Severity::kNote, std::nullopt, "cell.unit", "", "", {}, with_unit_,
          absl::StrCat("有 ", with_unit_, " 个单元格在数字后写了单位（如“",
                       unit_example_, "”），按数字读取",
                       yuan_ ? "；写“元”的金额已折算为万元列的金额" : "", "。"),
          absl::StrCat(with_unit_,
                       " cell(s) give a unit after the number (such as '",
                       unit_example_, "') and were read as that number",
                       yuan_ ? "; an amount in 元 was converted for its column "
                               "of 万元"
                             : "",
                       "."));
    }
    CheckNarrative();
    if (inputs.previous != nullptr) CheckPrevious(*inputs.previous);
    if (!inputs.children.empty()) CheckChildren(inputs.children);
    result_.figures.year = FindYear();
    // Errors first, then warnings, then notes; each in the order found.
    std::stable_sort(result_.findings.begin(), result_.findings.end(),
                     [](const Finding& a, const Finding& b) {
                       return static_cast<int>(a.severity) <
                              static_cast<int>(b.severity);
                     });
    return std::move(result_);
  }

 private:
  void Add(Severity severity, std::optional<int> table, std::string rule,
           std::string row, std::string column, Value expected, Value found,
           std::string zh, std::string en) {
    Finding f;
    f.severity = severity;
    f.table = table;
    f.rule = std::move(rule);
    f.row = std::move(row);
    f.column = std::move(column);
    f.expected = expected;
    f.found = found;
    f.message_zh = std::move(zh);
    f.message_en = std::move(en);
    result_.findings.push_back(std::move(f));
  }

  const std::vector<Cell>& RowAt(int grid, int r) const {
    return source_.tables[grid].rows[r];
  }
  std::string CellText(int grid, int r, int c) const {
    const auto& row = RowAt(grid, r);
    return c < static_cast<int>(row.size()) ? row[c].text : std::string();
  }
  std::string WhereZh(int grid, int r, int c = -1) const {
    const Grid& g = source_.tables[grid];
    return absl::StrCat(g.where.empty() ? "表格" : g.where, "第 ", r + 1, " 行",
                        c >= 0 ? absl::StrCat("第 ", c + 1, " 列") : "");
  }
  std::string WhereEn(int grid, int r, int c = -1) const {
    const Grid& g = source_.tables[grid];
    return absl::StrCat(g.where_en.empty() ? "table" : g.where_en, ", row ",
                        r + 1, c >= 0 ? absl::StrCat(", column ", c + 1) : "");
  }

  // Reads one cell; notes a blank zero; an unreadable cell is an error on
  // that cell and comes back empty.
  Value ReadCell(int table, int grid, int r, int c, const std::string& row_id,
                 const std::string& column, const std::string& what_zh,
                 const std::string& what_en,
                 Quantity quantity = Quantity::kCount) {
    const std::string text = CellText(grid, r, c);
    const CellRead read = ReadNumber(text, quantity);
    if (read.kind == CellKind::kBlankZero) {
      ++blank_zero_;
      return 0;
    }
    if (read.kind == CellKind::kNumber && !read.unit.empty()) {
      if (with_unit_ == 0) {
        unit_example_ = std::string(absl::StripAsciiWhitespace(text));
      }
      ++with_unit_;
      yuan_ = yuan_ || read.unit == "元";
    }
    if (read.kind == CellKind::kNumber) return read.value;
    Add(Severity::kError, table, "cell.unreadable", row_id, column, {}, {},
        absl::StrCat(WhereZh(grid, r, c), "（", what_zh, "）：“", text,
                     "”不是数字，未按 0 计算；需要它的规则未检查。"),
        absl::StrCat(WhereEn(grid, r, c), " (", what_en, "): '", text,
                     "' is not a number; not read as 0, and the rules that "
                     "need it did not run."));
    return std::nullopt;
  }

  // --- Recognition --------------------------------------------------------

  // Which table a row (or caption) announces: 2, 3, 4, or 0.
  static int AnchorOf(const std::vector<std::string>& folded) {
    bool fuyi = false, susong = false, applicant = false, natural = false,
         org = false;
    for (const std::string& f : folded) {
      if (absl::StrContains(f, "行政复议")) fuyi = true;
      if (absl::StrContains(f, "行政诉讼")) susong = true;
      if (absl::StrContains(f, "收到和处理政府信息公开申请")) return 3;
      if (absl::StrContains(f, "申请人情况")) applicant = true;
      if (f == "自然人") natural = true;
      if (absl::StrContains(f, "法人或其他组织") || f == "商业企业") org = true;
      if (absl::StrContains(f, "主动公开政府信息情况") ||
          absl::StartsWith(f, "第二十条第") || f == "信息内容") {
        return 2;
      }
    }
    if (fuyi && susong) return 4;
    if (applicant || (natural && org)) return 3;
    return 0;
  }

  void FindRegions() {
    for (int g = 0; g < static_cast<int>(source_.tables.size()); ++g) {
      const Grid& grid = source_.tables[g];
      int current = AnchorOf({FoldLabel(grid.caption)});
      int start = 0;
      auto close = [&](int end) {
        if (current == 0 || end <= start) return;
        if (regions_[current].grid >= 0) {
          Add(Severity::kNote, current, "table.missing", "", "", {}, {},
              absl::StrCat("表",
                           current == 2   ? "二"
                           : current == 3 ? "三"
                                          : "四",
                           "再次出现在", grid.where, "，只检查第一次出现的。"),
              absl::StrCat("Table ", current, " appears again in ",
                           grid.where_en, "; only the first is checked."));
          return;
        }
        regions_[current] = Region{g, start, end};
      };
      for (int r = 0; r < static_cast<int>(grid.rows.size()); ++r) {
        std::vector<std::string> folded;
        for (const Cell& c : grid.rows[r]) folded.push_back(FoldLabel(c.text));
        const int anchor = AnchorOf(folded);
        if (anchor != 0 && anchor != current) {
          close(r);
          current = anchor;
          start = r;
        }
      }
      close(static_cast<int>(grid.rows.size()));
      // A grid without any heading that still holds table 3's rows.
      if (current == 0 && regions_[3].grid < 0) {
        for (const auto& row : grid.rows) {
          for (const Cell& c : row) {
            if (absl::StrContains(FoldLabel(c.text),
                                  "本年新收政府信息公开申请")) {
              regions_[3] = Region{g, 0, static_cast<int>(grid.rows.size())};
            }
          }
        }
      }
    }
    for (int t = 2; t <= 4; ++t) {
      const Region& r = regions_[t];
      if (r.grid < 0) continue;
      const Grid& g = source_.tables[r.grid];
      result_.read_zh.push_back(absl::StrCat("表",
                                             t == 2   ? "二"
                                             : t == 3 ? "三"
                                                      : "四",
                                             "：", g.where, "第 ", r.begin + 1,
                                             "–", r.end, " 行"));
      result_.read_en.push_back(absl::StrCat(
          "table ", t, ": ", g.where_en, ", rows ", r.begin + 1, "–", r.end));
    }
    result_.figures.has_table2 = regions_[2].grid >= 0;
    result_.figures.has_table3 = regions_[3].grid >= 0;
    result_.figures.has_table4 = regions_[4].grid >= 0;
  }

  // --- Table 3 ------------------------------------------------------------

  struct DataRow {
    int r = 0;
    std::string label;  // as published, parts joined by " "
    std::string id;     // matched row id, or "" when unmatched
    Table3Values values;
    // Cells left blank (or "/", "无"...) and read as 0, for messages.
    std::array<bool, kTable3Columns> blank{};
  };

  // Locates the 7 number columns by the header; -1s when it has none.
  std::array<int, kTable3Columns> Table3Columns(const Region& region,
                                                int* header_end) {
    std::array<int, kTable3Columns> cols;
    cols.fill(-1);
    *header_end = region.begin;
    for (int r = region.begin; r < region.end && r < region.begin + 8; ++r) {
      const auto& row = RowAt(region.grid, r);
      bool any = false;
      for (int c = 0; c < static_cast<int>(row.size()); ++c) {
        const std::string f = FoldLabel(row[c].text);
        if (f.empty() || f.size() > 30) continue;
        const LabelMatch m = MatchLabel(row[c].text, ColumnCandidates());
        if (m.index < 0) continue;
        // 其他 and 总计 also label rows; only a row naming the applicant
        // columns is a header.
        if (m.index >= 1 && m.index <= 4) any = true;
        if (cols[m.index] < 0 ||
            (m.index != 6 && m.index != 0 && cols[m.index] > c)) {
          cols[m.index] = c;
        }
      }
      if (any) *header_end = r + 1;
    }
    if (*header_end == region.begin) cols.fill(-1);
    // Without 自然人 or 总计 spelled above (merged cells not repeated), they
    // sit beside the five organisations.
    if (cols[1] >= 0 && cols[5] >= 0) {
      if (cols[0] < 0) cols[0] = cols[1] - 1;
      if (cols[6] < 0) cols[6] = cols[5] + 1;
    }
    for (int c : cols) {
      if (c < 0) {
        cols.fill(-1);
        break;
      }
    }
    return cols;
  }

  // Rows (0-based) as people count them: "8–22、27".
  static std::string RowRanges(const std::vector<int>& rows,
                               absl::string_view separator) {
    std::vector<std::string> parts;
    for (size_t i = 0; i < rows.size();) {
      size_t j = i;
      while (j + 1 < rows.size() && rows[j + 1] == rows[j] + 1) ++j;
      parts.push_back(j == i ? absl::StrCat(rows[i] + 1)
                             : absl::StrCat(rows[i] + 1, "–", rows[j] + 1));
      i = j + 1;
    }
    return absl::StrJoin(parts, separator);
  }

  // How far a row's figures sit from the header's number columns `cols`:
  // 0, or -2…2 for a row of a page copied from a browser, which drops the
  // cells that rowspans cover, so that "（七）总计 46 0 … 46" sits a column
  // left of the other rows and "1.属于国家秘密" a column right, in the
  // first number column. A reviewer reads such a row by its own seven
  // figures; so does the checker, but only when the header's columns do
  // not hold a row of counts and the shifted ones do, with no count left of
  // them and nothing right of them: a row with one unreadable cell is
  // never moved to make it readable.
  int RowShift(int grid, int r,
               const std::array<int, kTable3Columns>& cols) const {
    const auto& row = RowAt(grid, r);
    const int width = static_cast<int>(row.size());
    auto fits = [&](int d) {
      const int first = cols[0] + d, last = cols[kTable3Columns - 1] + d;
      if (first < 1 || last >= width) return false;
      bool number = d == 0;
      for (int c : cols) {
        const CellKind k = ReadNumber(row[c + d].text).kind;
        if (k == CellKind::kUnreadable) return false;
        if (k == CellKind::kNumber) number = true;
      }
      for (int c = 0; c < first; ++c) {
        if (LooksNumeric(row[c].text)) return false;
      }
      for (int c = last + 1; c < width; ++c) {
        if (!Compact(row[c].text).empty()) return false;
      }
      return number;
    };
    // Only a header whose number columns stand side by side can be slid.
    for (int i = 1; i < kTable3Columns; ++i) {
      if (cols[i] != cols[0] + i) return 0;
    }
    if (fits(0)) return 0;
    for (int d : {-1, 1, -2, 2}) {
      if (fits(d)) return d;
    }
    return 0;
  }

  void ReadTable3() {
    const Region region = regions_[3];
    int header_end = region.begin;
    std::array<int, kTable3Columns> cols = Table3Columns(region, &header_end);
    const bool by_header = cols[0] >= 0;
    if (!by_header) {
      // The last 7 columns that hold anything.
      int width = 0;
      for (int r = region.begin; r < region.end; ++r) {
        const auto& row = RowAt(region.grid, r);
        for (int c = static_cast<int>(row.size()) - 1; c >= 0; --c) {
          if (!FoldLabel(row[c].text).empty() || LooksNumeric(row[c].text)) {
            width = std::max(width, c + 1);
            break;
          }
        }
      }
      for (int i = 0; i < kTable3Columns; ++i) cols[i] = width - 7 + i;
      if (cols[0] < 1) {
        Add(Severity::kError, 3, "table.missing", "", "", {}, {},
            "找到了表三的标题，但找不到它的 7 个数字列。",
            "Table 3's heading was found but not its 7 number columns.");
        return;
      }
    }
    const int first_number = *std::min_element(cols.begin(), cols.end());
    result_.read_zh.push_back(
        by_header ? "表三的数字列按表头“自然人……总计”确定"
                  : "表三没有可识别的列标题，数字列取每行最后 7 列");
    result_.read_en.push_back(
        by_header ? "table 3's number columns located by its header"
                  : "table 3 has no recognisable column header; the last 7 "
                    "columns are its numbers");

    const std::vector<LabelCandidate> candidates = Table3Candidates();
    std::vector<DataRow> rows;
    std::string parent;  // folded heading the next item sits under
    int expected_position = 0;
    std::vector<int> shifted;  // rows read off the header
    for (int r = header_end; r < region.end; ++r) {
      const auto& row = RowAt(region.grid, r);
      const int shift = RowShift(region.grid, r, cols);
      if (shift != 0) shifted.push_back(r);
      std::array<int, kTable3Columns> at = cols;
      for (int& c : at) c += shift;
      // Label parts: the distinct texts left of the numbers.
      std::vector<std::string> parts;
      for (int c = 0;
           c < first_number + shift && c < static_cast<int>(row.size()); ++c) {
        if (FoldLabel(row[c].text).empty() &&
            ParseLabel(row[c].text).numbering.kind == Numbering::kNone)
          continue;
        for (std::string& p : SplitLabelParts(row[c].text)) {
          if (parts.empty() || FoldLabel(parts.back()) != FoldLabel(p)) {
            parts.push_back(std::move(p));
          }
        }
      }
      bool any_value = false;
      for (int c : at) {
        if (!Compact(CellText(region.grid, r, c)).empty()) any_value = true;
      }
      if (parts.empty() && !any_value) continue;
      // Headings among the parts set the context of the leaf.
      int leaf_index = -1;
      LabelMatch leaf;
      for (size_t i = 0; i < parts.size(); ++i) {
        MatchHints hints;
        hints.parent = parent;
        hints.expected_position = expected_position;
        const LabelMatch m = MatchLabel(parts[i], candidates, hints);
        if (m.index < 0) {
          if (i + 1 == parts.size()) {
            leaf = m;
            leaf_index = -1;
          }
          continue;
        }
        const OfficialRow& o = Table3Row(candidates[m.index].id);
        const bool is_item =
            candidates[m.index].numbering.kind == Numbering::kItem;
        if (i + 1 < parts.size()) {
          // A heading part: "三、本年度办理结果", "（三）不予公开".
          if (o.heading || o.id == "（六）")
            parent = candidates[m.index].folded;
          continue;
        }
        leaf = m;
        leaf_index = m.index;
        if (!is_item && !o.heading && o.id != "（六）") parent.clear();
        if (o.heading || o.id == "（六）") parent = candidates[m.index].folded;
      }
      const std::string label = absl::StrJoin(parts, " ");
      if (leaf_index >= 0) {
        const OfficialRow& o = Table3Row(candidates[leaf_index].id);
        if (o.heading && !any_value) continue;  // a heading row
        if (o.id == "（六）" && !any_value) {
          // The 2019 row of zeros, or the 2021 heading: decided below.
          six_blank_row_ = r;
          DataRow d;
          d.r = r;
          d.label = absl::StrJoin(parts, " ");
          d.id = "（六）";
          d.values.fill(0);
          d.blank.fill(true);
          rows.push_back(std::move(d));
          expected_position = candidates[leaf_index].position + 1;
          continue;
        }
        expected_position = candidates[leaf_index].position + 1;
        if (!leaf.exact) {
          const std::string official = candidates[leaf_index].official;
          Add(Severity::kWarning, 3, "label.variant", o.id, "", {}, {},
              absl::StrCat(WhereZh(region.grid, r), "：标签“", label,
                           "”按官方行“", official, "”读取",
                           leaf.known_variant ? "（已知的另一种写法）" : "",
                           "。"),
              absl::StrCat(WhereEn(region.grid, r), ": label '", label,
                           "' read as the official row '", official, "'",
                           leaf.known_variant ? " (a known variant)" : "",
                           "."));
        }
      } else if (!any_value) {
        continue;  // a title or note line without figures
      }
      DataRow d;
      d.r = r;
      d.label = label;
      d.id = leaf_index >= 0 ? candidates[leaf_index].id : "";
      if (leaf_index >= 0 && Table3Row(d.id).heading) {
        Add(Severity::kError, 3, "label.unmatched", "", "", {}, {},
            absl::StrCat(WhereZh(region.grid, r), "：标题行“", label,
                         "”填有数字，但它不是表三的数据行。"),
            absl::StrCat(WhereEn(region.grid, r), ": the heading '", label,
                         "' holds figures but is not a row of table 3."));
        d.id.clear();
        leaf_index = -1;
      } else if (leaf_index < 0) {
        Add(Severity::kError, 3, "label.unmatched", "", "", {}, {},
            absl::StrCat(WhereZh(region.grid, r), "：标签“", label,
                         "”对不上表三的任何一行",
                         leaf.ambiguous ? "（可对应多行，无法确定）" : "",
                         "；这一行的数字不参与需要它的规则。"),
            absl::StrCat(WhereEn(region.grid, r), ": label '", label,
                         "' matches no row of table 3",
                         leaf.ambiguous ? " (it fits several equally)" : "",
                         "; its figures take no part in the rules that need "
                         "that row."));
      }
      for (int i = 0; i < kTable3Columns; ++i) {
        d.values[i] =
            ReadCell(3, region.grid, r, at[i], d.id, kColumnCodes[i],
                     absl::StrCat("表三 ", d.id.empty() ? label : d.id, " 行 ",
                                  kColumnZh[i], " 列"),
                     absl::StrCat("table 3 row ", d.id.empty() ? label : d.id,
                                  ", column ", kColumnEn[i]));
        d.blank[i] = ReadNumber(CellText(region.grid, r, at[i])).kind ==
                     CellKind::kBlankZero;
      }
      rows.push_back(std::move(d));
    }

    if (!shifted.empty()) {
      result_.read_zh.push_back(
          absl::StrCat("表三第 ", RowRanges(shifted, "、"),
                       " 行的数字与表头错开（从网页复制时常见），按该行自己的 "
                       "7 个数字读取"));
      result_.read_en.push_back(absl::StrCat(
          "table 3 rows ", RowRanges(shifted, ", "),
          " have their figures off the header's columns (as a page copied "
          "from a browser gives them) and were read by their own 7 figures"));
    }
    // The layout: the single （六） row of figures means 2019.
    bool six_single = false, six_items = false;
    for (const DataRow& d : rows) {
      if (d.id == "（六）") six_single = true;
      if (absl::StartsWith(d.id, "（六）") && d.id != "（六）")
        six_items = true;
    }
    Layout layout = six_single && !six_items ? Layout::k2019 : Layout::k2021;
    if (layout == Layout::k2019 && six_blank_row_ >= 0) {
      blank_zero_ += kTable3Columns;
    }
    result_.figures.layout = layout;
    std::map<std::string, int> seen;  // row id -> index in rows
    for (size_t i = 0; i < rows.size(); ++i) {
      DataRow& d = rows[i];
      if (d.id.empty()) continue;
      if (d.id == "（六）" && layout == Layout::k2021) {
        if (static_cast<int>(d.r) == six_blank_row_) {
          d.id.clear();  // the 2021 heading over （六）1–3
          d.r = -1;
          continue;
        }
        Add(Severity::kError, 3, "label.unmatched", "", "", {}, {},
            absl::StrCat(WhereZh(regions_[3].grid, d.r),
                         "：2021 年版的“（六）其他处理”是标题，不应填数字。"),
            absl::StrCat(WhereEn(regions_[3].grid, d.r),
                         ": in the 2021 layout '（六）其他处理' is a heading "
                         "and holds no figures."));
        d.id.clear();
        continue;
      }
      if (seen.count(d.id)) {
        Add(Severity::kError, 3, "label.unmatched", d.id, "", {}, {},
            absl::StrCat(WhereZh(regions_[3].grid, d.r), "：表三 ", d.id,
                         " 行再次出现（第一次在第 ", rows[seen[d.id]].r + 1,
                         " 行），这一行未使用。"),
            absl::StrCat(WhereEn(regions_[3].grid, d.r), ": table 3 row ", d.id,
                         " appears again (first on row ",
                         rows[seen[d.id]].r + 1, "); this one is not used."));
        d.id.clear();
        continue;
      }
      seen[d.id] = static_cast<int>(i);
      result_.figures.table3[d.id] = d.values;
      blank3_[d.id] = d.blank;
    }
    for (const std::string& id : Table3Ids(layout)) {
      if (seen.count(id)) continue;
      Add(Severity::kError, 3, "row.missing", id, "", {}, {},
          absl::StrCat("表三缺少“", Table3Row(id).official, "”（", id,
                       "）行。"),
          absl::StrCat("Table 3 lacks the row ", id, " ('",
                       Table3Row(id).official, "')."));
    }
    result_.read_zh.push_back(absl::StrCat(
        "表三读到 ", seen.size(), " 行数据，版式：",
        layout == Layout::k2019 ? "2019 年试行版（国办公开办函〔2019〕60号）"
                                : "2021 年版（国办公开办函〔2021〕30号）"));
    result_.read_en.push_back(absl::StrCat(
        "table 3: ", seen.size(), " rows of figures, layout ",
        layout == Layout::k2019 ? "2019 trial (国办公开办函〔2019〕60号)"
                                : "2021 (国办公开办函〔2021〕30号)"));

    // t3.total_column: every row of figures, matched or not.
    for (const DataRow& d : rows) {
      if (d.r < 0) continue;
      const std::string name =
          d.id.empty() ? absl::StrCat("“", d.label, "”") : d.id;
      std::vector<std::string> unread;
      int64_t sum = 0;
      for (int i = 0; i < kTable3Columns; ++i) {
        if (!d.values[i]) {
          unread.push_back(kColumnZh[i]);
        } else if (i < 6) {
          sum += *d.values[i];
        }
      }
      if (!unread.empty()) {
        NotRun(3, "t3.total_column", d.id, "",
               absl::StrCat("表三 ", name, " 行的 ",
                            absl::StrJoin(unread, "、"), " 列无法读取"),
               absl::StrCat("table 3 row ", name, " has ", unread.size(),
                            " unreadable cell(s)"));
        continue;
      }
      if (sum != *d.values[6]) {
        Add(Severity::kError, 3, "t3.total_column", d.id, "total", sum,
            *d.values[6],
            absl::StrCat("表三 ", name, " 行：总计列为 ", *d.values[6],
                         d.blank[6] ? "（空白，按 0 读取）" : "",
                         "，但六个申请人列之和为 ", sum, "。"),
            absl::StrCat("table 3 row ", name, ": the total column is ",
                         *d.values[6], d.blank[6] ? " (blank, read as 0)" : "",
                         " but the six applicant columns sum to ", sum, "."));
      }
    }
    const auto& t3 = result_.figures.table3;
    auto missing_of = [&](const std::vector<std::string>& ids) {
      std::vector<std::string> missing;
      for (const std::string& id : ids) {
        if (!t3.count(id)) missing.push_back(id);
      }
      return missing;
    };
    // t3.total_row.
    std::vector<std::string> outcome_ids;
    for (const std::string& id : Table3Ids(layout)) {
      if (IsOutcomeRow(id)) outcome_ids.push_back(id);
    }
    std::vector<std::string> need = outcome_ids;
    need.push_back("（七）");
    if (std::vector<std::string> missing = missing_of(need); !missing.empty()) {
      NotRun(
          3, "t3.total_row", "（七）", "",
          absl::StrCat("缺少行 ", absl::StrJoin(missing, "、")),
          absl::StrCat("rows ", absl::StrJoin(missing, ", "), " are missing"));
    } else {
      for (int c = 0; c < kTable3Columns; ++c) {
        std::vector<std::string> unread;
        int64_t sum = 0;
        for (const std::string& id : outcome_ids) {
          if (!t3.at(id)[c]) {
            unread.push_back(id);
          } else {
            sum += *t3.at(id)[c];
          }
        }
        const Value total = t3.at("（七）")[c];
        if (!total) unread.push_back("（七）");
        if (!unread.empty()) {
          NotRun(3, "t3.total_row", "（七）", kColumnCodes[c],
                 absl::StrCat(kColumnZh[c], " 列中行 ",
                              absl::StrJoin(unread, "、"), " 的单元格无法读取"),
                 absl::StrCat("in column ", kColumnEn[c], " the cells of rows ",
                              absl::StrJoin(unread, ", "), " cannot be read"));
          continue;
        }
        if (sum != *total) {
          // "The outcome rows sum to 0" puzzles unless it says why.
          bool all_blank = true;
          for (const std::string& id : outcome_ids) {
            all_blank = all_blank && blank3_.at(id)[c];
          }
          Add(Severity::kError, 3, "t3.total_row", "（七）", kColumnCodes[c],
              sum, *total,
              absl::StrCat("表三（七）总计行的", kColumnZh[c], "列为 ", *total,
                           "，但各办理结果行之和为 ", sum,
                           all_blank ? "（各办理结果行这一列都是空白）" : "",
                           "。"),
              absl::StrCat("table 3 （七）总计, column ", kColumnEn[c], ": ",
                           *total, " but the outcome rows sum to ", sum,
                           all_blank ? " (every outcome row leaves this column "
                                       "blank)"
                                     : "",
                           "."));
        }
      }
    }
    // t3.balance.
    if (std::vector<std::string> missing =
            missing_of({"一", "二", "（七）", "四"});
        !missing.empty()) {
      NotRun(
          3, "t3.balance", "", "",
          absl::StrCat("缺少行 ", absl::StrJoin(missing, "、")),
          absl::StrCat("rows ", absl::StrJoin(missing, ", "), " are missing"));
    } else {
      for (int c = 0; c < kTable3Columns; ++c) {
        std::vector<std::string> unread;
        for (const char* id : {"一", "二", "（七）", "四"}) {
          if (!t3.at(id)[c]) unread.push_back(id);
        }
        if (!unread.empty()) {
          NotRun(3, "t3.balance", "", kColumnCodes[c],
                 absl::StrCat(kColumnZh[c], " 列中行 ",
                              absl::StrJoin(unread, "、"), " 的单元格无法读取"),
                 absl::StrCat("in column ", kColumnEn[c], " the cells of rows ",
                              absl::StrJoin(unread, ", "), " cannot be read"));
          continue;
        }
        const int64_t left = *t3.at("一")[c] + *t3.at("二")[c];
        const int64_t right = *t3.at("（七）")[c] + *t3.at("四")[c];
        if (left != right) {
          Add(Severity::kError, 3, "t3.balance", "", kColumnCodes[c], left,
              right,
              absl::StrCat(
                  "表三 ", kColumnZh[c], " 列：一 + 二 = ", left,
                  "，但（七）总计 + 四 = ", right,
                  "（第一项加第二项之和，应等于第三项加第四项之和）。"),
              absl::StrCat("table 3 column ", kColumnEn[c], ": 一 + 二 = ",
                           left, " but （七）总计 + 四 = ", right,
                           " (rows 1 and 2 must sum to rows 3 and 4)."));
        }
      }
    }
  }

  void NotRun(std::optional<int> table, const std::string& rule,
              const std::string& row, const std::string& column,
              const std::string& why_zh, const std::string& why_en) {
    Add(Severity::kWarning, table, "rule.not_run", row, column, {}, {},
        absl::StrCat("规则 ", rule, " 未能检查：", why_zh, "。"),
        absl::StrCat("rule ", rule, " could not run: ", why_en, "."));
  }

  // --- Table 4 ------------------------------------------------------------

  static int GroupOf(const std::string& folded) {
    if (absl::StrContains(folded, "复议后起诉")) return 2;
    if (absl::StrContains(folded, "直接起诉") ||
        absl::StrContains(folded, "未经复议")) {
      return 1;
    }
    if (absl::StrContains(folded, "行政复议")) return 0;
    if (absl::StrContains(folded, "行政诉讼")) return 3;  // either litigation
    return -1;
  }

  void ReadTable4() {
    const Region region = regions_[4];
    // The last header row naming at least two results.
    int heads_row = -1;
    for (int r = region.begin; r < region.end && r < region.begin + 8; ++r) {
      int n = 0;
      for (const Cell& c : RowAt(region.grid, r)) {
        if (MatchLabel(c.text, ResultCandidates()).index >= 0) ++n;
      }
      if (n >= 2) heads_row = r;
    }
    if (heads_row < 0) {
      Add(Severity::kError, 4, "table.missing", "", "", {}, {},
          "找到了表四的标题，但找不到“结果维持”“结果纠正”等列标题。",
          "Table 4's heading was found but not its result columns "
          "(结果维持, 结果纠正, ...).");
      return;
    }
    // Each column's group, from the header rows, a heading standing over the
    // blank columns to its right until the next heading.
    const int width = static_cast<int>(RowAt(region.grid, heads_row).size());
    std::vector<int> group(width, -1), result(width, -1);
    bool any_group = false;
    for (int r = region.begin; r <= heads_row; ++r) {
      // A title row ("四、政府信息公开行政复议、行政诉讼情况", one text however
      // many columns it spans) names no group.
      std::set<std::string> texts;
      for (const Cell& c : RowAt(region.grid, r)) {
        if (!FoldLabel(c.text).empty()) texts.insert(FoldLabel(c.text));
      }
      if (texts.size() <= 1) continue;
      int current = -1;
      for (int c = 0; c < width; ++c) {
        const std::string f = FoldLabel(CellText(region.grid, r, c));
        if (!f.empty()) current = GroupOf(f);
        if (current < 0) continue;
        any_group = true;
        if (group[c] < 0 || group[c] == 3 || (group[c] == 0 && current != 3)) {
          group[c] = current;
        }
      }
    }
    for (int c = 0; c < width; ++c) {
      for (int r = heads_row; r >= region.begin; --r) {
        const std::string text = CellText(region.grid, r, c);
        if (FoldLabel(text).empty()) continue;
        result[c] = MatchLabel(text, ResultCandidates()).index;
        break;
      }
    }
    std::array<std::array<int, 5>, 3> col;
    for (auto& g : col) g.fill(-1);
    std::vector<std::pair<int, int>> data_rows;  // (group, row) when vertical
    if (any_group) {
      for (int c = 0; c < width; ++c) {
        if (group[c] >= 0 && group[c] < 3 && result[c] >= 0 &&
            col[group[c]][result[c]] < 0) {
          col[group[c]][result[c]] = c;
        }
      }
      // The figures: the first row below the header that holds anything.
      int data = -1;
      for (int r = heads_row + 1; r < region.end; ++r) {
        bool any = false;
        for (const auto& g : col) {
          for (int c : g) {
            if (c >= 0 && !Compact(CellText(region.grid, r, c)).empty()) {
              any = true;
            }
          }
        }
        if (any) {
          data = r;
          break;
        }
      }
      if (data < 0 && heads_row + 1 < region.end) data = heads_row + 1;
      for (int k = 0; k < 3; ++k) data_rows.push_back({k, data});
    } else {
      // Groups down the side: a row per group, results across.
      for (int c = 0; c < width; ++c) {
        if (result[c] >= 0) {
          for (int k = 0; k < 3; ++k) {
            if (col[k][result[c]] < 0) col[k][result[c]] = c;
          }
        }
      }
      std::array<int, 3> row_of{-1, -1, -1};
      for (int r = heads_row + 1; r < region.end; ++r) {
        int first_value = width;
        for (int k = 0; k < 5; ++k) {
          if (col[0][k] >= 0) first_value = std::min(first_value, col[0][k]);
        }
        std::string label;
        for (int c = 0; c < first_value; ++c) {
          label += FoldLabel(CellText(region.grid, r, c));
        }
        const int k = GroupOf(label);
        if (k >= 0 && k < 3 && row_of[k] < 0) row_of[k] = r;
      }
      for (int k = 0; k < 3; ++k) data_rows.push_back({k, row_of[k]});
    }
    for (const auto& [k, r] : data_rows) {
      bool complete = r >= 0;
      for (int c : col[k]) complete = complete && c >= 0;
      if (!complete) {
        Add(Severity::kError, 4, "row.missing", kGroupCodes[k], "", {}, {},
            absl::StrCat("表四缺少“", kGroupZh[k], "”的五列数字。"),
            absl::StrCat("Table 4 lacks the five figures of ", kGroupEn[k],
                         "."));
        NotRun(4, "t4.total", kGroupCodes[k], "",
               absl::StrCat(kGroupZh[k], "的数字不全"),
               absl::StrCat(kGroupEn[k], " is incomplete"));
        continue;
      }
      Table4Group values;
      for (int i = 0; i < 5; ++i) {
        values[i] = ReadCell(
            4, region.grid, r, col[k][i], kGroupCodes[k], kResultCodes[i],
            absl::StrCat("表四 ", kGroupZh[k], " ", kResultZh[i]),
            absl::StrCat("table 4 ", kGroupEn[k], ", ", kResultEn[i]));
      }
      result_.figures.table4[kGroupCodes[k]] = values;
      std::vector<std::string> unread;
      int64_t sum = 0;
      for (int i = 0; i < 5; ++i) {
        if (!values[i]) {
          unread.push_back(kResultZh[i]);
        } else if (i < 4) {
          sum += *values[i];
        }
      }
      if (!unread.empty()) {
        NotRun(4, "t4.total", kGroupCodes[k], "",
               absl::StrCat(kGroupZh[k], "的 ", absl::StrJoin(unread, "、"),
                            " 无法读取"),
               absl::StrCat(kGroupEn[k], " has unreadable cells"));
        continue;
      }
      if (sum != *values[4]) {
        Add(Severity::kError, 4, "t4.total", kGroupCodes[k], "total", sum,
            *values[4],
            absl::StrCat("表四 ", kGroupZh[k], "：总计为 ", *values[4],
                         "，但结果维持、结果纠正、其他结果、尚未审结之和为 ",
                         sum, "。"),
            absl::StrCat("table 4 ", kGroupEn[k], ": the total is ", *values[4],
                         " but upheld + corrected + other + pending = ", sum,
                         "."));
      }
    }
  }

  // --- Table 2 ------------------------------------------------------------

  void ReadTable2() {
    const Region region = regions_[2];
    std::vector<std::pair<std::string, std::string>> items;
    for (const Table2Item& it : kTable2Items)
      items.push_back({it.code, it.label});
    const std::vector<LabelCandidate> item_candidates = SimpleCandidates(items);
    std::vector<std::pair<std::string, std::string>> columns;
    for (const Table2Column& c : kTable2Columns)
      columns.push_back({c.code, c.label});
    const std::vector<LabelCandidate> column_candidates =
        SimpleCandidates(columns);
    std::map<int, int> header;  // grid column -> kTable2Columns index
    std::set<std::string> found;
    bool layout2019 = false;
    for (int r = region.begin; r < region.end; ++r) {
      const auto& row = RowAt(region.grid, r);
      // A header row: names columns.
      std::map<int, int> names;
      for (int c = 0; c < static_cast<int>(row.size()); ++c) {
        if (row[c].merged_copy && c > 0 && row[c - 1].text == row[c].text)
          continue;
        const LabelMatch m = MatchLabel(row[c].text, column_candidates);
        if (m.index >= 0) names[c] = m.index;
      }
      if (!names.empty()) {
        header = names;
        for (const auto& [c, i] : names) {
          if (i >= 5 && i <= 9) layout2019 = true;
        }
        continue;
      }
      // A row of figures: its first labelled cell names the item.
      int label_col = -1;
      for (int c = 0; c < static_cast<int>(row.size()); ++c) {
        if (!FoldLabel(row[c].text).empty() && !LooksNumeric(row[c].text)) {
          label_col = c;
          break;
        }
      }
      std::string label;
      int last_label = label_col;
      for (int c = std::max(label_col, 0); c < static_cast<int>(row.size());
           ++c) {
        if (header.count(c) || LooksNumeric(row[c].text)) break;
        if (!FoldLabel(row[c].text).empty() &&
            (label.empty() || FoldLabel(row[c].text) != FoldLabel(label))) {
          if (!label.empty()) label += " ";
          label += row[c].text;
        }
        last_label = c;
      }
      const LabelMatch m =
          label_col < 0 ? LabelMatch{} : MatchLabel(label, item_candidates);
      bool any_value = false;
      for (int c = last_label + 1; c < static_cast<int>(row.size()); ++c) {
        if (!Compact(row[c].text).empty()) any_value = true;
      }
      if (m.index < 0) {
        // Block headings (第二十条第（一）项), titles: no figures.
        const std::string f = FoldLabel(label);
        if (!any_value || absl::StartsWith(f, "第二十条") ||
            absl::StrContains(f, "主动公开政府信息情况")) {
          continue;
        }
        Add(Severity::kError, 2, "label.unmatched", "", "", {}, {},
            absl::StrCat(WhereZh(region.grid, r), "：标签“", label,
                         "”对不上表二的任何一项。"),
            absl::StrCat(WhereEn(region.grid, r), ": label '", label,
                         "' matches no item of table 2."));
        continue;
      }
      const Table2Item& item = kTable2Items[m.index];
      if (!m.exact) {
        Add(Severity::kWarning, 2, "label.variant", item.code, "", {}, {},
            absl::StrCat(WhereZh(region.grid, r), "：标签“", label,
                         "”按表二的“", item.label, "”读取。"),
            absl::StrCat(WhereEn(region.grid, r), ": label '", label,
                         "' read as table 2's '", item.label, "'."));
      }
      found.insert(item.code);
      auto& out = result_.figures.table2[item.code];
      for (int c = last_label + 1; c < static_cast<int>(row.size()); ++c) {
        if (row[c].merged_copy && !header.count(c)) continue;
        const Table2Column* column = nullptr;
        if (auto it = header.find(c); it != header.end()) {
          column = &kTable2Columns[it->second];
        }
        if (column == nullptr && Compact(row[c].text).empty()) continue;
        const Quantity quantity = column != nullptr ? column->quantity
                                  : item.fee        ? Quantity::kWanYuan
                                                    : Quantity::kCount;
        const Value v = ReadCell(2, region.grid, r, c, item.code,
                                 column ? column->code : "",
                                 absl::StrCat("表二 ", item.label),
                                 absl::StrCat("table 2 ", item.code), quantity);
        if (column == nullptr) continue;
        // Figures keep amounts in fen, as AnnualReport does.
        const std::string code = column->code;
        out[code == "amount" ? "amount_fen" : code] = v;
      }
    }
    if (layout2019 && result_.figures.layout == Layout::kUnknown) {
      result_.figures.layout = Layout::k2019;
    }
    for (const Table2Item& it : kTable2Items) {
      const bool only2019 = std::string(it.code) == "other_services" ||
                            std::string(it.code) == "procurement";
      if (found.count(it.code) || (only2019 && !layout2019)) continue;
      Add(Severity::kWarning, 2, "row.missing", it.code, "", {}, {},
          absl::StrCat("表二缺少“", it.label, "”一项。"),
          absl::StrCat("Table 2 lacks the item '", it.label, "'."));
    }
  }

  // --- Narrative ----------------------------------------------------------

  // Which figure of table 3 the words name: 0 received (一), 1 carried in
  // (二), 2 closed (（七）), 3 carried over (四); -1 none. Carrying over is
  // tried first: "顺延到下年度答复" is not a reply.
  static int NarrativeKind(const std::string& words) {
    auto any = [&](std::initializer_list<const char*> keys) {
      for (const char* k : keys) {
        if (absl::StrContains(words, k)) return true;
      }
      return false;
    };
    if (any({"结转下", "结转至下", "结转到下", "转入下", "顺延到下",
             "顺延至下"})) {
      return 3;
    }
    if (any({"上年结转", "上年度结转", "上一年度结转"})) return 1;
    if (any({"办结", "答复"})) return 2;
    if (any({"收到", "新收", "受理", "接受", "接收", "接到"})) return 0;
    return -1;
  }

  void CheckNarrative() {
    if (source_.text.empty()) return;
    struct Kind {
      const char* rule;
      const char* row;
      const char* zh;
      const char* en;
    };
    static const Kind kKinds[] = {
        {"narrative.received", "一", "收到的申请", "requests received"},
        {"narrative.carried_in", "二", "上年结转的申请", "requests carried in"},
        {"narrative.closed", "（七）", "办结的申请", "requests closed"},
        {"narrative.carried_over", "四", "结转下年度的申请",
         "requests carried over"},
    };
    const std::string text = NfkcText(source_.text);
    static const std::regex kFigure(
        "([0-9][0-9,]*|(?:零|一|二|两|三|四|五|六|七|八|九|十|百|千)+)\\s*"
        "件");
    bool previous_about = false;
    // Sentences end at 。；！？ and line ends (NFKC made the full-width
    // ones ASCII); std::regex works on bytes, so the marks are replaced by
    // one separator byte and split on it.
    const std::string marked = absl::StrReplaceAll(text, {{"。", "\x02"},
                                                          {";", "\x02"},
                                                          {"!", "\x02"},
                                                          {"?", "\x02"},
                                                          {"\n", "\x02"}});
    for (const std::string& sentence : std::vector<std::string>(
             absl::StrSplit(marked, '\x02', absl::SkipEmpty()))) {
      const bool about =
          absl::StrContains(sentence, "政府信息公开申请") ||
          absl::StrContains(sentence, "依申请公开") ||
          absl::StrContains(sentence, "信息公开申请") ||
          (previous_about && absl::StrContains(sentence, "申请") &&
           !absl::StrContains(sentence, "复议") &&
           !absl::StrContains(sentence, "诉讼"));
      previous_about = about;
      if (!about) continue;
      // Clauses: a figure belongs to the words before it in its clause.
      // The marks are multi-byte: each becomes one separator byte first.
      const std::string marked = absl::StrReplaceAll(sentence, {{"，", "\x01"},
                                                                {"、", "\x01"},
                                                                {"（", "\x01"},
                                                                {"）", "\x01"},
                                                                {"：", "\x01"},
                                                                {",", "\x01"},
                                                                {"(", "\x01"},
                                                                {")", "\x01"},
                                                                {":", "\x01"}});
      std::string since_figure;  // clauses since the sentence's last figure
      for (const std::string& clause : std::vector<std::string>(
               absl::StrSplit(marked, '\x01', absl::SkipEmpty()))) {
        std::smatch m;
        if (!std::regex_search(clause, m, kFigure)) {
          since_figure += clause;
          continue;
        }
        const std::string earlier = std::exchange(since_figure, "");
        const std::string before = m.prefix().str();
        const int64_t n = NarrativeNumber(m[1].str());
        if (n < 0) continue;
        int kind = -1;
        // "收到政府信息公开申请引发的行政复议2件" counts appeals, not requests.
        const bool appeals = absl::StrContains(clause, "复议") ||
                             absl::StrContains(clause, "诉讼");
        // The words before the figure name it ("共收到申请47件"); when they
        // do not, the words after it ("其中1件结转下年度继续办理", "另有72件
        // …顺延到下年度答复").
        if (!appeals) {
          kind = NarrativeKind(before);
          if (kind < 0) kind = NarrativeKind(m.suffix().str());
          // Then the words since the last figure: in "接收通过邮寄、网络提交
          // 的申请共计81件" the 、 of a list cut the verb off its figure.
          if (kind < 0 && !absl::StrContains(earlier, "复议") &&
              !absl::StrContains(earlier, "诉讼")) {
            kind = NarrativeKind(earlier);
          }
        }
        const std::string quoted =
            std::string(absl::StripAsciiWhitespace(clause));
        if (kind < 0) {
          Add(Severity::kNote, std::nullopt, "narrative.untied", "", "", {}, n,
              absl::StrCat("正文“", quoted,
                           "”中的数字无法对应到表三的某个单元格，未核对。"),
              absl::StrCat("The figure in the text '", quoted,
                           "' could not be tied to a cell of table 3; not "
                           "compared."));
          continue;
        }
        const Kind& k = kKinds[kind];
        auto row = result_.figures.table3.find(k.row);
        if (row == result_.figures.table3.end() || !row->second[6]) {
          NotRun(3, k.rule, k.row, "total",
                 absl::StrCat("正文“", quoted, "”对应的表三 ", k.row,
                              " 行总计无法读取"),
                 absl::StrCat("the table 3 cell (row ", k.row,
                              ", total) for the text '", quoted,
                              "' cannot be read"));
          continue;
        }
        const int64_t cell = *row->second[6];
        if (n == cell) continue;
        // "共收到申请50件（含上年结转3件）": received may include 二.
        if (kind == 0 && absl::StrContains(sentence, "结转")) {
          auto two = result_.figures.table3.find("二");
          if (two != result_.figures.table3.end() && two->second[6] &&
              n == cell + *two->second[6]) {
            continue;
          }
        }
        Add(Severity::kError, 3, k.rule, k.row, "total", cell, n,
            absl::StrCat("正文说", k.zh, "为 ", n, " 件（“", quoted,
                         "”），但表三 ", k.row, " 行总计为 ", cell, "。"),
            absl::StrCat("The text states ", n, " ", k.en, " ('", quoted,
                         "') but table 3 row ", k.row, " total is ", cell,
                         "."));
      }
    }
  }

  // --- Across files -------------------------------------------------------

  void CheckPrevious(const Source& previous) {
    const CheckResult last = Checker(previous).Run({});
    auto four = last.figures.table3.find("四");
    auto two = result_.figures.table3.find("二");
    if (four == last.figures.table3.end() ||
        two == result_.figures.table3.end()) {
      NotRun(3, "prev.carry", "二", "",
             four == last.figures.table3.end()
                 ? absl::StrCat("上年报告 ", previous.file_name,
                                " 中没有读到表三 四 行")
                 : "本年报告没有读到表三 二 行",
             four == last.figures.table3.end()
                 ? absl::StrCat("last year's ", previous.file_name,
                                " has no table 3 row 四")
                 : "this report has no table 3 row 二");
      return;
    }
    for (int c = 0; c < kTable3Columns; ++c) {
      const Value last_four = four->second[c], this_two = two->second[c];
      if (!last_four || !this_two) {
        NotRun(
            3, "prev.carry", "二", kColumnCodes[c],
            absl::StrCat(kColumnZh[c], " 列的单元格无法读取"),
            absl::StrCat("a cell of column ", kColumnEn[c], " cannot be read"));
        continue;
      }
      if (*last_four != *this_two) {
        Add(Severity::kError, 3, "prev.carry", "二", kColumnCodes[c],
            *last_four, *this_two,
            absl::StrCat("表三 二 行 ", kColumnZh[c], " 列为 ", *this_two,
                         "，但上年报告（", previous.file_name, "）四 行为 ",
                         *last_four, "。"),
            absl::StrCat("table 3 row 二, column ", kColumnEn[c], ": ",
                         *this_two, " but last year's report (",
                         previous.file_name, ") has ", *last_four,
                         " in row 四."));
      }
    }
  }

  void CheckChildren(const std::vector<const Source*>& children) {
    std::vector<CheckResult> kids;
    for (const Source* child : children) {
      kids.push_back(Checker(*child).Run({}));
      const CheckResult& k = kids.back();
      int errors = 0;
      for (const Finding& f : k.findings) {
        if (f.severity == Severity::kError) ++errors;
      }
      result_.read_zh.push_back(absl::StrCat(
          "下级报告 ", k.file, "：",
          errors == 0 ? "前后一致" : absl::StrCat(errors, " 个错误")));
      result_.read_en.push_back(absl::StrCat(
          "child report ", k.file, ": ",
          errors == 0 ? "consistent" : absl::StrCat(errors, " error(s)")));
    }
    // Table 3, row by row.
    for (const auto& [id, parent] : result_.figures.table3) {
      std::vector<std::string> lacking;
      for (const CheckResult& k : kids) {
        if (!k.figures.table3.count(id)) lacking.push_back(k.file);
      }
      if (!lacking.empty()) {
        NotRun(3, "rollup.cell", id, "",
               absl::StrCat("下级报告 ", absl::StrJoin(lacking, "、"), " 没有 ",
                            id, " 行"),
               absl::StrCat("child report(s) ", absl::StrJoin(lacking, ", "),
                            " lack row ", id));
        continue;
      }
      for (int c = 0; c < kTable3Columns; ++c) {
        std::vector<Value> parts;
        for (const CheckResult& k : kids)
          parts.push_back(k.figures.table3.at(id)[c]);
        CompareRollup(
            3, id, kColumnCodes[c],
            absl::StrCat("表三 ", id, " 行 ", kColumnZh[c], " 列"),
            absl::StrCat("table 3 row ", id, ", column ", kColumnEn[c]),
            parent[c], parts);
      }
    }
    for (const auto& [group, parent] : result_.figures.table4) {
      std::vector<std::string> lacking;
      for (const CheckResult& k : kids) {
        if (!k.figures.table4.count(group)) lacking.push_back(k.file);
      }
      if (!lacking.empty()) {
        NotRun(4, "rollup.cell", group, "",
               absl::StrCat("下级报告 ", absl::StrJoin(lacking, "、"),
                            " 没有表四的这一组"),
               absl::StrCat("child report(s) ", absl::StrJoin(lacking, ", "),
                            " lack this group of table 4"));
        continue;
      }
      int k4 = 0;
      while (kGroupCodes[k4] != group) ++k4;
      for (int i = 0; i < 5; ++i) {
        std::vector<Value> parts;
        for (const CheckResult& k : kids)
          parts.push_back(k.figures.table4.at(group)[i]);
        CompareRollup(
            4, group, kResultCodes[i],
            absl::StrCat("表四 ", kGroupZh[k4], " ", kResultZh[i]),
            absl::StrCat("table 4 ", kGroupEn[k4], ", ", kResultEn[i]),
            parent[i], parts);
      }
    }
  }

  void CompareRollup(int table, const std::string& row,
                     const std::string& column, const std::string& what_zh,
                     const std::string& what_en, const Value& parent,
                     const std::vector<Value>& parts) {
    int64_t sum = 0;
    bool readable = parent.has_value();
    for (const Value& v : parts) {
      if (!v) {
        readable = false;
      } else {
        sum += *v;
      }
    }
    if (!readable) {
      NotRun(table, "rollup.cell", row, column,
             absl::StrCat(what_zh, "有无法读取的单元格"),
             absl::StrCat(what_en, " has an unreadable cell"));
      return;
    }
    if (sum != *parent) {
      Add(Severity::kError, table, "rollup.cell", row, column, sum, *parent,
          absl::StrCat(what_zh, "为 ", *parent, "，但下级报告之和为 ", sum,
                       "。"),
          absl::StrCat(what_en, ": ", *parent, " but the child reports sum to ",
                       sum, "."));
    }
  }

  int FindYear() const {
    static const std::regex kYear("(20[0-9]{2})\\s*年");
    static const std::regex kBare("(?:^|[^0-9])(20[0-9]{2})(?:[^0-9]|$)");
    std::smatch m;
    const std::string name = NfkcText(source_.file_name);
    if (std::regex_search(name, m, kYear) ||
        std::regex_search(name, m, kBare)) {
      return std::stoi(m[1].str());
    }
    const std::string text = NfkcText(source_.text);
    if (std::regex_search(text, m, kYear)) return std::stoi(m[1].str());
    for (const Grid& g : source_.tables) {
      const std::string caption = NfkcText(g.caption);
      if (std::regex_search(caption, m, kYear)) return std::stoi(m[1].str());
    }
    return 0;
  }

  const Source& source_;
  CheckResult result_;
  std::array<Region, 5> regions_;  // by table number; [0], [1] unused
  int blank_zero_ = 0;
  // Cells read with a unit after the number ("251000元"), and the first.
  int with_unit_ = 0;
  std::string unit_example_;
  bool yuan_ = false;  // one of them an amount in 元
  // Table 3's blank cells by row id, as DataRow::blank.
  std::map<std::string, std::array<bool, kTable3Columns>> blank3_;
  int six_blank_row_ = -1;
};

}  // namespace

absl::string_view SeverityCode(Severity s) {
  switch (s) {
    case Severity::kError:
      return "error";
    case Severity::kWarning:
      return "warning";
    case Severity::kNote:
      return "note";
  }
  return "error";
}

absl::string_view LayoutCode(Layout l) {
  switch (l) {
    case Layout::k2021:
      return "2021";
    case Layout::k2019:
      return "2019";
    case Layout::kUnknown:
      break;
  }
  return "";
}

bool CheckResult::consistent() const {
  for (const Finding& f : findings) {
    if (f.severity == Severity::kError) return false;
  }
  return true;
}

CheckResult CheckPublishedReport(const Source& source,
                                 const CheckInputs& inputs) {
  return Checker(source).Run(inputs);
}

absl::StatusOr<AnnualReport> ToAnnualReport(const Source& source) {
  const CheckResult check = CheckPublishedReport(source);
  std::vector<std::string> zh, en;
  for (const Finding& f : check.findings) {
    if (f.severity != Severity::kError ||
        absl::StartsWith(f.rule, "narrative.")) {
      continue;
    }
    zh.push_back(f.message_zh);
    en.push_back(f.message_en);
  }
  if (!zh.empty()) {
    return LocalizedError(
        absl::StatusCode::kFailedPrecondition,
        absl::StrCat(source.file_name, " 不能参与汇总，先更正这些错误：\n  ",
                     absl::StrJoin(zh, "\n  ")),
        absl::StrCat(source.file_name,
                     " cannot be merged until these errors are fixed:\n  ",
                     absl::StrJoin(en, "\n  ")));
  }
  const PublishedFigures& f = check.figures;
  AnnualReport r;
  r.year = f.year;
  r.agency = source.file_name;
  auto counts = [&](const std::string& id) {
    Counts c;
    auto it = f.table3.find(id);
    if (it == f.table3.end()) return c;
    for (int i = 0; i < kApplicantTypeCount; ++i) {
      c.by_type[i] = it->second[i].value_or(0);
    }
    return c;
  };
  r.table3.new_requests = counts("一");
  r.table3.carried_in = counts("二");
  for (int i = 0; i < kOutcomeCount; ++i) {
    const std::string row(AllOutcomes()[i].row);
    r.table3.outcomes[i] = counts(row);
    if (f.layout == Layout::k2019 && row == "（六）3") {
      r.table3.outcomes[i] = counts("（六）");
    }
  }
  r.table3.outcome_total = counts("（七）");
  r.table3.carried_out = counts("四");
  Results* groups[3] = {&r.table4.reconsideration, &r.table4.litigation_direct,
                        &r.table4.litigation_after_reconsideration};
  for (int k = 0; k < 3; ++k) {
    auto it = f.table4.find(kGroupCodes[k]);
    if (it == f.table4.end()) continue;
    groups[k]->upheld = it->second[0].value_or(0);
    groups[k]->corrected = it->second[1].value_or(0);
    groups[k]->other = it->second[2].value_or(0);
    groups[k]->pending = it->second[3].value_or(0);
  }
  // Table 2 in the 2021 layout (the 2019 table 2 counts other things).
  if (f.layout != Layout::k2019) {
    for (const ProactiveInfo& p : AllProactiveItems()) {
      auto it = f.table2.find(std::string(p.code));
      if (it == f.table2.end()) continue;
      ProactiveRow& row = r.proactive[static_cast<int>(p.item) - 1];
      auto get = [&](const char* col) {
        auto v = it->second.find(col);
        return v == it->second.end() ? 0 : v->second.value_or(0);
      };
      row.issued = get("issued");
      row.repealed = get("repealed");
      row.in_force = get("in_force");
      row.decisions = get("decisions");
      row.amount_fen = get("amount_fen");
    }
  }
  return r;
}

std::string CheckSummary(const CheckResult& result, Lang lang) {
  const bool en = lang == Lang::kEn;
  std::string out;
  absl::StrAppend(&out, en ? "File: " : "文件：", result.file, "\n");
  absl::StrAppend(&out, en ? "Read as: " : "读取方式：",
                  en ? result.format_en : result.format, "\n");
  for (const std::string& line : en ? result.read_en : result.read_zh) {
    absl::StrAppend(&out, "  ", line, "\n");
  }
  std::vector<std::string> tables;
  const PublishedFigures& f = result.figures;
  if (f.has_table2) tables.push_back(en ? "2" : "表二");
  if (f.has_table3) tables.push_back(en ? "3" : "表三");
  if (f.has_table4) tables.push_back(en ? "4" : "表四");
  absl::StrAppend(&out, en ? "Tables found: " : "找到的表：",
                  tables.empty() ? (en ? "none" : "无")
                                 : absl::StrJoin(tables, en ? ", " : "、"),
                  "\n");
  absl::StrAppend(&out, en ? "Layout: " : "版式：",
                  f.layout == Layout::k2019
                      ? (en ? "2019 trial (国办公开办函〔2019〕60号)"
                            : "2019 年试行版（国办公开办函〔2019〕60号）")
                  : f.layout == Layout::k2021
                      ? (en ? "2021 (国办公开办函〔2021〕30号)"
                            : "2021 年版（国办公开办函〔2021〕30号）")
                      : (en ? "not recognised" : "未能识别"),
                  "\n");
  int counts[3] = {0, 0, 0};
  for (const Finding& fi : result.findings)
    ++counts[static_cast<int>(fi.severity)];
  const char* heads_zh[3] = {"错误", "警告", "说明"};
  const char* heads_en[3] = {"Errors", "Warnings", "Notes"};
  for (int s = 0; s < 3; ++s) {
    if (counts[s] == 0) continue;
    absl::StrAppend(&out, "\n", en ? heads_en[s] : heads_zh[s],
                    en ? " (" : "（", counts[s], en ? "):\n" : "）：\n");
    for (const Finding& fi : result.findings) {
      if (static_cast<int>(fi.severity) != s) continue;
      absl::StrAppend(&out, "  [", fi.rule, "] ", fi.Message(lang), "\n");
    }
  }
  absl::StrAppend(&out, "\n");
  if (result.consistent()) {
    absl::StrAppend(
        &out, en ? "Verdict: consistent" : "结论：前后一致",
        counts[1] > 0 ? (en ? " (see the warnings)" : "（请看警告）") : "",
        en ? ".\n" : "。\n");
  } else {
    absl::StrAppend(
        &out, en ? absl::StrCat("Verdict: not consistent, ", counts[0],
                                " error(s).\n")
                 : absl::StrCat("结论：不一致，", counts[0], " 个错误。\n"));
  }
  return out;
}

Json CheckJson(const CheckResult& result, Lang lang) {
  Json j = Json::MakeObject();
  j.Set("file", result.file);
  j.Set("format", result.format_en);
  const absl::string_view layout = LayoutCode(result.figures.layout);
  j.Set("layout", layout.empty() ? Json() : Json(layout));
  Json tables = Json::MakeArray();
  if (result.figures.has_table2) tables.Push(2);
  if (result.figures.has_table3) tables.Push(3);
  if (result.figures.has_table4) tables.Push(4);
  j.Set("tables_found", std::move(tables));
  j.Set("consistent", result.consistent());
  Json findings = Json::MakeArray();
  for (const Finding& f : result.findings) {
    Json o = Json::MakeObject();
    o.Set("severity", SeverityCode(f.severity));
    o.Set("table", f.table ? Json(*f.table) : Json());
    o.Set("rule", f.rule);
    o.Set("row", f.row.empty() ? Json() : Json(f.row));
    o.Set("column", f.column.empty() ? Json() : Json(f.column));
    o.Set("expected", f.expected ? Json(*f.expected) : Json());
    o.Set("found", f.found ? Json(*f.found) : Json());
    o.Set("message", f.Message(lang));
    findings.Push(std::move(o));
  }
  j.Set("findings", std::move(findings));
  return j;
}

}  // namespace gongkai::published

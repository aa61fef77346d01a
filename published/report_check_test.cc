#include "published/report_check.h"

#include <map>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "formats/report_layout.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "published/source_reader.h"

namespace gongkai::published {
namespace {

using ::testing::HasSubstr;

// --- Sources built in memory, as a reader of a report page gives them ----

using Figures = std::map<std::string, std::vector<int64_t>>;

// A consistent 2021 table 3: 一 + 二 = （七） + 四 in every column.
Figures Consistent() {
  Figures f;
  for (const char* id : {"一",      "二",      "（一）",  "（二）",  "（三）1",
                         "（三）2", "（三）3", "（三）4", "（三）5", "（三）6",
                         "（三）7", "（三）8", "（四）1", "（四）2", "（四）3",
                         "（五）1", "（五）2", "（五）3", "（五）4", "（五）5",
                         "（六）1", "（六）2", "（六）3", "（七）",  "四"}) {
    f[id] = {0, 0, 0, 0, 0, 0, 0};
  }
  f["一"] = {10, 2, 0, 0, 0, 0, 12};
  f["二"] = {3, 0, 0, 0, 0, 0, 3};
  f["（一）"] = {8, 1, 0, 0, 0, 0, 9};
  f["（三）2"] = {1, 0, 0, 0, 0, 0, 1};
  f["（六）3"] = {0, 1, 0, 0, 0, 0, 1};
  f["（七）"] = {9, 2, 0, 0, 0, 0, 11};
  f["四"] = {4, 0, 0, 0, 0, 0, 4};
  return f;
}

struct LabelRow {
  std::string id;
  std::vector<std::string> labels;  // the three label cells
};

// The rows of the official 2021 table, labels as the form writes them.
std::vector<LabelRow> OfficialRows() {
  const std::string three = "三、本年度办理结果";
  std::vector<LabelRow> rows = {
      {"一", {"一、本年新收政府信息公开申请数量"}},
      {"二", {"二、上年结转政府信息公开申请数量"}},
      {"（一）", {three, "（一）予以公开"}},
      {"（二）",
       {three, "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"}}};
  const char* withheld[] = {
      "1．属于国家秘密",         "2．其他法律行政法规禁止公开",
      "3．危及“三安全一稳定”",   "4．保护第三方合法权益",
      "5．属于三类内部事务信息", "6．属于四类过程性信息",
      "7．属于行政执法案卷",     "8．属于行政查询事项"};
  for (int i = 0; i < 8; ++i) {
    rows.push_back({absl::StrCat("（三）", i + 1),
                    {three, "（三）不予公开", withheld[i]}});
  }
  const char* unavailable[] = {"1．本机关不掌握相关政府信息",
                               "2．没有现成信息需要另行制作",
                               "3．补正后申请内容仍不明确"};
  for (int i = 0; i < 3; ++i) {
    rows.push_back({absl::StrCat("（四）", i + 1),
                    {three, "（四）无法提供", unavailable[i]}});
  }
  const char* rejected[] = {
      "1．信访举报投诉类申请", "2．重复申请", "3．要求提供公开出版物",
      "4．无正当理由大量反复申请", "5．要求行政机关确认或重新出具已获取信息"};
  for (int i = 0; i < 5; ++i) {
    rows.push_back({absl::StrCat("（五）", i + 1),
                    {three, "（五）不予处理", rejected[i]}});
  }
  const char* other[] = {
      "1．申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
      "2．申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开"
      "申请",
      "3．其他"};
  for (int i = 0; i < 3; ++i) {
    rows.push_back(
        {absl::StrCat("（六）", i + 1), {three, "（六）其他处理", other[i]}});
  }
  rows.push_back({"（七）", {three, "（七）总计"}});
  rows.push_back({"四", {"四、结转下年度继续办理"}});
  return rows;
}

// Table 3 as an HTML reader gives it: merged cells repeated with
// merged_copy, a label spanning the label columns it covers.
Grid Table3Grid(const Figures& f, const std::vector<LabelRow>& rows,
                const std::map<std::string, std::string>& text = {}) {
  Grid g;
  g.where = "第 1 个表格";
  g.where_en = "table 1";
  auto copy = [](const std::string& s) { return Cell{s, true}; };
  const std::string note = kTable3Note;
  g.rows.push_back({Cell{note}, copy(note), copy(note), Cell{"申请人情况"},
                    copy("申请人情况"), copy("申请人情况"), copy("申请人情况"),
                    copy("申请人情况"), copy("申请人情况"),
                    copy("申请人情况")});
  g.rows.push_back({copy(note), copy(note), copy(note), Cell{"自然人"},
                    Cell{"法人或其他组织"}, copy("法人或其他组织"),
                    copy("法人或其他组织"), copy("法人或其他组织"),
                    copy("法人或其他组织"), Cell{"总计"}});
  g.rows.push_back({copy(note), copy(note), copy(note), copy("自然人"),
                    Cell{"商业企业"}, Cell{"科研机构"}, Cell{"社会公益组织"},
                    Cell{"法律服务机构"}, Cell{"其他"}, copy("总计")});
  std::string last_group;
  for (const LabelRow& r : rows) {
    std::vector<Cell> cells;
    const std::vector<std::string>& l = r.labels;
    if (l.size() == 1) {
      cells = {Cell{l[0]}, copy(l[0]), copy(l[0])};
    } else if (l.size() == 2) {
      cells = {Cell{l[0], l[0] == last_group}, Cell{l[1]}, copy(l[1])};
    } else {
      cells = {Cell{l[0], l[0] == last_group}, Cell{l[1]}, Cell{l[2]}};
    }
    last_group = l[0];
    auto it = f.find(r.id);
    for (int c = 0; c < 7; ++c) {
      const std::string key = absl::StrCat(r.id, "/", c);
      if (text.count(key)) {
        cells.push_back(Cell{text.at(key)});
      } else {
        cells.push_back(Cell{it == f.end() ? "" : absl::StrCat(it->second[c])});
      }
    }
    g.rows.push_back(std::move(cells));
  }
  return g;
}

// Table 4 as a report page has it.
Grid Table4Grid(const std::vector<std::string>& values) {
  Grid g;
  g.where = "第 2 个表格";
  g.where_en = "table 2";
  auto copy = [](const std::string& s) { return Cell{s, true}; };
  std::vector<Cell> r0 = {Cell{"行政复议"}}, r1, r2, r3;
  for (int i = 0; i < 4; ++i) r0.push_back(copy("行政复议"));
  r0.push_back(Cell{"行政诉讼"});
  for (int i = 0; i < 9; ++i) r0.push_back(copy("行政诉讼"));
  for (const char* h : kResultHeads) r1.push_back(Cell{h});
  r1.push_back(Cell{"未经复议直接起诉"});
  for (int i = 0; i < 4; ++i) r1.push_back(copy("未经复议直接起诉"));
  r1.push_back(Cell{"复议后起诉"});
  for (int i = 0; i < 4; ++i) r1.push_back(copy("复议后起诉"));
  for (const char* h : kResultHeads) r2.push_back(copy(h));
  for (int k = 0; k < 2; ++k) {
    for (const char* h : kResultHeads) r2.push_back(Cell{h});
  }
  for (const std::string& v : values) r3.push_back(Cell{v});
  g.rows = {r0, r1, r2, r3};
  return g;
}

std::vector<std::string> Zeros15() { return std::vector<std::string>(15, "0"); }

Source SourceOf(std::vector<Grid> grids, std::string text = "") {
  Source s;
  s.file_name = "2023年度报告.html";
  s.format = "HTML";
  s.format_en = "HTML";
  s.tables = std::move(grids);
  s.text = std::move(text);
  return s;
}

Source Report(const Figures& f = Consistent(),
              const std::vector<LabelRow>& rows = OfficialRows(),
              const std::map<std::string, std::string>& text = {},
              const std::vector<std::string>& table4 = Zeros15()) {
  return SourceOf({Table3Grid(f, rows, text), Table4Grid(table4)});
}

std::vector<Finding> Of(const CheckResult& r, const std::string& rule) {
  std::vector<Finding> out;
  for (const Finding& f : r.findings) {
    if (f.rule == rule) out.push_back(f);
  }
  return out;
}

std::string Dump(const CheckResult& r) { return CheckSummary(r, Lang::kEn); }

int Errors(const CheckResult& r) {
  int n = 0;
  for (const Finding& f : r.findings) n += f.severity == Severity::kError;
  return n;
}

// --- Tests ----------------------------------------------------------------

TEST(ReportCheckTest, ConsistentReportPage) {
  const CheckResult r = CheckPublishedReport(Report());
  EXPECT_TRUE(r.consistent()) << Dump(r);
  EXPECT_EQ(r.figures.layout, Layout::k2021);
  EXPECT_TRUE(r.figures.has_table3);
  EXPECT_TRUE(r.figures.has_table4);
  EXPECT_EQ(r.figures.table3.size(), 25u);
  EXPECT_TRUE(Of(r, "label.variant").empty()) << Dump(r);
  EXPECT_EQ(r.figures.year, 2023);
  // Table 2 absent is a note, not an error.
  ASSERT_EQ(Of(r, "table.missing").size(), 1u);
  EXPECT_EQ(Of(r, "table.missing")[0].severity, Severity::kNote);
}

TEST(ReportCheckTest, EveryMissedRuleIsFound) {
  Figures f = Consistent();
  f["（七）"][0] = 10;  // 总计 breaks t3.total_row, t3.total_column, balance
  const CheckResult r = CheckPublishedReport(Report(f));
  ASSERT_EQ(Of(r, "t3.total_row").size(), 1u) << Dump(r);
  EXPECT_EQ(Of(r, "t3.total_row")[0].row, "（七）");
  EXPECT_EQ(Of(r, "t3.total_row")[0].column, "natural_person");
  EXPECT_EQ(Of(r, "t3.total_row")[0].expected, 9);
  EXPECT_EQ(Of(r, "t3.total_row")[0].found, 10);
  ASSERT_EQ(Of(r, "t3.total_column").size(), 1u);
  EXPECT_EQ(Of(r, "t3.total_column")[0].row, "（七）");
  ASSERT_EQ(Of(r, "t3.balance").size(), 1u);
  EXPECT_EQ(Of(r, "t3.balance")[0].column, "natural_person");
  EXPECT_FALSE(r.consistent());
}

TEST(ReportCheckTest, BlankSlashAndWuAreZeroWithOneNote) {
  std::map<std::string, std::string> text;
  text["（三）1/0"] = "";
  text["（三）3/2"] = "/";
  text["（四）1/4"] = "无";
  text["（五）2/1"] = "—";
  text["（五）3/1"] = " - ";
  const CheckResult r =
      CheckPublishedReport(Report(Consistent(), OfficialRows(), text));
  EXPECT_TRUE(r.consistent()) << Dump(r);
  ASSERT_EQ(Of(r, "cell.blank_zero").size(), 1u);
  EXPECT_EQ(Of(r, "cell.blank_zero")[0].found, 5);
  EXPECT_EQ(Of(r, "cell.blank_zero")[0].severity, Severity::kNote);
}

TEST(ReportCheckTest, ABlankTotalIsNamedBlankInTheMessage) {
  // 上海 2019 leaves the 总计 column of the outcome rows empty: the messages
  // say the 0 is a blank, so the reviewer sees why the sums fail.
  std::map<std::string, std::string> text;
  for (const LabelRow& row : OfficialRows()) {
    if (row.labels.size() > 1 && row.id != "（七）") {
      text[absl::StrCat(row.id, "/6")] = "";
    }
  }
  const CheckResult r =
      CheckPublishedReport(Report(Consistent(), OfficialRows(), text));
  ASSERT_EQ(Of(r, "t3.total_column").size(), 3u) << Dump(r);
  EXPECT_THAT(Of(r, "t3.total_column")[0].message_zh,
              HasSubstr("（空白，按 0 读取）"));
  ASSERT_EQ(Of(r, "t3.total_row").size(), 1u) << Dump(r);
  EXPECT_EQ(Of(r, "t3.total_row")[0].column, "total");
  EXPECT_THAT(Of(r, "t3.total_row")[0].message_en,
              HasSubstr("every outcome row leaves this column blank"));
}

TEST(ReportCheckTest, WidthSpacesAndDigitFormsAreRead) {
  std::map<std::string, std::string> text;
  text["一/0"] = "\u00a010";  // NBSP before the digits (平潭 2021)
  text["一/6"] = "１２";      // full-width digits
  text["二/0"] = " 3 ";
  const CheckResult r =
      CheckPublishedReport(Report(Consistent(), OfficialRows(), text));
  EXPECT_TRUE(r.consistent()) << Dump(r);
}

TEST(ReportCheckTest, UnreadableCellIsAnErrorNeverAZero) {
  std::map<std::string, std::string> text;
  text["（一）/0"] = "8件?";
  const CheckResult r =
      CheckPublishedReport(Report(Consistent(), OfficialRows(), text));
  ASSERT_EQ(Of(r, "cell.unreadable").size(), 1u) << Dump(r);
  EXPECT_EQ(Of(r, "cell.unreadable")[0].row, "（一）");
  EXPECT_EQ(Of(r, "cell.unreadable")[0].column, "natural_person");
  EXPECT_THAT(Of(r, "cell.unreadable")[0].message_zh, HasSubstr("8件?"));
  // No rule blames another cell; the ones needing it say they did not run.
  EXPECT_TRUE(Of(r, "t3.total_row").empty()) << Dump(r);
  EXPECT_TRUE(Of(r, "t3.total_column").empty()) << Dump(r);
  EXPECT_TRUE(Of(r, "t3.balance").empty()) << Dump(r);
  const std::vector<Finding> not_run = Of(r, "rule.not_run");
  ASSERT_EQ(not_run.size(), 2u) << Dump(r);
  EXPECT_THAT(not_run[0].message_en, HasSubstr("t3.total_column"));
  EXPECT_THAT(not_run[1].message_en, HasSubstr("t3.total_row"));
  EXPECT_EQ(not_run[1].column, "natural_person");
  EXPECT_EQ(Errors(r), 1);
}

TEST(ReportCheckTest, PublishedLabelVariantsAreMatched) {
  std::vector<LabelRow> rows = OfficialRows();
  for (LabelRow& row : rows) {
    std::string& leaf = row.labels.back();
    if (row.id == "（二）") {
      leaf = "（二）部分公开(区分处理的,只计这一情况,\n不计其他情形)";
    } else if (row.id == "（三）2") {
      leaf = "2.其他法律行政止公开";  // 洪泽区 2023, 2024
    } else if (row.id == "（三）3") {
      leaf = "3. 危及\"三安全一稳定\"";
    } else if (row.id == "（三）5") {
      leaf = "5.属于三类内容事务信息";
    } else if (row.id == "一") {
      row.labels = {"一、本年新收政府信息\n公开申请数量"};
    }
  }
  Figures f = Consistent();
  f["（七）"][6] = 12;  // and an error that must still be found
  const CheckResult r = CheckPublishedReport(Report(f, rows));
  const std::vector<Finding> variants = Of(r, "label.variant");
  ASSERT_EQ(variants.size(), 3u) << Dump(r);
  EXPECT_EQ(variants[0].row, "（二）");
  EXPECT_EQ(variants[1].row, "（三）2");
  EXPECT_THAT(variants[1].message_zh, HasSubstr("其他法律行政止公开"));
  EXPECT_THAT(variants[1].message_zh, HasSubstr("其他法律行政法规禁止公开"));
  EXPECT_EQ(variants[2].row, "（三）5");
  EXPECT_TRUE(Of(r, "label.unmatched").empty()) << Dump(r);
  EXPECT_TRUE(Of(r, "row.missing").empty()) << Dump(r);
  ASSERT_EQ(Of(r, "t3.total_row").size(), 1u) << Dump(r);
  EXPECT_EQ(Of(r, "t3.total_row")[0].column, "total");
}

TEST(ReportCheckTest, BlankFirstCellRowsAreData) {
  // A CSV transcription: the group written once, cells left blank below.
  std::vector<LabelRow> rows = OfficialRows();
  std::string last0, last1;
  for (LabelRow& row : rows) {
    if (row.labels.size() < 2) continue;
    const std::string g = row.labels[0], h = row.labels[1];
    if (g == last0) row.labels[0] = "";
    if (row.labels.size() == 3 && h == last1) row.labels[1] = "";
    last0 = g;
    last1 = h;
  }
  Grid grid = Table3Grid(Consistent(), rows);
  for (auto& r : grid.rows) {
    for (Cell& c : r) {
      if (c.merged_copy) c.text.clear();
    }
  }
  const CheckResult r =
      CheckPublishedReport(SourceOf({grid, Table4Grid(Zeros15())}));
  EXPECT_TRUE(r.consistent()) << Dump(r);
  EXPECT_EQ(r.figures.table3.size(), 25u);
}

TEST(ReportCheckTest, UnmatchedLabelDoesNotSilenceTheOtherRules) {
  std::vector<LabelRow> rows = OfficialRows();
  rows[4].labels.back() = "1.某种完全不同的说法";  // （三）1
  Figures f = Consistent();
  f["四"][1] = 1;  // breaks the balance in column commercial_enterprise
  f["四"][6] = 5;
  const CheckResult r = CheckPublishedReport(Report(f, rows));
  ASSERT_EQ(Of(r, "label.unmatched").size(), 1u) << Dump(r);
  ASSERT_EQ(Of(r, "row.missing").size(), 1u) << Dump(r);
  EXPECT_EQ(Of(r, "row.missing")[0].row, "（三）1");
  // t3.total_row cannot run and says so; the balance still runs.
  bool named = false;
  for (const Finding& x : Of(r, "rule.not_run")) {
    if (x.message_en.find("t3.total_row") != std::string::npos) named = true;
  }
  EXPECT_TRUE(named) << Dump(r);
  ASSERT_EQ(Of(r, "t3.balance").size(), 2u) << Dump(r);
  EXPECT_EQ(Of(r, "t3.balance")[0].column, "commercial_enterprise");
}

TEST(ReportCheckTest, Layout2019) {
  std::vector<LabelRow> rows;
  Figures f = Consistent();
  for (const LabelRow& row : OfficialRows()) {
    if (row.id == "（六）1" || row.id == "（六）2") continue;
    if (row.id == "（六）3") {
      rows.push_back({"（六）", {"三、本年度办理结果", "（六）其他处理"}});
      continue;
    }
    rows.push_back(row);
  }
  f["（六）"] = f["（六）3"];
  const CheckResult r = CheckPublishedReport(Report(f, rows));
  EXPECT_TRUE(r.consistent()) << Dump(r);
  EXPECT_EQ(r.figures.layout, Layout::k2019);
  EXPECT_EQ(r.figures.table3.count("（六）"), 1u);
  EXPECT_EQ(r.figures.table3.size(), 23u);
  // And a 2019 total that is wrong is found.
  f["（七）"][1] = 1;
  EXPECT_EQ(Of(CheckPublishedReport(Report(f, rows)), "t3.total_row").size(),
            1u);
}

TEST(ReportCheckTest, Table4Totals) {
  // 洪泽区 2023: 行政复议 10/1/0/0 with 总计 0.
  std::vector<std::string> v = Zeros15();
  v[0] = "10";
  v[1] = "1";
  const CheckResult r =
      CheckPublishedReport(Report(Consistent(), OfficialRows(), {}, v));
  ASSERT_EQ(Of(r, "t4.total").size(), 1u) << Dump(r);
  EXPECT_EQ(Of(r, "t4.total")[0].row, "reconsideration");
  EXPECT_EQ(Of(r, "t4.total")[0].expected, 11);
  EXPECT_EQ(Of(r, "t4.total")[0].found, 0);
  v[4] = "11";
  v[13] = "2";  // 复议后起诉 尚未审结 2, 总计 0
  const CheckResult r2 =
      CheckPublishedReport(Report(Consistent(), OfficialRows(), {}, v));
  ASSERT_EQ(Of(r2, "t4.total").size(), 1u) << Dump(r2);
  EXPECT_EQ(Of(r2, "t4.total")[0].row, "litigation_after_reconsideration");
}

TEST(ReportCheckTest, Table4WithGroupsDownTheSide) {
  Grid g;
  auto row = [](std::vector<std::string> texts) {
    std::vector<Cell> cells;
    for (std::string& t : texts) cells.push_back(Cell{std::move(t)});
    return cells;
  };
  g.rows = {row({"四、政府信息公开行政复议、行政诉讼情况"}),
            row({"", "结果维持", "结果纠正", "其他结果", "尚未审结", "总计"}),
            row({"行政复议", "1", "2", "0", "0", "3"}),
            row({"行政诉讼（未经复议直接起诉）", "0", "0", "0", "1", "1"}),
            row({"行政诉讼（复议后起诉）", "0", "1", "0", "0", "0"})};
  Source s = SourceOf({Table3Grid(Consistent(), OfficialRows()), g});
  const CheckResult r = CheckPublishedReport(s);
  ASSERT_EQ(r.figures.table4.size(), 3u) << Dump(r);
  EXPECT_EQ(r.figures.table4.at("litigation_direct")[3], 1);
  ASSERT_EQ(Of(r, "t4.total").size(), 1u) << Dump(r);
  EXPECT_EQ(Of(r, "t4.total")[0].row, "litigation_after_reconsideration");
}

TEST(ReportCheckTest, MissingTable4IsAnError) {
  const CheckResult r = CheckPublishedReport(
      SourceOf({Table3Grid(Consistent(), OfficialRows())}));
  EXPECT_FALSE(r.consistent());
  bool table4 = false;
  for (const Finding& f : Of(r, "table.missing")) {
    table4 |= f.table == 4 && f.severity == Severity::kError;
  }
  EXPECT_TRUE(table4) << Dump(r);
}

TEST(ReportCheckTest, PreviousYearsCarryOver) {
  Figures last = Consistent();
  last["四"] = {3, 0, 0, 0, 0, 0, 3};
  last["一"] = {9, 2, 0, 0, 0, 0, 11};  // keeps last year balanced
  const Source previous = Report(last);
  CheckInputs in;
  in.previous = &previous;
  EXPECT_TRUE(CheckPublishedReport(Report(), in).consistent());
  last["四"] = {2, 1, 0, 0, 0, 0, 3};
  last["一"] = {8, 3, 0, 0, 0, 0, 11};
  const Source wrong = Report(last);
  in.previous = &wrong;
  const CheckResult r = CheckPublishedReport(Report(), in);
  ASSERT_EQ(Of(r, "prev.carry").size(), 2u) << Dump(r);
  EXPECT_EQ(Of(r, "prev.carry")[0].column, "natural_person");
  EXPECT_EQ(Of(r, "prev.carry")[0].expected, 2);
  EXPECT_EQ(Of(r, "prev.carry")[0].found, 3);
}

TEST(ReportCheckTest, NarrativeAgainstTables) {
  Source s = Report();
  s.text =
      "一、总体情况\n2023年，本机关共收到政府信息公开申请12件，上年结转3件，"
      "全部依法答复。\n本年度办结政府信息公开申请11件，结转下年度继续办理4件。"
      "\n本年度行政复议0件。";
  EXPECT_TRUE(CheckPublishedReport(s).consistent())
      << Dump(CheckPublishedReport(s));
  s.text =
      "本机关共收到政府信息公开申请十三件，办结11件，结转下年度继续办理5件。";
  const CheckResult r = CheckPublishedReport(s);
  ASSERT_EQ(Of(r, "narrative.received").size(), 1u) << Dump(r);
  EXPECT_EQ(Of(r, "narrative.received")[0].expected, 12);
  EXPECT_EQ(Of(r, "narrative.received")[0].found, 13);
  ASSERT_EQ(Of(r, "narrative.carried_over").size(), 1u) << Dump(r);
  EXPECT_TRUE(Of(r, "narrative.closed").empty());
  // A total that includes the carried-in requests, said so.
  s.text = "共受理政府信息公开申请15件（含上年结转3件）。";
  EXPECT_TRUE(CheckPublishedReport(s).consistent())
      << Dump(CheckPublishedReport(s));
  // Not about requests: not compared.
  s.text = "全年主动公开政府信息1200件。";
  EXPECT_TRUE(CheckPublishedReport(s).consistent());
  // About appeals that requests led to: noted, not compared with 一.
  s.text = "收到政府信息公开申请引发的行政复议2件。";
  const CheckResult appeals = CheckPublishedReport(s);
  EXPECT_TRUE(appeals.consistent()) << Dump(appeals);
  EXPECT_EQ(Of(appeals, "narrative.untied").size(), 1u) << Dump(appeals);
}

TEST(ReportCheckTest, RollupAgainstChildren) {
  Figures a = Consistent(), b = Consistent(), parent = Consistent();
  for (auto& [id, v] : parent) {
    for (size_t c = 0; c < v.size(); ++c) v[c] = a[id][c] + b[id][c];
  }
  const Source ca = Report(a), cb = Report(b);
  CheckInputs in;
  in.children = {&ca, &cb};
  EXPECT_TRUE(CheckPublishedReport(Report(parent), in).consistent());
  parent["一"][0] += 1;
  parent["四"][0] += 1;
  parent["一"][6] += 1;
  parent["四"][6] += 1;
  const CheckResult r = CheckPublishedReport(Report(parent), in);
  EXPECT_EQ(Of(r, "rollup.cell").size(), 4u) << Dump(r);
  EXPECT_EQ(Of(r, "t3.balance").size(), 0u) << Dump(r);
}

// Our own CSV (gongkai report --format csv) checks clean and converts back.
TEST(ReportCheckTest, OwnCsvChecksCleanAndConvertsBack) {
  AnnualReport report;
  report.year = 2023;
  report.table3.new_requests.by_type = {10, 2, 0, 1, 0, 0};
  report.table3.carried_in.by_type = {3, 0, 0, 0, 0, 0};
  report.table3.outcomes[0].by_type = {8, 1, 0, 1, 0, 0};
  report.table3.outcomes[1].by_type = {1, 0, 0, 0, 0, 0};
  report.table3.outcome_total.by_type = {9, 1, 0, 1, 0, 0};
  report.table3.carried_out.by_type = {4, 1, 0, 0, 0, 0};
  report.table4.reconsideration = {1, 2, 0, 1};
  report.table4.litigation_after_reconsideration = {0, 0, 1, 0};
  ASSERT_TRUE(VerifyReport(report).ok());
  absl::StatusOr<Source> source =
      ReadSource(ReportCsv(report), "2023-report.csv");
  ASSERT_TRUE(source.ok()) << source.status();
  const CheckResult r = CheckPublishedReport(*source);
  EXPECT_TRUE(r.consistent()) << Dump(r);
  EXPECT_TRUE(Of(r, "label.variant").empty()) << Dump(r);
  EXPECT_EQ(r.figures.layout, Layout::k2021);
  absl::StatusOr<AnnualReport> back = ToAnnualReport(*source);
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(back->year, 2023);
  EXPECT_EQ(back->table3, report.table3);
  EXPECT_EQ(back->table4, report.table4);
}

// Hand-typed copies of our CSV: the typed errors are found and located.
TEST(ReportCheckTest, TypedErrorsInOwnCsv) {
  AnnualReport report;
  report.year = 2023;
  report.table3.new_requests.by_type = {47, 0, 0, 0, 0, 0};
  report.table3.outcomes[0].by_type = {25, 0, 0, 0, 0, 0};
  report.table3.outcomes[10].by_type = {21, 0, 0, 0, 0, 0};
  report.table3.outcome_total.by_type = {46, 0, 0, 0, 0, 0};
  report.table3.carried_out.by_type = {1, 0, 0, 0, 0, 0};
  ASSERT_TRUE(VerifyReport(report).ok());
  // A typo in 予以公开 (25 -> 26) breaks its 总计 and the column rules.
  const std::string csv = absl::StrReplaceAll(
      ReportCsv(report),
      {{"（一）予以公开,,25,0,0,0,0,0,25", "(一) 予以公开,,26,0,0,0,0,0,25"}});
  const CheckResult r = CheckPublishedReport(*ReadSource(csv, "typed.csv"));
  ASSERT_EQ(Errors(r), 2) << Dump(r);
  ASSERT_EQ(Of(r, "t3.total_column").size(), 1u);
  EXPECT_EQ(Of(r, "t3.total_column")[0].row, "（一）");
  ASSERT_EQ(Of(r, "t3.total_row").size(), 1u);
  EXPECT_EQ(Of(r, "t3.total_row")[0].column, "natural_person");
  EXPECT_EQ(Of(r, "t3.total_row")[0].expected, 47);
  EXPECT_EQ(Of(r, "t3.total_row")[0].found, 46);
  // Half-width brackets and a space are no variant.
  EXPECT_TRUE(Of(r, "label.variant").empty()) << Dump(r);
}

TEST(ReportCheckTest, MissingRowsAndJunkInCsv) {
  const CheckResult r = CheckPublishedReport(*ReadSource(
      "三、收到和处理政府信息公开申请情况\n一、本年新收政府信息公开申请数量,"
      ",,x,0,0,0,0,0,0\n",
      "short.csv"));
  ASSERT_EQ(Of(r, "cell.unreadable").size(), 1u) << Dump(r);
  EXPECT_EQ(Of(r, "cell.unreadable")[0].row, "一");
  EXPECT_EQ(Of(r, "row.missing").size(), 24u) << Dump(r);
  EXPECT_FALSE(r.consistent());
}

TEST(ReportCheckTest, ToAnnualReportRefusesErrors) {
  Figures f = Consistent();
  f["（七）"][0] = 10;
  const absl::StatusOr<AnnualReport> r = ToAnnualReport(Report(f));
  EXPECT_EQ(r.status().code(), absl::StatusCode::kFailedPrecondition);
}

TEST(ReportCheckTest, JsonHasTheContractFields) {
  Figures f = Consistent();
  f["（七）"][0] = 10;
  const Json j = CheckJson(CheckPublishedReport(Report(f)), Lang::kEn);
  EXPECT_EQ(j.Find("layout")->as_string(), "2021");
  EXPECT_FALSE(j.Find("consistent")->as_bool());
  ASSERT_EQ(j.Find("tables_found")->as_array().size(), 2u);
  const Json& first = j.Find("findings")->as_array().front();
  for (const char* key : {"severity", "table", "rule", "row", "column",
                          "expected", "found", "message"}) {
    EXPECT_NE(first.Find(key), nullptr) << key;
  }
  EXPECT_EQ(first.Find("severity")->as_string(), "error");
}

TEST(ReportCheckTest, SummaryInBothLanguages) {
  const CheckResult r = CheckPublishedReport(Report());
  EXPECT_THAT(CheckSummary(r, Lang::kZh), HasSubstr("结论：前后一致"));
  EXPECT_THAT(CheckSummary(r, Lang::kEn), HasSubstr("Verdict: consistent"));
  EXPECT_THAT(CheckSummary(r, Lang::kZh), HasSubstr("2021 年版"));
}

Grid Table2Grid(const std::string& fee) {
  Grid g;
  g.where = "第 1 个表格";
  g.where_en = "table 1";
  auto row = [](std::vector<std::string> texts) {
    std::vector<Cell> cells;
    for (std::string& t : texts) cells.push_back(Cell{std::move(t)});
    return cells;
  };
  g.rows = {row({"第二十条第（一）项"}),
            row({"信息内容", "本年制发件数", "本年废止件数", "现行有效件数"}),
            row({"规章", "0", "0", "0"}),
            row({"行政规范性文件", "3", "1", "12"}),
            row({"第二十条第（五）项"}),
            row({"信息内容", "本年处理决定数量"}),
            row({"行政许可", "1,234"}),
            row({"第二十条第（六）项"}),
            row({"信息内容", "本年处理决定数量"}),
            row({"行政处罚", "56"}),
            row({"行政强制", "/"}),
            row({"第二十条第（八）项"}),
            row({"信息内容", "本年收费金额（单位：万元）"}),
            row({"行政事业性收费", fee})};
  return g;
}

TEST(ReportCheckTest, Table2IsReadAndItsCellsChecked) {
  Source s = Report();
  s.tables.insert(s.tables.begin(), Table2Grid("7962.8075"));
  const CheckResult r = CheckPublishedReport(s);
  EXPECT_TRUE(r.consistent()) << Dump(r);
  EXPECT_TRUE(r.figures.has_table2);
  EXPECT_TRUE(Of(r, "table.missing").empty()) << Dump(r);
  EXPECT_TRUE(Of(r, "row.missing").empty()) << Dump(r);
  EXPECT_EQ(r.figures.table2.at("normative_documents").at("in_force"), 12);
  EXPECT_EQ(r.figures.table2.at("licensing").at("decisions"), 1234);
  EXPECT_EQ(r.figures.table2.at("enforcement").at("decisions"), 0);
  // 7962.8075 万元 = 79,628,075 元.
  EXPECT_EQ(r.figures.table2.at("fees").at("amount_fen"), 7962807500);
  absl::StatusOr<AnnualReport> report = ToAnnualReport(s);
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_EQ(report->proactive[1].in_force, 12);
  // Offices publish 万元 to the fen: six decimals are read.
  s.tables[0] = Table2Grid("24252.311082");
  const CheckResult fen = CheckPublishedReport(s);
  EXPECT_TRUE(fen.consistent()) << Dump(fen);
  EXPECT_EQ(fen.figures.table2.at("fees").at("amount_fen"), 24252311082);
  // Finer than a fen, or words, are not read.
  s.tables[0] = Table2Grid("7962.8075123");
  const CheckResult bad = CheckPublishedReport(s);
  ASSERT_EQ(Of(bad, "cell.unreadable").size(), 1u) << Dump(bad);
  EXPECT_EQ(Of(bad, "cell.unreadable")[0].table, 2);
  EXPECT_EQ(Of(bad, "cell.unreadable")[0].row, "fees");
}

TEST(ReportCheckTest, NumberFollowedByItsUnitIsReadWithOneNote) {
  // "8件" in table 3 and "251000元" in a column of 万元 (上海 2019's
  // 采购总金额) are what a reviewer reads as 8 and 25.1 万元.
  std::map<std::string, std::string> text;
  text["（一）/0"] = "8件";
  text["一/6"] = "12 件";
  Source s = Report(Consistent(), OfficialRows(), text);
  s.tables.insert(s.tables.begin(), Table2Grid("251000元"));
  const CheckResult r = CheckPublishedReport(s);
  EXPECT_TRUE(r.consistent()) << Dump(r);
  EXPECT_EQ(r.figures.table3.at("（一）")[0], 8);
  EXPECT_EQ(r.figures.table2.at("fees").at("amount_fen"), 25100000);
  ASSERT_EQ(Of(r, "cell.unit").size(), 1u) << Dump(r);
  EXPECT_EQ(Of(r, "cell.unit")[0].severity, Severity::kNote);
  EXPECT_EQ(Of(r, "cell.unit")[0].found, 3);
  EXPECT_THAT(Of(r, "cell.unit")[0].message_zh, HasSubstr("251000元"));
  // 3万元 in the same column is 3 万元.
  s.tables[0] = Table2Grid("3万元");
  EXPECT_EQ(CheckPublishedReport(s).figures.table2.at("fees").at("amount_fen"),
            3000000);
  // A unit that does not fit the column is not read: a count in 元, an
  // amount in 件, a figure in days.
  text["（一）/0"] = "8元";
  text["（一）/1"] = "1天";
  s = Report(Consistent(), OfficialRows(), text);
  s.tables.insert(s.tables.begin(), Table2Grid("5件"));
  const CheckResult bad = CheckPublishedReport(s);
  EXPECT_EQ(Of(bad, "cell.unreadable").size(), 3u) << Dump(bad);
}

TEST(ReportCheckTest, RowsOfACopiedPageAreReadByTheirOwnFigures) {
  // A browser copies a table with rowspans without the covered cells: the
  // （三） items start one column right (their number in the first number
  // column), （七） one column left with an empty cell after its figures.
  Grid g = Table3Grid(Consistent(), OfficialRows());
  for (auto& row : g.rows) {
    if (row.size() < 3) continue;
    const std::string label = row[2].text;
    if (label == "（七）总计") {
      row.erase(row.begin() + 2);  // the label's merged copy
      row.push_back(Cell{""});
    } else if (absl::StartsWith(label, "2．其他法律")) {
      row.insert(row.begin(), Cell{""});  // one more empty cell in front
      for (auto& other : g.rows) {
        if (&other != &row && other.size() < row.size()) {
          other.push_back(Cell{""});
        }
      }
    }
  }
  Source s = SourceOf({g, Table4Grid(Zeros15())});
  const CheckResult r = CheckPublishedReport(s);
  EXPECT_TRUE(r.consistent()) << Dump(r);
  EXPECT_EQ(r.figures.table3.size(), 25u);
  EXPECT_EQ(r.figures.table3.at("（七）")[0], 9);
  EXPECT_THAT(absl::StrJoin(r.read_en, "\n"),
              HasSubstr("have their figures off the header's columns"));
  // A row whose figures hold an unreadable cell is not slid to fit: the
  // cell is reported where it is.
  std::map<std::string, std::string> text;
  text["（七）/6"] = "11?";
  const CheckResult unread =
      CheckPublishedReport(Report(Consistent(), OfficialRows(), text));
  ASSERT_EQ(Of(unread, "cell.unreadable").size(), 1u) << Dump(unread);
  EXPECT_EQ(Of(unread, "cell.unreadable")[0].row, "（七）");
  EXPECT_EQ(Of(unread, "cell.unreadable")[0].column, "total");
}

TEST(ReportCheckTest, NarrativeFigureNamedByTheWordsAfterIt) {
  Source s = Report();
  // 驻马店 2023 and 上海 2019 as written.
  s.text =
      "2023 年共接受依申请公开 12 件，其中 4 件结转下年度继续办理。"
      "答复政府信息公开申请11件，另有4件申请按照《条例》顺延到下年度答复。";
  const CheckResult r = CheckPublishedReport(s);
  EXPECT_TRUE(r.consistent()) << Dump(r);
  EXPECT_TRUE(Of(r, "narrative.untied").empty()) << Dump(r);
  // The verb cut off its figure by the 、 of a list (平潭 2023); figures
  // after another figure are not tied to its verb.
  s.text =
      "2023年全区接收通过邮寄、网络提交的各类政府信息公开申请共计12件，"
      "涉及自然人10件、商业企业2件。";
  const CheckResult listed = CheckPublishedReport(s);
  EXPECT_TRUE(listed.consistent()) << Dump(listed);
  EXPECT_EQ(Of(listed, "narrative.untied").size(), 2u) << Dump(listed);
  s.text = "2023年全区接收通过邮寄、网络提交的各类政府信息公开申请共计13件。";
  EXPECT_EQ(Of(CheckPublishedReport(s), "narrative.received").size(), 1u);
  s.text = "2023 年共接受依申请公开 12 件，其中 5 件结转下年度继续办理。";
  const CheckResult bad = CheckPublishedReport(s);
  ASSERT_EQ(Of(bad, "narrative.carried_over").size(), 1u) << Dump(bad);
  EXPECT_EQ(Of(bad, "narrative.carried_over")[0].expected, 4);
  EXPECT_EQ(Of(bad, "narrative.carried_over")[0].found, 5);
  EXPECT_EQ(Errors(bad), 1);
}

TEST(ReportCheckTest, Blank2021HeadingOfSixIsNot2019) {
  // A page that gives （六）其他处理 a row of its own, without figures, above
  // its three items: still the 2021 layout.
  std::vector<LabelRow> rows;
  for (const LabelRow& row : OfficialRows()) {
    if (row.id == "（六）1") {
      rows.push_back({"（六）", {"三、本年度办理结果", "（六）其他处理"}});
    }
    rows.push_back(row);
  }
  std::map<std::string, std::string> text;
  for (int c = 0; c < 7; ++c) text[absl::StrCat("（六）/", c)] = "";
  const CheckResult r = CheckPublishedReport(Report(Consistent(), rows, text));
  EXPECT_TRUE(r.consistent()) << Dump(r);
  EXPECT_EQ(r.figures.layout, Layout::k2021);
  EXPECT_EQ(r.figures.table3.count("（六）"), 0u);
  EXPECT_TRUE(Of(r, "cell.blank_zero").empty()) << Dump(r);
}

TEST(ReportCheckTest, NothingRecognisedIsTableMissing) {
  Grid g;
  g.rows = {{Cell{"hello"}, Cell{"world"}}};
  const CheckResult r = CheckPublishedReport(SourceOf({g}));
  EXPECT_FALSE(r.consistent());
  EXPECT_EQ(Of(r, "table.missing").size(), 3u);
}

}  // namespace
}  // namespace gongkai::published

#include "formats/report_render.h"

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "common/text_width.h"
#include "domain/test_history.h"
#include "formats/report_layout.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace gongkai {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

// The published 2023 report of 驻马店市公安局 (the reference report).
AnnualReport Reference() {
  AnnualReport r;
  r.year = 2023;
  r.agency = "驻马店市公安局";
  std::vector<CaseFact> facts;
  for (int i = 0; i < 25; ++i)
    facts.push_back({D("2023-03-01"), D("2023-03-10"), Outcome::kDisclosed});
  for (int i = 0; i < 21; ++i)
    facts.push_back(
        {D("2023-03-01"), D("2023-03-10"), Outcome::kUnavailableNotHeld});
  facts.push_back({D("2023-12-29"), std::nullopt, std::nullopt});
  r.table3 = TallyTable3(2023, facts);
  auto row = [&r](ProactiveItem item) -> ProactiveRow& {
    return r.proactive[static_cast<int>(item) - 1];
  };
  row(ProactiveItem::kNormativeDocuments).in_force = 1;
  row(ProactiveItem::kLicensing).decisions = 2878911;
  row(ProactiveItem::kPunishment).decisions = 3160;
  row(ProactiveItem::kEnforcement).decisions = 263;
  row(ProactiveItem::kFees).amount_fen = int64_t{79628075} * 100;
  return r;
}

// Distinct figures in every cell of table 4, to see each lands in place.
AnnualReport WithAppeals() {
  AnnualReport r = Reference();
  r.table4.reconsideration = {1, 2, 3, 4};
  r.table4.litigation_direct = {5, 6, 7, 8};
  r.table4.litigation_after_reconsideration = {9, 10, 11, 12};
  return r;
}

std::vector<std::string> Lines(absl::string_view text) {
  return absl::StrSplit(text, '\n');
}

// Compares with tests/data/golden/NAME line by line, so a failure names the
// lines that changed; GONGKAI_UPDATE_GOLDEN=1 rewrites the file.
void ExpectGolden(const std::string& name, const std::string& actual) {
  const std::string path = std::string(GONGKAI_GOLDEN_DIR) + "/" + name;
  if (std::getenv("GONGKAI_UPDATE_GOLDEN") != nullptr) {
    std::ofstream(path, std::ios::binary) << actual;
  }
  std::ifstream in(path, std::ios::binary);
  ASSERT_TRUE(in) << "cannot read " << path;
  std::stringstream s;
  s << in.rdbuf();
  std::vector<std::string> want = Lines(s.str()), got = Lines(actual);
  for (size_t i = 0; i < std::max(want.size(), got.size()); ++i) {
    EXPECT_EQ(i < got.size() ? got[i] : "<missing>",
              i < want.size() ? want[i] : "<missing>")
        << name << " line " << i + 1;
  }
}

// The lines of the text report from `heading` to the next empty line.
std::vector<std::string> Section(const std::string& text,
                                 absl::string_view heading) {
  std::vector<std::string> out;
  bool in = false;
  for (const std::string& line : Lines(text)) {
    if (line == heading) {
      in = true;
      continue;
    }
    if (in && line.empty()) break;
    if (in) out.push_back(line);
  }
  return out;
}

struct Token {
  std::string text;
  int start, end;  // display columns
};

// The space-separated words of `line` with where they stand on screen.
std::vector<Token> Tokens(const std::string& line) {
  std::vector<Token> out;
  size_t i = 0;
  while (i < line.size()) {
    if (line[i] == ' ') {
      ++i;
      continue;
    }
    size_t j = line.find(' ', i);
    if (j == std::string::npos) j = line.size();
    const int start = DisplayWidth(line.substr(0, i));
    out.push_back({line.substr(i, j - i), start,
                   start + DisplayWidth(line.substr(i, j - i))});
    i = j;
  }
  return out;
}

std::vector<std::string> Texts(const std::vector<Token>& tokens) {
  std::vector<std::string> out;
  for (const Token& t : tokens) out.push_back(t.text);
  return out;
}

TEST(ReportRenderTest, TextMatchesGolden) {
  ExpectGolden("report-2023.text", ReportText(Reference()));
}

TEST(ReportRenderTest, MarkdownMatchesGolden) {
  ExpectGolden("report-2023.md", ReportMarkdown(Reference()));
}

TEST(ReportRenderTest, HtmlMatchesGolden) {
  ExpectGolden("report-2023.html", ReportHtml(Reference()));
}

TEST(ReportRenderTest, CsvMatchesGolden) {
  ExpectGolden("report-2023.csv", ReportCsv(Reference()));
}

TEST(ReportRenderTest, TextShowsEveryRowLabelInFullAsTheOfficialForm) {
  const std::string text = ReportText(Reference());
  EXPECT_THAT(text, ::testing::Not(HasSubstr("…")));
  std::vector<std::string> table = Section(text, kTable3Title);
  for (const Table3Row& row : Table3Rows(Table3())) {
    // Each row's own label starts its line, after the indentation.
    const std::string& label = !row.item.empty()  ? row.item
                               : !row.sub.empty() ? row.sub
                                                  : row.group;
    bool found = false;
    for (const std::string& line : table) {
      absl::string_view rest = absl::StripLeadingAsciiWhitespace(line);
      if (absl::StartsWith(rest, label + " ")) found = true;
    }
    EXPECT_TRUE(found) << "row " << row.id << " '" << label << "'";
  }
  // The longest label of the form, （六）2, in full with its figures.
  EXPECT_THAT(
      text, HasSubstr("    2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处"
                      "理其政府信息公开申请  "));
  EXPECT_THAT(text, HasSubstr("    1.本机关不掌握相关政府信息  "));
  // Every figure of table 3 right-aligned under its column heading.
  std::vector<Token> types = Tokens(table[2]);  // 商业企业 … 其他
  std::vector<Token> top = Tokens(table[1]);  // 自然人 法人或其他组织 总计
  ASSERT_EQ(types.size(), 5u);
  ASSERT_EQ(top.size(), 3u);
  std::vector<int> ends = {top[0].end};
  for (const Token& t : types) ends.push_back(t.end);
  ends.push_back(top[2].end);
  EXPECT_EQ(top[1].start, types[0].start);  // 法人或其他组织 over its five
  int data_rows = 0;
  for (const std::string& line : table) {
    std::vector<Token> words = Tokens(line);
    if (words.size() < 8 || !absl::ascii_isdigit(words.back().text[0]))
      continue;
    ++data_rows;
    for (int c = 0; c < 7; ++c) {
      EXPECT_EQ(words[words.size() - 7 + c].end, ends[c]) << line;
    }
  }
  EXPECT_EQ(data_rows, 25);
  for (const std::string& line : Lines(text)) {
    EXPECT_FALSE(absl::EndsWith(line, " ")) << "'" << line << "'";
  }
}

TEST(ReportRenderTest, TextTable4HasTheOfficial15Columns) {
  std::vector<std::string> t4 =
      Section(ReportText(WithAppeals()), kTable4Title);
  ASSERT_EQ(t4.size(), 4u);
  // Group row, then 行政复议's headings beside the litigation groups, then
  // the litigation headings, then one row of 15 figures.
  std::vector<Token> groups = Tokens(t4[0]), second = Tokens(t4[1]),
                     third = Tokens(t4[2]), values = Tokens(t4[3]);
  EXPECT_THAT(Texts(groups), ElementsAre("行政复议", "行政诉讼"));
  EXPECT_THAT(Texts(second),
              ElementsAre("结果维持", "结果纠正", "其他结果", "尚未审结",
                          "总计", "未经复议直接起诉", "复议后起诉"));
  EXPECT_THAT(
      Texts(third),
      ElementsAre("结果维持", "结果纠正", "其他结果", "尚未审结", "总计",
                  "结果维持", "结果纠正", "其他结果", "尚未审结", "总计"));
  EXPECT_THAT(Texts(values),
              ElementsAre("1", "2", "3", "4", "10", "5", "6", "7", "8", "26",
                          "9", "10", "11", "12", "42"));
  ASSERT_EQ(values.size(), 15u);
  ASSERT_EQ(second.size(), 7u);
  ASSERT_EQ(third.size(), 10u);
  // Each figure ends under its heading; each group starts over its first
  // column.
  for (int c = 0; c < 15; ++c) {
    const Token& head = c < 5 ? second[c] : third[c - 5];
    EXPECT_EQ(values[c].end, head.end) << "column " << c + 1;
  }
  EXPECT_EQ(groups[0].start, second[0].start);
  EXPECT_EQ(groups[1].start, third[0].start);
  EXPECT_EQ(second[5].start, third[0].start);
  EXPECT_EQ(second[6].start, third[5].start);
}

TEST(ReportRenderTest, MarkdownTable4HasTheOfficial15Columns) {
  std::vector<std::string> lines = Lines(Table4Markdown(WithAppeals()));
  ASSERT_EQ(lines.size(), 5u);  // header, rule, column names, figures, ""
  for (int i = 0; i < 4; ++i) {
    EXPECT_EQ(std::count(lines[i].begin(), lines[i].end(), '|'), 16)
        << lines[i];
  }
  std::vector<std::string> head = absl::StrSplit(lines[0], '|');
  EXPECT_EQ(head[1], " 行政复议 ");
  EXPECT_EQ(head[6], " 行政诉讼 — 未经复议直接起诉 ");
  EXPECT_EQ(head[11], " 行政诉讼 — 复议后起诉 ");
  EXPECT_EQ(lines[2],
            "| 结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计 "
            "| 结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计 "
            "| 结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计 |");
  EXPECT_EQ(
      lines[3],
      "| 1 | 2 | 3 | 4 | 10 | 5 | 6 | 7 | 8 | 26 | 9 | 10 | 11 | 12 | 42 |");
}

TEST(ReportRenderTest, HtmlTable4IsTheOfficialLayout) {
  std::string html = Table4Html(WithAppeals());
  EXPECT_THAT(html, HasSubstr("<tr><th colspan=\"5\">行政复议</th><th "
                              "colspan=\"10\">行政诉讼</th></tr>\n<tr><th "
                              "rowspan=\"2\">结果维持</th>"));
  EXPECT_THAT(html, HasSubstr("<th colspan=\"5\">未经复议直接起诉</th><th "
                              "colspan=\"5\">复议后起诉</th></tr>"));
  EXPECT_THAT(html, HasSubstr("<td>26</td><td>9</td>"));
}

TEST(ReportRenderTest, EveryFormatWritesItemsAsTheOfficialForm) {
  const AnnualReport r = Reference();
  for (const std::string& out :
       {ReportText(r), ReportMarkdown(r), ReportCsv(r), ReportHtml(r)}) {
    EXPECT_THAT(out, HasSubstr("1.本机关不掌握相关政府信息"));
    EXPECT_THAT(out, HasSubstr("（四）无法提供"));
    EXPECT_THAT(out, HasSubstr("（一）予以公开"));
    EXPECT_THAT(out, ::testing::Not(HasSubstr("（四）1本机关")));
  }
}

constexpr char kNarrative[] =
    "# {{agency}}{{year}}年政府信息公开工作年度报告\n\n## 一、总体情况\n\n"
    "共接受依申请公开 {{requests.new.total}} 件。\n\n"
    "## 二、主动公开政府信息情况\n\n## 三、收到和处理政府信息公开申请情况\n\n"
    "## 四、政府信息公开行政复议、行政诉讼情况\n\n"
    "## 五、存在的主要问题及改进情况\n\n略。\n\n## 六、其他需要报告的事项\n\n"
    "依申请公开收费 {{fees.collected_yuan}} 元。\n";

TEST(ReportRenderTest, DocumentFillsTheNarrative) {
  absl::StatusOr<std::string> doc =
      ReportDocument(Reference(), kNarrative, false);
  ASSERT_TRUE(doc.ok()) << doc.status();
  EXPECT_THAT(*doc, HasSubstr("共接受依申请公开 47 件。"));
  EXPECT_THAT(*doc, HasSubstr("| 行政复议 |"));
}

TEST(ReportRenderTest, DocumentRefusesANarrativeWithoutItsSections) {
  for (const char* section : {"一、总体情况", "五、存在的主要问题及改进情况",
                              "六、其他需要报告的事项"}) {
    std::string narrative =
        absl::StrReplaceAll(kNarrative, {{absl::StrCat("## ", section), ""}});
    for (bool html : {false, true}) {
      absl::StatusOr<std::string> doc =
          ReportDocument(Reference(), narrative, html);
      ASSERT_EQ(doc.status().code(), absl::StatusCode::kInvalidArgument)
          << section;
      EXPECT_THAT(doc.status().message(), HasSubstr(section));
      EXPECT_THAT(doc.status().message(),
                  HasSubstr(absl::StrCat("「## ", section, "」")));
    }
  }
}

TEST(ReportRenderTest, DocumentNamesMissingSectionsAndUnknownPlaceholders) {
  absl::StatusOr<std::string> doc =
      ReportDocument(Reference(), "{{requests.nwe.total}}\n", false);
  ASSERT_EQ(doc.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(doc.status().message(),
              HasSubstr("缺少第一部分「一、总体情况」"));
  EXPECT_THAT(doc.status().message(),
              HasSubstr("line 1: {{requests.nwe.total}}"));
}

}  // namespace
}  // namespace gongkai

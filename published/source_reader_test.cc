#include "published/source_reader.h"

#include <iconv.h>
#include <xlsxwriter.h>
#include <zip.h>

#include <fstream>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/lang.h"
#include "domain/report.h"
#include "formats/report_render.h"
#include "formats/text_encoding.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace gongkai::published {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr char kNbsp[] = "\u00A0";

// The texts of a grid's row.
std::vector<std::string> Texts(const Grid& grid, size_t row) {
  std::vector<std::string> out;
  for (const Cell& c : grid.rows.at(row)) out.push_back(c.text);
  return out;
}
std::vector<bool> Copies(const Grid& grid, size_t row) {
  std::vector<bool> out;
  for (const Cell& c : grid.rows.at(row)) out.push_back(c.merged_copy);
  return out;
}

// `utf8` in `charset` through glibc's iconv.
std::string Encode(const std::string& utf8, const char* charset) {
  iconv_t cd = iconv_open(charset, "UTF-8");
  EXPECT_NE(cd, reinterpret_cast<iconv_t>(-1));
  std::string out(utf8.size() * 4 + 8, '\0');
  char* in = const_cast<char*>(utf8.data());
  size_t in_left = utf8.size();
  char* dst = out.data();
  size_t out_left = out.size();
  EXPECT_NE(iconv(cd, &in, &in_left, &dst, &out_left), static_cast<size_t>(-1));
  iconv_close(cd);
  out.resize(out.size() - out_left);
  return out;
}

// A zip of (name, data) parts, made with libzip.
std::string Zip(const std::vector<std::pair<std::string, std::string>>& parts) {
  const std::string path = ::testing::TempDir() + "/fixture.zip";
  std::remove(path.c_str());
  int error = 0;
  zip_t* z = zip_open(path.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &error);
  EXPECT_NE(z, nullptr);
  for (const auto& [name, data] : parts) {
    zip_source_t* src = zip_source_buffer(z, data.data(), data.size(), 0);
    EXPECT_GE(zip_file_add(z, name.c_str(), src, ZIP_FL_ENC_UTF_8), 0);
  }
  EXPECT_EQ(zip_close(z), 0);
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// ---- CSV ----

// Table 3's head as offices write it: a label with a line break inside
// quotes, an empty first cell, NBSP before a digit, "/" for zero.
const std::string kTable3Csv =
    absl::StrCat("本列数据的勾稽关系,,申请人情况,总计\r\n", ",,自然人,\r\n",
                 "一、本年新收政府信息公开申请数量,,47,47\r\n",
                 ",\"（二）部分公开\n（区分处理的）\",", kNbsp, "3,/\r\n");

TEST(SourceReaderTest, CsvInUtf8WithByteOrderMark) {
  auto s = ReadSource(absl::StrCat("\xEF\xBB\xBF", kTable3Csv), "表三.csv");
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_EQ(s->file_name, "表三.csv");
  EXPECT_EQ(s->format, "CSV（UTF-8，逗号分隔）");
  EXPECT_EQ(s->format_en, "CSV (UTF-8, comma-separated)");
  ASSERT_EQ(s->tables.size(), 1u);
  const Grid& g = s->tables[0];
  EXPECT_EQ(g.where, "CSV 文件");
  ASSERT_EQ(g.rows.size(), 4u);
  EXPECT_THAT(Texts(g, 0),
              ElementsAre("本列数据的勾稽关系", "", "申请人情况", "总计"));
  EXPECT_THAT(Texts(g, 1), ElementsAre("", "", "自然人", ""));
  EXPECT_THAT(Texts(g, 3), ElementsAre("", "（二）部分公开\n（区分处理的）",
                                       absl::StrCat(kNbsp, "3"), "/"));
  EXPECT_TRUE(s->text.empty());
}

TEST(SourceReaderTest, CsvInGbkSemicolonSeparated) {
  std::string csv = kTable3Csv;
  for (char& c : csv) {
    if (c == ',') c = ';';
  }
  auto gbk = EncodeGb18030(csv);
  ASSERT_TRUE(gbk.ok());
  auto s = ReadSource(*gbk, "report");
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_EQ(s->format, "CSV（GB18030，分号分隔）");
  ASSERT_EQ(s->tables.size(), 1u);
  EXPECT_THAT(Texts(s->tables[0], 2),
              ElementsAre("一、本年新收政府信息公开申请数量", "", "47", "47"));
  EXPECT_EQ(s->tables[0].rows[3][3].text, "/");
}

TEST(SourceReaderTest, CsvInUtf16WithAndWithoutByteOrderMark) {
  std::string tsv = kTable3Csv;
  for (char& c : tsv) {
    if (c == ',') c = '\t';
  }
  // Excel's "Unicode text": UTF-16LE with a mark, tab-separated.
  auto le = ReadSource(Encode(tsv, "UTF-16"), "表三.txt");
  ASSERT_TRUE(le.ok()) << le.status();
  EXPECT_EQ(le->format, "文本（UTF-16LE，制表符分隔）");
  EXPECT_EQ(le->tables[0].where_en, "the text file");
  ASSERT_EQ(le->tables.size(), 1u);
  EXPECT_THAT(Texts(le->tables[0], 3),
              ElementsAre("", "（二）部分公开\n（区分处理的）",
                          absl::StrCat(kNbsp, "3"), "/"));
  // Without a mark, told by where the NUL bytes fall.
  for (const char* charset : {"UTF-16LE", "UTF-16BE"}) {
    auto s = ReadSource(Encode(kTable3Csv, charset), "表三.csv");
    ASSERT_TRUE(s.ok()) << charset << ": " << s.status();
    EXPECT_EQ(s->format, absl::StrCat("CSV（", charset, "，逗号分隔）"));
    EXPECT_EQ(s->tables[0].rows[2][2].text, "47");
  }
}

TEST(SourceReaderTest, CsvWithStraightQuotesInsideALabel) {
  // Typed by hand, not quoted: the quotes are text.
  auto s = ReadSource("3.危及\"三安全一稳定\",0,0\n", "t.csv");
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_THAT(Texts(s->tables[0], 0),
              ElementsAre("3.危及\"三安全一稳定\"", "0", "0"));
}

// ---- Text copied from a report page ----

TEST(SourceReaderTest, TabSeparatedRunsAmongRunningText) {
  const std::string text = absl::StrCat(
      "驻马店市公安局 2023 年政府信息公开工作年度报告\r\n\r\n",
      "2023 年共接收政府信息公开申请 47 件\r\n", "\r\n",
      "三、收到和处理政府信息公开申请情况\r\n", "\r\n", "\t\t自然人\t总计\r\n",
      "一、本年新收政府信息公开申请数量\t\t47\t47\r\n",
      "\t(二) 部分公开\t0\t0\t\r\n", "\r\n",
      "四、政府信息公开行政复议、行政诉讼情况\r\n", "行政复议\t\t\r\n",
      "0\t0\t0\r\n", "五、存在的主要问题\r\n");
  auto s = ReadSource(text, "report.txt");
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_EQ(s->format, "文本（UTF-8，制表符分隔）");
  ASSERT_EQ(s->tables.size(), 2u);
  const Grid& t3 = s->tables[0];
  EXPECT_EQ(t3.where, "第 1 个表格");
  EXPECT_EQ(t3.where_en, "table 1");
  EXPECT_EQ(t3.caption, "三、收到和处理政府信息公开申请情况");
  ASSERT_EQ(t3.rows.size(), 3u);
  // Padded to the widest row; empty cells keep their columns.
  EXPECT_THAT(Texts(t3, 0), ElementsAre("", "", "自然人", "总计", ""));
  EXPECT_THAT(Texts(t3, 2), ElementsAre("", "(二) 部分公开", "0", "0", ""));
  EXPECT_EQ(s->tables[1].caption, "四、政府信息公开行政复议、行政诉讼情况");
  EXPECT_EQ(s->text,
            "驻马店市公安局 2023 年政府信息公开工作年度报告\n"
            "2023 年共接收政府信息公开申请 47 件\n"
            "三、收到和处理政府信息公开申请情况\n"
            "四、政府信息公开行政复议、行政诉讼情况\n"
            "五、存在的主要问题");
}

// ---- HTML ----

// A gov.cn page: GBK declared as gb2312, a layout table around the report,
// the data table with rowspan and colspan, <br> and <p> in labels, &nbsp;.
const std::string kPage = absl::StrCat(
    "<!DOCTYPE html PUBLIC \"-//W3C//DTD XHTML 1.0 Transitional//EN\">\n",
    "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; "
    "charset=gb2312\"><title>标题不是正文</title>",
    "<style>td { color: red }</style><script>var x = '<table>';</script>",
    "</head><body><table class=layout><tr><td>",
    "<p>  本年度共收到政府信息公开申请\n  47件。</p>",
    "<h3>三、收到和处理政府信息公开申请情况</h3>", "<table border=1>",
    "<tr><td rowspan=2 colspan=2>本列数据的勾稽关系</td>",
    "<td colspan=2>申请人情况</td></tr>",
    "<tr><td>自然人</td><td>总计</td></tr>",
    "<tr><td colspan=2>一、本年新收<br>政府信息公开申请数量</td>",
    "<td>&nbsp;47</td><td>47</td></tr>",
    "<tr><td></td><td><p>（二）部分公开</p><p>（区分处理的）</p></td>",
    "<td>/</td><td>无</td></tr>", "</table>",
    "<p>四、政府信息公开行政复议、行政诉讼情况</p>",
    "<table><caption>表四</caption><tr><th>行政复议</th></tr></table>",
    "<p><span>&nbsp;</span></p>",  // Word's empty paragraph
    "</td></tr></table></body></html>");

TEST(SourceReaderTest, HtmlPageInGbkWithLayoutTableAndSpans) {
  auto gbk = EncodeGb18030(kPage);
  ASSERT_TRUE(gbk.ok());
  auto s = ReadSource(*gbk, "t20240115_123.html");
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_EQ(s->format, "HTML（GB18030）");
  ASSERT_EQ(s->tables.size(), 2u);
  const Grid& g = s->tables[0];
  EXPECT_EQ(g.caption, "三、收到和处理政府信息公开申请情况");
  ASSERT_EQ(g.rows.size(), 4u);
  EXPECT_THAT(Texts(g, 0),
              ElementsAre("本列数据的勾稽关系", "本列数据的勾稽关系",
                          "申请人情况", "申请人情况"));
  EXPECT_THAT(Copies(g, 0), ElementsAre(false, true, false, true));
  EXPECT_THAT(Texts(g, 1), ElementsAre("本列数据的勾稽关系",
                                       "本列数据的勾稽关系", "自然人", "总计"));
  EXPECT_THAT(Copies(g, 1), ElementsAre(true, true, false, false));
  EXPECT_THAT(Texts(g, 2), ElementsAre("一、本年新收\n政府信息公开申请数量",
                                       "一、本年新收\n政府信息公开申请数量",
                                       absl::StrCat(kNbsp, "47"), "47"));
  EXPECT_THAT(Texts(g, 3),
              ElementsAre("", "（二）部分公开\n（区分处理的）", "/", "无"));
  EXPECT_EQ(s->tables[1].caption, "表四");
  EXPECT_EQ(s->tables[1].where, "第 2 个表格");
  // Running text: the page's paragraphs, not its title, style or script.
  EXPECT_EQ(s->text,
            "本年度共收到政府信息公开申请 47件。\n"
            "三、收到和处理政府信息公开申请情况\n"
            "四、政府信息公开行政复议、行政诉讼情况");
}

TEST(SourceReaderTest, HtmlInUtf8WhateverItDeclares) {
  // Copied from a template: declares gb2312, is UTF-8.
  std::string page = kPage;
  auto s = ReadSource(page, "page");
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_EQ(s->format, "HTML");
  EXPECT_EQ(s->tables[0].rows[2][3].text, "47");
  // A bare table fragment is HTML too.
  auto bare = ReadSource("  <table><tr><td>1</td><td></td></tr></table>", "x");
  ASSERT_TRUE(bare.ok()) << bare.status();
  ASSERT_EQ(bare->tables.size(), 1u);
  EXPECT_THAT(Texts(bare->tables[0], 0), ElementsAre("1", ""));
}

TEST(SourceReaderTest, HtmlInBig5AsDeclared) {
  // 張三 in Big5, on a page that says so.
  auto s = ReadSource(
      "<html><head><meta charset=\"big5\"></head><body><table><tr><td>"
      "\xB1\x69\xA4\x54</td></tr></table></body></html>",
      "tw.htm");
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_EQ(s->format, "HTML（BIG5）");
  EXPECT_EQ(s->tables[0].rows[0][0].text, "張三");
}

TEST(SourceReaderTest, HtmlSpansAreBounded) {
  // colspan is at most 1000 (as in browsers), rowspan stops at the last row.
  auto s = ReadSource(
      "<table><tr><td colspan=99999999 rowspan=99999>a</td></tr>"
      "<tr></tr></table>",
      "x.html");
  ASSERT_TRUE(s.ok()) << s.status();
  ASSERT_EQ(s->tables[0].rows.size(), 2u);
  EXPECT_EQ(s->tables[0].rows[0].size(), 1000u);
  EXPECT_TRUE(s->tables[0].rows[1][999].merged_copy);
  // A thousand rows of a thousand columns is more than a report.
  std::string big = "<table>";
  for (int i = 0; i < 1100; ++i) big += "<tr><td colspan=1000>x</td></tr>";
  big += "</table>";
  auto refused = ReadSource(big, "big.html");
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(MessageIn(refused.status(), Lang::kEn), HasSubstr("too large"));
}

// ---- DOCX ----

constexpr char kW[] =
    "xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"";

std::string Docx(const std::string& body) {
  return Zip({{"[Content_Types].xml",
               "<?xml version=\"1.0\"?><Types xmlns=\"http://schemas."
               "openxmlformats.org/package/2006/content-types\"/>"},
              {"word/document.xml",
               absl::StrCat("<?xml version=\"1.0\" encoding=\"UTF-8\"?>",
                            "<w:document ", kW, "><w:body>", body,
                            "</w:body></w:document>")}});
}

std::string P(const std::string& runs) {
  return absl::StrCat(
      "<w:p><w:pPr><w:tabs><w:tab w:val=\"left\"/></w:tabs>"
      "</w:pPr>",
      runs, "</w:p>");
}
std::string R(const std::string& text) {
  return absl::StrCat("<w:r><w:t xml:space=\"preserve\">", text,
                      "</w:t></w:r>");
}
std::string Tc(const std::string& content, const std::string& pr = "") {
  return absl::StrCat("<w:tc><w:tcPr>", pr, "</w:tcPr>", content, "</w:tc>");
}

TEST(SourceReaderTest, DocxWithGridSpanVMergeAndLineBreaks) {
  const std::string table =
      absl::StrCat("<w:tbl><w:tblGrid/>", "<w:tr>",
                   Tc(P(R("本列数据的勾稽关系")),
                      "<w:gridSpan w:val=\"2\"/><w:vMerge w:val=\"restart\"/>"),
                   Tc(P(R("申请人情况"))), "</w:tr>", "<w:tr>",
                   Tc(P(""), "<w:gridSpan w:val=\"2\"/><w:vMerge/>"),
                   Tc(P(R("自然人"))), "</w:tr>", "<w:tr>", Tc(P("")),
                   Tc(P(absl::StrCat("<w:r><w:t>（二）部分公开</w:t><w:br/>",
                                     "<w:t>（区分处理的）</w:t></w:r>"))),
                   Tc(P(R(absl::StrCat(kNbsp, "3")))), "</w:tr>",
                   "<w:tr><w:trPr><w:gridBefore w:val=\"1\"/></w:trPr>",
                   Tc(P("<w:r><w:t>a</w:t><w:tab/><w:t>b</w:t></w:r>")),
                   Tc(P(R("/"))), "</w:tr>", "</w:tbl>");
  const std::string body = absl::StrCat(
      P(R("本年度共收到申请47件。")),
      P("<w:r><w:delText>删除的字</w:delText></w:r>"),
      P(R("三、收到和处理政府信息公开申请情况")),
      // A layout table around the report table.
      "<w:tbl><w:tr><w:tc>", P(R("版面文字")), table, "</w:tc></w:tr></w:tbl>",
      P(R("五、存在的主要问题")), "<w:sectPr/>");
  auto s = ReadSource(Docx(body), "report.docx");
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_EQ(s->format, "DOCX");
  ASSERT_EQ(s->tables.size(), 1u);
  const Grid& g = s->tables[0];
  EXPECT_EQ(g.caption, "版面文字");
  ASSERT_EQ(g.rows.size(), 4u);
  EXPECT_THAT(Texts(g, 0), ElementsAre("本列数据的勾稽关系",
                                       "本列数据的勾稽关系", "申请人情况"));
  EXPECT_THAT(Copies(g, 0), ElementsAre(false, true, false));
  EXPECT_THAT(Texts(g, 1), ElementsAre("本列数据的勾稽关系",
                                       "本列数据的勾稽关系", "自然人"));
  EXPECT_THAT(Copies(g, 1), ElementsAre(true, true, false));
  EXPECT_THAT(Texts(g, 2), ElementsAre("", "（二）部分公开\n（区分处理的）",
                                       absl::StrCat(kNbsp, "3")));
  EXPECT_THAT(Texts(g, 3), ElementsAre("", "a\tb", "/"));
  EXPECT_EQ(s->text,
            "本年度共收到申请47件。\n三、收到和处理政府信息公开申请情况\n"
            "版面文字\n五、存在的主要问题");
}

TEST(SourceReaderTest, DamagedDocxIsRefusedWithAReason) {
  auto s = ReadSource(Zip({{"word/document.xml", "<w:document"}}), "x.docx");
  EXPECT_EQ(s.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(s.status().message(), HasSubstr("不是可读取的 Word 文档"));
}

// ---- XLSX ----

TEST(SourceReaderTest, XlsxEverySheetWithMergedCells) {
  const std::string path = ::testing::TempDir() + "/report.xlsx";
  lxw_workbook* wb = workbook_new(path.c_str());
  lxw_worksheet* t3 = workbook_add_worksheet(wb, "表三");
  workbook_add_worksheet(wb, "Sheet2");  // empty: no table
  lxw_worksheet* t4 = workbook_add_worksheet(wb, "表四");
  // Column A is empty throughout; the table starts in B.
  worksheet_merge_range(t3, 0, 1, 1, 2, "本列数据的勾稽关系", nullptr);
  worksheet_write_string(t3, 0, 3, "申请人情况", nullptr);
  worksheet_write_string(t3, 1, 3, "自然人", nullptr);
  worksheet_write_string(t3, 3, 1, "一、本年新收\n政府信息公开申请数量",
                         nullptr);
  worksheet_write_number(t3, 3, 3, 47, nullptr);
  worksheet_write_string(t3, 4, 2, "（二）部分公开", nullptr);
  worksheet_write_string(t3, 4, 3, absl::StrCat(kNbsp, "3").c_str(), nullptr);
  worksheet_write_number(t4, 0, 0, 7962.8075, nullptr);
  ASSERT_EQ(workbook_close(wb), LXW_NO_ERROR);
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();

  auto s = ReadSource(ss.str(), "report.xlsx");
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_EQ(s->format, "XLSX");
  ASSERT_EQ(s->tables.size(), 2u);
  const Grid& g = s->tables[0];
  EXPECT_EQ(g.where, "工作表“表三”");
  EXPECT_EQ(g.where_en, "sheet \"表三\"");
  // The empty row 3 is spacing; the rest keep their columns.
  ASSERT_EQ(g.rows.size(), 4u);
  EXPECT_THAT(Texts(g, 0), ElementsAre("本列数据的勾稽关系",
                                       "本列数据的勾稽关系", "申请人情况"));
  EXPECT_THAT(Copies(g, 1), ElementsAre(true, true, false));
  EXPECT_THAT(Texts(g, 2),
              ElementsAre("一、本年新收\n政府信息公开申请数量", "", "47"));
  EXPECT_THAT(Texts(g, 3),
              ElementsAre("", "（二）部分公开", absl::StrCat(kNbsp, "3")));
  EXPECT_EQ(s->tables[1].where, "工作表“表四”");
  EXPECT_EQ(s->tables[1].rows[0][0].text, "7962.8075");
}

// ---- The program's own report, rendered and read back ----

// 47 requests from natural persons: 25 disclosed, 21 not held, 1 carried
// over (the reference report's table 3).
AnnualReport Reference() {
  AnnualReport r;
  r.year = 2023;
  r.agency = "驻马店市公安局";
  std::vector<CaseFact> facts;
  const absl::CivilDay received(2023, 3, 1), closed(2023, 3, 10);
  for (int i = 0; i < 25; ++i) {
    facts.push_back({received, closed, Outcome::kDisclosed});
  }
  for (int i = 0; i < 21; ++i) {
    facts.push_back({received, closed, Outcome::kUnavailableNotHeld});
  }
  facts.push_back({absl::CivilDay(2023, 12, 29), std::nullopt, std::nullopt});
  r.table3 = TallyTable3(2023, facts);
  return r;
}

// The texts of the first row of `source` whose cells include `label`.
std::vector<std::string> RowWith(const Source& source,
                                 absl::string_view label) {
  for (const Grid& g : source.tables) {
    for (size_t r = 0; r < g.rows.size(); ++r) {
      for (const Cell& c : g.rows[r]) {
        if (c.text == label) return Texts(g, r);
      }
    }
  }
  return {};
}

TEST(SourceReaderTest, TheReportThisProgramRendersReadsBack) {
  const AnnualReport r = Reference();
  auto html = ReadSource(ReportHtml(r), "report.html");
  ASSERT_TRUE(html.ok()) << html.status();
  EXPECT_EQ(html->format, "HTML");
  EXPECT_THAT(RowWith(*html, "一、本年新收政府信息公开申请数量"),
              ElementsAre("一、本年新收政府信息公开申请数量",
                          "一、本年新收政府信息公开申请数量",
                          "一、本年新收政府信息公开申请数量", "47", "0", "0",
                          "0", "0", "0", "47"));
  EXPECT_THAT(
      RowWith(*html, "四、结转下年度继续办理"),
      ElementsAre("四、结转下年度继续办理", "四、结转下年度继续办理",
                  "四、结转下年度继续办理", "1", "0", "0", "0", "0", "0", "1"));

  const std::string path = ::testing::TempDir() + "/rendered.xlsx";
  ASSERT_TRUE(WriteReportXlsx(r, path).ok());
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  auto xlsx = ReadSource(ss.str(), "report.xlsx");
  ASSERT_TRUE(xlsx.ok()) << xlsx.status();
  const std::vector<std::string> row =
      RowWith(*xlsx, "一、本年新收政府信息公开申请数量");
  ASSERT_FALSE(row.empty());
  EXPECT_EQ(row.back(), "47");
}

// ---- What is not a report ----

TEST(SourceReaderTest, WhatIsNotAReportIsRefusedWithAWayForward) {
  struct Case {
    std::string bytes, en;
  } cases[] = {
      {"", "empty"},
      {"%PDF-1.7\n...", "PDF"},
      {"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1rest", ".doc/.xls"},
      {Zip({{"mimetype", "x"}}), "neither a Word document"},
      {std::string("\x01\x02\x03\x04\x05\x06\x07\x08\x0e\x0f", 10), "not text"},
  };
  for (const Case& c : cases) {
    auto s = ReadSource(c.bytes, "x");
    ASSERT_FALSE(s.ok()) << c.en;
    EXPECT_EQ(s.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(s.status().message(),
                HasSubstr("不是 CSV、XLSX、HTML 或 DOCX 文件"));
    EXPECT_THAT(MessageIn(s.status(), Lang::kEn), HasSubstr(c.en));
  }
}

}  // namespace
}  // namespace gongkai::published

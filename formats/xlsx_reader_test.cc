#include "formats/xlsx_reader.h"

#include <zip.h>

#include <fstream>
#include <sstream>
#include <utility>

#include "common/lang.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "xlsxwriter.h"

namespace gongkai {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// A workbook file made of the given parts, as another program may write it.
std::string Zip(const std::vector<std::pair<std::string, std::string>>& parts) {
  const std::string path = ::testing::TempDir() + "/handmade.xlsx";
  std::remove(path.c_str());
  int err = 0;
  zip_t* z = zip_open(path.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &err);
  for (const auto& [name, text] : parts) {
    zip_source_t* src = zip_source_buffer(z, text.data(), text.size(), 0);
    zip_file_add(z, name.c_str(), src, ZIP_FL_OVERWRITE);
  }
  zip_close(z);
  return ReadAll(path);
}

std::string Day(double serial, bool date1904 = false) {
  int y, m, d;
  if (!ExcelSerialToDay(serial, date1904, &y, &m, &d)) return "none";
  return absl::StrCat(y, "-", m, "-", d);
}

TEST(ExcelSerialTest, TheNineteenHundredAndNineteenOFourSystems) {
  EXPECT_EQ(Day(1), "1900-1-1");
  EXPECT_EQ(Day(59), "1900-2-28");
  EXPECT_EQ(Day(60), "none");  // Excel's 1900-02-29
  EXPECT_EQ(Day(61), "1900-3-1");
  EXPECT_EQ(Day(45301), "2024-1-10");
  EXPECT_EQ(Day(45301.75), "2024-1-10");  // 18:00 that day
  EXPECT_EQ(Day(0), "none");
  EXPECT_EQ(Day(-3), "none");
  EXPECT_EQ(Day(3e6), "none");
  EXPECT_EQ(Day(43839, true), "2024-1-10");
}

TEST(XlsxReaderTest, SharedAndInlineStringsNumbersDatesBooleans) {
  for (bool constant_memory : {false, true}) {
    // libxlsxwriter writes shared strings normally and inline strings in its
    // constant-memory mode: both are read.
    const std::string path = ::testing::TempDir() + "/cells.xlsx";
    lxw_workbook_options options = {};
    options.constant_memory = constant_memory ? LXW_TRUE : LXW_FALSE;
    lxw_workbook* wb = workbook_new_opt(path.c_str(), &options);
    lxw_worksheet* ws = workbook_add_worksheet(wb, "数据");
    lxw_format* date = workbook_add_format(wb);
    format_set_num_format(date, "yyyy-mm-dd");
    lxw_format* builtin = workbook_add_format(wb);
    format_set_num_format_index(builtin, 14);  // m/d/yyyy
    lxw_format* money = workbook_add_format(wb);
    format_set_num_format(money, "#,##0.00");
    worksheet_write_string(ws, 0, 0, "申请人", nullptr);
    worksheet_write_string(ws, 0, 2, "  前后空格  ", nullptr);
    lxw_datetime dt = {2024, 1, 10, 0, 0, 0};
    worksheet_write_datetime(ws, 1, 0, &dt, date);
    worksheet_write_datetime(ws, 1, 1, &dt, builtin);
    worksheet_write_number(ws, 1, 2, 1234.5, money);
    worksheet_write_number(ws, 1, 3, 47, nullptr);
    worksheet_write_boolean(ws, 1, 4, 1, nullptr);
    worksheet_write_formula_num(ws, 1, 5, "=D2+1", nullptr, 48);
    worksheet_write_string(ws, 3, 27, "AB4", nullptr);
    ASSERT_EQ(workbook_close(wb), LXW_NO_ERROR);

    auto sheets = ReadXlsx(ReadAll(path));
    ASSERT_TRUE(sheets.ok()) << sheets.status();
    ASSERT_EQ(sheets->size(), 1u);
    const XlsxSheet& s = (*sheets)[0];
    EXPECT_EQ(s.name, "数据");
    ASSERT_EQ(s.rows.size(), 3u);
    EXPECT_EQ(s.rows[0].line, 1);
    EXPECT_THAT(s.rows[0].fields, ElementsAre("申请人", "", "  前后空格  "));
    EXPECT_THAT(s.rows[1].fields, ElementsAre("2024-01-10", "2024-01-10",
                                              "1234.5", "47", "TRUE", "48"));
    EXPECT_EQ(s.rows[2].line, 4);
    ASSERT_EQ(s.rows[2].fields.size(), 28u);
    EXPECT_EQ(s.rows[2].fields[27], "AB4");
  }
}

TEST(XlsxReaderTest, MergedRangesAndEverySheet) {
  const std::string path = ::testing::TempDir() + "/merged.xlsx";
  lxw_workbook* wb = workbook_new(path.c_str());
  lxw_worksheet* first = workbook_add_worksheet(wb, "表二");
  worksheet_write_string(first, 0, 0, "规章", nullptr);
  lxw_worksheet* ws = workbook_add_worksheet(wb, "表三");
  worksheet_merge_range(ws, 0, 1, 0, 7, "申请人情况", nullptr);
  worksheet_merge_range(ws, 3, 0, 5, 0, "三、本年度办理结果", nullptr);
  ASSERT_EQ(workbook_close(wb), LXW_NO_ERROR);

  auto sheets = ReadXlsx(ReadAll(path));
  ASSERT_TRUE(sheets.ok()) << sheets.status();
  ASSERT_EQ(sheets->size(), 2u);
  EXPECT_EQ((*sheets)[0].name, "表二");
  EXPECT_TRUE((*sheets)[0].merges.empty());
  const XlsxSheet& s = (*sheets)[1];
  ASSERT_EQ(s.merges.size(), 2u);
  EXPECT_EQ(s.merges[0].first_row, 1);
  EXPECT_EQ(s.merges[0].last_row, 1);
  EXPECT_EQ(s.merges[0].first_col, 1);
  EXPECT_EQ(s.merges[0].last_col, 7);
  EXPECT_EQ(s.merges[1].first_row, 4);
  EXPECT_EQ(s.merges[1].last_row, 6);
  EXPECT_EQ(s.merges[1].first_col, 0);
  EXPECT_EQ(s.merges[1].last_col, 0);
  EXPECT_EQ(s.rows[0].fields[1], "申请人情况");
}

constexpr char kContentTypes[] =
    R"(<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>)";
constexpr char kRels[] =
    R"(<?xml version="1.0" encoding="UTF-8"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="/xl/worksheets/a.xml"/>
<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="strings.xml"/>
<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>
</Relationships>)";
constexpr char kWorkbook1904[] =
    R"(<?xml version="1.0" encoding="UTF-8"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">
<workbookPr date1904="1"/><sheets><sheet name="台账" sheetId="1" r:id="rId1"/></sheets></workbook>)";
constexpr char kStrings[] =
    R"(<?xml version="1.0" encoding="UTF-8"?>
<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="2" uniqueCount="2">
<si><r><rPr><b/></rPr><t>张</t></r><r><t xml:space="preserve">三 </t></r><rPh sb="0" eb="1"><t>ZHANG</t></rPh></si>
<si><t>&lt;予以公开&gt; &amp; 其他</t></si>
<si><t>（二）部分公开_x000D_
（区分处理的）_x005F_x0041_</t></si></sst>)";
constexpr char kStyles[] =
    R"(<?xml version="1.0" encoding="UTF-8"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
<numFmts count="1"><numFmt numFmtId="176" formatCode="yyyy&quot;年&quot;m&quot;月&quot;d&quot;日&quot;;@"/></numFmts>
<cellStyleXfs count="1"><xf numFmtId="0"/></cellStyleXfs>
<cellXfs count="3"><xf numFmtId="0"/><xf numFmtId="176"/><xf numFmtId="58"/></cellXfs></styleSheet>)";

TEST(XlsxReaderTest, WhatOtherProgramsWrite) {
  // Rich text with a phonetic run, a 1904 workbook, cells without a
  // reference, a date typed as ISO text (t="d"), an inline string.
  const std::string sheet =
      R"(<?xml version="1.0" encoding="UTF-8"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>
<row r="2"><c t="s"><v>0</v></c><c t="s"><v>1</v></c><c s="1"><v>43839</v></c><c s="2"><v>43840</v></c></row>
<row><c t="d"><v>2024-01-12T00:00:00</v></c><c t="inlineStr"><is><t>内联</t></is></c><c/><c t="str"><f>A1</f><v>公式</v></c></row>
<row r="9"/>
<row r="10"><c t="s"><v>2</v></c></row>
</sheetData></worksheet>)";
  auto sheets = ReadXlsx(Zip({{"[Content_Types].xml", kContentTypes},
                              {"xl/_rels/workbook.xml.rels", kRels},
                              {"xl/workbook.xml", kWorkbook1904},
                              {"xl/strings.xml", kStrings},
                              {"xl/styles.xml", kStyles},
                              {"xl/worksheets/a.xml", sheet}}));
  ASSERT_TRUE(sheets.ok()) << sheets.status();
  const XlsxSheet& s = (*sheets)[0];
  EXPECT_EQ(s.name, "台账");
  EXPECT_EQ(s.rows[0].line, 2);
  EXPECT_THAT(s.rows[0].fields, ElementsAre("张三 ", "<予以公开> & 其他",
                                            "2024-01-10", "2024-01-11"));
  EXPECT_EQ(s.rows[1].line, 3);
  EXPECT_THAT(s.rows[1].fields, ElementsAre("2024-01-12", "内联", "", "公式"));
  // Excel's escapes: a carriage return, and an escaped underscore.
  ASSERT_EQ(s.rows.size(), 3u);
  EXPECT_THAT(s.rows[2].fields,
              ElementsAre("（二）部分公开\r\n（区分处理的）_x0041_"));
}

TEST(XlsxReaderTest, LibreOfficesCustomGeneralFormatIsNoDate) {
  // LibreOffice Calc saves every plain cell with a custom format whose code
  // is "General": its "e" is not an era year, and 20 stays 20.
  constexpr char kGeneralStyles[] =
      R"(<?xml version="1.0" encoding="UTF-8"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
<numFmts count="2"><numFmt numFmtId="164" formatCode="General"/><numFmt numFmtId="165" formatCode="[$-804]GENERAL;[RED]\-General"/></numFmts>
<cellXfs count="3"><xf numFmtId="164"/><xf numFmtId="165"/><xf numFmtId="14"/></cellXfs></styleSheet>)";
  const std::string sheet =
      R"(<?xml version="1.0" encoding="UTF-8"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>
<row r="1"><c r="A1" s="0"><v>20</v></c><c r="B1" s="1"><v>2648</v></c><c r="C1" s="2"><v>45301</v></c></row>
</sheetData></worksheet>)";
  auto sheets = ReadXlsx(Zip({{"[Content_Types].xml", kContentTypes},
                              {"xl/_rels/workbook.xml.rels", kRels},
                              {"xl/workbook.xml", kWorkbook1904},
                              {"xl/strings.xml", kStrings},
                              {"xl/styles.xml", kGeneralStyles},
                              {"xl/worksheets/a.xml", sheet}}));
  ASSERT_TRUE(sheets.ok()) << sheets.status();
  ASSERT_EQ((*sheets)[0].rows.size(), 1u);
  EXPECT_THAT((*sheets)[0].rows[0].fields,
              ElementsAre("20", "2648", "2028-01-11"));
}

TEST(XlsxReaderTest, DamagedWorkbooksAreRefusedWithReasons) {
  auto not_zip = ReadXlsx("申请人,张三\n");
  EXPECT_EQ(not_zip.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(not_zip.status().message(), HasSubstr("不是可读取的 Excel"));
  EXPECT_THAT(MessageIn(not_zip.status(), Lang::kEn),
              HasSubstr("not a readable Excel workbook"));

  const std::string path = ::testing::TempDir() + "/whole.xlsx";
  lxw_workbook* wb = workbook_new(path.c_str());
  worksheet_write_string(workbook_add_worksheet(wb, "a"), 0, 0, "x", nullptr);
  ASSERT_EQ(workbook_close(wb), LXW_NO_ERROR);
  const std::string whole = ReadAll(path);
  ASSERT_TRUE(ReadXlsx(whole).ok());
  EXPECT_FALSE(ReadXlsx(whole.substr(0, whole.size() / 2)).ok());
  // More unpacked than allowed: refused however the archive declares it.
  auto bomb = ReadXlsx(whole, 1000);
  EXPECT_THAT(MessageIn(bomb.status(), Lang::kEn),
              HasSubstr("too large when unpacked"));

  // No workbook part; a sheet that is not XML; a string that does not exist.
  EXPECT_FALSE(ReadXlsx(Zip({{"a.txt", "x"}})).ok());
  auto parts = [&](const std::string& sheet) {
    return Zip({{"xl/_rels/workbook.xml.rels", kRels},
                {"xl/workbook.xml", kWorkbook1904},
                {"xl/strings.xml", kStrings},
                {"xl/worksheets/a.xml", sheet}});
  };
  EXPECT_THAT(MessageIn(ReadXlsx(parts("<worksheet><sheetData><row>")).status(),
                        Lang::kEn),
              HasSubstr("not valid XML"));
  EXPECT_THAT(
      MessageIn(ReadXlsx(parts("<worksheet><sheetData><row r=\"1\"><c r=\"A1\" "
                               "t=\"s\"><v>7</v></c></row></sheetData>"
                               "</worksheet>"))
                    .status(),
                Lang::kEn),
      HasSubstr("cell A1 refers to a shared string that does not exist"));
}

TEST(XlsxReaderTest, NoEntityIsExpanded) {
  // An external entity (XXE) is neither loaded nor substituted.
  const std::string sheet =
      R"(<?xml version="1.0"?><!DOCTYPE w [<!ENTITY x SYSTEM "file:///etc/passwd">]>
<worksheet><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&x;</t></is></c></row></sheetData></worksheet>)";
  auto sheets = ReadXlsx(Zip({{"xl/_rels/workbook.xml.rels", kRels},
                              {"xl/workbook.xml", kWorkbook1904},
                              {"xl/worksheets/a.xml", sheet}}));
  if (sheets.ok()) {
    for (const CsvRecord& r : (*sheets)[0].rows) {
      for (const std::string& f : r.fields)
        EXPECT_THAT(f, Not(HasSubstr("root:")));
    }
  }
}

}  // namespace
}  // namespace gongkai

#include "formats/ledger.h"

#include <iconv.h>
#include <zip.h>

#include <fstream>
#include <regex>
#include <sstream>

#include "common/dates.h"
#include "common/lang.h"
#include "common/text_width.h"
#include "domain/test_history.h"
#include "formats/csv.h"
#include "formats/text_encoding.h"
#include "formats/xlsx_reader.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "xlsxwriter.h"

namespace gongkai {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

const absl::CivilDay kToday = D("2024-06-30");

TEST(CsvTest, QuotesNewlinesAndBom) {
  auto r = ParseCsv(
      "\xEF\xBB\xBF"
      "a,\"b,c\",\"say \"\"hi\"\"\"\r\n\"multi\nline\",x,\n\n");
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_EQ(r->size(), 2u);
  EXPECT_EQ((*r)[0].fields,
            (std::vector<std::string>{"a", "b,c", "say \"hi\""}));
  EXPECT_EQ((*r)[1].fields, (std::vector<std::string>{"multi\nline", "x", ""}));
  EXPECT_EQ((*r)[1].line, 2);
}

TEST(CsvTest, BrokenQuoting) {
  EXPECT_THAT(MessageIn(ParseCsv("a,\"open\n").status(), Lang::kEn),
              HasSubstr("never closed"));
  EXPECT_THAT(MessageIn(ParseCsv("a,\"x\"y\n").status(), Lang::kEn),
              HasSubstr("after a closing quote"));
  EXPECT_THAT(MessageIn(ParseCsv("a,b\"c\n").status(), Lang::kEn),
              HasSubstr("middle of an unquoted"));
  EXPECT_THAT(MessageIn(ParseCsv("\xff\xfe"
                                 "a")
                            .status(),
                        Lang::kEn),
              HasSubstr("not UTF-8"));
}

TEST(CsvTest, WriteThenReadBack) {
  std::string out;
  AppendCsvRecord(&out,
                  {"plain", "with,comma", "with \"quote\"", "two\nlines"});
  auto r = ParseCsv(out);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ((*r)[0].fields,
            (std::vector<std::string>{"plain", "with,comma", "with \"quote\"",
                                      "two\nlines"}));
}

TEST(LedgerTest, EnglishOrChineseHeadersInAnyOrder) {
  auto en = ParseLedger(
      "request,received_on,applicant_type,applicant_name,answered_on,outcome\n"
      "预算,2023-03-06,natural_person,张三,2023-03-20,disclosed\n"
      "规划,2023-12-28,商业企业,某公司,,\n",
      kToday);
  ASSERT_TRUE(en.ok()) << en.status();
  ASSERT_TRUE(en->errors.empty()) << en->errors[0].status.message();
  ASSERT_EQ(en->rows.size(), 2u);
  EXPECT_EQ(en->rows[0].outcome, Outcome::kDisclosed);
  EXPECT_EQ(en->rows[1].applicant_type, ApplicantType::kCommercialEnterprise);
  EXPECT_FALSE(en->rows[1].answered_on.has_value());
  EXPECT_EQ(en->rows[1].channel, Channel::kInPerson);

  auto zh = ParseLedger(
      "申请编号,收到日期,申请人类型,申请人,申请方式,申请内容,答复日期,"
      "办理结果\n"
      "GK-1,2023-03-06,自然人,李四,互联网,文件,2023-03-07,"
      "本机关不掌握相关政府信息\n",
      kToday);
  ASSERT_TRUE(zh.ok());
  ASSERT_EQ(zh->rows.size(), 1u);
  EXPECT_EQ(zh->rows[0].case_no, "GK-1");
  EXPECT_EQ(zh->rows[0].channel, Channel::kOnline);
  EXPECT_EQ(zh->rows[0].outcome, Outcome::kUnavailableNotHeld);
}

TEST(LedgerTest, EveryBadRowIsListed) {
  auto r = ParseLedger(
      "case_no,received_on,applicant_type,applicant_name,request,answered_on,"
      "outcome\n"
      "A,2023-02-30,natural_person,张三,x,,\n"
      "B,2023-03-01,person,张三,x,,\n"
      "C,2023-03-01,natural_person,,x,,\n"
      "D,2023-03-01,natural_person,张三,x,2023-02-01,disclosed\n"
      "E,2023-03-01,natural_person,张三,x,2023-03-05,\n"
      "A,2023-03-01,natural_person,张三,x,,\n"
      "G,2023-03-01,natural_person,张三,x,2023-03-05,maybe\n"
      "H,2024-07-01,natural_person,张三,x,,\n"
      "I,2023-03-01,natural_person,张三,ok,,\n",
      kToday);
  ASSERT_TRUE(r.ok());
  // Only I is good: the second A repeats a case number already used (line 2).
  EXPECT_EQ(r->rows.size(), 1u);
  ASSERT_EQ(r->errors.size(), 8u);
  auto en = [&](int i) { return MessageIn(r->errors[i].status, Lang::kEn); };
  EXPECT_EQ(r->errors[5].line, 7);
  EXPECT_THAT(en(5), HasSubstr("line 7: case_no: case number A already "
                               "appears on line 2"));
  EXPECT_THAT(r->errors[5].status.message(),
              HasSubstr("第 7 行：「申请编号」：编号 A 已在第 2 行出现"));
  EXPECT_THAT(en(0), HasSubstr("line 2: received_on: '2023-02-30' is not a "
                               "real calendar date"));
  EXPECT_THAT(
      r->errors[0].status.message(),
      HasSubstr("第 2 行：「收到日期」：“2023-02-30”不是真实存在的日期"));
  EXPECT_THAT(en(1), HasSubstr("line 3: applicant_type: unknown applicant "
                               "type"));
  EXPECT_THAT(en(2), HasSubstr("line 4: applicant_name: applicant name is "
                               "required"));
  EXPECT_THAT(en(3), HasSubstr("answered_on: 2023-02-01 is before "
                               "received_on 2023-03-01"));
  EXPECT_THAT(r->errors[3].status.message(),
              HasSubstr("「答复日期」：2023-02-01 早于收到日期 2023-03-01"));
  EXPECT_THAT(en(4), HasSubstr("outcome: outcome is required"));
  EXPECT_THAT(en(6), HasSubstr("line 8: outcome: "));
  EXPECT_THAT(en(7), HasSubstr("line 9: received_on: 2024-07-01 is in the "
                               "future"));
}

TEST(LedgerTest, FileLevelProblems) {
  auto en = [](const absl::Status& s) { return MessageIn(s, Lang::kEn); };
  EXPECT_THAT(en(ParseLedger("", kToday).status()), HasSubstr("empty"));
  EXPECT_EQ(ParseLedger("", kToday).status().message(), "台账是空的");
  EXPECT_THAT(en(ParseLedger("received_on,applicant_type\n", kToday).status()),
              HasSubstr("no applicant_name"));
  EXPECT_THAT(
      ParseLedger("received_on,applicant_type\n", kToday).status().message(),
      HasSubstr("缺少“申请人”（applicant_name）列"));
  EXPECT_THAT(en(ParseLedger("received_on,colour\n", kToday).status()),
              HasSubstr("line 1: unknown column 'colour'"));
  EXPECT_THAT(ParseLedger("received_on,colour\n", kToday).status().message(),
              HasSubstr("第 1 行：未知的列“colour”"));
}

TEST(LedgerTest, ExportIsReimportable) {
  CaseRecord c;
  c.case_no = "2023-0001";
  c.received_on = D("2023-03-06");
  c.applicant = "张三";
  c.request = "a \"quoted\", multi\nline request";
  c.answered_on = D("2023-03-10");
  c.outcome = Outcome::kOther;
  auto back = ParseLedger(LedgerCsv({c}, LedgerStyle::kLabels), kToday);
  ASSERT_TRUE(back.ok()) << back.status();
  ASSERT_EQ(back->rows.size(), 1u)
      << (back->errors.empty() ? "" : back->errors[0].status.message());
  EXPECT_EQ(back->rows[0].request, c.request);
  EXPECT_EQ(back->rows[0].outcome, Outcome::kOther);
}

TEST(CsvTest, FormulaCellsAreNeutralised) {
  for (const char* formula : {"=HYPERLINK(\"http://x\",\"y\")", "+1+1", "-2+3",
                              "@SUM(A1)", "\t=1", "\r=1"}) {
    EXPECT_EQ(NeutraliseCsvCell(formula), std::string("'") + formula);
  }
  EXPECT_EQ(NeutraliseCsvCell("张三"), "张三");
  EXPECT_EQ(NeutraliseCsvCell("2023-0001"), "2023-0001");
  EXPECT_EQ(NeutraliseCsvCell("'quoted"), "'quoted");
  EXPECT_EQ(NeutraliseCsvCell("''=x"), "'''=x");
  EXPECT_EQ(NeutraliseCsvCell(""), "");

  std::string out;
  AppendCsvRecord(&out, {"=1+1", "ok", "-x,y"});
  EXPECT_EQ(out, "'=1+1,ok,\"'-x,y\"\r\n");
}

TEST(CsvTest, RestoreUndoesNeutraliseAndKeepsOtherQuotes) {
  for (const char* cell :
       {"=1", "'=1", "''@x", "'plain", "plain", "-", "'", "", "''", "\t+"}) {
    EXPECT_EQ(RestoreCsvCell(NeutraliseCsvCell(cell)), cell) << cell;
  }
  // A quote a person typed before ordinary text is data.
  EXPECT_EQ(RestoreCsvCell("'s-Hertogenbosch"), "'s-Hertogenbosch");
}

TEST(LedgerTest, FormulaTextIsExportedInertAndReimportedAsItWas) {
  CaseRecord c;
  c.case_no = "2023-0002";
  c.received_on = D("2023-03-06");
  c.applicant = "=cmd|' /C calc'!A0";
  c.request = "@SUM(1+1)*cmd|' /C calc'!A0";
  const std::string csv = LedgerCsv({c}, LedgerStyle::kLabels);
  // No cell of the file starts with a formula character.
  auto cells = ParseCsv(csv);
  ASSERT_TRUE(cells.ok()) << cells.status();
  for (const CsvRecord& rec : *cells) {
    for (const std::string& f : rec.fields) {
      ASSERT_FALSE(!f.empty() &&
                   (f[0] == '=' || f[0] == '+' || f[0] == '-' || f[0] == '@'))
          << f;
    }
  }
  auto back = ParseLedger(csv, kToday);
  ASSERT_TRUE(back.ok()) << back.status();
  ASSERT_EQ(back->rows.size(), 1u)
      << (back->errors.empty() ? "" : back->errors[0].status.message());
  EXPECT_EQ(back->rows[0].applicant, c.applicant);
  EXPECT_EQ(back->rows[0].request, c.request);
}

TEST(LedgerDateTest, TheWaysOfficesWriteDates) {
  for (const char* text :
       {"2024-01-10", "2024-1-10", "2024/1/10", "2024/01/10", "2024.1.10",
        "2024年1月10日", "2024年01月10日", "2024年1月10", " 2024/1/10 ",
        "2024/1/10 0:00", "2024/1/10 0:00:00"}) {
    auto d = ParseLedgerDate(text);
    ASSERT_TRUE(d.ok()) << text << ": " << d.status();
    EXPECT_EQ(*d, D("2024-01-10")) << text;
  }
  for (const char* text : {"", "2024", "2024-1", "2024/1-10", "24/1/10",
                           "1/10/2024", "2024-001-10", "2024年1月",
                           "2024-01-10x", "2024/1/10 noon", "２０２４-01-10"}) {
    auto d = ParseLedgerDate(text);
    EXPECT_EQ(d.status().code(), absl::StatusCode::kInvalidArgument) << text;
    EXPECT_THAT(d.status().message(), HasSubstr("不是日期")) << text;
    EXPECT_THAT(MessageIn(d.status(), Lang::kEn), HasSubstr("is not a date"))
        << text;
  }
  auto feb30 = ParseLedgerDate("2023年2月30日");
  EXPECT_THAT(feb30.status().message(), HasSubstr("不是真实存在的日期"));
  EXPECT_THAT(MessageIn(feb30.status(), Lang::kEn),
              HasSubstr("not a real calendar date"));
}

// Cases of every applicant type, channel and outcome, open and closed, with
// text that CSV and spreadsheets treat specially.
std::vector<CaseRecord> SampleCases() {
  std::vector<CaseRecord> out;
  int n = 0;
  auto add = [&](absl::CivilDay received, std::optional<Outcome> outcome) {
    CaseRecord c;
    ++n;
    c.case_no = absl::StrCat("驻公信〔2023〕", n, "号");
    c.received_on = received;
    c.applicant_type =
        AllApplicantTypes()[n % AllApplicantTypes().size()].value;
    c.channel = AllChannels()[n % AllChannels().size()].value;
    c.applicant = absl::StrCat("申请人", n);
    c.request = n % 3 == 0 ? absl::StrCat("=SUM(A1)，第", n, "项\n第二行")
                           : absl::StrCat("申请公开第", n, "号事项, \"原文\"");
    if (outcome) {
      c.answered_on = received + 10;
      c.outcome = outcome;
      c.state = CaseState::kClosed;
    }
    out.push_back(c);
  };
  absl::CivilDay day = D("2023-01-03");
  for (const OutcomeInfo& o : AllOutcomes()) {
    add(day, o.value);
    day += 3;
  }
  add(D("2023-12-28"), std::nullopt);
  add(D("2023-12-29"), std::nullopt);
  return out;
}

void ExpectSameCases(const LedgerParse& parsed,
                     const std::vector<CaseRecord>& cases) {
  ASSERT_TRUE(parsed.errors.empty()) << parsed.errors[0].status.message();
  ASSERT_EQ(parsed.rows.size(), cases.size());
  for (size_t i = 0; i < cases.size(); ++i) {
    const LedgerRow& r = parsed.rows[i];
    const CaseRecord& c = cases[i];
    EXPECT_EQ(r.case_no, c.case_no);
    EXPECT_EQ(r.received_on, c.received_on) << c.case_no;
    EXPECT_EQ(r.applicant_type, c.applicant_type) << c.case_no;
    EXPECT_EQ(r.applicant, c.applicant);
    EXPECT_EQ(r.channel, c.channel) << c.case_no;
    EXPECT_EQ(r.request, c.request);
    EXPECT_EQ(r.answered_on, c.answered_on) << c.case_no;
    EXPECT_EQ(r.outcome, c.outcome) << c.case_no;
  }
}

TEST(LedgerExportTest, ChineseHeadersAndLabelsByDefaultCodesOnRequest) {
  CaseRecord c;
  c.case_no = "GK-1";
  c.received_on = D("2023-03-06");
  c.applicant_type = ApplicantType::kNaturalPerson;
  c.channel = Channel::kOnline;
  c.applicant = "张三";
  c.request = "预算";
  c.answered_on = D("2023-03-10");
  c.outcome = Outcome::kDisclosed;
  EXPECT_EQ(LedgerHeader(LedgerStyle::kLabels),
            (std::vector<std::string>{"申请编号", "收到日期", "申请人类型",
                                      "申请人", "申请方式", "申请内容",
                                      "答复日期", "办理结果"}));
  EXPECT_EQ(LedgerCells(c, LedgerStyle::kLabels),
            (std::vector<std::string>{
                "GK-1", "2023-03-06", std::string(Info(c.applicant_type).label),
                "张三", std::string(Info(c.channel).label), "预算",
                "2023-03-10", std::string(Info(*c.outcome).label)}));
  EXPECT_EQ(LedgerHeader(LedgerStyle::kCodes)[1], "received_on");
  EXPECT_EQ(LedgerCells(c, LedgerStyle::kCodes)[2], "natural_person");
  EXPECT_EQ(LedgerCells(c, LedgerStyle::kCodes)[7], "disclosed");
}

TEST(LedgerExportTest, CsvRoundTripsInBothStylesAndInGbk) {
  const std::vector<CaseRecord> cases = SampleCases();
  for (LedgerStyle style : {LedgerStyle::kLabels, LedgerStyle::kCodes}) {
    const std::string csv = LedgerCsv(cases, style);
    auto utf8 = ParseLedger(csv, kToday);
    ASSERT_TRUE(utf8.ok()) << utf8.status();
    EXPECT_EQ(utf8->format, LedgerFormat::kCsv);
    EXPECT_EQ(utf8->encoding, TextEncoding::kUtf8Bom);
    ExpectSameCases(*utf8, cases);

    // As Excel on Chinese Windows saves it: GBK, no byte-order mark.
    auto gbk = EncodeGb18030(csv.substr(3));
    ASSERT_TRUE(gbk.ok()) << gbk.status();
    ASSERT_FALSE(IsValidUtf8(*gbk));
    auto back = ParseLedger(*gbk, kToday);
    ASSERT_TRUE(back.ok()) << back.status();
    EXPECT_EQ(back->encoding, TextEncoding::kGb18030);
    ExpectSameCases(*back, cases);
  }
}

TEST(LedgerImportTest, ExcelDefaultsOnChineseWindows) {
  // GBK, slashed dates without leading zeros, short labels.
  auto gbk = EncodeGb18030(
      "申请编号,收到日期,申请人类型,申请人,申请方式,申请内容,答复日期,"
      "办理结果\r\n"
      "GK-7,2024/1/10,自然人,李四,互联网,文件,2024年1月20日,予以公开\r\n"
      "GK-8,2024.2.3,自然人,王五,,规划,,\r\n");
  ASSERT_TRUE(gbk.ok());
  auto r = ParseLedger(*gbk, kToday);
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_TRUE(r->errors.empty()) << r->errors[0].status.message();
  ASSERT_EQ(r->rows.size(), 2u);
  EXPECT_EQ(r->encoding, TextEncoding::kGb18030);
  EXPECT_EQ(r->rows[0].received_on, D("2024-01-10"));
  EXPECT_EQ(r->rows[0].answered_on, D("2024-01-20"));
  EXPECT_EQ(r->rows[0].outcome, Outcome::kDisclosed);
  EXPECT_EQ(r->rows[1].received_on, D("2024-02-03"));
  EXPECT_EQ(r->rows[1].applicant, "王五");
}

TEST(LedgerImportTest, ExcelUnicodeTextIsTabSeparatedUtf16) {
  // Excel's "Unicode text": UTF-16LE with a byte-order mark, tabs between
  // the columns, so a comma inside a field is only text.
  const std::string utf8 =
      "申请编号\t收到日期\t申请人类型\t申请人\t申请方式\t申请内容\t"
      "答复日期\t办理结果\r\n"
      "GK-9\t2024/3/1\t自然人\t赵六\t邮寄\t规划,用地\t\t\r\n";
  iconv_t cd = iconv_open("UTF-16LE", "UTF-8");
  ASSERT_NE(cd, reinterpret_cast<iconv_t>(-1));
  std::string utf16(utf8.size() * 4, '\0');
  char* in = const_cast<char*>(utf8.data());
  size_t in_left = utf8.size();
  char* out = utf16.data();
  size_t out_left = utf16.size();
  ASSERT_NE(iconv(cd, &in, &in_left, &out, &out_left), static_cast<size_t>(-1));
  iconv_close(cd);
  utf16.resize(utf16.size() - out_left);
  auto r = ParseLedger("\xFF\xFE" + utf16, kToday);
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_TRUE(r->errors.empty()) << r->errors[0].status.message();
  ASSERT_EQ(r->rows.size(), 1u);
  EXPECT_EQ(r->encoding, TextEncoding::kUtf16Le);
  EXPECT_EQ(r->rows[0].applicant, "赵六");
  EXPECT_EQ(r->rows[0].request, "规划,用地");
  EXPECT_EQ(r->rows[0].received_on, D("2024-03-01"));
}

TEST(LedgerImportTest, TitleRowsBeforeTheHeaderAreSkipped) {
  auto r = ParseLedger(
      "2024年政府信息公开申请台账,,,\n"
      ",,,\n"
      "收到日期,申请人类型,申请人,申请内容\n"
      "2024/3/1,自然人,张三,预算\n",
      kToday);
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_EQ(r->rows.size(), 1u);
  EXPECT_EQ(r->rows[0].line, 4);
}

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// The XML of one part of a workbook file.
std::string Part(const std::string& path, const char* name) {
  int err = 0;
  zip_t* z = zip_open(path.c_str(), ZIP_RDONLY, &err);
  if (z == nullptr) return "";
  std::string out;
  if (zip_file_t* f = zip_fopen(z, name, 0)) {
    char buf[4096];
    zip_int64_t n;
    while ((n = zip_fread(f, buf, sizeof buf)) > 0) out.append(buf, n);
    zip_fclose(f);
  }
  zip_discard(z);
  return out;
}

TEST(LedgerExportTest, WorkbookHoldsRealDatesAndRoundTrips) {
  const std::vector<CaseRecord> cases = SampleCases();
  for (LedgerStyle style : {LedgerStyle::kLabels, LedgerStyle::kCodes}) {
    std::vector<std::vector<std::string>> rows;
    for (const CaseRecord& c : cases) rows.push_back(LedgerCells(c, style));
    const std::string path = ::testing::TempDir() + "/ledger_roundtrip.xlsx";
    ASSERT_TRUE(WriteLedgerXlsx(LedgerHeader(style), rows, path).ok());

    // B2 (received_on of the first case, 2023-01-03) is a number with a date
    // format, not text: Excel's serial 44929.
    const std::string sheet = Part(path, "xl/worksheets/sheet1.xml");
    ASSERT_FALSE(sheet.empty());
    EXPECT_TRUE(std::regex_search(
        sheet, std::regex("<c r=\"B2\" s=\"[0-9]+\"><v>44929</v></c>")))
        << sheet.substr(0, 2000);
    const std::string styles = Part(path, "xl/styles.xml");
    EXPECT_THAT(styles, HasSubstr("formatCode=\"yyyy-mm-dd\""));

    auto back = ParseLedger(ReadAll(path), kToday);
    ASSERT_TRUE(back.ok()) << back.status();
    EXPECT_EQ(back->format, LedgerFormat::kXlsx);
    EXPECT_EQ(back->sheet, "台账");
    ExpectSameCases(*back, cases);
    // Rows are named as the spreadsheet numbers them.
    EXPECT_EQ(back->rows[0].line, 2);
  }
}

// A workbook as an office makes it: a cover sheet, a title row, dates typed
// as numbers with a Chinese date format and as text.
TEST(LedgerImportTest, AnySheetWithTheHeaders) {
  const std::string path = ::testing::TempDir() + "/office_ledger.xlsx";
  lxw_workbook* wb = workbook_new(path.c_str());
  lxw_worksheet* cover = workbook_add_worksheet(wb, "说明");
  worksheet_write_string(cover, 0, 0, "本台账由办公室维护", nullptr);
  lxw_worksheet* ws = workbook_add_worksheet(wb, "2024年");
  lxw_format* zh_date = workbook_add_format(wb);
  format_set_num_format(zh_date, "yyyy\"年\"m\"月\"d\"日\"");
  worksheet_write_string(ws, 0, 0, "2024年依申请公开台账", nullptr);
  const char* header[] = {"收到日期", "申请人类型", "申请人",
                          "申请内容", "答复日期",   "办理结果"};
  for (int c = 0; c < 6; ++c)
    worksheet_write_string(ws, 2, c, header[c], nullptr);
  lxw_datetime received = {2024, 1, 10, 0, 0, 0};
  worksheet_write_datetime(ws, 3, 0, &received, zh_date);
  worksheet_write_string(ws, 3, 1, "自然人", nullptr);
  worksheet_write_number(ws, 3, 2, 12345, nullptr);  // a name typed as number
  worksheet_write_string(ws, 3, 3, "预算", nullptr);
  worksheet_write_string(ws, 3, 4, "2024/1/20", nullptr);
  worksheet_write_string(ws, 3, 5, "予以公开", nullptr);
  ASSERT_EQ(workbook_close(wb), LXW_NO_ERROR);

  auto r = ParseLedger(ReadAll(path), kToday);
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_TRUE(r->errors.empty()) << r->errors[0].status.message();
  EXPECT_EQ(r->sheet, "2024年");
  ASSERT_EQ(r->rows.size(), 1u);
  EXPECT_EQ(r->rows[0].line, 4);
  EXPECT_EQ(r->rows[0].received_on, D("2024-01-10"));
  EXPECT_EQ(r->rows[0].applicant, "12345");
  EXPECT_EQ(r->rows[0].answered_on, D("2024-01-20"));
}

TEST(LedgerImportTest, WorkbookErrorsNameTheSheetRowAndColumn) {
  const std::string path = ::testing::TempDir() + "/bad_ledger.xlsx";
  lxw_workbook* wb = workbook_new(path.c_str());
  lxw_worksheet* ws = workbook_add_worksheet(wb, "台账");
  const char* header[] = {"收到日期", "申请人类型", "申请人", "申请内容"};
  for (int c = 0; c < 4; ++c)
    worksheet_write_string(ws, 0, c, header[c], nullptr);
  worksheet_write_string(ws, 1, 0, "2024/13/1", nullptr);
  worksheet_write_string(ws, 1, 1, "自然人", nullptr);
  worksheet_write_string(ws, 1, 2, "张三", nullptr);
  worksheet_write_string(ws, 1, 3, "预算", nullptr);
  ASSERT_EQ(workbook_close(wb), LXW_NO_ERROR);
  auto r = ParseLedger(ReadAll(path), kToday);
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_EQ(r->errors.size(), 1u);
  EXPECT_THAT(
      r->errors[0].status.message(),
      HasSubstr("第 2 行：「收到日期」：“2024/13/1”不是真实存在的日期"));
  EXPECT_THAT(MessageIn(r->errors[0].status, Lang::kEn),
              HasSubstr("line 2: received_on: '2024/13/1' is not a real"));

  // A workbook with no ledger in it says so.
  lxw_workbook* other = workbook_new(path.c_str());
  worksheet_write_string(workbook_add_worksheet(other, "Sheet1"), 0, 0, "x",
                         nullptr);
  ASSERT_EQ(workbook_close(other), LXW_NO_ERROR);
  auto none = ParseLedger(ReadAll(path), kToday);
  EXPECT_THAT(none.status().message(), HasSubstr("工作簿中没有台账"));
  EXPECT_THAT(MessageIn(none.status(), Lang::kEn),
              HasSubstr("the workbook holds no ledger"));
}

}  // namespace
}  // namespace gongkai

#include "formats/ledger.h"

#include "common/lang.h"
#include "domain/test_history.h"
#include "formats/csv.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace gongkai {
namespace {

using ::testing::HasSubstr;

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
  ASSERT_TRUE(en->errors.empty()) << en->errors[0];
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
  EXPECT_THAT(r->errors[5],
              HasSubstr("line 7: case number A already appears on line 2"));
  EXPECT_THAT(r->errors[0], HasSubstr("line 2: received_on"));
  EXPECT_THAT(r->errors[1], HasSubstr("line 3: 未知的申请人类型"));
  EXPECT_THAT(r->errors[2], HasSubstr("line 4: 申请人姓名（名称）为必填项"));
  EXPECT_THAT(r->errors[3], HasSubstr("before received_on"));
  EXPECT_THAT(r->errors[4], HasSubstr("outcome is required"));
}

TEST(LedgerTest, FileLevelProblems) {
  EXPECT_THAT(ParseLedger("", kToday).status().message(), HasSubstr("empty"));
  EXPECT_THAT(
      ParseLedger("received_on,applicant_type\n", kToday).status().message(),
      HasSubstr("no applicant_name"));
  EXPECT_THAT(ParseLedger("received_on,colour\n", kToday).status().message(),
              HasSubstr("unknown column 'colour'"));
}

TEST(LedgerTest, ExportIsReimportable) {
  CaseRecord c;
  c.case_no = "2023-0001";
  c.received_on = D("2023-03-06");
  c.applicant = "张三";
  c.request = "a \"quoted\", multi\nline request";
  c.answered_on = D("2023-03-10");
  c.outcome = Outcome::kOther;
  auto back = ParseLedger(LedgerCsv({c}), kToday);
  ASSERT_TRUE(back.ok()) << back.status();
  ASSERT_EQ(back->rows.size(), 1u)
      << (back->errors.empty() ? "" : back->errors[0]);
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
  const std::string csv = LedgerCsv({c});
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
      << (back->errors.empty() ? "" : back->errors[0]);
  EXPECT_EQ(back->rows[0].applicant, c.applicant);
  EXPECT_EQ(back->rows[0].request, c.request);
}

}  // namespace
}  // namespace gongkai

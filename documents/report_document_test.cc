#include "documents/report_document.h"

#include <chrono>
#include <cstdio>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "documents/docx_model.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace gongkai::documents {
namespace {

using ::testing::HasSubstr;

AnnualReport Sample() {
  AnnualReport r;
  r.year = 2023;
  r.agency = "驻马店市公安局";
  std::vector<CaseFact> facts;
  const absl::CivilDay in(2023, 3, 1), out(2023, 3, 10);
  for (int i = 0; i < 25; ++i) facts.push_back({in, out, Outcome::kDisclosed});
  for (int i = 0; i < 21; ++i) {
    facts.push_back({in, out, Outcome::kUnavailableNotHeld,
                     ApplicantType::kCommercialEnterprise});
  }
  facts.push_back({absl::CivilDay(2023, 12, 29), std::nullopt, std::nullopt});
  r.table3 = TallyTable3(2023, facts);
  r.proactive[static_cast<int>(ProactiveItem::kLicensing) - 1].decisions =
      2878911;
  r.proactive[static_cast<int>(ProactiveItem::kFees) - 1].amount_fen =
      int64_t{79628075} * 100;
  r.table4.reconsideration = {1, 2, 3, 4};
  r.table4.litigation_direct = {5, 6, 7, 8};
  r.table4.litigation_after_reconsideration = {9, 10, 11, 12};
  return r;
}

constexpr char kNarrative[] =
    "# {{agency}}{{year}}年政府信息公开工作年度报告\n\n## 一、总体情况\n\n"
    "共接受依申请公开 {{requests.new.total}} 件。\n第二行。\n\n"
    "## 二、主动公开政府信息情况\n\n## 三、收到和处理政府信息公开申请情况\n\n"
    "## 四、政府信息公开行政复议、行政诉讼情况\n\n"
    "## 五、存在的主要问题及改进情况\n\n略。\n\n六、其他需要报告的事项\n\n"
    "依申请公开收费 {{fees.collected_yuan}} 元。\n";

std::vector<const Table*> Tables(const DocxModel& m) {
  std::vector<const Table*> out;
  for (const Block& b : m.body) {
    if (b.table) out.push_back(b.table.get());
  }
  return out;
}

// Every row of `t` covers the whole grid, and every vMerge continuation
// sits under a cell of the same column that starts or continues a merge.
void ExpectConsistent(const Table& t, const std::string& what) {
  std::vector<VMerge> above(t.grid_twips.size(), VMerge::kNone);
  for (size_t r = 0; r < t.rows.size(); ++r) {
    size_t col = 0;
    for (const Cell& c : t.rows[r]) {
      ASSERT_LT(col, above.size()) << what << " row " << r;
      if (c.vmerge == VMerge::kContinue) {
        EXPECT_NE(above[col], VMerge::kNone)
            << what << " row " << r << " col " << col;
      }
      above[col] = c.vmerge;
      col += c.span;
    }
    EXPECT_EQ(col, t.grid_twips.size()) << what << " row " << r;
  }
}

TEST(ReportDocxTest, HasTheSixSectionsAndTheOfficialTables) {
  absl::StatusOr<std::string> docx = ReportDocx(Sample(), kNarrative);
  ASSERT_TRUE(docx.ok()) << docx.status();
  absl::StatusOr<DocxModel> m = ReadDocx(*docx);
  ASSERT_TRUE(m.ok()) << m.status();
  EXPECT_EQ(m->body[0].paragraph->Text(),
            "驻马店市公安局2023年政府信息公开工作年度报告");
  EXPECT_EQ(m->body[0].paragraph->align, Align::kCenter);
  const std::string text = PlainText(*m);
  for (const char* h :
       {"一、总体情况", "二、主动公开政府信息情况",
        "三、收到和处理政府信息公开申请情况",
        "四、政府信息公开行政复议、行政诉讼情况",
        "五、存在的主要问题及改进情况", "六、其他需要报告的事项"}) {
    EXPECT_THAT(text, HasSubstr(absl::StrCat(h, "\n"))) << h;
  }
  EXPECT_THAT(text, HasSubstr("共接受依申请公开 47 件。\n第二行。"));
  EXPECT_THAT(text, testing::Not(HasSubstr("|---")));  // no Markdown table left
  const std::vector<const Table*> tables = Tables(*m);
  ASSERT_EQ(tables.size(), 6u);  // table 2's four blocks, tables 3 and 4
  for (size_t i = 0; i < tables.size(); ++i) {
    ExpectConsistent(*tables[i], absl::StrCat("table ", i));
  }
  EXPECT_THAT(text, HasSubstr("行政许可 | 2878911"));
  EXPECT_THAT(text, HasSubstr("行政事业性收费 | 7962.8075"));

  const Table& t3 = *tables[4];
  ASSERT_EQ(t3.grid_twips.size(), 10u);
  ASSERT_EQ(t3.rows.size(), 3u + 25u);
  EXPECT_EQ(t3.rows[0][0].span, 3);
  EXPECT_EQ(t3.rows[0][0].vmerge, VMerge::kRestart);
  EXPECT_EQ(t3.rows[0][1].span, 7);
  EXPECT_EQ(t3.rows[1][2].span, 5);  // 法人或其他组织
  // 三、本年度办理结果 starts a merge over its 22 rows.
  int merged = 1;
  for (size_t r = 6;
       r < t3.rows.size() && t3.rows[r][0].vmerge == VMerge::kContinue; ++r)
    ++merged;
  EXPECT_EQ(t3.rows[5][0].vmerge, VMerge::kRestart);
  EXPECT_EQ(merged, 22);
  EXPECT_THAT(
      text,
      HasSubstr("本年新收政府信息公开申请数量 | 26 | 21 | 0 | 0 | 0 | 0 | 47"));

  const Table& t4 = *tables[5];
  ASSERT_EQ(t4.grid_twips.size(), 15u);
  EXPECT_EQ(t4.rows[0][0].span, 5);
  EXPECT_EQ(t4.rows[0][1].span, 10);
  EXPECT_EQ(t4.rows[1][0].vmerge, VMerge::kRestart);
  EXPECT_EQ(t4.rows[2][0].vmerge, VMerge::kContinue);
  EXPECT_THAT(
      text,
      HasSubstr(
          "1 | 2 | 3 | 4 | 10 | 5 | 6 | 7 | 8 | 26 | 9 | 10 | 11 | 12 | 42"));
}

TEST(ReportDocxTest, AddsTheTitleWhenTheNarrativeHasNone) {
  const std::string narrative = absl::StrReplaceAll(
      kNarrative, {{"# {{agency}}{{year}}年政府信息公开工作年度报告\n", ""}});
  absl::StatusOr<DocxModel> m = ReadDocx(*ReportDocx(Sample(), narrative));
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->body[0].paragraph->Text(),
            "驻马店市公安局2023年政府信息公开工作年度报告");
}

TEST(ReportDocxTest, RefusesANarrativeWithoutItsSections) {
  const std::string narrative = absl::StrReplaceAll(
      kNarrative, {{"## 五、存在的主要问题及改进情况", ""}});
  absl::Status s = ReportDocx(Sample(), narrative).status();
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(s.message(), HasSubstr("五、存在的主要问题及改进情况"));
}

TEST(ReportPdfTest, RendersThePdf) {
  absl::StatusOr<std::string> pdf = ReportPdf(Sample(), kNarrative);
  ASSERT_TRUE(pdf.ok()) << pdf.status();
  EXPECT_TRUE(absl::StartsWith(*pdf, "%PDF-"));
  const auto t0 = std::chrono::steady_clock::now();
  absl::StatusOr<std::string> again = ReportPdf(Sample(), kNarrative);
  const auto t1 = std::chrono::steady_clock::now();
  std::printf("report PDF: %.1f ms\n",
              std::chrono::duration<double, std::milli>(t1 - t0).count());
  EXPECT_EQ(*pdf, *again);
}

}  // namespace
}  // namespace gongkai::documents

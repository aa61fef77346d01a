#include "formats/report_layout.h"

#include <cstring>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "domain/test_history.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace gongkai {
namespace {

using ::testing::HasSubstr;

AnnualReport Sample() {
  AnnualReport r;
  r.year = 2023;
  std::vector<CaseFact> facts;
  for (int i = 0; i < 25; ++i)
    facts.push_back({D("2023-03-01"), D("2023-03-10"), Outcome::kDisclosed});
  for (int i = 0; i < 21; ++i)
    facts.push_back(
        {D("2023-03-01"), D("2023-03-10"), Outcome::kUnavailableNotHeld});
  facts.push_back({D("2023-12-29"), std::nullopt, std::nullopt});
  r.table3 = TallyTable3(2023, facts);
  return r;
}

TEST(ReportLayoutTest, RowsInOfficialOrder) {
  Table3 t;
  std::vector<Table3Row> rows = Table3Rows(t);
  ASSERT_EQ(rows.size(), 25u);
  EXPECT_EQ(rows[0].group, "一、本年新收政府信息公开申请数量");
  EXPECT_EQ(rows[2].sub, "（一）予以公开");
  EXPECT_EQ(rows[4].sub, "（三）不予公开");
  EXPECT_EQ(rows[4].item, "1.属于国家秘密");
  EXPECT_EQ(rows[22].item, "3.其他");
  EXPECT_EQ(rows[23].sub, "（七）总计");
  EXPECT_EQ(rows[24].group, "四、结转下年度继续办理");
}

TEST(ReportLayoutTest, OutcomeLabelsReadAsTheOfficialForm) {
  const OutcomeInfo& not_held = Info(Outcome::kUnavailableNotHeld);
  EXPECT_EQ(OutcomeItemLabel(not_held), "1.本机关不掌握相关政府信息");
  EXPECT_EQ(OutcomeRowLabel(not_held),
            "（四）无法提供 1.本机关不掌握相关政府信息");
  EXPECT_EQ(OutcomeItemLabel(Info(Outcome::kDisclosed)), "（一）予以公开");
  EXPECT_EQ(OutcomeRowLabel(Info(Outcome::kDisclosed)), "（一）予以公开");
  EXPECT_EQ(OutcomeItemLabel(Info(Outcome::kWithheldAdministrativeQuery)),
            "8.属于行政查询事项");
  // Every label of domain.md section 5, unchanged, after its number.
  for (const OutcomeInfo& o : AllOutcomes()) {
    const std::string item = OutcomeItemLabel(o);
    EXPECT_TRUE(absl::EndsWith(item, o.label)) << o.code;
    if (o.group.empty()) {
      EXPECT_EQ(item, absl::StrCat(o.row, o.label));
    } else {
      // "（四）" of "（四）无法提供", then "1.本机关…": the row and label.
      const size_t heading_end = o.group.find("）") + std::strlen("）");
      EXPECT_EQ(absl::StrCat(o.group.substr(0, heading_end), item),
                absl::StrCat(o.row, ".", o.label))
          << o.code;
    }
  }
}

TEST(ReportLayoutTest, Table4ValuesInOfficialColumnOrder) {
  Table4 t;
  t.reconsideration = {1, 2, 3, 4};
  t.litigation_direct = {5, 6, 7, 8};
  t.litigation_after_reconsideration = {9, 10, 11, 12};
  EXPECT_EQ(Table4Values(t), (std::vector<int64_t>{1, 2, 3, 4, 10, 5, 6, 7, 8,
                                                   26, 9, 10, 11, 12, 42}));
}

// The CSV that `report check` (published/report_check.h) reads back; its
// check is tested there.
TEST(ReportLayoutTest, OwnCsvLayout) {
  std::string csv = ReportCsv(Sample());
  EXPECT_EQ(csv.substr(0, 3), "\xEF\xBB\xBF");
  EXPECT_THAT(csv,
              HasSubstr("一、本年新收政府信息公开申请数量,,,47,0,0,0,0,0,47"));
  EXPECT_THAT(csv, HasSubstr("四、结转下年度继续办理,,,1,0,0,0,0,0,1"));
}

}  // namespace
}  // namespace gongkai

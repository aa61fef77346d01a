#include "domain/report.h"

#include "domain/test_history.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace gongkai {
namespace {

using ::testing::HasSubstr;

CaseFact Fact(const char* received, const char* closed = nullptr,
              Outcome o = Outcome::kDisclosed,
              ApplicantType t = ApplicantType::kNaturalPerson) {
  CaseFact f;
  f.received_on = D(received);
  if (closed != nullptr) {
    f.closed_on = D(closed);
    f.outcome = o;
  }
  f.applicant_type = t;
  return f;
}

int64_t Row(const Table3& t, Outcome o,
            ApplicantType a = ApplicantType::kNaturalPerson) {
  return t.outcomes[static_cast<int>(o) - 1].Get(a);
}

TEST(TallyTest, EveryRowAndColumn) {
  std::vector<CaseFact> cases;
  int i = 0;
  for (const OutcomeInfo& o : AllOutcomes()) {
    const ApplicantType t = AllApplicantTypes()[i++ % 6].value;
    cases.push_back(Fact("2023-02-01", "2023-03-01", o.value, t));
  }
  cases.push_back(Fact("2023-12-20"));  // open: carried out
  Table3 t = TallyTable3(2023, cases);
  EXPECT_EQ(t.new_requests.total(), 22);
  EXPECT_EQ(t.outcome_total.total(), 21);
  EXPECT_EQ(t.carried_out.total(), 1);
  EXPECT_EQ(t.carried_in.total(), 0);
  for (int k = 0; k < 21; ++k) EXPECT_EQ(t.outcomes[k].total(), 1) << k;
  EXPECT_EQ(Row(t, Outcome::kOther, ApplicantType::kOtherOrg), 0);
  EXPECT_EQ(t.outcomes[20].Get(AllApplicantTypes()[20 % 6].value), 1);
  EXPECT_TRUE(VerifyTable3(t).ok());
}

TEST(TallyTest, CarryOverAcrossTwoYearEnds) {
  // Received 2022-12-28, still open through 2023, answered 2024-01-10.
  std::vector<CaseFact> cases = {Fact("2022-12-28", "2024-01-10"),
                                 Fact("2022-12-29", "2023-01-05"),
                                 Fact("2021-06-01", "2021-06-10")};
  Table3 y2022 = TallyTable3(2022, cases);
  EXPECT_EQ(y2022.new_requests.total(), 2);
  EXPECT_EQ(y2022.carried_out.total(), 2);
  Table3 y2023 = TallyTable3(2023, cases);
  EXPECT_EQ(y2023.new_requests.total(), 0);
  EXPECT_EQ(y2023.carried_in.total(), 2);
  EXPECT_EQ(y2023.outcome_total.total(), 1);
  EXPECT_EQ(y2023.carried_out.total(), 1);
  Table3 y2024 = TallyTable3(2024, cases);
  EXPECT_EQ(y2024.carried_in.total(), 1);
  EXPECT_EQ(y2024.outcome_total.total(), 1);
  EXPECT_EQ(y2024.carried_out.total(), 0);
  // Next year's carried-in equals this year's carried-out.
  EXPECT_EQ(y2023.carried_in, y2022.carried_out);
  EXPECT_EQ(y2024.carried_in, y2023.carried_out);
  for (const Table3* t : {&y2022, &y2023, &y2024})
    EXPECT_TRUE(VerifyTable3(*t).ok());
}

TEST(TallyTest, CorrectionAcrossTheYearEndKeepsTheOriginalReceipt) {
  // Received 2023-12-27, corrected 2024-01-08 (the clock restarts, but the
  // application is the same one): it is new in 2023 and carried into 2024.
  std::vector<CaseFact> cases = {Fact(
      "2023-12-27", "2024-01-20", Outcome::kUnavailableUnclearAfterCorrection)};
  EXPECT_EQ(TallyTable3(2023, cases).new_requests.total(), 1);
  EXPECT_EQ(TallyTable3(2024, cases).new_requests.total(), 0);
  EXPECT_EQ(TallyTable3(2024, cases).carried_in.total(), 1);
  EXPECT_EQ(Row(TallyTable3(2024, cases),
                Outcome::kUnavailableUnclearAfterCorrection),
            1);
}

TEST(TallyTest, ClosedOnNewYearsDayIsCarriedIn) {
  std::vector<CaseFact> cases = {Fact("2023-12-30", "2024-01-01")};
  EXPECT_EQ(TallyTable3(2023, cases).carried_out.total(), 1);
  EXPECT_EQ(TallyTable3(2024, cases).carried_in.total(), 1);
  EXPECT_EQ(TallyTable3(2024, cases).outcome_total.total(), 1);
}

TEST(Table4Test, AppealsPendingAcrossYears) {
  std::vector<AppealFact> appeals = {
      {AppealKind::kReconsideration, D("2022-11-01"), D("2023-02-01"),
       AppealResult::kUpheld},
      {AppealKind::kLitigationDirect, D("2023-05-01"), std::nullopt,
       std::nullopt},
      {AppealKind::kLitigationAfterReconsideration, D("2023-06-01"),
       D("2023-07-01"), AppealResult::kCorrected},
      {AppealKind::kReconsideration, D("2021-01-01"), D("2021-02-01"),
       AppealResult::kOther},
      {AppealKind::kReconsideration, D("2024-01-05"), std::nullopt,
       std::nullopt},
  };
  Table4 y2022 = TallyTable4(2022, appeals);
  EXPECT_EQ(y2022.reconsideration.pending, 1);
  EXPECT_EQ(y2022.reconsideration.total(), 1);
  Table4 y2023 = TallyTable4(2023, appeals);
  EXPECT_EQ(y2023.reconsideration.upheld, 1);
  EXPECT_EQ(y2023.reconsideration.pending, 0);
  EXPECT_EQ(y2023.litigation_direct.pending, 1);
  EXPECT_EQ(y2023.litigation_after_reconsideration.corrected, 1);
  Table4 y2024 = TallyTable4(2024, appeals);
  EXPECT_EQ(y2024.reconsideration.total(), 1);  // the 2024 filing, pending
  EXPECT_EQ(y2024.litigation_direct.pending, 1);
  EXPECT_EQ(y2024.litigation_after_reconsideration.total(), 0);
}

TEST(VerifyTest, BrokenTablesAreReported) {
  Table3 t = TallyTable3(2023, {Fact("2023-01-05", "2023-02-01")});
  t.carried_out.Add(ApplicantType::kNaturalPerson);
  absl::Status s = VerifyTable3(t);
  EXPECT_EQ(s.code(), absl::StatusCode::kInternal);
  EXPECT_THAT(s.message(),
              HasSubstr("自然人: 一 + 二 = 1 but （七）总计 + 四 = 2"));
}

TEST(ReportJsonTest, RoundTripAndMerge) {
  AnnualReport r;
  r.year = 2023;
  r.agency = "某局";
  r.table3 =
      TallyTable3(2023, {Fact("2023-01-05", "2023-02-01"), Fact("2023-12-30")});
  r.proactive[static_cast<int>(ProactiveItem::kFees) - 1].amount_fen =
      7962807500;
  r.fees_collected_fen = 30050;
  Json j = ReportToJson(r);
  EXPECT_EQ(j.Find("requests")->Find("new")->Find("natural_person")->as_int(),
            2);
  EXPECT_EQ(j.Find("requests")
                ->Find("outcomes")
                ->Find("total")
                ->Find("total")
                ->as_int(),
            1);
  EXPECT_EQ(
      j.Find("proactive")->Find("fees")->Find("amount_wan_yuan")->as_string(),
      "7962.8075");
  auto back = ReportFromJson(*Json::Parse(j.Dump()));
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(*back, r);
  auto merged = MergeReports({r, r}, "全市");
  ASSERT_TRUE(merged.ok());
  EXPECT_EQ(merged->table3.new_requests.total(), 4);
  EXPECT_EQ(merged->fees_collected_fen, 60100);
  AnnualReport other = r;
  other.year = 2024;
  EXPECT_FALSE(MergeReports({r, other}, "x").ok());
}

TEST(ReportJsonTest, InconsistentJsonIsRefused) {
  AnnualReport r;
  r.year = 2023;
  r.table3 = TallyTable3(2023, {Fact("2023-01-05", "2023-02-01")});
  Json j = ReportToJson(r);
  // Claim one case is still open: 一 + 二 no longer equals （七） + 四.
  const Json one_open = *j.Find("requests")->Find("new");
  for (auto& [key, value] : j.as_object()) {
    if (key == "requests") value.Set("carried_out", one_open);
  }
  auto bad = ReportFromJson(j);
  ASSERT_FALSE(bad.ok());
  EXPECT_THAT(bad.status().message(), HasSubstr("一 + 二"));
}

TEST(DiffTest, NamesTheChangedCells) {
  AnnualReport a;
  a.year = 2023;
  a.table3 = TallyTable3(2023, {Fact("2023-01-05", "2023-02-01")});
  AnnualReport b = a;
  b.table3 = TallyTable3(
      2023, {Fact("2023-01-05", "2023-02-01", Outcome::kUnavailableNotHeld)});
  std::vector<std::string> diff = DiffReports(a, b);
  ASSERT_EQ(diff.size(), 2u);
  EXPECT_THAT(diff[0], HasSubstr("予以公开 自然人: 1 -> 0"));
}

TEST(MoneyTest, WanYuanHasFourDecimals) {
  EXPECT_EQ(FormatWanYuan(7962807500), "7962.8075");
  EXPECT_EQ(FormatWanYuan(0), "0.0000");
  EXPECT_EQ(FormatWanYuan(100), "0.0001");
}

TEST(CellsTest, ContributionOfOneCase) {
  EXPECT_THAT(
      CaseCells(2023, Fact("2023-01-05", "2023-02-01")),
      ::testing::ElementsAre("new/natural_person", "disclosed/natural_person"));
  EXPECT_TRUE(CaseCells(2023, Fact("2024-01-05")).empty());
}

}  // namespace
}  // namespace gongkai

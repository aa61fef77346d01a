// SqliteCaseTable: the report counts kept with every write, and the bulk
// import.
#include <random>

#include "absl/strings/str_format.h"
#include "common/dates.h"
#include "common/lang.h"
#include "common/status_macros.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "storage/sqlite_store.h"
#include "storage/test_engines.h"
#include "storage/test_util.h"

namespace gongkai::storage {
namespace {

using ::testing::HasSubstr;

absl::CivilDay D(const char* s) { return *ParseDate(s); }
const absl::Time kAt = absl::FromUnixSeconds(1700000000);

CaseRecord NewRecord(absl::CivilDay received, const std::string& agency,
                     ApplicantType type, CaseEvent* ev) {
  NewCase n;
  n.received_on = received;
  n.applicant = "申请人";
  n.request = "x";
  n.applicant_type = type;
  n.agency = agency;
  return *OpenCase(n, {"t", kAt, D("2026-12-31")}, ev);
}

// On every engine (test_engines.h).
class CaseTableTest : public ::testing::TestWithParam<TestEngine> {
 protected:
  void SetUp() override {
    auto store = db_.Open();
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = *std::move(store);
  }

  // The counts kept with the writes equal the tally over every case.
  void ExpectCountsMatchFacts(int from, int to) {
    for (int year = from; year <= to; ++year) {
      for (std::vector<std::string> filter :
           {std::vector<std::string>{}, std::vector<std::string>{"psb"},
            std::vector<std::string>{"", "edu"}}) {
        auto facts = ReadValue<std::vector<CaseFact>>(*store_, [&](Tables& t) {
          return t.cases().ReportFacts(year, filter);
        });
        auto counted = ReadValue<Table3>(*store_, [&](Tables& t) {
          return t.cases().Table3Of(year, filter);
        });
        ASSERT_TRUE(facts.ok() && counted.ok());
        EXPECT_EQ(*counted, TallyTable3(year, *facts)) << year;
        EXPECT_TRUE(VerifyTable3(*counted).ok()) << year;
      }
    }
  }

  // Rewrites case `no` with `edit` in one write, as a use case does.
  absl::Status Edit(const std::string& no,
                    const std::function<void(CaseRecord&)>& edit) {
    return store_->Write([&](Tables& t) -> absl::Status {
      ASSIGN_OR_RETURN(CaseRecord before, t.cases().Get(no));
      CaseRecord after = before;
      edit(after);
      ++after.version;
      CaseEvent e;
      e.kind = "edited";
      e.effective_on = after.received_on;
      e.recorded_at = kAt;
      return t.cases().Update(before, after, &e);
    });
  }

  TestDatabase db_{GetParam()};
  std::unique_ptr<Store> store_;
};

INSTANTIATE_TEST_SUITE_P(Engines, CaseTableTest,
                         ::testing::ValuesIn(TestEngines()), TestEngineName);

TEST_P(CaseTableTest, UpdateMovesTheCountsFromBeforeToAfter) {
  std::mt19937 rng(20261201);
  const char* agencies[] = {"", "psb", "edu"};
  std::vector<std::string> numbers;
  for (int i = 0; i < 200; ++i) {
    CaseEvent ev;
    CaseRecord c = NewRecord(
        absl::CivilDay(2021, 1, 1) + static_cast<int>(rng() % 1000),
        agencies[rng() % 3], AllApplicantTypes()[rng() % 6].value, &ev);
    auto stored = WriteValue<CaseRecord>(
        *store_, [&](Tables& t) { return t.cases().Insert(c, &ev); });
    ASSERT_TRUE(stored.ok()) << stored.status();
    numbers.push_back(stored->case_no);
  }
  // Close, reopen, change the outcome, the receipt date, the applicant
  // type, the agency: every change keeps the counts equal to the facts.
  for (int round = 0; round < 600; ++round) {
    const std::string& no = numbers[rng() % numbers.size()];
    const int what = static_cast<int>(rng() % 6);
    const int days = static_cast<int>(rng() % 400);
    const Outcome outcome = AllOutcomes()[rng() % 21].value;
    const ApplicantType type = AllApplicantTypes()[rng() % 6].value;
    const char* agency = agencies[rng() % 3];
    ASSERT_TRUE(Edit(no, [&](CaseRecord& c) {
                  switch (what) {
                    case 0:
                    case 1:  // close (or close again with another outcome)
                      c.state = CaseState::kClosed;
                      c.answered_on = c.received_on + days;
                      c.outcome = outcome;
                      break;
                    case 2:  // reopen
                      c.state = CaseState::kOpen;
                      c.answered_on.reset();
                      c.outcome.reset();
                      break;
                    case 3:  // corrected receipt date, before any answer
                      c.received_on = c.answered_on ? *c.answered_on - days % 30
                                                    : c.received_on - days;
                      break;
                    case 4:
                      c.applicant_type = type;
                      break;
                    case 5:
                      c.agency = agency;
                      break;
                  }
                }).ok());
  }
  ExpectCountsMatchFacts(2019, 2025);
}

TEST_P(CaseTableTest, UpdateIsRefusedWhenTheCaseChangedSinceItWasRead) {
  CaseEvent ev;
  CaseRecord c =
      NewRecord(D("2023-03-06"), "", ApplicantType::kNaturalPerson, &ev);
  auto stored = WriteValue<CaseRecord>(
      *store_, [&](Tables& t) { return t.cases().Insert(c, &ev); });
  ASSERT_TRUE(stored.ok());
  CaseRecord after = *stored;
  after.version++;
  after.applicant = "first";
  CaseEvent e{0, "edited", D("2023-03-07"), kAt, "a"};
  ASSERT_TRUE(store_
                  ->Write([&](Tables& t) {
                    return t.cases().Update(*stored, after, &e);
                  })
                  .ok());
  EXPECT_EQ(e.seq, 2);
  // A second writer still holding the old version.
  CaseRecord stale = *stored;
  stale.version++;
  stale.applicant = "second";
  absl::Status s = store_->Write(
      [&](Tables& t) { return t.cases().Update(*stored, stale, &e); });
  EXPECT_EQ(s.code(), absl::StatusCode::kAborted);
  EXPECT_THAT(MessageIn(s, Lang::kEn), HasSubstr("changed concurrently"));
  auto got = ReadValue<CaseRecord>(
      *store_, [&](Tables& t) { return t.cases().Get(stored->case_no); });
  EXPECT_EQ(got->applicant, "first");
  EXPECT_EQ(
      ReadValue<std::vector<CaseEvent>>(
          *store_, [&](Tables& t) { return t.cases().Events(stored->id); })
          ->size(),
      2u);
}

std::vector<ImportedCase> Ledger(int n, int first_line = 2) {
  std::vector<ImportedCase> out;
  for (int i = 0; i < n; ++i) {
    ImportedCase c;
    CaseEvent received;
    c.record = NewRecord(D("2022-02-01") + i, i % 2 ? "psb" : "edu",
                         ApplicantType::kNaturalPerson, &received);
    c.record.case_no = absl::StrFormat("2022-%04d", i + 1);
    c.events.push_back(received);
    if (i % 3 == 0) {
      c.record.state = CaseState::kClosed;
      c.record.answered_on = c.record.received_on + 10;
      c.record.outcome = Outcome::kDisclosed;
      c.events.push_back({0, "answered", *c.record.answered_on, kAt, "t"});
    }
    c.line = first_line + i;
    out.push_back(std::move(c));
  }
  return out;
}

TEST_P(CaseTableTest, ImportStoresCasesEventsCountsAndTheAuditOnce) {
  RecordEvent imported{"ledger_imported", "ledger.csv", "admin", kAt};
  ASSERT_TRUE(store_
                  ->Write([&](Tables& t) {
                    return t.cases().Import(Ledger(30), "hash-a", imported);
                  })
                  .ok());
  auto page = ReadValue<CasePage>(*store_,
                                  [](Tables& t) { return t.cases().List({}); });
  EXPECT_EQ(page->total, 30);
  auto events = ReadValue<std::vector<CaseEvent>>(
      *store_, [](Tables& t) { return t.cases().Events(1); });
  ASSERT_EQ(events->size(), 2u);
  EXPECT_EQ((*events)[1].seq, 2);
  ExpectCountsMatchFacts(2021, 2023);
  EXPECT_TRUE(ReadValue<std::vector<std::string>>(*store_, [](Tables& t) {
                return t.audit().Verify();
              })->empty());
  auto found = ReadValue<std::optional<std::string>>(
      *store_, [](Tables& t) { return t.cases().FindImport("hash-a"); });
  ASSERT_TRUE(found->has_value());
  EXPECT_THAT(**found, HasSubstr("by admin from ledger.csv (30 rows)"));

  // The same file again is refused, and changes nothing.
  absl::Status again = store_->Write([&](Tables& t) {
    return t.cases().Import(Ledger(30), "hash-a", imported);
  });
  EXPECT_EQ(again.code(), absl::StatusCode::kAlreadyExists);

  // A ledger with a clash is refused whole, naming the line.
  std::vector<ImportedCase> clash = Ledger(5, 100);
  for (size_t i = 0; i < clash.size(); ++i) {
    clash[i].record.case_no = absl::StrFormat("B-%d", i);
  }
  clash[3].record.case_no = "2022-0001";
  absl::Status refused = store_->Write([&](Tables& t) {
    return t.cases().Import(std::move(clash), "hash-b", imported);
  });
  EXPECT_EQ(refused.code(), absl::StatusCode::kAlreadyExists);
  EXPECT_THAT(MessageIn(refused, Lang::kEn), HasSubstr("line 103"));
  EXPECT_EQ(
      ReadValue<CasePage>(*store_, [](Tables& t) { return t.cases().List({}); })
          ->total,
      30);
  EXPECT_FALSE(ReadValue<std::optional<std::string>>(*store_, [](Tables& t) {
                 return t.cases().FindImport("hash-b");
               })->has_value());
  ExpectCountsMatchFacts(2021, 2023);
  // Writes after an import still commit (and checkpoint) normally.
  CaseEvent ev;
  CaseRecord c =
      NewRecord(D("2023-03-06"), "", ApplicantType::kNaturalPerson, &ev);
  EXPECT_TRUE(WriteValue<CaseRecord>(*store_, [&](Tables& t) {
                return t.cases().Insert(c, &ev);
              }).ok());
}

}  // namespace
}  // namespace gongkai::storage

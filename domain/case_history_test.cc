#include "domain/case_history.h"

#include "domain/lifecycle.h"
#include "domain/test_history.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace gongkai {
namespace {

using ::testing::ElementsAre;
using ::testing::Field;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;

// A case driven through the real Lifecycle; each event gets the state
// before/after as the application layer records them.
class CaseHistoryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    NewCase n;
    n.agency = "psb";
    n.received_on = D("2023-03-06");
    n.applicant = "张三";
    n.contact = "13800000000";
    n.id_number = "110101199003070011";
    n.request = "请求公开某文件";
    CaseEvent e;
    record_ = *OpenCase(n, Ctx(), &e);
    e.seq = 1;
    events_ = {e};
  }
  ActionContext Ctx() const {
    return {"tester", absl::FromUnixSeconds(1700000000), D("2023-06-30"), ""};
  }
  template <typename F>
  void Do(F f) {
    const CaseState before = record_.state;
    const Lifecycle life(Ctx(), WorkCalendar::Official(), {});
    absl::StatusOr<CaseEvent> e = f(life);
    ASSERT_TRUE(e.ok()) << e.status();
    if (record_.state != before) {
      e->details.Set("state_before", std::string(Info(before).code));
      e->details.Set("state_after", std::string(Info(record_.state).code));
    }
    e->seq = static_cast<int64_t>(events_.size()) + 1;
    events_.push_back(*e);
  }

  CaseRecord record_;
  std::vector<CaseEvent> events_;
};

TEST_F(CaseHistoryTest, EveryStepOfTheLifecycleIsDerivable) {
  EXPECT_THAT(CompareWithHistory(record_, events_), IsEmpty());
  Do([&](const Lifecycle& l) {
    return l.RequestCorrection(record_, events_, D("2023-03-07"), 10);
  });
  EXPECT_EQ(ReplayHistory(events_).state, CaseState::kAwaitingCorrection);
  EXPECT_THAT(CompareWithHistory(record_, events_), IsEmpty());
  Do([&](const Lifecycle& l) {
    return l.RecordCorrection(record_, events_, D("2023-03-09"));
  });
  Do([&](const Lifecycle& l) {
    return l.SendFeeNotice(record_, events_, D("2023-03-10"), 10000);
  });
  EXPECT_EQ(ReplayHistory(events_).state, CaseState::kAwaitingFee);
  EXPECT_THAT(CompareWithHistory(record_, events_), IsEmpty());
  Do([&](const Lifecycle& l) {
    return l.RecordFeePayment(record_, events_, D("2023-03-13"));
  });
  Do([&](const Lifecycle& l) {
    return l.Answer(record_, events_,
                    {D("2023-03-20"), Outcome::kDisclosed, "已公开"});
  });
  std::vector<std::string> unchecked;
  EXPECT_THAT(CompareWithHistory(record_, events_, &unchecked), IsEmpty());
  EXPECT_THAT(unchecked, IsEmpty());
  const CaseFromHistory h = ReplayHistory(events_);
  EXPECT_EQ(h.state, CaseState::kClosed);
  EXPECT_EQ(h.outcome, Outcome::kDisclosed);
  EXPECT_EQ(h.answered_on, D("2023-03-20"));
}

TEST_F(CaseHistoryTest, WithdrawalClosesWithOther) {
  Do([&](const Lifecycle& l) {
    return l.Withdraw(record_, events_, D("2023-03-08"), "");
  });
  EXPECT_THAT(CompareWithHistory(record_, events_), IsEmpty());
  EXPECT_EQ(ReplayHistory(events_).outcome, Outcome::kOther);
}

TEST_F(CaseHistoryTest, ReportsEveryChangedField) {
  Do([&](const Lifecycle& l) {
    return l.Answer(record_, events_,
                    {D("2023-03-20"), Outcome::kDisclosed, ""});
  });
  CaseRecord edited = record_;
  edited.outcome = Outcome::kOther;
  edited.answered_on = D("2023-03-21");
  edited.applicant = "李四";
  edited.agency = "tax";
  edited.assignee = "h1";
  edited.channel = Channel::kMail;
  edited.applicant_type = ApplicantType::kOtherOrg;
  edited.received_on = D("2023-03-05");
  edited.id_number = "110101199003070022";
  edited.contact = "x";
  edited.request = "另一请求";
  std::vector<FieldMismatch> m = CompareWithHistory(edited, events_);
  std::vector<std::string> fields;
  for (const FieldMismatch& f : m) fields.push_back(f.field);
  EXPECT_THAT(fields,
              ElementsAre("outcome", "answered_on", "received_on", "channel",
                          "applicant_type", "applicant", "agency", "assignee",
                          "contact", "id_number", "request"));
  EXPECT_EQ(m[0].row, "other");
  EXPECT_EQ(m[0].derived, "disclosed");
  EXPECT_EQ(m[5].row, "李四");
  EXPECT_EQ(m[5].derived, "张三");
  // Personal data is never printed in clear.
  EXPECT_EQ(m[9].row.find("199003070022"), std::string::npos);
}

TEST_F(CaseHistoryTest, StateWithoutItsEventIsReported) {
  CaseRecord edited = record_;
  edited.state = CaseState::kClosed;
  edited.outcome = Outcome::kDisclosed;
  edited.answered_on = D("2023-03-20");
  EXPECT_THAT(
      CompareWithHistory(edited, events_),
      UnorderedElementsAre(Field(&FieldMismatch::field, "state"),
                           Field(&FieldMismatch::field, "outcome"),
                           Field(&FieldMismatch::field, "answered_on")));
}

TEST(CaseHistoryOldCaseTest, FieldsAnOldReceivedEventLacksAreUnchecked) {
  // A case received before the event carried the intake fields.
  History h("2023-03-06");
  CaseEvent& first = const_cast<CaseEvent&>(h.events()[0]);
  first.details.Set("channel", "mail");
  first.details.Set("applicant_type", "natural_person");
  first.details.Set("applicant", "王五");
  CaseRecord row;
  row.received_on = D("2023-03-06");
  row.channel = Channel::kMail;
  row.applicant = "王五";
  row.agency = "psb";
  row.id_number = "anything";
  std::vector<std::string> unchecked;
  EXPECT_THAT(CompareWithHistory(row, h.events(), &unchecked), IsEmpty());
  EXPECT_THAT(unchecked,
              ElementsAre("agency", "contact", "id_number", "request"));
}

TEST(CaseHistoryOldCaseTest, NoReceivedEventIsAProblem) {
  CaseRecord row;
  EXPECT_THAT(CompareWithHistory(row, {}),
              ElementsAre(Field(&FieldMismatch::field, "history")));
}

}  // namespace
}  // namespace gongkai

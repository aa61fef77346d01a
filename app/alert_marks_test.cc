#include "app/alert_marks.h"

#include "absl/strings/str_cat.h"
#include "app/test_world.h"
#include "common/dates.h"
#include "common/lang.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace gongkai::app {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

Alert MakeAlert(const std::string& case_no, const std::string& agency,
                absl::CivilDay due) {
  Alert a;
  a.kind = "reply_overdue";
  a.case_no = case_no;
  a.agency = agency;
  a.due_on = due;
  a.key = absl::StrCat(case_no, "|reply_overdue||", FormatDate(due));
  return a;
}

class AlertMarksTest : public TestWorld {
 protected:
  // Made when used: the world's environment is set up after construction.
  AlertMarks Marks() { return AlertMarks(env_); }

  std::vector<std::string> Shown(const std::string& user, absl::CivilDay as_of,
                                 bool all = false, int* hidden = nullptr) {
    auto shown = Marks().Apply(As(user), in_force_, as_of, all);
    EXPECT_TRUE(shown.ok()) << shown.status();
    std::vector<std::string> out;
    if (!shown.ok()) return out;
    for (const MarkedAlert& m : shown->alerts) {
      out.push_back(m.mark.empty()
                        ? m.alert.case_no
                        : absl::StrCat(m.alert.case_no, " ", m.mark));
    }
    if (hidden != nullptr) *hidden = shown->hidden;
    return out;
  }

  std::vector<Alert> in_force_ = {
      MakeAlert("2025-0001", "a", absl::CivilDay(2025, 3, 5)),
      MakeAlert("2025-0002", "a", absl::CivilDay(2025, 3, 6)),
      MakeAlert("2025-0003", "b", absl::CivilDay(2025, 3, 6)),
  };
};

TEST_F(AlertMarksTest, AcknowledgedAlertsLeaveOnlyThatUsersList) {
  ASSERT_TRUE(
      Marks().Acknowledge(As("handler_a"), in_force_[0].key, in_force_).ok());
  int hidden = 0;
  EXPECT_THAT(Shown("handler_a", kToday, false, &hidden),
              ElementsAre("2025-0002"));
  EXPECT_EQ(hidden, 1);
  EXPECT_THAT(Shown("handler_a", kToday, true),
              ElementsAre("2025-0001 acknowledged", "2025-0002"));
  // Another user still sees it.
  EXPECT_THAT(Shown("head_a", kToday), ElementsAre("2025-0001", "2025-0002"));
  // A new fact about the same case (another due day) is a new alert.
  in_force_[0] = MakeAlert("2025-0001", "a", absl::CivilDay(2025, 4, 1));
  EXPECT_THAT(Shown("handler_a", kToday),
              ElementsAre("2025-0001", "2025-0002"));

  std::vector<storage::AuditEntry> events = Audit("alert_acknowledged");
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].actor, "handler_a");
  EXPECT_THAT(events[0].subject, HasSubstr("2025-0001|reply_overdue"));
}

TEST_F(AlertMarksTest, SnoozedAlertsComeBackOnTheirDay) {
  const absl::CivilDay until = kToday + 3;
  auto past =
      Marks().Snooze(As("handler_a"), in_force_[1].key, kToday, in_force_);
  EXPECT_EQ(past.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(MessageIn(past, Lang::kEn), HasSubstr("after today"));
  ASSERT_TRUE(
      Marks().Snooze(As("handler_a"), in_force_[1].key, until, in_force_).ok());
  EXPECT_THAT(Shown("handler_a", kToday), ElementsAre("2025-0001"));
  EXPECT_THAT(Shown("handler_a", until - 1), ElementsAre("2025-0001"));
  EXPECT_THAT(Shown("handler_a", until), ElementsAre("2025-0001", "2025-0002"));
  EXPECT_THAT(Shown("handler_a", kToday, true),
              ElementsAre("2025-0001", "2025-0002 snoozed"));
  // Undone, it shows again at once.
  ASSERT_TRUE(Marks().Clear(As("handler_a"), in_force_[1].key).ok());
  EXPECT_THAT(Shown("handler_a", kToday),
              ElementsAre("2025-0001", "2025-0002"));
}

TEST_F(AlertMarksTest, OnlyAlertsInForceAndInReachAreMarked) {
  auto unknown = Marks().Acknowledge(As("handler_a"), "2025-0009|x", in_force_);
  EXPECT_EQ(unknown.code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(unknown.message(), HasSubstr("2025-0009|x"));
  // Agency b's alert is as unknown to a handler of agency a.
  auto other =
      Marks().Acknowledge(As("handler_a"), in_force_[2].key, in_force_);
  EXPECT_EQ(other.code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(Shown("handler_a", kToday, true),
              ElementsAre("2025-0001", "2025-0002"));
  EXPECT_EQ(Marks().Acknowledge(As("handler_a"), "", in_force_).code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace gongkai::app

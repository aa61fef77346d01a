#include "domain/lifecycle.h"

#include "common/lang.h"
#include "domain/test_history.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace gongkai {
namespace {

using ::testing::HasSubstr;

// A case plus its events, driven through the Lifecycle like storage would.
class LifecycleTest : public ::testing::Test {
 protected:
  void SetUp() override { Receive("2023-03-06"); }

  void Receive(const char* received) {
    NewCase n;
    n.received_on = D(received);
    n.applicant = "张三";
    n.request = "请求公开";
    CaseEvent e;
    record_ = *OpenCase(n, Ctx(), &e);
    record_.case_no = "2023-0001";
    events_ = {e};
    events_[0].seq = 1;
  }
  ActionContext Ctx() const {
    return {"tester", absl::FromUnixSeconds(0), today_, late_reason_};
  }
  Lifecycle Life() const {
    return Lifecycle(Ctx(), WorkCalendar::Official(), {});
  }

  // Applies a transition; on success keeps the event, like a commit.
  template <typename F>
  absl::Status Do(F f) {
    CaseRecord before = record_;
    absl::StatusOr<CaseEvent> e = f(Life());
    if (!e.ok()) {
      EXPECT_EQ(record_.version, before.version) << "record changed on error";
      EXPECT_EQ(record_.state, before.state);
      return e.status();
    }
    e->seq = static_cast<int64_t>(events_.size()) + 1;
    events_.push_back(*e);
    return absl::OkStatus();
  }
  absl::Status Answer(const char* date, Outcome o) {
    return Do([&](const Lifecycle& l) {
      return l.Answer(record_, events_, {D(date), o, ""});
    });
  }
  absl::Status Correction(const char* date, int days = 10) {
    return Do([&](const Lifecycle& l) {
      return l.RequestCorrection(record_, events_, D(date), days);
    });
  }
  absl::Status Corrected(const char* date) {
    return Do([&](const Lifecycle& l) {
      return l.RecordCorrection(record_, events_, D(date));
    });
  }
  absl::Status Consult(const char* date, const char* party = "某公司") {
    return Do([&](const Lifecycle& l) {
      return l.StartConsultation(record_, events_, {D(date), party, false});
    });
  }
  absl::Status Reply(const char* date, const char* id = "") {
    return Do([&](const Lifecycle& l) {
      return l.RecordConsultationReply(record_, events_, D(date), id);
    });
  }
  absl::Status Extend(const char* date, int days, bool art35 = false) {
    return Do([&](const Lifecycle& l) {
      return l.Extend(record_, events_,
                      {D(date), days, art35, "主任", "情况复杂"});
    });
  }
  absl::Status FeeNotice(const char* date, int64_t fen = 30000) {
    return Do([&](const Lifecycle& l) {
      return l.SendFeeNotice(record_, events_, D(date), fen);
    });
  }
  absl::Status FeePaid(const char* date) {
    return Do([&](const Lifecycle& l) {
      return l.RecordFeePayment(record_, events_, D(date));
    });
  }

  ClockReport Now() const {
    return *ComputeClocks(events_, WorkCalendar::Official(), {}, today_);
  }

  absl::CivilDay today_ = D("2023-12-29");
  std::string late_reason_;
  CaseRecord record_;
  std::vector<CaseEvent> events_;
};

MATCHER(IsFailedPrecondition, "") {
  return arg.code() == absl::StatusCode::kFailedPrecondition;
}
MATCHER(IsInvalidArgument, "") {
  return arg.code() == absl::StatusCode::kInvalidArgument;
}

TEST_F(LifecycleTest, AnswerClosesOnce) {
  ASSERT_TRUE(Answer("2023-03-20", Outcome::kUnavailableNotHeld).ok());
  EXPECT_EQ(record_.state, CaseState::kClosed);
  EXPECT_EQ(record_.version, 2);
  absl::Status again = Answer("2023-03-21", Outcome::kDisclosed);
  EXPECT_THAT(again, IsFailedPrecondition());
  EXPECT_THAT(MessageIn(again, Lang::kEn), HasSubstr("already closed"));
  EXPECT_EQ(*record_.outcome, Outcome::kUnavailableNotHeld);
}

TEST_F(LifecycleTest, AnswerDatesAreChecked) {
  EXPECT_THAT(Answer("2023-03-05", Outcome::kDisclosed), IsInvalidArgument());
  EXPECT_THAT(Answer("2023-12-30", Outcome::kDisclosed), IsInvalidArgument());
  EXPECT_TRUE(Answer("2023-03-06", Outcome::kDisclosed).ok());  // same day
}

TEST_F(LifecycleTest, CorrectionFlow) {
  ASSERT_TRUE(Correction("2023-03-08").ok());
  EXPECT_EQ(record_.state, CaseState::kAwaitingCorrection);
  EXPECT_THAT(Correction("2023-03-09"), IsFailedPrecondition());  // only once
  EXPECT_THAT(Answer("2023-03-10", Outcome::kDisclosed),
              IsFailedPrecondition());
  EXPECT_THAT(Extend("2023-03-10", 5), IsFailedPrecondition());
  EXPECT_THAT(Corrected("2023-03-07"), IsInvalidArgument());  // before notice
  ASSERT_TRUE(Corrected("2023-03-15").ok());
  EXPECT_EQ(record_.state, CaseState::kOpen);
  EXPECT_THAT(Corrected("2023-03-16"), IsFailedPrecondition());
  EXPECT_TRUE(
      Answer("2023-04-01", Outcome::kUnavailableUnclearAfterCorrection).ok());
}

TEST_F(LifecycleTest, NoCorrectionOnlyAfterThePeriod) {
  ASSERT_TRUE(Correction("2023-03-08", 10).ok());  // period ends 2023-03-22
  absl::Status early = Answer("2023-03-22", Outcome::kOtherNoCorrection);
  EXPECT_THAT(early, IsFailedPrecondition());
  EXPECT_THAT(MessageIn(early, Lang::kEn), HasSubstr("runs until 2023-03-22"));
  EXPECT_TRUE(Answer("2023-03-23", Outcome::kOtherNoCorrection).ok());
}

TEST_F(LifecycleTest, OutcomesThatNeedTheirHistory) {
  EXPECT_THAT(Answer("2023-03-10", Outcome::kOtherNoCorrection),
              IsFailedPrecondition());
  EXPECT_THAT(Answer("2023-03-10", Outcome::kUnavailableUnclearAfterCorrection),
              IsFailedPrecondition());
  EXPECT_THAT(Answer("2023-03-10", Outcome::kOtherFeeUnpaid),
              IsFailedPrecondition());
}

TEST_F(LifecycleTest, CorrectionAfterAnswerIsRefused) {
  ASSERT_TRUE(Answer("2023-03-10", Outcome::kDisclosed).ok());
  EXPECT_THAT(Correction("2023-03-11"), IsFailedPrecondition());
}

TEST_F(LifecycleTest, ConsultationReplies) {
  absl::Status none = Reply("2023-03-10");
  EXPECT_THAT(none, IsFailedPrecondition());
  EXPECT_THAT(MessageIn(none, Lang::kEn),
              HasSubstr("no consultation awaiting a reply"));
  ASSERT_TRUE(Consult("2023-03-08", "甲").ok());
  ASSERT_TRUE(Consult("2023-03-09", "乙").ok());
  EXPECT_EQ(events_.back().details.Find("id")->as_string(), "C2");
  EXPECT_THAT(Reply("2023-03-10"), IsInvalidArgument());        // which one?
  EXPECT_THAT(Reply("2023-03-07", "C1"), IsInvalidArgument());  // before sent
  EXPECT_THAT(Reply("2023-03-10", "C9"), IsFailedPrecondition());
  ASSERT_TRUE(Reply("2023-03-10", "C1").ok());
  ASSERT_TRUE(Reply("2023-03-11").ok());  // only C2 left
  EXPECT_THAT(Reply("2023-03-12"), IsFailedPrecondition());
  EXPECT_THAT(Consult("2023-03-12", ""), IsInvalidArgument());
}

TEST_F(LifecycleTest, OneExtensionWithinLimitsBeforeTheDeadline) {
  EXPECT_THAT(Extend("2023-03-20", 21), IsInvalidArgument());
  EXPECT_THAT(Extend("2023-04-04", 10), IsFailedPrecondition());  // due 04-03
  ASSERT_TRUE(Extend("2023-04-03", 20).ok());  // on the last day is in time
  absl::Status second = Extend("2023-04-05", 5);
  EXPECT_THAT(second, IsFailedPrecondition());
  EXPECT_THAT(MessageIn(second, Lang::kEn), HasSubstr("at most one extension"));
}

TEST_F(LifecycleTest, LegacyCasesExtendAtMostFifteen) {
  Receive("2019-05-06");
  EXPECT_THAT(Extend("2019-05-10", 16), IsInvalidArgument());
  EXPECT_TRUE(Extend("2019-05-10", 15).ok());
}

TEST_F(LifecycleTest, Article35ExtensionNeedsNoTwentyDayCap) {
  EXPECT_TRUE(Extend("2023-03-10", 60, /*art35=*/true).ok());
  EXPECT_EQ(events_.back().details.Find("kind")->as_string(),
            "unreasonable_volume");
}

TEST_F(LifecycleTest, FeeFlow) {
  EXPECT_THAT(FeePaid("2023-03-10"), IsFailedPrecondition());  // no notice
  EXPECT_THAT(FeeNotice("2023-03-10", 0), IsInvalidArgument());
  ASSERT_TRUE(FeeNotice("2023-03-10").ok());
  EXPECT_EQ(record_.state, CaseState::kAwaitingFee);
  EXPECT_THAT(FeeNotice("2023-03-11"), IsFailedPrecondition());
  EXPECT_THAT(Answer("2023-03-12", Outcome::kDisclosed),
              IsFailedPrecondition());
  EXPECT_THAT(Answer("2023-04-10", Outcome::kOtherFeeUnpaid),
              IsFailedPrecondition());
  ASSERT_TRUE(FeePaid("2023-03-20").ok());
  EXPECT_EQ(record_.state, CaseState::kOpen);
  EXPECT_TRUE(Answer("2023-03-25", Outcome::kDisclosed).ok());
}

TEST_F(LifecycleTest, UnpaidFeeClosesAfterThePeriod) {
  ASSERT_TRUE(FeeNotice("2023-03-10").ok());  // payment due 2023-04-10
  EXPECT_TRUE(Answer("2023-04-11", Outcome::kOtherFeeUnpaid).ok());
}

TEST_F(LifecycleTest, FeeNoticeAfterTheDeadlineIsRefused) {
  EXPECT_THAT(FeeNotice("2023-04-04"), IsFailedPrecondition());
}

TEST_F(LifecycleTest, WithdrawClosesWithOther) {
  ASSERT_TRUE(Do([&](const Lifecycle& l) {
                return l.Withdraw(record_, events_, D("2023-03-09"),
                                  "不再需要");
              }).ok());
  EXPECT_EQ(record_.state, CaseState::kClosed);
  EXPECT_EQ(*record_.outcome, Outcome::kOther);
  EXPECT_EQ(events_.back().kind, "withdrawn");
  EXPECT_THAT(Answer("2023-03-10", Outcome::kDisclosed),
              IsFailedPrecondition());
}

}  // namespace
}  // namespace gongkai

namespace gongkai {
namespace {

// The case of Mon 2023-03-06 is due 2023-04-03 (20 working days).

TEST_F(LifecycleTest, LateCorrectionNoticeIsRefusedOrKeptWithoutRestart) {
  absl::Status late = Correction("2023-04-04");
  EXPECT_THAT(late, IsFailedPrecondition());
  EXPECT_THAT(MessageIn(late, Lang::kEn), HasSubstr("Arts. 30, 33"));
  EXPECT_THAT(MessageIn(late, Lang::kEn), HasSubstr("2023-04-03"));
  EXPECT_THAT(MessageIn(late, Lang::kEn), HasSubstr("--late-reason"));
  EXPECT_EQ(events_.size(), 1u);

  late_reason_ = "补正告知书已于4月4日寄出";
  ASSERT_TRUE(Correction("2023-04-04").ok());
  EXPECT_EQ(events_.back().details.Find("late_reason")->as_string(),
            late_reason_);
  late_reason_.clear();
  ASSERT_TRUE(Corrected("2023-04-10").ok());
  EXPECT_EQ(*Now().reply_due, D("2023-04-03"));
}

TEST_F(LifecycleTest, LateConsultationIsRefusedOrKeptWithoutPause) {
  absl::Status late = Consult("2023-04-04");
  EXPECT_THAT(late, IsFailedPrecondition());
  EXPECT_THAT(MessageIn(late, Lang::kEn), HasSubstr("Arts. 32, 33, 34"));
  EXPECT_TRUE(Consult("2023-04-03").ok());  // on the deadline day: in time
}

TEST_F(LifecycleTest, ConsultationReceiptMovesTheLapse) {
  ASSERT_TRUE(Do([&](const Lifecycle& l) {
                return l.StartConsultation(
                    record_, events_,
                    {D("2023-03-08"), "某公司", false, D("2023-03-13")});
              }).ok());
  EXPECT_EQ(Now().consultations[0].lapses_on, D("2023-04-03"));
  // Receipt recorded twice, or before the letter, is refused.
  EXPECT_THAT(Do([&](const Lifecycle& l) {
                return l.RecordConsultationReceipt(record_, events_,
                                                   D("2023-03-14"), "C1");
              }),
              IsFailedPrecondition());
  ASSERT_TRUE(Consult("2023-03-09", "乙局").ok());
  EXPECT_THAT(Do([&](const Lifecycle& l) {
                return l.RecordConsultationReceipt(record_, events_,
                                                   D("2023-03-08"), "C2");
              }),
              IsInvalidArgument());
  ASSERT_TRUE(Do([&](const Lifecycle& l) {
                return l.RecordConsultationReceipt(record_, events_,
                                                   D("2023-03-10"), "C2");
              }).ok());
  // 15 working days after Fri 03-10 -> Fri 03-31.
  EXPECT_EQ(Now().consultations[1].lapses_on, D("2023-03-31"));
}

TEST_F(LifecycleTest, LatePaymentIsRefusedOrKeptWithinThePeriod) {
  ASSERT_TRUE(FeeNotice("2023-03-10").ok());  // payment due 2023-04-10
  absl::Status late = FeePaid("2023-05-15");
  EXPECT_THAT(late, IsFailedPrecondition());
  EXPECT_THAT(MessageIn(late, Lang::kEn), HasSubstr("视为放弃申请"));
  EXPECT_THAT(MessageIn(late, Lang::kEn), HasSubstr("2023-04-10"));
  EXPECT_TRUE(FeePaid("2023-04-10").ok());  // the last day is in time
}

TEST_F(LifecycleTest, ExtensionAfterRestartIsAllowed) {
  ASSERT_TRUE(Extend("2023-03-07", 20).ok());
  ASSERT_TRUE(Correction("2023-03-08").ok());
  ASSERT_TRUE(Corrected("2023-03-20").ok());
  EXPECT_TRUE(Extend("2023-04-03", 15).ok());
  EXPECT_THAT(Extend("2023-04-04", 5), IsFailedPrecondition());  // one only
}

TEST_F(LifecycleTest, Article35AndArticle33AreSeparate) {
  ASSERT_TRUE(Extend("2023-03-20", 30, /*art35=*/true).ok());
  EXPECT_TRUE(Extend("2023-03-27", 10).ok());
  EXPECT_THAT(Extend("2023-03-28", 10, /*art35=*/true), IsFailedPrecondition());
}

TEST_F(LifecycleTest, LateExtensionIsRefusedOrKeptWithoutEffect) {
  absl::Status late = Extend("2023-04-04", 10);
  EXPECT_THAT(late, IsFailedPrecondition());
  EXPECT_THAT(MessageIn(late, Lang::kEn), HasSubstr("Art. 33"));
  late_reason_ = "主任4月4日才批准";
  ASSERT_TRUE(Extend("2023-04-04", 10).ok());
  EXPECT_EQ(*Now().reply_due, D("2023-04-03"));
  EXPECT_FALSE(Now().extended);
}

TEST_F(LifecycleTest, CompleteEndsTheCorrectionNoticeClock) {
  ASSERT_TRUE(Do([&](const Lifecycle& l) {
                return l.MarkComplete(record_, events_, D("2023-03-07"), "");
              }).ok());
  EXPECT_EQ(events_.back().kind, "complete");
  EXPECT_THAT(Do([&](const Lifecycle& l) {
                return l.MarkComplete(record_, events_, D("2023-03-08"), "");
              }),
              IsFailedPrecondition());
  // A correction notice after that needs a reason.
  EXPECT_THAT(Correction("2023-03-08"), IsFailedPrecondition());
  late_reason_ = "复核发现申请内容不明确";
  EXPECT_TRUE(Correction("2023-03-08").ok());
}

TEST_F(LifecycleTest, CorrectionAfterTheApplicantsPeriodNeedsAGoodReason) {
  ASSERT_TRUE(Correction("2023-03-08", 10).ok());  // period until 03-22
  EXPECT_THAT(Corrected("2023-03-23"), IsFailedPrecondition());
  late_reason_ = "申请人因病住院，提供了证明";
  ASSERT_TRUE(Corrected("2023-03-23").ok());
  EXPECT_EQ(Now().reply_start, D("2023-03-23"));  // still a fresh period
}

}  // namespace
}  // namespace gongkai

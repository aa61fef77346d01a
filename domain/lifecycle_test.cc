#include "domain/lifecycle.h"

#include "common/lang.h"
#include "domain/case_history.h"
#include "domain/permissions.h"
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

// Amendments and reopenings (domain/amendment.h).

AmendInput Because(const char* reason) {
  AmendInput in;
  in.reason = reason;
  return in;
}

TEST_F(LifecycleTest, AmendedReceiptDateMovesTheReplyDeadline) {
  EXPECT_EQ(*Now().reply_due, D("2023-04-03"));
  AmendInput in = Because("收件登记时日期录错");
  in.received_on = D("2023-03-01");
  ASSERT_TRUE(Do([&](const Lifecycle& l) {
                return l.Amend(record_, events_, in);
              }).ok());
  EXPECT_EQ(record_.received_on, D("2023-03-01"));
  const CaseEvent& e = events_.back();
  EXPECT_EQ(e.kind, "amended");
  EXPECT_EQ(e.details.Find("received_on_before")->as_string(), "2023-03-06");
  EXPECT_EQ(e.details.Find("received_on_after")->as_string(), "2023-03-01");
  // The clocks start from the amended date, as for a case received then.
  const ClockReport fresh = *ComputeClocks(
      History("2023-03-01").events(), WorkCalendar::Official(), {}, today_);
  EXPECT_EQ(Now().received_on, D("2023-03-01"));
  EXPECT_EQ(*Now().reply_due, *fresh.reply_due);
  EXPECT_NE(*fresh.reply_due, D("2023-04-03"));
  EXPECT_EQ(*ReplayHistory(events_).received_on, D("2023-03-01"));
}

TEST_F(LifecycleTest, AmendedReceiptDateMayNotFollowAStepOrToday) {
  ASSERT_TRUE(Consult("2023-03-10").ok());
  AmendInput in = Because("录错");
  in.received_on = D("2023-03-13");
  absl::Status after_step =
      Do([&](const Lifecycle& l) { return l.Amend(record_, events_, in); });
  EXPECT_THAT(after_step, IsInvalidArgument());
  EXPECT_THAT(after_step.message(), HasSubstr("2023-03-10"));
  EXPECT_THAT(MessageIn(after_step, Lang::kEn),
              HasSubstr("first recorded step"));
  in.received_on = D("2023-12-30");  // tomorrow
  EXPECT_THAT(
      Do([&](const Lifecycle& l) { return l.Amend(record_, events_, in); }),
      IsInvalidArgument());
  in.received_on = D("2023-03-10");  // the day of the step itself is fine
  EXPECT_TRUE(Do([&](const Lifecycle& l) {
                return l.Amend(record_, events_, in);
              }).ok());
}

TEST_F(LifecycleTest, AmendmentWithoutChangeWritesNothing) {
  auto amend = [&](const AmendInput& in) {
    return Do(
        [&](const Lifecycle& l) { return l.Amend(record_, events_, in); });
  };
  EXPECT_THAT(amend(Because("无")), IsInvalidArgument());  // no field
  AmendInput same = Because("核对");
  same.applicant = " 张三 ";  // as logged, once trimmed
  same.applicant_type = ApplicantType::kNaturalPerson;
  absl::Status nothing = amend(same);
  EXPECT_THAT(nothing, IsFailedPrecondition());
  EXPECT_THAT(nothing.message(), HasSubstr("申请人类型"));
  EXPECT_THAT(MessageIn(nothing, Lang::kEn), HasSubstr("nothing written"));
  AmendInput no_reason;
  no_reason.applicant = "李四";
  EXPECT_THAT(amend(no_reason), IsInvalidArgument());
  EXPECT_EQ(events_.size(), 1u);
  // Only what differs is recorded; the unchanged field is not.
  same.applicant_type = ApplicantType::kCommercialEnterprise;
  ASSERT_TRUE(amend(same).ok());
  EXPECT_EQ(events_.back().details.Find("changed")->as_string(),
            "applicant_type");
  EXPECT_EQ(events_.back().details.Find("applicant_before"), nullptr);
}

TEST_F(LifecycleTest, AmendmentIsValidatedAsAtCreation) {
  AmendInput in = Because("录错");
  in.applicant = "   ";
  NewCase empty_name;
  empty_name.received_on = D("2023-03-06");
  empty_name.request = "请求公开";
  CaseEvent unused;
  const absl::Status at_creation =
      OpenCase(empty_name, Ctx(), &unused).status();
  const absl::Status amended =
      Do([&](const Lifecycle& l) { return l.Amend(record_, events_, in); });
  EXPECT_THAT(amended, IsInvalidArgument());
  EXPECT_EQ(amended.message(), at_creation.message());
  in.applicant = std::nullopt;
  in.contact = std::string(kMaxContactChars + 1, 'x');
  EXPECT_THAT(
      Do([&](const Lifecycle& l) { return l.Amend(record_, events_, in); }),
      IsInvalidArgument());
  EXPECT_EQ(record_.contact, "");
}

TEST_F(LifecycleTest, AmendedPersonalDataIsRecordedMasked) {
  record_.id_number = "110101199001011234";
  AmendInput in = Because("身份证号录错一位");
  in.id_number = "110101199001011235";
  in.contact = "北京市东城区某街道1号 13800000000";
  ASSERT_TRUE(Do([&](const Lifecycle& l) {
                return l.Amend(record_, events_, in);
              }).ok());
  const CaseEvent& e = events_.back();
  EXPECT_EQ(e.details.Find("changed")->as_string(), "contact,id_number");
  EXPECT_EQ(e.details.Find("id_number_before")->as_string(),
            MaskSensitive("110101199001011234"));
  EXPECT_EQ(e.details.Find("id_number_after")->as_string(),
            MaskSensitive("110101199001011235"));
  EXPECT_THAT(e.details.Dump(), ::testing::Not(HasSubstr("19900101123")));
  EXPECT_THAT(e.details.Dump(), ::testing::Not(HasSubstr("13800000000")));
  // The digests are those of the intake as it now stands.
  EXPECT_EQ(
      e.details.Find("id_number_sha256")->as_string(),
      IntakeDigest("id_number", "张三", D("2023-03-06"), "110101199001011235"));
  EXPECT_EQ(*ReplayHistory(events_).id_number_digest,
            e.details.Find("id_number_sha256")->as_string());
  EXPECT_EQ(record_.id_number, "110101199001011235");
}

TEST_F(LifecycleTest, AmendmentReadsAsBeforeAndAfter) {
  AmendInput in = Because("录入错误");
  in.applicant_type = ApplicantType::kCommercialEnterprise;
  ASSERT_TRUE(Do([&](const Lifecycle& l) {
                return l.Amend(record_, events_, in);
              }).ok());
  EXPECT_EQ(DescribeEvent(events_.back(), Lang::kZh),
            "更正 申请人类型：自然人 → 商业企业；原因：录入错误");
  auto detail = [&](absl::string_view k) -> std::string {
    const Json* v = events_.back().details.Find(k);
    return v != nullptr && v->is_string() ? v->as_string() : "";
  };
  EXPECT_EQ(DescribeAmendment(detail, Lang::kEn),
            "amended applicant type: natural_person → commercial_enterprise; "
            "reason: 录入错误");
  EXPECT_EQ(*ReplayHistory(events_).applicant_type,
            ApplicantType::kCommercialEnterprise);
}

TEST_F(LifecycleTest, ReopenedCaseIsAnsweredAgain) {
  ASSERT_TRUE(Answer("2023-03-20", Outcome::kDisclosed).ok());
  auto reopen = [&](const char* why) {
    return Do(
        [&](const Lifecycle& l) { return l.Reopen(record_, events_, why); });
  };
  EXPECT_THAT(reopen(""), IsInvalidArgument());
  ASSERT_TRUE(reopen("办理结果登记错误，实为部分公开").ok());
  EXPECT_EQ(record_.state, CaseState::kOpen);
  EXPECT_FALSE(record_.outcome.has_value());
  EXPECT_FALSE(record_.answered_on.has_value());
  const CaseEvent& r = events_.back();
  EXPECT_EQ(r.kind, "reopened");
  EXPECT_EQ(r.details.Find("outcome_before")->as_string(), "disclosed");
  EXPECT_EQ(r.details.Find("reopens_seq")->as_int(), 2);
  EXPECT_FALSE(Now().closed_on.has_value());  // the old answer ends nothing
  EXPECT_THAT(reopen("再来一次"), IsFailedPrecondition());  // open now
  ASSERT_TRUE(Answer("2023-03-20", Outcome::kPartiallyDisclosed).ok());
  EXPECT_EQ(*Now().closed_on, D("2023-03-20"));
  const CaseFromHistory h = ReplayHistory(events_);
  EXPECT_EQ(*h.outcome, Outcome::kPartiallyDisclosed);
  EXPECT_EQ(*h.answered_on, D("2023-03-20"));
  EXPECT_EQ(events_.size(), 4u);  // nothing deleted
}

TEST_F(LifecycleTest, ReopenedWithdrawalAndWaitingStates) {
  ASSERT_TRUE(Do([&](const Lifecycle& l) {
                return l.Withdraw(record_, events_, D("2023-03-09"), "");
              }).ok());
  ASSERT_TRUE(Do([&](const Lifecycle& l) {
                return l.Reopen(record_, events_, "撤回登记错案");
              }).ok());
  EXPECT_EQ(record_.state, CaseState::kOpen);
  EXPECT_FALSE(ReplayHistory(events_).outcome.has_value());
  // A case closed for no correction returns to awaiting the correction.
  ASSERT_TRUE(Correction("2023-03-10", 10).ok());
  ASSERT_TRUE(Answer("2023-04-10", Outcome::kOtherNoCorrection).ok());
  ASSERT_TRUE(Do([&](const Lifecycle& l) {
                return l.Reopen(record_, events_, "补正材料其实已按时寄到");
              }).ok());
  EXPECT_EQ(record_.state, CaseState::kAwaitingCorrection);
  late_reason_ = "补正材料在收发室滞留";
  EXPECT_TRUE(Corrected("2023-03-20").ok());
}

}  // namespace
}  // namespace gongkai

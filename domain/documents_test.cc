#include "domain/documents.h"

#include <set>

#include "absl/strings/match.h"
#include "domain/lifecycle.h"
#include "domain/test_history.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace gongkai {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

TEST(ChineseDateTest, WritesEveryPartInChineseNumerals) {
  EXPECT_EQ(ChineseDate(D("2024-03-06")), "二〇二四年三月六日");
  EXPECT_EQ(ChineseDate(D("2023-12-31")), "二〇二三年十二月三十一日");
  EXPECT_EQ(ChineseDate(D("2020-10-10")), "二〇二〇年十月十日");
  EXPECT_EQ(ChineseDate(D("2021-11-20")), "二〇二一年十一月二十日");
  EXPECT_EQ(ChineseDate(D("2019-01-19")), "二〇一九年一月十九日");
}

TEST(ChineseYuanTest, TwoDecimals) {
  EXPECT_EQ(ChineseYuan(10000), "100.00元");
  EXPECT_EQ(ChineseYuan(5), "0.05元");
  EXPECT_EQ(ChineseYuan(123450), "1234.50元");
}

TEST(DocumentNumberTest, PrefixYearAndSequence) {
  EXPECT_EQ(DocumentNumber("驻公信", 2023, 47), "驻公信〔2023〕47号");
}

TEST(QueryCodeTest, MadeFromTheAlphabetWithoutBias) {
  std::string bytes;
  for (int i = 0; i < 8; ++i) bytes.push_back(static_cast<char>(i));
  EXPECT_EQ(QueryCodeFromBytes(bytes), "ACDEFGHJ");
  // Bytes at or above 234 (9 * 26) are skipped rather than folded.
  std::string skewed = "\xff\xfe";
  skewed += bytes;
  EXPECT_EQ(QueryCodeFromBytes(skewed), "ACDEFGHJ");
  EXPECT_EQ(FormatQueryCode("ACDEFGHJ"), "ACDE-FGHJ");
}

TEST(QueryCodeTest, NormalizesWhatWasTyped) {
  EXPECT_EQ(*NormalizeQueryCode(" acde-fghj "), "ACDEFGHJ");
  EXPECT_EQ(*NormalizeQueryCode("ACDE FGHJ"), "ACDEFGHJ");
  // O, 0, 1, I are not in the alphabet; too short is not a code.
  EXPECT_EQ(NormalizeQueryCode("ACDE-FGH0").status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(NormalizeQueryCode("ACDE").status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(MessageIn(NormalizeQueryCode("x").status(), Lang::kEn),
              HasSubstr("not a query code"));
}

TEST(DocumentKindTest, ParsesCodesAndChineseNames) {
  EXPECT_EQ(*ParseDocumentKind("reply"), DocumentKind::kReply);
  EXPECT_EQ(*ParseDocumentKind("补正告知书"), DocumentKind::kCorrection);
  absl::Status bad = ParseDocumentKind("letter").status();
  EXPECT_EQ(bad.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(MessageIn(bad, Lang::kEn), HasSubstr("receipt"));
}

TEST(ReplyTemplateTest, OneTemplatePerOutcomeGroup) {
  for (const OutcomeInfo& o : AllOutcomes()) {
    const absl::string_view name = ReplyTemplateName(o.value);
    ASSERT_NE(FindTemplate(name), nullptr) << o.code;
    EXPECT_EQ(FindTemplate(name)->kind, DocumentKind::kReply);
    if (absl::StartsWith(o.group, "（三）")) {
      EXPECT_EQ(name, "reply_withheld");
    }
    if (absl::StartsWith(o.group, "（四）")) {
      EXPECT_EQ(name, "reply_unavailable");
    }
    if (absl::StartsWith(o.group, "（五）")) {
      EXPECT_EQ(name, "reply_not_handled");
    }
    if (absl::StartsWith(o.group, "（六）")) {
      EXPECT_EQ(name, "reply_other");
    }
    EXPECT_THAT(LegalBasis(o.value),
                StartsWith("《中华人民共和国政府信息公开条例》"));
  }
  EXPECT_EQ(ReplyTemplateName(Outcome::kDisclosed), "reply_disclosed");
  EXPECT_EQ(ReplyTemplateName(Outcome::kPartiallyDisclosed), "reply_partial");
}

TEST(LegalBasisTest, CitesTheArticlesOfEachOutcome) {
  EXPECT_EQ(LegalBasis(Outcome::kWithheldStateSecret),
            "《中华人民共和国政府信息公开条例》第三十六条第（三）项、第十四条");
  EXPECT_THAT(LegalBasis(Outcome::kWithheldThirdPartyRights),
              HasSubstr("第十五条"));
  EXPECT_THAT(LegalBasis(Outcome::kWithheldInternalAffairs),
              HasSubstr("第十六条第一款"));
  EXPECT_THAT(LegalBasis(Outcome::kWithheldProcessInfo),
              HasSubstr("第十六条第二款"));
  EXPECT_THAT(LegalBasis(Outcome::kPartiallyDisclosed),
              HasSubstr("第三十七条"));
  EXPECT_THAT(LegalBasis(Outcome::kUnavailableNeedsCreation),
              HasSubstr("第三十八条"));
  EXPECT_THAT(LegalBasis(Outcome::kUnavailableUnclearAfterCorrection),
              HasSubstr("第三十条"));
  EXPECT_THAT(LegalBasis(Outcome::kRejectedDuplicate),
              HasSubstr("第三十六条第（六）项"));
  EXPECT_THAT(LegalBasis(Outcome::kOtherFeeUnpaid), HasSubstr("109号"));
}

TEST(TemplatePlaceholdersTest, RefusesUnknownAndForeignNames) {
  EXPECT_TRUE(
      CheckTemplatePlaceholders("receipt", {"申请人", "查询码", "答复期限"})
          .ok());
  absl::Status unknown = CheckTemplatePlaceholders("receipt", {"申请人名"});
  EXPECT_EQ(unknown.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(unknown.message(), HasSubstr("{{申请人名}}"));
  EXPECT_THAT(MessageIn(unknown, Lang::kEn), HasSubstr("unknown placeholder"));
  absl::Status foreign = CheckTemplatePlaceholders("receipt", {"补正事项"});
  EXPECT_EQ(foreign.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(foreign.message(), HasSubstr("{{补正事项}}"));
  EXPECT_TRUE(CheckTemplatePlaceholders("reply_partial", {"法律依据"}).ok());
  EXPECT_EQ(CheckTemplatePlaceholders("answer", {}).code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(DocumentSettingsTest, ValidatesThePrefix) {
  DocumentSettings s;
  s.number_prefix = "驻公信";
  EXPECT_TRUE(ValidateDocumentSettings(s).ok());
  s.number_prefix = "驻公信〔2024〕";
  EXPECT_EQ(ValidateDocumentSettings(s).code(),
            absl::StatusCode::kInvalidArgument);
  s.number_prefix = "";
  s.address = "一行\n两行";
  EXPECT_EQ(ValidateDocumentSettings(s).code(),
            absl::StatusCode::kInvalidArgument);
}

// A case received on Wednesday 2024-03-06, walked through the lifecycle
// like storage would, and its documents' values.
class DocumentValuesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    NewCase n;
    n.received_on = D("2024-03-06");
    n.channel = Channel::kOnline;
    n.applicant = "张三";
    n.request = "请求公开某项目的批复文件";
    CaseEvent e;
    record_ = *OpenCase(n, Ctx(), &e);
    record_.case_no = "2024-0001";
    record_.query_code = "ACDEFGHJ";
    events_ = {e};
    events_[0].seq = 1;
    settings_.full_name = "某市某局";
    settings_.address = "某市某路1号";
    settings_.contact = "0000-12345678";
    settings_.reconsideration_body = "某市人民政府";
    settings_.court = "某市某区人民法院";
    settings_.number_prefix = "某公信";
  }
  ActionContext Ctx() const {
    return {"tester", absl::FromUnixSeconds(0), D("2024-06-28"), ""};
  }
  template <typename F>
  void Do(F f) {
    Lifecycle l(Ctx(), WorkCalendar::Official(), {});
    absl::StatusOr<CaseEvent> e = f(l);
    ASSERT_TRUE(e.ok()) << e.status();
    e->seq = static_cast<int64_t>(events_.size()) + 1;
    events_.push_back(*e);
  }
  absl::StatusOr<DocumentTarget> Target(DocumentKind kind,
                                        absl::string_view id = "") {
    return ResolveDocument(record_, events_, kind, id);
  }
  // The values of `kind` on the date of its step, numbered 3.
  absl::StatusOr<std::map<std::string, std::string>> Values(
      DocumentKind kind, DocumentExtras extras = {},
      absl::string_view id = "") {
    absl::StatusOr<DocumentTarget> t = Target(kind, id);
    if (!t.ok()) return t.status();
    absl::StatusOr<ClockReport> clocks =
        ComputeClocks(events_, WorkCalendar::Official(), {}, t->step_on);
    if (!clocks.ok()) return clocks.status();
    DocumentFacts facts;
    facts.record = &record_;
    facts.clocks = &*clocks;
    facts.settings = settings_;
    facts.number =
        DocumentNumber(settings_.number_prefix, t->step_on.year(), 3);
    facts.date = t->step_on;
    facts.extras = extras;
    return DocumentValues(*t, facts);
  }

  CaseRecord record_;
  std::vector<CaseEvent> events_;
  DocumentSettings settings_;
};

TEST_F(DocumentValuesTest, ReceiptCarriesTheFactsOfTheApplication) {
  auto v = Values(DocumentKind::kReceipt);
  ASSERT_TRUE(v.ok()) << v.status();
  EXPECT_EQ(Target(DocumentKind::kReceipt)->template_name, "receipt");
  EXPECT_EQ(v->at("机关名称"), "某市某局");
  EXPECT_EQ(v->at("文号"), "某公信〔2024〕3号");
  EXPECT_EQ(v->at("文书日期"), "二〇二四年三月六日");
  EXPECT_EQ(v->at("收到日期"), "二〇二四年三月六日");
  EXPECT_EQ(v->at("申请人"), "张三");
  EXPECT_EQ(v->at("编号"), "2024-0001");
  EXPECT_EQ(v->at("申请方式"), Info(Channel::kOnline).label);
  EXPECT_EQ(v->at("申请内容"), "请求公开某项目的批复文件");
  // 20 working days after Wednesday 6 March 2024: 3 April, before the
  // Qingming holiday.
  EXPECT_EQ(v->at("答复期限"), "二〇二四年四月三日");
  EXPECT_EQ(v->at("查询码"), "ACDE-FGHJ");
  EXPECT_EQ(v->at("复议机关"), "某市人民政府");
  EXPECT_EQ(v->at("诉讼法院"), "某市某区人民法院");
}

TEST_F(DocumentValuesTest, FallsBackToTheAgencyNameWithoutAFullName) {
  settings_.full_name = "";
  auto t = Target(DocumentKind::kReceipt);
  ClockReport clocks =
      *ComputeClocks(events_, WorkCalendar::Official(), {}, t->step_on);
  DocumentFacts facts{&record_, &clocks, settings_, "某局", "", t->step_on, {}};
  EXPECT_EQ(DocumentValues(*t, facts)->at("机关名称"), "某局");
}

TEST_F(DocumentValuesTest, EveryKindGivesExactlyItsCatalogueNames) {
  Do([&](const Lifecycle& l) {
    return l.StartConsultation(record_, events_,
                               {D("2024-03-11"), "某公司", false, {}});
  });
  Do([&](const Lifecycle& l) {
    return l.RecordConsultationReply(record_, events_, D("2024-03-15"), "");
  });
  Do([&](const Lifecycle& l) {
    return l.Extend(record_, events_,
                    {D("2024-03-20"), 20, false, "李主任", "需要调取档案"});
  });
  Do([&](const Lifecycle& l) {
    return l.Extend(record_, events_,
                    {D("2024-03-21"), 30, true, "李主任", "申请数量明显过多"});
  });
  Do([&](const Lifecycle& l) {
    return l.SendFeeNotice(record_, events_, D("2024-03-22"), 10000);
  });
  Do([&](const Lifecycle& l) {
    return l.RecordFeePayment(record_, events_, D("2024-03-25"));
  });
  Do([&](const Lifecycle& l) {
    return l.Answer(record_, events_,
                    {D("2024-04-10"), Outcome::kDisclosed, "见附件"});
  });
  // A correction notice on its own case.
  CaseRecord with_correction = record_;
  DocumentExtras extras{"请写明文件的名称或文号", "per_page"};
  for (const DocumentKindInfo& k : AllDocumentKinds()) {
    if (k.kind == DocumentKind::kCorrection) continue;
    auto v = Values(k.kind, extras);
    ASSERT_TRUE(v.ok()) << k.code << ": " << v.status();
    std::set<std::string> expected;
    for (const PlaceholderInfo& p : PlaceholderCatalogue()) {
      if (PlaceholderFor(p, k.kind)) expected.insert(std::string(p.name));
    }
    std::set<std::string> given;
    for (const auto& [name, value] : *v) {
      given.insert(name);
      EXPECT_FALSE(value.empty()) << k.code << " " << name;
    }
    EXPECT_EQ(given, expected) << k.code;
  }
}

TEST_F(DocumentValuesTest, CorrectionNoticeStatesItemsPeriodAndLastDay) {
  absl::Status none = Target(DocumentKind::kCorrection).status();
  EXPECT_EQ(none.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(none.message(), HasSubstr("第三十条"));
  EXPECT_THAT(MessageIn(none, Lang::kEn), HasSubstr("Art. 30"));

  Do([&](const Lifecycle& l) {
    return l.RequestCorrection(record_, events_, D("2024-03-08"), 10);
  });
  // What to correct is not on the record: it must be given.
  EXPECT_EQ(Values(DocumentKind::kCorrection).status().code(),
            absl::StatusCode::kInvalidArgument);
  auto v = Values(DocumentKind::kCorrection, {"请写明文件名称", ""});
  ASSERT_TRUE(v.ok()) << v.status();
  EXPECT_EQ(v->at("文书日期"), "二〇二四年三月八日");
  EXPECT_EQ(v->at("补正事项"), "请写明文件名称");
  EXPECT_EQ(v->at("补正期限"), "10个工作日");
  // 10 working days after Friday 8 March.
  EXPECT_EQ(v->at("补正截止日期"), "二〇二四年三月二十二日");
  EXPECT_EQ(v->at("答复期限"), "自收到补正后的申请之日起重新计算");
}

TEST_F(DocumentValuesTest, ExtensionNoticeStatesTheNewDeadline) {
  absl::Status none = Target(DocumentKind::kExtension).status();
  EXPECT_EQ(none.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(MessageIn(none, Lang::kEn), HasSubstr("Art. 33"));
  // An Art. 35 period is not an extension notice's business.
  Do([&](const Lifecycle& l) {
    return l.Extend(record_, events_,
                    {D("2024-03-19"), 30, true, "李主任", "数量明显过多"});
  });
  EXPECT_EQ(Target(DocumentKind::kExtension).status().code(),
            absl::StatusCode::kFailedPrecondition);
  auto reasons = Values(DocumentKind::kReasons);
  ASSERT_TRUE(reasons.ok()) << reasons.status();
  EXPECT_EQ(reasons->at("说明理由事项"), "数量明显过多");
  EXPECT_EQ(reasons->at("说明理由期限"), "30个工作日");

  Do([&](const Lifecycle& l) {
    return l.Extend(record_, events_,
                    {D("2024-03-20"), 20, false, "李主任", "需要调取档案"});
  });
  auto v = Values(DocumentKind::kExtension);
  ASSERT_TRUE(v.ok()) << v.status();
  EXPECT_EQ(v->at("延期理由"), "需要调取档案");
  EXPECT_EQ(v->at("延期天数"), "20个工作日");
  auto clocks =
      ComputeClocks(events_, WorkCalendar::Official(), {}, D("2024-03-20"));
  EXPECT_EQ(v->at("延期后答复期限"), ChineseDate(*clocks->reply_due));
  EXPECT_EQ(v->at("答复期限"), v->at("延期后答复期限"));
  EXPECT_NE(v->at("延期后答复期限"), "二〇二四年四月三日");
}

TEST_F(DocumentValuesTest, ConsultationLetterFollowsThePartyKind) {
  EXPECT_EQ(Target(DocumentKind::kConsultation).status().code(),
            absl::StatusCode::kFailedPrecondition);
  Do([&](const Lifecycle& l) {
    return l.StartConsultation(record_, events_,
                               {D("2024-03-11"), "某公司", false, {}});
  });
  auto t = Target(DocumentKind::kConsultation);
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->template_name, "consultation_third_party");
  EXPECT_EQ(t->consultation_id, "C1");
  Do([&](const Lifecycle& l) {
    return l.StartConsultation(record_, events_,
                               {D("2024-03-12"), "某区某局", true, {}});
  });
  EXPECT_EQ(Target(DocumentKind::kConsultation).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Target(DocumentKind::kConsultation, "C3").status().code(),
            absl::StatusCode::kFailedPrecondition);
  auto v = Values(DocumentKind::kConsultation, {}, "C2");
  ASSERT_TRUE(v.ok()) << v.status();
  EXPECT_EQ(Target(DocumentKind::kConsultation, "C2")->template_name,
            "consultation_agency");
  EXPECT_EQ(v->at("征求对象"), "某区某局");
  // 15 working days after Tuesday 12 March.
  EXPECT_EQ(v->at("征求截止日期"), "二〇二四年四月二日");
  EXPECT_EQ(v->at("文书日期"), "二〇二四年三月十二日");
}

TEST_F(DocumentValuesTest, FeeNoticeStatesMethodAmountAndLastDay) {
  EXPECT_EQ(Target(DocumentKind::kFee).status().code(),
            absl::StatusCode::kFailedPrecondition);
  Do([&](const Lifecycle& l) {
    return l.SendFeeNotice(record_, events_, D("2024-03-08"), 25000);
  });
  EXPECT_EQ(Values(DocumentKind::kFee).status().code(),
            absl::StatusCode::kInvalidArgument);
  auto v = Values(DocumentKind::kFee, {"", "per_piece"});
  ASSERT_TRUE(v.ok()) << v.status();
  EXPECT_EQ(v->at("收费方式"), "按件计收");
  EXPECT_EQ(v->at("收费金额"), "250.00元");
  auto clocks =
      ComputeClocks(events_, WorkCalendar::Official(), {}, D("2024-03-08"));
  ASSERT_TRUE(clocks->fee_due.has_value());
  EXPECT_EQ(v->at("缴费截止日期"), ChineseDate(*clocks->fee_due));
  EXPECT_THAT(v->at("收费依据"), HasSubstr("国办函〔2020〕109号"));
}

TEST_F(DocumentValuesTest, ReplyNeedsAnAnswerAndFollowsTheOutcome) {
  absl::Status open = Target(DocumentKind::kReply).status();
  EXPECT_EQ(open.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(MessageIn(open, Lang::kEn), HasSubstr("still open"));
  Do([&](const Lifecycle& l) {
    return l.Answer(record_, events_,
                    {D("2024-03-29"), Outcome::kWithheldThirdPartyRights,
                     "涉及第三方商业秘密"});
  });
  auto t = Target(DocumentKind::kReply);
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->template_name, "reply_withheld");
  auto v = Values(DocumentKind::kReply);
  ASSERT_TRUE(v.ok()) << v.status();
  EXPECT_EQ(v->at("办理结果"), "不予公开（保护第三方合法权益）");
  EXPECT_EQ(v->at("答复日期"), "二〇二四年三月二十九日");
  EXPECT_EQ(v->at("文书日期"), "二〇二四年三月二十九日");
  EXPECT_EQ(v->at("答复内容"), "涉及第三方商业秘密");
  EXPECT_EQ(v->at("法律依据"),
            "《中华人民共和国政府信息公开条例》第三十六条第（三）项、第十五条");
}

TEST_F(DocumentValuesTest, PartialReplyIsStatedWithoutTheTableNote) {
  Do([&](const Lifecycle& l) {
    return l.Answer(record_, events_,
                    {D("2024-03-29"), Outcome::kPartiallyDisclosed, "部分"});
  });
  auto v = Values(DocumentKind::kReply);
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(v->at("办理结果"), "部分公开");
  EXPECT_THAT(v->at("法律依据"), HasSubstr("第三十七条"));
  EXPECT_EQ(Target(DocumentKind::kReply)->template_name, "reply_partial");
}

TEST_F(DocumentValuesTest, AWithdrawalGetsTheOtherReply) {
  Do([&](const Lifecycle& l) {
    return l.Withdraw(record_, events_, D("2024-03-12"), "");
  });
  auto t = Target(DocumentKind::kReply);
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->template_name, "reply_other");
  EXPECT_EQ(t->step_on, D("2024-03-12"));
}

TEST_F(DocumentValuesTest, TheRecordKeepsNumberDateAndExtras) {
  auto t = Target(DocumentKind::kReceipt);
  EXPECT_FALSE(FindSentDocument(events_, *t).has_value());
  CaseEvent e = DocumentEventFor(*t, "某公信〔2024〕3号", D("2024-03-06"),
                                 "abc", {"", ""});
  e.seq = 2;
  events_.push_back(e);
  auto sent = FindSentDocument(events_, *t);
  ASSERT_TRUE(sent.has_value());
  EXPECT_EQ(sent->number, "某公信〔2024〕3号");
  EXPECT_EQ(sent->date, D("2024-03-06"));
  EXPECT_EQ(sent->sha256, "abc");
  // A later reissue keeps the first number and date.
  CaseEvent again =
      DocumentEventFor(*t, "某公信〔2024〕9号", D("2024-03-09"), "def", {});
  again.seq = 3;
  events_.push_back(again);
  sent = FindSentDocument(events_, *t);
  EXPECT_EQ(sent->number, "某公信〔2024〕3号");
  EXPECT_EQ(sent->sha256, "def");
  // Other kinds and consultations are separate.
  Do([&](const Lifecycle& l) {
    return l.StartConsultation(record_, events_,
                               {D("2024-03-11"), "某公司", false, {}});
  });
  EXPECT_FALSE(FindSentDocument(events_, *Target(DocumentKind::kConsultation))
                   .has_value());
  EXPECT_THAT(DescribeEvent(e, Lang::kZh), HasSubstr("某公信〔2024〕3号"));
}

TEST(DocumentFileNameTest, CaseNumberAndKind) {
  EXPECT_EQ(DocumentFileName("2024-0001", DocumentKind::kReply, "docx"),
            "2024-0001-答复告知书.docx");
}

}  // namespace
}  // namespace gongkai

// DocumentService with a stand-in engine whose "DOCX" is plain text: the
// numbering, the record on the case, reuse, settings, template loads and
// query codes do not depend on the DOCX library (documents/ has its own
// tests, and tests/ generates real files end to end).
#include "app/document_service.h"

#include <regex>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "app/case_service.h"
#include "app/test_world.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace gongkai::app {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kMagic[] = "DOCX:";

// A text "DOCX": "DOCX:" and text with {{placeholders}}.
DocumentEngine TextEngine() {
  DocumentEngine e;
  e.list_placeholders =
      [](absl::string_view docx) -> absl::StatusOr<std::vector<std::string>> {
    if (!absl::StartsWith(docx, kMagic)) {
      return absl::InvalidArgumentError("not a DOCX file");
    }
    std::vector<std::string> names;
    std::string text(docx);
    std::regex re("\\{\\{([^}]*)\\}\\}");
    for (auto it = std::sregex_iterator(text.begin(), text.end(), re);
         it != std::sregex_iterator(); ++it) {
      names.push_back((*it)[1]);
    }
    return names;
  };
  e.fill = [](absl::string_view docx,
              const std::map<std::string, std::string>& values)
      -> absl::StatusOr<std::string> {
    std::string out(docx);
    std::smatch m;
    std::regex re("\\{\\{([^}]*)\\}\\}");
    while (std::regex_search(out, m, re)) {
      auto it = values.find(m[1]);
      if (it == values.end()) {
        return absl::InvalidArgumentError(
            absl::StrCat("no value for ", m[1].str()));
      }
      out.replace(m.position(0), m.length(0), it->second);
    }
    return out;
  };
  e.default_template =
      [](absl::string_view name) -> absl::StatusOr<std::string> {
    std::string common =
        "{{机关名称}} {{文号}} {{文书日期}} {{申请人}} {{编号}} {{查询码}} "
        "{{答复期限}} {{复议机关}}";
    if (name == "reply_disclosed") {
      return absl::StrCat(kMagic, name, " ", common,
                          " {{办理结果}} {{法律依据}}");
    }
    return absl::StrCat(kMagic, name, " ", common);
  };
  e.to_pdf = [](absl::string_view docx) -> absl::StatusOr<std::string> {
    return absl::StrCat("%PDF-", docx);
  };
  return e;
}

class DocumentServiceTest : public TestWorld {
 protected:
  void SetUp() override {
    TestWorld::SetUp();
    SettingsChange s;
    s.agency = "a";
    s.full_name = "甲市甲局";
    s.reconsideration_body = "甲市人民政府";
    s.court = "甲市甲区人民法院";
    s.number_prefix = "甲公信";
    ASSERT_TRUE(Docs().SetSettings(As("admin_a"), s).ok());
  }
  DocumentService Docs() { return DocumentService(env_, TextEngine()); }
  CaseRecord Log(const std::string& clerk) {
    NewCase c;
    c.received_on = absl::CivilDay(2025, 3, 3);
    c.applicant = "张三";
    c.request = "2024年预算";
    auto v = CaseService(env_).Create(As(clerk), c);
    EXPECT_TRUE(v.ok()) << v.status();
    return v.ok() ? v->record : CaseRecord();
  }
  absl::StatusOr<GeneratedDocument> Generate(
      const std::string& who, const std::string& case_no, DocumentKind kind,
      const std::string& format = "docx") {
    DocumentRequest r;
    r.case_no = case_no;
    r.kind = kind;
    r.format = format;
    return Docs().Generate(As(who), r);
  }
  std::vector<CaseEvent> DocumentEvents(const std::string& case_no) {
    auto v = CaseService(env_).Get(As("admin"), case_no);
    std::vector<CaseEvent> out;
    for (const CaseEvent& e : v->events) {
      if (e.kind == "document") out.push_back(e);
    }
    return out;
  }
};

TEST_F(DocumentServiceTest, AReceiptIsNumberedRecordedAndRepeatable) {
  const CaseRecord c = Log("clerk_a");
  ASSERT_FALSE(c.query_code.empty());
  auto first = Generate("clerk_a", c.case_no, DocumentKind::kReceipt);
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(first->number, "甲公信〔2025〕1号");
  EXPECT_EQ(first->date, absl::CivilDay(2025, 3, 3));
  EXPECT_EQ(first->template_name, "receipt");
  EXPECT_EQ(first->file_name, absl::StrCat(c.case_no, "-接收回执.docx"));
  EXPECT_TRUE(first->recorded);
  EXPECT_FALSE(first->reused);
  EXPECT_THAT(first->content, HasSubstr("甲市甲局 甲公信〔2025〕1号 "
                                        "二〇二五年三月三日 张三"));
  EXPECT_THAT(first->content, HasSubstr(FormatQueryCode(c.query_code)));

  // Again: the same number, date and bytes; nothing new on the record.
  auto again = Generate("handler_a", c.case_no, DocumentKind::kReceipt);
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->content, first->content);
  EXPECT_EQ(again->sha256, first->sha256);
  EXPECT_TRUE(again->reused);
  EXPECT_FALSE(again->recorded);
  auto events = DocumentEvents(c.case_no);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].details.Find("number")->as_string(), "甲公信〔2025〕1号");
  EXPECT_EQ(events[0].details.Find("sha256")->as_string(), first->docx_sha256);
  EXPECT_EQ(events[0].actor, "clerk_a");

  // Another case's receipt takes the next number; as a PDF, from the same
  // content.
  const CaseRecord d = Log("clerk_a");
  auto pdf = Generate("clerk_a", d.case_no, DocumentKind::kReceipt, "pdf");
  ASSERT_TRUE(pdf.ok()) << pdf.status();
  EXPECT_EQ(pdf->number, "甲公信〔2025〕2号");
  EXPECT_TRUE(absl::StartsWith(pdf->content, "%PDF-"));
  EXPECT_NE(pdf->sha256, pdf->docx_sha256);
  // The document events are part of the history the integrity check reads.
  auto integrity = store_->CheckIntegrity();
  ASSERT_TRUE(integrity.ok()) << integrity.status();
  EXPECT_TRUE(integrity->problems.empty());
}

TEST_F(DocumentServiceTest, ChangedFactsAreReissuedUnderTheSameNumber) {
  const CaseRecord c = Log("clerk_a");
  auto first = Generate("clerk_a", c.case_no, DocumentKind::kReceipt);
  ASSERT_TRUE(first.ok());
  SettingsChange s;
  s.agency = "a";
  s.full_name = "甲市甲局（新名称）";
  ASSERT_TRUE(Docs().SetSettings(As("admin_a"), s).ok());
  auto again = Generate("clerk_a", c.case_no, DocumentKind::kReceipt);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->number, first->number);
  EXPECT_TRUE(again->recorded);
  EXPECT_NE(again->sha256, first->sha256);
  auto events = DocumentEvents(c.case_no);
  ASSERT_EQ(events.size(), 2u);
  EXPECT_NE(events[1].details.Find("reissue_of"), nullptr);
}

TEST_F(DocumentServiceTest, RefusesWhatTheHistoryDoesNotSupport) {
  const CaseRecord c = Log("clerk_a");
  auto reply = Generate("handler_a", c.case_no, DocumentKind::kReply);
  EXPECT_EQ(reply.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(MessageIn(reply.status(), Lang::kEn), HasSubstr("Art. 36"));
  auto ext = Generate("handler_a", c.case_no, DocumentKind::kExtension);
  EXPECT_EQ(ext.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(DocumentEvents(c.case_no).empty());

  ASSERT_TRUE(
      CaseService(env_)
          .Answer(As("handler_a"), c.case_no,
                  {absl::CivilDay(2025, 3, 7), Outcome::kDisclosed, "见附件"})
          .ok());
  reply = Generate("handler_a", c.case_no, DocumentKind::kReply);
  ASSERT_TRUE(reply.ok()) << reply.status();
  EXPECT_EQ(reply->template_name, "reply_disclosed");
  EXPECT_EQ(reply->number, "甲公信〔2025〕1号");  // its own sequence
  EXPECT_THAT(reply->content, HasSubstr("第三十六条"));
}

TEST_F(DocumentServiceTest, AnUnsetSettingThatTheTemplatePrintsIsNamed) {
  AddUser("clerk_b", "clerk", {"b"});
  const CaseRecord c = Log("clerk_b");
  auto doc = Generate("clerk_b", c.case_no, DocumentKind::kReceipt);
  EXPECT_EQ(doc.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(doc.status().message(), HasSubstr("--"));
  EXPECT_TRUE(DocumentEvents(c.case_no).empty());
}

TEST_F(DocumentServiceTest, OnlyTheCasesAgencyMayGenerate) {
  const CaseRecord c = Log("clerk_a");
  auto doc = Generate("handler_b", c.case_no, DocumentKind::kReceipt);
  EXPECT_EQ(doc.status().code(), absl::StatusCode::kNotFound);
  EXPECT_TRUE(DocumentEvents(c.case_no).empty());
}

TEST_F(DocumentServiceTest, SettingsAreAnAdministratorsPerAgency) {
  SettingsChange s;
  s.court = "某法院";
  // An administrator of every agency says which.
  EXPECT_EQ(Docs().SetSettings(As("admin"), s).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Docs().SetSettings(As("clerk_a"), s).status().code(),
            absl::StatusCode::kPermissionDenied);
  s.agency = "b";
  EXPECT_FALSE(Docs().SetSettings(As("admin_a"), s).ok());
  auto set = Docs().SetSettings(As("admin_b"), s);
  ASSERT_TRUE(set.ok()) << set.status();
  EXPECT_EQ(set->agency, "b");
  EXPECT_EQ(set->settings.court, "某法院");
  auto shown = Docs().GetSettings(As("clerk_a"), "");
  ASSERT_TRUE(shown.ok());
  EXPECT_EQ(shown->settings.number_prefix, "甲公信");
  EXPECT_EQ(shown->agency_name, "甲局");
  s.number_prefix = "乙〔公〕";
  EXPECT_EQ(Docs().SetSettings(As("admin_b"), s).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Audit("document_settings_set").size(), 2u);
}

TEST_F(DocumentServiceTest, TemplatesLoadAllOrNothingAndExport) {
  auto exported = Docs().ExportTemplates(As("clerk_a"), "");
  ASSERT_TRUE(exported.ok()) << exported.status();
  ASSERT_EQ(exported->size(), AllTemplates().size());
  EXPECT_FALSE((*exported)[0].own);

  const std::string good = "DOCX:我局回执 {{申请人}} {{查询码}}";
  // One good file and one with an unknown placeholder: nothing is stored.
  auto bad = Docs().LoadTemplates(
      As("admin_a"), "",
      {{"receipt.docx", good}, {"fee.docx", "DOCX:{{收费金额}} {{金额}}"}});
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(bad.status().message(), HasSubstr("fee.docx"));
  EXPECT_THAT(bad.status().message(), HasSubstr("{{金额}}"));
  EXPECT_THAT(MessageIn(bad.status(), Lang::kEn),
              HasSubstr("unknown placeholder {{金额}}"));
  EXPECT_FALSE((*Docs().ExportTemplates(As("clerk_a"), ""))[0].own);

  EXPECT_THAT(Docs()
                  .LoadTemplates(As("admin_a"), "", {{"letter.docx", good}})
                  .status()
                  .message(),
              HasSubstr("letter.docx"));
  EXPECT_THAT(Docs()
                  .LoadTemplates(As("admin_a"), "", {{"receipt.docx", "PK"}})
                  .status()
                  .message(),
              HasSubstr("receipt.docx"));
  EXPECT_EQ(Docs()
                .LoadTemplates(As("clerk_a"), "", {{"receipt.docx", good}})
                .status()
                .code(),
            absl::StatusCode::kPermissionDenied);

  auto loaded =
      Docs().LoadTemplates(As("admin_a"), "", {{"dir/receipt.docx", good}});
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  EXPECT_THAT(*loaded, ElementsAre("receipt"));
  auto after = Docs().ExportTemplates(As("clerk_a"), "");
  EXPECT_TRUE((*after)[0].own);
  EXPECT_EQ((*after)[0].docx, good);
  EXPECT_EQ(Audit("document_templates_loaded").size(), 1u);
  // Agency b still has the default.
  AddUser("clerk_b", "clerk", {"b"});
  EXPECT_FALSE((*Docs().ExportTemplates(As("clerk_b"), ""))[0].own);

  // The office's own template is what a document is filled from.
  const CaseRecord c = Log("clerk_a");
  auto doc = Generate("clerk_a", c.case_no, DocumentKind::kReceipt);
  ASSERT_TRUE(doc.ok()) << doc.status();
  EXPECT_EQ(doc->content,
            absl::StrCat("DOCX:我局回执 张三 ", FormatQueryCode(c.query_code)));
}

TEST_F(DocumentServiceTest, QueryCodesFindOnlyCasesTheCallerMaySee) {
  const CaseRecord c = Log("clerk_a");
  auto found = Docs().FindByQueryCode(As("clerk_a"),
                                      absl::AsciiStrToLower(c.query_code));
  ASSERT_TRUE(found.ok()) << found.status();
  EXPECT_EQ(found->record.case_no, c.case_no);
  found = Docs().FindByQueryCode(As("clerk_a"), FormatQueryCode(c.query_code));
  ASSERT_TRUE(found.ok());

  // Another agency's case looks exactly like no case at all.
  auto hidden = Docs().FindByQueryCode(As("handler_b"), c.query_code);
  std::string unused = c.query_code == "ACDEFGHJ" ? "ACDEFGHK" : "ACDEFGHJ";
  auto missing = Docs().FindByQueryCode(As("handler_b"), unused);
  EXPECT_EQ(hidden.status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(missing.status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(absl::StrReplaceAll(hidden.status().message(),
                                {{FormatQueryCode(c.query_code), "X"}}),
            absl::StrReplaceAll(missing.status().message(),
                                {{FormatQueryCode(unused), "X"}}));
  EXPECT_THAT(hidden.status().message(), Not(HasSubstr(c.case_no)));
  EXPECT_EQ(Docs().FindByQueryCode(As("clerk_a"), "12").status().code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace gongkai::app

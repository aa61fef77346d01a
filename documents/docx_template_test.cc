#include <map>
#include <set>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/lang.h"
#include "documents/documents.h"
#include "documents/docx_model.h"
#include "documents/zip_package.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace gongkai::documents {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

// A DOCX whose body is `body` (WordprocessingML), as Word would save one.
std::string Docx(const std::string& body, const std::string& header = "") {
  Package p;
  p.Put(
      "[Content_Types].xml",
      R"(<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/></Types>)");
  const std::string ns =
      R"(xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main")";
  p.Put("word/document.xml",
        absl::StrCat("<?xml version=\"1.0\" encoding=\"UTF-8\"?><w:document ",
                     ns, "><w:body>", body, "</w:body></w:document>"));
  if (!header.empty()) {
    p.Put("word/header1.xml",
          absl::StrCat("<w:hdr ", ns, ">", header, "</w:hdr>"));
  }
  return *WritePackage(p);
}

// "{{申请人}}" as Word leaves it after an edit: split over three runs with
// different formatting, a spell-check mark and a bookmark in between.
constexpr char kSplitParagraph[] =
    "<w:p><w:r><w:t>致</w:t></w:r>"
    "<w:r><w:rPr><w:b/></w:rPr><w:t>{{申</w:t></w:r>"
    "<w:proofErr w:type=\"spellStart\"/>"
    "<w:bookmarkStart w:id=\"0\" w:name=\"x\"/>"
    "<w:r><w:rPr><w:i/></w:rPr><w:t>请</w:t></w:r>"
    "<w:bookmarkEnd w:id=\"0\"/>"
    "<w:proofErr w:type=\"spellEnd\"/>"
    "<w:r><w:t>人}}：您好</w:t></w:r></w:p>";

std::string BodyText(const std::string& docx) {
  absl::StatusOr<DocxModel> m = ReadDocx(docx);
  EXPECT_TRUE(m.ok()) << m.status();
  return m.ok() ? PlainText(*m) : "";
}

std::string DocumentXml(const std::string& docx) {
  absl::StatusOr<Package> p = ReadPackage(docx);
  EXPECT_TRUE(p.ok()) << p.status();
  return p.ok() && p->Find("word/document.xml")
             ? p->Find("word/document.xml")->data
             : "";
}

TEST(ListPlaceholdersTest, FindsPlaceholdersSplitAcrossRunsInOrder) {
  const std::string docx = Docx(
      absl::StrCat("<w:p><w:r><w:t>{{编号}} {{ 收到日期 }}</w:t></w:r></w:p>",
                   kSplitParagraph,
                   "<w:p><w:r><w:t>{{编号}} {{未闭合</w:t></w:r></w:p>"),
      "<w:p><w:r><w:t>{{文号}}</w:t></w:r></w:p>");
  absl::StatusOr<std::vector<std::string>> names = ListPlaceholders(docx);
  ASSERT_TRUE(names.ok()) << names.status();
  EXPECT_THAT(*names, ElementsAre("编号", "收到日期", "申请人", "文号"));
}

TEST(ListPlaceholdersTest, RefusesWhatIsNotADocx) {
  EXPECT_EQ(ListPlaceholders("not a zip").status().code(),
            absl::StatusCode::kInvalidArgument);
  Package p;
  p.Put("hello.txt", "hi");
  EXPECT_EQ(ListPlaceholders(*WritePackage(p)).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(ListPlaceholdersTest, RefusesEntityDeclarations) {
  Package p;
  p.Put("word/document.xml",
        "<?xml version=\"1.0\"?><!DOCTYPE d [<!ENTITY a \"aaaaaaaa\">"
        "<!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;\">]><w:document "
        "xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/"
        "main\"><w:body><w:p><w:r><w:t>&b;{{x}}</w:t></w:r></w:p></w:body>"
        "</w:document>");
  absl::Status s = ListPlaceholders(*WritePackage(p)).status();
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(MessageIn(s, Lang::kEn), HasSubstr("DTD"));
}

TEST(FillTemplateTest, MergesASplitPlaceholderIntoItsFirstRun) {
  absl::StatusOr<std::string> out =
      FillTemplate(Docx(kSplitParagraph), {{"申请人", "张三"}});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(BodyText(*out), "致张三：您好\n");
  const std::string xml = DocumentXml(*out);
  // The value took the first run's formatting (bold); the runs that held
  // only the rest of the placeholder are gone.
  EXPECT_THAT(
      xml, HasSubstr("<w:b/></w:rPr><w:t xml:space=\"preserve\">张三</w:t>"));
  EXPECT_THAT(xml, testing::Not(HasSubstr("<w:i/>")));
  EXPECT_THAT(*ListPlaceholders(*out), ElementsAre());
}

TEST(FillTemplateTest, FillsTablesTrackedChangesHyperlinksAndHeaders) {
  // A placeholder typed with track changes on, one across a hyperlink's
  // edge, one in a table cell, one in the page header.
  const std::string docx = Docx(
      "<w:p><w:ins w:id=\"1\" w:author=\"科员\"><w:r><w:t>{{编</w:t></w:r>"
      "</w:ins><w:r><w:t>号}}</w:t></w:r><w:del w:id=\"2\" w:author=\"科员\">"
      "<w:r><w:delText>{{旧}}</w:delText></w:r></w:del></w:p>"
      "<w:p><w:hyperlink w:anchor=\"a\"><w:r><w:t>{{查询</w:t></w:r>"
      "</w:hyperlink><w:r><w:t>码}}</w:t></w:r></w:p>"
      "<w:tbl><w:tr><w:tc><w:p><w:r><w:t>{{申请人}}</w:t></w:r></w:p></w:tc>"
      "</w:tr></w:tbl><w:p/>",
      "<w:p><w:r><w:t>{{文号}}</w:t></w:r></w:p>");
  EXPECT_THAT(*ListPlaceholders(docx),
              ElementsAre("编号", "查询码", "申请人", "文号"));
  absl::StatusOr<std::string> out =
      FillTemplate(docx, {{"编号", "2024-0001"},
                          {"查询码", "K7Q2-9XW4"},
                          {"申请人", "张三"},
                          {"文号", "驻公信〔2024〕3号"}});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(BodyText(*out), "2024-0001\nK7Q2-9XW4\n张三\n\n");
  EXPECT_THAT(ReadPackage(*out)->Find("word/header1.xml")->data,
              HasSubstr("驻公信〔2024〕3号"));
  EXPECT_THAT(*ListPlaceholders(*out), ElementsAre());
}

TEST(FillTemplateTest, EscapesValuesAndTurnsNewlinesIntoBreaks) {
  absl::StatusOr<std::string> out = FillTemplate(
      Docx("<w:p><w:r><w:t>事项：{{补正事项}}。</w:t></w:r></w:p>"),
      {{"补正事项", "1. 写明<文件>名称 & 文号\n2. 写明年份"}});
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(BodyText(*out), "事项：1. 写明<文件>名称 & 文号\n2. 写明年份。\n");
  EXPECT_THAT(DocumentXml(*out),
              HasSubstr("&lt;文件&gt;名称 &amp; 文号</w:t><w:br/>"));
}

TEST(FillTemplateTest, RefusesAMissingValueNamingIt) {
  absl::Status s =
      FillTemplate(Docx(kSplitParagraph), {{"编号", "1"}}).status();
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(s.message(), HasSubstr("{{申请人}}"));
  EXPECT_THAT(MessageIn(s, Lang::kEn), HasSubstr("placeholder {{申请人}}"));
}

TEST(FillTemplateTest, IsDeterministic) {
  const std::string docx = *DefaultTemplate("receipt");
  std::map<std::string, std::string> values;
  const std::vector<std::string> names = *ListPlaceholders(docx);
  for (const std::string& n : names) values[n] = "值" + n;
  absl::StatusOr<std::string> a = FillTemplate(docx, values);
  absl::StatusOr<std::string> b = FillTemplate(docx, values);
  ASSERT_TRUE(a.ok()) << a.status();
  EXPECT_EQ(*a, *b);
  values["申请人"] = "李四";
  EXPECT_NE(*FillTemplate(docx, values), *a);
}

// The placeholder catalogue agreed with docwire (domain/documents.*).
const std::set<std::string>& Common() {
  static const auto* s = new std::set<std::string>{
      "机关名称", "机关地址", "机关联系方式", "文号",     "文书日期",
      "申请人",   "编号",     "收到日期",     "申请方式", "申请内容",
      "答复期限", "查询码",   "复议机关",     "诉讼法院"};
  return *s;
}

std::set<std::string> KindNames(const std::string& name) {
  if (name == "correction") return {"补正事项", "补正期限", "补正截止日期"};
  if (name == "extension") return {"延期理由", "延期天数", "延期后答复期限"};
  if (absl::StartsWith(name, "consultation_"))
    return {"征求对象", "征求截止日期"};
  if (name == "fee")
    return {"收费方式", "收费金额", "缴费截止日期", "收费依据"};
  if (name == "reasons") return {"说明理由事项", "说明理由期限"};
  if (absl::StartsWith(name, "reply_"))
    return {"办理结果", "答复日期", "答复内容", "法律依据"};
  return {};
}

TEST(DefaultTemplatesTest, UseOnlyTheirKindsCatalogueNames) {
  ASSERT_EQ(DefaultTemplateNames().size(), 13u);
  for (const std::string& name : DefaultTemplateNames()) {
    absl::StatusOr<std::string> docx = DefaultTemplate(name);
    ASSERT_TRUE(docx.ok()) << name << ": " << docx.status();
    absl::StatusOr<std::vector<std::string>> names = ListPlaceholders(*docx);
    ASSERT_TRUE(names.ok()) << name;
    const std::set<std::string> kind = KindNames(name);
    for (const std::string& n : *names) {
      EXPECT_TRUE(Common().count(n) || kind.count(n))
          << name << " uses {{" << n << "}}";
    }
    // What every document carries (domain.md §8), and the kind's own facts.
    for (const char* must :
         {"申请人", "编号", "文书日期", "文号", "机关名称"}) {
      EXPECT_THAT(*names, testing::Contains(must)) << name;
    }
    for (const std::string& n : kind) {
      if (n == "答复日期") continue;  // the reply is dated by 文书日期
      EXPECT_THAT(*names, testing::Contains(n)) << name;
    }
  }
  EXPECT_EQ(DefaultTemplate("nonsense").status().code(),
            absl::StatusCode::kNotFound);
}

TEST(DefaultTemplatesTest, RepliesThatDoNotGiveEverythingStateTheRemedies) {
  for (const std::string& name : DefaultTemplateNames()) {
    if (!absl::StartsWith(name, "reply_")) continue;
    const std::string text = BodyText(*DefaultTemplate(name));
    EXPECT_THAT(text, HasSubstr("政府信息公开申请答复告知书")) << name;
    EXPECT_THAT(text, HasSubstr("法律依据：{{法律依据}}")) << name;
    if (name == "reply_disclosed") continue;
    EXPECT_THAT(text, HasSubstr("60日内向{{复议机关}}申请行政复议")) << name;
    EXPECT_THAT(text, HasSubstr("6个月内向{{诉讼法院}}提起行政诉讼")) << name;
  }
  EXPECT_THAT(BodyText(*DefaultTemplate("receipt")), HasSubstr("{{查询码}}"));
  EXPECT_THAT(BodyText(*DefaultTemplate("correction")),
              HasSubstr("视为放弃申请"));
  EXPECT_THAT(BodyText(*DefaultTemplate("fee")), HasSubstr("20个工作日"));
  EXPECT_THAT(BodyText(*DefaultTemplate("consultation_agency")),
              HasSubstr("15个工作日"));
}

TEST(DefaultTemplatesTest, AreA4WithACjkFontAndOfficialLayout) {
  const std::string docx = *DefaultTemplate("reply_withheld");
  absl::StatusOr<Package> p = ReadPackage(docx);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->parts().front().name, "[Content_Types].xml");
  for (const char* part :
       {"_rels/.rels", "word/document.xml", "word/styles.xml"}) {
    EXPECT_NE(p->Find(part), nullptr) << part;
  }
  EXPECT_THAT(p->Find("word/styles.xml")->data,
              HasSubstr("w:eastAsia=\"宋体\""));
  EXPECT_THAT(DocumentXml(docx),
              HasSubstr("<w:pgSz w:w=\"11906\" w:h=\"16838\"/>"));
  absl::StatusOr<DocxModel> m = ReadDocx(docx);
  ASSERT_TRUE(m.ok());
  const Paragraph& title = *m->body[0].paragraph;
  EXPECT_EQ(title.Text(), "政府信息公开申请答复告知书");
  EXPECT_EQ(title.align, Align::kCenter);
  EXPECT_TRUE(title.runs[0].bold);
  EXPECT_EQ(title.runs[0].half_points, 44);
  EXPECT_EQ(m->body[1].paragraph->align, Align::kRight);  // 文号
  EXPECT_EQ(m->body[2].paragraph->Text(), "{{申请人}}：");
  EXPECT_EQ(m->body.back().paragraph->Text(), "{{文书日期}}");
  EXPECT_EQ(m->body.back().paragraph->align, Align::kRight);
}

}  // namespace
}  // namespace gongkai::documents

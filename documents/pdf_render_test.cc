#include <chrono>
#include <map>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "documents/documents.h"
#include "documents/zip_package.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace gongkai::documents {
namespace {

std::map<std::string, std::string> Values(const std::string& docx) {
  std::map<std::string, std::string> v;
  const std::vector<std::string> names = *ListPlaceholders(docx);
  for (const std::string& n : names) v[n] = "示例" + n;
  v["申请人"] = "王小明";
  return v;
}

int PageCount(const std::string& pdf) {
  int n = 0;
  for (size_t pos = 0;
       (pos = pdf.find("/Type /Page\n", pos)) != std::string::npos; ++pos)
    ++n;
  for (size_t pos = 0;
       (pos = pdf.find("/Type /Page ", pos)) != std::string::npos; ++pos)
    ++n;
  return n;
}

TEST(DocxToPdfTest, RendersEveryDefaultTemplate) {
  for (const std::string& name : DefaultTemplateNames()) {
    const std::string docx = *DefaultTemplate(name);
    absl::StatusOr<std::string> filled = FillTemplate(docx, Values(docx));
    ASSERT_TRUE(filled.ok()) << name << ": " << filled.status();
    absl::StatusOr<std::string> pdf = DocxToPdf(*filled);
    ASSERT_TRUE(pdf.ok()) << name << ": " << pdf.status();
    EXPECT_TRUE(absl::StartsWith(*pdf, "%PDF-")) << name;
    EXPECT_GE(PageCount(*pdf), 1) << name;
    EXPECT_TRUE(absl::StrContains(*pdf, "/FontFile"))
        << name << ": font not embedded";
  }
}

TEST(DocxToPdfTest, IsDeterministic) {
  const std::string docx = *DefaultTemplate("reply_partial");
  const std::string filled = *FillTemplate(docx, Values(docx));
  EXPECT_EQ(*DocxToPdf(filled), *DocxToPdf(filled));
}

TEST(DocxToPdfTest, BreaksALongDocumentIntoPages) {
  const std::string docx = *DefaultTemplate("correction");
  auto v = Values(docx);
  std::string items;
  for (int i = 1; i <= 80; ++i) {
    absl::StrAppend(
        &items, i,
        ". 请写明所需文件的名称、文号或者其他特征描述，以及所属年份。\n");
  }
  v["补正事项"] = items;
  absl::StatusOr<std::string> pdf = DocxToPdf(*FillTemplate(docx, v));
  ASSERT_TRUE(pdf.ok()) << pdf.status();
  EXPECT_GE(PageCount(*pdf), 3);
}

TEST(DocxToPdfTest, BreaksATableCellTallerThanAPage) {
  // The receipt shows what was asked in a table cell; applicants write
  // long requests.
  const std::string docx = *DefaultTemplate("receipt");
  auto v = Values(docx);
  std::string asked;
  for (int i = 1; i <= 120; ++i) {
    absl::StrAppend(&asked, i,
                    ". 请提供本市二〇二三年度道路维修工程的招标文件和合同。\n");
  }
  v["申请内容"] = asked;
  absl::StatusOr<std::string> pdf = DocxToPdf(*FillTemplate(docx, v));
  ASSERT_TRUE(pdf.ok()) << pdf.status();
  EXPECT_GE(PageCount(*pdf), 4);
}

TEST(DocxToPdfTest, DatesThePdfOnlyByTheDocument) {
  const std::string docx = *DefaultTemplate("receipt");
  const std::string filled = *FillTemplate(docx, Values(docx));
  // Undated: no creation date at all (cairo would write the current time).
  EXPECT_FALSE(absl::StrContains(*DocxToPdf(filled), "/CreationDate"));
  Package p = *ReadPackage(filled);
  Part* core = p.Find("docProps/core.xml");
  ASSERT_NE(core, nullptr);
  core->data = absl::StrReplaceAll(
      core->data,
      {{"</cp:coreProperties>",
        "<dcterms:created xsi:type=\"dcterms:W3CDTF\">"
        "2024-03-06T00:00:00Z</dcterms:created></cp:coreProperties>"}});
  absl::StatusOr<std::string> pdf = DocxToPdf(*WritePackage(p));
  ASSERT_TRUE(pdf.ok()) << pdf.status();
  // Cairo 1.16 writes the date without the optional "D:" prefix.
  EXPECT_TRUE(absl::StrContains(*pdf, "/CreationDate (D:20240306000000") ||
              absl::StrContains(*pdf, "/CreationDate (20240306000000"));
}

TEST(DocxToPdfTest, RefusesWhatIsNotADocx) {
  EXPECT_EQ(DocxToPdf("%PDF-1.4").status().code(),
            absl::StatusCode::kInvalidArgument);
}

// Prints the timing the brief asks for; the bounds are generous so a busy
// machine does not fail it, but a pathological slowdown does.
TEST(DocumentTimingTest, FillAndPdfAreFast) {
  const std::string docx = *DefaultTemplate("reply_withheld");
  const auto v = Values(docx);
  ASSERT_TRUE(DocxToPdf(*FillTemplate(docx, v)).ok());  // fonts loaded once
  auto t0 = std::chrono::steady_clock::now();
  std::string filled = *FillTemplate(docx, v);
  auto t1 = std::chrono::steady_clock::now();
  std::string pdf = *DocxToPdf(filled);
  auto t2 = std::chrono::steady_clock::now();
  const double fill_ms =
      std::chrono::duration<double, std::milli>(t1 - t0).count();
  const double pdf_ms =
      std::chrono::duration<double, std::milli>(t2 - t1).count();
  std::printf("DOCX fill: %.1f ms, PDF: %.1f ms\n", fill_ms, pdf_ms);
  EXPECT_LT(fill_ms, 1000);
  EXPECT_LT(pdf_ms, 5000);
}

}  // namespace
}  // namespace gongkai::documents

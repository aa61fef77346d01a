// The office's documents through the real binaries: settings, a receipt with
// its number and query code, the same document again, the record on the
// case, a reply as PDF, templates exported, edited and loaded again.
#include <fstream>
#include <sstream>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/integration/harness.h"

namespace gongkai::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// The text of word/document.xml of a DOCX (python3 is a test dependency).
std::string DocumentXml(const std::string& docx) {
  CommandResult r = RunProgram(
      "/usr/bin/python3", {"-c",
                           "import sys, zipfile; "
                           "sys.stdout.write(zipfile.ZipFile(sys.argv[1]).read("
                           "'word/document.xml').decode())",
                           docx});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return r.out;
}

// Copies `from` to `to` with `old` replaced by `replacement` in
// word/document.xml, as an office editing the template in Word would.
void EditDocx(const std::string& from, const std::string& to,
              const std::string& old, const std::string& replacement) {
  CommandResult r = RunProgram(
      "/usr/bin/python3",
      {"-c",
       "import sys, zipfile\n"
       "src = zipfile.ZipFile(sys.argv[1])\n"
       "dst = zipfile.ZipFile(sys.argv[2], 'w', zipfile.ZIP_DEFLATED)\n"
       "for item in src.infolist():\n"
       "    data = src.read(item.filename)\n"
       "    if item.filename == 'word/document.xml':\n"
       "        text = data.decode()\n"
       "        assert sys.argv[3] in text\n"
       "        data = text.replace(sys.argv[3], sys.argv[4], 1).encode()\n"
       "    dst.writestr(item, data)\n"
       "dst.close()\n",
       from, to, old, replacement});
  ASSERT_EQ(r.exit_code, 0) << r.err;
}

class DocumentsFlowTest : public ::testing::Test {
 protected:
  void SetUp() override {
    daemon_ = std::make_unique<Daemon>(
        dir_.File("gongkai.db"),
        std::vector<std::string>{"--fake-today", "2024-03-29"});
    ASSERT_TRUE(daemon_->Start()) << daemon_->log();
    CommandResult set = daemon_->AdminCli(
        {"doc", "settings", "--full-name", "某市某局", "--address",
         "某市某路1号", "--contact", "0000-12345678", "--reconsideration-body",
         "某市人民政府", "--court", "某市某区人民法院", "--prefix", "某公信"});
    ASSERT_EQ(set.exit_code, 0) << set.err;
    CommandResult created = daemon_->Cli(
        {"case", "new", "--received", "2024-03-06", "--channel", "online",
         "--applicant-type", "natural_person", "--applicant", "张三",
         "--request", "请公开2023年度部门预算"});
    ASSERT_EQ(created.exit_code, 0) << created.err;
  }

  ScratchDir dir_;
  std::unique_ptr<Daemon> daemon_;
};

TEST_F(DocumentsFlowTest, ReceiptReplyAndTheRecord) {
  Json shown = daemon_->CliJson({"case", "show", "2024-0001"});
  ASSERT_TRUE(shown.Find("query_code")->is_string());
  const std::string code = shown.Find("query_code")->as_string();

  const std::string receipt = dir_.File("receipt.docx");
  Json first =
      daemon_->CliJson({"doc", "receipt", "2024-0001", "--out", receipt});
  EXPECT_EQ(first.Find("number")->as_string(), "某公信〔2024〕1号");
  EXPECT_EQ(first.Find("date")->as_string(), "2024-03-06");
  EXPECT_TRUE(first.Find("recorded")->as_bool());
  const std::string xml = DocumentXml(receipt);
  EXPECT_THAT(xml, HasSubstr("张三"));
  EXPECT_THAT(xml, HasSubstr("某公信〔2024〕1号"));
  EXPECT_THAT(xml, HasSubstr("二〇二四年三月六日"));
  EXPECT_THAT(xml, HasSubstr(code));
  EXPECT_THAT(xml, Not(HasSubstr("{{")));

  // Again: refused over the file, then the same bytes with --force.
  CommandResult again =
      daemon_->Cli({"doc", "receipt", "2024-0001", "--out", receipt});
  EXPECT_NE(again.exit_code, 0);
  const std::string bytes = ReadAll(receipt);
  Json forced = daemon_->CliJson(
      {"doc", "receipt", "2024-0001", "--out", receipt, "--force"});
  EXPECT_EQ(forced.Find("number")->as_string(), "某公信〔2024〕1号");
  EXPECT_TRUE(forced.Find("reused")->as_bool());
  EXPECT_FALSE(forced.Find("recorded")->as_bool());
  EXPECT_EQ(ReadAll(receipt), bytes);

  // The record: one document event, and the case found by its code.
  Json history = daemon_->CliJson({"case", "show", "2024-0001"});
  int documents = 0;
  for (const Json& e : history.Find("events")->as_array()) {
    if (e.Find("kind")->as_string() == "document") ++documents;
  }
  EXPECT_EQ(documents, 1);
  Json found =
      daemon_->CliJson({"case", "find", "--code", absl::AsciiStrToLower(code)});
  EXPECT_EQ(found.Find("case_no")->as_string(), "2024-0001");

  // No reply before the answer; then one as PDF.
  CommandResult early =
      daemon_->Cli({"--lang", "en", "doc", "reply", "2024-0001", "--out",
                    dir_.File("early.docx")});
  EXPECT_EQ(early.exit_code, 1);
  EXPECT_THAT(early.err, HasSubstr("Art. 36"));
  ASSERT_EQ(daemon_
                ->Cli({"case", "answer", "2024-0001", "--date", "2024-03-28",
                       "--outcome", "withheld_third_party_rights", "--note",
                       "涉及第三方商业秘密"})
                .exit_code,
            0);
  const std::string reply = dir_.File("reply.docx");
  Json r = daemon_->CliJson({"doc", "reply", "2024-0001", "--out", reply});
  EXPECT_EQ(r.Find("template")->as_string(), "reply_withheld");
  EXPECT_EQ(r.Find("number")->as_string(), "某公信〔2024〕1号");
  const std::string reply_xml = DocumentXml(reply);
  EXPECT_THAT(reply_xml, HasSubstr("第十五条"));
  EXPECT_THAT(reply_xml, HasSubstr("某市人民政府"));
  EXPECT_THAT(reply_xml, HasSubstr("涉及第三方商业秘密"));
  const std::string pdf = dir_.File("reply.pdf");
  ASSERT_EQ(
      daemon_
          ->Cli({"doc", "reply", "2024-0001", "--format", "pdf", "--out", pdf})
          .exit_code,
      0);
  EXPECT_THAT(ReadAll(pdf), StartsWith("%PDF-"));
}

TEST_F(DocumentsFlowTest, TemplatesExportedEditedAndLoaded) {
  const std::string out = dir_.File("templates");
  CommandResult exported = daemon_->Cli({"doc", "templates", "export", out});
  ASSERT_EQ(exported.exit_code, 0) << exported.err;
  const std::string receipt = out + "/receipt.docx";
  ASSERT_THAT(DocumentXml(receipt), HasSubstr("{{申请人}}"));

  // An office's edit: its own words around the same placeholder.
  const std::string edited_dir = dir_.File("edited");
  ASSERT_EQ(RunProgram("/bin/mkdir", {"-p", edited_dir}).exit_code, 0);
  EditDocx(receipt, edited_dir + "/receipt.docx", "{{申请人}}",
           "尊敬的{{申请人}}（本局自拟）");
  CommandResult loaded =
      daemon_->AdminCli({"doc", "templates", "load", edited_dir});
  ASSERT_EQ(loaded.exit_code, 0) << loaded.err;
  const std::string doc = dir_.File("receipt.docx");
  ASSERT_EQ(
      daemon_->Cli({"doc", "receipt", "2024-0001", "--out", doc}).exit_code, 0);
  EXPECT_THAT(DocumentXml(doc), HasSubstr("尊敬的张三（本局自拟）"));

  // A placeholder outside the catalogue: refused, naming it and the file.
  const std::string bad_dir = dir_.File("bad");
  ASSERT_EQ(RunProgram("/bin/mkdir", {"-p", bad_dir}).exit_code, 0);
  EditDocx(receipt, bad_dir + "/receipt.docx", "{{申请人}}",
           "{{申请人}}{{申请人电话}}");
  CommandResult refused =
      daemon_->AdminCli({"doc", "templates", "load", bad_dir});
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_THAT(refused.err, HasSubstr("{{申请人电话}}"));
  EXPECT_THAT(refused.err, HasSubstr("receipt.docx"));
  // Staff may not load templates.
  EXPECT_NE(daemon_->Cli({"doc", "templates", "load", edited_dir}).exit_code,
            0);
}

}  // namespace
}  // namespace gongkai::testing

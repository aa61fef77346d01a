// Checks the generated files with the programs an office and a printer
// would use: LibreOffice opens and converts every filled default template
// and the report (a DOCX it cannot read fails the conversion or comes out
// blank), poppler renders their first pages and reads our own PDFs' text.
// Needs soffice (libreoffice-writer-nogui) and pdftoppm/pdftotext
// (poppler-utils), which `deploy/install-deps.sh --test` installs. Without
// them the tests are skipped with a note, except under CI=true, where they
// fail.
#include <fcntl.h>
#include <spawn.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "documents/documents.h"
#include "documents/report_document.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

extern char** environ;

namespace gongkai::documents {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

std::string Which(const std::string& program) {
  const char* path = std::getenv("PATH");
  for (absl::string_view dir :
       absl::StrSplit(path ? path : "/usr/bin:/bin", ':')) {
    std::string candidate = absl::StrCat(dir, "/", program);
    if (access(candidate.c_str(), X_OK) == 0) return candidate;
  }
  return "";
}

// Runs `argv` with stdout and stderr into `log`; the exit code, or -1.
int RunProgram(const std::vector<std::string>& argv, const std::string& log) {
  std::vector<char*> args;
  for (const std::string& a : argv)
    args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, log.c_str(),
                                   O_WRONLY | O_CREAT | O_APPEND, 0600);
  posix_spawn_file_actions_adddup2(&actions, 1, 2);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  pid_t pid;
  int rc = posix_spawn(&pid, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) return -1;
  int status = 0;
  if (waitpid(pid, &status, 0) != pid) return -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

std::string ReadAll(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// The share of dark pixels in a binary PGM (P5) image; -1 when it is not
// one.
double InkShare(const std::string& pgm) {
  std::istringstream in(pgm);
  std::string magic;
  int w = 0, h = 0, max = 0;
  in >> magic >> w >> h >> max;
  if (magic != "P5" || w <= 0 || h <= 0 || max != 255) return -1;
  in.get();
  const std::string pixels = pgm.substr(static_cast<size_t>(in.tellg()));
  if (pixels.size() < static_cast<size_t>(w) * h) return -1;
  int64_t dark = 0;
  for (size_t i = 0; i < static_cast<size_t>(w) * h; ++i) {
    if (static_cast<unsigned char>(pixels[i]) < 128) ++dark;
  }
  return static_cast<double>(dark) / (static_cast<double>(w) * h);
}

class OfficeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    soffice_ = Which("soffice");
    pdftoppm_ = Which("pdftoppm");
    pdftotext_ = Which("pdftotext");
    if (soffice_.empty() || pdftoppm_.empty() || pdftotext_.empty()) {
      const char* ci = std::getenv("CI");
      const std::string why =
          "soffice (libreoffice-writer-nogui) and pdftoppm/pdftotext "
          "(poppler-utils) are needed: run deploy/install-deps.sh --test";
      if (ci != nullptr && std::string(ci) == "true") FAIL() << why;
      GTEST_SKIP() << why;
    }
    std::string tmpl =
        (fs::temp_directory_path() / "gongkai-office-XXXXXX").string();
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
    log_ = (dir_ / "log.txt").string();
  }

  void TearDown() override {
    if (!dir_.empty()) fs::remove_all(dir_);
  }

  // Page 1 of `pdf` rendered to grey pixels at 30 dpi; their ink share.
  double PageOneInk(const fs::path& pdf) {
    const fs::path out = dir_ / (pdf.stem().string() + "-page1");
    EXPECT_EQ(RunProgram({pdftoppm_, "-gray", "-r", "30", "-f", "1", "-l", "1",
                          "-singlefile", pdf.string(), out.string()},
                         log_),
              0)
        << ReadAll(log_);
    return InkShare(ReadAll(out.string() + ".pgm"));
  }

  std::string Text(const fs::path& pdf) {
    const fs::path out = dir_ / (pdf.stem().string() + ".txt");
    EXPECT_EQ(
        RunProgram({pdftotext_, "-enc", "UTF-8", pdf.string(), out.string()},
                   log_),
        0)
        << ReadAll(log_);
    return ReadAll(out);
  }

  // Converts `docx` files in dir_ to PDF with LibreOffice (one start for
  // all), into dir_/lo/, with a private profile and no network.
  void ConvertWithLibreOffice(const std::vector<fs::path>& docx) {
    std::vector<std::string> argv = {
        soffice_,
        absl::StrCat("-env:UserInstallation=file://",
                     (dir_ / "profile").string()),
        "--headless",
        "--norestore",
        "--nolockcheck",
        "--nodefault",
        "--convert-to",
        "pdf",
        "--outdir",
        (dir_ / "lo").string()};
    for (const fs::path& p : docx) argv.push_back(p.string());
    ASSERT_EQ(RunProgram(argv, log_), 0) << ReadAll(log_);
  }

  std::string soffice_, pdftoppm_, pdftotext_, log_;
  fs::path dir_;
};

std::map<std::string, std::string> Values(const std::string& docx) {
  std::map<std::string, std::string> v;
  const std::vector<std::string> names = *ListPlaceholders(docx);
  for (const std::string& n : names) v[n] = "（" + n + "）";
  v["申请人"] = "王小明";
  v["文号"] = "驻公信〔2024〕3号";
  v["文书日期"] = "二〇二四年三月六日";
  v["机关名称"] = "驻马店市人民政府办公室";
  return v;
}

TEST_F(OfficeTest, LibreOfficeOpensEveryFilledTemplateAndOurPdfsRender) {
  std::vector<fs::path> files;
  for (const std::string& name : DefaultTemplateNames()) {
    const std::string docx = *DefaultTemplate(name);
    absl::StatusOr<std::string> filled = FillTemplate(docx, Values(docx));
    ASSERT_TRUE(filled.ok()) << name << ": " << filled.status();
    files.push_back(dir_ / (name + ".docx"));
    std::ofstream(files.back(), std::ios::binary) << *filled;
    absl::StatusOr<std::string> pdf = DocxToPdf(*filled);
    ASSERT_TRUE(pdf.ok()) << name << ": " << pdf.status();
    const fs::path ours = dir_ / (name + ".pdf");
    std::ofstream(ours, std::ios::binary) << *pdf;
    EXPECT_THAT(Text(ours), HasSubstr("王小明")) << name;
    const double ink = PageOneInk(ours);
    EXPECT_GT(ink, 0.002) << name << ": our PDF's page 1 is blank";
  }
  ConvertWithLibreOffice(files);
  for (const fs::path& docx : files) {
    const fs::path pdf = dir_ / "lo" / (docx.stem().string() + ".pdf");
    ASSERT_TRUE(fs::exists(pdf))
        << docx << " was not converted: " << ReadAll(log_);
    EXPECT_THAT(Text(pdf), HasSubstr("王小明")) << docx;
    const double ink = PageOneInk(pdf);
    EXPECT_GT(ink, 0.002) << docx << ": LibreOffice's page 1 is blank";
  }
}

// An office edits the template in an office suite and saves it: the
// placeholders must survive the round trip and still fill.
TEST_F(OfficeTest, TemplatesSavedAgainByLibreOfficeKeepTheirPlaceholders) {
  std::vector<fs::path> files;
  std::map<std::string, std::vector<std::string>> names;
  for (const std::string& name : DefaultTemplateNames()) {
    const std::string docx = *DefaultTemplate(name);
    names[name] = *ListPlaceholders(docx);
    files.push_back(dir_ / (name + ".docx"));
    std::ofstream(files.back(), std::ios::binary) << docx;
  }
  std::vector<std::string> argv = {soffice_,
                                   absl::StrCat("-env:UserInstallation=file://",
                                                (dir_ / "profile").string()),
                                   "--headless",
                                   "--norestore",
                                   "--nolockcheck",
                                   "--nodefault",
                                   "--convert-to",
                                   "docx:MS Word 2007 XML",
                                   "--outdir",
                                   (dir_ / "saved").string()};
  for (const fs::path& p : files) argv.push_back(p.string());
  ASSERT_EQ(RunProgram(argv, log_), 0) << ReadAll(log_);
  for (const auto& [name, want] : names) {
    const std::string saved = ReadAll(dir_ / "saved" / (name + ".docx"));
    ASSERT_FALSE(saved.empty()) << name << ": " << ReadAll(log_);
    absl::StatusOr<std::vector<std::string>> got = ListPlaceholders(saved);
    ASSERT_TRUE(got.ok()) << name << ": " << got.status();
    EXPECT_EQ(*got, want) << name;
    absl::StatusOr<std::string> filled = FillTemplate(saved, Values(saved));
    ASSERT_TRUE(filled.ok()) << name << ": " << filled.status();
    EXPECT_EQ(*ListPlaceholders(*filled), std::vector<std::string>()) << name;
    absl::StatusOr<std::string> pdf = DocxToPdf(*filled);
    ASSERT_TRUE(pdf.ok()) << name << ": " << pdf.status();
    const fs::path out = dir_ / (name + "-saved.pdf");
    std::ofstream(out, std::ios::binary) << *pdf;
    EXPECT_THAT(Text(out), HasSubstr("王小明")) << name;
  }
}

TEST_F(OfficeTest, LibreOfficeOpensTheReport) {
  AnnualReport r;
  r.year = 2023;
  r.agency = "驻马店市公安局";
  std::vector<CaseFact> facts(
      3, CaseFact{absl::CivilDay(2023, 3, 1), absl::CivilDay(2023, 3, 9),
                  Outcome::kDisclosed});
  r.table3 = TallyTable3(2023, facts);
  const std::string narrative =
      "# {{agency}}{{year}}年政府信息公开工作年度报告\n\n## 一、总体情况\n\n"
      "共接受依申请公开 {{requests.new.total}} 件。\n\n"
      "## 二、主动公开政府信息情况\n\n## 三、收到和处理政府信息公开申请情况\n\n"
      "## 四、政府信息公开行政复议、行政诉讼情况\n\n"
      "## 五、存在的主要问题及改进情况\n\n略。\n\n## "
      "六、其他需要报告的事项\n\n无。\n";
  absl::StatusOr<std::string> docx = ReportDocx(r, narrative);
  ASSERT_TRUE(docx.ok()) << docx.status();
  const fs::path file = dir_ / "report.docx";
  std::ofstream(file, std::ios::binary) << *docx;
  ConvertWithLibreOffice({file});
  const fs::path pdf = dir_ / "lo" / "report.pdf";
  ASSERT_TRUE(fs::exists(pdf)) << ReadAll(log_);
  const std::string text = Text(pdf);
  EXPECT_THAT(text, HasSubstr("驻马店市公安局"));
  EXPECT_THAT(text, HasSubstr("法人或其他组织"));
  EXPECT_THAT(text, HasSubstr("复议后起诉"));
  EXPECT_GT(PageOneInk(pdf), 0.002);

  const fs::path ours = dir_ / "ours.pdf";
  std::ofstream(ours, std::ios::binary) << *ReportPdf(r, narrative);
  EXPECT_THAT(Text(ours), HasSubstr("本年新收政府信息公开申请数量"));
}

}  // namespace
}  // namespace gongkai::documents

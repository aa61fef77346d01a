// The year-end report, driven through the real binaries: the reference
// report reproduced from a ledger, every format, publication and the period
// lock, appeals, ledger import and export, check and merge.
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "absl/strings/match.h"
#include "formats/text_encoding.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/integration/harness.h"

namespace gongkai::testing {
namespace {

using ::testing::HasSubstr;

const std::string kData = GONGKAI_TEST_DATA_DIR;

std::string Read(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

void Write(const std::string& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

// Compares with tests/data/golden/NAME; GONGKAI_UPDATE_GOLDEN=1 rewrites it.
void ExpectGolden(const std::string& name, const std::string& actual) {
  const std::string path = kData + "/golden/" + name;
  if (std::getenv("GONGKAI_UPDATE_GOLDEN") != nullptr) Write(path, actual);
  EXPECT_EQ(actual, Read(path))
      << "golden file " << path
      << " differs; rerun with GONGKAI_UPDATE_GOLDEN=1 "
         "after checking the change";
}

class ReportFlowTest : public ::testing::Test {
 protected:
  void Start(const std::string& today = "2024-01-15") {
    daemon_ = std::make_unique<Daemon>(
        dir_.File("g.db"),
        std::vector<std::string>{"--fake-today", today, "--agency",
                                 "驻马店市公安局"});
    ASSERT_TRUE(daemon_->Start()) << daemon_->log();
  }
  void Ok(std::vector<std::string> args) {
    const bool admin = args[0] == "import" || args[0] == "proactive";
    CommandResult r = admin ? daemon_->AdminCli(args) : daemon_->Cli(args);
    ASSERT_EQ(r.exit_code, 0) << args[0] << " " << args[1] << ": " << r.err;
  }
  // The reference report: ledger plus the table 2 figures it published.
  void LoadReference() {
    Ok({"import", "ledger", kData + "/reference-2023-ledger.csv"});
    Ok({"proactive", "set", "--year", "2023", "--item", "normative_documents",
        "--in-force", "1"});
    Ok({"proactive", "set", "--year", "2023", "--item", "licensing",
        "--decisions", "2878911"});
    Ok({"proactive", "set", "--year", "2023", "--item", "punishment",
        "--decisions", "3160"});
    Ok({"proactive", "set", "--year", "2023", "--item", "enforcement",
        "--decisions", "263"});
    Ok({"proactive", "set", "--year", "2023", "--item", "fees", "--amount-yuan",
        "79628075"});
  }

  ScratchDir dir_;
  std::unique_ptr<Daemon> daemon_;
};

TEST_F(ReportFlowTest, ReproducesTheReferenceReportCellByCell) {
  Start();
  LoadReference();
  Json r = daemon_->CliJson({"report", "--year", "2023"});
  EXPECT_EQ(r.Find("year")->as_int(), 2023);
  EXPECT_EQ(r.Find("agency")->as_string(), "驻马店市公安局");
  const Json& req = *r.Find("requests");
  auto expect_counts = [](const Json* counts, int64_t natural,
                          const std::string& row) {
    ASSERT_NE(counts, nullptr) << row;
    for (const auto& [key, value] : counts->as_object()) {
      int64_t want = key == "natural_person" || key == "total" ? natural : 0;
      EXPECT_EQ(value.as_int(), want) << row << " " << key;
    }
  };
  expect_counts(req.Find("new"), 47, "new");
  expect_counts(req.Find("carried_in"), 0, "carried_in");
  expect_counts(req.Find("carried_out"), 1, "carried_out");
  for (const auto& [code, counts] : req.Find("outcomes")->as_object()) {
    int64_t want = code == "disclosed"              ? 25
                   : code == "unavailable_not_held" ? 21
                   : code == "total"                ? 46
                                                    : 0;
    expect_counts(&counts, want, code);
  }
  EXPECT_EQ(req.Find("outcomes")->as_object().size(), 22u);
  for (const auto& [kind, results] : r.Find("appeals")->as_object()) {
    for (const auto& [k, v] : results.as_object())
      EXPECT_EQ(v.as_int(), 0) << kind << k;
  }
  const Json& t2 = *r.Find("proactive");
  EXPECT_EQ(t2.Find("normative_documents")->Find("in_force")->as_int(), 1);
  EXPECT_EQ(t2.Find("licensing")->Find("decisions")->as_int(), 2878911);
  EXPECT_EQ(t2.Find("punishment")->Find("decisions")->as_int(), 3160);
  EXPECT_EQ(t2.Find("enforcement")->Find("decisions")->as_int(), 263);
  EXPECT_EQ(t2.Find("fees")->Find("amount_wan_yuan")->as_string(), "7962.8075");
  EXPECT_EQ(r.Find("fees")->Find("collected_yuan")->as_int(), 0);

  // Golden files for every text format.
  for (const char* format : {"text", "md", "csv", "json", "html"}) {
    CommandResult out =
        daemon_->Cli({"report", "--year", "2023", "--format", format});
    ASSERT_EQ(out.exit_code, 0) << out.err;
    ExpectGolden(std::string("report-2023.") + format, out.out);
  }
  CommandResult csv =
      daemon_->Cli({"report", "--year", "2023", "--format", "csv"});
  EXPECT_EQ(csv.out.substr(0, 3), "\xEF\xBB\xBF");
  Write(dir_.File("t3.csv"), csv.out);
  EXPECT_EQ(daemon_->Cli({"report", "check", dir_.File("t3.csv")}).exit_code,
            0);
}

TEST_F(ReportFlowTest, XlsxWorkbookHasTheThreeTablesWithMergedCells) {
  Start();
  LoadReference();
  const std::string xlsx = dir_.File("report.xlsx");
  Ok({"report", "--year", "2023", "--format", "xlsx", "--out", xlsx});
  CommandResult inspect =
      RunProgram("/usr/bin/python3",
                 {"-c",
                  "import sys, zipfile, re\n"
                  "z = zipfile.ZipFile(sys.argv[1])\n"
                  "wb = z.read('xl/workbook.xml').decode()\n"
                  "print(re.findall(r'<sheet name=\"([^\"]+)\"', wb))\n"
                  "s3 = z.read('xl/worksheets/sheet2.xml').decode()\n"
                  "print('merges', len(re.findall('<mergeCell ', s3)))\n"
                  "strings = z.read('xl/sharedStrings.xml').decode()\n"
                  "for label in ['本机关不掌握相关政府信息', '法人或其他组织', "
                  "'尚未审结', '行政事业性收费']:\n"
                  "    print(label, label in strings)\n",
                  xlsx});
  ASSERT_EQ(inspect.exit_code, 0) << inspect.err;
  EXPECT_THAT(inspect.out, HasSubstr("['表二', '表三', '表四']"));
  EXPECT_THAT(inspect.out, HasSubstr("merges 16"));
  EXPECT_THAT(inspect.out, ::testing::Not(HasSubstr("False")));
}

TEST_F(ReportFlowTest, HtmlRendersInChromiumWithMergedCells) {
  const char* chromium = "/usr/bin/chromium";
  ASSERT_EQ(access(chromium, X_OK), 0)
      << "Chromium is needed for this test; ./deploy/install-deps.sh installs "
         "it";
  Start();
  LoadReference();
  const std::string html = dir_.File("report.html");
  Ok({"report", "--year", "2023", "--format", "html", "--out", html});
  const std::vector<std::string> flags = {
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--user-data-dir=" + dir_.File("profile")};
  std::vector<std::string> dump = flags;
  dump.push_back("--virtual-time-budget=2000");
  dump.push_back("--dump-dom");
  dump.push_back("file://" + html);
  CommandResult dom = RunProgram(chromium, dump);
  ASSERT_EQ(dom.exit_code, 0) << dom.err;
  // The page's own check ran in the browser: every row of every table spans
  // the same number of columns, and nothing overflows.
  EXPECT_THAT(dom.out, HasSubstr("data-problems=\"0\""));
  EXPECT_THAT(dom.out, HasSubstr(">layout ok<"));
  EXPECT_THAT(
      dom.out,
      HasSubstr("<th rowspan=\"22\" class=\"label\">三、本年度办理结果</th>"));
  EXPECT_THAT(dom.out, HasSubstr("<th colspan=\"5\">法人或其他组织</th>"));
  EXPECT_THAT(dom.out, HasSubstr("<th colspan=\"10\">行政诉讼</th>"));

  std::vector<std::string> shot = flags;
  const std::string png = dir_.File("report.png");
  shot.push_back("--window-size=794,1123");  // A4 at 96 dpi
  shot.push_back("--screenshot=" + png);
  shot.push_back("file://" + html);
  CommandResult r = RunProgram(chromium, shot);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::string image = Read(png);
  ASSERT_GT(image.size(), 10000u);
  EXPECT_EQ(image.substr(1, 3), "PNG");
  auto be32 = [&](size_t at) {
    return (static_cast<unsigned char>(image[at]) << 24) |
           (static_cast<unsigned char>(image[at + 1]) << 16) |
           (static_cast<unsigned char>(image[at + 2]) << 8) |
           static_cast<unsigned char>(image[at + 3]);
  };
  EXPECT_EQ(be32(16), 794u);
  EXPECT_EQ(be32(20), 1123u);
}

TEST_F(ReportFlowTest, BadLedgerImportsNothingAndListsEveryBadRow) {
  Start();
  Write(
      dir_.File("bad.csv"),
      "received_on,applicant_type,applicant_name,request,answered_on,outcome\n"
      "2023-03-06,natural_person,张三,预算,2023-03-10,disclosed\n"
      "2023-02-30,natural_person,李四,规划,,\n"
      "2023-03-07,person,王五,规划,,\n"
      "2023-03-08,natural_person,赵六,规划,2023-03-01,disclosed\n");
  CommandResult r = daemon_->AdminCli(
      {"--lang", "en", "import", "ledger", dir_.File("bad.csv")});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr("nothing imported: 3 bad rows"));
  EXPECT_THAT(r.err, HasSubstr("line 3: received_on"));
  EXPECT_THAT(r.err, HasSubstr("line 4: applicant_type: unknown applicant "
                               "type 'person'"));
  EXPECT_THAT(r.err, HasSubstr("line 5: answered_on: 2023-03-01 is before "
                               "received_on"));
  // In Chinese (the default), the same rows and columns.
  CommandResult zh = daemon_->AdminCli(
      {"--lang", "zh", "import", "ledger", dir_.File("bad.csv")});
  EXPECT_THAT(zh.err, HasSubstr("未导入任何案件：3 行有误"));
  EXPECT_THAT(zh.err, HasSubstr("第 3 行：「收到日期」"));
  EXPECT_THAT(zh.err,
              HasSubstr("第 5 行：「答复日期」：2023-03-01 早于收到日期"));
  EXPECT_EQ(daemon_->CliJson({"case", "list"}).as_array().size(), 0u);
  Write(dir_.File("quotes.csv"),
        "received_on,applicant_type,applicant_name,request\n"
        "2023-03-06,natural_person,\"unclosed,x\n");
  CommandResult q =
      daemon_->AdminCli({"import", "ledger", dir_.File("quotes.csv")});
  EXPECT_EQ(q.exit_code, 1);
  EXPECT_THAT(q.err, HasSubstr("never closed"));
}

// The ledger exported every way an office may keep it — Chinese headers or
// codes, CSV in UTF-8 or as Excel on Chinese Windows saves it (GBK), or a
// workbook — and imported into a fresh database gives the same cases and
// the same report.
TEST_F(ReportFlowTest, ExportReimportsToTheSameReport) {
  Start();
  LoadReference();
  CommandResult labels = daemon_->Cli({"export", "ledger", "--year", "2023"});
  ASSERT_EQ(labels.exit_code, 0) << labels.err;
  EXPECT_THAT(labels.out, HasSubstr("申请编号,收到日期,申请人类型,申请人,"
                                    "申请方式,申请内容,答复日期,办理结果"));
  EXPECT_THAT(labels.out, HasSubstr(",自然人,"));
  CommandResult codes =
      daemon_->Cli({"export", "ledger", "--year", "2023", "--codes"});
  ASSERT_EQ(codes.exit_code, 0) << codes.err;
  EXPECT_THAT(codes.out, HasSubstr("case_no,received_on,applicant_type"));
  EXPECT_THAT(codes.out, HasSubstr(",natural_person,"));
  Write(dir_.File("labels.csv"), labels.out);
  Write(dir_.File("codes.csv"), codes.out);
  auto gbk = EncodeGb18030(labels.out.substr(3));  // without the BOM
  ASSERT_TRUE(gbk.ok());
  Write(dir_.File("gbk.csv"), *gbk);
  for (const char* name : {"labels.xlsx", "codes.xlsx"}) {
    std::vector<std::string> args = {"export", "ledger",       "--year",
                                     "2023",   "--format",     "xlsx",
                                     "--out",  dir_.File(name)};
    if (absl::StartsWith(name, "codes")) args.push_back("--codes");
    CommandResult x = daemon_->Cli(args);
    ASSERT_EQ(x.exit_code, 0) << x.err;
  }
  Json before = daemon_->CliJson({"report", "--year", "2023"});
  daemon_->Stop();

  const std::pair<const char*, const char*> ways[] = {
      {"labels.csv", "UTF-8 with BOM"},
      {"codes.csv", "UTF-8 with BOM"},
      {"gbk.csv", "GB18030 (GBK)"},
      {"labels.xlsx", "sheet '台账'"},
      {"codes.xlsx", "sheet '台账'"}};
  for (const auto& [name, read_as] : ways) {
    SCOPED_TRACE(name);
    ScratchDir other;
    Daemon fresh(other.File("g.db"),
                 {"--fake-today", "2024-01-15", "--agency", "驻马店市公安局"});
    ASSERT_TRUE(fresh.Start());
    CommandResult imported =
        fresh.AdminCli({"--lang", "en", "import", "ledger", dir_.File(name)});
    ASSERT_EQ(imported.exit_code, 0) << imported.err;
    EXPECT_THAT(imported.out, HasSubstr(read_as));
    Json after = fresh.CliJson({"report", "--year", "2023"});
    EXPECT_EQ(*before.Find("requests"), *after.Find("requests"));
    CommandResult again =
        fresh.Cli({"export", "ledger", "--year", "2023", "--codes"});
    EXPECT_EQ(again.out, codes.out);
    fresh.Stop();
  }
}

TEST_F(ReportFlowTest, AppealsFillTableFour) {
  Start("2024-03-01");
  LoadReference();
  CommandResult a =
      daemon_->Cli({"appeal", "new", "--case", "驻公信〔2023〕26号", "--kind",
                    "reconsideration", "--filed", "2023-08-01"});
  ASSERT_EQ(a.exit_code, 0) << a.err;
  std::string id = a.out.substr(0, a.out.size() - 1);
  Ok({"appeal", "new", "--case", "驻公信〔2023〕27号", "--kind",
      "litigation_direct", "--filed", "2023-11-01"});
  CommandResult early = daemon_->Cli(
      {"appeal", "decide", id, "--result", "upheld", "--date", "2023-07-01"});
  EXPECT_EQ(early.exit_code, 1);
  EXPECT_THAT(early.err, HasSubstr("before the appeal was filed"));
  Ok({"appeal", "decide", id, "--result", "upheld", "--date", "2023-10-01"});
  CommandResult twice = daemon_->Cli(
      {"appeal", "decide", id, "--result", "other", "--date", "2023-10-02"});
  EXPECT_THAT(twice.err, HasSubstr("already decided"));
  CommandResult missing =
      daemon_->Cli({"appeal", "new", "--case", "nope", "--kind",
                    "reconsideration", "--filed", "2023-08-01"});
  EXPECT_THAT(missing.err, HasSubstr("no case numbered 'nope'"));
  Json r = daemon_->CliJson({"report", "--year", "2023"});
  const Json& appeals = *r.Find("appeals");
  EXPECT_EQ(appeals.Find("reconsideration")->Find("upheld")->as_int(), 1);
  EXPECT_EQ(appeals.Find("litigation_direct")->Find("pending")->as_int(), 1);
  EXPECT_EQ(appeals.Find("litigation_direct")->Find("total")->as_int(), 1);
  Json r24 = daemon_->CliJson({"report", "--year", "2024"});
  EXPECT_EQ(
      r24.Find("appeals")->Find("reconsideration")->Find("total")->as_int(), 0);
  EXPECT_EQ(
      r24.Find("appeals")->Find("litigation_direct")->Find("pending")->as_int(),
      1);
  EXPECT_EQ(
      daemon_->CliJson({"appeal", "list", "--year", "2023"}).as_array().size(),
      2u);
}

TEST_F(ReportFlowTest, PublishedYearIsFrozen) {
  Start();
  LoadReference();
  CommandResult not_over =
      daemon_->Cli({"report", "publish", "--year", "2024"});
  EXPECT_THAT(not_over.err, HasSubstr("has not ended"));
  Ok({"report", "publish", "--year", "2023"});
  CommandResult again = daemon_->Cli({"report", "publish", "--year", "2023"});
  EXPECT_THAT(again.err, HasSubstr("already published"));

  // Answering the carried-over case in 2024 leaves 2023's figures alone.
  Ok({"case", "answer", "驻公信〔2023〕47号", "--date", "2024-01-10",
      "--outcome", "disclosed"});
  // A late entry of a 2023 application would change row 一: refused.
  std::vector<std::string> late = {
      "case",        "new",  "--received",       "2023-12-28",
      "--channel",   "mail", "--applicant-type", "natural_person",
      "--applicant", "迟录", "--request",        "某信息"};
  CommandResult refused = daemon_->Cli(late);
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_THAT(refused.err, HasSubstr("the 2023 report is published"));
  CommandResult table2 =
      daemon_->AdminCli({"proactive", "set", "--year", "2023", "--item",
                         "punishment", "--decisions", "1"});
  EXPECT_THAT(table2.err, HasSubstr("the 2023 report is published"));
  CommandResult clean = daemon_->Cli({"report", "--year", "2023"});
  EXPECT_THAT(clean.err, HasSubstr("agree with the published figures"));

  std::vector<std::string> forced = {"--force-reason", "漏登，经主任批准补录"};
  forced.insert(forced.end(), late.begin(), late.end());
  CommandResult ok = daemon_->Cli(forced);
  ASSERT_EQ(ok.exit_code, 0) << ok.err;
  Json c = daemon_->CliJson({"case", "show", "2023-0001"});
  EXPECT_EQ(c.Find("events")
                ->as_array()[0]
                .Find("details")
                ->Find("forced")
                ->as_string(),
            "漏登，经主任批准补录");
  CommandResult differs = daemon_->Cli({"report", "--year", "2023"});
  EXPECT_THAT(differs.err, HasSubstr("differ from the published figures"));
  EXPECT_THAT(differs.err, HasSubstr("一 本年新收 自然人: 47 -> 48"));
  CommandResult next = daemon_->Cli({"report", "--year", "2024"});
  EXPECT_THAT(
      next.err,
      HasSubstr(
          "row 二 (2) differs from row 四 of the published 2023 report (1)"));
}

// The annual report alert through the daemon: overdue after 31 January while
// unpublished, gone as soon as the report is published, and not back after
// a restart.
TEST_F(ReportFlowTest, ReportAlertEndsWithPublication) {
  Start("2024-02-05");
  LoadReference();
  auto report_alerts = [&](std::vector<std::string> args) {
    std::vector<std::string> out;
    const Json alerts = daemon_->CliJson(args);
    for (const Json& a : alerts.as_array()) {
      if (a.Find("case_no")->is_null()) {
        out.push_back(a.Find("kind")->as_string() + " " +
                      a.Find("clock_id")->as_string());
      }
    }
    return out;
  };
  EXPECT_THAT(report_alerts({"alerts"}),
              ::testing::ElementsAre("annual_report_overdue 2023"));
  EXPECT_THAT(report_alerts({"alerts", "--as-of", "2024-01-31"}),
              ::testing::ElementsAre("annual_report_due 2023"));
  Ok({"report", "publish", "--year", "2023"});
  EXPECT_THAT(report_alerts({"alerts"}), ::testing::IsEmpty());
  ASSERT_EQ(daemon_->Stop(), 0);
  ASSERT_TRUE(daemon_->Start()) << daemon_->log();
  EXPECT_THAT(report_alerts({"alerts"}), ::testing::IsEmpty());
}

TEST_F(ReportFlowTest, CheckMergeAndDocumentWorkOffline) {
  Start();
  LoadReference();
  CommandResult json =
      daemon_->Cli({"report", "--year", "2023", "--format", "json"});
  Write(dir_.File("a.json"), json.out);
  Write(dir_.File("b.json"), json.out);
  CommandResult merged =
      RunProgram(GONGKAI_CLI_PATH, {"report", "merge", dir_.File("a.json"),
                                    dir_.File("b.json"), "--agency", "全市"});
  ASSERT_EQ(merged.exit_code, 0) << merged.err;
  absl::StatusOr<Json> m = Json::Parse(merged.out);
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->Find("requests")->Find("new")->Find("total")->as_int(), 94);
  EXPECT_EQ(m->Find("agency")->as_string(), "全市");
  Write(dir_.File("bad.json"), "{\"year\": 2023}");
  CommandResult bad = RunProgram(
      GONGKAI_CLI_PATH,
      {"report", "merge", dir_.File("a.json"), dir_.File("bad.json")});
  EXPECT_NE(bad.exit_code, 0);
  EXPECT_THAT(bad.err, HasSubstr("bad.json"));

  CommandResult csv =
      daemon_->Cli({"report", "--year", "2023", "--format", "csv"});
  std::string typed = csv.out;
  const std::string right = "（一）予以公开,,25,0,0,0,0,0,25";
  size_t at = typed.find(right);
  ASSERT_NE(at, std::string::npos);
  typed.replace(at, right.size(), "（一）予以公开,,24,0,0,0,0,0,25");
  Write(dir_.File("typed.csv"), typed);
  CommandResult check =
      RunProgram(GONGKAI_CLI_PATH, {"report", "check", dir_.File("typed.csv")});
  EXPECT_EQ(check.exit_code, 1);
  EXPECT_THAT(
      check.out,
      HasSubstr("[t3.total_column] table 3 row （一）: the total column is 25 "
                "but the six applicant columns sum to 24."));
  EXPECT_THAT(check.out,
              HasSubstr("[t3.total_row] table 3 （七）总计, column natural "
                        "person: 46 but the outcome rows sum to 45."));

  Write(
      dir_.File("narrative.md"),
      "# {{agency}} {{year}}年政府信息公开工作年度报告\n\n## 一、总体情况\n\n"
      "2023 年共接受依申请公开 {{requests.new.total}} 件，其中 "
      "{{requests.carried_out.total}} 件结转下年度继续办理。\n\n"
      "## 二、主动公开政府信息情况\n\n## 三、收到和处理政府信息公开申请情况\n\n"
      "{{table3}}\n\n## 四、政府信息公开行政复议、行政诉讼情况\n\n"
      "## 五、存在的主要问题及改进情况\n\n略。\n\n## 六、其他需要报告的事项\n\n"
      "依申请公开收费 {{fees.collected_yuan}} 元。\n");
  const std::string doc = dir_.File("report.html");
  Ok({"report", "document", "--year", "2023", "--narrative",
      dir_.File("narrative.md"), "--out", doc});
  std::string html = Read(doc);
  EXPECT_THAT(
      html,
      HasSubstr(
          "2023 年共接受依申请公开 47 件，其中 1 件结转下年度继续办理。"));
  EXPECT_THAT(html, HasSubstr("依申请公开收费 0 元。"));
  EXPECT_THAT(html, HasSubstr("<table class=\"t2\">"));
  EXPECT_THAT(html, HasSubstr("<table class=\"t3\">"));
  EXPECT_THAT(html, HasSubstr("<table class=\"t4\">"));
  Write(dir_.File("typo.md"), "{{requests.nwe.total}}\n");
  CommandResult typo =
      daemon_->Cli({"report", "document", "--year", "2023", "--narrative",
                    dir_.File("typo.md"), "--out", dir_.File("x.md")});
  EXPECT_THAT(typo.err, HasSubstr("line 1: {{requests.nwe.total}}"));
}

}  // namespace
}  // namespace gongkai::testing

// An office's day through the real binaries: labels in every form, the
// figures as published, staff accounts, case numbers that survive a restore
// and follow the agency's own pattern, alerts acknowledged and snoozed, and
// fee quotes for an applicant.
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <tuple>

#include "absl/strings/str_format.h"
#include "formats/zip_archive.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/integration/harness.h"

namespace gongkai::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

const std::vector<std::string> kToday = {"--fake-today", "2024-06-28"};

std::vector<std::string> NewCase(const std::string& received,
                                 const std::string& type = "natural_person",
                                 const std::string& applicant = "张三") {
  return {"case",        "new",     "--received",       received,
          "--channel",   "mail",    "--applicant-type", type,
          "--applicant", applicant, "--request",        "某信息"};
}

// The keys of the case alerts in `alerts` (the annual report's are left
// out), by case number.
std::map<std::string, std::string> CaseAlerts(const Json& alerts) {
  std::map<std::string, std::string> keys;
  for (const Json& a : alerts.as_array()) {
    if (a.Find("case_no")->is_string()) {
      keys.emplace(a.Find("case_no")->as_string(), a.Find("key")->as_string());
    }
  }
  return keys;
}

// The case number `case new` printed.
std::string Number(const CommandResult& r) {
  return r.out.substr(0, r.out.find('\n'));
}

TEST(OfficeTest, OutcomesAndApplicantTypesInEveryFormAnOfficeWrites) {
  ScratchDir dir;
  Daemon d(dir.File("g.db"), kToday);
  d.set_cli_lang("zh");  // the office reads Chinese
  ASSERT_TRUE(d.Start()) << d.log();
  CommandResult org = d.Cli(NewCase("2024-06-03", "法人或其他组织 商业企业"));
  ASSERT_EQ(org.exit_code, 0) << org.err;
  ASSERT_EQ(d.Cli(NewCase("2024-06-04")).exit_code, 0);
  ASSERT_EQ(d.Cli(NewCase("2024-06-05")).exit_code, 0);
  Json first = d.CliJson({"case", "show", "2024-0001"});
  EXPECT_EQ(first.Find("applicant_type")->as_string(), "commercial_enterprise");

  // What `case answer --help` prints is accepted as it is.
  CommandResult help = d.Cli({"case", "answer", "--help"});
  EXPECT_THAT(help.out, HasSubstr("（四）无法提供 1.本机关不掌握相关政府信息"));
  for (const auto& [no, outcome, code] :
       std::vector<std::tuple<std::string, std::string, std::string>>{
           {"2024-0001",
            "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
            "partially_disclosed"},
           {"2024-0002", "（四）无法提供 1.本机关不掌握相关政府信息",
            "unavailable_not_held"},
           {"2024-0003", "部分公开", "partially_disclosed"}}) {
    CommandResult answered = d.Cli(
        {"case", "answer", no, "--date", "2024-06-20", "--outcome", outcome});
    EXPECT_EQ(answered.exit_code, 0) << outcome << ": " << answered.err;
    EXPECT_EQ(d.CliJson({"case", "show", no}).Find("outcome")->as_string(),
              code);
  }
  // A short form that fits several rows names them, in the reader's
  // language.
  ASSERT_EQ(d.Cli(NewCase("2024-06-06")).exit_code, 0);
  CommandResult vague = d.Cli({"case", "answer", "2024-0004", "--date",
                               "2024-06-20", "--outcome", "公开"});
  EXPECT_NE(vague.exit_code, 0);
  EXPECT_THAT(vague.err, HasSubstr("不明确"));
  EXPECT_THAT(vague.err, HasSubstr("partially_disclosed"));
  CommandResult group = d.Cli({"case", "answer", "2024-0004", "--date",
                               "2024-06-20", "--outcome", "（三）"});
  EXPECT_THAT(group.err, HasSubstr("withheld_state_secret"));
  EXPECT_THAT(group.err, Not(HasSubstr("unavailable_not_held")));
}

TEST(OfficeTest, PublishedFiguresArePrintedAgainInEveryFormat) {
  ScratchDir dir;
  Daemon d(dir.File("g.db"), kToday);
  d.set_cli_lang("zh");  // the office reads Chinese
  ASSERT_TRUE(d.Start()) << d.log();
  ASSERT_EQ(d.Cli(NewCase("2023-05-08")).exit_code, 0);
  CommandResult unpublished =
      d.Cli({"report", "--year", "2023", "--published"});
  EXPECT_NE(unpublished.exit_code, 0);
  EXPECT_THAT(unpublished.err, HasSubstr("尚未发布"));
  ASSERT_EQ(d.Cli({"report", "publish", "--year", "2023"}).exit_code, 0);
  // The current figures agree: no note in the output itself.
  EXPECT_THAT(d.Cli({"report", "--year", "2023"}).out, Not(HasSubstr("注意")));
  Json agreeing = d.CliJson({"report", "--year", "2023"});
  EXPECT_FALSE(agreeing.Find("publication")->Find("differs")->as_bool());

  std::vector<std::string> late = NewCase("2023-06-01");
  late.insert(late.begin(), {"--force-reason", "漏登，经主任批准补录"});
  ASSERT_EQ(d.Cli(late).exit_code, 0);

  Json now = d.CliJson({"report", "--year", "2023"});
  Json then = d.CliJson({"report", "--year", "2023", "--published"});
  auto new_total = [](const Json& j) {
    return j.Find("requests")->Find("new")->Find("total")->as_int();
  };
  EXPECT_EQ(new_total(now), 2);
  EXPECT_EQ(new_total(then), 1);
  EXPECT_EQ(then.Find("publication")->Find("figures")->as_string(),
            "published");
  EXPECT_EQ(now.Find("publication")->Find("figures")->as_string(), "current");
  EXPECT_TRUE(now.Find("publication")->Find("differs")->as_bool());
  EXPECT_THAT(then.Find("publication")->Find("differences")->Dump(),
              HasSubstr("1 -> 2"));

  // Every format says it, of the current and of the published figures.
  for (const char* format : {"text", "md", "csv", "html"}) {
    CommandResult current =
        d.Cli({"report", "--year", "2023", "--format", format});
    EXPECT_THAT(current.out, HasSubstr("与已发布的不同")) << format;
    EXPECT_THAT(
        current.out,
        HasSubstr(std::string(format) == "html" ? "1 -&gt; 2" : "1 -> 2"))
        << format;
    CommandResult published =
        d.Cli({"report", "--year", "2023", "--published", "--format", format});
    EXPECT_THAT(published.out, HasSubstr("年度报告发布时")) << format;
    EXPECT_THAT(published.out, HasSubstr("现有记录与之不同")) << format;
  }
  CommandResult english =
      d.Cli({"--lang", "en", "report", "--year", "2023", "--published"});
  EXPECT_THAT(english.out, HasSubstr("as published"));
  // The report check still reads a CSV with the note after the tables.
  CommandResult csv = d.Cli({"report", "--year", "2023", "--format", "csv",
                             "--out", dir.File("now.csv")});
  ASSERT_EQ(csv.exit_code, 0) << csv.err;
  CommandResult check = d.Cli({"report", "check", dir.File("now.csv")});
  EXPECT_EQ(check.exit_code, 0) << check.out << check.err;
  for (const char* which : {"now", "then"}) {
    std::vector<std::string> args = {"report",
                                     "--year",
                                     "2023",
                                     "--format",
                                     "xlsx",
                                     "--out",
                                     dir.File(std::string(which) + ".xlsx")};
    if (std::string(which) == "then") args.push_back("--published");
    CommandResult xlsx = d.Cli(args);
    ASSERT_EQ(xlsx.exit_code, 0) << xlsx.err;
    // Read with the project's own zip reader: a bare machine has no unzip.
    std::ifstream in(dir.File(std::string(which) + ".xlsx"), std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(in)),
                            std::istreambuf_iterator<char>());
    absl::StatusOr<ZipArchive> zip = ZipArchive::Open(bytes, 64 << 20);
    ASSERT_TRUE(zip.ok()) << zip.status();
    absl::StatusOr<std::string> strings = zip->Read("xl/sharedStrings.xml");
    ASSERT_TRUE(strings.ok()) << strings.status();
    EXPECT_THAT(*strings, HasSubstr("1 -&gt; 2")) << which;
  }
}

TEST(OfficeTest, StaffAccountsAreEnabledChangedAndTheLastAdminStays) {
  ScratchDir dir;
  Daemon d(dir.File("g.db"), kToday);
  d.set_cli_lang("zh");  // the office reads Chinese
  ASSERT_TRUE(d.Start()) << d.log();
  const std::string li = d.AddUser("li", "clerk");
  ASSERT_FALSE(li.empty());
  ASSERT_EQ(d.AdminCli({"admin", "user", "disable", "li"}).exit_code, 0);
  CommandResult rotate = d.AdminCli({"admin", "user", "rotate-token", "li"});
  EXPECT_NE(rotate.exit_code, 0);
  EXPECT_EQ(rotate.out, "");  // no token that would not work
  EXPECT_THAT(rotate.err, HasSubstr("gongkai admin user enable li"));
  CommandResult again =
      d.AdminCli({"admin", "user", "add", "li", "--role", "clerk"});
  EXPECT_THAT(again.err, HasSubstr("admin user enable li"));

  CommandResult enable = d.AdminCli({"admin", "user", "enable", "li"});
  ASSERT_EQ(enable.exit_code, 0) << enable.err;
  EXPECT_THAT(enable.out, HasSubstr("已启用"));
  EXPECT_EQ(d.CliAs(li, {"whoami"}).exit_code, 0);
  CommandResult set =
      d.AdminCli({"--json", "admin", "user", "set", "li", "--role", "handler"});
  ASSERT_EQ(set.exit_code, 0) << set.err;
  EXPECT_THAT(set.out, HasSubstr("\"role\": \"handler\""));
  CommandResult neither = d.AdminCli({"admin", "user", "set", "li"});
  EXPECT_NE(neither.exit_code, 0);
  EXPECT_THAT(neither.err, HasSubstr("--role"));
  // li may now answer a case.
  ASSERT_EQ(d.Cli(NewCase("2024-06-03")).exit_code, 0);
  EXPECT_EQ(d.CliAs(li, {"case", "answer", "2024-0001", "--date", "2024-06-20",
                         "--outcome", "予以公开"})
                .exit_code,
            0);

  // The daemon's first administrator is the only one of every agency.
  Json me = Json::Parse(d.AdminCli({"--json", "whoami"}).out).value_or(Json());
  ASSERT_TRUE(me.is_object());
  CommandResult demote =
      d.AdminCli({"--lang", "en", "admin", "user", "set",
                  me.Find("name")->as_string(), "--role", "clerk"});
  EXPECT_NE(demote.exit_code, 0);
  EXPECT_THAT(demote.err, HasSubstr("last enabled administrator"));
  CommandResult audit = d.AdminCli({"--json", "audit"});
  EXPECT_THAT(audit.out, HasSubstr("user_enabled"));
  EXPECT_THAT(audit.out, HasSubstr("user_changed"));
}

TEST(OfficeTest, ARestoredBackupNeverReissuesACaseNumber) {
  ScratchDir dir;
  Daemon d(dir.File("g.db"), kToday);
  d.set_cli_lang("zh");  // the office reads Chinese
  ASSERT_TRUE(d.Start()) << d.log();
  ASSERT_EQ(Number(d.Cli(NewCase("2024-06-03"))), "2024-0001");
  ASSERT_EQ(d.AdminCli({"admin", "backup", "backup.db"}).exit_code, 0);
  ASSERT_EQ(Number(d.Cli(NewCase("2024-06-04", "natural_person", "李四"))),
            "2024-0002");
  ASSERT_EQ(Number(d.Cli(NewCase("2024-06-05", "natural_person", "王五"))),
            "2024-0003");
  d.Stop();

  // Restore as docs/operations.md says, keeping g.db.case-numbers.
  std::filesystem::remove(dir.File("g.db-wal"));
  std::filesystem::remove(dir.File("g.db-shm"));
  std::filesystem::copy_file(dir.File("backups/backup.db"), dir.File("g.db"),
                             std::filesystem::copy_options::overwrite_existing);
  std::filesystem::rename(dir.File("g.db.audit-anchor"),
                          dir.File("g.db.audit-anchor.before-restore"));
  CommandResult reanchor =
      RunProgram(GONGKAID_PATH, {"--db", dir.File("g.db"), "--create-admin",
                                 "restorer", "--reanchor-audit"});
  ASSERT_EQ(reanchor.exit_code, 0) << reanchor.err;
  ASSERT_TRUE(d.Start()) << d.log();
  EXPECT_EQ(d.CliJson({"case", "list"}).as_array().size(), 1u);
  // 2024-0002 and -0003 went to 李四 and 王五 before the restore.
  EXPECT_EQ(Number(d.Cli(NewCase("2024-06-10", "natural_person", "赵六"))),
            "2024-0004");
  EXPECT_EQ(d.AdminCli({"admin", "check"}).exit_code, 0);
}

TEST(OfficeTest, AnAgencyNumbersCasesInItsOwnPattern) {
  ScratchDir dir;
  Daemon d(dir.File("g.db"), kToday);
  d.set_cli_lang("zh");  // the office reads Chinese
  ASSERT_TRUE(d.Start()) << d.log();
  for (const char* code : {"zgx", "edu"}) {
    ASSERT_EQ(
        d.AdminCli({"admin", "agency", "add", code, "--name", code}).exit_code,
        0);
  }
  CommandResult bad = d.AdminCli({"admin", "agency", "set", "zgx",
                                  "--case-no-pattern", "驻公信〔{year}〕号"});
  EXPECT_NE(bad.exit_code, 0);
  EXPECT_THAT(bad.err, HasSubstr("{n}"));
  CommandResult set =
      d.AdminCli({"admin", "agency", "set", "zgx", "--case-no-pattern",
                  "驻公信〔{year}〕{n}号"});
  ASSERT_EQ(set.exit_code, 0) << set.err;
  auto in = [](const std::string& agency, const std::string& received) {
    std::vector<std::string> args = NewCase(received);
    args.insert(args.end(), {"--agency", agency});
    return args;
  };
  EXPECT_EQ(Number(d.Cli(in("zgx", "2024-06-03"))), "驻公信〔2024〕1号");
  EXPECT_EQ(Number(d.Cli(in("edu", "2024-06-03"))), "2024-0001");
  EXPECT_EQ(Number(d.Cli(in("zgx", "2024-06-04"))), "驻公信〔2024〕2号");
  EXPECT_EQ(Number(d.Cli(in("zgx", "2023-12-04"))), "驻公信〔2023〕1号");
  Json shown = d.CliJson({"case", "show", "驻公信〔2024〕2号"});
  EXPECT_EQ(shown.Find("applicant")->as_string(), "张三");
  CommandResult list = d.AdminCli({"admin", "agency", "list"});
  EXPECT_THAT(list.out, HasSubstr("驻公信〔{year}〕{n}号"));
  EXPECT_THAT(list.out, HasSubstr("{year}-{n:4}"));
}

TEST(OfficeTest, EachUserAcknowledgesAndSnoozesTheirOwnAlerts) {
  ScratchDir dir;
  Daemon d(dir.File("g.db"), kToday);
  d.set_cli_lang("zh");  // the office reads Chinese
  ASSERT_TRUE(d.Start()) << d.log();
  ASSERT_EQ(d.Cli(NewCase("2024-05-06")).exit_code, 0);  // overdue by now
  ASSERT_EQ(d.Cli(NewCase("2024-05-07")).exit_code, 0);
  std::map<std::string, std::string> keys = CaseAlerts(d.CliJson({"alerts"}));
  ASSERT_EQ(keys.size(), 2u);
  const std::string first = keys["2024-0001"];
  const std::string second = keys["2024-0002"];

  CommandResult ack = d.Cli({"alert", "ack", first});
  ASSERT_EQ(ack.exit_code, 0) << ack.err;
  CommandResult snooze =
      d.Cli({"alert", "snooze", second, "--until", "2024-07-02"});
  ASSERT_EQ(snooze.exit_code, 0) << snooze.err;
  EXPECT_THAT(snooze.out, HasSubstr("2024-07-02"));
  EXPECT_EQ(CaseAlerts(d.CliJson({"alerts"})).size(), 0u);
  CommandResult listed = d.Cli({"alerts"});
  EXPECT_THAT(listed.out, HasSubstr("条提醒已确认或暂缓"));
  CommandResult all = d.Cli({"alerts", "--all"});
  EXPECT_THAT(all.out, HasSubstr("已确认"));
  EXPECT_THAT(all.out, HasSubstr("暂缓至 2024-07-02"));
  // On the day it was snoozed to it is back.
  EXPECT_EQ(CaseAlerts(d.CliJson({"alerts", "--as-of", "2024-07-02"})).size(),
            1u);
  // Another user's list is untouched.
  const std::string li = d.AddUser("li", "handler");
  CommandResult theirs = d.CliAs(li, {"--json", "alerts"});
  EXPECT_THAT(theirs.out, HasSubstr(first));
  EXPECT_THAT(theirs.out, HasSubstr(second));

  ASSERT_EQ(d.Cli({"alert", "unmark", first}).exit_code, 0);
  EXPECT_EQ(CaseAlerts(d.CliJson({"alerts"})).size(), 1u);
  CommandResult unknown = d.Cli({"alert", "ack", "2024-9999|x"});
  EXPECT_NE(unknown.exit_code, 0);
  EXPECT_THAT(unknown.err, HasSubstr("2024-9999|x"));
  CommandResult both = d.Cli({"alert", "snooze", second});
  EXPECT_EQ(both.exit_code, 2);
}

TEST(OfficeTest, FeeQuoteForAnApplicantCountsTheMonthOfTheLatestApplication) {
  ScratchDir dir;
  Daemon d(dir.File("g.db"), kToday);
  d.set_cli_lang("zh");  // the office reads Chinese
  ASSERT_TRUE(d.Start()) << d.log();
  for (int day = 1; day <= 12; ++day) {
    ASSERT_EQ(d.Cli(NewCase(absl::StrFormat("2024-05-%02d", day))).exit_code,
              0);
  }
  // Today is in June; the applicant's applications are in May.
  Json quote = d.CliJson({"fee", "quote", "--applicant", "张三"});
  EXPECT_EQ(quote.Find("pieces_this_month")->as_int(), 12);
  EXPECT_EQ(quote.Find("fee_yuan")->as_int(), 100);
  CommandResult june =
      d.Cli({"fee", "quote", "--applicant", "张三", "--month", "2024-06"});
  EXPECT_NE(june.exit_code, 0);
  CommandResult nobody = d.Cli({"fee", "quote", "--applicant", "无名氏"});
  EXPECT_NE(nobody.exit_code, 0);
  EXPECT_THAT(nobody.err, HasSubstr("无名氏"));
}

}  // namespace
}  // namespace gongkai::testing

#include "app/report_service.h"

#include <atomic>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "app/test_world.h"
#include "common/lang.h"
#include "formats/ledger.h"
#include "formats/text_encoding.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace gongkai::app {
namespace {

using ::testing::HasSubstr;

class ReportServiceTest : public TestWorld {
 protected:
  storage::AppealRecord FileAppeal(const Caller& caller,
                                   const std::string& case_no,
                                   absl::CivilDay filed_on) {
    ReportService reports(env_);
    auto a = reports.CreateAppeal(
        caller, NewAppeal{case_no, AppealKind::kReconsideration, filed_on}, "");
    EXPECT_TRUE(a.ok()) << a.status();
    return a.ok() ? *a : storage::AppealRecord();
  }

  // Every appeal as an administrator of all agencies sees it.
  std::map<int64_t, storage::AppealRecord> AllAppeals() {
    ReportService reports(env_);
    auto all = reports.ListAppeals(As("admin"), 0);
    EXPECT_TRUE(all.ok()) << all.status();
    std::map<int64_t, storage::AppealRecord> out;
    if (all.ok()) {
      for (const auto& a : *all) out[a.id] = a;
    }
    return out;
  }

  ProactiveChange Licensing(int year, const std::string& agency,
                            int64_t decisions) {
    ProactiveChange change;
    change.year = year;
    change.item = "licensing";
    change.agency = agency;
    change.decisions = decisions;
    return change;
  }

  int64_t LicensingOf(int year, const std::string& agency) {
    ReportService reports(env_);
    auto rows = reports.GetProactive(As("admin"), year, agency);
    EXPECT_TRUE(rows.ok()) << rows.status();
    return rows.ok() ? (*rows)[static_cast<int>(ProactiveItem::kLicensing) - 1]
                           .decisions
                     : -1;
  }
};

TEST_F(ReportServiceTest, AnotherAgencysAppealCannotBeSeenOrDecided) {
  ReportService reports(env_);
  const CaseRecord c = AddCase("a", absl::CivilDay(2025, 1, 6));
  const storage::AppealRecord appeal =
      FileAppeal(As("handler_a"), c.case_no, absl::CivilDay(2025, 2, 3));
  EXPECT_EQ(appeal.agency, "a");

  auto decided =
      reports.DecideAppeal(As("handler_b"), appeal.id, AppealResult::kUpheld,
                           absl::CivilDay(2025, 3, 1), "");
  EXPECT_EQ(decided.status().code(), absl::StatusCode::kNotFound);
  // The same words as for an appeal that does not exist.
  EXPECT_EQ(MessageIn(decided.status(), Lang::kEn),
            absl::StrCat("no appeal with id ", appeal.id));
  EXPECT_FALSE(AllAppeals().at(appeal.id).result.has_value());

  auto listed = reports.ListAppeals(As("handler_b"), 0);
  ASSERT_TRUE(listed.ok()) << listed.status();
  EXPECT_TRUE(listed->empty());
  listed = reports.ListAppeals(As("handler_a"), 0);
  ASSERT_TRUE(listed.ok()) << listed.status();
  EXPECT_EQ(listed->size(), 1u);

  // Nor may B file an appeal against A's case.
  auto filed =
      reports.CreateAppeal(As("handler_b"),
                           NewAppeal{c.case_no, AppealKind::kReconsideration,
                                     absl::CivilDay(2025, 2, 4)},
                           "");
  EXPECT_EQ(filed.status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(AllAppeals().size(), 1u);

  auto own =
      reports.DecideAppeal(As("handler_a"), appeal.id, AppealResult::kCorrected,
                           absl::CivilDay(2025, 3, 1), "");
  ASSERT_TRUE(own.ok()) << own.status();
  EXPECT_EQ(own->result, AppealResult::kCorrected);
  auto again =
      reports.DecideAppeal(As("handler_a"), appeal.id, AppealResult::kUpheld,
                           absl::CivilDay(2025, 3, 2), "");
  EXPECT_EQ(again.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(MessageIn(again.status(), Lang::kEn),
              HasSubstr("was already decided on"));
}

TEST_F(ReportServiceTest, AppealDatesAreChecked) {
  ReportService reports(env_);
  const CaseRecord c = AddCase("a", absl::CivilDay(2025, 1, 6));
  auto early =
      reports.CreateAppeal(As("handler_a"),
                           NewAppeal{c.case_no, AppealKind::kReconsideration,
                                     absl::CivilDay(2025, 1, 2)},
                           "");
  EXPECT_EQ(early.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(MessageIn(early.status(), Lang::kEn),
              HasSubstr("is before case"));
  auto future = reports.CreateAppeal(
      As("handler_a"),
      NewAppeal{c.case_no, AppealKind::kReconsideration, kToday + 1}, "");
  EXPECT_EQ(future.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(MessageIn(future.status(), Lang::kEn),
              HasSubstr("is in the future"));
  EXPECT_TRUE(AllAppeals().empty());
}

TEST_F(ReportServiceTest, TableTwoOfAnotherAgencyCannotBeSet) {
  ReportService reports(env_);
  auto refused =
      reports.SetProactive(As("admin_a"), Licensing(2024, "b", 7), "");
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(MessageIn(refused.status(), Lang::kEn),
            "unknown agency 'b'; agencies: a (甲局)");
  EXPECT_EQ(LicensingOf(2024, "b"), 0);
  EXPECT_TRUE(Audit("proactive_set").empty());

  auto own = reports.SetProactive(As("admin_a"), Licensing(2024, "", 7), "");
  ASSERT_TRUE(own.ok()) << own.status();
  EXPECT_EQ((*own)[static_cast<int>(ProactiveItem::kLicensing) - 1].decisions,
            7);
  EXPECT_EQ(LicensingOf(2024, "a"), 7);
  EXPECT_EQ(LicensingOf(2024, "b"), 0);

  // A figure that does not belong to the item says which ones do.
  ProactiveChange wrong = Licensing(2024, "a", 1);
  wrong.issued = 3;
  auto bad = reports.SetProactive(As("admin_a"), wrong, "");
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(MessageIn(bad.status(), Lang::kEn),
            "--issued does not apply to licensing; use --decisions");
}

TEST_F(ReportServiceTest, LedgerCannotBeImportedIntoAnotherAgency) {
  ReportService reports(env_);
  const LedgerImport ledger{
      "request,received_on,applicant_type,applicant_name,answered_on,outcome\n"
      "预算,2024-03-06,natural_person,张三,2024-03-20,disclosed\n"
      "规划,2024-12-28,commercial_enterprise,某公司,,\n",
      "b.csv", "b"};
  auto refused = reports.ImportLedger(As("admin_a"), ledger, "");
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument);
  auto exported = reports.ExportLedger(As("admin"), 2024, "");
  ASSERT_TRUE(exported.ok()) << exported.status();
  EXPECT_TRUE(exported->rows.empty());

  auto imported = reports.ImportLedger(As("admin_b"), ledger, "");
  ASSERT_TRUE(imported.ok()) << imported.status();
  EXPECT_EQ(imported->imported, 2);
  EXPECT_FALSE(imported->already_imported);
  auto twice = reports.ImportLedger(As("admin_b"), ledger, "");
  ASSERT_TRUE(twice.ok()) << twice.status();
  EXPECT_TRUE(twice->already_imported);
  // Who imported it is told only to a user of every agency.
  EXPECT_EQ(twice->previous_import, "");
  auto root = reports.ImportLedger(As("admin"), ledger, "");
  ASSERT_TRUE(root.ok()) << root.status();
  EXPECT_THAT(root->previous_import, HasSubstr("admin_b"));

  exported = reports.ExportLedger(As("admin_a"), 2024, "");
  ASSERT_TRUE(exported.ok()) << exported.status();
  EXPECT_TRUE(exported->rows.empty());
  exported = reports.ExportLedger(As("admin"), 2024, "b");
  ASSERT_TRUE(exported.ok()) << exported.status();
  EXPECT_EQ(exported->rows.size(), 2u);
  std::vector<storage::AuditEntry> events = Audit("ledger_imported");
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].actor, "admin_b");
}

TEST_F(ReportServiceTest, BadLedgerRowsImportNothing) {
  ReportService reports(env_);
  auto bad = reports.ImportLedger(
      As("admin_a"),
      LedgerImport{"case_no,received_on,applicant_type,applicant_name,"
                   "request,answered_on,outcome\n"
                   "A,2024-03-01,natural_person,张三,x,,\n"
                   "B,2024-02-30,natural_person,张三,x,,\n",
                   "a.csv", "a"},
      "");
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(MessageIn(bad.status(), Lang::kEn),
              HasSubstr("nothing imported: 1 bad row"));
  EXPECT_THAT(MessageIn(bad.status(), Lang::kEn), HasSubstr("line 3"));
  EXPECT_THAT(bad.status().message(), HasSubstr("未导入任何案件：1 行有误"));
  EXPECT_THAT(bad.status().message(), HasSubstr("第 3 行：「收到日期」"));
  auto exported = reports.ExportLedger(As("admin"), 2024, "");
  ASSERT_TRUE(exported.ok()) << exported.status();
  EXPECT_TRUE(exported->rows.empty());
}

// Export, then import into a fresh database, then export again: the same
// cases, whichever way the office saves the file.
TEST_F(ReportServiceTest, LedgerRoundTripsThroughAFreshDatabase) {
  ReportService reports(env_);
  const LedgerImport seed{
      "case_no,received_on,applicant_type,applicant_name,channel,request,"
      "answered_on,outcome\n"
      "驻公信〔2024〕1号,2024-01-10,natural_person,张三,online,"
      "\"预算, \"\"三公\"\"经费\",2024-01-20,disclosed\n"
      "驻公信〔2024〕2号,2024/2/1,commercial_enterprise,某公司,letter,"
      "\"=规划\n第二行\",2024年2月29日,unavailable_not_held\n"
      "驻公信〔2024〕3号,2024.12.30,legal_service_org,某律所,in_person,"
      "征地,,\n",
      "seed.csv", "a"};
  auto seeded = reports.ImportLedger(As("admin_a"), seed, "");
  ASSERT_TRUE(seeded.ok()) << seeded.status();
  ASSERT_EQ(seeded->imported, 3);
  auto expected =
      reports.ExportLedger(As("admin"), 2024, "a", LedgerStyle::kCodes);
  ASSERT_TRUE(expected.ok()) << expected.status();
  ASSERT_EQ(expected->rows.size(), 3u);

  struct Way {
    const char* name;
    LedgerStyle style;
    enum { kCsv, kGbk, kXlsx } file;
  };
  for (const Way& way : {Way{"csv labels", LedgerStyle::kLabels, Way::kCsv},
                         Way{"csv codes", LedgerStyle::kCodes, Way::kCsv},
                         Way{"gbk labels", LedgerStyle::kLabels, Way::kGbk},
                         Way{"gbk codes", LedgerStyle::kCodes, Way::kGbk},
                         Way{"xlsx labels", LedgerStyle::kLabels, Way::kXlsx},
                         Way{"xlsx codes", LedgerStyle::kCodes, Way::kXlsx}}) {
    SCOPED_TRACE(way.name);
    ReportService from(env_);
    auto exported = from.ExportLedger(As("admin"), 2024, "a", way.style);
    ASSERT_TRUE(exported.ok()) << exported.status();
    if (way.style == LedgerStyle::kLabels) {
      EXPECT_EQ(exported->header[1], "收到日期");
      EXPECT_EQ(exported->rows[0][2], "自然人");
    }
    std::string file = LedgerCsv(exported->header, exported->rows);
    TextEncoding encoding = TextEncoding::kUtf8Bom;
    if (way.file == Way::kGbk) {
      auto gbk = EncodeGb18030(file.substr(3));
      ASSERT_TRUE(gbk.ok());
      file = *gbk;
      encoding = TextEncoding::kGb18030;
    } else if (way.file == Way::kXlsx) {
      const std::string path = dir_.File("ledger.xlsx");
      ASSERT_TRUE(WriteLedgerXlsx(exported->header, exported->rows, path).ok());
      std::ifstream in(path, std::ios::binary);
      std::stringstream bytes;
      bytes << in.rdbuf();
      file = bytes.str();
    }

    // A fresh database, with the same agencies and users.
    store_.reset();
    for (const char* suffix : {"", "-wal", "-shm"}) {
      std::remove((dir_.File("gongkai.db") + suffix).c_str());
    }
    callers_.clear();
    SetUp();
    ReportService to(env_);
    auto imported =
        to.ImportLedger(As("admin_a"), LedgerImport{file, "back", "a"}, "");
    ASSERT_TRUE(imported.ok()) << imported.status();
    EXPECT_EQ(imported->imported, 3);
    if (way.file == Way::kXlsx) {
      EXPECT_EQ(imported->format, LedgerFormat::kXlsx);
      EXPECT_EQ(imported->sheet, "台账");
    } else {
      EXPECT_EQ(imported->format, LedgerFormat::kCsv);
      EXPECT_EQ(imported->encoding, encoding);
    }
    auto again = to.ExportLedger(As("admin"), 2024, "a", LedgerStyle::kCodes);
    ASSERT_TRUE(again.ok()) << again.status();
    EXPECT_EQ(again->header, expected->header);
    EXPECT_EQ(again->rows, expected->rows);
  }
}

TEST_F(ReportServiceTest, PublicationStopsTheNextWrite) {
  ReportService reports(env_);
  const CaseRecord c =
      AddCase("a", absl::CivilDay(2024, 5, 6), absl::CivilDay(2024, 5, 20));
  const storage::AppealRecord appeal =
      FileAppeal(As("handler_a"), c.case_no, absl::CivilDay(2024, 6, 3));

  auto unended = reports.PublishReport(As("head_a"), 2025, "a");
  EXPECT_EQ(unended.status().code(), absl::StatusCode::kFailedPrecondition);
  auto combined = reports.PublishReport(As("head_a"), 2024, "");
  EXPECT_EQ(combined.status().code(), absl::StatusCode::kPermissionDenied);

  auto published = reports.PublishReport(As("head_a"), 2024, "a");
  ASSERT_TRUE(published.ok()) << published.status();
  EXPECT_TRUE(published->published);
  EXPECT_FALSE(published->published_at.empty());
  EXPECT_TRUE(published->differences.empty());
  EXPECT_EQ(published->report.table3.new_requests.total(), 1);
  EXPECT_EQ(published->report.table4.reconsideration.pending, 1);
  auto twice = reports.PublishReport(As("head_a"), 2024, "a");
  EXPECT_EQ(twice.status().code(), absl::StatusCode::kAlreadyExists);

  // Deciding the appeal within 2024 would change the published table 4.
  auto decided =
      reports.DecideAppeal(As("handler_a"), appeal.id, AppealResult::kUpheld,
                           absl::CivilDay(2024, 12, 20), "");
  EXPECT_EQ(decided.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(MessageIn(decided.status(), Lang::kEn),
              HasSubstr("the 2024 report is published"));
  EXPECT_FALSE(AllAppeals().at(appeal.id).result.has_value());
  // Decided in 2025 it stays pending in 2024: allowed.
  auto later =
      reports.DecideAppeal(As("handler_a"), appeal.id, AppealResult::kUpheld,
                           absl::CivilDay(2025, 1, 20), "");
  EXPECT_TRUE(later.ok()) << later.status();

  auto figures =
      reports.SetProactive(As("admin_a"), Licensing(2024, "a", 3), "");
  EXPECT_EQ(figures.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(LicensingOf(2024, "a"), 0);
  // Agency b's 2024 report is not published: its figures stay open.
  EXPECT_TRUE(
      reports.SetProactive(As("admin_b"), Licensing(2024, "b", 3), "").ok());

  // A handler may not force; an administrator may, and it is recorded.
  auto handler_force =
      reports.CreateAppeal(As("handler_a"),
                           NewAppeal{c.case_no, AppealKind::kLitigationDirect,
                                     absl::CivilDay(2024, 7, 1)},
                           "court order");
  EXPECT_EQ(handler_force.status().code(), absl::StatusCode::kPermissionDenied);
  auto forced = reports.SetProactive(As("admin_a"), Licensing(2024, "a", 3),
                                     "correction approved by the office");
  ASSERT_TRUE(forced.ok()) << forced.status();
  EXPECT_EQ(LicensingOf(2024, "a"), 3);
  bool recorded = false;
  for (const auto& e : Audit("proactive_set")) {
    const Json* why = e.details.Find("forced");
    recorded |= e.actor == "admin_a" && why != nullptr &&
                why->as_string() == "correction approved by the office";
  }
  EXPECT_TRUE(recorded);

  auto view = reports.GetReport(As("head_a"), 2024, "a");
  ASSERT_TRUE(view.ok()) << view.status();
  EXPECT_TRUE(view->published);
  EXPECT_FALSE(view->differences.empty());  // the forced table 2 figure
}

// The report alerts follow publication: a publication that commits says so
// (the alert scheduler re-reads who has published); a refused one does not.
TEST_F(ReportServiceTest, PublicationTellsTheReportAlerts) {
  int told = 0;
  env_.on_reports_changed = [&] { ++told; };
  ReportService reports(env_);
  auto refused = reports.PublishReport(As("head_a"), 2024, "");
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(told, 0);
  ASSERT_TRUE(reports.PublishReport(As("head_a"), 2024, "a").ok());
  EXPECT_EQ(told, 1);
  auto twice = reports.PublishReport(As("head_a"), 2024, "a");
  EXPECT_EQ(twice.status().code(), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(told, 1);
  // A new agency owes its own report.
  AdminService admin(env_);
  ASSERT_TRUE(admin.CreateAgency(root_, "c", "丙局").ok());
  EXPECT_EQ(told, 2);
}

TEST_F(ReportServiceTest, DisabledUsersWriteIsRefusedInsideTheWrite) {
  ReportService reports(env_);
  const CaseRecord c = AddCase("a", absl::CivilDay(2025, 1, 6));
  const storage::AppealRecord appeal =
      FileAppeal(As("handler_a"), c.case_no, absl::CivilDay(2025, 2, 3));
  // The caller was authenticated before the account was disabled.
  const Caller stale = As("handler_a");
  AdminService admin(env_);
  ASSERT_TRUE(admin.DisableUser(As("admin"), "handler_a").ok());

  auto decided = reports.DecideAppeal(stale, appeal.id, AppealResult::kUpheld,
                                      absl::CivilDay(2025, 3, 1), "");
  EXPECT_EQ(decided.status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(MessageIn(decided.status(), Lang::kEn),
            "user handler_a is disabled");
  EXPECT_FALSE(AllAppeals().at(appeal.id).result.has_value());
  EXPECT_TRUE(Audit("appeal_decided").empty());
}

TEST_F(ReportServiceTest, ConcurrentWritersNeverCrossAgencies) {
  // Appeals of both agencies; each deciding thread owns some of its own
  // agency's and also tries every appeal of the other agency.
  constexpr int kPerThread = 5;
  const std::vector<std::string> deciders = {"handler_a", "handler_a2",
                                             "handler_b", "handler_b2",
                                             "handler_a", "handler_b"};
  std::map<std::string, std::string> agency_of_user = {
      {"handler_a", "a"},  {"handler_a2", "a"}, {"handler_b", "b"},
      {"handler_b2", "b"}, {"admin_a", "a"},    {"admin_b", "b"}};
  std::map<int64_t, std::string> agency_of_appeal;
  std::vector<std::vector<int64_t>> own(deciders.size());
  std::map<std::string, std::vector<int64_t>> of_agency;
  for (size_t i = 0; i < deciders.size(); ++i) {
    const std::string agency = agency_of_user.at(deciders[i]);
    for (int k = 0; k < kPerThread; ++k) {
      const CaseRecord c = AddCase(agency, absl::CivilDay(2025, 1, 6));
      const storage::AppealRecord a =
          FileAppeal(root_, c.case_no, absl::CivilDay(2025, 2, 3));
      agency_of_appeal[a.id] = agency;
      own[i].push_back(a.id);
      of_agency[agency].push_back(a.id);
    }
  }

  ReportService reports(env_);
  std::atomic<int> crossed{0}, failed{0};
  std::vector<std::thread> threads;
  for (size_t i = 0; i < deciders.size(); ++i) {
    threads.emplace_back([&, i] {
      const Caller& me = As(deciders[i]);
      const std::string other =
          agency_of_user.at(deciders[i]) == "a" ? "b" : "a";
      for (size_t k = 0; k < own[i].size(); ++k) {
        auto mine = reports.DecideAppeal(me, own[i][k], AppealResult::kUpheld,
                                         absl::CivilDay(2025, 3, 1), "");
        if (!mine.ok()) ++failed;
        const int64_t theirs =
            of_agency.at(other)[k % of_agency.at(other).size()];
        auto stolen = reports.DecideAppeal(me, theirs, AppealResult::kOther,
                                           absl::CivilDay(2025, 3, 1), "");
        if (stolen.status().code() != absl::StatusCode::kNotFound) ++crossed;
      }
    });
  }
  // Two administrators set their own agency's table 2 at the same time.
  for (const std::string admin : {"admin_a", "admin_b"}) {
    threads.emplace_back([&, admin] {
      const int64_t base = admin == "admin_a" ? 1000 : 2000;
      for (int k = 1; k <= 10; ++k) {
        if (!reports.SetProactive(As(admin), Licensing(2025, "", base + k), "")
                 .ok()) {
          ++failed;
        }
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(failed.load(), 0);
  EXPECT_EQ(crossed.load(), 0);

  // Every appeal decided once, upheld (never "other", the thieves' result),
  // and every decision's actor works for the appeal's agency.
  for (const auto& [id, a] : AllAppeals()) {
    ASSERT_TRUE(a.result.has_value()) << id;
    EXPECT_EQ(*a.result, AppealResult::kUpheld) << id;
  }
  std::set<std::string> subjects;
  for (const auto& e : Audit("appeal_decided")) {
    EXPECT_TRUE(subjects.insert(e.subject).second) << e.subject;
    int64_t id = 0;
    ASSERT_TRUE(absl::SimpleAtoi(absl::StripPrefix(e.subject, "appeal "), &id))
        << e.subject;
    EXPECT_EQ(agency_of_user.at(e.actor), agency_of_appeal.at(id))
        << e.actor << " decided " << e.subject;
  }
  EXPECT_EQ(subjects.size(), agency_of_appeal.size());
  for (const auto& e : Audit("proactive_set")) {
    const Json* agency = e.details.Find("agency");
    ASSERT_NE(agency, nullptr);
    EXPECT_EQ(agency_of_user.at(e.actor), agency->as_string());
  }
  EXPECT_EQ(LicensingOf(2025, "a"), 1010);
  EXPECT_EQ(LicensingOf(2025, "b"), 2010);
}

}  // namespace
}  // namespace gongkai::app

// Confinement for every role, administrators included (issue 12, items 1 and
// 2): a user limited to some agencies neither sees nor changes anything of
// another agency, and what it is refused looks exactly like what does not
// exist.
#include <filesystem>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "app/admin_service.h"
#include "app/calendar_service.h"
#include "app/case_service.h"
#include "app/fee_service.h"
#include "app/report_service.h"
#include "app/test_world.h"
#include "common/lang.h"
#include "common/status_macros.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace gongkai::app {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::UnorderedElementsAre;

class ConfinementTest : public TestWorld {
 protected:
  void SetUp() override {
    TestWorld::SetUp();
    AddUser("clerk_b", "clerk", {"b"});
    AddUser("head_b", "head", {"b"});
    AddUser("head", "head", {});
    AddUser("auditor_a", "auditor", {"a"});
    AddUser("staff_ab", "handler", {"a", "b"});
  }

  // A case logged through the service by `clerk`, with its own applicant.
  CaseRecord Log(const std::string& clerk, const std::string& applicant,
                 const std::string& case_no = "") {
    CaseService cases(env_);
    NewCase c;
    c.case_no = case_no;
    c.received_on = absl::CivilDay(2025, 3, 3);
    c.applicant = applicant;
    c.request = "2024年预算";
    auto v = cases.Create(As(clerk), c);
    EXPECT_TRUE(v.ok()) << v.status();
    return v.ok() ? v->record : CaseRecord();
  }

  std::vector<std::string> UserNames(const Caller& caller) {
    AdminService admin(env_);
    auto users = admin.ListUsers(caller);
    EXPECT_TRUE(users.ok()) << users.status();
    std::vector<std::string> names;
    if (users.ok()) {
      for (const auto& u : *users) names.push_back(u.name);
    }
    return names;
  }

  std::vector<storage::AuditEntry> AuditAs(const std::string& name,
                                           int limit = 100000) {
    AdminService admin(env_);
    auto entries =
        admin.ListAudit(As(name), AuditQuery{std::nullopt, "", limit});
    EXPECT_TRUE(entries.ok()) << entries.status();
    return entries.ok() ? *entries : std::vector<storage::AuditEntry>();
  }
};

// `refused` has the code of `missing` and its message with the missing
// name replaced by the refused one: nothing tells them apart.
void ExpectLooksMissing(const absl::Status& refused,
                        const absl::Status& missing,
                        const std::string& refused_name,
                        const std::string& missing_name) {
  EXPECT_FALSE(refused.ok());
  EXPECT_EQ(refused.code(), missing.code()) << refused << " vs " << missing;
  // In either language; Chinese quotes a name as “z” where English has 'z'.
  auto zh_quoted = [](std::string name) {
    if (name.size() >= 2 && name.front() == '\'' && name.back() == '\'') {
      name = absl::StrCat("“", name.substr(1, name.size() - 2), "”");
    }
    return name;
  };
  EXPECT_EQ(
      MessageIn(refused, Lang::kZh),
      absl::StrReplaceAll(MessageIn(missing, Lang::kZh),
                          {{zh_quoted(missing_name), zh_quoted(refused_name)},
                           {missing_name, refused_name}}))
      << refused << " vs " << missing;
  EXPECT_EQ(MessageIn(refused, Lang::kEn),
            absl::StrReplaceAll(MessageIn(missing, Lang::kEn),
                                {{missing_name, refused_name}}))
      << refused << " vs " << missing;
}

TEST_F(ConfinementTest, AnAgencysAdministratorListsOnlyItsOwnStaff) {
  EXPECT_THAT(UserNames(As("admin_a")),
              UnorderedElementsAre("admin_a", "auditor_a", "clerk_a", "head_a",
                                   "handler_a", "handler_a2"));
  // Not the unrestricted accounts, not b's, not those also of b.
  EXPECT_THAT(UserNames(As("admin_b")),
              UnorderedElementsAre("admin_b", "clerk_b", "head_b", "handler_b",
                                   "handler_b2"));
  EXPECT_EQ(UserNames(As("admin")).size(), 14u);
}

TEST_F(ConfinementTest, AnAgencysAdministratorCreatesOnlyUsersOfItsAgencies) {
  AdminService admin(env_);
  auto everywhere =
      admin.CreateUserWithToken(As("admin_a"), "root2", "admin", {});
  EXPECT_EQ(everywhere.status().code(), absl::StatusCode::kPermissionDenied);
  // Another agency is as unknown as one that does not exist.
  auto other = admin.CreateUserWithToken(As("admin_a"), "x1", "admin", {"b"});
  auto missing = admin.CreateUserWithToken(As("admin_a"), "x1", "admin", {"z"});
  ExpectLooksMissing(other.status(), missing.status(), "'b'", "'z'");
  auto both =
      admin.CreateUserWithToken(As("admin_a"), "x2", "clerk", {"a", "b"});
  EXPECT_EQ(both.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(UserNames(As("admin")), Not(::testing::Contains("root2")));
  EXPECT_THAT(UserNames(As("admin")), Not(::testing::Contains("x1")));
  EXPECT_THAT(UserNames(As("admin")), Not(::testing::Contains("x2")));

  auto own =
      admin.CreateUserWithToken(As("admin_a"), "admin_a2", "admin", {"a"});
  ASSERT_TRUE(own.ok()) << own.status();
  // The unrestricted administrator may do all of it.
  EXPECT_TRUE(
      admin.CreateUserWithToken(As("admin"), "root2", "admin", {}).ok());
  EXPECT_TRUE(
      admin.CreateUserWithToken(As("admin"), "x2", "clerk", {"a", "b"}).ok());
}

TEST_F(ConfinementTest, OtherAccountsCannotBeTakenOverAndLookUnknown) {
  AdminService admin(env_);
  const absl::Status missing =
      admin.RotateToken(As("admin_a"), "nobody").status();
  EXPECT_EQ(missing.code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(MessageIn(missing, Lang::kEn), "no user named 'nobody'");
  EXPECT_EQ(missing.message(), "没有名为“nobody”的用户");
  for (const char* target :
       {"admin", "admin_b", "handler_b", "staff_ab", "head"}) {
    SCOPED_TRACE(target);
    ExpectLooksMissing(admin.RotateToken(As("admin_a"), target).status(),
                       missing, target, "nobody");
    ExpectLooksMissing(admin.DisableUser(As("admin_a"), target).status(),
                       admin.DisableUser(As("admin_a"), "nobody").status(),
                       target, "nobody");
  }
  // Nothing changed: every one of them still acts.
  for (const char* target : {"admin", "admin_b", "handler_b"}) {
    auto again = storage::ReadValue<Caller>(*store_, [&](storage::Tables& t) {
      return ConfirmCaller(t, As(target), "WhoAmI");
    });
    EXPECT_TRUE(again.ok()) << target << ": " << again.status();
  }
  EXPECT_TRUE(Audit("token_rotated").empty());
  EXPECT_TRUE(Audit("user_disabled").empty());

  // Its own staff it manages; the unrestricted administrator manages all.
  EXPECT_TRUE(admin.RotateToken(As("admin_a"), "clerk_a").ok());
  EXPECT_TRUE(admin.DisableUser(As("admin_a"), "handler_a2").ok());
  EXPECT_TRUE(admin.RotateToken(As("admin"), "admin_b").ok());
  EXPECT_TRUE(admin.DisableUser(As("admin"), "staff_ab").ok());
}

TEST_F(ConfinementTest, WhatEveryAgencySharesIsOnlyForAUserOfEveryAgency) {
  AdminService admin(env_);
  auto agency = admin.CreateAgency(As("admin_a"), "c", "丙局");
  EXPECT_EQ(agency.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_THAT(MessageIn(agency.status(), Lang::kEn),
              HasSubstr("only a user of every agency may"));
  const std::string path = dir_.File("copy.db");
  EXPECT_EQ(admin.Backup(As("admin_a"), path).status().code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_FALSE(std::filesystem::exists(path));
  EXPECT_EQ(admin.CheckDatabase(As("admin_a")).status().code(),
            absl::StatusCode::kPermissionDenied);
  CalendarService calendar(env_);
  const WorkCalendar* in_force = calendar_.Get().get();
  auto load = calendar.LoadCalendar(
      As("admin_a"), WorkCalendar::Official().YearText(2025), "x.txt");
  EXPECT_EQ(load.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(calendar_.Get().get(), in_force);
  EXPECT_EQ(Audit("agency_created").size(), 2u);  // a and b only

  // The agency list holds only its own; the audit chain it may verify.
  auto agencies = admin.ListAgencies(As("clerk_a"));
  ASSERT_TRUE(agencies.ok()) << agencies.status();
  ASSERT_EQ(agencies->size(), 1u);
  EXPECT_EQ((*agencies)[0].code, "a");
  EXPECT_EQ(admin.ListAgencies(As("admin"))->size(), 2u);
  EXPECT_TRUE(admin.VerifyAudit(As("admin_a")).ok());

  // The unrestricted administrator may.
  EXPECT_TRUE(admin.CheckDatabase(As("admin")).ok());
  EXPECT_TRUE(admin.CreateAgency(As("admin"), "c", "丙局").ok());
}

TEST_F(ConfinementTest, BackupRefusesBeforeLookingAtThePath) {
  // A clerk cannot learn which files exist on the server.
  AdminService admin(env_);
  const std::string existing = dir_.File("gongkai.db");
  EXPECT_EQ(admin.Backup(As("clerk_a"), existing).status().code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(admin.Backup(As("admin_a"), existing).status().code(),
            absl::StatusCode::kPermissionDenied);
}

TEST_F(ConfinementTest, TheAuditTrailShowsOnlyTheCallersAgencies) {
  // Many of b's case events, and more than a page of events about an
  // account of a and b (which a's readers may not see and the store must
  // page past), all before a's case.
  const absl::Time earlier = absl::Now() - absl::Seconds(1);
  ASSERT_TRUE(store_
                  ->Write([&](storage::Tables& t) -> absl::Status {
                    for (int i = 0; i < 600; ++i) {
                      CaseRecord c;
                      c.agency = "b";
                      c.received_on = absl::CivilDay(2025, 3, 3);
                      c.applicant = "乙方申请人";
                      c.request = "规划";
                      c.created_at = c.updated_at = earlier;
                      CaseEvent e;
                      e.kind = "received";
                      e.effective_on = c.received_on;
                      e.recorded_at = earlier;
                      e.actor = "clerk_b";
                      e.details.Set("applicant", "乙方申请人");
                      auto s = t.cases().Insert(c, &e);
                      if (!s.ok()) return s.status();
                      RETURN_IF_ERROR(t.audit().Append(storage::RecordEvent{
                          "token_rotated", "user staff_ab", "admin", earlier}));
                    }
                    return absl::OkStatus();
                  })
                  .ok());
  const CaseRecord b = Log("clerk_b", "乙方申请人");
  ReportService reports(env_);
  ASSERT_TRUE(
      reports
          .CreateAppeal(
              As("head_b"),
              NewAppeal{b.case_no, AppealKind::kReconsideration, kToday}, "")
          .ok());
  ProactiveChange figures;
  figures.year = 2024;
  figures.item = "licensing";
  figures.agency = "b";
  figures.decisions = 3;
  ASSERT_TRUE(reports.SetProactive(As("admin_b"), figures, "").ok());
  CaseService cases(env_);
  ASSERT_TRUE(cases.Get(As("head_b"), b.case_no, /*reveal=*/true).ok());
  env_.backup_dir = dir_.File("backups");
  AdminService admin(env_);
  ASSERT_TRUE(admin.RotateToken(As("admin_b"), "clerk_b").ok());
  {
    auto backup = admin.Backup(As("admin"), "b.db");
    ASSERT_TRUE(backup.ok()) << backup.status();
  }
  const CaseRecord a = Log("clerk_a", "甲方申请人");

  for (const char* reader : {"head_a", "auditor_a", "admin_a"}) {
    SCOPED_TRACE(reader);
    std::vector<storage::AuditEntry> seen = AuditAs(reader);
    bool own_case = false, own_staff = false;
    for (const storage::AuditEntry& e : seen) {
      const std::string all =
          absl::StrCat(e.subject, " ", e.actor, " ", e.details.Dump());
      EXPECT_THAT(all, Not(HasSubstr("乙方"))) << all;
      EXPECT_THAT(all, Not(HasSubstr("_b"))) << all;
      EXPECT_NE(e.kind, "backup");
      EXPECT_NE(e.kind, "appeal_filed");
      EXPECT_NE(e.kind, "proactive_set");
      EXPECT_NE(e.subject, "user staff_ab");
      EXPECT_NE(e.subject, "user admin");
      own_case |= e.subject == absl::StrCat("case ", a.case_no);
      own_staff |= e.subject == "user clerk_a";
    }
    EXPECT_TRUE(own_case);
    EXPECT_TRUE(own_staff);
    // The limit counts what the reader sees, however many rows it may not
    // see come first.
    ASSERT_GE(seen.size(), 3u);
    std::vector<storage::AuditEntry> first = AuditAs(reader, 3);
    ASSERT_EQ(first.size(), 3u);
    EXPECT_EQ(first[2].subject, seen[2].subject);
    std::vector<storage::AuditEntry> paged =
        AuditAs(reader, static_cast<int>(seen.size()));
    ASSERT_EQ(paged.size(), seen.size());
    EXPECT_EQ(paged.back().subject, seen.back().subject);
    EXPECT_EQ(paged.back().kind, seen.back().kind);
  }
  // Those of every agency see everything (so the checks above can fail).
  int b_events = 0, backups = 0, staff_ab = 0;
  for (const storage::AuditEntry& e : AuditAs("admin")) {
    b_events += e.details.Dump().find("乙方") != std::string::npos;
    backups += e.kind == "backup";
    staff_ab += e.subject == "user staff_ab";
  }
  EXPECT_GT(b_events, 600);
  EXPECT_EQ(backups, 1);
  EXPECT_EQ(staff_ab, 601);
  // A user of a and b sees both.
  AddUser("auditor_ab", "auditor", {"a", "b"});
  int seen_by_both = 0;
  for (const storage::AuditEntry& e : AuditAs("auditor_ab")) {
    seen_by_both += e.subject == "user staff_ab";
  }
  EXPECT_EQ(seen_by_both, 601);
}

TEST_F(ConfinementTest, AnotherAgencysCaseLooksMissingEverywhere) {
  const CaseRecord b = Log("clerk_b", "乙方申请人");
  const std::string x = b.case_no, m = "2025-9999";
  const Caller& head_a = As("head_a");
  CaseService cases(env_);
  ReportService reports(env_);
  const absl::CivilDay d = kToday;
  const std::vector<
      std::pair<std::string, std::function<absl::Status(const std::string&)>>>
      calls = {
          {"get",
           [&](const std::string& no) {
             return cases.Get(head_a, no).status();
           }},
          {"reveal",
           [&](const std::string& no) {
             return cases.Get(head_a, no, true).status();
           }},
          {"explain",
           [&](const std::string& no) {
             return cases.ExplainDeadline(head_a, no).status();
           }},
          {"answer",
           [&](const std::string& no) {
             return cases.Answer(head_a, no, AnswerInput{d}).status();
           }},
          {"withdraw",
           [&](const std::string& no) {
             return cases.Withdraw(head_a, no, d, "").status();
           }},
          {"correction",
           [&](const std::string& no) {
             return cases.RequestCorrection(head_a, no, d, 10).status();
           }},
          {"corrected",
           [&](const std::string& no) {
             return cases.RecordCorrection(head_a, no, d).status();
           }},
          {"consult",
           [&](const std::string& no) {
             return cases.StartConsultation(head_a, no, {d, "某公司"}).status();
           }},
          {"reply",
           [&](const std::string& no) {
             return cases.RecordConsultationReply(head_a, no, d, "1").status();
           }},
          {"receipt",
           [&](const std::string& no) {
             return cases.RecordConsultationReceipt(head_a, no, d, "1")
                 .status();
           }},
          {"complete",
           [&](const std::string& no) {
             return cases.MarkComplete(head_a, no, d, "").status();
           }},
          {"extend",
           [&](const std::string& no) {
             return cases.Extend(head_a, no, {d, 20}).status();
           }},
          {"fee notice",
           [&](const std::string& no) {
             return cases.SendFeeNotice(head_a, no, d, 10000).status();
           }},
          {"fee paid",
           [&](const std::string& no) {
             return cases.RecordFeePayment(head_a, no, d).status();
           }},
          {"assign",
           [&](const std::string& no) {
             return cases.Assign(head_a, no, "handler_a").status();
           }},
          {"appeal",
           [&](const std::string& no) {
             return reports
                 .CreateAppeal(head_a,
                               NewAppeal{no, AppealKind::kLitigationDirect, d},
                               "")
                 .status();
           }},
      };
  for (const auto& [what, call] : calls) {
    SCOPED_TRACE(what);
    ExpectLooksMissing(call(x), call(m), x, m);
  }
  // Unchanged: b's case has only its first event.
  auto seen = cases.Get(As("head_b"), x);
  ASSERT_TRUE(seen.ok()) << seen.status();
  EXPECT_EQ(seen->events.size(), 1u);
  EXPECT_EQ(seen->record.assignee, "");

  // An appeal of b's case is as missing as an unknown one.
  auto appeal = reports.CreateAppeal(
      As("head_b"), NewAppeal{x, AppealKind::kReconsideration, d}, "");
  ASSERT_TRUE(appeal.ok()) << appeal.status();
  const std::string id = absl::StrCat(appeal->id);
  ExpectLooksMissing(
      reports.DecideAppeal(head_a, appeal->id, AppealResult::kUpheld, d, "")
          .status(),
      reports.DecideAppeal(head_a, 999, AppealResult::kUpheld, d, "").status(),
      id, "999");
  auto listed = reports.ListAppeals(head_a, 0);
  ASSERT_TRUE(listed.ok());
  EXPECT_TRUE(listed->empty());
}

TEST_F(ConfinementTest, ReportScopesAndTheLedgerOfAnotherAgencyLookMissing) {
  Log("clerk_b", "乙方申请人");
  ReportService reports(env_);
  const Caller& head_a = As("head_a");
  ExpectLooksMissing(reports.ExportLedger(head_a, 2025, "b").status(),
                     reports.ExportLedger(head_a, 2025, "z").status(), "'b'",
                     "'z'");
  EXPECT_EQ(
      MessageIn(reports.ExportLedger(head_a, 2025, "z").status(), Lang::kEn),
      "no agency 'z'");
  ExpectLooksMissing(reports.GetReport(head_a, 2025, "b").status(),
                     reports.GetReport(head_a, 2025, "z").status(), "'b'",
                     "'z'");
  ExpectLooksMissing(reports.GetProactive(head_a, 2025, "b").status(),
                     reports.GetProactive(head_a, 2025, "z").status(), "'b'",
                     "'z'");
  ExpectLooksMissing(reports.PublishReport(head_a, 2024, "b").status(),
                     reports.PublishReport(head_a, 2024, "z").status(), "'b'",
                     "'z'");
  // Its own agency's and the combined ledger hold none of b's rows; those of
  // every agency get b's when they ask for b.
  auto own = reports.ExportLedger(head_a, 2025, "a");
  ASSERT_TRUE(own.ok()) << own.status();
  EXPECT_TRUE(own->rows.empty());
  auto combined = reports.ExportLedger(head_a, 2025, "");
  ASSERT_TRUE(combined.ok()) << combined.status();
  EXPECT_TRUE(combined->rows.empty());
  auto b = reports.ExportLedger(As("head"), 2025, "b");
  ASSERT_TRUE(b.ok()) << b.status();
  EXPECT_EQ(b->rows.size(), 1u);
}

TEST_F(ConfinementTest, ATakenCaseNumberSaysNothingOfTheCaseHoldingIt) {
  Log("clerk_b", "乙方申请人", "B-7");
  CaseService cases(env_);
  NewCase c;
  c.case_no = "B-7";
  c.received_on = kToday;
  c.applicant = "甲方申请人";
  c.request = "规划";
  auto taken = cases.Create(As("clerk_a"), c);
  EXPECT_EQ(taken.status().code(), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(MessageIn(taken.status(), Lang::kEn),
            "case number B-7 is taken; choose another or leave it out to get "
            "the next free number");
  EXPECT_EQ(taken.status().message(),
            "案件编号 B-7 已被使用；请另选一个，或不填以取得下一个可用编号");
}

TEST_F(ConfinementTest, FeeCountsOnlyTheCallersAgencies) {
  for (int i = 0; i < 11; ++i) AddCase("b", absl::CivilDay(2025, 3, 3));
  AddCase("a", absl::CivilDay(2025, 3, 4));
  FeeService fees(env_);
  FeeBasis basis;
  basis.applicant = "张三";
  auto mine = fees.QuoteFee(As("clerk_a"), basis);
  ASSERT_TRUE(mine.ok()) << mine.status();
  EXPECT_EQ(mine->pieces_this_month, 1);
  EXPECT_EQ(mine->fee_yuan, 0);
  AddCase("b", absl::CivilDay(2025, 3, 5));
  // An applicant only b has: as if there were none.
  Log("clerk_b", "李四");
  FeeBasis only_b = basis, nobody = basis;
  only_b.applicant = "李四";
  nobody.applicant = "王五";
  ExpectLooksMissing(fees.QuoteFee(As("clerk_a"), only_b).status(),
                     fees.QuoteFee(As("clerk_a"), nobody).status(), "李四",
                     "王五");
  auto all = fees.QuoteFee(As("head"), basis);
  ASSERT_TRUE(all.ok()) << all.status();
  EXPECT_EQ(all->pieces_this_month, 13);
  EXPECT_EQ(all->fee_yuan, 100);
}

TEST_F(ConfinementTest, CasesGoOnlyToStaffOfTheirAgencyAndOthersLookUnknown) {
  const CaseRecord a = Log("clerk_a", "甲方申请人");
  CaseService cases(env_);
  const absl::Status missing =
      cases.Assign(As("head_a"), a.case_no, "nobody").status();
  EXPECT_EQ(missing.code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(MessageIn(missing, Lang::kEn), "no user named 'nobody'");
  EXPECT_EQ(missing.message(), "没有名为“nobody”的用户");
  // Another agency's handler, the unrestricted administrator (not a
  // handler), a disabled handler of b: all unknown to a's head.
  AdminService admin(env_);
  ASSERT_TRUE(admin.DisableUser(As("admin"), "handler_b2").ok());
  for (const char* who : {"handler_b", "admin", "handler_b2", "head_b"}) {
    SCOPED_TRACE(who);
    ExpectLooksMissing(cases.Assign(As("head_a"), a.case_no, who).status(),
                       missing, who, "nobody");
  }
  // Someone of every agency is told why.
  auto explained = cases.Assign(As("head"), a.case_no, "handler_b");
  EXPECT_EQ(explained.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(MessageIn(explained.status(), Lang::kEn),
              HasSubstr("does not work for agency a"));
  // Staff of a (also of b) may take it.
  EXPECT_TRUE(cases.Assign(As("head_a"), a.case_no, "staff_ab").ok());
  EXPECT_TRUE(cases.Assign(As("head_a"), a.case_no, "handler_a").ok());
}

TEST_F(ConfinementTest, ImportsOnlyIntoItsAgenciesAndKeepsOthersImportsQuiet) {
  ReportService reports(env_);
  const LedgerImport ledger{
      "request,received_on,applicant_type,applicant_name,answered_on,outcome\n"
      "预算,2024-03-06,natural_person,乙方申请人,2024-03-20,disclosed\n",
      "b-secret.csv", "b"};
  ASSERT_TRUE(reports.ImportLedger(As("admin_b"), ledger, "").ok());
  LedgerImport into_a = ledger;
  into_a.agency = "a";
  auto again = reports.ImportLedger(As("admin_a"), into_a, "");
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_TRUE(again->already_imported);
  EXPECT_EQ(again->previous_import, "");
  auto root = reports.ImportLedger(As("admin"), into_a, "");
  ASSERT_TRUE(root.ok()) << root.status();
  EXPECT_THAT(root->previous_import, HasSubstr("admin_b"));
}

}  // namespace
}  // namespace gongkai::app

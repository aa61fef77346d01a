#include "app/admin_service.h"

#include <sys/stat.h>

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "app/calendar_service.h"
#include "app/fee_service.h"
#include "app/report_service.h"
#include "app/test_world.h"
#include "common/lang.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace gongkai::app {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

class AdminServiceTest : public TestWorld {};

TEST_F(AdminServiceTest, CreatedUserAuthenticatesWithItsToken) {
  AdminService admin(env_);
  auto created =
      admin.CreateUserWithToken(As("admin"), "clerk_b", "clerk", {"b"});
  ASSERT_TRUE(created.ok()) << created.status();
  EXPECT_EQ(created->user.name, "clerk_b");
  EXPECT_EQ(created->user.agencies, "b");
  auto caller = Authenticate(*store_, created->token);
  ASSERT_TRUE(caller.ok()) << caller.status();
  EXPECT_EQ(caller->name, "clerk_b");
  EXPECT_EQ(caller->role, Role::kClerk);
  EXPECT_THAT(caller->agencies, ElementsAre("b"));
  std::vector<storage::AuditEntry> events = Audit("user_created");
  ASSERT_FALSE(events.empty());
  EXPECT_EQ(events.back().actor, "admin");
  EXPECT_EQ(events.back().subject, "user clerk_b");
}

TEST_F(AdminServiceTest, TrustedBootstrapCreatesTheFirstAdministrator) {
  AdminService admin(env_);
  auto created = admin.CreateUserWithToken(
      Caller::Trusted("gongkaid --create-admin"), "root", "admin", {});
  ASSERT_TRUE(created.ok()) << created.status();
  EXPECT_EQ(created->user.agencies, "*");
  std::vector<storage::AuditEntry> events = Audit("user_created");
  ASSERT_FALSE(events.empty());
  EXPECT_EQ(events.back().actor, "gongkaid --create-admin");
}

TEST_F(AdminServiceTest, UserInputIsChecked) {
  AdminService admin(env_);
  auto spaced = admin.CreateUserWithToken(As("admin"), "li si", "clerk", {});
  EXPECT_EQ(spaced.status().code(), absl::StatusCode::kInvalidArgument);
  auto unknown = admin.CreateUserWithToken(As("admin"), "lisi", "clerk", {"x"});
  EXPECT_EQ(MessageIn(unknown.status(), Lang::kEn),
            "unknown agency 'x'; add it with gongkai admin agency add");
  auto taken = admin.CreateUserWithToken(As("admin"), "clerk_a", "clerk", {});
  EXPECT_EQ(taken.status().code(), absl::StatusCode::kAlreadyExists);
  auto role = admin.CreateUserWithToken(As("admin"), "lisi", "boss", {});
  EXPECT_EQ(role.status().code(), absl::StatusCode::kInvalidArgument);
}

TEST_F(AdminServiceTest, AnAgencysAdministratorManagesOnlyItsOwnStaff) {
  AdminService admin(env_);
  // Another agency is as unknown as a missing one (app/confinement_test.cc
  // checks every such refusal word for word).
  auto other =
      admin.CreateUserWithToken(As("admin_a"), "clerk_b", "clerk", {"b"});
  EXPECT_EQ(other.status().code(), absl::StatusCode::kInvalidArgument);
  auto everywhere =
      admin.CreateUserWithToken(As("admin_a"), "clerk_all", "clerk", {});
  EXPECT_EQ(everywhere.status().code(), absl::StatusCode::kPermissionDenied);
  auto own =
      admin.CreateUserWithToken(As("admin_a"), "clerk_a2", "clerk", {"a"});
  EXPECT_TRUE(own.ok()) << own.status();
  auto disable = admin.DisableUser(As("admin_a"), "handler_b");
  EXPECT_EQ(disable.status().code(), absl::StatusCode::kNotFound);
  auto rotate = admin.RotateToken(As("admin_a"), "handler_b");
  EXPECT_EQ(rotate.status().code(), absl::StatusCode::kNotFound);
}

TEST_F(AdminServiceTest, DisablingTakesEffectOnTheNextWrite) {
  AdminService admin(env_);
  auto self = admin.DisableUser(As("admin"), "admin");
  EXPECT_EQ(self.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(MessageIn(self.status(), Lang::kEn), "you cannot disable yourself");

  const Caller stale = As("admin_b");
  auto disabled = admin.DisableUser(As("admin"), "admin_b");
  ASSERT_TRUE(disabled.ok()) << disabled.status();
  EXPECT_TRUE(disabled->disabled);
  // admin_b authenticated before; its next change is refused all the same.
  auto agency = admin.CreateAgency(stale, "c", "丙局");
  EXPECT_EQ(agency.status().code(), absl::StatusCode::kUnauthenticated);
  auto agencies = admin.ListAgencies(As("admin"));
  ASSERT_TRUE(agencies.ok());
  EXPECT_EQ(agencies->size(), 2u);
}

TEST_F(AdminServiceTest, RotatedTokenReplacesTheOldOne) {
  AdminService admin(env_);
  auto first = admin.CreateUserWithToken(As("admin"), "lisi", "clerk", {"a"});
  ASSERT_TRUE(first.ok()) << first.status();
  auto rotated = admin.RotateToken(As("admin"), "lisi");
  ASSERT_TRUE(rotated.ok()) << rotated.status();
  EXPECT_NE(rotated->token, first->token);
  EXPECT_EQ(Authenticate(*store_, first->token).status().code(),
            absl::StatusCode::kUnauthenticated);
  EXPECT_TRUE(Authenticate(*store_, rotated->token).ok());
  auto missing = admin.RotateToken(As("admin"), "nobody");
  EXPECT_EQ(missing.status().code(), absl::StatusCode::kNotFound);
}

TEST_F(AdminServiceTest, ADisabledUserIsEnabledAgainNotReissued) {
  AdminService admin(env_);
  auto first = admin.CreateUserWithToken(As("admin"), "lisi", "clerk", {"a"});
  ASSERT_TRUE(first.ok()) << first.status();
  ASSERT_TRUE(admin.DisableUser(As("admin"), "lisi").ok());
  EXPECT_EQ(Authenticate(*store_, first->token).status().code(),
            absl::StatusCode::kUnauthenticated);

  // A token for a disabled account would fail at its first use.
  auto rotate = admin.RotateToken(As("admin"), "lisi");
  EXPECT_EQ(rotate.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(rotate.status().message(), HasSubstr("user enable lisi"));
  EXPECT_THAT(MessageIn(rotate.status(), Lang::kEn),
              HasSubstr("enable it first"));
  // The name stays taken, and the refusal says how to get it back.
  auto again = admin.CreateUserWithToken(As("admin"), "lisi", "clerk", {"a"});
  EXPECT_EQ(again.status().code(), absl::StatusCode::kAlreadyExists);
  EXPECT_THAT(again.status().message(),
              HasSubstr("gongkai admin user enable lisi"));

  auto enabled = admin.EnableUser(As("admin_a"), "lisi");
  ASSERT_TRUE(enabled.ok()) << enabled.status();
  EXPECT_FALSE(enabled->disabled);
  EXPECT_TRUE(Authenticate(*store_, first->token).ok());
  EXPECT_EQ(admin.EnableUser(As("admin"), "lisi").status().code(),
            absl::StatusCode::kFailedPrecondition);
  // Out of reach is as unknown as a missing name.
  EXPECT_EQ(admin.EnableUser(As("admin_b"), "lisi").status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_TRUE(admin.RotateToken(As("admin"), "lisi").ok());
  std::vector<storage::AuditEntry> events = Audit("user_enabled");
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].actor, "admin_a");
  EXPECT_EQ(events[0].subject, "user lisi");
}

TEST_F(AdminServiceTest, RoleAndAgenciesChange) {
  AdminService admin(env_);
  auto neither =
      admin.UpdateUser(As("admin"), "clerk_a", std::nullopt, std::nullopt);
  EXPECT_EQ(neither.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(admin.UpdateUser(As("admin"), "clerk_a", "boss", std::nullopt)
                .status()
                .code(),
            absl::StatusCode::kInvalidArgument);

  auto promoted =
      admin.UpdateUser(As("admin"), "clerk_a", "handler", std::nullopt);
  ASSERT_TRUE(promoted.ok()) << promoted.status();
  EXPECT_EQ(promoted->role, "handler");
  EXPECT_EQ(promoted->agencies, "a");
  auto widened = admin.UpdateUser(As("admin"), "clerk_a", std::nullopt,
                                  std::vector<std::string>{"a", "b"});
  ASSERT_TRUE(widened.ok()) << widened.status();
  EXPECT_EQ(widened->agencies, "a,b");
  std::vector<storage::AuditEntry> events = Audit("user_changed");
  ASSERT_EQ(events.size(), 2u);
  // Newest first or oldest first, the widening is the one naming "a,b".
  bool found_widening = false;
  for (const storage::AuditEntry& e : events) {
    if (e.details.Find("agencies")->as_string() == "a,b") {
      found_widening = true;
      EXPECT_EQ(e.details.Find("agencies_before")->as_string(), "a");
      EXPECT_EQ(e.details.Find("role_before")->as_string(), "handler");
    }
  }
  EXPECT_TRUE(found_widening);

  // An agency's administrator gives only its own agencies, and never every
  // agency.
  EXPECT_EQ(admin
                .UpdateUser(As("admin_a"), "handler_a", std::nullopt,
                            std::vector<std::string>{"b"})
                .status()
                .code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(admin
                .UpdateUser(As("admin_a"), "handler_a", std::nullopt,
                            std::vector<std::string>{})
                .status()
                .code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(admin.UpdateUser(As("admin_a"), "handler_b", "head", std::nullopt)
                .status()
                .code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(admin.UpdateUser(As("clerk_a"), "handler_a", "head", std::nullopt)
                .status()
                .code(),
            absl::StatusCode::kPermissionDenied);
}

TEST_F(AdminServiceTest, TheLastAdministratorOfEveryAgencyStays) {
  AdminService admin(env_);
  // admin_a becomes a second administrator of every agency.
  ASSERT_TRUE(admin
                  .UpdateUser(As("admin"), "admin_a", std::nullopt,
                              std::vector<std::string>{})
                  .ok());
  ASSERT_TRUE(admin.DisableUser(As("admin_a"), "admin").ok());
  // Now admin_a is the last one.
  auto demote =
      admin.UpdateUser(As("admin_a"), "admin_a", "handler", std::nullopt);
  EXPECT_EQ(demote.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(demote.status().message(), HasSubstr("最后一个"));
  EXPECT_THAT(MessageIn(demote.status(), Lang::kEn),
              HasSubstr("last enabled administrator of every agency"));
  auto confine = admin.UpdateUser(As("admin_a"), "admin_a", std::nullopt,
                                  std::vector<std::string>{"a"});
  EXPECT_EQ(confine.status().code(), absl::StatusCode::kFailedPrecondition);
  auto disable = admin.DisableUser(Caller::Trusted("gongkaid"), "admin_a");
  EXPECT_EQ(disable.status().code(), absl::StatusCode::kFailedPrecondition);
  // With the other one back, admin_a may go back to its agency.
  ASSERT_TRUE(admin.EnableUser(As("admin_a"), "admin").ok());
  EXPECT_TRUE(admin
                  .UpdateUser(As("admin_a"), "admin_a", std::nullopt,
                              std::vector<std::string>{"a"})
                  .ok());
}

TEST_F(AdminServiceTest, AnAgencyNumbersItsCasesInItsOwnPattern) {
  AdminService admin(env_);
  auto bad =
      admin.SetAgencyCaseNoPattern(As("admin"), "a", "驻公信〔{year}〕号");
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(MessageIn(bad.status(), Lang::kEn), HasSubstr("{n}"));
  EXPECT_EQ(
      admin.SetAgencyCaseNoPattern(As("admin_a"), "b", "B{n}").status().code(),
      absl::StatusCode::kNotFound);
  EXPECT_EQ(
      admin.SetAgencyCaseNoPattern(As("clerk_a"), "a", "A{n}").status().code(),
      absl::StatusCode::kPermissionDenied);

  EXPECT_EQ(AddCase("a", absl::CivilDay(2023, 5, 1)).case_no, "2023-0001");
  auto set =
      admin.SetAgencyCaseNoPattern(As("admin_a"), "a", "驻公信〔{year}〕{n}号");
  ASSERT_TRUE(set.ok()) << set.status();
  EXPECT_EQ(set->case_no_pattern, "驻公信〔{year}〕{n}号");
  EXPECT_EQ(AddCase("a", absl::CivilDay(2023, 5, 2)).case_no,
            "驻公信〔2023〕1号");
  EXPECT_EQ(AddCase("a", absl::CivilDay(2023, 5, 3)).case_no,
            "驻公信〔2023〕2号");
  EXPECT_EQ(AddCase("a", absl::CivilDay(2024, 1, 3)).case_no,
            "驻公信〔2024〕1号");
  // Agency b keeps the default sequence.
  EXPECT_EQ(AddCase("b", absl::CivilDay(2023, 5, 3)).case_no, "2023-0002");
  auto agencies = admin.ListAgencies(As("admin"));
  ASSERT_TRUE(agencies.ok());
  EXPECT_EQ((*agencies)[0].case_no_pattern, "驻公信〔{year}〕{n}号");
  EXPECT_EQ((*agencies)[1].case_no_pattern, "");
  ASSERT_EQ(Audit("agency_case_no_pattern").size(), 1u);

  ASSERT_TRUE(admin.SetAgencyCaseNoPattern(As("admin"), "a", "default").ok());
  EXPECT_EQ(AddCase("a", absl::CivilDay(2023, 5, 4)).case_no, "2023-0003");
}

TEST_F(AdminServiceTest, RolesAreCheckedForReadsAndWrites) {
  AdminService admin(env_);
  EXPECT_EQ(admin.ListUsers(As("clerk_a")).status().code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(admin.CreateAgency(As("head_a"), "c", "丙局").status().code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_TRUE(admin.ListAudit(As("head_a"), AuditQuery{}).ok());
}

TEST_F(AdminServiceTest, AgencyCodesAreChecked) {
  AdminService admin(env_);
  EXPECT_EQ(MessageIn(admin.CreateAgency(As("admin"), "a b", "x").status(),
                      Lang::kEn),
            "an agency code is a short name without spaces, quotes, slashes "
            "or colons, e.g. psb");
  EXPECT_EQ(
      MessageIn(admin.CreateAgency(As("admin"), "*", "x").status(), Lang::kEn),
      "an agency code may not contain ',' or be '*'");
  EXPECT_EQ(admin.CreateAgency(As("admin"), "a", "x").status().code(),
            absl::StatusCode::kAlreadyExists);
  auto created = admin.CreateAgency(As("admin"), "c", "丙局");
  ASSERT_TRUE(created.ok()) << created.status();
  std::vector<storage::AuditEntry> events = Audit("agency_created");
  ASSERT_FALSE(events.empty());
  EXPECT_EQ(events.back().actor, "admin");
}

TEST_F(AdminServiceTest, AuditChainVerifiesAndBackupIsRecorded) {
  AdminService admin(env_);
  auto problems = admin.VerifyAudit(As("admin"));
  ASSERT_TRUE(problems.ok()) << problems.status();
  EXPECT_TRUE(problems->empty());

  env_.backup_dir = dir_.File("backups");
  admin = AdminService(env_);
  auto backup = admin.Backup(As("admin"), "backup.db");
  ASSERT_TRUE(backup.ok()) << backup.status();
  const std::string path = dir_.File("backups/backup.db");
  EXPECT_EQ(backup->path, path);
  EXPECT_GT(backup->bytes, 0);
  auto again = admin.Backup(As("admin"), path);
  EXPECT_EQ(again.status().code(), absl::StatusCode::kAlreadyExists);
  std::vector<storage::AuditEntry> events = Audit("backup");
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].actor, "admin");
  EXPECT_EQ(events[0].subject, path);

  auto check = admin.CheckDatabase(As("admin"));
  ASSERT_TRUE(check.ok()) << check.status();
  EXPECT_TRUE(check->problems.empty()) << FormatIntegrityReport(*check);
}

// The 2025 schedule with one more day off, Wednesday 12 March.
std::string Corrected2025() {
  return WorkCalendar::Official().YearText(2025) + "off  2025-03-12 测试\n";
}

TEST_F(AdminServiceTest, CalendarLoadReschedulesOpenCasesInOneWrite) {
  CalendarService calendar(env_);
  auto before =
      calendar.AddWorkingDays(As("clerk_a"), absl::CivilDay(2025, 3, 11), 1);
  ASSERT_TRUE(before.ok()) << before.status();
  EXPECT_EQ(before->result, absl::CivilDay(2025, 3, 12));

  // An open case whose deadline spans the new day off, and a closed one.
  const CaseRecord open = AddCase("a", absl::CivilDay(2025, 3, 3));
  AddCase("b", absl::CivilDay(2025, 2, 3), absl::CivilDay(2025, 2, 20));
  int rebuilt = 0;
  env_.on_case_changed = [&](const std::string& no) {
    if (no.empty()) ++rebuilt;
  };
  CalendarService loading(env_);
  const WorkCalendar* in_force = calendar_.Get().get();
  auto refused = loading.LoadCalendar(As("clerk_a"), Corrected2025(), "fix");
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(calendar_.Get().get(), in_force);
  EXPECT_EQ(rebuilt, 0);

  // 2025 is in force already: replaced only when asked for.
  auto unasked = loading.LoadCalendar(As("admin"), Corrected2025(), "fix.txt");
  EXPECT_EQ(unasked.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(MessageIn(unasked.status(), Lang::kEn), HasSubstr("--replace"));
  EXPECT_EQ(calendar_.Get().get(), in_force);
  auto loaded = loading.LoadCalendar(As("admin"), Corrected2025(), "fix.txt",
                                     /*replace=*/true);
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  EXPECT_THAT(loaded->years, ElementsAre(2025));
  EXPECT_EQ(loaded->cases_rescheduled, 1);
  EXPECT_EQ(rebuilt, 1);
  auto after =
      loading.AddWorkingDays(As("clerk_a"), absl::CivilDay(2025, 3, 11), 1);
  ASSERT_TRUE(after.ok()) << after.status();
  EXPECT_EQ(after->result, absl::CivilDay(2025, 3, 13));

  auto stored = storage::ReadValue<std::map<int, std::string>>(
      *store_, [](storage::Tables& t) { return t.calendar().LoadYears(); });
  ASSERT_TRUE(stored.ok()) << stored.status();
  EXPECT_EQ(stored->count(2025), 1u);
  // The moved deadline is in the case's history, by the administrator.
  auto events = storage::ReadValue<std::vector<CaseEvent>>(
      *store_, [&](storage::Tables& t) { return t.cases().Events(open.id); });
  ASSERT_TRUE(events.ok()) << events.status();
  ASSERT_EQ(events->size(), 2u);
  EXPECT_EQ(events->back().kind, "deadline_recalculated");
  EXPECT_EQ(events->back().actor, "admin");
}

TEST_F(AdminServiceTest, CalendarQuestionsAreChecked) {
  CalendarService calendar(env_);
  EXPECT_EQ(
      MessageIn(calendar.AddWorkingDays(As("clerk_a"), kToday, 0).status(),
                Lang::kEn),
      "the number of working days must be 1 to 366, not 0");
  auto year = calendar.GetCalendarYear(As("clerk_a"), 1990);
  EXPECT_EQ(year.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(MessageIn(year.status(), Lang::kEn),
              HasSubstr("the calendar has no schedule for 1990"));
  auto known = calendar.GetCalendarYear(As("clerk_a"), 2025);
  ASSERT_TRUE(known.ok()) << known.status();
  EXPECT_GT(known->working_days, 240);
  EXPECT_FALSE(known->schedule.empty());
}

TEST_F(AdminServiceTest, FeeQuotes) {
  FeeService fees(env_);
  FeeBasis none;
  EXPECT_EQ(fees.QuoteFee(As("clerk_a"), none).status().code(),
            absl::StatusCode::kInvalidArgument);
  FeeBasis pieces;
  pieces.pieces_this_month = 11;
  auto quote = fees.QuoteFee(As("clerk_a"), pieces);
  ASSERT_TRUE(quote.ok()) << quote.status();
  EXPECT_EQ(quote->method, "per_piece");
  EXPECT_EQ(quote->fee_yuan, 100);
  EXPECT_EQ(quote->month_total_yuan, 100);

  FeeBasis applicant;
  applicant.applicant = "张三";
  auto nobody = fees.QuoteFee(As("clerk_a"), applicant);
  EXPECT_EQ(nobody.status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(nobody.status().message(), "没有申请人“张三”的申请记录");
  EXPECT_EQ(MessageIn(nobody.status(), Lang::kEn),
            "no applications from '张三' on record");
  AddCase("a", absl::CivilDay(2025, 3, 3));
  AddCase("a", absl::CivilDay(2025, 3, 4));
  auto counted = fees.QuoteFee(As("clerk_a"), applicant);
  ASSERT_TRUE(counted.ok()) << counted.status();
  EXPECT_EQ(counted->pieces_this_month, 2);
  EXPECT_EQ(counted->fee_yuan, 0);
  EXPECT_THAT(counted->explanation[0],
              HasSubstr("“张三”在 2025-03 共有 2 件申请记录"));

  // A named month counts that month, even when it has none.
  applicant.month_of = absl::CivilDay(2025, 2, 1);
  auto february = fees.QuoteFee(As("clerk_a"), applicant);
  EXPECT_EQ(february.status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(february.status().message(), "2025-02 没有收到“张三”的申请");
  EXPECT_EQ(MessageIn(february.status(), Lang::kEn),
            "no applications from '张三' received in 2025-02");
}

// Without a month, the quote counts the month of the applicant's latest
// application, not the current month (today is 2025-03-10).
TEST_F(AdminServiceTest, FeeQuoteTakesTheMonthOfTheLatestApplication) {
  FeeService fees(env_);
  AddCase("a", absl::CivilDay(2024, 12, 30));
  for (int day = 2; day <= 13; ++day)
    AddCase("a", absl::CivilDay(2025, 1, day));
  FeeBasis applicant;
  applicant.applicant = "张三";
  auto quote = fees.QuoteFee(As("clerk_a"), applicant);
  ASSERT_TRUE(quote.ok()) << quote.status();
  EXPECT_EQ(quote->pieces_this_month, 12);
  EXPECT_EQ(quote->fee_yuan, 100);
  EXPECT_THAT(quote->explanation[0],
              HasSubstr("在 2025-01 共有 12 件申请记录"));
  // Another agency's later application is neither counted nor used.
  AddCase("b", absl::CivilDay(2025, 2, 20));
  quote = fees.QuoteFee(As("clerk_a"), applicant);
  ASSERT_TRUE(quote.ok()) << quote.status();
  EXPECT_EQ(quote->pieces_this_month, 12);
}

TEST(BackupFilePathTest, OnlyPlainNamesInTheBackupFolder) {
  EXPECT_EQ(*BackupFilePath("/srv/backups", "a.db"), "/srv/backups/a.db");
  EXPECT_EQ(*BackupFilePath("/srv/backups/", "/srv/backups/a.db"),
            "/srv/backups/a.db");
  EXPECT_EQ(*BackupFilePath("/srv/backups", "/srv/./backups/a.db"),
            "/srv/backups/a.db");
  for (const char* outside : {"/etc/cron.d/x", "/srv/backups/../a.db",
                              "/srv/backups2/a.db", "/srv/backups/sub/a.db"}) {
    EXPECT_EQ(BackupFilePath("/srv/backups", outside).status().code(),
              absl::StatusCode::kPermissionDenied)
        << outside;
  }
  for (const char* bad :
       {"sub/a.db", "../a.db", "..", ".", "a\nb.db", "a\x1b[2Jb.db", ""}) {
    EXPECT_EQ(BackupFilePath("/srv/backups", bad).status().code(),
              absl::StatusCode::kInvalidArgument)
        << bad;
  }
  EXPECT_EQ(BackupFilePath("", "a.db").status().code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST_F(AdminServiceTest, BackupStaysInItsFolder) {
  env_.backup_dir = dir_.File("backups");
  AdminService admin(env_);
  auto outside = admin.Backup(As("admin"), dir_.File("copy.db"));
  EXPECT_EQ(outside.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_FALSE(std::filesystem::exists(dir_.File("copy.db")));
  // Not for a clerk, whatever the name.
  EXPECT_EQ(admin.Backup(As("clerk_a"), "x.db").status().code(),
            absl::StatusCode::kPermissionDenied);
  auto made = admin.Backup(As("admin"), "x.db");
  ASSERT_TRUE(made.ok()) << made.status();
  struct stat st;
  ASSERT_EQ(stat(env_.backup_dir.c_str(), &st), 0);
  EXPECT_TRUE(S_ISDIR(st.st_mode));
}

// A calendar year "2027" block with one day off named `name`.
std::string YearBlock(int year, const std::string& name = "元旦") {
  return absl::StrCat("year ", year, "\noff ", year, "-01-01 ", name, "\n");
}

TEST_F(AdminServiceTest, CalendarLoadTakesSaneYearsAndClearNames) {
  CalendarService calendar(env_);
  // Today is 2025-03-10: 2008 to 2027.
  for (int year : {2000, 2007, 2028, 2100}) {
    auto r = calendar.LoadCalendar(As("admin"), YearBlock(year), "y.txt",
                                   /*replace=*/true);
    EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument) << year;
    EXPECT_THAT(MessageIn(r.status(), Lang::kEn),
                HasSubstr("outside 2008-2027"))
        << year;
  }
  std::string many;
  for (int year = 2020; year <= 2025; ++year) many += YearBlock(year);
  auto too_many =
      calendar.LoadCalendar(As("admin"), many, "many.txt", /*replace=*/true);
  EXPECT_EQ(too_many.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(MessageIn(too_many.status(), Lang::kEn), HasSubstr("at most 5"));
  for (const std::string& name :
       {std::string("元\0旦", 4), std::string("元\x1b[31m旦"),
        std::string("\xff\xfe")}) {
    auto r = calendar.LoadCalendar(As("admin"), YearBlock(2027, name), "c.txt");
    EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(MessageIn(r.status(), Lang::kEn), HasSubstr("c.txt line 2"));
  }
  EXPECT_FALSE(calendar_.Get()->Covers(2027));

  // CRLF line ends are fine; a new year needs no --replace, a second load
  // of it does.
  std::string crlf = "year 2027\r\noff 2027-01-01 元旦\r\n";
  auto first = calendar.LoadCalendar(As("admin"), crlf, "2027.txt");
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_TRUE(calendar_.Get()->Covers(2027));
  auto again = calendar.LoadCalendar(As("admin"), YearBlock(2027), "2027.txt");
  EXPECT_EQ(again.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(MessageIn(again.status(), Lang::kEn),
              HasSubstr("already has 2027"));
  auto replaced = calendar.LoadCalendar(As("admin"), YearBlock(2027),
                                        "2027.txt", /*replace=*/true);
  EXPECT_TRUE(replaced.ok()) << replaced.status();
}

}  // namespace
}  // namespace gongkai::app

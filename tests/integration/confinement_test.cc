// Issue 12, items 1 and 2, as the attacker ran them: users of every role
// limited to agency a try, all at once and against the real daemon, to take
// over accounts, reach shared settings and read or change what belongs to
// agency b, while b's own staff work at the same time. Every attempt must
// fail without telling anything a missing record would not tell, nothing of
// b may appear in anything a's users are shown, and b's work must go on.
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "common/json.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/integration/harness.h"

namespace gongkai::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

// What only agency b knows: its applicant, its receipt date.
constexpr char kSecretApplicant[] = "乙方秘密申请人";
constexpr char kSecretDate[] = "2026-05-11";

const char* const kRoles[] = {"clerk", "handler", "head", "admin", "auditor"};

std::string FirstLine(const std::string& s) {
  return s.substr(0, s.find('\n'));
}

class ConfinementTest : public ::testing::Test {
 protected:
  void SetUp() override {
    daemon_ = std::make_unique<Daemon>(
        dir_.File("g.db"),
        std::vector<std::string>{"--fake-today", "2026-06-30"});
    ASSERT_TRUE(daemon_->Start()) << daemon_->log();
    for (const char* code : {"a", "b"}) {
      CommandResult r =
          daemon_->AdminCli({"admin", "agency", "add", code, "--name",
                             absl::StrCat("机关", code)});
      ASSERT_EQ(r.exit_code, 0) << r.err;
      for (const char* role : kRoles) {
        const std::string name = absl::StrCat(role, "-", code);
        r = daemon_->AdminCli(
            {"admin", "user", "add", name, "--role", role, "--agency", code});
        ASSERT_EQ(r.exit_code, 0) << r.err;
        tokens_[name] = FirstLine(r.out);
      }
    }
    // One case each; b's with what a must never see.
    ASSERT_EQ(
        NewCase("clerk-b", "B-0001", kSecretDate, kSecretApplicant).exit_code,
        0);
    ASSERT_EQ(
        NewCase("clerk-a", "A-0001", "2026-06-01", "甲方申请人").exit_code, 0);
  }

  CommandResult NewCase(const std::string& clerk, const std::string& no,
                        const std::string& received,
                        const std::string& applicant) {
    return As(clerk,
              {"case", "new", "--case-no", no, "--received", received,
               "--channel", "online", "--applicant-type", "natural_person",
               "--applicant", applicant, "--request", "某项信息"});
  }

  CommandResult As(const std::string& user, std::vector<std::string> args) {
    return daemon_->CliAs(tokens_.at(user), std::move(args));
  }

  std::unique_ptr<Background> InBackground(const std::string& user,
                                           std::vector<std::string> args) {
    args.insert(args.begin(),
                {"--server", daemon_->address(), "--token", tokens_.at(user)});
    return std::make_unique<Background>(GONGKAI_CLI_PATH, args);
  }

  ScratchDir dir_;
  std::unique_ptr<Daemon> daemon_;
  std::map<std::string, std::string> tokens_;
};

// An attempt by one of a's users. With `real` (an argument naming b's
// record), a twin call naming `fake` (which does not exist) runs too, and
// the refusal must read exactly like the twin's, where it quotes the name.
struct Attempt {
  std::string user;
  std::vector<std::string> args;
  std::string real, fake;
  std::unique_ptr<Background> process, twin;
};

std::vector<std::string> Replaced(std::vector<std::string> args,
                                  const std::string& from,
                                  const std::string& to) {
  // The last: the name is the call's object, after the command's words
  // (which may spell the same, as in "admin user disable admin").
  for (auto it = args.rbegin(); it != args.rend(); ++it) {
    if (*it == from) {
      *it = to;
      break;
    }
  }
  return args;
}

TEST_F(ConfinementTest, NoRoleOfAgencyACrossesIntoAgencyB) {
  const std::string backup = dir_.File("stolen.db");
  std::vector<Attempt> attempts;
  auto attempt = [&](const std::string& user, std::vector<std::string> args,
                     const std::string& real = "",
                     const std::string& fake = "") {
    attempts.push_back(Attempt{user, std::move(args), real, fake});
  };
  // 1. An administrator of a takes over nothing.
  attempt("admin-a", {"admin", "user", "add", "evil", "--role", "admin"});
  attempt("admin-a",
          {"admin", "user", "add", "evil2", "--role", "admin", "--agency", "b"},
          "b", "zz");
  attempt("admin-a", {"admin", "user", "add", "evil3", "--role", "clerk",
                      "--agency", "a,b"});
  for (const char* victim : {"admin", "admin-b", "handler-b", "head"}) {
    attempt("admin-a", {"admin", "user", "rotate-token", victim}, victim,
            "nobody");
    attempt("admin-a", {"admin", "user", "disable", victim}, victim, "nobody");
  }
  attempt("admin-a", {"admin", "agency", "add", "c", "--name", "丙"});
  attempt("admin-a", {"admin", "backup", backup});
  attempt("admin-a", {"admin", "check"});
  {
    std::ofstream csv(dir_.File("b.csv"));
    csv << "request,received_on,applicant_type,applicant_name,answered_on,"
           "outcome\n预算,2026-03-06,natural_person,张三,2026-03-20,"
           "disclosed\n";
  }
  attempt("admin-a", {"import", "ledger", dir_.File("b.csv"), "--agency", "b"},
          "b", "zz");
  // 2. Nothing of b is shown or changed, by any role.
  for (const char* role : kRoles) {
    const std::string user = absl::StrCat(role, "-a");
    attempt(user, {"case", "show", "B-0001"}, "B-0001", "B-9999");
    attempt(user, {"case", "history", "B-0001"}, "B-0001", "B-9999");
    attempt(user, {"case", "deadline", "B-0001"}, "B-0001", "B-9999");
    attempt(user, {"report", "--year", "2026", "--agency", "b"}, "b", "zz");
    attempt(user, {"proactive", "show", "--year", "2026", "--agency", "b"}, "b",
            "zz");
  }
  for (const char* user : {"clerk-a", "handler-a", "head-a"}) {
    attempt(
        user,
        {"case", "withdraw", "B-0001", "--date", "2026-06-30", "--reason", "x"},
        "B-0001", "B-9999");
    attempt(
        user,
        {"fee", "quote", "--applicant", kSecretApplicant, "--month", "2026-05"},
        kSecretApplicant, "无此人");
  }
  for (const char* user : {"handler-a", "head-a"}) {
    attempt(user,
            {"case", "answer", "B-0001", "--date", "2026-06-30", "--outcome",
             "disclosed"},
            "B-0001", "B-9999");
    attempt(user, {"case", "assign", "B-0001", "handler-a"}, "B-0001",
            "B-9999");
    attempt(user,
            {"appeal", "new", "--case", "B-0001", "--kind", "reconsideration",
             "--filed", "2026-06-30"},
            "B-0001", "B-9999");
    attempt(user, {"case", "assign", "A-0001", "handler-b"}, "handler-b",
            "nobody");
  }
  attempt("head-a",
          {"case", "extend", "B-0001", "--date", "2026-06-30", "--days", "20",
           "--approved-by", "x", "--reason", "y"},
          "B-0001", "B-9999");
  for (const char* user : {"head-a", "auditor-a", "admin-a"}) {
    attempt(user, {"export", "ledger", "--year", "2026", "--agency", "b"}, "b",
            "zz");
  }
  attempt("clerk-a", {"case", "new", "--case-no", "B-0001", "--received",
                      "2026-06-30", "--channel", "online", "--applicant-type",
                      "natural_person", "--applicant", "甲", "--request", "x"});

  // All at once, while b's staff work on their own case.
  for (Attempt& a : attempts) {
    a.process = InBackground(a.user, a.args);
    if (!a.real.empty()) {
      a.twin = InBackground(a.user, Replaced(a.args, a.real, a.fake));
    }
  }
  std::vector<std::unique_ptr<Background>> legit;
  legit.push_back(
      InBackground("head-b", {"case", "assign", "B-0001", "handler-b"}));
  legit.push_back(InBackground("head-b", {"case", "history", "B-0001"}));
  legit.push_back(InBackground("admin-b", {"admin", "user", "list"}));
  legit.push_back(InBackground("auditor-b", {"audit"}));

  for (Attempt& a : attempts) {
    SCOPED_TRACE(absl::StrCat(a.user, ": ", absl::StrJoin(a.args, " ")));
    CommandResult r;
    ASSERT_TRUE(a.process->Wait(60000, &r)) << "a CLI call hung";
    EXPECT_NE(r.exit_code, 0) << r.out;
    const std::string shown = r.out + r.err;
    EXPECT_THAT(shown, Not(HasSubstr(kSecretDate)));
    EXPECT_THAT(shown, Not(HasSubstr("机关b")));
    if (a.real != kSecretApplicant) {
      EXPECT_THAT(shown, Not(HasSubstr(kSecretApplicant)));
    }
    if (a.twin) {
      CommandResult t;
      ASSERT_TRUE(a.twin->Wait(60000, &t)) << "a CLI call hung";
      EXPECT_EQ(r.exit_code, t.exit_code);
      EXPECT_EQ(r.err,
                absl::StrReplaceAll(t.err, {{absl::StrCat("'", a.fake, "'"),
                                             absl::StrCat("'", a.real, "'")}}));
      EXPECT_THAT(t.err, HasSubstr(absl::StrCat("'", a.fake, "'")));
    }
  }
  for (auto& p : legit) {
    CommandResult r;
    ASSERT_TRUE(p->Wait(60000, &r)) << "a CLI call hung";
    EXPECT_EQ(r.exit_code, 0) << r.err;
  }

  // What a's users may read holds nothing of b.
  CommandResult users = As("admin-a", {"admin", "user", "list"});
  ASSERT_EQ(users.exit_code, 0) << users.err;
  EXPECT_THAT(users.out, HasSubstr("clerk-a"));
  EXPECT_THAT(users.out, Not(HasSubstr("-b")));
  // Neither the unrestricted administrator nor the harness's head.
  for (const char* hidden : {"\nadmin ", "\nhead "}) {
    EXPECT_THAT(users.out, Not(HasSubstr(hidden)));
  }
  for (const char* reader : {"head-a", "auditor-a", "admin-a"}) {
    CommandResult audit = As(reader, {"audit", "--limit", "100000"});
    ASSERT_EQ(audit.exit_code, 0) << audit.err;
    EXPECT_THAT(audit.out, HasSubstr("A-0001")) << reader;
    EXPECT_THAT(audit.out, Not(HasSubstr("B-0001"))) << reader;
    EXPECT_THAT(audit.out, Not(HasSubstr(kSecretApplicant))) << reader;
    EXPECT_THAT(audit.out, Not(HasSubstr("-b"))) << reader;
    CommandResult ledger =
        As(reader, {"export", "ledger", "--year", "2026", "--agency", "a"});
    ASSERT_EQ(ledger.exit_code, 0) << ledger.err;
    EXPECT_THAT(ledger.out, HasSubstr("甲方申请人"));
    EXPECT_THAT(ledger.out, Not(HasSubstr(kSecretApplicant)));
  }
  CommandResult agencies = As("clerk-a", {"admin", "agency", "list"});
  ASSERT_EQ(agencies.exit_code, 0) << agencies.err;
  EXPECT_THAT(agencies.out, Not(HasSubstr("机关b")));

  // Nothing changed: b's case has its two events, every account still
  // works with its token, no account or file was made.
  CommandResult history = As("head-b", {"--json", "case", "show", "B-0001"});
  ASSERT_EQ(history.exit_code, 0) << history.err;
  absl::StatusOr<Json> shown = Json::Parse(history.out);
  ASSERT_TRUE(shown.ok()) << history.out;
  EXPECT_EQ(shown->Find("events")->as_array().size(), 2u);
  EXPECT_EQ(shown->Find("assignee")->as_string(), "handler-b");
  for (const auto& [name, token] : tokens_) {
    EXPECT_EQ(As(name, {"whoami"}).exit_code, 0) << name;
  }
  EXPECT_EQ(daemon_->AdminCli({"whoami"}).exit_code, 0);
  CommandResult all = daemon_->AdminCli({"admin", "user", "list"});
  EXPECT_THAT(all.out, Not(HasSubstr("evil")));
  EXPECT_THAT(all.out, HasSubstr("handler-b"));  // the full list has b's
  EXPECT_FALSE(std::filesystem::exists(backup));
  // The unrestricted audit does show b's events (so the checks above can
  // fail).
  CommandResult root_audit = daemon_->AdminCli({"audit", "--limit", "100000"});
  EXPECT_THAT(root_audit.out, HasSubstr("B-0001"));
}

}  // namespace
}  // namespace gongkai::testing

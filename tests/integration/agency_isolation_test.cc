// The check of issue "One place for every rule", as an attacker would run
// it: many concurrent CLI processes of users limited to different agencies
// write to each other's cases and to their own, for several rounds. No write
// may cross an agency, no legitimate write may be refused, and every event's
// actor must be the user who made the call — while group commit runs many
// callers' writes together on one thread.
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/json.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/integration/harness.h"

namespace gongkai::testing {
namespace {

using ::testing::HasSubstr;

constexpr int kRounds = 3;
constexpr int kCasesPerRound = 8;

struct Staff {
  std::string name;
  std::string agency;
  std::string token;
};

std::string FirstLine(const std::string& s) {
  return s.substr(0, s.find('\n'));
}

TEST(AgencyIsolationTest, ConcurrentWritersAcrossAgenciesNeverCross) {
  ScratchDir dir;
  Daemon d(dir.File("g.db"), {"--fake-today", "2026-06-30"});
  ASSERT_TRUE(d.Start()) << d.log();
  for (const char* code : {"a", "b"}) {
    ASSERT_EQ(d.AdminCli({"admin", "agency", "add", code, "--name",
                          absl::StrCat("机关", code)})
                  .exit_code,
              0);
  }
  std::map<std::string, Staff> staff;
  for (const char* agency : {"a", "b"}) {
    const std::string name = absl::StrCat("clerk-", agency);
    CommandResult r = d.AdminCli(
        {"admin", "user", "add", name, "--role", "clerk", "--agency", agency});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    staff[agency] = Staff{name, agency, FirstLine(r.out)};
  }
  // Each agency's cases for every round, logged by its own clerk.
  std::map<std::string, std::vector<std::string>> cases;
  for (const auto& [agency, s] : staff) {
    for (int i = 0; i < kRounds * kCasesPerRound; ++i) {
      CommandResult r = d.CliAs(
          s.token, {"--json", "case", "new", "--received", "2026-06-01",
                    "--channel", "online", "--applicant-type", "natural_person",
                    "--applicant", "张三", "--request", "某项信息"});
      ASSERT_EQ(r.exit_code, 0) << r.err;
      absl::StatusOr<Json> j = Json::Parse(r.out);
      ASSERT_TRUE(j.ok()) << r.out;
      cases[agency].push_back(j->Find("case_no")->as_string());
    }
  }

  for (int round = 0; round < kRounds; ++round) {
    struct Call {
      std::unique_ptr<Background> process;
      bool legitimate;
      std::string case_no;
    };
    std::vector<Call> calls;
    for (int i = 0; i < kCasesPerRound; ++i) {
      for (const auto& [agency, s] : staff) {
        for (const auto& [target, numbers] : cases) {
          const std::string no = numbers[round * kCasesPerRound + i];
          calls.push_back(Call{
              std::make_unique<Background>(
                  GONGKAI_CLI_PATH,
                  std::vector<std::string>{"--server", d.address(), "--token",
                                           s.token, "case", "withdraw", no,
                                           "--date", "2026-06-30", "--reason",
                                           s.name}),
              agency == target, no});
        }
      }
    }
    for (Call& call : calls) {
      CommandResult r;
      ASSERT_TRUE(call.process->Wait(60000, &r)) << "a CLI call hung";
      if (call.legitimate) {
        EXPECT_EQ(r.exit_code, 0) << call.case_no << ": " << r.err;
      } else {
        EXPECT_NE(r.exit_code, 0) << call.case_no << " crossed an agency";
        EXPECT_THAT(r.err, HasSubstr("no case numbered"));
      }
    }
  }

  // Every case was withdrawn once, by its own agency's clerk.
  for (const auto& [agency, numbers] : cases) {
    for (const std::string& no : numbers) {
      Json c = d.CliJson({"case", "show", no});
      EXPECT_EQ(c.Find("state")->as_string(), "closed") << no;
      for (const Json& e : c.Find("events")->as_array()) {
        EXPECT_EQ(e.Find("actor")->as_string(), staff[agency].name)
            << no << " " << e.Dump();
      }
    }
  }
}

}  // namespace
}  // namespace gongkai::testing

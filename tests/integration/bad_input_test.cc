// Every bad request gets a clear error and leaves the database unchanged.
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/integration/harness.h"

namespace gongkai::testing {
namespace {

using ::testing::HasSubstr;

class BadInputTest : public ::testing::Test {
 protected:
  void SetUp() override {
    daemon_ = std::make_unique<Daemon>(
        dir_.File("g.db"),
        std::vector<std::string>{"--fake-today", "2024-06-28"});
    ASSERT_TRUE(daemon_->Start()) << daemon_->log();
    ASSERT_EQ(daemon_->Cli(New("2024-06-03")).exit_code, 0);
    ASSERT_EQ(daemon_
                  ->Cli({"case", "new", "--received", "2024-06-04", "--channel",
                         "fax", "--applicant-type", "other_org", "--applicant",
                         "某协会", "--request", "R", "--case-no", "GK-1"})
                  .exit_code,
              0);
    ASSERT_EQ(daemon_
                  ->Cli({"case", "answer", "GK-1", "--date", "2024-06-10",
                         "--outcome", "rejected_duplicate"})
                  .exit_code,
              0);
  }
  static std::vector<std::string> New(const std::string& received) {
    return {"case",        "new",       "--received",       received,
            "--channel",   "in_person", "--applicant-type", "natural_person",
            "--applicant", "赵六",      "--request",        "某文件"};
  }
  // Everything observable about the records.
  std::string Snapshot() {
    std::string s = daemon_->CliJson({"case", "list"}).Dump();
    for (const char* no : {"2024-0001", "GK-1"}) {
      s += daemon_->CliJson({"case", "show", no}).Dump();
    }
    return s;
  }

  ScratchDir dir_;
  std::unique_ptr<Daemon> daemon_;
};

TEST_F(BadInputTest, EachFailsCleanlyAndChangesNothing) {
  const std::string before = Snapshot();
  auto with = WithFlag;
  const std::vector<std::string> base = New("2024-06-03");
  struct Bad {
    std::vector<std::string> args;
    std::string message;
  } bad[] = {
      {with(base, "--applicant-type", "person"), "valid applicant types"},
      {with(base, "--channel", "pigeon"), "valid channels"},
      {with(base, "--received", "2023-02-30"), "not a real calendar date"},
      {with(base, "--received", "2024-6-3"), "YYYY-MM-DD"},
      {with(base, "--received", "2024-06-29"), "in the future"},
      {with(base, "--applicant", ""), "applicant name is required"},
      {with(base, "--applicant", std::string(201, 'n')), "at most 200"},
      {with(base, "--request", "   "), "request text is required"},
      {with(base, "--request", std::string(65 * 1024, 'r')), "64 KiB"},
      {with(base, "--case-no", "GK-1"), "is taken"},
      {with(base, "--case-no", "a/b"), "slashes"},
      {{"case", "answer", "2024-0001", "--date", "2024-06-02", "--outcome",
        "disclosed"},
       "before the receipt date"},
      {{"case", "answer", "2024-0001", "--date", "2024-07-01", "--outcome",
        "disclosed"},
       "in the future"},
      {{"case", "answer", "2024-0001", "--date", "2024-06-10", "--outcome",
        "maybe"},
       "valid outcomes"},
      {{"case", "answer", "GK-1", "--date", "2024-06-11", "--outcome",
        "disclosed"},
       "already closed"},
      {{"case", "answer", "2099-0001", "--date", "2024-06-11", "--outcome",
        "disclosed"},
       "no case numbered"},
      {{"case", "list", "--state", "pending"}, "open or closed"},
      {{"case", "list", "--year", "twenty"}, "--year"},
  };
  for (const Bad& b : bad) {
    CommandResult r = daemon_->Cli(b.args);
    std::string what =
        b.args.size() > 2 ? b.args[1] + " " + b.message : b.message;
    EXPECT_NE(r.exit_code, 0) << what;
    EXPECT_THAT(r.err, HasSubstr(b.message)) << what;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  }
  EXPECT_EQ(Snapshot(), before);
}

TEST_F(BadInputTest, AnsweringAClosedCaseIsFailedPrecondition) {
  CommandResult r = daemon_->Cli({"case", "answer", "GK-1", "--date",
                                  "2024-06-11", "--outcome", "disclosed"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(daemon_->log(), HasSubstr("AnswerCase user="));
  EXPECT_THAT(daemon_->log(), HasSubstr("status=FAILED_PRECONDITION"));
}

}  // namespace
}  // namespace gongkai::testing

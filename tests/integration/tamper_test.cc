// Someone with write access to a stopped daemon's database file edits it
// with the sqlite3 library; after a restart, `admin check` and
// `admin verify-audit` must say what was done.
#include <sqlite3.h>
#include <sys/stat.h>

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/crypto.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "storage/sqlite/case_text.h"
#include "tests/integration/harness.h"

namespace gongkai::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

const std::vector<std::string> kToday = {"--fake-today", "2024-06-28"};

std::vector<std::string> NewCaseArgs(const std::string& name) {
  return {"case",        "new",  "--received",       "2024-06-03",
          "--channel",   "mail", "--applicant-type", "natural_person",
          "--applicant", name,   "--request",        "申请公开某批复文件"};
}

// Runs `sql` on the database file as the sqlite3 shell would.
void Edit(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  // The search index's triggers call gk_bigrams; an editor who knows the
  // schema supplies it (or drops the triggers, which admin check reports).
  ASSERT_EQ(storage::RegisterTextFunctions(db), SQLITE_OK);
  char* error = nullptr;
  const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error);
  const std::string message = error != nullptr ? error : "";
  sqlite3_free(error);
  sqlite3_close(db);
  ASSERT_EQ(rc, SQLITE_OK) << message << "\n" << sql;
}

// The chains recomputed with the unkeyed formula (SHA-256 of the previous
// link and the canonical text), as anyone can without the key.
void RecomputeChainsUnkeyed(const std::string& path) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  const char* canonical[][2] = {
      {"case_events",
       "case_id || '|' || seq || '|' || kind || '|' || effective_on || '|' || "
       "recorded_at || '|' || actor || '|' || details"},
      {"record_events",
       "recorded_at || '|' || actor || '|' || kind || '|' || subject || '|' "
       "|| details"}};
  for (const auto& [table, text] : canonical) {
    std::vector<std::pair<int64_t, std::string>> links;
    sqlite3_stmt* s = nullptr;
    ASSERT_EQ(sqlite3_prepare_v2(db,
                                 absl::StrCat("SELECT id, ", text, " FROM ",
                                              table, " ORDER BY id")
                                     .c_str(),
                                 -1, &s, nullptr),
              SQLITE_OK);
    std::string prev;
    while (sqlite3_step(s) == SQLITE_ROW) {
      prev = Sha256Hex(absl::StrCat(
          prev, "\n",
          reinterpret_cast<const char*>(sqlite3_column_text(s, 1))));
      links.emplace_back(sqlite3_column_int64(s, 0), prev);
    }
    sqlite3_finalize(s);
    std::string sql =
        absl::StrCat("DROP TRIGGER IF EXISTS ", table, "_no_update;");
    for (const auto& [id, link] : links) {
      absl::StrAppend(&sql, "UPDATE ", table, " SET chain = '", link,
                      "' WHERE id = ", id, ";");
    }
    ASSERT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr),
              SQLITE_OK);
  }
  sqlite3_close(db);
}

class TamperTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(daemon_.Start()) << daemon_.log();
    for (const char* name : {"张三", "李四", "王五"}) {
      ASSERT_EQ(daemon_.Cli(NewCaseArgs(name)).exit_code, 0);
    }
    for (const char* no : {"2024-0001", "2024-0002"}) {
      ASSERT_EQ(daemon_
                    .Cli({"case", "answer", no, "--date", "2024-06-20",
                          "--outcome", "disclosed"})
                    .exit_code,
                0);
    }
    ASSERT_EQ(Check().exit_code, 0) << Check().out;
    ASSERT_EQ(Verify().exit_code, 0) << Verify().out;
    ASSERT_EQ(daemon_.Stop(), 0);
  }
  CommandResult Check() { return daemon_.AdminCli({"admin", "check"}); }
  CommandResult Verify() { return daemon_.AdminCli({"admin", "verify-audit"}); }
  std::string db() const { return dir_.File("g.db"); }

  ScratchDir dir_;
  Daemon daemon_{dir_.File("g.db"), kToday};
};

TEST_F(TamperTest, KeyAndAnchorAreMadeBesideTheDatabaseForTheOwnerOnly) {
  for (const char* suffix : {".audit-key", ".audit-anchor"}) {
    struct stat st;
    ASSERT_EQ(stat((db() + suffix).c_str(), &st), 0) << suffix;
    EXPECT_EQ(st.st_mode & 0077, 0u) << suffix;
  }
}

TEST_F(TamperTest, ChangedOutcomeAndApplicantAreReported) {
  Edit(db(),
       "UPDATE cases SET outcome = 'withheld_state_secret', applicant = '赵六' "
       "WHERE case_no = '2024-0001'");
  ASSERT_TRUE(daemon_.Start()) << daemon_.log();
  CommandResult check = Check();
  EXPECT_NE(check.exit_code, 0);
  EXPECT_THAT(check.out,
              HasSubstr("case 2024-0001: outcome is 'withheld_state_secret' "
                        "in the case row but 'disclosed' by its events"));
  EXPECT_THAT(check.out, HasSubstr("case 2024-0001: applicant is '赵六' in "
                                   "the case row but '张三' by its events"));
  // The office reads the same findings in Chinese.
  CommandResult zh = daemon_.AdminCli({"--lang", "zh", "admin", "check"});
  EXPECT_NE(zh.exit_code, 0);
  EXPECT_THAT(zh.out, HasSubstr("数据库检查未通过"));
  EXPECT_THAT(zh.out,
              HasSubstr("case 2024-0001：applicant 在案件记录中为“赵六”，"
                        "按办理记录应为“张三”"));
  // The kept report counts follow the history, not the edited row.
  EXPECT_THAT(check.out, Not(HasSubstr("report counts:")));
  // The events were not touched: the chain is intact.
  EXPECT_EQ(Verify().exit_code, 0) << Verify().out;
}

TEST_F(TamperTest, DeletedTailWithTriggersDroppedIsReported) {
  Edit(db(),
       "DROP TRIGGER case_events_no_delete; DROP TRIGGER "
       "record_events_no_delete;"
       "DELETE FROM case_events WHERE id = (SELECT MAX(id) FROM case_events);"
       "UPDATE cases SET state = 'open', outcome = NULL, answered_on = NULL, "
       "version = 1 WHERE case_no = '2024-0002';"
       "UPDATE case_counts SET n = n - 1 WHERE kind = 'disclosed';"
       "DELETE FROM record_events WHERE id = (SELECT MAX(id) FROM "
       "record_events)");
  ASSERT_TRUE(daemon_.Start()) << daemon_.log();
  CommandResult check = Check();
  EXPECT_NE(check.exit_code, 0);
  EXPECT_THAT(check.out, HasSubstr("schema trigger case_events_no_delete: is "
                                   "missing"));
  EXPECT_THAT(check.out, HasSubstr("schema trigger record_events_no_delete"));
  CommandResult verify = Verify();
  EXPECT_NE(verify.exit_code, 0);
  EXPECT_THAT(verify.out, HasSubstr("the tail of the audit trail was cut off"));
  EXPECT_THAT(verify.out, HasSubstr("case_events ends at row"));
  EXPECT_THAT(verify.out, HasSubstr("record_events ends at row"));
  // A write after the cut does not hide it: the old heads are still
  // anchored.
  ASSERT_EQ(daemon_.Cli(NewCaseArgs("孙七")).exit_code, 0);
  EXPECT_THAT(Verify().out, HasSubstr("was rewritten (or its tail cut off"));
}

TEST_F(TamperTest, AnEventEditedAndTheChainRecomputedIsReported) {
  Edit(db(),
       "DROP TRIGGER case_events_no_update;"
       "UPDATE case_events SET details = json_set(details, '$.outcome', "
       "'withheld_state_secret') WHERE kind = 'answered';"
       "UPDATE cases SET outcome = 'withheld_state_secret' WHERE state = "
       "'closed'");
  RecomputeChainsUnkeyed(db());
  ASSERT_TRUE(daemon_.Start()) << daemon_.log();
  CommandResult verify = Verify();
  EXPECT_NE(verify.exit_code, 0);
  EXPECT_THAT(verify.out, HasSubstr("recomputed by someone without the key"));
  EXPECT_THAT(verify.out, HasSubstr("the chain was rewritten"));
  // Row and events now agree, but the counts and the triggers do not.
  CommandResult check = Check();
  EXPECT_NE(check.exit_code, 0);
  EXPECT_THAT(check.out, HasSubstr("schema trigger case_events_no_update"));
  EXPECT_THAT(check.out, HasSubstr("report counts:"));
  EXPECT_THAT(check.out, Not(HasSubstr("case 2024-0001: outcome")));
}

TEST_F(TamperTest, AMissingKeyStopsTheStartUnlessReanchoringIsAsked) {
  ASSERT_EQ(
      rename((db() + ".audit-key").c_str(), dir_.File("elsewhere.key").c_str()),
      0);
  EXPECT_FALSE(daemon_.Start());
  CommandResult refused =
      RunProgram(GONGKAID_PATH, {"--db", db(), "--create-admin", "root"});
  EXPECT_NE(refused.exit_code, 0);
  EXPECT_THAT(refused.err, HasSubstr("is missing"));
  EXPECT_THAT(refused.err, HasSubstr("--reanchor-audit"));
  // The operator decides to go on with a new key.
  CommandResult reanchored =
      RunProgram(GONGKAID_PATH,
                 {"--db", db(), "--create-admin", "root", "--reanchor-audit"});
  ASSERT_EQ(reanchored.exit_code, 0) << reanchored.err;
  ASSERT_TRUE(daemon_.Start()) << daemon_.log();
  // The links made with the lost key cannot be checked any more, and that
  // is what verify-audit says.
  CommandResult verify = Verify();
  EXPECT_NE(verify.exit_code, 0);
  EXPECT_THAT(verify.out, HasSubstr("which this daemon does not have"));
  Json audit = daemon_.CliJson({"audit"});
  EXPECT_THAT(audit.Dump(), HasSubstr("audit_chain_keyed"));
}

}  // namespace
}  // namespace gongkai::testing

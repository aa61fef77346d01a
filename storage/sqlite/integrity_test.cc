// The database file written by someone else: edits of case rows, report
// counts, triggers, the audit chain and its tail, with and without the key.
#include "storage/sqlite/integrity.h"

#include <sys/stat.h>

#include <atomic>
#include <fstream>

#include "absl/strings/str_join.h"
#include "common/status_macros.h"
#include "domain/lifecycle.h"
#include "domain/test_history.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "storage/migrations.h"
#include "storage/sqlite/audit_chain.h"
#include "storage/sqlite_store.h"
#include "storage/test_util.h"

namespace gongkai::storage {
namespace {

using ::testing::AllOf;
using ::testing::Contains;
using ::testing::Field;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

ActionContext Ctx() {
  return {"clerk", absl::FromUnixSeconds(1700000000), D("2023-11-15"), ""};
}

class IntegrityTest : public ::testing::Test {
 protected:
  void SetUp() override {
    audit_.key_path = dir_.File("audit.key");
    audit_.anchor_path = dir_.File("audit.anchor");
    Reopen();
  }
  void Reopen() {
    store_.reset();
    auto store = SqliteStore::Open(db_path(), audit_);
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = *std::move(store);
  }
  std::string db_path() const { return dir_.File("gongkai.db"); }

  // A case received and answered through the real lifecycle.
  CaseRecord CreateAnswered(const char* received, Outcome outcome) {
    NewCase n;
    n.agency = "psb";
    n.received_on = D(received);
    n.applicant = "李四";
    n.id_number = "110101199003070011";
    n.request = "请求公开某文件";
    CaseEvent ev;
    CaseRecord c = *OpenCase(n, Ctx(), &ev);
    auto stored = WriteValue<CaseRecord>(
        *store_, [&](Tables& t) { return t.cases().Insert(c, &ev); });
    EXPECT_TRUE(stored.ok()) << stored.status();
    CaseRecord after = *stored;
    std::vector<CaseEvent> events = {ev};
    auto answered = Lifecycle(Ctx(), WorkCalendar::Official(), {})
                        .Answer(after, events, {D("2023-03-10"), outcome, ""});
    EXPECT_TRUE(answered.ok()) << answered.status();
    answered->details.Set("state_before", "open");
    answered->details.Set("state_after", "closed");
    EXPECT_TRUE(store_
                    ->Write([&](Tables& t) {
                      return t.cases().Update(*stored, after, &*answered);
                    })
                    .ok());
    return after;
  }

  // One lifecycle step on the stored case, written as the app layer
  // writes it (with the states before and after).
  template <typename F>
  void Step(const std::string& case_no, F step) {
    absl::Status s = store_->Write([&](Tables& t) -> absl::Status {
      ASSIGN_OR_RETURN(const CaseRecord before, t.cases().Get(case_no));
      ASSIGN_OR_RETURN(const std::vector<CaseEvent> events,
                       t.cases().Events(before.id));
      CaseRecord after = before;
      const Lifecycle life(Ctx(), WorkCalendar::Official(), {});
      ASSIGN_OR_RETURN(CaseEvent e, step(life, after, events));
      if (after.state != before.state) {
        e.details.Set("state_before", std::string(Info(before.state).code));
        e.details.Set("state_after", std::string(Info(after.state).code));
      }
      return t.cases().Update(before, after, &e);
    });
    ASSERT_TRUE(s.ok()) << s;
  }

  std::vector<std::string> Verify() {
    auto problems = ReadValue<std::vector<std::string>>(
        *store_, [](Tables& t) { return t.audit().Verify(); });
    EXPECT_TRUE(problems.ok()) << problems.status();
    return problems.ok() ? *problems : std::vector<std::string>{"error"};
  }
  IntegrityReport Check() {
    auto report = store_->CheckIntegrity();
    EXPECT_TRUE(report.ok()) << report.status();
    return report.ok() ? *report : IntegrityReport{};
  }
  // Edits the file with SQL while the store is closed, as sqlite3 would.
  void Tamper(const std::string& sql) {
    store_.reset();
    {
      auto db = Database::Open(db_path());
      ASSERT_TRUE(db.ok()) << db.status();
      ASSERT_TRUE((*db)->Execute(sql).ok()) << sql;
    }
    Reopen();
  }
  // Recomputes both chains with the unkeyed formula, as anyone could.
  void RecomputeUnkeyed() {
    store_.reset();
    {
      auto db = *Database::Open(db_path());
      for (const char* table : {"case_events", "record_events"}) {
        ASSERT_TRUE(db->Execute(absl::StrCat("DROP TRIGGER IF EXISTS ", table,
                                             "_no_update"))
                        .ok());
        auto rows = *db->Prepare(absl::StrCat("SELECT id, ",
                                              AuditCanonicalColumns(table),
                                              " FROM ", table, " ORDER BY id"));
        std::vector<std::pair<int64_t, std::string>> links;
        std::string prev;
        while (*rows->Step()) {
          prev = AuditChainLink(prev, rows->ColumnText(1));
          links.emplace_back(rows->ColumnInt(0), prev);
        }
        for (const auto& [id, link] : links) {
          ASSERT_TRUE(
              db->Execute(absl::StrCat("UPDATE ", table, " SET chain = '", link,
                                       "' WHERE id = ", id))
                  .ok());
        }
      }
    }
    Reopen();
  }

  TempDir dir_;
  AuditOptions audit_;
  std::unique_ptr<SqliteStore> store_;
};

TEST_F(IntegrityTest, ANewDatabaseIsKeyedWithAPrivateKeyAndConsistent) {
  struct stat st;
  ASSERT_EQ(stat(audit_.key_path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  ASSERT_EQ(stat(audit_.anchor_path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  CreateAnswered("2023-03-06", Outcome::kDisclosed);
  EXPECT_THAT(Verify(), IsEmpty());
  IntegrityReport r = Check();
  EXPECT_THAT(r.problems, IsEmpty()) << r.problems[0].subject;
  EXPECT_EQ(r.cases_checked, 1);
  EXPECT_EQ(r.cases_partly_checked, 0);
  // Reopening keeps the key and the anchor.
  Reopen();
  EXPECT_THAT(Verify(), IsEmpty());
}

TEST_F(IntegrityTest, ChangedCaseFieldsAndCountsAreListed) {
  CreateAnswered("2023-03-06", Outcome::kDisclosed);
  Tamper(
      "UPDATE cases SET outcome = 'other', applicant = '王五', "
      "id_number = '110101199003070022';"
      "UPDATE case_counts SET kind = 'other' WHERE kind = 'disclosed'");
  IntegrityReport r = Check();
  auto has = [&](const char* field, const char* row, const char* derived) {
    return Contains(AllOf(Field(&IntegrityProblem::subject, "case 2023-0001"),
                          Field(&IntegrityProblem::field, field),
                          Field(&IntegrityProblem::row, row),
                          Field(&IntegrityProblem::derived, derived)));
  };
  EXPECT_THAT(r.problems, has("outcome", "other", "disclosed"));
  EXPECT_THAT(r.problems, has("applicant", "王五", "李四"));
  EXPECT_THAT(r.problems,
              Contains(Field(&IntegrityProblem::field, "id_number")));
  EXPECT_THAT(r.problems,
              Contains(AllOf(Field(&IntegrityProblem::subject, "report counts"),
                             Field(&IntegrityProblem::row, "1"),
                             Field(&IntegrityProblem::derived, "0"))));
  // The counts alone, moved to match the edited row, are still wrong.
  EXPECT_THAT(
      r.problems,
      Contains(AllOf(Field(&IntegrityProblem::subject, "report counts"),
                     Field(&IntegrityProblem::field, HasSubstr("disclosed")))));
}

TEST_F(IntegrityTest, DroppedTriggersAndCutOffTailAreReported) {
  CreateAnswered("2023-03-06", Outcome::kDisclosed);
  CreateAnswered("2023-03-07", Outcome::kDisclosed);
  ASSERT_THAT(Verify(), IsEmpty());
  Tamper(
      "DROP TRIGGER case_events_no_delete; DROP TRIGGER "
      "record_events_no_delete;"
      "DELETE FROM case_events WHERE id = (SELECT MAX(id) FROM case_events);"
      "UPDATE cases SET state = 'open', outcome = NULL, answered_on = NULL "
      "WHERE case_no = '2023-0002';"
      "DELETE FROM record_events WHERE id = (SELECT MAX(id) FROM "
      "record_events)");
  IntegrityReport r = Check();
  EXPECT_THAT(
      r.problems,
      Contains(AllOf(Field(&IntegrityProblem::subject,
                           "schema trigger case_events_no_delete"),
                     Field(&IntegrityProblem::message, HasSubstr("missing")))));
  EXPECT_THAT(r.problems,
              Contains(Field(&IntegrityProblem::subject,
                             "schema trigger record_events_no_delete")));
  const std::string problems = absl::StrJoin(Verify(), "\n");
  EXPECT_THAT(problems, HasSubstr("case_events ends at row 3"));
  EXPECT_THAT(problems, HasSubstr("the tail of the audit trail was cut off"));
  EXPECT_THAT(problems, HasSubstr("record_events ends at row"));
}

TEST_F(IntegrityTest, AChainRecomputedWithoutTheKeyIsDetected) {
  CreateAnswered("2023-03-06", Outcome::kDisclosed);
  Tamper(
      "DROP TRIGGER case_events_no_update;"
      "UPDATE case_events SET details = json_set(details, '$.outcome', "
      "'other') WHERE kind = 'answered';"
      "CREATE TRIGGER case_events_no_update BEFORE UPDATE ON case_events\n"
      "BEGIN\n"
      "  SELECT RAISE(ABORT, 'case_events is append-only: events cannot be "
      "changed');\nEND");
  RecomputeUnkeyed();
  const std::string problems = absl::StrJoin(Verify(), "\n");
  EXPECT_THAT(problems, HasSubstr("recomputed by someone without the key"));
  EXPECT_THAT(problems, HasSubstr("the chain was rewritten"));
}

TEST_F(IntegrityTest, AnEditedAnchorIsDetected) {
  CreateAnswered("2023-03-06", Outcome::kDisclosed);
  store_.reset();
  std::string text;
  {
    std::ifstream in(audit_.anchor_path);
    std::stringstream ss;
    ss << in.rdbuf();
    text = ss.str();
  }
  // Lower the last anchored case event id: the MAC no longer holds.
  const size_t last = text.rfind('\n', text.size() - 2) + 1;
  std::string line = text.substr(last);
  const size_t id_at = line.find(' ', line.find(' ') + 1) + 1;
  line[id_at] = '1';
  {
    std::ofstream out(audit_.anchor_path, std::ios::trunc);
    out << text.substr(0, last) << line;
  }
  Reopen();
  EXPECT_THAT(absl::StrJoin(Verify(), "\n"),
              HasSubstr("does not carry a valid MAC"));
}

TEST_F(IntegrityTest, AMissingKeyOrAnchorRefusesToOpenUnlessReanchored) {
  CreateAnswered("2023-03-06", Outcome::kDisclosed);
  store_.reset();
  ASSERT_EQ(rename(audit_.key_path.c_str(), dir_.File("kept.key").c_str()), 0);
  auto refused = SqliteStore::Open(db_path(), audit_);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(refused.status().message(), HasSubstr("is missing"));
  // Nor without any key at all.
  EXPECT_EQ(SqliteStore::Open(db_path()).status().code(),
            absl::StatusCode::kFailedPrecondition);
  // Another key is not this database's.
  ASSERT_TRUE(AuditKey::Create(audit_.key_path).ok());
  EXPECT_THAT(SqliteStore::Open(db_path(), audit_).status().message(),
              HasSubstr("is not the key of"));
  ASSERT_EQ(unlink(audit_.key_path.c_str()), 0);
  ASSERT_EQ(rename(dir_.File("kept.key").c_str(), audit_.key_path.c_str()), 0);
  // The anchor is as necessary.
  ASSERT_EQ(unlink(audit_.anchor_path.c_str()), 0);
  EXPECT_THAT(SqliteStore::Open(db_path(), audit_).status().message(),
              HasSubstr("audit anchor"));
  audit_.reanchor = true;
  Reopen();
  EXPECT_THAT(Verify(), IsEmpty());
  auto events = ReadValue<std::vector<AuditEntry>>(*store_, [](Tables& t) {
    return t.audit().List(std::nullopt, "", 100, {});
  });
  ASSERT_TRUE(events.ok());
  EXPECT_EQ(events->back().kind, "audit_chain_keyed");
}

TEST_F(IntegrityTest, AnUnkeyedDatabaseIsKeyedFromItsCurrentHead) {
  store_.reset();
  std::filesystem::remove(db_path());
  std::filesystem::remove(audit_.key_path);
  std::filesystem::remove(audit_.anchor_path);
  {
    auto unkeyed = *SqliteStore::Open(db_path());
    store_ = std::move(unkeyed);
    CreateAnswered("2023-03-06", Outcome::kDisclosed);
  }
  Reopen();  // with the key options: the key is made, the chain goes on
  CreateAnswered("2023-03-07", Outcome::kDisclosed);
  EXPECT_THAT(Verify(), IsEmpty());
  auto events = ReadValue<std::vector<AuditEntry>>(*store_, [](Tables& t) {
    return t.audit().List(std::nullopt, "gongkaid", 100, {});
  });
  ASSERT_TRUE(events.ok());
  ASSERT_EQ(events->size(), 1u);
  EXPECT_EQ(events->front().kind, "audit_chain_keyed");
  // Removing the record of the key does not make the chain unkeyed: the
  // anchor knows better, and the keyed links do not pass as unkeyed ones.
  store_.reset();
  ASSERT_TRUE((*Database::Open(db_path()))
                  ->Execute("DROP TRIGGER audit_keys_no_delete; "
                            "DELETE FROM audit_keys")
                  .ok());
  EXPECT_THAT(SqliteStore::Open(db_path(), audit_).status().message(),
              HasSubstr("has no record of its key"));
  audit_.reanchor = true;
  Reopen();
  EXPECT_THAT(absl::StrJoin(Verify(), "\n"),
              HasSubstr("breaks the checksum chain"));
}

TEST_F(IntegrityTest, AmendmentsAndReopeningsAreReplayed) {
  CreateAnswered("2023-03-06", Outcome::kDisclosed);
  using Events = std::vector<CaseEvent>;
  Step("2023-0001", [](const Lifecycle& l, CaseRecord& c, const Events& e) {
    AmendInput in;
    in.reason = "登记错误";
    in.received_on = D("2022-12-30");  // into the year before
    in.applicant = "李四光";
    in.applicant_type = ApplicantType::kLegalServiceOrg;
    in.id_number = "110101199003070099";
    in.contact = "北京市西城区某路2号";
    return l.Amend(c, e, in);
  });
  Step("2023-0001", [](const Lifecycle& l, CaseRecord& c, const Events& e) {
    return l.Reopen(c, e, "办理结果登记错误");
  });
  Step("2023-0001", [](const Lifecycle& l, CaseRecord& c, const Events& e) {
    return l.Answer(c, e, {D("2023-03-10"), Outcome::kPartiallyDisclosed, ""});
  });
  IntegrityReport r = Check();
  EXPECT_THAT(r.problems, IsEmpty())
      << r.problems[0].subject << " " << r.problems[0].field << " "
      << r.problems[0].row << " / " << r.problems[0].derived << " "
      << r.problems[0].message;
  EXPECT_EQ(r.cases_partly_checked, 0);
  // The kept counts moved with the corrections: 2022 has the new
  // application, 2023 the corrected outcome, nothing of the first answer.
  auto table = [&](int year) {
    return *ReadValue<Table3>(
        *store_, [&](Tables& t) { return t.cases().Table3Of(year, {}); });
  };
  EXPECT_EQ(table(2022).new_requests.Get(ApplicantType::kLegalServiceOrg), 1);
  EXPECT_EQ(table(2023).new_requests.total(), 0);
  const Table3 t2023 = table(2023);
  EXPECT_EQ(t2023.outcome_total.Get(ApplicantType::kLegalServiceOrg), 1);
  EXPECT_EQ(t2023.outcomes[static_cast<int>(Outcome::kPartiallyDisclosed) - 1]
                .total(),
            1);
  EXPECT_EQ(t2023.outcomes[static_cast<int>(Outcome::kDisclosed) - 1].total(),
            0);
  // And the check still sees a row that disagrees with the corrections.
  Tamper(
      "UPDATE cases SET applicant_type = 'natural_person', "
      "outcome = 'disclosed'");
  r = Check();
  EXPECT_THAT(r.problems,
              Contains(AllOf(
                  Field(&IntegrityProblem::field, "outcome"),
                  Field(&IntegrityProblem::derived, "partially_disclosed"))));
  EXPECT_THAT(
      r.problems,
      Contains(AllOf(Field(&IntegrityProblem::field, "applicant_type"),
                     Field(&IntegrityProblem::derived, "legal_service_org"))));
}

// The open checks what stays small; damage to what grows with the cases (an
// index of the cases) is left to the full check, which runs on its own
// connection and finds it. A check asked to stop says so.
TEST_F(IntegrityTest, TheOpenLeavesGrowingTablesToTheFullCheck) {
  CreateAnswered("2023-03-01", Outcome::kDisclosed);
  store_.reset();
  int64_t page_size = 0, root = 0;
  {
    OpenOptions raw;
    raw.check_integrity = false;
    auto db = Database::Open(db_path(), raw);
    ASSERT_TRUE(db.ok()) << db.status();
    ASSERT_TRUE((*db)->Execute("PRAGMA wal_checkpoint(TRUNCATE)").ok());
    page_size = *(*db)->QueryInt("PRAGMA page_size");
    root = *(*db)->QueryInt(
        "SELECT rootpage FROM sqlite_schema WHERE name = 'cases_by_answer'");
  }
  {
    std::fstream f(db_path(), std::ios::in | std::ios::out | std::ios::binary);
    f.seekp((root - 1) * page_size);
    const std::string junk(page_size, '\x5a');
    f.write(junk.data(), junk.size());
    ASSERT_TRUE(f.good());
  }
  // Refused by a quick_check of the whole file, accepted by the open's.
  EXPECT_EQ(Database::Open(db_path()).status().code(),
            absl::StatusCode::kDataLoss);
  Reopen();
  ASSERT_NE(store_, nullptr);
  IntegrityReport r = Check();
  EXPECT_THAT(r.problems,
              Contains(Field(&IntegrityProblem::subject, "database")));

  std::atomic<bool> stop{true};
  EXPECT_EQ(CheckDatabaseFile(db_path(), store_->file_identity(), &stop)
                .status()
                .code(),
            absl::StatusCode::kCancelled);
}

}  // namespace
}  // namespace gongkai::storage

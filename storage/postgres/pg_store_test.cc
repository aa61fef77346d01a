// What is PostgreSQL's own in PgStore: several stores (replicas) on one
// database, lost connections, the schema it refuses, and the SQL it sends.
// The Store contract itself is tested on every engine by the parameterised
// storage tests (storage/test_engines.h).
#include "storage/postgres/pg_store.h"

#include <atomic>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "absl/strings/str_cat.h"
#include "common/dates.h"
#include "common/status_macros.h"
#include "domain/lifecycle.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "storage/postgres/pg_connection.h"
#include "storage/test_engines.h"

namespace gongkai::storage {
namespace {

using ::testing::HasSubstr;

absl::CivilDay D(const char* s) { return *ParseDate(s); }
const absl::Time kAt = absl::FromUnixSeconds(1700000000);

std::pair<CaseRecord, CaseEvent> NewRecord(const std::string& applicant,
                                           const char* received) {
  NewCase n;
  n.received_on = D(received);
  n.applicant = applicant;
  n.request = "请求公开某文件";
  CaseEvent ev;
  CaseRecord c = *OpenCase(n, {"clerk", kAt, D("2023-11-15")}, &ev);
  return {c, ev};
}

TEST(PgPlaceholdersTest, NumbersByFirstUseAndLeavesQuotesAlone) {
  std::vector<int> order;
  EXPECT_EQ(PgPlaceholders("a = ?3 AND b = ?1 AND c = ?3", &order),
            "a = $1 AND b = $2 AND c = $1");
  EXPECT_EQ(order, (std::vector<int>{3, 1}));
  // A bare ? is the one after the highest so far, as in SQLite.
  EXPECT_EQ(PgPlaceholders("VALUES (?, ?, ?5, ?)", &order),
            "VALUES ($1, $2, $3, $4)");
  EXPECT_EQ(order, (std::vector<int>{1, 2, 5, 6}));
  EXPECT_EQ(PgPlaceholders("x = '?' AND y = ?"), "x = '?' AND y = $1");
}

TEST(PgUrlTest, SelectsTheEngineAndHidesPasswords) {
  EXPECT_TRUE(IsPostgresUrl("postgresql://db.example/gongkai"));
  EXPECT_TRUE(IsPostgresUrl("postgres://db.example/gongkai"));
  EXPECT_FALSE(IsPostgresUrl("/var/lib/gongkai/gongkai.db"));
  EXPECT_FALSE(IsPostgresUrl("postgresql.db"));
  EXPECT_EQ(RedactPostgresUrl("postgresql://gk:s3cret@db:5432/gongkai"),
            "postgresql://gk:***@db:5432/gongkai");
  EXPECT_EQ(RedactPostgresUrl("postgresql:///gongkai?host=/tmp&password=s3"),
            "postgresql:///gongkai?host=/tmp&password=***");
  EXPECT_EQ(RedactPostgresUrl("postgresql://gk@db/gongkai"),
            "postgresql://gk@db/gongkai");
}

// The storage_postgres_test entry sets GONGKAI_TEST_PG_REQUIRED: without a
// server it must fail rather than pass having tested nothing.
TEST(PgServerTest, IsThereWhenRequired) {
  if (!TestPgRequired()) GTEST_SKIP() << "GONGKAI_TEST_PG_REQUIRED is not set";
  ASSERT_FALSE(TestPgUrl().empty()) << "GONGKAI_TEST_PG_URL is not set";
  auto conn = PgConnection::Open(TestPgUrl());
  ASSERT_TRUE(conn.ok()) << conn.status();
}

class PgStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (TestPgUrl().empty()) {
      GTEST_SKIP() << "no PostgreSQL server (GONGKAI_TEST_PG_URL)";
    }
  }
  PgOptions Quiet() {
    PgOptions o;
    o.log = [this](const std::string& line) {
      std::lock_guard<std::mutex> lock(log_mu_);
      log_.push_back(line);
    };
    return o;
  }
  absl::StatusOr<std::unique_ptr<PgStore>> OpenPg(PgOptions o) {
    return PgStore::Open(db_->location(), std::move(o));
  }

  std::unique_ptr<TestDatabase> db_ =
      std::make_unique<TestDatabase>(TestEngine::kPostgres);
  std::mutex log_mu_;
  std::vector<std::string> log_;
};

// Two replicas on one database, clients spread over both: every number
// issued once, every acknowledged create stored, counts and chain intact.
TEST_F(PgStoreTest, TwoReplicasNeverIssueANumberTwice) {
  auto a = OpenPg(Quiet());
  auto b = OpenPg(Quiet());
  ASSERT_TRUE(a.ok()) << a.status();
  ASSERT_TRUE(b.ok()) << b.status();
  constexpr int kThreads = 8;
  constexpr int kEach = 15;
  std::mutex mu;
  std::vector<std::string> acknowledged;
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    PgStore* replica = (i % 2 == 0 ? *a : *b).get();
    threads.emplace_back([&, replica, i] {
      for (int k = 0; k < kEach; ++k) {
        auto [c, ev] = NewRecord(absl::StrCat("申请人", i, "-", k),
                                 k % 3 == 0 ? "2022-06-01" : "2023-03-06");
        auto stored = WriteValue<CaseRecord>(
            *replica, [&](Tables& t) { return t.cases().Insert(c, &ev); });
        ASSERT_TRUE(stored.ok()) << stored.status();
        std::lock_guard<std::mutex> lock(mu);
        acknowledged.push_back(stored->case_no);
      }
    });
  }
  for (auto& t : threads) t.join();
  ASSERT_EQ(acknowledged.size(), static_cast<size_t>(kThreads * kEach));
  std::set<std::string> unique(acknowledged.begin(), acknowledged.end());
  EXPECT_EQ(unique.size(), acknowledged.size());
  // Each acknowledged case is there, read through the other replica.
  auto found = ReadValue<std::vector<CaseRecord>>(
      **b, [&](Tables& t) { return t.cases().GetMany(acknowledged); });
  ASSERT_TRUE(found.ok()) << found.status();
  EXPECT_EQ(found->size(), acknowledged.size());
  // Numbers run without gaps per year: 2022 has 40, 2023 has 80.
  EXPECT_TRUE(unique.count("2022-0040"));
  EXPECT_FALSE(unique.count("2022-0041"));
  EXPECT_TRUE(unique.count("2023-0080"));
  EXPECT_FALSE(unique.count("2023-0081"));
  auto check = (*a)->CheckIntegrity();
  ASSERT_TRUE(check.ok()) << check.status();
  for (const IntegrityProblem& p : check->problems) {
    ADD_FAILURE() << p.subject << " " << p.field << " " << p.message;
  }
  EXPECT_EQ(check->cases_checked, kThreads * kEach);
}

// Document numbers too are taken once across replicas.
TEST_F(PgStoreTest, TwoReplicasTakeEachDocumentNumberOnce) {
  auto a = OpenPg(Quiet());
  auto b = OpenPg(Quiet());
  ASSERT_TRUE(a.ok() && b.ok());
  std::mutex mu;
  std::multiset<int64_t> taken;
  std::vector<std::thread> threads;
  for (int i = 0; i < 6; ++i) {
    PgStore* replica = (i % 2 == 0 ? *a : *b).get();
    threads.emplace_back([&, replica] {
      for (int k = 0; k < 10; ++k) {
        auto n = WriteValue<int64_t>(*replica, [](Tables& t) {
          return t.documents().TakeNumber("", "reply", 2023);
        });
        ASSERT_TRUE(n.ok()) << n.status();
        std::lock_guard<std::mutex> lock(mu);
        taken.insert(*n);
      }
    });
  }
  for (auto& t : threads) t.join();
  ASSERT_EQ(taken.size(), 60u);
  EXPECT_EQ(*taken.begin(), 1);
  EXPECT_EQ(*taken.rbegin(), 60);
  EXPECT_EQ(std::set<int64_t>(taken.begin(), taken.end()).size(), 60u);
}

// The server ends the store's connections (a restart, a failover): the
// next transaction reconnects, says so, and works.
TEST_F(PgStoreTest, ReconnectsAfterLosingTheServerAndSaysSo) {
  PgOptions o = Quiet();
  o.connections = 1;
  auto store = OpenPg(std::move(o));
  ASSERT_TRUE(store.ok()) << store.status();
  auto [c, ev] = NewRecord("甲", "2023-03-06");
  ASSERT_TRUE(WriteValue<CaseRecord>(**store, [&](Tables& t) {
                return t.cases().Insert(c, &ev);
              }).ok());
  auto admin = PgConnection::Open(TestPgUrl());
  ASSERT_TRUE(admin.ok()) << admin.status();
  // Every backend of this test's schema but the admin's own.
  ASSERT_TRUE((*admin)
                  ->Execute("SELECT pg_terminate_backend(pid) FROM "
                            "pg_stat_activity WHERE pid <> pg_backend_pid() "
                            "AND datname = current_database() AND "
                            "backend_type = 'client backend'")
                  .ok());
  auto [c2, ev2] = NewRecord("乙", "2023-03-07");
  auto stored = WriteValue<CaseRecord>(
      **store, [&](Tables& t) { return t.cases().Insert(c2, &ev2); });
  ASSERT_TRUE(stored.ok()) << stored.status();
  EXPECT_EQ(stored->case_no, "2023-0002");
  EXPECT_EQ((*store)->reconnects(), 1);
  std::lock_guard<std::mutex> lock(log_mu_);
  ASSERT_FALSE(log_.empty());
  EXPECT_THAT(log_.front(), HasSubstr("lost the connection to PostgreSQL"));
  EXPECT_THAT(log_.back(), HasSubstr("reconnected"));
}

TEST_F(PgStoreTest, RefusesASchemaOfAnotherApplication) {
  ASSERT_TRUE(db_->Tamper("CREATE TABLE invoices (id BIGINT)").ok());
  auto store = OpenPg(Quiet());
  EXPECT_EQ(store.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(store.status().message(), HasSubstr("another application"));
}

TEST_F(PgStoreTest, RefusesASchemaNewerThanItKnows) {
  ASSERT_TRUE(OpenPg(Quiet()).ok());
  ASSERT_TRUE(db_->Tamper("INSERT INTO schema_version (version, description) "
                          "VALUES (999, 'from the future')")
                  .ok());
  auto store = OpenPg(Quiet());
  EXPECT_EQ(store.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(store.status().message(), HasSubstr("newer"));
}

// A refused write changes nothing, a failing statement included (it aborts
// the transaction in PostgreSQL).
TEST_F(PgStoreTest, AWriteThatFailsInTheServerLeavesNothing) {
  auto store = OpenPg(Quiet());
  ASSERT_TRUE(store.ok()) << store.status();
  absl::Status s = (*store)->Write([&](Tables& t) -> absl::Status {
    auto [c, ev] = NewRecord("甲", "2023-03-06");
    RETURN_IF_ERROR(t.cases().Insert(c, &ev).status());
    // The same explicit number twice: refused by the table.
    auto [d, ev2] = NewRecord("乙", "2023-03-07");
    d.case_no = "2023-0001";
    return t.cases().Insert(d, &ev2).status();
  });
  EXPECT_EQ(s.code(), absl::StatusCode::kAlreadyExists);
  auto page = ReadValue<CasePage>(**store,
                                  [](Tables& t) { return t.cases().List({}); });
  ASSERT_TRUE(page.ok()) << page.status();
  EXPECT_EQ(page->total, 0);
  // The store goes on: the connection was given back clean.
  auto [c, ev] = NewRecord("丙", "2023-03-06");
  auto stored = WriteValue<CaseRecord>(
      **store, [&](Tables& t) { return t.cases().Insert(c, &ev); });
  ASSERT_TRUE(stored.ok()) << stored.status();
  EXPECT_EQ(stored->case_no, "2023-0001");
}

// The keyed chain: a second replica needs the same key; the check finds a
// row changed behind the triggers' back.
TEST_F(PgStoreTest, KeyedChainNeedsTheSameKeyOnEveryReplica) {
  PgOptions o = Quiet();
  o.audit_key_path = db_->dir().File("audit.key");
  auto a = OpenPg(o);
  ASSERT_TRUE(a.ok()) << a.status();
  auto [c, ev] = NewRecord("甲", "2023-03-06");
  ASSERT_TRUE(WriteValue<CaseRecord>(**a, [&](Tables& t) {
                return t.cases().Insert(c, &ev);
              }).ok());
  EXPECT_TRUE((*a)->CheckIntegrity()->problems.empty());
  // Without the key: refused.
  auto keyless = OpenPg(Quiet());
  EXPECT_EQ(keyless.status().code(), absl::StatusCode::kFailedPrecondition);
  // Another key: refused.
  PgOptions other = Quiet();
  other.audit_key_path = db_->dir().File("other.key");
  ASSERT_TRUE(AuditKey::Create(other.audit_key_path).ok());
  auto wrong = OpenPg(other);
  EXPECT_EQ(wrong.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(wrong.status().message(), HasSubstr("same key"));
  // The same key: a second replica.
  auto b = OpenPg(o);
  ASSERT_TRUE(b.ok()) << b.status();
  ASSERT_TRUE(db_->Tamper("ALTER TABLE case_events DISABLE TRIGGER "
                          "case_events_no_update; UPDATE case_events SET "
                          "actor = 'mallory'")
                  .ok());
  auto check = (*b)->CheckIntegrity();
  ASSERT_TRUE(check.ok()) << check.status();
  std::string all;
  for (const IntegrityProblem& p : check->problems) {
    absl::StrAppend(&all, p.subject, ": ", p.message, "\n");
  }
  EXPECT_THAT(all, HasSubstr("case_events_no_update: is disabled"));
  EXPECT_THAT(all, HasSubstr("breaks the checksum chain"));
}

}  // namespace
}  // namespace gongkai::storage

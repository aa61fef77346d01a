// Two gongkaid replicas on one PostgreSQL database, clients spread over
// both, one replica killed with SIGKILL in the middle of the writes: no
// acknowledged case is lost, no number is issued twice, and the database
// still checks out. Runs when the integration tests run on PostgreSQL
// (integration_postgres_test); skipped on SQLite, whose file one daemon
// serves.
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <set>
#include <thread>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/integration/harness.h"

namespace gongkai::testing {
namespace {

TEST(ReplicasTest, AKilledReplicaLosesNoAcknowledgedCase) {
  if (!IntegrationOnPostgres()) {
    GTEST_SKIP() << "replicas need PostgreSQL (GONGKAI_INTEGRATION_PG=1)";
  }
  ScratchDir dir;
  const std::vector<std::string> today = {"--fake-today", "2024-03-01"};
  Daemon a(dir.File("gongkai.db"), today);
  Daemon b(dir.File("gongkai.db"), today);
  ASSERT_TRUE(a.Start()) << a.log();
  ASSERT_TRUE(b.Start()) << b.log();

  constexpr int kClients = 4;  // two on each replica
  constexpr int kEach = 8;
  std::mutex mu;
  std::condition_variable progressed;
  std::vector<std::string> acknowledged;
  std::vector<std::thread> clients;
  for (int i = 0; i < kClients; ++i) {
    const Daemon* d = i % 2 == 0 ? &a : &b;
    clients.emplace_back([&, d, i] {
      for (int k = 0; k < kEach; ++k) {
        CommandResult r = d->Cli(
            {"case", "new", "--received", "2024-02-01", "--channel", "online",
             "--applicant-type", "natural_person", "--applicant",
             absl::StrCat("申请人", i, "-", k), "--request", "请公开预算"});
        // Refused once its replica is gone: those were never acknowledged.
        if (r.exit_code != 0) break;
        std::string no = r.out.substr(0, r.out.find('\n'));
        std::lock_guard<std::mutex> lock(mu);
        acknowledged.push_back(no);
        progressed.notify_all();
      }
    });
  }
  {
    // Kill replica b once both have acknowledged some writes.
    std::unique_lock<std::mutex> lock(mu);
    progressed.wait(lock, [&] { return acknowledged.size() >= 6; });
  }
  b.Kill();
  for (std::thread& t : clients) t.join();

  // Every acknowledged number once, every one there, read through a.
  std::set<std::string> unique(acknowledged.begin(), acknowledged.end());
  EXPECT_EQ(unique.size(), acknowledged.size());
  // a's clients finished all theirs.
  EXPECT_GE(acknowledged.size(), static_cast<size_t>(kEach * kClients / 2));
  for (const std::string& no : acknowledged) {
    CommandResult shown = a.Cli({"case", "show", no});
    EXPECT_EQ(shown.exit_code, 0) << no << ": " << shown.err;
  }
  // b restarts on the same database and goes on numbering after the rest.
  ASSERT_TRUE(b.Start()) << b.log();
  CommandResult next =
      b.Cli({"case", "new", "--received", "2024-02-01", "--channel", "online",
             "--applicant-type", "natural_person", "--applicant", "王五",
             "--request", "请公开预算"});
  ASSERT_EQ(next.exit_code, 0) << next.err;
  EXPECT_FALSE(unique.count(next.out.substr(0, next.out.find('\n'))));
  CommandResult check = a.AdminCli({"admin", "check"});
  EXPECT_EQ(check.exit_code, 0) << check.out << check.err;
}

}  // namespace
}  // namespace gongkai::testing

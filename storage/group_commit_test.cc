#include "storage/group_commit.h"

#include <atomic>
#include <chrono>
#include <future>
#include <stdexcept>
#include <thread>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "storage/test_util.h"

namespace gongkai::storage {
namespace {

using ::testing::HasSubstr;

class GroupCommitTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = *Database::Open(dir_.File("g.db"));
    ASSERT_TRUE(
        db_->Execute("CREATE TABLE t (x INTEGER PRIMARY KEY) STRICT").ok());
  }

  absl::Status Insert(int x) {
    return db_->Execute(absl::StrCat("INSERT INTO t VALUES (", x, ")"));
  }

  int64_t Rows() {
    absl::MutexLock lock(&connection_mu_);
    return *db_->QueryInt("SELECT count(*) FROM t");
  }

  // Runs `jobs` so that all of them but the first land in one batch: the
  // first job holds the connection until the others have queued behind it.
  std::vector<absl::Status> RunBlockedBatch(
      GroupCommit& group, std::vector<std::function<absl::Status()>> jobs) {
    std::promise<void> release;
    std::shared_future<void> released = release.get_future().share();
    std::vector<absl::Status> out(jobs.size());
    std::vector<std::thread> threads;
    std::atomic<bool> first_running{false};
    threads.emplace_back([&] {
      out[0] = group.Run([&] {
        first_running = true;
        released.wait();
        return jobs[0]();
      });
    });
    while (!first_running) std::this_thread::yield();
    for (size_t i = 1; i < jobs.size(); ++i) {
      threads.emplace_back([&, i] { out[i] = group.Run(jobs[i]); });
    }
    // The followers only push themselves on the queue; give them time to.
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    release.set_value();
    for (auto& t : threads) t.join();
    return out;
  }

  TempDir dir_;
  std::unique_ptr<Database> db_;
  absl::Mutex connection_mu_;
};

TEST_F(GroupCommitTest, ConcurrentJobsAllCommit) {
  GroupCommit group(db_.get(), &connection_mu_);
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 50; ++i) {
        EXPECT_TRUE(group.Run([&] { return Insert(t * 1000 + i); }).ok());
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(Rows(), 400);
  EXPECT_EQ(group.jobs(), 400);
  EXPECT_LE(group.batches(), 400);
}

TEST_F(GroupCommitTest, QueuedJobsShareOneTransaction) {
  GroupCommit group(db_.get(), &connection_mu_);
  std::vector<std::function<absl::Status()>> jobs;
  for (int i = 0; i < 16; ++i) jobs.push_back([this, i] { return Insert(i); });
  for (const absl::Status& s : RunBlockedBatch(group, jobs)) {
    EXPECT_TRUE(s.ok()) << s;
  }
  EXPECT_EQ(Rows(), 16);
  EXPECT_EQ(group.batches(), 2);  // the blocked leader, then the other 15
  EXPECT_EQ(group.jobs(), 16);
}

TEST_F(GroupCommitTest, FailingJobIsRolledBackAlone) {
  GroupCommit group(db_.get(), &connection_mu_);
  std::vector<std::function<absl::Status()>> jobs = {
      [this] { return Insert(1); },
      [this] { return Insert(2); },
      [this]() -> absl::Status {
        // Writes, then refuses: its write must not survive.
        if (absl::Status s = Insert(3); !s.ok()) return s;
        return absl::InvalidArgumentError("refused");
      },
      [this] { return Insert(1); },  // the leader's key: fails on its own
      [this] { return Insert(4); },
  };
  std::vector<absl::Status> out = RunBlockedBatch(group, jobs);
  EXPECT_TRUE(out[0].ok());
  EXPECT_TRUE(out[1].ok());
  EXPECT_EQ(out[2].code(), absl::StatusCode::kInvalidArgument);
  EXPECT_FALSE(out[3].ok());
  EXPECT_TRUE(out[4].ok());
  absl::MutexLock lock(&connection_mu_);
  EXPECT_EQ(*db_->QueryText("SELECT group_concat(x) FROM t ORDER BY x"),
            "1,2,4");
}

TEST_F(GroupCommitTest, TransactionEndedBySqliteFailsTheWholeBatch) {
  GroupCommit group(db_.get(), &connection_mu_);
  std::vector<std::function<absl::Status()>> jobs = {
      [this] { return Insert(1); },
      [this] { return Insert(2); },
      [this]() -> absl::Status {
        // Stands in for a full disk or I/O error, after which SQLite rolls
        // back the whole transaction on its own.
        (void)db_->Execute("ROLLBACK");
        return absl::ResourceExhaustedError("disk full");
      },
      [this] { return Insert(3); },
  };
  std::vector<absl::Status> out = RunBlockedBatch(group, jobs);
  EXPECT_TRUE(out[0].ok());  // its own batch, before the failure
  for (size_t i = 1; i < out.size(); ++i) {
    EXPECT_EQ(out[i].code(), absl::StatusCode::kResourceExhausted) << i;
    EXPECT_THAT(out[i].message(), HasSubstr("disk full"));
  }
  EXPECT_EQ(Rows(), 1);
  // The next write works again.
  EXPECT_TRUE(group.Run([this] { return Insert(9); }).ok());
  EXPECT_EQ(Rows(), 2);
}

TEST_F(GroupCommitTest, AJobThatThrowsFailsItsBatchAndLeadershipPassesOn) {
  GroupCommit group(db_.get(), &connection_mu_);
  std::vector<std::function<absl::Status()>> jobs = {
      [this] { return Insert(1); },
      [this] { return Insert(2); },
      [this]() -> absl::Status {
        (void)Insert(3);
        throw std::runtime_error("bad body");
      },
      [this] { return Insert(4); },
  };
  std::vector<absl::Status> out = RunBlockedBatch(group, jobs);
  EXPECT_TRUE(out[0].ok());  // its own batch, before the throw
  for (size_t i = 1; i < out.size(); ++i) {
    EXPECT_EQ(out[i].code(), absl::StatusCode::kInternal) << i;
    EXPECT_THAT(out[i].message(), HasSubstr("bad body"));
  }
  EXPECT_EQ(Rows(), 1);  // the batch was rolled back

  // A lone job that throws: the next write must still find a leader. Run on
  // a detached thread so that a wedged queue fails the test, not hangs it.
  EXPECT_EQ(group.Run([]() -> absl::Status { throw std::logic_error("alone"); })
                .code(),
            absl::StatusCode::kInternal);
  auto next = std::make_shared<std::promise<absl::Status>>();
  std::future<absl::Status> result = next->get_future();
  std::thread([&group, this, next] {
    next->set_value(group.Run([this] { return Insert(9); }));
  }).detach();
  ASSERT_EQ(result.wait_for(std::chrono::seconds(30)),
            std::future_status::ready)
      << "the write after a throwing job never ran";
  EXPECT_TRUE(result.get().ok());
  EXPECT_EQ(Rows(), 2);
  EXPECT_FALSE(db_->InTransaction());
}

TEST_F(GroupCommitTest, AfterBatchRunsOnceTheTransactionHasEnded) {
  std::vector<bool> in_transaction;
  GroupCommit group(db_.get(), &connection_mu_,
                    [&] { in_transaction.push_back(db_->InTransaction()); });
  EXPECT_TRUE(group.Run([this] { return Insert(1); }).ok());
  EXPECT_FALSE(group.Run([] { return absl::AbortedError("no"); }).ok());
  EXPECT_EQ(in_transaction, (std::vector<bool>{false, false}));
}

}  // namespace
}  // namespace gongkai::storage

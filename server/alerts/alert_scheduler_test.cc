#include "server/alerts/alert_scheduler.h"

#include <atomic>
#include <thread>
#include <vector>

#include "gtest/gtest.h"
#include "server/alerts/alert_engine.h"
#include "storage/sqlite_store.h"
#include "storage/test_util.h"

namespace gongkai::alerts {
namespace {

class AlertSchedulerTest : public ::testing::Test {
 protected:
  AlertSchedulerTest()
      : calendar_(WorkCalendar::Official()), time_(absl::CivilDay(2025, 3, 3)) {
    store_ = *storage::SqliteStore::Open(dir_.File("a.db"));
    env_.store = store_.get();
    env_.calendar = &calendar_;
    env_.time = &time_;
  }

  storage::TempDir dir_;
  std::unique_ptr<storage::SqliteStore> store_;
  app::CalendarHolder calendar_;
  app::TimeSource time_;
  app::Environment env_;
};

// Before Start the engine answers (nullopt); once started the index does,
// the first build included, and it agrees with the engine.
TEST_F(AlertSchedulerTest, AnswersFromTheIndexOnceStarted) {
  AlertScheduler scheduler(env_, nullptr, SchedulerOptions());
  EXPECT_FALSE(scheduler.AlertsInForce(time_.Today()).has_value());
  scheduler.Start();
  std::optional<std::vector<Alert>> alerts =
      scheduler.AlertsInForce(time_.Today());
  ASSERT_TRUE(alerts.has_value());
  absl::StatusOr<std::vector<Alert>> expected =
      AlertEngine(env_).Evaluate(time_.Today());
  ASSERT_TRUE(expected.ok()) << expected.status();
  EXPECT_EQ(alerts->size(), expected->size());
  scheduler.Stop();
  EXPECT_FALSE(scheduler.AlertsInForce(time_.Today()).has_value());
}

// Serving threads may ask while the daemon starts the scheduler: every
// answer is either the engine's (nullopt) or the index's, and once Start
// has returned, the index's. (Under ThreadSanitizer this also checks that
// Start and AlertsInForce share no unguarded state.)
TEST_F(AlertSchedulerTest, CallsDuringStartAreSafe) {
  AlertScheduler scheduler(env_, nullptr, SchedulerOptions());
  std::atomic<bool> started{false};
  std::atomic<bool> stop{false};
  std::atomic<int> late_misses{0};
  std::vector<std::thread> callers;
  for (int i = 0; i < 4; ++i) {
    callers.emplace_back([&] {
      while (!stop.load()) {
        const bool after = started.load();
        if (!scheduler.AlertsInForce(time_.Today()).has_value() && after)
          ++late_misses;
      }
    });
  }
  scheduler.Start();
  started = true;
  ASSERT_TRUE(scheduler.AlertsInForce(time_.Today()).has_value());
  stop = true;
  for (std::thread& t : callers) t.join();
  EXPECT_EQ(late_misses.load(), 0);
}

}  // namespace
}  // namespace gongkai::alerts

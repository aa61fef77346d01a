// Test helper for the application services: a fresh SQLite store in a
// temporary directory, a fixed "today", two agencies (a and b) and staff of
// each, every one authenticated through its API token like a real caller.
#ifndef GONGKAI_APP_TEST_WORLD_H_
#define GONGKAI_APP_TEST_WORLD_H_

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "app/admin_service.h"
#include "app/caller.h"
#include "app/environment.h"
#include "domain/calendar.h"
#include "gtest/gtest.h"
#include "storage/sqlite_store.h"
#include "storage/test_util.h"

namespace gongkai::app {

class TestWorld : public ::testing::Test {
 protected:
  static constexpr absl::CivilDay kToday{2025, 3, 10};

  void SetUp() override {
    auto store = storage::SqliteStore::Open(dir_.File("gongkai.db"));
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = *std::move(store);
    env_.store = store_.get();
    env_.calendar = &calendar_;
    env_.time = &time_;
    env_.agency = "测试市人民政府";
    env_.on_case_changed = [](const std::string&) {};
    AdminService admin(env_);
    ASSERT_TRUE(admin.CreateAgency(root_, "a", "甲局").ok());
    ASSERT_TRUE(admin.CreateAgency(root_, "b", "乙局").ok());
    AddUser("admin", "admin", {});
    AddUser("admin_a", "admin", {"a"});
    AddUser("admin_b", "admin", {"b"});
    AddUser("head_a", "head", {"a"});
    AddUser("handler_a", "handler", {"a"});
    AddUser("handler_a2", "handler", {"a"});
    AddUser("handler_b", "handler", {"b"});
    AddUser("handler_b2", "handler", {"b"});
    AddUser("clerk_a", "clerk", {"a"});
  }

  // Creates the account and authenticates as it, as the transport would.
  void AddUser(const std::string& name, const std::string& role,
               const std::vector<std::string>& agencies) {
    AdminService admin(env_);
    auto created = admin.CreateUserWithToken(root_, name, role, agencies);
    ASSERT_TRUE(created.ok()) << name << ": " << created.status();
    auto caller = Authenticate(*store_, created->token);
    ASSERT_TRUE(caller.ok()) << caller.status();
    callers_[name] = *caller;
  }

  const Caller& As(const std::string& name) { return callers_.at(name); }

  // A case stored as it would be logged (received; closed when `answered`).
  CaseRecord AddCase(const std::string& agency, absl::CivilDay received,
                     std::optional<absl::CivilDay> answered = std::nullopt) {
    CaseRecord c;
    c.agency = agency;
    c.received_on = received;
    c.applicant = "张三";
    c.request = "2024年预算";
    c.created_at = c.updated_at = absl::Now();
    if (answered.has_value()) {
      c.state = CaseState::kClosed;
      c.answered_on = answered;
      c.outcome = Outcome::kDisclosed;
    }
    CaseEvent e;
    e.kind = "received";
    e.effective_on = received;
    e.recorded_at = absl::Now();
    e.actor = "setup";
    auto stored = storage::WriteValue<CaseRecord>(
        *store_, [&](storage::Tables& t) { return t.cases().Insert(c, &e); });
    EXPECT_TRUE(stored.ok()) << stored.status();
    return stored.ok() ? *stored : c;
  }

  std::vector<storage::AuditEntry> Audit(const std::string& kind) {
    AdminService admin(env_);
    auto entries = admin.ListAudit(root_, AuditQuery{std::nullopt, "", 100000});
    EXPECT_TRUE(entries.ok()) << entries.status();
    std::vector<storage::AuditEntry> out;
    if (!entries.ok()) return out;
    for (auto& e : *entries) {
      if (e.kind == kind) out.push_back(e);
    }
    return out;
  }

  storage::TempDir dir_;
  std::unique_ptr<storage::SqliteStore> store_;
  CalendarHolder calendar_{WorkCalendar::Official()};
  TimeSource time_{kToday};
  Environment env_;
  const Caller root_ = Caller::Trusted("test setup");
  std::map<std::string, Caller> callers_;
};

}  // namespace gongkai::app

#endif  // GONGKAI_APP_TEST_WORLD_H_

// Faults: crashes under load, many clients on the same cases.
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <random>
#include <set>
#include <thread>

#include "absl/strings/str_cat.h"
#include "common/json.h"
#include "gmock/gmock.h"
#include "gongkai/v1/case_service.grpc.pb.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "tests/integration/harness.h"

namespace gongkai::testing {
namespace {

std::unique_ptr<v1::CaseService::Stub> Stub(const Daemon& d) {
  return v1::CaseService::NewStub(
      grpc::CreateChannel(d.address(), grpc::InsecureChannelCredentials()));
}

void Auth(grpc::ClientContext& ctx, const Daemon& d) {
  ctx.AddMetadata("authorization", "Bearer " + d.head_token());
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
}

v1::Date Day(int y, int m, int d) {
  v1::Date out;
  out.set_year(y);
  out.set_month(m);
  out.set_day(d);
  return out;
}

// Rounds of: clients create cases concurrently, the daemon is killed with
// SIGKILL at a random moment, it restarts, and every create the clients saw
// acknowledged must be there. GONGKAI_CRASH_ROUNDS sets the number of rounds
// (CI runs the short default).
TEST(CrashTest, AcknowledgedCreatesSurviveKillNineUnderLoad) {
  const char* env = std::getenv("GONGKAI_CRASH_ROUNDS");
  const int rounds = env != nullptr ? std::atoi(env) : 3;
  ScratchDir dir;
  Daemon d(dir.File("g.db"), {"--fake-today", "2024-06-28"});
  std::mt19937 rng(std::random_device{}());
  std::set<std::string> acknowledged;
  for (int round = 0; round < rounds; ++round) {
    ASSERT_TRUE(d.Start()) << d.log();
    std::mutex mu;
    std::atomic<bool> stop{false};
    std::vector<std::thread> clients;
    for (int c = 0; c < 4; ++c) {
      clients.emplace_back([&, c] {
        auto stub = Stub(d);
        for (int n = 0; !stop; ++n) {
          v1::CreateCaseRequest r;
          r.set_case_no(absl::StrCat("R", round, "-C", c, "-", n));
          *r.mutable_received_on() = Day(2024, 6, 3);
          r.set_channel(v1::CHANNEL_MAIL);
          r.set_applicant_type(v1::APPLICANT_TYPE_NATURAL_PERSON);
          r.set_applicant("张三");
          r.set_request("某信息");
          grpc::ClientContext ctx;
          Auth(ctx, d);
          v1::Case out;
          if (stub->CreateCase(&ctx, r, &out).ok()) {
            std::lock_guard<std::mutex> lock(mu);
            acknowledged.insert(out.case_no());
          }
        }
      });
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(150 + rng() % 450));
    d.Kill();
    stop = true;
    for (auto& t : clients) t.join();
  }
  ASSERT_TRUE(d.Start()) << d.log();
  ASSERT_GT(acknowledged.size(), 0u);
  auto stub = Stub(d);
  size_t missing = 0;
  for (const std::string& no : acknowledged) {
    grpc::ClientContext ctx;
    Auth(ctx, d);
    v1::GetCaseRequest r;
    r.set_name(no);
    v1::Case out;
    if (!stub->GetCase(&ctx, r, &out).ok()) ++missing;
  }
  EXPECT_EQ(missing, 0u) << "of " << acknowledged.size()
                         << " acknowledged creates";
  EXPECT_EQ(d.AdminCli({"admin", "check"}).exit_code, 0);
  EXPECT_EQ(d.AdminCli({"admin", "verify-audit"}).exit_code, 0);
}

// Many clients act on the same cases at once: each transition applies once
// or fails cleanly, and every case's state agrees with its event log.
TEST(ConcurrencyTest, CompetingTransitionsNeverLoseAnUpdate) {
  ScratchDir dir;
  Daemon d(dir.File("g.db"), {"--fake-today", "2024-06-28"});
  ASSERT_TRUE(d.Start()) << d.log();
  auto stub = Stub(d);
  const int kCases = 8;
  for (int i = 0; i < kCases; ++i) {
    v1::CreateCaseRequest r;
    *r.mutable_received_on() = Day(2024, 6, 17);
    r.set_channel(v1::CHANNEL_ONLINE);
    r.set_applicant_type(v1::APPLICANT_TYPE_NATURAL_PERSON);
    r.set_applicant("李四");
    r.set_request("某信息");
    grpc::ClientContext ctx;
    Auth(ctx, d);
    v1::Case out;
    ASSERT_TRUE(stub->CreateCase(&ctx, r, &out).ok());
  }
  std::atomic<int> applied{0}, refused{0}, other{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      auto s = Stub(d);
      std::mt19937 rng(t);
      for (int i = 0; i < 40; ++i) {
        const std::string no = absl::StrCat("2024-000", 1 + rng() % kCases);
        grpc::ClientContext ctx;
        Auth(ctx, d);
        v1::Case out;
        grpc::Status st;
        switch (rng() % 3) {
          case 0: {
            v1::AnswerCaseRequest r;
            r.set_name(no);
            *r.mutable_answered_on() = Day(2024, 6, 27);
            r.set_outcome(v1::OUTCOME_DISCLOSED);
            st = s->AnswerCase(&ctx, r, &out);
            break;
          }
          case 1: {
            v1::ExtendDeadlineRequest r;
            r.set_name(no);
            *r.mutable_approved_on() = Day(2024, 6, 27);
            r.set_days(10);
            r.set_approved_by("王主任");
            r.set_reason("复杂");
            st = s->ExtendDeadline(&ctx, r, &out);
            break;
          }
          default: {
            v1::RequestCorrectionRequest r;
            r.set_name(no);
            *r.mutable_notice_on() = Day(2024, 6, 20);
            st = s->RequestCorrection(&ctx, r, &out);
          }
        }
        if (st.ok()) {
          ++applied;
        } else if (st.error_code() == grpc::StatusCode::FAILED_PRECONDITION ||
                   st.error_code() == grpc::StatusCode::ABORTED) {
          ++refused;
        } else {
          ++other;
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(other, 0);
  EXPECT_GT(applied, 0);
  EXPECT_GT(refused, 0);
  for (int i = 1; i <= kCases; ++i) {
    Json c = d.CliJson({"case", "show", absl::StrCat("2024-000", i)});
    std::map<std::string, int> kinds;
    for (const Json& e : c.Find("events")->as_array())
      ++kinds[e.Find("kind")->as_string()];
    EXPECT_EQ(kinds["received"], 1);
    EXPECT_LE(kinds["answered"], 1);
    EXPECT_LE(kinds["extended"], 1);
    EXPECT_LE(kinds["correction_requested"], 1);
    // One event per change: the version counts them, so none was lost.
    EXPECT_EQ(c.Find("version")->as_int(),
              static_cast<int64_t>(c.Find("events")->as_array().size()));
    const std::string state = c.Find("state")->as_string();
    EXPECT_EQ(state == "closed", kinds["answered"] == 1);
    EXPECT_EQ(state == "awaiting_correction",
              kinds["correction_requested"] == 1 && kinds["answered"] == 0);
  }
}

}  // namespace
}  // namespace gongkai::testing

namespace gongkai::testing {
namespace {

// `gongkai case new` for a request by mail from a natural person.
std::vector<std::string> NewCaseArgs(const std::string& received,
                                     const std::string& applicant,
                                     const std::string& request) {
  return {"case",        "new",     "--received",       received,
          "--channel",   "mail",    "--applicant-type", "natural_person",
          "--applicant", applicant, "--request",        request};
}

// The disk fills up (a file-size limit on the daemon stands in for it): a
// write fails with a clear error and saves nothing, reads keep working, and
// writes work again once there is room.
TEST(DiskFullTest, WritesFailCleanlyReadsContinueAndServiceRecovers) {
  ScratchDir dir;
  const std::string db = dir.File("g.db");
  Daemon setup(db, {"--fake-today", "2024-06-28"});
  ASSERT_TRUE(setup.Start()) << setup.log();
  const std::string token = setup.head_token();
  const std::string admin = setup.admin_token();
  ASSERT_EQ(setup.Cli(NewCaseArgs("2024-06-03", "张三", "某信息")).exit_code,
            0);
  setup.Stop();

  // Restart under a file-size limit just above the current files.
  size_t biggest = 0;
  for (const char* suffix : {"", "-wal", "-shm"}) {
    std::error_code ec;
    biggest = std::max<size_t>(
        biggest, std::filesystem::file_size(db + suffix, ec) * !ec);
  }
  const std::string limit = std::to_string(biggest + 64 * 1024);
  Background limited(
      "/usr/bin/prlimit",
      {"--fsize=" + limit, GONGKAID_PATH, "--db", db, "--listen", "127.0.0.1:0",
       "--insecure", "--fake-today", "2024-06-28"});
  std::string address;
  for (int i = 0; i < 500 && address.empty(); ++i) {
    std::string log = limited.ErrSoFar();
    if (size_t at = log.find("serving on "); at != std::string::npos) {
      address = "ipv4:" + log.substr(at + 11, log.find(' ', at + 11) - at - 11);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ASSERT_FALSE(address.empty()) << limited.ErrSoFar();
  auto cli = [&](std::vector<std::string> args) {
    args.insert(args.begin(), {"--server", address, "--token", token});
    return RunProgram(GONGKAI_CLI_PATH, args);
  };
  // Fill the room with large requests until a write is refused.
  CommandResult failed;
  int saved = 0;
  const std::string big(60 * 1024, 'x');
  for (int i = 0; i < 200; ++i) {
    failed = cli(NewCaseArgs("2024-06-03", "李四", big));
    if (failed.exit_code != 0) break;
    ++saved;
  }
  ASSERT_NE(failed.exit_code, 0) << "the limit was never reached";
  EXPECT_THAT(failed.err, ::testing::HasSubstr("disk"));
  // Reads keep working, and only acknowledged cases exist.
  CommandResult listed = cli({"--json", "case", "list"});
  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  absl::StatusOr<Json> cases = Json::Parse(listed.out);
  ASSERT_TRUE(cases.ok());
  EXPECT_EQ(cases->as_array().size(), static_cast<size_t>(1 + saved));
  CommandResult stopped;
  ASSERT_TRUE(limited.Wait(0, &stopped) == false);  // still serving
  // Room returns: a daemon without the limit writes again, intact.
  kill(limited.pid(), SIGTERM);
  ASSERT_TRUE(limited.Wait(10000, &stopped));
  Daemon& recovered = setup;
  ASSERT_TRUE(recovered.Start()) << recovered.log();
  EXPECT_EQ(recovered.CliAs(token, NewCaseArgs("2024-06-04", "王五", "某信息"))
                .exit_code,
            0);
  EXPECT_EQ(recovered.CliAs(admin, {"admin", "check"}).exit_code, 0);
  EXPECT_EQ(recovered.CliAs(admin, {"admin", "verify-audit"}).exit_code, 0);
}

// A database file the daemon's user may not write is refused at start with
// a reason, instead of being served until the first write fails; the file
// is left exactly as it was.
TEST(ReadOnlyTest, ReadOnlyDatabaseIsRefusedAtStartAndLeftUntouched) {
  ScratchDir dir;
  const std::string db = dir.File("g.db");
  Daemon setup(db);
  ASSERT_TRUE(setup.Start()) << setup.log();
  ASSERT_EQ(setup.Cli(NewCaseArgs("2024-06-03", "张三", "某信息")).exit_code,
            0);
  setup.Stop();
  auto read_all = [](const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
  };
  const std::string before = read_all(db);
  ASSERT_FALSE(before.empty());

  std::string program = GONGKAID_PATH;
  std::vector<std::string> args = {"--db", db, "--listen", "127.0.0.1:0",
                                   "--insecure"};
  namespace fs = std::filesystem;
  if (geteuid() == 0) {
    // Root may write any file, so run the daemon as nobody, with the folder
    // open to it and the file still root's own (rw-r--r--). The binary is
    // copied where nobody may run it.
    fs::permissions(dir.path(), fs::perms::all);
    fs::permissions(db, fs::perms::owner_read | fs::perms::owner_write |
                            fs::perms::group_read | fs::perms::others_read);
    const std::string copy = dir.File("gongkaid");
    fs::copy_file(GONGKAID_PATH, copy);
    fs::permissions(copy, fs::perms::owner_all | fs::perms::group_read |
                              fs::perms::group_exec | fs::perms::others_read |
                              fs::perms::others_exec);
    args.insert(args.begin(),
                {"--reuid=65534", "--regid=65534", "--clear-groups", copy});
    program = "/usr/bin/setpriv";
  } else {
    fs::permissions(db, fs::perms::owner_read | fs::perms::group_read |
                            fs::perms::others_read);
  }
  if (geteuid() == 0) {
    // The lock file left by the first run is root's too.
    CommandResult locked = RunProgram(program, args);
    EXPECT_NE(locked.exit_code, 0);
    EXPECT_THAT(locked.err, ::testing::HasSubstr("cannot create lock file"));
    EXPECT_THAT(locked.err, ::testing::HasSubstr("owner and permissions"));
    fs::remove(db + ".lock");
  }
  CommandResult refused = RunProgram(program, args);
  EXPECT_NE(refused.exit_code, 0);
  EXPECT_THAT(refused.err, ::testing::HasSubstr("is read-only for this user"));
  EXPECT_THAT(refused.err, ::testing::HasSubstr("permissions"));
  EXPECT_EQ(read_all(db), before);
  EXPECT_FALSE(fs::exists(db + "-wal") && fs::file_size(db + "-wal") > 0);
}

}  // namespace
}  // namespace gongkai::testing

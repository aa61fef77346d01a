// Benchmarks of gongkai against the raw engine, side by side in one run.
// Prints its figures; see docs/performance.md for the method and the latest
// figures, and `gongkai_bench --help` for the options and the benchmarks.
//
// `--quick` runs every benchmark at a small size as a smoke test (CTest's
// gongkai_bench_quick, label "bench"): it asserts no figure, only that every
// measured path ran and gave sane results (the CLI succeeded, rates are not
// zero). A full run is fatal on the same failures: a figure measured on a
// failed command would mean nothing.
#include <malloc.h>
#include <sqlite3.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <sstream>
#include <thread>

#include "CLI/CLI.hpp"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/dates.h"
#include "documents/documents.h"
#include "documents/zip_package.h"
#include "domain/case.h"
#include "domain/clocks.h"
#include "domain/documents.h"
#include "gongkai/v1/case_service.grpc.pb.h"
#include "grpcpp/grpcpp.h"
#include "server/alerts/alert_engine.h"
#include "server/alerts/alert_index.h"
#include "storage/sqlite/case_text.h"
#include "storage/sqlite_store.h"
#include "tests/integration/harness.h"

namespace gongkai::bench {
namespace {

using testing::CommandResult;
using testing::Daemon;
using testing::RunProgram;
using testing::ScratchDir;
using Clock = std::chrono::steady_clock;

// Stops the benchmark when `ok` is false: what it was about to measure did
// not work.
void Require(bool ok, const std::string& what) {
  if (ok) return;
  std::fprintf(stderr, "gongkai_bench: FAILED: %s\n", what.c_str());
  std::exit(1);
}

// `r` succeeded, or the benchmark stops with its output.
void RequireOk(const CommandResult& r, const std::string& what) {
  Require(r.exit_code == 0,
          absl::StrCat(what, " exited with ", r.exit_code, "\n", r.out, r.err));
}

double Ms(Clock::duration d) {
  return std::chrono::duration<double, std::milli>(d).count();
}

void Exec(sqlite3* db, const std::string& sql) {
  char* err = nullptr;
  if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
    std::fprintf(stderr, "sql failed: %s\n%s\n", err, sql.c_str());
    std::exit(1);
  }
}

// Fills `path` (already at the current schema) with `n` cases received over
// eight years, three in four answered, using plain SQL for speed; then
// rebuilds the report counts the daemon keeps.
void Generate(const std::string& path, int n) {
  sqlite3* db = nullptr;
  sqlite3_open(path.c_str(), &db);
  // The full-text index's triggers need the bigram function.
  storage::RegisterTextFunctions(db);
  Exec(db, "PRAGMA synchronous=OFF; BEGIN");
  sqlite3_stmt* insert = nullptr;
  sqlite3_prepare_v2(
      db,
      "INSERT INTO cases (case_no, receipt_year, state, channel, "
      "applicant_type, "
      "applicant, request, received_on, answered_on, outcome, version, "
      "created_at, updated_at, query_code) VALUES (?1, ?2, ?3, 'mail', ?4, "
      "?8, ?9, ?5, ?6, ?7, "
      "1, '2024-01-01T00:00:00.000Z', '2024-01-01T00:00:00.000Z', "
      "'Q' || ?1)",
      -1, &insert, nullptr);
  std::mt19937 rng(42);
  // Names and requests from pools as an office's would look: a search for
  // a two-character name or a request word finds a realistic share.
  const char* surnames[] = {"王", "李", "张", "刘", "陈",   "杨",  "赵", "黄",
                            "周", "吴", "徐", "孙", "胡",   "朱",  "高", "林",
                            "何", "郭", "马", "罗", "欧阳", "司马"};
  const char* given[] = {"伟", "芳", "娜",   "秀英", "敏", "静", "丽",   "强",
                         "磊", "军", "洋",   "勇",   "艳", "杰", "娟",   "涛",
                         "明", "超", "秀兰", "霞",   "平", "刚", "桂英", "五"};
  const char* topics[] = {"城市总体规划", "土地征收补偿", "房屋拆迁安置",
                          "环境影响评价", "部门财政预算", "建设工程规划许可",
                          "义务教育招生", "医疗保障基金", "道路交通建设",
                          "食品安全抽检", "企业排污许可", "政府采购合同"};
  for (int i = 0; i < n; ++i) {
    const std::string applicant = absl::StrCat(
        surnames[rng() % std::size(surnames)], given[rng() % std::size(given)],
        given[rng() % std::size(given)]);
    const std::string request =
        absl::StrCat("申请公开", 2015 + rng() % 10, "年",
                     topics[rng() % std::size(topics)], "的相关文件");
    sqlite3_bind_text(insert, 8, applicant.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(insert, 9, request.c_str(), -1, SQLITE_TRANSIENT);
    absl::CivilDay received =
        absl::CivilDay(2018, 1, 1) + static_cast<int>(rng() % 2900);
    const bool closed = rng() % 4 != 0;
    absl::CivilDay answered = received + static_cast<int>(rng() % 60);
    std::string no = absl::StrCat("B", i);
    std::string type(AllApplicantTypes()[rng() % 6].code);
    std::string outcome(AllOutcomes()[rng() % 21].code);
    std::string r = FormatDate(received), a = FormatDate(answered);
    sqlite3_bind_text(insert, 1, no.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_int(insert, 2, static_cast<int>(received.year()));
    sqlite3_bind_text(insert, 3, closed ? "closed" : "open", -1, SQLITE_STATIC);
    sqlite3_bind_text(insert, 4, type.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(insert, 5, r.c_str(), -1, SQLITE_TRANSIENT);
    if (closed) {
      sqlite3_bind_text(insert, 6, a.c_str(), -1, SQLITE_TRANSIENT);
      sqlite3_bind_text(insert, 7, outcome.c_str(), -1, SQLITE_TRANSIENT);
    } else {
      sqlite3_bind_null(insert, 6);
      sqlite3_bind_null(insert, 7);
    }
    if (sqlite3_step(insert) != SQLITE_DONE) {
      std::fprintf(stderr, "generating cases: %s\n", sqlite3_errmsg(db));
      std::exit(1);
    }
    sqlite3_reset(insert);
  }
  sqlite3_finalize(insert);
  Exec(db,
       "DELETE FROM case_counts;"
       "INSERT INTO case_counts SELECT agency, receipt_year, 'new', "
       "applicant_type, "
       "count(*) FROM cases GROUP BY agency, receipt_year, applicant_type;"
       "INSERT INTO case_counts SELECT agency, CAST(substr(answered_on,1,4) AS "
       "INTEGER), "
       "outcome, applicant_type, count(*) FROM cases WHERE state='closed' "
       "GROUP BY agency, substr(answered_on,1,4), outcome, applicant_type; "
       "COMMIT");
  sqlite3_close(db);
}

// The same table 3 with plain SQL aggregates straight on the cases.
double RawReportMs(const std::string& path, int year) {
  sqlite3* db = nullptr;
  sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr);
  const std::string y = absl::StrCat(year);
  const std::string first = y + "-01-01", last = y + "-12-31";
  const std::string queries[] = {
      "SELECT applicant_type, count(*) FROM cases WHERE receipt_year = " + y +
          " GROUP BY applicant_type",
      "SELECT applicant_type, count(*) FROM cases WHERE received_on < '" +
          first + "' AND (answered_on IS NULL OR answered_on >= '" + first +
          "') GROUP BY applicant_type",
      "SELECT outcome, applicant_type, count(*) FROM cases WHERE answered_on "
      "BETWEEN '" +
          first + "' AND '" + last + "' GROUP BY outcome, applicant_type",
      "SELECT applicant_type, count(*) FROM cases WHERE received_on <= '" +
          last + "' AND (answered_on IS NULL OR answered_on > '" + last +
          "') GROUP BY applicant_type",
  };
  auto start = Clock::now();
  for (const std::string& q : queries) {
    sqlite3_stmt* s = nullptr;
    sqlite3_prepare_v2(db, q.c_str(), -1, &s, nullptr);
    while (sqlite3_step(s) == SQLITE_ROW) {
    }
    sqlite3_finalize(s);
  }
  double ms = Ms(Clock::now() - start);
  sqlite3_close(db);
  return ms;
}

// The ways of answering `case list --search WORD --limit 20` in plain SQL
// on the same file, all with the full-text match and the substring check:
enum class RawSearch {
  // the count of every match, and the page sorted from all of them (what
  // gongkaid did before the count stopped at 1,000);
  kExactCount,
  // the count stopped after 1,001 matches (streamed from the text index),
  // and the page sorted from every match of the text index;
  kCappedByText,
  // the same count, and the page read along cases_by_receipt, checking the
  // substring on each row and stopping at the page's end.
  kCappedWalk,
};

// The milliseconds `way` takes; `matches` gets the count it made.
double RawSearchMs(const std::string& path, const std::string& word,
                   RawSearch way, int64_t* matches) {
  sqlite3* db = nullptr;
  sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr);
  storage::RegisterTextFunctions(db);
  const std::string match = storage::MatchExpression({word}, "");
  const std::string check =
      "(instr(applicant, ?2) OR instr(request, ?2) OR instr(contact, ?2))";
  const std::string in_text =
      " WHERE id IN (SELECT rowid FROM case_text WHERE case_text MATCH ?1) "
      "AND " +
      check;
  const std::string streamed =
      " FROM (SELECT rowid AS hit FROM case_text WHERE case_text MATCH ?1) "
      "CROSS JOIN cases ON cases.id = hit WHERE " +
      check;
  std::string count, page;
  switch (way) {
    case RawSearch::kExactCount:
      count = "SELECT count(*) FROM cases" + in_text;
      page = "SELECT * FROM cases" + in_text +
             " ORDER BY received_on, id LIMIT 21";
      break;
    case RawSearch::kCappedByText:
      count = "SELECT count(*) FROM (SELECT 1" + streamed + " LIMIT 1001)";
      page = "SELECT cases.*" + streamed + " ORDER BY received_on, id LIMIT 21";
      break;
    case RawSearch::kCappedWalk:
      count = "SELECT count(*) FROM (SELECT 1" + streamed + " LIMIT 1001)";
      page = "SELECT * FROM cases WHERE " + check +
             " ORDER BY received_on, id LIMIT 21";
      break;
  }
  auto start = Clock::now();
  for (const std::string& q : {count, page}) {
    sqlite3_stmt* s = nullptr;
    if (sqlite3_prepare_v2(db, q.c_str(), -1, &s, nullptr) != SQLITE_OK) {
      std::fprintf(stderr, "%s\n%s\n", sqlite3_errmsg(db), q.c_str());
      std::exit(1);
    }
    sqlite3_bind_text(s, 1, match.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(s, 2, word.c_str(), -1, SQLITE_TRANSIENT);
    bool first = true;
    while (sqlite3_step(s) == SQLITE_ROW) {
      if (first && q == count) *matches = sqlite3_column_int64(s, 0);
      first = false;
    }
    sqlite3_finalize(s);
  }
  double ms = Ms(Clock::now() - start);
  sqlite3_close(db);
  return ms;
}

long RssKb(pid_t pid) {
  std::ifstream in(absl::StrCat("/proc/", pid, "/status"));
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6));
  }
  return -1;
}

// The CPU time `pid` has used (user and system), in clock ticks.
long CpuTicks(pid_t pid) {
  std::ifstream in(absl::StrCat("/proc/", pid, "/stat"));
  std::string stat((std::istreambuf_iterator<char>(in)),
                   std::istreambuf_iterator<char>());
  // Fields after the command's closing parenthesis; utime and stime are
  // the 12th and 13th of them.
  std::istringstream rest(stat.substr(stat.rfind(')') + 2));
  std::string field;
  long ticks = 0;
  for (int i = 1; i <= 13 && rest >> field; ++i) {
    if (i >= 12) ticks += std::atol(field.c_str());
  }
  return ticks;
}

double CpuSeconds(pid_t pid) {
  return static_cast<double>(CpuTicks(pid)) / sysconf(_SC_CLK_TCK);
}

// Waits (up to two minutes) until `pid` has used no CPU for a second: a
// daemon that has just started on a million cases works out deadlines and
// builds its alert index first, and a search timed then measures that.
void WaitIdle(pid_t pid) {
  auto cpu_ticks = [&] { return CpuTicks(pid); };
  const auto deadline = Clock::now() + std::chrono::minutes(2);
  long before = cpu_ticks();
  while (Clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::seconds(1));
    const long now = cpu_ticks();
    if (now == before) return;
    before = now;
  }
}

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : v[v.size() / 2];
}

// The year report over `cases` generated cases and (with `search`) the
// searches; `report` false skips the report.
void BenchReport(int cases, bool report, bool search) {
  ScratchDir dir;
  const std::string db = dir.File("g.db");
  Daemon d(db, {"--fake-today", "2026-06-30"});
  d.set_cli_lang("zh");  // the count line read below is the Chinese one
  if (!d.Start()) {
    std::fprintf(stderr, "%s\n", d.log().c_str());
    std::exit(1);
  }
  d.Stop();
  auto gen = Clock::now();
  Generate(db, cases);
  std::printf("generated %d cases in %.1f s\n", cases,
              Ms(Clock::now() - gen) / 1000);
  if (!d.Start()) std::exit(1);
  // Warm both sides once, then take the median of 5.
  std::vector<double> ours, raw;
  for (int i = 0; report && i < 6; ++i) {
    auto start = Clock::now();
    CommandResult r = d.Cli({"report", "--year", "2023", "--format", "json"});
    double ms = Ms(Clock::now() - start);
    RequireOk(r, "gongkai report --year 2023 --format json");
    double raw_ms = RawReportMs(db, 2023);
    if (i > 0) {
      ours.push_back(ms);
      raw.push_back(raw_ms);
    }
  }
  if (report) {
    std::printf(
        "report --format json over %d cases: gongkai %.1f ms (CLI process "
        "included), raw SQL aggregates %.1f ms, ratio %.3f (target <= "
        "0.25)\n",
        cases, Median(ours), Median(raw), Median(ours) / Median(raw));
  }
  std::printf("daemon resident memory with %d cases: %ld KiB\n", cases,
              RssKb(d.pid()));

  WaitIdle(d.pid());
  // Searches: a rare name (a surname and given name of two characters),
  // a common one and a request word found in one case in twelve.
  for (const std::string word : {"欧阳秀英", "王五", "张伟", "规划许可"}) {
    if (!search) break;
    std::vector<double> ours_search;
    std::vector<double> raw_search[3];
    int64_t matches = 0, capped = 0;
    std::string shown;
    for (int i = 0; i < 6; ++i) {
      auto start = Clock::now();
      CommandResult r =
          d.Cli({"case", "list", "--search", word, "--limit", "20"});
      double ms = Ms(Clock::now() - start);
      RequireOk(r, absl::StrCat("gongkai case list --search ", word));
      // "共 N 件，显示 20 件" or "共 1000 余件，显示 20 件"
      size_t at = r.out.rfind("共 ");
      if (at != std::string::npos) {
        shown = r.out.substr(at, r.out.find('\n', at) - at);
      }
      double raw_ms[3];
      raw_ms[0] = RawSearchMs(db, word, RawSearch::kExactCount, &matches);
      raw_ms[1] = RawSearchMs(db, word, RawSearch::kCappedByText, &capped);
      raw_ms[2] = RawSearchMs(db, word, RawSearch::kCappedWalk, &capped);
      if (i > 0) {
        ours_search.push_back(ms);
        for (int k = 0; k < 3; ++k) raw_search[k].push_back(raw_ms[k]);
      }
    }
    std::printf(
        "case list --search %s --limit 20 over %d cases (%lld match; the CLI "
        "says \"%s\"): gongkai %.1f ms (CLI process included; target < 50 "
        "ms); raw SQL: exact count + page sorted from every match %.1f ms, "
        "count to 1,001 + page sorted from every match %.1f ms, count to "
        "1,001 + page along cases_by_receipt %.1f ms\n",
        word.c_str(), cases, static_cast<long long>(matches), shown.c_str(),
        Median(ours_search), Median(raw_search[0]), Median(raw_search[1]),
        Median(raw_search[2]));
    Require(!shown.empty(), absl::StrCat("case list --search ", word,
                                         " printed no count line"));
  }
}

// gongkai's durable creates per second with `clients` concurrent gRPC
// clients for `seconds`; `batching` gets the daemon's own count of writes and
// transactions. Requests are logged the day they arrive, as clerks do; with
// `overdue` they arrived a month ago, so that every create also raises (and
// records) a reply_overdue alert.
double OurCreates(int clients, double seconds, bool overdue,
                  std::string* batching) {
  ScratchDir dir;
  Daemon d(dir.File("g.db"), {"--fake-today", "2026-06-30"});
  d.ListenOnUnixSocket(dir.File("gongkaid.sock"));  // the default set-up
  if (!d.Start()) std::exit(1);
  if (clients == 1 && batching->empty())
    std::printf("daemon resident memory idle: %ld KiB\n", RssKb(d.pid()));
  std::atomic<int> done{0};
  std::atomic<bool> stop{false};
  std::vector<std::thread> threads;
  auto start = Clock::now();
  for (int c = 0; c < clients; ++c) {
    threads.emplace_back([&] {
      auto channel =
          grpc::CreateChannel(d.address(), grpc::InsecureChannelCredentials());
      auto stub = v1::CaseService::NewStub(channel);
      v1::CreateCaseRequest r;
      r.mutable_received_on()->set_year(2026);
      r.mutable_received_on()->set_month(overdue ? 5 : 6);
      r.mutable_received_on()->set_day(overdue ? 29 : 30);
      r.set_channel(v1::CHANNEL_MAIL);
      r.set_applicant_type(v1::APPLICANT_TYPE_NATURAL_PERSON);
      r.set_applicant("张三");
      r.set_request("某信息");
      while (!stop) {
        grpc::ClientContext ctx;
        ctx.AddMetadata("authorization", "Bearer " + d.head_token());
        v1::Case out;
        if (stub->CreateCase(&ctx, r, &out).ok()) ++done;
      }
    });
  }
  std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
  stop = true;
  for (auto& t : threads) t.join();
  const double rate = done / (Ms(Clock::now() - start) / 1000);
  d.Stop();
  const std::string log = d.log();
  if (size_t at = log.rfind(" writes in "); at != std::string::npos) {
    size_t from = log.rfind(' ', at - 1) + 1;
    *batching = log.substr(from, log.find(" since", at) - from);
  }
  return rate;
}

// Raw: one process, single-row transactions (case row + event row), the
// same WAL + synchronous=FULL durability.
double RawCreates(double seconds) {
  ScratchDir dir;
  sqlite3* db = nullptr;
  sqlite3_open(dir.File("raw.db").c_str(), &db);
  Exec(db,
       "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
       "CREATE TABLE c (id INTEGER PRIMARY KEY, no TEXT UNIQUE, body TEXT);"
       "CREATE TABLE e (id INTEGER PRIMARY KEY, case_id INTEGER, body TEXT)");
  int n = 0;
  auto start = Clock::now();
  while (Ms(Clock::now() - start) < seconds * 1000) {
    Exec(db, absl::StrCat("BEGIN; INSERT INTO c (no, body) VALUES ('", n,
                          "', 'case'); INSERT INTO e (case_id, body) VALUES (",
                          "last_insert_rowid(), 'received'); COMMIT"));
    ++n;
  }
  const double rate = n / (Ms(Clock::now() - start) / 1000);
  sqlite3_close(db);
  return rate;
}

// The disk's speed drifts over seconds, so the two sides alternate, five
// rounds each (ours then raw, then raw then ours, ...), and each round's
// ratio compares two runs made side by side. The median and the worst of
// the five ratios are reported: the target must hold in the worst.
void BenchCreate(double seconds, const std::vector<int>& client_counts) {
  constexpr int kRounds = 5;
  for (int clients : client_counts) {
    for (bool overdue : {false, true}) {
      if (overdue && clients != 16) continue;
      std::vector<double> ours, raw, ratios;
      std::string batching;
      for (int round = 0; round < kRounds; ++round) {
        double mine = 0, theirs = 0;
        if (round % 2 == 0) {
          mine = OurCreates(clients, seconds, overdue, &batching);
          theirs = RawCreates(seconds);
        } else {
          theirs = RawCreates(seconds);
          mine = OurCreates(clients, seconds, overdue, &batching);
        }
        ours.push_back(mine);
        raw.push_back(theirs);
        ratios.push_back(mine / theirs);
      }
      std::string each;
      for (double r : ratios) {
        absl::StrAppend(&each, each.empty() ? "" : " ",
                        absl::StrFormat("%.2f", r));
      }
      std::printf(
          "durable create, %2d client(s)%s: gongkai %.0f/s, raw SQLite "
          "%.0f/s, ratio median %.2f, worst %.2f%s (%d alternating rounds: "
          "%s; last round: %s)\n",
          clients, overdue ? ", each case overdue (an alert per create)" : "",
          Median(ours), Median(raw), Median(ratios),
          *std::min_element(ratios.begin(), ratios.end()),
          clients == 16 && !overdue ? ", target >= 1.2 in every round" : "",
          kRounds, each.c_str(), batching.c_str());
      std::fflush(stdout);
      Require(Median(ours) > 0 && Median(raw) > 0, "durable create: no case");
    }
  }
}

void BenchAlerts(int open_cases) {
  ScratchDir dir;
  auto store = *storage::SqliteStore::Open(dir.File("a.db"));
  std::vector<storage::ImportedCase> cases;
  std::mt19937 rng(7);
  for (int i = 0; i < open_cases; ++i) {
    storage::ImportedCase ic;
    NewCase n;
    n.received_on = absl::CivilDay(2026, 1, 5) + static_cast<int>(rng() % 150);
    n.case_no = absl::StrCat("B", i);
    n.applicant = "张三";
    n.request = "x";
    CaseEvent e;
    ic.record =
        *OpenCase(n, {"bench", absl::Now(), absl::CivilDay(2026, 6, 30)}, &e);
    ic.events = {e};
    ic.line = i + 2;
    cases.push_back(std::move(ic));
  }
  storage::RecordEvent ev{"bench", "bench", "bench", absl::Now()};
  if (!store
           ->Write([&](storage::Tables& t) {
             return t.cases().Import(std::move(cases), "bench", ev);
           })
           .ok()) {
    std::exit(1);
  }
  app::CalendarHolder calendar(WorkCalendar::Official());
  app::TimeSource time(absl::CivilDay(2026, 6, 30));
  app::Environment env;
  env.store = store.get();
  env.calendar = &calendar;
  env.time = &time;
  // The daemon's pass: the in-memory index, built once at start, then moved
  // on day by day (and refreshed for each case that changes).
  //
  // Its memory, two ways: the growth of the process's RSS while it is built
  // (what `ps` shows of the daemon, with the scan's passing garbage and the
  // database's page cache in it), and the heap the index alone holds,
  // measured in process as what destroying it gives back to malloc after the
  // 29 days (mallinfo2's bytes in use, before and after).
  auto heap_bytes = [] {
    struct mallinfo2 m = mallinfo2();
    return static_cast<long long>(m.uordblks + m.hblkhd);
  };
  auto index = std::make_unique<alerts::AlertIndex>(env);
  std::vector<Alert> raised;
  // What the import freed goes back to the system first, or the index would
  // grow into it unseen.
  malloc_trim(0);
  const long rss_before = RssKb(getpid());
  auto start = Clock::now();
  if (!index->Rebuild(absl::CivilDay(2026, 6, 1), &raised).ok()) std::exit(1);
  const double build_ms = Ms(Clock::now() - start);
  raised.clear();
  raised.shrink_to_fit();
  malloc_trim(0);
  const long index_kb = RssKb(getpid()) - rss_before;
  std::vector<double> days;
  size_t raised_per_day = 0;
  for (absl::CivilDay day(2026, 6, 2); day <= absl::CivilDay(2026, 6, 30);
       ++day) {
    raised.clear();
    start = Clock::now();
    if (!index->Advance(day, &raised).ok()) std::exit(1);
    days.push_back(Ms(Clock::now() - start));
    if (const char* v = getenv("GONGKAI_BENCH_VERBOSE"); v && *v)
      std::printf("  %s: %.1f ms, %zu raised\n", FormatDate(day).c_str(),
                  days.back(), raised.size());
    raised_per_day = std::max(raised_per_day, raised.size());
  }
  start = Clock::now();
  raised.clear();
  if (!index->Refresh({"B17"}, absl::CivilDay(2026, 6, 30), &raised).ok())
    std::exit(1);
  const double refresh_ms = Ms(Clock::now() - start);
  start = Clock::now();
  const size_t in_force = index->Current().size();
  const double list_ms = Ms(Clock::now() - start);
  raised.clear();
  raised.shrink_to_fit();
  const size_t indexed = index->open_cases();
  const long long heap_with_index = heap_bytes();
  index.reset();
  const long long index_bytes = heap_with_index - heap_bytes();

  // The same answer recomputed from the database, every case's clocks from
  // its events (what the daemon did before the index).
  alerts::AlertEngine engine(env);
  std::vector<double> full;
  for (int i = 0; i < 3; ++i) {
    start = Clock::now();
    auto result = engine.Evaluate(absl::CivilDay(2026, 6, 30));
    full.push_back(Ms(Clock::now() - start));
  }
  std::printf(
      "alert evaluation over %d open cases: daily pass %.1f ms median, %.1f "
      "ms worst of 29 days (target < 20 ms; up to %zu alerts raised a day); "
      "one changed case %.2f ms; index built at start in %.0f ms; listing "
      "all %zu alerts in force %.0f ms; full recomputation from the "
      "database %.0f ms\n"
      "alert index memory: %.0f bytes per open case held by the index (its "
      "heap, %lld KiB for %zu cases; target <= 512); the process's RSS grew "
      "%ld KiB while it was built (%.0f bytes per open case)\n",
      open_cases, Median(days), *std::max_element(days.begin(), days.end()),
      raised_per_day, refresh_ms, build_ms, in_force, list_ms, Median(full),
      static_cast<double>(index_bytes) / std::max<size_t>(indexed, 1),
      index_bytes / 1024, indexed, index_kb,
      index_kb * 1024.0 / std::max(open_cases, 1));
}

void BenchLedger(int rows) {
  ScratchDir dir;
  Daemon d(dir.File("g.db"), {"--fake-today", "2026-06-30"});
  if (!d.Start()) std::exit(1);
  std::ofstream csv(dir.File("ledger.csv"));
  csv << "case_no,received_on,applicant_type,applicant_name,channel,request,"
         "answered_on,"
         "outcome\n";
  std::mt19937 rng(3);
  for (int i = 0; i < rows; ++i) {
    absl::CivilDay r =
        absl::CivilDay(2020, 1, 1) + static_cast<int>(rng() % 2000);
    csv << "L" << i << "," << FormatDate(r) << ",natural_person,申请人" << i
        << ",online,申请公开某项信息," << FormatDate(r + 10) << ",disclosed\n";
  }
  csv.close();
  WaitIdle(d.pid());
  // The daemon's CPU time beside the wall time: on a shared machine the
  // wall time moves with the load, the CPU time much less.
  const double cpu_before = CpuSeconds(d.pid());
  auto start = Clock::now();
  CommandResult imported =
      d.AdminCli({"import", "ledger", dir.File("ledger.csv")});
  const double import_ms = Ms(Clock::now() - start);
  const double import_cpu = CpuSeconds(d.pid()) - cpu_before;
  RequireOk(imported, "gongkai import ledger");
  start = Clock::now();
  CommandResult exported = d.Cli(
      {"export", "ledger", "--year", "2022", "--out", dir.File("out.csv")});
  const double export_ms = Ms(Clock::now() - start);
  RequireOk(exported, "gongkai export ledger");
  // Not timed: the imported cases are found by search, and the database
  // checks clean (the import indexes its cases itself, not the trigger).
  CommandResult found = d.Cli(
      {"case", "list", "--search", absl::StrCat("申请人", rows - 1), "--json"});
  RequireOk(found, "gongkai case list --search after the import");
  Require(
      found.out.find(absl::StrCat("\"L", rows - 1, "\"")) != std::string::npos,
      absl::StrCat("the search did not find case L", rows - 1, ":\n",
                   found.out));
  RequireOk(d.AdminCli({"admin", "check"}), "gongkai admin check");
  std::printf(
      "ledger import of %d rows: %.2f s (target < 3 s; gongkaid used %.2f s "
      "of CPU meanwhile); export of one year: %.2f s\n",
      rows, import_ms / 1000, import_cpu, export_ms / 1000);

  // Let the daemon finish what the import set off (the alert index is
  // rebuilt, the new pages are checkpointed) before timing single calls.
  WaitIdle(d.pid());
  std::vector<double> runs;
  for (int i = 0; i < 31; ++i) {
    auto s = Clock::now();
    CommandResult shown = d.Cli({"case", "show", "L1"});
    runs.push_back(Ms(Clock::now() - s));
    RequireOk(shown, "gongkai case show L1");
  }
  std::printf(
      "CLI round trip (case show, process start to exit): median %.1f ms "
      "(target < 20 ms)\n",
      Median(runs));
}

// The office's letters: a receipt filled from the default template and
// rendered to PDF, in process (beside the raw zip of the same parts, the
// least any DOCX costs) and through the CLI (process start to file written).
// `rounds` receipts through the CLI (21 in the full run); the in-process
// figures take 2 * rounds + 9 fills and rounds / 2 + 1 PDFs.
void BenchDocuments(int rounds) {
  absl::StatusOr<std::string> docx = documents::DefaultTemplate("receipt");
  if (!docx.ok()) std::exit(1);
  std::map<std::string, std::string> values;
  for (const PlaceholderInfo& p : PlaceholderCatalogue()) {
    values[std::string(p.name)] = absl::StrCat("示例", p.name, "的内容");
  }
  std::vector<double> fill, zip, pdf;
  std::string filled;
  for (int i = 0; i < 2 * rounds + 9; ++i) {
    auto s = Clock::now();
    absl::StatusOr<std::string> out = documents::FillTemplate(*docx, values);
    fill.push_back(Ms(Clock::now() - s));
    if (!out.ok()) std::exit(1);
    filled = *out;
    s = Clock::now();
    absl::StatusOr<documents::Package> parts = documents::ReadPackage(filled);
    if (!parts.ok() || !documents::WritePackage(*parts).ok()) std::exit(1);
    zip.push_back(Ms(Clock::now() - s));
  }
  auto s = Clock::now();
  if (!documents::DocxToPdf(filled).ok()) std::exit(1);
  const double first_pdf = Ms(Clock::now() - s);
  for (int i = 0; i < rounds / 2 + 1; ++i) {
    s = Clock::now();
    if (!documents::DocxToPdf(filled).ok()) std::exit(1);
    pdf.push_back(Ms(Clock::now() - s));
  }
  std::printf(
      "documents in process: DOCX receipt filled %.2f ms median (raw zip of "
      "the same parts %.2f ms); PDF %.1f ms median (first in a process, "
      "loading the fonts, %.0f ms)\n",
      Median(fill), Median(zip), Median(pdf), first_pdf);

  ScratchDir dir;
  Daemon d(dir.File("g.db"), {"--fake-today", "2026-06-30"});
  if (!d.Start()) std::exit(1);
  if (d.AdminCli({"doc", "settings", "--full-name", "某市某局", "--address",
                  "某路1号", "--contact", "0000-1234567",
                  "--reconsideration-body", "某市人民政府", "--court",
                  "某市中级人民法院", "--prefix", "某公信"})
          .exit_code != 0) {
    std::exit(1);
  }
  std::vector<double> cli_docx, cli_pdf;
  for (int i = 0; i < rounds; ++i) {
    CommandResult made =
        d.Cli({"case", "new", "--received", "2026-06-01", "--channel", "mail",
               "--applicant-type", "natural_person", "--applicant",
               absl::StrCat("申请人", i), "--request", "申请公开某项信息"});
    RequireOk(made, "gongkai case new");
    const std::string no(absl::StripAsciiWhitespace(made.out));
    s = Clock::now();
    CommandResult docx_made = d.Cli(
        {"doc", "receipt", no, "--out", dir.File(absl::StrCat(i, ".docx"))});
    cli_docx.push_back(Ms(Clock::now() - s));
    RequireOk(docx_made, "gongkai doc receipt");
    s = Clock::now();
    CommandResult pdf_made =
        d.Cli({"doc", "receipt", no, "--format", "pdf", "--out",
               dir.File(absl::StrCat(i, ".pdf"))});
    cli_pdf.push_back(Ms(Clock::now() - s));
    RequireOk(pdf_made, "gongkai doc receipt --format pdf");
  }
  std::printf(
      "documents through the CLI (process start to file written): DOCX %.1f "
      "ms median (target < 100 ms), PDF %.1f ms median (target < 500 ms)\n",
      Median(cli_docx), Median(cli_pdf));
}

// The raw engine's time to open `path` and read one case by its number: the
// least any start of a program on the file costs.
double RawOpenAndReadMs(const std::string& path, const std::string& case_no) {
  auto start = Clock::now();
  sqlite3* db = nullptr;
  sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr);
  sqlite3_stmt* s = nullptr;
  sqlite3_prepare_v2(db, "SELECT * FROM cases WHERE case_no = ?1", -1, &s,
                     nullptr);
  sqlite3_bind_text(s, 1, case_no.c_str(), -1, SQLITE_TRANSIENT);
  if (sqlite3_step(s) != SQLITE_ROW) {
    std::fprintf(stderr, "raw read of %s found nothing\n", case_no.c_str());
    std::exit(1);
  }
  sqlite3_finalize(s);
  sqlite3_close(db);
  return Ms(Clock::now() - start);
}

// The milliseconds one PRAGMA takes on `path` (a fresh connection).
double RawPragmaMs(const std::string& path, const std::string& pragma) {
  sqlite3* db = nullptr;
  sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr);
  auto start = Clock::now();
  sqlite3_stmt* s = nullptr;
  sqlite3_prepare_v2(db, pragma.c_str(), -1, &s, nullptr);
  while (sqlite3_step(s) == SQLITE_ROW) {
  }
  sqlite3_finalize(s);
  const double ms = Ms(Clock::now() - start);
  sqlite3_close(db);
  return ms;
}

// A restart on `cases` generated cases (a quarter open): from the daemon's
// process start to its ready file ("serving"), then to the first answered
// `case show` and the 100th (CLI processes included), beside the raw
// engine's open and read of one row. The file is in the page cache, as after
// a restart by systemd. The first start after the generation (deadlines
// recorded, every alert raised) is left out; the median of five restarts.
void BenchStartup(int cases) {
  ScratchDir dir;
  const std::string db = dir.File("g.db");
  Daemon d(db, {"--fake-today", "2026-06-30"});
  if (!d.Start()) {
    std::fprintf(stderr, "%s\n", d.log().c_str());
    std::exit(1);
  }
  d.Stop();
  auto gen = Clock::now();
  Generate(db, cases);
  std::printf("generated %d cases in %.1f s\n", cases,
              Ms(Clock::now() - gen) / 1000);
  if (!d.Start()) std::exit(1);
  WaitIdle(d.pid());
  d.Stop();
  std::mt19937 rng(7);
  auto any_case = [&] { return absl::StrCat("B", rng() % cases); };
  std::vector<double> ready, first, hundredth, raw;
  for (int run = 0; run < 5; ++run) {
    auto start = Clock::now();
    if (!d.Start()) {
      std::fprintf(stderr, "%s\n", d.log().c_str());
      std::exit(1);
    }
    ready.push_back(Ms(Clock::now() - start));
    for (int i = 1; i <= 100; ++i) {
      const std::string no = any_case();
      auto call = Clock::now();
      CommandResult r = d.Cli({"case", "show", no});
      const double ms = Ms(Clock::now() - call);
      if (r.exit_code != 0) {
        std::fprintf(stderr, "case show %s: %s\n", no.c_str(), r.err.c_str());
        std::exit(1);
      }
      if (i == 1) first.push_back(ms);
      if (i == 100) hundredth.push_back(ms);
    }
    // Let the background work of this start finish before the next one.
    WaitIdle(d.pid());
    d.Stop();
    raw.push_back(RawOpenAndReadMs(db, any_case()));
  }
  std::vector<double> to_first;
  for (size_t i = 0; i < ready.size(); ++i)
    to_first.push_back(ready[i] + first[i]);
  std::printf(
      "start-up on %d cases (%.0f MB): serving after %.0f ms, first case show "
      "%.0f ms, 100th %.0f ms (CLI process included); to the first answer "
      "%.0f ms median, %.0f ms worst (target < 1000 ms); raw SQLite open + "
      "one row %.2f ms\n",
      cases, std::filesystem::file_size(db) / 1e6, Median(ready), Median(first),
      Median(hundredth), Median(to_first),
      *std::max_element(to_first.begin(), to_first.end()), Median(raw));
  std::printf(
      "on the same file, what the start no longer runs: PRAGMA "
      "integrity_check %.0f ms, PRAGMA quick_check %.0f ms (raw SQLite)\n",
      RawPragmaMs(db, "PRAGMA integrity_check"),
      RawPragmaMs(db, "PRAGMA quick_check"));
}

// What to run and at what size. The defaults are the documented full run;
// --quick replaces every size not given on the command line by its small
// value (kQuick below).
struct Options {
  std::vector<std::string> only;  // benchmark names; empty = all
  bool quick = false;
  int cases = 1000000;  // generated for the report and the searches
  double seconds = 5;   // each create run
  std::vector<int> clients = {1, 4, 16};
  int open_cases = 100000;  // alerts
  int ledger_rows = 100000;
  int receipts = 21;  // documents through the CLI
};

// Small enough that all of it takes well under a minute on 2 busy cores,
// large enough that every path does real work: the searches find
// matches, alerts are raised, the ledger spans several years.
const Options kQuick = [] {
  Options o;
  o.quick = true;
  o.cases = 20000;
  o.seconds = 0.3;
  o.clients = {1, 16};
  o.open_cases = 2000;
  o.ledger_rows = 2000;
  o.receipts = 3;
  return o;
}();

// One benchmark: its --only name, what --help says of it, whether a run
// without --only includes it, and how to run it at the sizes chosen.
struct Bench {
  const char* name;
  const char* what;
  bool in_full_run;
  void (*run)(const Options&);
};

const Bench kBenches[] = {
    {"create",
     "durable creates per second, 1/4/16 gRPC clients, vs raw SQLite "
     "(--seconds, --clients)",
     true, [](const Options& o) { BenchCreate(o.seconds, o.clients); }},
    {"alerts",
     "the alert index: daily pass, one changed case, build, memory "
     "(--open-cases; GONGKAI_BENCH_VERBOSE=1 prints each day)",
     true, [](const Options& o) { BenchAlerts(o.open_cases); }},
    {"ledger",
     "gongkai import ledger, export of one year, CLI round trip "
     "(--ledger-rows)",
     true, [](const Options& o) { BenchLedger(o.ledger_rows); }},
    {"report",
     "the year report vs raw SQL aggregates, then the searches, on the "
     "same generated cases (--cases)",
     true,
     [](const Options& o) {
       BenchReport(o.cases, /*report=*/true, /*search=*/true);
     }},
    {"search", "only the searches of `report` (--cases)", false,
     [](const Options& o) {
       BenchReport(o.cases, /*report=*/false, /*search=*/true);
     }},
    {"documents",
     "receipts filled and rendered to PDF, in process and through the CLI "
     "(--receipts)",
     true, [](const Options& o) { BenchDocuments(o.receipts); }},
    {"startup",
     "a restart of gongkaid to its first answer, vs the raw engine opening "
     "the file (--cases)",
     true, [](const Options& o) { BenchStartup(o.cases); }},
};

int Main(int argc, char** argv) {
  Options o;
  std::string only_help =
      "run only these benchmarks (repeat or separate "
      "with commas); without it, all but `search`:";
  std::vector<std::string> names;
  for (const Bench& b : kBenches) {
    absl::StrAppend(&only_help, "\n  ", b.name, ": ", b.what);
    names.push_back(b.name);
  }
  CLI::App app(
      "Benchmarks of gongkai against the raw engine, side by side in one run "
      "(docs/performance.md has the method and the figures).");
  app.get_formatter()->column_width(28);
  app.add_option("--only", o.only, only_help)
      ->delimiter(',')
      ->check(CLI::IsMember(names));
  app.add_flag("--quick", o.quick,
               "smoke test: every benchmark at a small size, in well under "
               "a minute; figures are printed but mean little");
  CLI::Option* cases = app.add_option(
      "--cases", o.cases, "cases generated for the report and the searches");
  CLI::Option* seconds =
      app.add_option("--seconds", o.seconds, "length of each create run");
  CLI::Option* clients = app.add_option(
      "--clients", o.clients,
      "concurrent clients of the create runs (repeat or separate with "
      "commas)");
  clients->delimiter(',');
  CLI::Option* open_cases = app.add_option(
      "--open-cases", o.open_cases, "open cases of the alerts benchmark");
  CLI::Option* ledger_rows = app.add_option("--ledger-rows", o.ledger_rows,
                                            "rows of the imported ledger");
  CLI::Option* receipts =
      app.add_option("--receipts", o.receipts,
                     "receipts made through the CLI, as DOCX and PDF");
  for (CLI::Option* size : {cases, open_cases, ledger_rows, receipts}) {
    size->check(CLI::PositiveNumber)->capture_default_str();
  }
  seconds->check(CLI::PositiveNumber)->capture_default_str();
  clients->check(CLI::PositiveNumber)->capture_default_str();
  CLI11_PARSE(app, argc, argv);
  if (o.quick) {
    if (cases->count() == 0) o.cases = kQuick.cases;
    if (seconds->count() == 0) o.seconds = kQuick.seconds;
    if (clients->count() == 0) o.clients = kQuick.clients;
    if (open_cases->count() == 0) o.open_cases = kQuick.open_cases;
    if (ledger_rows->count() == 0) o.ledger_rows = kQuick.ledger_rows;
    if (receipts->count() == 0) o.receipts = kQuick.receipts;
  }
  const auto start = Clock::now();
  for (const Bench& b : kBenches) {
    const bool chosen = o.only.empty() ? b.in_full_run
                                       : std::find(o.only.begin(), o.only.end(),
                                                   b.name) != o.only.end();
    if (!chosen) continue;
    // "report" includes the searches: asked for both, they run once.
    if (b.name == std::string("search") &&
        std::find(o.only.begin(), o.only.end(), "report") != o.only.end()) {
      continue;
    }
    const auto bench_start = Clock::now();
    b.run(o);
    std::printf("[%s done in %.1f s]\n", b.name,
                Ms(Clock::now() - bench_start) / 1000);
    std::fflush(stdout);
  }
  std::printf("gongkai_bench%s: every benchmark chosen ran, in %.1f s\n",
              o.quick ? " --quick" : "", Ms(Clock::now() - start) / 1000);
  return 0;
}

}  // namespace
}  // namespace gongkai::bench

int main(int argc, char** argv) { return gongkai::bench::Main(argc, argv); }

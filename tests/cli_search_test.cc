// `gongkai case list` against the real handlers on a temporary database,
// through RunCli and an in-process gRPC server on a Unix socket: searches,
// filters, orders and paging all done by the daemon, pages that never repeat
// or skip a case, closed cases with their answer date and outcome.
#include <set>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "app/case_service.h"
#include "cli/cli.h"
#include "common/json.h"
#include "common/status_macros.h"
#include "domain/case.h"
#include "gmock/gmock.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "server/rpc/case_service.h"
#include "storage/sqlite_store.h"
#include "storage/test_util.h"

namespace gongkai {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr absl::CivilDay kToday(2024, 6, 28);

struct Result {
  int code;
  std::string out, err;
};

class CaseListCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = *storage::SqliteStore::Open(dir_.File("t.db"));
    env_.store = store_.get();
    env_.calendar = &calendar_;
    env_.time = &time_;
    service_ = std::make_unique<rpc::CaseServiceImpl>(env_);
    grpc::ServerBuilder builder;
    socket_ = absl::StrCat("unix:", dir_.File("gk.sock"));
    builder.AddListeningPort(socket_, grpc::InsecureServerCredentials());
    builder.RegisterService(service_.get());
    server_ = builder.BuildAndStart();
    ASSERT_NE(server_, nullptr);
  }
  void TearDown() override { server_->Shutdown(); }

  // Runs the CLI in `lang` (GONGKAI_LANG; empty: the Chinese default).
  Result Gk(std::vector<std::string> args, const std::string& lang = "") {
    std::ostringstream out, err;
    cli::CliEnvironment env;
    env.server = socket_;
    env.user = "clerk";
    env.lang = lang;
    int code = cli::RunCli(args, out, err, env);
    return {code, out.str(), err.str()};
  }

  // Logs a case through the application layer, as the daemon would.
  std::string Log(const std::string& applicant, const std::string& request,
                  absl::CivilDay received) {
    app::CaseService cases(env_);
    NewCase n;
    n.received_on = received;
    n.applicant = applicant;
    n.request = request;
    n.contact = "13800000000";
    absl::StatusOr<app::CaseView> v = cases.Create(app::Caller{"clerk"}, n);
    EXPECT_TRUE(v.ok()) << v.status();
    return v.ok() ? v->record.case_no : "";
  }

  // The case numbers of a --json listing.
  static std::vector<std::string> Numbers(const std::string& json) {
    absl::StatusOr<Json> list = Json::Parse(json);
    EXPECT_TRUE(list.ok()) << json;
    std::vector<std::string> out;
    if (!list.ok()) return out;
    for (const Json& c : list->as_array()) {
      out.push_back(c.Find("case_no")->as_string());
    }
    return out;
  }

  // The token a page prints for the next ("" when it is the last).
  static std::string NextToken(const std::string& text) {
    for (absl::string_view line : absl::StrSplit(text, '\n')) {
      size_t at = line.find("--page-token ");
      if (at != absl::string_view::npos) {
        return std::string(absl::StripAsciiWhitespace(
            line.substr(at + std::string("--page-token ").size())));
      }
    }
    return "";
  }

  storage::TempDir dir_;
  std::unique_ptr<storage::SqliteStore> store_;
  app::CalendarHolder calendar_{WorkCalendar::Official()};
  app::TimeSource time_{kToday};
  app::Environment env_;
  std::unique_ptr<rpc::CaseServiceImpl> service_;
  std::unique_ptr<grpc::Server> server_;
  std::string socket_;
};

TEST_F(CaseListCliTest, SearchPagesThroughEveryMatchOnce) {
  std::set<std::string> wang;
  for (int i = 0; i < 23; ++i) {
    const absl::CivilDay day = absl::CivilDay(2024, 3, 1) + i % 5;
    wang.insert(Log(i % 2 ? "王五" : "欧阳王五", "城市规划图", day));
    Log("李四", "财政预算", day);
  }
  std::set<std::string> seen;
  std::vector<std::string> args = {"--json", "case",    "list", "--search",
                                   "王五",   "--limit", "4"};
  int pages = 0;
  while (true) {
    Result r = Gk(args);
    ASSERT_EQ(r.code, cli::kExitOk) << r.err;
    for (const std::string& no : Numbers(r.out)) {
      EXPECT_TRUE(seen.insert(no).second) << no << " listed twice";
    }
    ++pages;
    const std::string token = NextToken(r.err);
    if (token.empty()) break;
    if (args.size() == 7) {
      args.push_back("--page-token");
      args.push_back(token);
    } else {
      args.back() = token;
    }
    ASSERT_LT(pages, 20);
  }
  EXPECT_EQ(pages, 6);
  EXPECT_EQ(seen, wang);
}

TEST_F(CaseListCliTest, TextPageSaysHowToGetTheNext) {
  for (int i = 0; i < 3; ++i)
    Log("王五", "城市规划", absl::CivilDay(2024, 6, 3));
  Result r = Gk({"case", "list", "--search", "规划", "--limit", "2"});
  ASSERT_EQ(r.code, cli::kExitOk) << r.err;
  EXPECT_THAT(r.out, HasSubstr("显示 2 件，共 3 件"));
  EXPECT_THAT(r.out, HasSubstr("下一页：同样的选项再加 --page-token "));
  Result next = Gk({"case", "list", "--search", "规划", "--limit", "2",
                    "--page-token", NextToken(r.out)});
  ASSERT_EQ(next.code, cli::kExitOk) << next.err;
  EXPECT_THAT(next.out, HasSubstr("显示 1 件，共 3 件"));
  EXPECT_THAT(next.out, Not(HasSubstr("--page-token")));
  // The same page in English.
  Result en = Gk({"case", "list", "--search", "规划", "--limit", "2"}, "en");
  ASSERT_EQ(en.code, cli::kExitOk) << en.err;
  EXPECT_THAT(en.out, HasSubstr("2 of 3 cases"));
  EXPECT_THAT(en.out,
              HasSubstr("Next page: the same options with --page-token "));
  EXPECT_EQ(NextToken(en.out), NextToken(r.out));
  // A token of another order is refused, not misread.
  Result other = Gk({"case", "list", "--search", "规划", "--sort", "case_no",
                     "--page-token", NextToken(r.out)});
  EXPECT_EQ(other.code, cli::kExitFailed);
  EXPECT_THAT(other.err, HasSubstr("page_token"));
}

// Beyond 1,000 matches the daemon stops counting, and the page says so;
// listing every page counts the cases listed.
TEST_F(CaseListCliTest, ManyMatchesAreCountedAsMoreThanAThousand) {
  ASSERT_TRUE(store_
                  ->Write([&](storage::Tables& t) -> absl::Status {
                    for (int i = 0; i < 1001; ++i) {
                      NewCase n;
                      n.received_on = absl::CivilDay(2024, 1, 2) + i % 150;
                      n.applicant = "王五";
                      n.request = "城市规划";
                      CaseEvent ev;
                      ASSIGN_OR_RETURN(
                          CaseRecord r,
                          OpenCase(n,
                                   {"clerk", absl::FromUnixSeconds(1700000000),
                                    kToday, ""},
                                   &ev));
                      ASSIGN_OR_RETURN(r, t.cases().Insert(r, &ev));
                    }
                    return absl::OkStatus();
                  })
                  .ok());
  Result zh = Gk({"case", "list", "--search", "规划", "--limit", "20"});
  ASSERT_EQ(zh.code, cli::kExitOk) << zh.err;
  EXPECT_THAT(zh.out, HasSubstr("显示 20 件，共 1000 余件"));
  Result en =
      Gk({"--lang", "en", "case", "list", "--search", "规划", "--limit", "20"});
  ASSERT_EQ(en.code, cli::kExitOk) << en.err;
  EXPECT_THAT(en.out, HasSubstr("20 of more than 1000 cases"));
  Result all = Gk({"case", "list", "--search", "规划"});
  ASSERT_EQ(all.code, cli::kExitOk) << all.err;
  EXPECT_THAT(all.out, HasSubstr("显示 1001 件，共 1001 件"));
  EXPECT_THAT(all.out, Not(HasSubstr("余件")));
}

TEST_F(CaseListCliTest, FiltersOrderAndClosedCases) {
  const std::string a = Log("王五", "规划许可", absl::CivilDay(2024, 4, 1));
  const std::string b = Log("张三", "规划许可", absl::CivilDay(2024, 6, 3));
  const std::string c = Log("王五六", "学校招生", absl::CivilDay(2024, 5, 6));
  app::CaseService cases(env_);
  ASSERT_TRUE(cases
                  .Answer(app::Caller{"clerk"}, c,
                          {absl::CivilDay(2024, 5, 20),
                           Outcome::kPartiallyDisclosed, ""})
                  .ok());

  // Date range and applicant.
  EXPECT_EQ(Numbers(Gk({"--json", "case", "list", "--received-from",
                        "2024-04-02", "--received-to", "2024-06-30"})
                        .out),
            (std::vector<std::string>{c, b}));
  EXPECT_EQ(Numbers(Gk({"--json", "case", "list", "--applicant", "王五"}).out),
            (std::vector<std::string>{a, c}));
  // The outcome by code or by label, as case answer takes it.
  const OutcomeInfo& partial = Info(Outcome::kPartiallyDisclosed);
  for (const std::string& o :
       {std::string(partial.code), std::string(partial.label)}) {
    Result r = Gk({"--json", "case", "list", "--outcome", o});
    ASSERT_EQ(r.code, cli::kExitOk) << o << ": " << r.err;
    EXPECT_EQ(Numbers(r.out), std::vector<std::string>{c}) << o;
  }
  // Overdue today (2024-06-28): a was due in early May.
  EXPECT_EQ(Numbers(Gk({"--json", "case", "list", "--overdue"}).out),
            std::vector<std::string>{a});
  // By deadline: open cases by their deadline, the closed one last.
  EXPECT_EQ(Numbers(Gk({"--json", "case", "list", "--sort", "due"}).out),
            (std::vector<std::string>{a, b, c}));
  EXPECT_EQ(Numbers(Gk({"--json", "case", "list", "--sort", "case_no"}).out),
            (std::vector<std::string>{a, b, c}));
  // The closed case shows its answer date and outcome.
  Result text = Gk({"case", "list", "--search", "招生"});
  ASSERT_EQ(text.code, cli::kExitOk) << text.err;
  EXPECT_THAT(text.out, HasSubstr("答复日期"));
  EXPECT_THAT(text.out, HasSubstr("2024-05-20"));
  EXPECT_THAT(text.out, HasSubstr("部分公开"));
  Result en = Gk({"--lang", "en", "case", "list", "--search", "招生"});
  EXPECT_THAT(en.out, HasSubstr("Answered"));
  EXPECT_THAT(en.out, HasSubstr(std::string(partial.code)));
  Result json = Gk({"--json", "case", "list", "--search", "招生"});
  auto parsed = Json::Parse(json.out);
  ASSERT_TRUE(parsed.ok()) << json.out;
  const Json& first = parsed->as_array().at(0);
  EXPECT_EQ(first.Find("answered_on")->as_string(), "2024-05-20");
  EXPECT_EQ(first.Find("outcome")->as_string(), partial.code);
}

TEST_F(CaseListCliTest, BadSearchesAreRefusedInTheReadersLanguage) {
  Log("王五", "规划", absl::CivilDay(2024, 6, 3));
  Result one = Gk({"case", "list", "--search", "王"});
  EXPECT_EQ(one.code, cli::kExitFailed);
  EXPECT_THAT(one.err, HasSubstr("至少要有两个"));
  Result en = Gk({"--lang", "en", "case", "list", "--search", "王"});
  EXPECT_THAT(en.err, HasSubstr("too short"));
  Result sort = Gk({"case", "list", "--sort", "applicant"});
  EXPECT_NE(sort.code, cli::kExitOk);
  EXPECT_THAT(sort.err, HasSubstr("--sort"));
}

}  // namespace
}  // namespace gongkai

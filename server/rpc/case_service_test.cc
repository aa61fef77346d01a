// Exercises the handlers through a real in-process gRPC server on a
// temporary database: validation, status codes, and "a bad request changes
// nothing".
#include "server/rpc/case_service.h"

#include "domain/test_lang.h"
#include "gmock/gmock.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "server/rpc/calendar_service.h"
#include "storage/sqlite_store.h"
#include "storage/test_util.h"

namespace gongkai::rpc {
namespace {

using ::testing::HasSubstr;
using ::testing::IsEmpty;

v1::Date Date(int y, int m, int d) {
  v1::Date out;
  out.set_year(y);
  out.set_month(m);
  out.set_day(d);
  return out;
}

class CaseServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = *storage::SqliteStore::Open(dir_.File("t.db"));
    env_.store = store_.get();
    env_.calendar = &calendar_;
    env_.time = &time_;
    service_ = std::make_unique<CaseServiceImpl>(env_);
    calendar_service_ = std::make_unique<CalendarServiceImpl>(env_);
    grpc::ServerBuilder builder;
    builder.RegisterService(service_.get());
    builder.RegisterService(calendar_service_.get());
    server_ = builder.BuildAndStart();
    auto channel = server_->InProcessChannel(grpc::ChannelArguments());
    stub_ = v1::CaseService::NewStub(channel);
    calendar_stub_ = v1::CalendarService::NewStub(channel);
  }
  void TearDown() override { server_->Shutdown(); }

  v1::CreateCaseRequest ValidCreate() {
    v1::CreateCaseRequest r;
    *r.mutable_received_on() = Date(2023, 3, 6);
    r.set_channel(v1::CHANNEL_ONLINE);
    r.set_applicant_type(v1::APPLICANT_TYPE_NATURAL_PERSON);
    r.set_applicant("王五");
    r.set_request("2022年财政预算");
    return r;
  }
  grpc::Status Create(const v1::CreateCaseRequest& r, v1::Case* out) {
    grpc::ClientContext ctx;
    ctx.AddMetadata("gongkai-lang", "en");
    ctx.AddMetadata("gongkai-user", "clerk1");
    return stub_->CreateCase(&ctx, r, out);
  }
  int64_t CaseCount() {
    return storage::ReadValue<storage::CasePage>(
               *store_, [](storage::Tables& t) { return t.cases().List({}); })
        ->total;
  }

  storage::TempDir dir_;
  std::unique_ptr<storage::SqliteStore> store_;
  CalendarHolder calendar_{WorkCalendar::Official()};
  TimeSource time_{absl::CivilDay(2023, 3, 20)};
  Environment env_;
  std::unique_ptr<CaseServiceImpl> service_;
  std::unique_ptr<CalendarServiceImpl> calendar_service_;
  std::unique_ptr<grpc::Server> server_;
  std::unique_ptr<v1::CaseService::Stub> stub_;
  std::unique_ptr<v1::CalendarService::Stub> calendar_stub_;
};

TEST_F(CaseServiceTest, CreateComputesTheDeadlineAndRecordsTheActor) {
  v1::Case c;
  ASSERT_TRUE(Create(ValidCreate(), &c).ok());
  EXPECT_EQ(c.case_no(), "2023-0001");
  EXPECT_EQ(c.name(), "cases/2023-0001");
  EXPECT_EQ(c.due_on().month(), 4);
  EXPECT_EQ(c.due_on().day(), 3);
  // From 2023-03-20 (Mon) to 2023-04-03 (Mon): 10 working days.
  EXPECT_EQ(c.working_days_left(), 10);
  ASSERT_EQ(c.events_size(), 1);
  EXPECT_EQ(c.events(0).actor(), "clerk1");
}

TEST_F(CaseServiceTest, BadCreatesChangeNothing) {
  struct Bad {
    const char* what;
    std::function<void(v1::CreateCaseRequest&)> mutate;
    const char* message;
  } bad[] = {
      {"impossible date",
       [](auto& r) { *r.mutable_received_on() = Date(2023, 2, 30); },
       "not a real calendar date"},
      {"missing date", [](auto& r) { r.clear_received_on(); },
       "receipt date is required"},
      {"future", [](auto& r) { *r.mutable_received_on() = Date(2023, 3, 21); },
       "in the future"},
      {"no channel", [](auto& r) { r.set_channel(v1::CHANNEL_UNSPECIFIED); },
       "channel is required"},
      {"bad enum",
       [](auto& r) {
         r.set_applicant_type(static_cast<v1::ApplicantType>(99));
       },
       "applicant type"},
      {"no name", [](auto& r) { r.set_applicant(""); },
       "applicant name is required"},
      {"long request", [](auto& r) { r.set_request(std::string(70000, 'x')); },
       "64 KiB"},
  };
  for (const auto& b : bad) {
    v1::CreateCaseRequest r = ValidCreate();
    b.mutate(r);
    v1::Case c;
    grpc::Status s = Create(r, &c);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << b.what;
    EXPECT_THAT(s.error_message(), HasSubstr(b.message)) << b.what;
  }
  EXPECT_EQ(CaseCount(), 0);
}

TEST_F(CaseServiceTest, DuplicateCaseNumberIsAlreadyExists) {
  v1::CreateCaseRequest r = ValidCreate();
  r.set_case_no("GK-7");
  v1::Case c;
  ASSERT_TRUE(Create(r, &c).ok());
  grpc::Status s = Create(r, &c);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::ALREADY_EXISTS);
  EXPECT_EQ(CaseCount(), 1);
}

TEST_F(CaseServiceTest, AnswerTwiceIsFailedPrecondition) {
  v1::Case c;
  ASSERT_TRUE(Create(ValidCreate(), &c).ok());
  v1::AnswerCaseRequest a;
  a.set_name("2023-0001");
  *a.mutable_answered_on() = Date(2023, 3, 10);
  a.set_outcome(v1::OUTCOME_DISCLOSED);
  {
    grpc::ClientContext ctx;
    ctx.AddMetadata("gongkai-lang", "en");
    v1::Case out;
    ASSERT_TRUE(stub_->AnswerCase(&ctx, a, &out).ok());
    EXPECT_EQ(out.state(), v1::CASE_STATE_CLOSED);
    EXPECT_FALSE(out.has_working_days_left());
    EXPECT_EQ(out.events_size(), 2);
  }
  a.set_outcome(v1::OUTCOME_OTHER);
  grpc::ClientContext ctx;
  ctx.AddMetadata("gongkai-lang", "en");
  v1::Case out;
  grpc::Status s = stub_->AnswerCase(&ctx, a, &out);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(s.error_message(), HasSubstr("already closed"));
  EXPECT_EQ(storage::ReadValue<CaseRecord>(
                *store_,
                [](storage::Tables& t) { return t.cases().Get("2023-0001"); })
                ->outcome,
            Outcome::kDisclosed);
}

TEST_F(CaseServiceTest, GetUnknownCaseIsNotFound) {
  grpc::ClientContext ctx;
  ctx.AddMetadata("gongkai-lang", "en");
  v1::GetCaseRequest r;
  r.set_name("cases/2099-0001");
  v1::Case out;
  EXPECT_EQ(stub_->GetCase(&ctx, r, &out).error_code(),
            grpc::StatusCode::NOT_FOUND);
}

TEST_F(CaseServiceTest, ListPagesThroughEverything) {
  for (int i = 0; i < 5; ++i) {
    v1::Case c;
    ASSERT_TRUE(Create(ValidCreate(), &c).ok());
  }
  v1::ListCasesRequest r;
  r.set_page_size(2);
  int seen = 0;
  while (true) {
    grpc::ClientContext ctx;
    ctx.AddMetadata("gongkai-lang", "en");
    v1::ListCasesResponse resp;
    ASSERT_TRUE(stub_->ListCases(&ctx, r, &resp).ok());
    EXPECT_EQ(resp.total_size(), 5);
    seen += resp.cases_size();
    if (resp.next_page_token().empty()) break;
    r.set_page_token(resp.next_page_token());
  }
  EXPECT_EQ(seen, 5);
  grpc::ClientContext ctx;
  ctx.AddMetadata("gongkai-lang", "en");
  v1::ListCasesResponse resp;
  r.set_page_token("garbage");
  EXPECT_EQ(stub_->ListCases(&ctx, r, &resp).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_F(CaseServiceTest, CalendarAnswersAndExplains) {
  grpc::ClientContext ctx;
  ctx.AddMetadata("gongkai-lang", "en");
  v1::AddWorkingDaysRequest r;
  *r.mutable_start() = Date(2023, 1, 19);
  r.set_days(20);
  v1::AddWorkingDaysResponse resp;
  ASSERT_TRUE(calendar_stub_->AddWorkingDays(&ctx, r, &resp).ok());
  EXPECT_EQ(resp.result().month(), 2);
  EXPECT_EQ(resp.result().day(), 21);
  EXPECT_GT(resp.explanation_size(), 3);

  grpc::ClientContext ctx2;

  ctx2.AddMetadata("gongkai-lang", "en");
  v1::GetCalendarYearRequest y;
  y.set_year(2030);
  v1::CalendarYear year;
  grpc::Status s = calendar_stub_->GetCalendarYear(&ctx2, y, &year);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_THAT(s.error_message(), HasSubstr("covers 2008, 2009"));
}

// Without the gongkai-lang header a call is answered in Chinese: event
// summaries, clock labels and states, and errors; with "en", in English.
// Kinds and states stay the stable codes in either.
TEST_F(CaseServiceTest, AnswersInTheCallersLanguage) {
  v1::Case created;
  ASSERT_TRUE(Create(ValidCreate(), &created).ok());
  v1::GetCaseRequest r;
  r.set_name("cases/2023-0001");
  v1::Case zh, en;
  {
    grpc::ClientContext ctx;
    ASSERT_TRUE(stub_->GetCase(&ctx, r, &zh).ok());
  }
  {
    grpc::ClientContext ctx;
    ctx.AddMetadata("gongkai-lang", "en");
    ASSERT_TRUE(stub_->GetCase(&ctx, r, &en).ok());
  }
  ASSERT_EQ(zh.events_size(), 1);
  EXPECT_EQ(zh.events(0).summary(), "收到申请（互联网）");
  EXPECT_EQ(en.events(0).summary(), "application received (互联网)");
  ASSERT_GT(zh.clocks_size(), 0);
  ASSERT_EQ(zh.clocks_size(), en.clocks_size());
  for (int i = 0; i < zh.clocks_size(); ++i) {
    EXPECT_EQ(zh.clocks(i).kind(), en.clocks(i).kind());
    EXPECT_EQ(zh.clocks(i).state(), en.clocks(i).state());
    EXPECT_THAT(EnglishWords(zh.clocks(i).label()), IsEmpty());
    EXPECT_THAT(EnglishWords(zh.clocks(i).state_label()), IsEmpty());
  }
  EXPECT_EQ(zh.clocks(0).label(), "答复期限");
  EXPECT_EQ(zh.clocks(0).state_label(), "计时中");
  EXPECT_EQ(en.clocks(0).state_label(), "running");

  v1::ExplainDeadlineRequest x;
  x.set_name("cases/2023-0001");
  v1::DeadlineExplanation explained;
  {
    grpc::ClientContext ctx;
    ASSERT_TRUE(stub_->ExplainDeadline(&ctx, x, &explained).ok());
  }
  ASSERT_GT(explained.lines_size(), 3);
  for (const std::string& line : explained.lines()) {
    EXPECT_THAT(EnglishWords(line), IsEmpty()) << line;
  }

  v1::AnswerCaseRequest a;
  a.set_name("2023-0001");
  *a.mutable_answered_on() = Date(2023, 3, 10);
  a.set_outcome(v1::OUTCOME_DISCLOSED);
  v1::Case out;
  {
    grpc::ClientContext ctx;
    ASSERT_TRUE(stub_->AnswerCase(&ctx, a, &out).ok());
  }
  grpc::ClientContext ctx;
  grpc::Status s = stub_->AnswerCase(&ctx, a, &out);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(s.error_message(), HasSubstr("已办结"));
  EXPECT_THAT(EnglishWords(s.error_message()), IsEmpty()) << s.error_message();
}

}  // namespace
}  // namespace gongkai::rpc

// A table of malformed inputs across the CLI, the gRPC API and ledger
// import: each must fail with a clear error and leave the records unchanged.
#include <fstream>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gongkai/v1/calendar_service.grpc.pb.h"
#include "gongkai/v1/case_service.grpc.pb.h"
#include "gongkai/v1/fee_service.grpc.pb.h"
#include "gongkai/v1/report_service.grpc.pb.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "tests/integration/harness.h"

namespace gongkai::testing {
namespace {

using ::testing::HasSubstr;

class MalformedInputTest : public ::testing::Test {
 protected:
  void SetUp() override {
    daemon_ = std::make_unique<Daemon>(
        dir_.File("g.db"),
        std::vector<std::string>{"--fake-today", "2024-06-28"});
    ASSERT_TRUE(daemon_->Start()) << daemon_->log();
    ASSERT_EQ(daemon_->Cli(Base()).exit_code, 0);
    channel_ = grpc::CreateChannel(daemon_->address(),
                                   grpc::InsecureChannelCredentials());
  }
  static std::vector<std::string> Base() {
    return {"case",        "new",  "--received",       "2024-06-03",
            "--channel",   "mail", "--applicant-type", "natural_person",
            "--applicant", "张三", "--request",        "某信息"};
  }
  static std::vector<std::string> With(std::vector<std::string> args,
                                       const std::string& flag,
                                       const std::string& value) {
    return WithFlag(std::move(args), flag, value);
  }
  // Everything observable about the records, including the audit trail.
  std::string Snapshot() {
    return daemon_->Cli({"--json", "case", "list"}).out +
           daemon_->Cli({"--json", "case", "show", "2024-0001"}).out +
           daemon_->Cli({"--json", "audit"}).out +
           daemon_->Cli({"--json", "report", "--year", "2024"}).out;
  }
  grpc::Status Call(
      const std::function<grpc::Status(grpc::ClientContext&)>& call) {
    grpc::ClientContext ctx;
    ctx.AddMetadata("authorization", "Bearer " + daemon_->head_token());
    return call(ctx);
  }

  ScratchDir dir_;
  std::unique_ptr<Daemon> daemon_;
  std::shared_ptr<grpc::Channel> channel_;
};

TEST_F(MalformedInputTest, SixtyMalformedInputsFailCleanlyAndChangeNothing) {
  const std::string before = Snapshot();
  int checked = 0;

  // --- The CLI ---
  const std::vector<std::vector<std::string>> cli = {
      With(Base(), "--received", "2024-13-01"),
      With(Base(), "--received", "2024-00-10"),
      With(Base(), "--received", "2023-02-29"),
      With(Base(), "--received", "24-06-01"),
      With(Base(), "--received", "2024/06/01"),
      With(Base(), "--received", ""),
      With(Base(), "--received", "yesterday"),
      With(Base(), "--received", "2024-06-29"),
      With(Base(), "--received", "2008-04-30"),
      With(Base(), "--channel", "carrier pigeon"),
      With(Base(), "--channel", ""),
      With(Base(), "--applicant-type", "人"),
      With(Base(), "--applicant-type", "NATURAL_PERSON"),
      With(Base(), "--applicant", " "),
      With(Base(), "--applicant", std::string(201, 'x')),
      With(Base(), "--applicant", "bad\x01name"),
      With(Base(), "--applicant", "\xc3\x28"),
      With(Base(), "--request", std::string(70 * 1024, 'r')),
      With(Base(), "--case-no", "a/b"),
      With(Base(), "--case-no", "a b"),
      With(Base(), "--case-no", "2024-0001"),
      With(Base(), "--case-no", std::string(65, 'n')),
      With(Base(), "--id-number", std::string(65, '1')),
      {"case", "new", "--received", "2024-06-03"},
      {"case", "frobnicate"},
      {"case", "show"},
      {"case", "show", "a", "b"},
      {"case", "list", "--year", "20x4"},
      {"case", "list", "--limit", "-3"},
      {"case", "list", "--state", "halfway"},
      {"case", "answer", "2024-0001", "--date", "2024-06-02", "--outcome",
       "disclosed"},
      {"case", "answer", "2024-0001", "--date", "2024-06-10", "--outcome",
       "approved"},
      {"case", "answer", "2024-0001", "--date", "2024-06-10", "--outcome",
       "other_fee_unpaid"},
      {"case", "extend", "2024-0001", "--date", "2024-06-10", "--days", "0",
       "--approved-by", "x", "--reason", "y"},
      {"case", "extend", "2024-0001", "--date", "2024-06-10", "--days", "21",
       "--approved-by", "x", "--reason", "y"},
      {"case", "extend", "2024-0001", "--date", "2024-06-10", "--days", "abc",
       "--approved-by", "x", "--reason", "y"},
      {"case", "extend", "2024-0001", "--date", "2024-06-10", "--days", "5",
       "--approved-by", "x", "--reason", ""},
      {"case", "request-correction", "2024-0001", "--date", "2024-06-10",
       "--period-days", "61"},
      {"case", "consult", "2024-0001", "--date", "2024-06-10", "--party", "x",
       "--kind", "friend"},
      {"case", "consult-reply", "2024-0001", "--date", "2024-06-10"},
      {"case", "fee-notice", "2024-0001", "--date", "2024-06-10", "--amount",
       "-5"},
      {"case", "fee-notice", "2024-0001", "--date", "2024-06-10", "--amount",
       "1.234"},
      {"case", "fee-paid", "2024-0001", "--date", "2024-06-10"},
      {"appeal", "new", "--case", "2024-0001", "--kind", "lawsuit", "--filed",
       "2024-06-10"},
      {"appeal", "decide", "x", "--result", "upheld", "--date", "2024-06-10"},
      {"report", "--year", "2024", "--format", "pdf"},
      {"report", "--year", "1999"},
      {"alerts", "--as-of", "2024-02-31"},
      {"calendar", "add-workdays", "2024-06-03", "0"},
      {"fee", "quote", "--pages", "0"},
  };
  for (const auto& args : cli) {
    CommandResult r = daemon_->Cli(args);
    EXPECT_NE(r.exit_code, 0) << args[0] << " " << args[1];
    EXPECT_FALSE(r.err.empty()) << args[0] << " " << args[1];
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
    ++checked;
  }

  // --- Raw API messages ---
  auto cases = v1::CaseService::NewStub(channel_);
  auto valid = [] {
    v1::CreateCaseRequest r;
    r.mutable_received_on()->set_year(2024);
    r.mutable_received_on()->set_month(6);
    r.mutable_received_on()->set_day(3);
    r.set_channel(v1::CHANNEL_MAIL);
    r.set_applicant_type(v1::APPLICANT_TYPE_NATURAL_PERSON);
    r.set_applicant("张三");
    r.set_request("某信息");
    return r;
  };
  std::vector<std::function<void(v1::CreateCaseRequest&)>> bad_creates = {
      [](auto& r) { r.set_channel(static_cast<v1::Channel>(99)); },
      [](auto& r) { r.set_channel(static_cast<v1::Channel>(-1)); },
      [](auto& r) { r.set_applicant_type(static_cast<v1::ApplicantType>(7)); },
      [](auto& r) { r.clear_received_on(); },
      [](auto& r) { r.mutable_received_on()->set_month(13); },
      [](auto& r) { r.mutable_received_on()->set_day(0); },
      [](auto& r) { r.set_applicant(""); },
      [](auto& r) { r.set_applicant(std::string(300, 'a')); },
      // Over the domain's 64 KiB, under the transport's 1 MiB message limit.
      [](auto& r) { r.set_request(std::string(1 << 19, 'q')); },
      [](auto& r) { r.set_case_no("x\ny"); },
      [](auto& r) { r.set_agency("no-such-agency"); },
  };
  for (auto& mutate : bad_creates) {
    v1::CreateCaseRequest r = valid();
    mutate(r);
    v1::Case out;
    grpc::Status s =
        Call([&](auto& ctx) { return cases->CreateCase(&ctx, r, &out); });
    EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT)
        << s.error_message();
    EXPECT_FALSE(s.error_message().empty());
    ++checked;
  }
  {
    v1::AnswerCaseRequest r;
    r.set_name("2024-0001");
    r.mutable_answered_on()->set_year(2024);
    r.mutable_answered_on()->set_month(6);
    r.mutable_answered_on()->set_day(10);
    r.set_outcome(static_cast<v1::Outcome>(99));
    v1::Case out;
    EXPECT_EQ(Call([&](auto& ctx) {
                return cases->AnswerCase(&ctx, r, &out);
              }).error_code(),
              grpc::StatusCode::INVALID_ARGUMENT);
    r.set_outcome(v1::OUTCOME_DISCLOSED);
    r.set_name("cases/");
    EXPECT_EQ(Call([&](auto& ctx) {
                return cases->AnswerCase(&ctx, r, &out);
              }).error_code(),
              grpc::StatusCode::INVALID_ARGUMENT);
    checked += 2;
  }
  {
    v1::ListCasesRequest r;
    v1::ListCasesResponse out;
    r.set_page_size(-1);
    EXPECT_EQ(Call([&](auto& ctx) {
                return cases->ListCases(&ctx, r, &out);
              }).error_code(),
              grpc::StatusCode::INVALID_ARGUMENT);
    r.set_page_size(10);
    r.set_page_token("not-a-token");
    EXPECT_EQ(Call([&](auto& ctx) {
                return cases->ListCases(&ctx, r, &out);
              }).error_code(),
              grpc::StatusCode::INVALID_ARGUMENT);
    r.clear_page_token();
    r.set_state(static_cast<v1::ListCasesRequest::StateFilter>(7));
    EXPECT_EQ(Call([&](auto& ctx) {
                return cases->ListCases(&ctx, r, &out);
              }).error_code(),
              grpc::StatusCode::INVALID_ARGUMENT);
    checked += 3;
  }
  {
    v1::ExtendDeadlineRequest r;
    r.set_name("2024-0001");
    r.mutable_approved_on()->set_year(2024);
    r.mutable_approved_on()->set_month(6);
    r.mutable_approved_on()->set_day(10);
    r.set_days(5);
    r.set_reason("x");
    r.set_kind(static_cast<v1::ExtendDeadlineRequest::Kind>(5));
    v1::Case out;
    EXPECT_EQ(Call([&](auto& ctx) {
                return cases->ExtendDeadline(&ctx, r, &out);
              }).error_code(),
              grpc::StatusCode::INVALID_ARGUMENT);
    ++checked;
  }
  {
    auto calendar = v1::CalendarService::NewStub(channel_);
    v1::AddWorkingDaysRequest r;
    r.mutable_start()->set_year(2024);
    r.mutable_start()->set_month(6);
    r.mutable_start()->set_day(3);
    r.set_days(100000);
    v1::AddWorkingDaysResponse out;
    EXPECT_EQ(Call([&](auto& ctx) {
                return calendar->AddWorkingDays(&ctx, r, &out);
              }).error_code(),
              grpc::StatusCode::INVALID_ARGUMENT);
    auto fees = v1::FeeService::NewStub(channel_);
    v1::QuoteFeeRequest q;
    v1::FeeQuote quote;
    EXPECT_EQ(Call([&](auto& ctx) {
                return fees->QuoteFee(&ctx, q, &quote);
              }).error_code(),
              grpc::StatusCode::INVALID_ARGUMENT);
    checked += 2;
  }

  // --- Ledger import (as the administrator) ---
  auto import = [&](const std::string& name, const std::string& content) {
    std::ofstream(dir_.File(name), std::ios::binary) << content;
    CommandResult r = daemon_->AdminCli(
        {"--lang", "en", "import", "ledger", dir_.File(name)});
    EXPECT_NE(r.exit_code, 0) << name;
    EXPECT_FALSE(r.err.empty()) << name;
    ++checked;
    return r.err;
  };
  const std::string header =
      "received_on,applicant_type,applicant_name,request,answered_on,outcome\n";
  EXPECT_THAT(
      import("quote.csv", header + "2024-06-03,natural_person,\"张三,x,,\n"),
      HasSubstr("never closed"));
  EXPECT_THAT(
      import("midquote.csv", header + "2024-06-03,natural_person,张\"三,x,,\n"),
      HasSubstr("quote"));
  // Not UTF-8, and not GBK/GB18030 either (0x81 0x20 is no character).
  EXPECT_THAT(import("neither.csv",
                     header + "2024-06-03,natural_person,\x81\x20,x,,\n"),
              HasSubstr("neither UTF-8, UTF-16 nor GBK/GB18030"));
  // UTF-16 ("Unicode text") is read, and its header must still be a
  // ledger's.
  EXPECT_THAT(import("utf16.csv", std::string("\xff\xfer\0e\0", 6)),
              HasSubstr("unknown column 're'"));
  EXPECT_THAT(import("broken.xlsx", std::string("PK\x03\x04", 4) + "junk"),
              HasSubstr("not a readable Excel workbook"));
  EXPECT_THAT(import("bom-mid.csv",
                     "received_on,\xEF\xBB\xBF"
                     "applicant_type,applicant_name,request\n"
                     "2024-06-03,natural_person,张三,x\n"),
              HasSubstr("unknown column"));
  EXPECT_THAT(
      import("mixed.csv", header + "2024-06-03,natural_person,张三,x,,\r\n"
                                   "2024-06-31,natural_person,李四,y,,\r"
                                   "2024-06-04,person,王五,z,,\n"),
      HasSubstr("2 bad rows"));
  EXPECT_THAT(
      import("huge.csv", header + "2024-06-03,natural_person,张三," +
                             std::string(10 * 1024 * 1024, 'x') + ",,\n"),
      HasSubstr("64 KiB"));
  EXPECT_THAT(import("empty.csv", ""), HasSubstr("empty"));
  EXPECT_THAT(import("header-only.csv", header), HasSubstr("no rows"));
  EXPECT_THAT(
      import("no-request.csv", "received_on,applicant_type,applicant_name\n"),
      HasSubstr("no request"));
  EXPECT_THAT(import("dup-column.csv", "received_on,收到日期,applicant_type\n"),
              HasSubstr("appears twice"));
  EXPECT_THAT(import("extra-fields.csv",
                     header + "2024-06-03,natural_person,张三,x,,,,,\n"),
              HasSubstr("fields"));
  EXPECT_THAT(import("outcome-only.csv",
                     header + "2024-06-03,natural_person,张三,x,,disclosed\n"),
              HasSubstr("answered_on is empty"));
  EXPECT_THAT(
      import("future.csv", header + "2024-07-03,natural_person,张三,x,,\n"),
      HasSubstr("in the future"));
  EXPECT_THAT(
      import("taken.csv", "case_no," + header +
                              "2024-0001,2024-06-03,natural_person,张三,x,,\n"),
      HasSubstr("already in the records"));

  EXPECT_GE(checked, 60);
  EXPECT_EQ(Snapshot(), before);
}

}  // namespace
}  // namespace gongkai::testing

// Bad bytes in every header and every text field, sent over raw gRPC to the
// real daemon: each is refused with INVALID_ARGUMENT and a message a clerk
// can act on, nothing of it is stored or logged raw, and a record that
// already holds bad bytes (edited in the database file) still shows.
#include <sqlite3.h>

#include <memory>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gongkai/v1/admin_service.grpc.pb.h"
#include "gongkai/v1/alert_service.grpc.pb.h"
#include "gongkai/v1/calendar_service.grpc.pb.h"
#include "gongkai/v1/case_service.grpc.pb.h"
#include "gongkai/v1/fee_service.grpc.pb.h"
#include "gongkai/v1/report_service.grpc.pb.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"
#include "grpcpp/generic/generic_stub.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "storage/sqlite/case_text.h"
#include "tests/integration/harness.h"

namespace gongkai::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kBadUtf8[] = "\xff\xfe\xc0\xaf";

struct Reply {
  grpc::StatusCode code = grpc::StatusCode::OK;
  std::string message;
};

class BadBytesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    daemon_ = std::make_unique<Daemon>(
        dir_.File("g.db"),
        std::vector<std::string>{"--fake-today", "2024-06-28"});
    ASSERT_TRUE(daemon_->Start()) << daemon_->log();
    ASSERT_EQ(daemon_
                  ->Cli({"case", "new", "--received", "2024-06-03", "--channel",
                         "mail", "--applicant-type", "natural_person",
                         "--applicant", "张三", "--request", "某信息"})
                  .exit_code,
              0);
  }

  // One unary call with raw request bytes and any metadata.
  Reply Call(const std::string& path, const std::string& request,
             const std::vector<std::pair<std::string, std::string>>& headers) {
    RawResult r = RawUnaryCall(daemon_->address(), path, headers, request,
                               absl::Seconds(20));
    return {static_cast<grpc::StatusCode>(r.code), r.message};
  }
  Reply CallAs(const std::string& token, const std::string& path,
               const google::protobuf::Message& request,
               std::vector<std::pair<std::string, std::string>> headers = {}) {
    headers.push_back({"authorization", "Bearer " + token});
    return Call(path, request.SerializeAsString(), headers);
  }

  static v1::CreateCaseRequest GoodCase() {
    v1::CreateCaseRequest r;
    r.mutable_received_on()->set_year(2024);
    r.mutable_received_on()->set_month(6);
    r.mutable_received_on()->set_day(3);
    r.set_channel(v1::CHANNEL_MAIL);
    r.set_applicant_type(v1::APPLICANT_TYPE_NATURAL_PERSON);
    r.set_applicant("李四");
    r.set_request("预算");
    return r;
  }

  // What the records and the trail hold, as programs read them.
  std::string Stored() {
    return daemon_->Cli({"--json", "case", "list"}).out +
           daemon_->Cli({"--json", "case", "show", "2024-0001"}).out +
           daemon_->Cli({"--json", "audit"}).out;
  }

  ScratchDir dir_;
  std::unique_ptr<Daemon> daemon_;
};

// Nothing raw in the log: no control character but the line ends, no byte
// that is not UTF-8, no personal data, no line a client wrote.
void ExpectCleanLog(const std::string& log) {
  for (absl::string_view line : absl::StrSplit(log, '\n')) {
    for (unsigned char c : line) {
      ASSERT_TRUE(c >= 0x20 && c != 0x7f) << "raw byte in log line: " << line;
    }
    EXPECT_FALSE(absl::StartsWith(line, "FORGED")) << line;
  }
  EXPECT_EQ(log.find('\xff'), std::string::npos);
  EXPECT_THAT(log, Not(HasSubstr("张三")));
  EXPECT_THAT(log, Not(HasSubstr("李四")));
}

TEST_F(BadBytesTest, EveryTextFieldOfEveryMethodRefusesInvalidUtf8) {
  const std::string before = Stored();
  int checked = 0;
  for (const char* service :
       {"gongkai.v1.AdminService", "gongkai.v1.AlertService",
        "gongkai.v1.CalendarService", "gongkai.v1.CaseService",
        "gongkai.v1.FeeService", "gongkai.v1.ReportService"}) {
    const google::protobuf::ServiceDescriptor* sd =
        google::protobuf::DescriptorPool::generated_pool()->FindServiceByName(
            service);
    ASSERT_NE(sd, nullptr) << service;
    for (int m = 0; m < sd->method_count(); ++m) {
      const google::protobuf::MethodDescriptor* method = sd->method(m);
      if (method->server_streaming() || method->client_streaming()) continue;
      const google::protobuf::Descriptor* input = method->input_type();
      for (int f = 0; f < input->field_count(); ++f) {
        const google::protobuf::FieldDescriptor* field = input->field(f);
        if (field->type() != google::protobuf::FieldDescriptor::TYPE_STRING) {
          continue;
        }
        std::unique_ptr<google::protobuf::Message> request(
            google::protobuf::MessageFactory::generated_factory()
                ->GetPrototype(input)
                ->New());
        const std::string value = absl::StrCat("ok ", kBadUtf8, " ok");
        if (field->is_repeated()) {
          request->GetReflection()->AddString(request.get(), field, value);
        } else {
          request->GetReflection()->SetString(request.get(), field, value);
        }
        const std::string path =
            absl::StrCat("/", service, "/", method->name());
        const Reply reply = CallAs(daemon_->admin_token(), path, *request);
        EXPECT_EQ(reply.code, grpc::StatusCode::INVALID_ARGUMENT)
            << path << " " << field->name() << ": " << reply.message;
        EXPECT_THAT(reply.message, HasSubstr(absl::StrCat("'", field->name(),
                                                          "' is not valid "
                                                          "UTF-8")))
            << path;
        ++checked;
      }
    }
  }
  EXPECT_GT(checked, 30);
  EXPECT_EQ(Stored(), before);
  ExpectCleanLog(daemon_->log());
}

TEST_F(BadBytesTest, HeadersWithBadBytesAreRefusedAndNotStored) {
  const std::string before = Stored();
  for (const std::string& reason :
       {std::string(kBadUtf8), std::string("\x1b[2J"), std::string("a\0b", 3),
        std::string("ok\nFORGED-LINE")}) {
    const Reply reply =
        CallAs(daemon_->head_token(), "/gongkai.v1.CaseService/CreateCase",
               GoodCase(), {{"gongkai-force-reason-bin", reason}});
    EXPECT_EQ(reply.code, grpc::StatusCode::INVALID_ARGUMENT) << reply.message;
    EXPECT_THAT(reply.message, HasSubstr("--force-reason"));
  }
  // A good reason still works.
  EXPECT_EQ(CallAs(daemon_->head_token(), "/gongkai.v1.CaseService/CreateCase",
                   GoodCase(), {{"gongkai-force-reason-bin", "经领导同意"}})
                .code,
            grpc::StatusCode::OK);
  EXPECT_THAT(Stored(), Not(HasSubstr("\\u001b")));

  // A call whose token is wrong is logged as unauthenticated, not under the
  // name the client claims.
  v1::GetCaseRequest get;
  get.set_name("2024-0001");
  EXPECT_EQ(CallAs("not-a-token", "/gongkai.v1.CaseService/GetCase", get,
                   {{"gongkai-user", "mallory"}})
                .code,
            grpc::StatusCode::UNAUTHENTICATED);
  const std::string log = daemon_->log();
  EXPECT_THAT(log, HasSubstr("call GetCase user=unauthenticated "));
  EXPECT_THAT(log, Not(HasSubstr("mallory")));
  ExpectCleanLog(log);
  (void)before;
}

TEST_F(BadBytesTest, ControlCharactersInTextFieldsAreRefused) {
  const std::string before = Stored();
  auto refused = [&](const std::string& path,
                     const google::protobuf::Message& request,
                     const std::string& token) {
    const Reply reply = CallAs(token, path, request);
    EXPECT_EQ(reply.code, grpc::StatusCode::INVALID_ARGUMENT)
        << path << ": " << reply.message;
    EXPECT_FALSE(reply.message.empty());
    EXPECT_EQ(reply.message.find('\x1b'), std::string::npos) << reply.message;
  };
  const std::string create = "/gongkai.v1.CaseService/CreateCase";
  const std::string head = daemon_->head_token();
  {
    auto r = GoodCase();
    r.set_applicant("李四\x1b[2J");
    refused(create, r, head);
  }
  {
    auto r = GoodCase();
    r.set_request(std::string("预算\0", 7));
    refused(create, r, head);
  }
  {
    auto r = GoodCase();
    r.set_contact("x\x1b]0;title\x07");
    refused(create, r, head);
  }
  {
    auto r = GoodCase();
    r.set_id_number("1\n2");
    refused(create, r, head);
  }
  {
    auto r = GoodCase();
    r.set_case_no("2024-9\x1b");
    refused(create, r, head);
  }
  {
    v1::ImportLedgerRequest r;
    r.set_content(
        "received_on,applicant_type,applicant_name,request\n"
        "2024-06-03,natural_person,王五,预算\n");
    r.set_source("x.csv\n2026-01-01T00:00:00Z gongkaid: FORGED");
    refused("/gongkai.v1.ReportService/ImportLedger", r,
            daemon_->admin_token());
  }
  {
    v1::BackupRequest r;
    r.set_path(dir_.File("b.db\nFORGED"));
    refused("/gongkai.v1.AdminService/Backup", r, daemon_->admin_token());
  }
  {
    v1::LoadCalendarRequest r;
    r.set_text(std::string("year 2030\noff 2030-01-01 New\0Year\n", 34));
    r.set_source("cal.txt");
    refused("/gongkai.v1.CalendarService/LoadCalendar", r,
            daemon_->admin_token());
    EXPECT_THAT(CallAs(daemon_->admin_token(),
                       "/gongkai.v1.CalendarService/LoadCalendar", r)
                    .message,
                HasSubstr("cal.txt 第 2 行：内容含有控制字符"));
  }
  EXPECT_EQ(Stored(), before);
  ExpectCleanLog(daemon_->log());
}

TEST_F(BadBytesTest, StoredBadBytesStillShowEscaped) {
  ASSERT_EQ(daemon_->Stop(), 0);
  // 张, a byte that is not UTF-8, then "clear the screen".
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(dir_.File("g.db").c_str(), &db), SQLITE_OK);
  // The search index's triggers call gk_bigrams (storage/sqlite/case_text.h).
  ASSERT_EQ(storage::RegisterTextFunctions(db), SQLITE_OK);
  char* error = nullptr;
  const int rc = sqlite3_exec(db,
                              "UPDATE cases SET applicant = "
                              "CAST(X'E5BCA0FF1B5B324A' AS TEXT) "
                              "WHERE case_no = '2024-0001';",
                              nullptr, nullptr, &error);
  EXPECT_EQ(rc, SQLITE_OK) << (error ? error : "");
  sqlite3_free(error);
  sqlite3_close(db);
  ASSERT_EQ(rc, SQLITE_OK);
  ASSERT_TRUE(daemon_->Start()) << daemon_->log();

  const CommandResult show = daemon_->Cli({"case", "show", "2024-0001"});
  ASSERT_EQ(show.exit_code, 0) << show.err;
  EXPECT_THAT(show.out, HasSubstr("张\xEF\xBF\xBD\\x1b[2J"));
  EXPECT_EQ(show.out.find('\x1b'), std::string::npos);
  const CommandResult list = daemon_->Cli({"case", "list"});
  ASSERT_EQ(list.exit_code, 0) << list.err;
  EXPECT_EQ(list.out.find('\x1b'), std::string::npos);
  EXPECT_EQ(daemon_->Cli({"--json", "case", "show", "2024-0001"}).exit_code, 0);
  EXPECT_EQ(daemon_->Cli({"audit"}).exit_code, 0);
  EXPECT_EQ(daemon_->Cli({"case", "history", "2024-0001"}).exit_code, 0);
  // The daemon says what it replaced, without the bytes.
  EXPECT_THAT(daemon_->log(), HasSubstr("not UTF-8; sent with U+FFFD"));
}

}  // namespace
}  // namespace gongkai::testing

// Staff accounts, roles, transport security, audit trail and operations,
// through the real binaries.
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <thread>

#include "domain/permissions.h"
#include "gmock/gmock.h"
#include "gongkai/v1/admin_service.grpc.pb.h"
#include "gongkai/v1/alert_service.grpc.pb.h"
#include "gongkai/v1/calendar_service.grpc.pb.h"
#include "gongkai/v1/case_service.grpc.pb.h"
#include "gongkai/v1/document_service.grpc.pb.h"
#include "gongkai/v1/fee_service.grpc.pb.h"
#include "gongkai/v1/report_service.grpc.pb.h"
#include "google/protobuf/descriptor.h"
#include "grpcpp/generic/generic_stub.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "tests/integration/harness.h"

namespace gongkai::testing {
namespace {

using ::testing::HasSubstr;

const std::vector<std::string> kToday = {"--fake-today", "2024-06-28"};

std::vector<std::string> NewCase(const std::string& received = "2024-06-03") {
  return {"case",
          "new",
          "--received",
          received,
          "--channel",
          "mail",
          "--applicant-type",
          "natural_person",
          "--applicant",
          "张三",
          "--request",
          "某信息",
          "--id-number",
          "412801199001011234",
          "--contact",
          "13800001234"};
}

grpc::StatusCode RawCall(const std::string& address, const std::string& path,
                         const std::string& token) {
  return static_cast<grpc::StatusCode>(RawUnaryCall(address, path, token).code);
}

TEST(SecurityTest, PermissionMatrixForEveryRoleAndMethod) {
  ScratchDir dir;
  Daemon d(dir.File("g.db"), kToday);
  ASSERT_TRUE(d.Start()) << d.log();
  std::map<Role, std::string> tokens;
  for (Role r : AllRoles()) {
    tokens[r] = d.AddUser(std::string("u-") + std::string(RoleCode(r)),
                          std::string(RoleCode(r)));
  }
  // Touch one message of each file so its descriptors are linked in.
  v1::CreateCaseRequest::descriptor();
  v1::AddWorkingDaysRequest::descriptor();
  v1::ListAlertsRequest::descriptor();
  v1::QuoteFeeRequest::descriptor();
  v1::GetReportRequest::descriptor();
  v1::WhoAmIRequest::descriptor();
  v1::GenerateDocumentRequest::descriptor();
  const auto* pool = google::protobuf::DescriptorPool::generated_pool();
  int checked = 0;
  for (const char* service :
       {"CaseService", "CalendarService", "AlertService", "FeeService",
        "ReportService", "AdminService", "DocumentService"}) {
    const auto* desc =
        pool->FindServiceByName(std::string("gongkai.v1.") + service);
    ASSERT_NE(desc, nullptr) << service;
    for (int m = 0; m < desc->method_count(); ++m) {
      const std::string method = desc->method(m)->name();
      bool listed = false;
      for (const MethodPermission& p : PermissionMatrix())
        listed |= p.method == method;
      EXPECT_TRUE(listed) << method << " is missing from the permission matrix";
      const std::string path =
          "/gongkai.v1." + std::string(service) + "/" + method;
      EXPECT_EQ(RawCall(d.address(), path, ""),
                grpc::StatusCode::UNAUTHENTICATED)
          << path;
      EXPECT_EQ(RawCall(d.address(), path, "gk_wrong"),
                grpc::StatusCode::UNAUTHENTICATED)
          << path;
      for (Role r : AllRoles()) {
        grpc::StatusCode code = RawCall(d.address(), path, tokens[r]);
        if (Allowed(r, method)) {
          EXPECT_NE(code, grpc::StatusCode::PERMISSION_DENIED)
              << path << " " << RoleCode(r);
          EXPECT_NE(code, grpc::StatusCode::UNAUTHENTICATED)
              << path << " " << RoleCode(r);
        } else {
          EXPECT_EQ(code, grpc::StatusCode::PERMISSION_DENIED)
              << path << " " << RoleCode(r);
        }
        ++checked;
      }
    }
  }
  EXPECT_GT(checked, 150);
}

TEST(SecurityTest, TokensAreCheckedDisabledAndRotated) {
  ScratchDir dir;
  Daemon d(dir.File("g.db"), kToday);
  ASSERT_TRUE(d.Start()) << d.log();
  std::string clerk = d.AddUser("ana", "clerk");
  CommandResult ok = d.CliAs(clerk, NewCase());
  ASSERT_EQ(ok.exit_code, 0) << ok.err;
  CommandResult denied =
      d.CliAs(clerk, {"case", "answer", "2024-0001", "--date", "2024-06-10",
                      "--outcome", "disclosed"});
  EXPECT_EQ(denied.exit_code, 1);
  EXPECT_THAT(denied.err, HasSubstr("ana (clerk) may not answer a case"));
  CommandResult none = d.CliAs("", {"case", "list"});
  EXPECT_THAT(none.err, HasSubstr("no API token"));
  CommandResult wrong = d.CliAs("gk_0000", {"case", "list"});
  EXPECT_THAT(wrong.err, HasSubstr("not valid"));

  CommandResult rotated = d.AdminCli({"admin", "user", "rotate-token", "ana"});
  ASSERT_EQ(rotated.exit_code, 0);
  std::string fresh = rotated.out.substr(0, rotated.out.find('\n'));
  EXPECT_THAT(d.CliAs(clerk, {"case", "list"}).err, HasSubstr("not valid"));
  EXPECT_EQ(d.CliAs(fresh, {"case", "list"}).exit_code, 0);
  ASSERT_EQ(d.AdminCli({"admin", "user", "disable", "ana"}).exit_code, 0);
  EXPECT_THAT(d.CliAs(fresh, {"case", "list"}).err,
              HasSubstr("ana is disabled"));

  // Events record the authenticated user, not what the client claims.
  Json c = d.CliJson({"case", "show", "2024-0001"});
  EXPECT_EQ(c.Find("events")->as_array()[0].Find("actor")->as_string(), "ana");
  // The extension records the approver as named and, as its actor, the
  // authenticated user who entered it (never what the client claims).
  ASSERT_EQ(
      d.Cli({"case", "extend", "2024-0001", "--date", "2024-06-10", "--days",
             "5", "--approved-by", "王主任", "--reason", "复杂"})
          .exit_code,
      0);
  Json e = d.CliJson({"case", "show", "2024-0001"});
  const Json& extension = e.Find("events")->as_array()[1];
  EXPECT_EQ(extension.Find("details")->Find("approved_by")->as_string(),
            "王主任");
  EXPECT_EQ(extension.Find("actor")->as_string(), "head");
  EXPECT_THAT(extension.Find("summary")->as_string(),
              HasSubstr("approved by 王主任 (entered by head)"));
}

TEST(SecurityTest, CreateAdminIsLocalOnly) {
  ScratchDir dir;
  CommandResult first = RunProgram(
      GONGKAID_PATH, {"--db", dir.File("g.db"), "--create-admin", "root"});
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_THAT(first.out, ::testing::StartsWith("gk_"));
  CommandResult again = RunProgram(
      GONGKAID_PATH, {"--db", dir.File("g.db"), "--create-admin", "root"});
  EXPECT_NE(again.exit_code, 0);
  EXPECT_THAT(again.err, HasSubstr("已有名为“root”的用户"));
}

TEST(SecurityTest, TokenFileMustBePrivate) {
  ScratchDir dir;
  Daemon d(dir.File("g.db"), kToday);
  ASSERT_TRUE(d.Start()) << d.log();
  const std::string config = dir.File("config");
  mkdir(config.c_str(), 0700);
  mkdir((config + "/gongkai").c_str(), 0700);
  const std::string file = config + "/gongkai/token";
  std::ofstream(file) << d.head_token() << "\n";
  chmod(file.c_str(), 0644);
  const std::string script = "XDG_CONFIG_HOME=" + config + " " +
                             GONGKAI_CLI_PATH + " --server " + d.address() +
                             " whoami";
  CommandResult open = RunProgram("/bin/sh", {"-c", script});
  EXPECT_NE(open.exit_code, 0);
  EXPECT_THAT(open.err, HasSubstr("readable by other users"));
  chmod(file.c_str(), 0600);
  CommandResult ok = RunProgram("/bin/sh", {"-c", script});
  if (ok.exit_code == 3)
    ok = RunProgram("/bin/sh", {"-c", script});  // see Daemon::CliAs
  EXPECT_EQ(ok.exit_code, 0) << ok.err;
  EXPECT_THAT(ok.out, HasSubstr("head (head)"));
}

TEST(SecurityTest, MaskingAndAuditedReveal) {
  ScratchDir dir;
  Daemon d(dir.File("g.db"), kToday);
  ASSERT_TRUE(d.Start()) << d.log();
  ASSERT_EQ(d.Cli(NewCase()).exit_code, 0);
  Json masked = d.CliJson({"case", "show", "2024-0001"});
  EXPECT_EQ(masked.Find("id_number")->as_string(), "4128**********1234");
  EXPECT_EQ(masked.Find("contact")->as_string(), "138*****234");
  Json listed = d.CliJson({"case", "list"});
  EXPECT_EQ(listed.as_array()[0].Find("id_number")->as_string(),
            "4128**********1234");
  Json revealed = d.CliJson({"case", "show", "2024-0001", "--reveal"});
  EXPECT_EQ(revealed.Find("id_number")->as_string(), "412801199001011234");
  std::string clerk = d.AddUser("clerk1", "clerk");
  CommandResult denied =
      d.CliAs(clerk, {"case", "show", "2024-0001", "--reveal"});
  EXPECT_THAT(denied.err, HasSubstr("may not see identity numbers"));
  std::string auditor = d.AddUser("aud", "auditor");
  CommandResult audit = d.CliAs(auditor, {"--json", "audit", "--user", "head"});
  ASSERT_EQ(audit.exit_code, 0) << audit.err;
  EXPECT_THAT(audit.out, HasSubstr("personal_data_revealed"));
  CommandResult history = d.Cli({"case", "history", "2024-0001"});
  EXPECT_THAT(history.out, HasSubstr("application received"));
}

TEST(SecurityTest, AuditChainDetectsTamperingWithTheFile) {
  ScratchDir dir;
  Daemon d(dir.File("g.db"), kToday);
  ASSERT_TRUE(d.Start()) << d.log();
  ASSERT_EQ(d.Cli(NewCase()).exit_code, 0);
  ASSERT_EQ(d.Cli({"case", "answer", "2024-0001", "--date", "2024-06-10",
                   "--outcome", "disclosed"})
                .exit_code,
            0);
  CommandResult intact = d.AdminCli({"admin", "verify-audit"});
  EXPECT_EQ(intact.exit_code, 0) << intact.err;
  EXPECT_THAT(intact.out, HasSubstr("intact"));
  d.Stop();
  CommandResult tamper = RunProgram(
      "/usr/bin/sqlite3",
      {dir.File("g.db"),
       "DROP TRIGGER case_events_no_update; "
       "UPDATE case_events SET details = replace(details, "
       "'disclosed', 'withheld_state_secret') WHERE kind = 'answered';"});
  ASSERT_EQ(tamper.exit_code, 0) << tamper.err;
  ASSERT_TRUE(d.Start()) << d.log();
  CommandResult broken = d.AdminCli({"admin", "verify-audit"});
  EXPECT_NE(broken.exit_code, 0);
  EXPECT_THAT(broken.out,
              HasSubstr("case_events row 2 breaks the checksum chain"));
}

TEST(SecurityTest, BackupUnderConcurrentWritesRestoresIntact) {
  ScratchDir dir;
  Daemon d(dir.File("g.db"), kToday);
  ASSERT_TRUE(d.Start()) << d.log();
  std::atomic<bool> stop{false};
  std::atomic<int> created{0};
  std::thread writer([&] {
    while (!stop && created < 200) {
      if (d.Cli(NewCase()).exit_code == 0) ++created;
    }
  });
  while (created < 10)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  CommandResult backup = d.AdminCli({"admin", "backup", "backup.db"});
  stop = true;
  writer.join();
  ASSERT_EQ(backup.exit_code, 0) << backup.err;
  CommandResult again = d.AdminCli({"admin", "backup", "backup.db"});
  EXPECT_THAT(again.err, HasSubstr("exists"));
  EXPECT_EQ(d.AdminCli({"admin", "check"}).exit_code, 0);
  d.Stop();

  // Restore as the operations guide says: stop, replace the file, start,
  // verify.
  std::filesystem::remove(dir.File("g.db-wal"));
  std::filesystem::remove(dir.File("g.db-shm"));
  std::filesystem::copy_file(dir.File("backups/backup.db"), dir.File("g.db"),
                             std::filesystem::copy_options::overwrite_existing);
  ASSERT_TRUE(d.Start()) << d.log();
  EXPECT_EQ(d.AdminCli({"admin", "check"}).exit_code, 0);
  // The copy ends before the anchored end of the audit trail: a restore
  // looks like a cut-off tail until the anchor is begun anew.
  EXPECT_THAT(d.AdminCli({"admin", "verify-audit"}).out, HasSubstr("cut off"));
  d.Stop();
  std::filesystem::rename(dir.File("g.db.audit-anchor"),
                          dir.File("g.db.audit-anchor.before-restore"));
  CommandResult reanchor =
      RunProgram(GONGKAID_PATH, {"--db", dir.File("g.db"), "--create-admin",
                                 "restorer", "--reanchor-audit"});
  ASSERT_EQ(reanchor.exit_code, 0) << reanchor.err;
  ASSERT_TRUE(d.Start()) << d.log();
  EXPECT_EQ(d.AdminCli({"admin", "verify-audit"}).exit_code, 0);
  Json cases = d.CliJson({"case", "list"});
  EXPECT_GE(cases.as_array().size(), 10u);
  EXPECT_LE(cases.as_array().size(), static_cast<size_t>(created.load()));
}

TEST(SecurityTest, AssignmentMineAndAlertsNameTheHandler) {
  ScratchDir dir;
  Daemon d(dir.File("g.db"), kToday);
  ASSERT_TRUE(d.Start()) << d.log();
  std::string li = d.AddUser("li", "handler");
  ASSERT_EQ(d.Cli(NewCase("2024-05-06")).exit_code, 0);  // overdue
  ASSERT_EQ(d.Cli(NewCase("2024-06-20")).exit_code, 0);
  CommandResult bad = d.Cli({"case", "assign", "2024-0001", "nobody"});
  EXPECT_THAT(bad.err, HasSubstr("no user named 'nobody'"));
  ASSERT_EQ(d.Cli({"case", "assign", "2024-0001", "li"}).exit_code, 0);
  Json mine = d.CliJson({"case", "list", "--mine"});
  EXPECT_EQ(mine.as_array().size(), 0u);  // head's own list
  CommandResult li_mine = d.CliAs(li, {"--json", "case", "list", "--mine"});
  ASSERT_EQ(li_mine.exit_code, 0) << li_mine.err;
  EXPECT_THAT(li_mine.out, HasSubstr("2024-0001"));
  EXPECT_THAT(li_mine.out, ::testing::Not(HasSubstr("2024-0002")));
  Json alerts = d.CliJson({"alerts"});
  bool named = false;
  for (const Json& a : alerts.as_array()) {
    if (a.Find("case_no")->is_string() &&
        a.Find("case_no")->as_string() == "2024-0001") {
      named = a.Find("handler")->is_string() &&
              a.Find("handler")->as_string() == "li";
    }
  }
  EXPECT_TRUE(named);
}

TEST(TransportTest, PlainTcpOnlyOnLoopbackWithInsecure) {
  ScratchDir dir;
  CommandResult no_tls = RunProgram(
      GONGKAID_PATH, {"--db", dir.File("g.db"), "--listen", "127.0.0.1:0"});
  EXPECT_NE(no_tls.exit_code, 0);
  EXPECT_THAT(no_tls.err, HasSubstr("needs TLS"));
  CommandResult open = RunProgram(
      GONGKAID_PATH,
      {"--db", dir.File("g.db"), "--listen", "0.0.0.0:0", "--insecure"});
  EXPECT_NE(open.exit_code, 0);
  EXPECT_THAT(open.err, HasSubstr("not a loopback address"));
}

TEST(TransportTest, UnixSocketIsPrivate) {
  ScratchDir dir;
  const std::string sock = dir.File("run/gongkaid.sock");
  Daemon d(dir.File("g.db"), {"--fake-today", "2024-06-28"});
  // Start on TCP first to create users, then serve on the socket.
  ASSERT_TRUE(d.Start());
  std::string token = d.head_token();
  d.Stop();
  Background daemon(GONGKAID_PATH,
                    {"--db", dir.File("g.db"), "--listen", "unix:" + sock});
  struct stat st;
  for (int i = 0; i < 200 && stat(sock.c_str(), &st) != 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ASSERT_EQ(stat(sock.c_str(), &st), 0) << daemon.ErrSoFar();
  EXPECT_TRUE(S_ISSOCK(st.st_mode));
  EXPECT_EQ(st.st_mode & 0007, 0u) << "others may not use the socket";
  CommandResult who =
      RunProgram(GONGKAI_CLI_PATH,
                 {"--server", "unix:" + sock, "--token", token, "whoami"});
  EXPECT_EQ(who.exit_code, 0) << who.err;
  EXPECT_THAT(who.out, HasSubstr("head"));
}

// Test certificates made with the openssl tool, as an office would.
class TlsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto ssl = [&](std::vector<std::string> args) {
      CommandResult r = RunProgram("/usr/bin/openssl", args);
      ASSERT_EQ(r.exit_code, 0) << r.err;
    };
    ssl({"req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj",
         "/CN=gongkai test CA", "-keyout", dir_.File("ca.key"), "-out",
         dir_.File("ca.pem")});
    std::ofstream(dir_.File("san.ext"))
        << "subjectAltName=IP:127.0.0.1,DNS:localhost\n";
    for (const char* who : {"server", "client"}) {
      const std::string w = who;
      ssl({"req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=" + w,
           "-keyout", dir_.File(w + ".key"), "-out", dir_.File(w + ".csr")});
      ssl({"x509", "-req", "-in", dir_.File(w + ".csr"), "-CA",
           dir_.File("ca.pem"), "-CAkey", dir_.File("ca.key"),
           "-CAcreateserial", "-days", "2", "-extfile", dir_.File("san.ext"),
           "-out", dir_.File(w + ".pem")});
    }
    // Users are made over a plain loopback start first.
    Daemon bootstrap(dir_.File("g.db"), {"--fake-today", "2024-06-28"});
    ASSERT_TRUE(bootstrap.Start());
    token_ = bootstrap.head_token();
    bootstrap.Stop();
  }
  // Starts gongkaid with TLS on a free port; returns its address.
  std::string StartTls(std::vector<std::string> extra) {
    std::vector<std::string> args = {"--db",       dir_.File("g.db"),
                                     "--listen",   "127.0.0.1:0",
                                     "--tls-cert", dir_.File("server.pem"),
                                     "--tls-key",  dir_.File("server.key")};
    args.insert(args.end(), extra.begin(), extra.end());
    daemon_ = std::make_unique<Background>(GONGKAID_PATH, args);
    for (int i = 0; i < 200; ++i) {
      std::string log = daemon_->ErrSoFar();
      size_t at = log.find("serving on ");
      if (at != std::string::npos) {
        return log.substr(at + 11, log.find(' ', at + 11) - at - 11);
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    ADD_FAILURE() << daemon_->ErrSoFar();
    return "";
  }
  CommandResult Who(const std::string& address,
                    std::vector<std::string> extra) {
    std::vector<std::string> args = {"--server", address, "--token", token_};
    args.insert(args.end(), extra.begin(), extra.end());
    args.push_back("whoami");
    return RunProgram(GONGKAI_CLI_PATH, args);
  }

  ScratchDir dir_;
  std::string token_;
  std::unique_ptr<Background> daemon_;
};

TEST_F(TlsTest, ServerCertificateIsVerified) {
  const std::string address = StartTls({});
  ASSERT_FALSE(address.empty());
  CommandResult ok = Who(address, {"--ca", dir_.File("ca.pem")});
  EXPECT_EQ(ok.exit_code, 0) << ok.err;
  // Without TLS, or trusting the wrong CA, the call fails.
  EXPECT_NE(Who(address, {}).exit_code, 0);
  EXPECT_NE(Who(address, {"--ca", dir_.File("client.pem")}).exit_code, 0);
}

TEST_F(TlsTest, MutualTlsNeedsAClientCertificate) {
  const std::string address =
      StartTls({"--tls-client-ca", dir_.File("ca.pem")});
  ASSERT_FALSE(address.empty());
  EXPECT_NE(Who(address, {"--ca", dir_.File("ca.pem")}).exit_code, 0);
  CommandResult ok =
      Who(address, {"--ca", dir_.File("ca.pem"), "--cert",
                    dir_.File("client.pem"), "--key", dir_.File("client.key")});
  EXPECT_EQ(ok.exit_code, 0) << ok.err;
}

}  // namespace
}  // namespace gongkai::testing

namespace gongkai::testing {
namespace {

TEST(AgencyTest, UsersSeeOnlyTheirAgenciesAndReportsAddUp) {
  ScratchDir dir;
  Daemon d(dir.File("g.db"),
           {"--fake-today", "2024-06-28", "--agency", "某市人民政府"});
  ASSERT_TRUE(d.Start()) << d.log();
  ASSERT_EQ(
      d.AdminCli({"admin", "agency", "add", "psb", "--name", "某市公安局"})
          .exit_code,
      0);
  ASSERT_EQ(
      d.AdminCli({"admin", "agency", "add", "edu", "--name", "某市教育局"})
          .exit_code,
      0);
  CommandResult dup =
      d.AdminCli({"admin", "agency", "add", "psb", "--name", "x"});
  EXPECT_THAT(dup.err, HasSubstr("exists"));
  const std::string psb = d.AddUser("psb-head", "head");
  CommandResult scoped = d.AdminCli(
      {"admin", "user", "add", "p1", "--role", "head", "--agency", "psb"});
  ASSERT_EQ(scoped.exit_code, 0) << scoped.err;
  const std::string p1 = scoped.out.substr(0, scoped.out.find('\n'));
  CommandResult scoped2 = d.AdminCli(
      {"admin", "user", "add", "e1", "--role", "head", "--agency", "edu"});
  const std::string e1 = scoped2.out.substr(0, scoped2.out.find('\n'));
  auto new_case = [](const std::string& received) {
    return std::vector<std::string>{
        "case",        "new",  "--received",       received,
        "--channel",   "mail", "--applicant-type", "natural_person",
        "--applicant", "张三", "--request",        "某信息"};
  };
  // Scoped users file into their own agency without saying so.
  ASSERT_EQ(d.CliAs(p1, new_case("2023-03-01")).exit_code, 0);
  ASSERT_EQ(d.CliAs(p1, new_case("2023-03-02")).exit_code, 0);
  ASSERT_EQ(d.CliAs(e1, new_case("2023-03-03")).exit_code, 0);
  // An all-agency user must say which.
  EXPECT_THAT(d.CliAs(psb, new_case("2023-03-04")).err,
              HasSubstr("say which agency"));
  std::vector<std::string> other = new_case("2023-03-04");
  other.insert(other.end(), {"--agency", "psb"});
  EXPECT_THAT(d.CliAs(e1, other).err, HasSubstr("unknown agency 'psb'"));

  CommandResult p1_list = d.CliAs(p1, {"--json", "case", "list"});
  absl::StatusOr<Json> p1_cases = Json::Parse(p1_list.out);
  ASSERT_TRUE(p1_cases.ok());
  EXPECT_EQ(p1_cases->as_array().size(), 2u);
  // Another agency's case looks exactly like a missing one.
  CommandResult hidden = d.CliAs(e1, {"case", "show", "2023-0001"});
  EXPECT_THAT(hidden.err, HasSubstr("no case numbered '2023-0001'"));
  CommandResult answer = d.CliAs(e1, {"case", "answer", "2023-0001", "--date",
                                      "2023-03-10", "--outcome", "disclosed"});
  EXPECT_THAT(answer.err, HasSubstr("no case numbered"));

  auto new_total = [&](const std::string& token,
                       std::vector<std::string> extra) {
    std::vector<std::string> args = {"--json", "report", "--year", "2023"};
    args.insert(args.end(), extra.begin(), extra.end());
    CommandResult r = d.CliAs(token, args);
    absl::StatusOr<Json> j = Json::Parse(r.out);
    EXPECT_TRUE(j.ok()) << r.err;
    return j.ok() ? j->Find("requests")->Find("new")->Find("total")->as_int()
                  : -1;
  };
  EXPECT_EQ(new_total(p1, {}), 2);
  EXPECT_EQ(new_total(e1, {}), 1);
  EXPECT_EQ(new_total(psb, {}), 3);  // the whole government
  EXPECT_EQ(new_total(psb, {"--agency", "edu"}), 1);
  CommandResult cross =
      d.CliAs(e1, {"report", "--year", "2023", "--agency", "psb"});
  EXPECT_THAT(cross.err, HasSubstr("no agency 'psb'"));
  CommandResult named =
      d.CliAs(p1, {"--json", "report", "--year", "2023", "--agency", "psb"});
  EXPECT_THAT(named.out, HasSubstr("某市公安局"));
  CommandResult all_named =
      d.CliAs(psb, {"--json", "report", "--year", "2023"});
  EXPECT_THAT(all_named.out, HasSubstr("某市人民政府"));

  // Each department publishes its own report; only then is it frozen.
  ASSERT_EQ(
      d.CliAs(p1, {"report", "publish", "--year", "2023", "--agency", "psb"})
          .exit_code,
      0);
  EXPECT_THAT(d.CliAs(p1, {"report", "publish", "--year", "2023"}).err,
              HasSubstr("every agency may publish the combined report"));
  EXPECT_THAT(d.CliAs(p1, new_case("2023-05-05")).err,
              HasSubstr("is published"));
  EXPECT_EQ(d.CliAs(e1, new_case("2023-05-05")).exit_code,
            0);  // edu is not frozen
}

}  // namespace
}  // namespace gongkai::testing

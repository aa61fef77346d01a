#include "server/rpc/boundary.h"

#include "common/text_width.h"
#include "gongkai/v1/case_service.pb.h"
#include "gtest/gtest.h"

namespace gongkai::rpc {
namespace {

TEST(BoundaryTest, RepliesAreMadeUtf8InEveryNestedField) {
  v1::Case c;
  c.set_applicant("张\xff");
  c.set_request("fine");
  c.add_events()->set_summary("ok");
  c.add_events()->set_summary("bad \xc0\xaf");
  (*c.mutable_events(1)->mutable_details())["forced"] = "x\xfe";
  ASSERT_TRUE(HasInvalidUtf8Fields(c));
  EXPECT_EQ(ReplaceInvalidUtf8Fields(&c), 3);
  EXPECT_FALSE(HasInvalidUtf8Fields(c));
  EXPECT_EQ(c.applicant(), "张\xEF\xBF\xBD");
  EXPECT_EQ(c.request(), "fine");
  EXPECT_EQ(c.events(0).summary(), "ok");
  EXPECT_TRUE(IsValidUtf8(c.events(1).details().at("forced")));
}

TEST(BoundaryTest, OnlyCheckedAccountsAreNamedInTheLog) {
  EXPECT_EQ(CallerForLog(absl::UnauthenticatedError("no token")),
            "unauthenticated");
  EXPECT_EQ(CallerForLog(Caller::Trusted("mallory")),
            "unauthenticated claimed=\"mallory\"");
  Caller checked{"clerk1", Role::kClerk, {}};
  EXPECT_EQ(CallerForLog(checked), "clerk1");
}

TEST(BoundaryTest, StatusMessagesReachClientsTerminalSafe) {
  const grpc::Status s =
      ToGrpcStatus(absl::InvalidArgumentError("case '\x1b[2J\xff' is bad"));
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(s.error_message(), "case '\\x1b[2J\xEF\xBF\xBD' is bad");
}

}  // namespace
}  // namespace gongkai::rpc

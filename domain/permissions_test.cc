#include "domain/permissions.h"

#include <set>

#include "gtest/gtest.h"

namespace gongkai {
namespace {

TEST(PermissionsTest, RolesFollowTheirDuties) {
  EXPECT_TRUE(Allowed(Role::kClerk, "CreateCase"));
  EXPECT_FALSE(Allowed(Role::kClerk, "AnswerCase"));
  EXPECT_TRUE(Allowed(Role::kHandler, "AnswerCase"));
  EXPECT_FALSE(Allowed(Role::kHandler, "ExtendDeadline"));
  EXPECT_TRUE(Allowed(Role::kHead, "ExtendDeadline"));
  EXPECT_TRUE(Allowed(Role::kHead, "PublishReport"));
  EXPECT_FALSE(Allowed(Role::kAdmin, "AnswerCase"));
  EXPECT_TRUE(Allowed(Role::kAdmin, "CreateUser"));
  EXPECT_FALSE(Allowed(Role::kAuditor, "CreateCase"));
  EXPECT_TRUE(Allowed(Role::kAuditor, "ListAudit"));
  EXPECT_TRUE(Allowed(Role::kAuditor, "GetCase"));
  EXPECT_FALSE(Allowed(Role::kHead, "NoSuchMethod"));
}

TEST(PermissionsTest, EveryMethodListedOnceAndSomeoneMayCallIt) {
  std::set<std::string> seen;
  for (const MethodPermission& p : PermissionMatrix()) {
    EXPECT_TRUE(seen.insert(std::string(p.method)).second) << p.method;
    EXPECT_NE(p.roles, 0u) << p.method;
  }
}

TEST(PermissionsTest, SharedThingsNeedEveryAgency) {
  for (const char* method :
       {"LoadCalendar", "Backup", "CheckDatabase", "CreateAgency"}) {
    EXPECT_TRUE(NeedsEveryAgency(method)) << method;
  }
  // An agency's administrator still manages its own staff, figures and
  // imports.
  for (const char* method :
       {"CreateUser", "ListUsers", "DisableUser", "RotateToken", "EnableUser",
        "UpdateUser", "SetProactive", "ImportLedger", "ListAudit",
        "VerifyAudit", "GetCase"}) {
    EXPECT_FALSE(NeedsEveryAgency(method)) << method;
  }
  EXPECT_FALSE(NeedsEveryAgency("NoSuchMethod"));
}

TEST(PermissionsTest, Masking) {
  EXPECT_EQ(MaskSensitive("412801199001011234"), "4128**********1234");
  EXPECT_EQ(MaskSensitive("13800001234"), "138*****234");
  EXPECT_EQ(MaskSensitive("河南省驻马店市驿城区某路1号"),
            "河南省驻******某路1号");
  EXPECT_EQ(MaskSensitive("abc"), "***");
  EXPECT_EQ(MaskSensitive(""), "");
}

TEST(PermissionsTest, ParseRole) {
  EXPECT_EQ(*ParseRole("head"), Role::kHead);
  EXPECT_FALSE(ParseRole("boss").ok());
}

}  // namespace
}  // namespace gongkai

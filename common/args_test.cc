#include "common/args.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace gongkai {
namespace {

using ::testing::HasSubstr;

const FlagSpec kSpecs[] = {
    {"date", "DATE", "the date", true},
    {"json", "", "JSON output"},
    {"tag", "T", "a tag", false, true},
};

absl::StatusOr<ParsedArgs> Parse(std::vector<std::string> args) {
  return ParseArgs(args, kSpecs);
}

TEST(ArgsTest, ParsesFlagsAndPositionals) {
  auto p = Parse({"2023-0001", "--date", "2023-03-06", "--json", "--tag=a",
                  "--tag", "b", "--", "--literal"});
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_EQ(p->positional(),
            (std::vector<std::string>{"2023-0001", "--literal"}));
  EXPECT_EQ(p->Get("date"), "2023-03-06");
  EXPECT_TRUE(p->Has("json"));
  EXPECT_EQ(p->GetAll("tag"), (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(p->Get("missing", "x"), "x");
}

TEST(ArgsTest, Errors) {
  EXPECT_THAT(Parse({"--date"}).status().message(), HasSubstr("needs a value"));
  EXPECT_THAT(Parse({"--bogus", "--date", "x"}).status().message(),
              HasSubstr("unknown option --bogus"));
  EXPECT_THAT(Parse({}).status().message(),
              HasSubstr("missing required option --date"));
  EXPECT_THAT(Parse({"--date", "a", "--date", "b"}).status().message(),
              HasSubstr("more than once"));
  EXPECT_THAT(Parse({"--date", "a", "--json=1"}).status().message(),
              HasSubstr("takes no value"));
}

TEST(ArgsTest, HelpListsOptions) {
  std::string help = FormatFlagHelp(kSpecs);
  EXPECT_THAT(help, HasSubstr("--date DATE  the date (required)"));
  EXPECT_THAT(help, HasSubstr("--json"));
}

}  // namespace
}  // namespace gongkai

#include "common/json.h"

#include "gtest/gtest.h"

namespace gongkai {
namespace {

TEST(JsonTest, RoundTrip) {
  Json obj = Json::MakeObject();
  obj.Set("case_no", "2023-0001");
  obj.Set("due_on", nullptr);
  obj.Set("count", 3);
  obj.Set("ok", true);
  Json arr = Json::MakeArray();
  arr.Push("申请\n\"quoted\"");
  obj.Set("events", arr);
  std::string text = obj.Dump();
  EXPECT_EQ(text, R"({"case_no":"2023-0001","due_on":null,"count":3,"ok":true,)"
                  R"("events":["申请\n\"quoted\""]})");
  auto parsed = Json::Parse(text);
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(*parsed, obj);
  auto pretty = Json::Parse(obj.Dump(2));
  ASSERT_TRUE(pretty.ok());
  EXPECT_EQ(*pretty, obj);
}

TEST(JsonTest, UnicodeEscapes) {
  auto v = Json::Parse(R"("\u516c\u5f00 \ud83d\ude00")");
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(v->as_string(), "公开 \xF0\x9F\x98\x80");
}

TEST(JsonTest, RejectsMalformed) {
  for (const char* bad : {"", "{", "[1,]", "{\"a\" 1}", "\"abc", "tru",
                          "{\"a\":1}x", "\"\\ud800\"", "[\"\x01\"]"}) {
    EXPECT_FALSE(Json::Parse(bad).ok()) << bad;
  }
}

TEST(JsonTest, DeepNestingIsRefused) {
  std::string deep(1000, '[');
  EXPECT_FALSE(Json::Parse(deep).ok());
}

TEST(JsonTest, Numbers) {
  auto v = Json::Parse("[-12, 3.5, 1e3, 9007199254740993]");
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(v->as_array()[0].as_int(), -12);
  EXPECT_DOUBLE_EQ(v->as_array()[1].as_double(), 3.5);
  EXPECT_DOUBLE_EQ(v->as_array()[2].as_double(), 1000);
  EXPECT_EQ(v->as_array()[3].as_int(), 9007199254740993);
}

}  // namespace
}  // namespace gongkai

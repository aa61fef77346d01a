#include "common/json.h"

#include <cstdint>
#include <limits>
#include <string>

#include "absl/status/status.h"
#include "common/text_width.h"
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
  // 64 levels are fine, 65 are not, however the text goes on.
  EXPECT_TRUE(Json::Parse(std::string(64, '[') + std::string(64, ']')).ok());
  auto too_deep = Json::Parse(std::string(65, '[') + std::string(65, ']'));
  ASSERT_FALSE(too_deep.ok());
  EXPECT_NE(too_deep.status().message().find("nested more than 64"),
            std::string::npos)
      << too_deep.status();
}

TEST(JsonTest, ErrorsSayWhere) {
  auto v = Json::Parse("{\"a\": tru}");
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(v.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(v.status().message().find("invalid JSON at line 1, column 10"),
            std::string::npos)
      << v.status();
  EXPECT_EQ(v.status().message().find("json.exception"), std::string::npos)
      << v.status();
  auto multiline = Json::Parse("{\n  \"a\": 1,\n  \"b\": ]\n}");
  ASSERT_FALSE(multiline.ok());
  EXPECT_NE(multiline.status().message().find("line 3, column 8"),
            std::string::npos)
      << multiline.status();
  auto overflow = Json::Parse("[1e999]");
  ASSERT_FALSE(overflow.ok());
  EXPECT_NE(overflow.status().message().find("invalid JSON at byte 6"),
            std::string::npos)
      << overflow.status();
  // The message quotes the text, but never bytes that are not UTF-8.
  auto not_utf8 = Json::Parse("[\"\xFF\"]");
  ASSERT_FALSE(not_utf8.ok());
  EXPECT_TRUE(IsValidUtf8(not_utf8.status().message())) << not_utf8.status();
  EXPECT_NE(not_utf8.status().message().find("line 1, column 3"),
            std::string::npos)
      << not_utf8.status();
}

TEST(JsonTest, RejectsWhatJsonForbids) {
  for (const char* bad : {"01", "1.", ".5", "+1", "[1 2]", "{'a':1}", "NaN",
                          "\"\\x\"", "\"\\u12\"", "\"\\udc00\"", "1e999",
                          "\"\xC0\xAF\"", "\"\xFF\"", "// c\n1", "[1]]"}) {
    EXPECT_FALSE(Json::Parse(bad).ok()) << bad;
  }
  for (const char* good : {" 1 ", "-0", "0.0e0", "\"\\/\"", "[]", "{}",
                           "\"\\u0000\"", "null", "\"\xE2\x80\xA8\""}) {
    EXPECT_TRUE(Json::Parse(good).ok()) << good;
  }
}

TEST(JsonTest, RepeatedKeyKeepsPlaceTakesLastValue) {
  auto v = Json::Parse(R"({"a":1,"b":2,"a":3})");
  ASSERT_TRUE(v.ok()) << v.status();
  EXPECT_EQ(v->Dump(), R"({"a":3,"b":2})");
}

TEST(JsonTest, TextThatIsNotUtf8IsWrittenAsReplacementCharacters) {
  // Copying such bytes through would store text that no parser reads back.
  Json bad(
      std::string("a\xFF\xC0\xAF"
                  "b"));
  EXPECT_EQ(bad.Dump(),
            "\"a\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD"
            "b\"");
  EXPECT_TRUE(Json::Parse(bad.Dump()).ok());
}

TEST(JsonTest, Numbers) {
  auto v = Json::Parse("[-12, 3.5, 1e3, 9007199254740993]");
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(v->as_array()[0].as_int(), -12);
  EXPECT_DOUBLE_EQ(v->as_array()[1].as_double(), 3.5);
  EXPECT_DOUBLE_EQ(v->as_array()[2].as_double(), 1000);
  EXPECT_EQ(v->as_array()[3].as_int(), 9007199254740993);
  EXPECT_TRUE(v->as_array()[0].is_int());
  EXPECT_TRUE(v->as_array()[1].is_double());
  EXPECT_TRUE(v->as_array()[2].is_double());
}

TEST(JsonTest, EveryInt64ReadsBackExactly) {
  auto v = Json::Parse(
      "[9223372036854775807,-9223372036854775808,"
      "-1234567890123456789]");
  ASSERT_TRUE(v.ok()) << v.status();
  EXPECT_EQ(v->as_array()[0].as_int(), std::numeric_limits<int64_t>::max());
  EXPECT_EQ(v->as_array()[1].as_int(), std::numeric_limits<int64_t>::min());
  EXPECT_EQ(v->as_array()[2].as_int(), -1234567890123456789);
  // Past int64 a number can only be a double.
  auto big = Json::Parse("18446744073709551615");
  ASSERT_TRUE(big.ok()) << big.status();
  EXPECT_TRUE(big->is_double());
  EXPECT_DOUBLE_EQ(big->as_double(), 18446744073709551615.0);
}

// The audit trail's checksum chain hashes the compact Dump() of event details
// and published reports store Dump() text, so these bytes are frozen: a change
// here breaks every stored chain. Do not "fix" an expectation; fix the writer.
Json Representative() {
  Json o = Json::MakeObject();
  o.Set("case_no", "2023-0001");
  o.Set("agency", "驻马店市公安局");
  o.Set("request", "请提供\"二〇二三年\"道路维修预算\\明细\n第二行\t制表\r/");
  o.Set("control", std::string("\x00\x01\x08\x0c\x1b\x1f\x7f", 7));
  o.Set("separators", "a\u2028b\u2029c");
  o.Set("emoji", "😀");
  o.Set("due_on", nullptr);
  o.Set("late", true);
  o.Set("closed", false);
  Json ints = Json::MakeArray();
  for (int64_t v :
       {int64_t{0}, int64_t{-1}, int64_t{47},
        std::numeric_limits<int64_t>::min(),
        std::numeric_limits<int64_t>::max(), int64_t{9007199254740993}}) {
    ints.Push(v);
  }
  o.Set("ints", ints);
  Json doubles = Json::MakeArray();
  for (double v :
       {0.0, -0.0, 0.1, 3.5, -2.75, 12.34, 1000.0, 1e21, 1e300, 1e-7,
        123456789.125, 5e-324, std::numeric_limits<double>::quiet_NaN(),
        std::numeric_limits<double>::infinity()}) {
    doubles.Push(v);
  }
  o.Set("doubles", doubles);
  o.Set("empty_object", Json::MakeObject());
  o.Set("empty_array", Json::MakeArray());
  Json innermost = Json::MakeArray();
  innermost.Push("三");
  Json inner = Json::MakeArray();
  inner.Push(2);
  inner.Push(innermost);
  Json numbers = Json::MakeArray();
  numbers.Push(1);
  numbers.Push(inner);
  Json holds_object = Json::MakeArray();
  holds_object.Push(Json::MakeObject());
  Json a = Json::MakeArray();
  a.Push(Json::MakeArray());
  a.Push(holds_object);
  a.Push(numbers);
  Json deep = Json::MakeObject();
  deep.Set("深", "层");
  Json c = Json::MakeObject();
  c.Set("c", deep);
  Json nested = Json::MakeObject();
  nested.Set("a", a);
  nested.Set("b", c);
  o.Set("nested", nested);
  o.Set("", "empty key");
  return o;
}

TEST(JsonDumpTest, CompactBytesAreFrozen) {
  const std::string expected =
      R"({"case_no":"2023-0001","agency":"驻马店市公安局",)"
      R"("request":"请提供\"二〇二三年\"道路维修预算\\明细\n第二行\t制表\r/",)"
      R"("control":"\u0000\u0001\b\f\u001b\u001f)"
      "\x7f"
      R"(","separators":")"
      "a\u2028b\u2029c"
      R"(","emoji":"😀","due_on":null,"late":true,"closed":false,)"
      R"("ints":[0,-1,47,-9223372036854775808,9223372036854775807,)"
      R"(9007199254740993],)"
      R"("doubles":[0,-0,0.10000000000000001,3.5,-2.75,12.34,1000,1e+21,)"
      R"(1.0000000000000001e+300,9.9999999999999995e-08,123456789.125,)"
      R"(4.9406564584124654e-324,null,null],)"
      R"("empty_object":{},"empty_array":[],)"
      R"("nested":{"a":[[],[{}],[1,[2,["三"]]]],"b":{"c":{"深":"层"}}},)"
      R"("":"empty key"})";
  EXPECT_EQ(Representative().Dump(), expected);
}

TEST(JsonDumpTest, PrettyBytesAreFrozen) {
  const std::string expected =
      "{\n"
      "  \"case_no\": \"2023-0001\",\n"
      "  \"agency\": \"驻马店市公安局\",\n"
      R"(  "request": "请提供\"二〇二三年\"道路维修预算\\明细\n第二行\t制表\r/",)"
      "\n"
      R"(  "control": "\u0000\u0001\b\f\u001b\u001f)"
      "\x7f\",\n"
      "  \"separators\": \"a\u2028b\u2029c\",\n"
      "  \"emoji\": \"😀\",\n"
      "  \"due_on\": null,\n"
      "  \"late\": true,\n"
      "  \"closed\": false,\n"
      "  \"ints\": [\n"
      "    0,\n"
      "    -1,\n"
      "    47,\n"
      "    -9223372036854775808,\n"
      "    9223372036854775807,\n"
      "    9007199254740993\n"
      "  ],\n"
      "  \"doubles\": [\n"
      "    0,\n"
      "    -0,\n"
      "    0.10000000000000001,\n"
      "    3.5,\n"
      "    -2.75,\n"
      "    12.34,\n"
      "    1000,\n"
      "    1e+21,\n"
      "    1.0000000000000001e+300,\n"
      "    9.9999999999999995e-08,\n"
      "    123456789.125,\n"
      "    4.9406564584124654e-324,\n"
      "    null,\n"
      "    null\n"
      "  ],\n"
      "  \"empty_object\": {},\n"
      "  \"empty_array\": [],\n"
      "  \"nested\": {\n"
      "    \"a\": [\n"
      "      [],\n"
      "      [\n"
      "        {}\n"
      "      ],\n"
      "      [\n"
      "        1,\n"
      "        [\n"
      "          2,\n"
      "          [\n"
      "            \"三\"\n"
      "          ]\n"
      "        ]\n"
      "      ]\n"
      "    ],\n"
      "    \"b\": {\n"
      "      \"c\": {\n"
      "        \"深\": \"层\"\n"
      "      }\n"
      "    }\n"
      "  },\n"
      "  \"\": \"empty key\"\n"
      "}";
  EXPECT_EQ(Representative().Dump(2), expected);
}

TEST(JsonDumpTest, OtherIndentsAndScalarsAreFrozen) {
  Json o = Json::MakeObject();
  Json list = Json::MakeArray();
  list.Push(1);
  list.Push("二");
  o.Set("k", list);
  EXPECT_EQ(o.Dump(0), "{\n\"k\": [\n1,\n\"二\"\n]\n}");
  EXPECT_EQ(o.Dump(4), "{\n    \"k\": [\n        1,\n        \"二\"\n    ]\n}");
  EXPECT_EQ(Json().Dump(), "null");
  EXPECT_EQ(Json(-7).Dump(2), "-7");
  EXPECT_EQ(Json(0.5).Dump(), "0.5");
  EXPECT_EQ(Json("公开").Dump(2), "\"公开\"");
  EXPECT_EQ(Json::MakeObject().Dump(2), "{}");
  EXPECT_EQ(Json::MakeArray().Dump(2), "[]");
  std::string s;
  AppendJsonString(&s, "键\"\\\x01");
  EXPECT_EQ(s, "\"键\\\"\\\\\\u0001\"");
}

TEST(JsonDumpTest, RepresentativeValueSurvivesParse) {
  // NaN and infinity are written as null, so compare the re-dumped text
  // rather than the values.
  const std::string compact = Representative().Dump();
  auto parsed = Json::Parse(compact);
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  auto pretty = Json::Parse(Representative().Dump(2));
  ASSERT_TRUE(pretty.ok()) << pretty.status();
  EXPECT_EQ(*parsed, *pretty);
  EXPECT_EQ(parsed->Find("request")->as_string(),
            "请提供\"二〇二三年\"道路维修预算\\明细\n第二行\t制表\r/");
  EXPECT_EQ(parsed->Find("control")->as_string(),
            std::string("\x00\x01\x08\x0c\x1b\x1f\x7f", 7));
  EXPECT_EQ(parsed->Find("ints")->as_array()[3].as_int(),
            std::numeric_limits<int64_t>::min());
}

}  // namespace
}  // namespace gongkai

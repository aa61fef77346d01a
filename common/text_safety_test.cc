#include "common/text_safety.h"

#include "common/text_width.h"
#include "gtest/gtest.h"

namespace gongkai {
namespace {

TEST(ReplaceInvalidUtf8Test, KeepsValidTextAndReplacesEachBadByte) {
  EXPECT_EQ(ReplaceInvalidUtf8("张三 abc"), "张三 abc");
  EXPECT_EQ(ReplaceInvalidUtf8("a\xff"
                               "b"),
            "a\xEF\xBF\xBD"
            "b");
  // A truncated three-byte sequence: both bytes are replaced, the text
  // after them survives.
  EXPECT_EQ(ReplaceInvalidUtf8("\xE5\xBC"
                               "x"),
            "\xEF\xBF\xBD\xEF\xBF\xBD"
            "x");
  // Overlong "/" and a surrogate are not UTF-8 either.
  EXPECT_TRUE(IsValidUtf8(ReplaceInvalidUtf8("\xC0\xAF\xED\xA0\x80")));
  EXPECT_FALSE(IsValidUtf8("\xC0\xAF"));
}

TEST(SafeForTerminalTest, EscapesControlsAndTerminalSequences) {
  EXPECT_EQ(SafeForTerminal("\x1b[2Jgone", false), "\\x1b[2Jgone");
  EXPECT_EQ(SafeForTerminal(std::string("a\0b", 3), false), "a\\x00b");
  EXPECT_EQ(SafeForTerminal("\xC2\x9B"
                            "31m",
                            false),
            "\\x9b31m");  // CSI
  EXPECT_EQ(SafeForTerminal("abc\xE2\x80\xAE"
                            "fdp.exe",
                            false),
            "abc\\u202efdp.exe");
  EXPECT_EQ(SafeForTerminal("bad \xff", false), "bad \xEF\xBF\xBD");
  EXPECT_EQ(SafeForTerminal("申请内容", false), "申请内容");
}

TEST(SafeForTerminalTest, NewlinesOnlyWhereAllowed) {
  EXPECT_EQ(SafeForTerminal("one\ntwo\tx", true), "one\ntwo\tx");
  EXPECT_EQ(SafeForTerminal("one\ntwo\tx", false), "one\\x0atwo\\x09x");
  // A carriage return would let a line overwrite what precedes it.
  EXPECT_EQ(SafeForTerminal("real\rfake", true), "real\\x0dfake");
}

TEST(EscapeForLogTest, NothingStartsALineOfItsOwn) {
  const std::string forged =
      EscapeForLog("x.csv\n2026-01-01T00:00:00Z gongkaid: call Ok\r\x1b[1A");
  EXPECT_EQ(forged.find('\n'), std::string::npos);
  EXPECT_EQ(forged.find('\r'), std::string::npos);
  EXPECT_EQ(forged.find('\x1b'), std::string::npos);
  EXPECT_EQ(forged,
            "x.csv\\n2026-01-01T00:00:00Z gongkaid: call Ok\\r\\x1b[1A");
}

TEST(EscapeForLogTest, BadBytesAndBackslashesAreVisibleAndUnambiguous) {
  EXPECT_EQ(EscapeForLog("a\xff"), "a\\xff");
  EXPECT_EQ(EscapeForLog("C:\\x41"), "C:\\\\x41");
  EXPECT_EQ(EscapeForLog("line\xE2\x80\xA8sep"), "line\\u2028sep");
  EXPECT_EQ(EscapeForLog("国家税务总局 ok"), "国家税务总局 ok");
  EXPECT_TRUE(IsValidUtf8(EscapeForLog("\xfe\xff\xc0")));
}

}  // namespace
}  // namespace gongkai

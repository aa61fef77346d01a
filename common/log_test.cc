#include "common/log.h"

#include <stdlib.h>
#include <sys/stat.h>

#include <sstream>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"

namespace gongkai {
namespace {

const absl::Time kNow = absl::FromUnixSeconds(1767225600);  // 2026-01-01

TEST(LogWriterTest, JournaldGetsPriorityAndNoTimestamp) {
  std::ostringstream out;
  LogWriter log(out, /*journald=*/true);
  EXPECT_EQ(log.Format("serving on x", kNow), "<6>serving on x");
  EXPECT_EQ(log.Format("error: alert hook failed", kNow),
            "<3>error: alert hook failed");
  EXPECT_EQ(log.Format("cannot start: busy", kNow), "<3>cannot start: busy");
  EXPECT_EQ(log.Format("TESTING: today is fixed", kNow),
            "<4>TESTING: today is fixed");
  EXPECT_EQ(log.Format(WithPriority(kLogError, "call X status=INTERNAL"), kNow),
            "<3>call X status=INTERNAL");
}

TEST(LogWriterTest, ElsewhereATimestampAndThePriorityInWords) {
  std::ostringstream out;
  LogWriter log(out, /*journald=*/false);
  const std::string info = log.Format("serving on x", kNow);
  EXPECT_EQ(info.find('<'), std::string::npos);
  EXPECT_NE(info.find("2026-01-01"), std::string::npos) << info;
  EXPECT_NE(info.find("gongkaid: serving on x"), std::string::npos);
  EXPECT_NE(log.Format("<3>call X", kNow).find("gongkaid: error: call X"),
            std::string::npos);
  // Not "error: error:".
  EXPECT_EQ(log.Format("error: x", kNow).find("error: error"),
            std::string::npos);
}

TEST(LogWriterTest, WritesOneEscapedLinePerCall) {
  std::ostringstream out;
  LogWriter log(out, /*journald=*/true);
  log("ledger evil.csv\n<3>gongkaid: forged\x1b[2K: 3 cases imported");
  log("<9x");
  const std::string text = out.str();
  EXPECT_EQ(text,
            "<6>ledger evil.csv\\n<3>gongkaid: forged\\x1b[2K: 3 "
            "cases imported\n<6><9x\n");
}

TEST(IsJournalStreamTest, ComparesDeviceAndInode) {
  // A file stands in for the journal's socket.
  char path[] = "/tmp/gongkai_log_testXXXXXX";
  const int fd = mkstemp(path);
  ASSERT_GE(fd, 0);
  struct stat st;
  ASSERT_EQ(fstat(fd, &st), 0);
  unsetenv("JOURNAL_STREAM");
  EXPECT_FALSE(IsJournalStream(fd));
  setenv("JOURNAL_STREAM", absl::StrCat(st.st_dev, ":", st.st_ino).c_str(), 1);
  EXPECT_TRUE(IsJournalStream(fd));
  // Inherited by a child whose stderr went elsewhere: not the journal.
  setenv("JOURNAL_STREAM", absl::StrCat(st.st_dev, ":", st.st_ino + 1).c_str(),
         1);
  EXPECT_FALSE(IsJournalStream(fd));
  setenv("JOURNAL_STREAM", "garbage", 1);
  EXPECT_FALSE(IsJournalStream(fd));
  unsetenv("JOURNAL_STREAM");
  close(fd);
  unlink(path);
}

}  // namespace
}  // namespace gongkai

#include "common/log.h"

#include <sys/stat.h>

#include <cstdlib>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/dates.h"
#include "common/text_safety.h"

namespace gongkai {
namespace {

// Takes a leading "<N>" off `line` and returns N, or -1 when there is none.
int TakePriority(absl::string_view* line) {
  if (line->size() >= 3 && (*line)[0] == '<' && (*line)[2] == '>' &&
      absl::ascii_isdigit(static_cast<unsigned char>((*line)[1]))) {
    const int priority = (*line)[1] - '0';
    line->remove_prefix(3);
    return priority;
  }
  return -1;
}

int GuessPriority(absl::string_view line) {
  if (absl::StartsWith(line, "error") || absl::StartsWith(line, "cannot")) {
    return kLogError;
  }
  if (absl::StartsWith(line, "warning") || absl::StartsWith(line, "TESTING")) {
    return kLogWarning;
  }
  return kLogInfo;
}

absl::string_view PriorityName(int priority) {
  if (priority <= kLogError) return "error: ";
  if (priority == kLogWarning) return "warning: ";
  return "";
}

}  // namespace

bool IsJournalStream(int fd) {
  const char* value = std::getenv("JOURNAL_STREAM");
  if (value == nullptr) return false;
  std::pair<std::string, std::string> parts = absl::StrSplit(value, ':');
  uint64_t device = 0, inode = 0;
  if (!absl::SimpleAtoi(parts.first, &device) ||
      !absl::SimpleAtoi(parts.second, &inode)) {
    return false;
  }
  struct stat st;
  if (fstat(fd, &st) != 0) return false;
  return static_cast<uint64_t>(st.st_dev) == device &&
         static_cast<uint64_t>(st.st_ino) == inode;
}

std::string WithPriority(int priority, absl::string_view line) {
  return absl::StrCat("<", priority, ">", line);
}

std::string LogWriter::Format(absl::string_view line, absl::Time now) const {
  int priority = TakePriority(&line);
  if (priority < 0) priority = GuessPriority(line);
  const std::string body = EscapeForLog(line);
  if (journald_) {
    // The journal names the program itself.
    return absl::StrCat("<", priority, ">", body);
  }
  // Lines that already say "error:" are not told twice.
  absl::string_view name = PriorityName(priority);
  if (absl::StartsWith(line, "error") || absl::StartsWith(line, "warning")) {
    name = "";
  }
  return absl::StrCat(FormatTimestamp(now), " ", program_, ": ", name, body);
}

void LogWriter::operator()(absl::string_view line) {
  const std::string out = absl::StrCat(Format(line, absl::Now()), "\n");
  // One write per line: stderr is unbuffered, and a line written in parts
  // costs a system call per part and may interleave with another thread's.
  std::lock_guard<std::mutex> lock(mu_);
  err_.write(out.data(), static_cast<std::streamsize>(out.size()));
  err_.flush();
}

}  // namespace gongkai

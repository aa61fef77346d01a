// The daemon's one log: every line any part of gongkaid logs goes through a
// LogWriter, which escapes it (EscapeForLog) so that no text a client sent,
// an import's source name or a backup path, can start a line of its own,
// and writes it with a syslog priority.
//
// Under journald (stderr is the stream named by $JOURNAL_STREAM) each line
// starts with the sd-daemon(3) priority prefix ("<3>", "<4>", "<6>") and
// carries no timestamp, since the journal keeps its own. Otherwise (a
// terminal, a file) it starts with an RFC 3339 timestamp and the priority's
// name when it is not plain information.
//
// Callers may start a line with "<N>" to give its priority; without one, a
// line starting with "error" or "cannot" is an error, one starting with
// "warning" or "TESTING" a warning, anything else information.
//
// Thread-safe: one write per line under a mutex, so lines from concurrent
// calls never interleave.
#ifndef GONGKAI_COMMON_LOG_H_
#define GONGKAI_COMMON_LOG_H_

#include <mutex>
#include <ostream>
#include <string>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace gongkai {

// sd-daemon(3) priorities, the subset gongkaid uses.
inline constexpr int kLogError = 3;    // SD_ERR
inline constexpr int kLogWarning = 4;  // SD_WARNING
inline constexpr int kLogInfo = 6;     // SD_INFO

// True when file descriptor `fd` is the journal stream systemd connected it
// to: $JOURNAL_STREAM ("device:inode") names the same file.
bool IsJournalStream(int fd);

// "<N>" + `line` for a caller that knows the priority.
std::string WithPriority(int priority, absl::string_view line);

class LogWriter {
 public:
  // `journald`: write for the journal (priority prefix, no timestamp).
  LogWriter(std::ostream& err, bool journald, std::string program = "gongkaid")
      : err_(err), journald_(journald), program_(std::move(program)) {}

  LogWriter(const LogWriter&) = delete;
  LogWriter& operator=(const LogWriter&) = delete;

  void operator()(absl::string_view line);

  // The text written for `line` at `now`, without the trailing newline.
  std::string Format(absl::string_view line, absl::Time now) const;

 private:
  std::mutex mu_;
  std::ostream& err_;
  const bool journald_;
  const std::string program_;
};

}  // namespace gongkai

#endif  // GONGKAI_COMMON_LOG_H_

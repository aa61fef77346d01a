#include "storage/sqlite/case_no_mark.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace gongkai::storage {
namespace {

constexpr char kHeader[] =
    "# gongkai: the highest case number issued or reserved by each sequence "
    "(sequence, year, number).\n"
    "# Keep this file when restoring a backup of the database: numbering "
    "continues past it.\n";

absl::Status Failed(absl::string_view what, const std::string& path) {
  return absl::FailedPreconditionError(absl::StrCat(
      "cannot ", what, " the case-number mark ", path, ": ", strerror(errno)));
}

std::string Directory(const std::string& path) {
  const size_t slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

}  // namespace

std::string CaseNoMark::PathFor(const std::string& db_path) {
  return absl::StrCat(db_path, ".case-numbers");
}

absl::StatusOr<std::unique_ptr<CaseNoMark>> CaseNoMark::Open(
    const std::string& path) {
  std::unique_ptr<CaseNoMark> mark(new CaseNoMark(path));
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    if (errno == ENOENT) return mark;
    return Failed("read", path);
  }
  std::string line;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    absl::string_view text = absl::StripAsciiWhitespace(line);
    if (text.empty() || text[0] == '#') continue;
    std::vector<absl::string_view> words =
        absl::StrSplit(text, ' ', absl::SkipEmpty());
    int year = 0;
    int64_t n = 0;
    if (words.size() != 3 || !absl::SimpleAtoi(words[1], &year) ||
        !absl::SimpleAtoi(words[2], &n) || n < 0) {
      return absl::FailedPreconditionError(absl::StrCat(
          "the case-number mark ", path, " line ", number,
          " is not 'SEQUENCE YEAR NUMBER'; restore it from the machine's "
          "file backup or, knowing the highest numbers issued, write them "
          "there"));
    }
    int64_t& kept = mark->reserved_[{std::string(words[0]), year}];
    kept = std::max(kept, n);
  }
  // Which numbers of a reservation were issued before the last stop is not
  // known (a clean stop wrote them exactly): treat all as issued.
  mark->issued_ = mark->reserved_;
  return mark;
}

CaseNoMark::~CaseNoMark() { (void)Close(); }

int64_t CaseNoMark::Highest(const std::string& sequence, int year) const {
  auto it = issued_.find({sequence, year});
  return it == issued_.end() ? 0 : it->second;
}

absl::StatusOr<std::optional<CaseNoMark::Raised>> CaseNoMark::Raise(
    const std::string& sequence, int year, int64_t n) {
  const int64_t before = Highest(sequence, year);
  if (n <= before) return std::nullopt;
  const std::pair<std::string, int> key(sequence, year);
  auto reserved = reserved_.find(key);
  if (reserved == reserved_.end() || reserved->second < n) {
    // Past the reservation: reserve the next block, durably, before the
    // number can be committed.
    Marks next = reserved_;
    next[key] = n + kReserveBlock - 1;
    if (absl::Status s = WriteFile(next); !s.ok()) return s;
    reserved_ = std::move(next);
  }
  issued_[key] = n;
  return Raised{sequence, year, before, n};
}

void CaseNoMark::Undo(const std::vector<Raised>& raised) {
  for (auto it = raised.rbegin(); it != raised.rend(); ++it) {
    if (Highest(it->sequence, it->year) != it->after) continue;
    if (it->before == 0) {
      issued_.erase({it->sequence, it->year});
    } else {
      issued_[{it->sequence, it->year}] = it->before;
    }
  }
}

absl::Status CaseNoMark::Close() {
  // A sequence whose every raise was taken back gets no line, which reads
  // as 0, as before its first raise.
  if (issued_ == reserved_) return absl::OkStatus();
  Marks exact = issued_;
  if (absl::Status s = WriteFile(exact); !s.ok()) return s;
  reserved_ = std::move(exact);
  return absl::OkStatus();
}

absl::Status CaseNoMark::WriteFile(const Marks& marks) {
  ++file_writes_;
  std::string text = kHeader;
  for (const auto& [key, n] : marks) {
    absl::StrAppend(&text, key.first, " ", key.second, " ", n, "\n");
  }
  const std::string tmp = absl::StrCat(path_, ".new");
  // Replaces a leftover of a crash between write and rename. 0660 less the
  // umask's bits, as the database itself (0600, or 0660 with group access).
  const int fd = open(
      tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0660);
  if (fd < 0) return Failed("write", tmp);
  const bool written = write(fd, text.data(), text.size()) ==
                           static_cast<ssize_t>(text.size()) &&
                       fsync(fd) == 0;
  const int saved = errno;
  close(fd);
  if (!written) {
    errno = saved;
    unlink(tmp.c_str());
    return Failed("write", tmp);
  }
  if (rename(tmp.c_str(), path_.c_str()) != 0) {
    const absl::Status s = Failed("replace", path_);
    unlink(tmp.c_str());
    return s;
  }
  // The rename itself is durable only once the folder is synced.
  const int dir = open(Directory(path_).c_str(), O_RDONLY | O_DIRECTORY);
  if (dir < 0) return Failed("sync the folder of", path_);
  const bool synced = fsync(dir) == 0;
  close(dir);
  if (!synced) return Failed("sync the folder of", path_);
  return absl::OkStatus();
}

}  // namespace gongkai::storage

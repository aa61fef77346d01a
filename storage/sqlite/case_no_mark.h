// CaseNoMark: the highest case number ever issued by each number sequence,
// kept in a small file beside the database ("gongkai.db.case-numbers") so
// that restoring an older copy of the database cannot hand the same number
// out again. The database's own counters (case_no_sequences and
// case_no_counters) roll back with a restore; this file does not, and the
// next number is always past both.
//
// A number is raised here, written to a new file, fsynced and renamed over
// the old one, before the transaction that issues it commits: a crash leaves
// at worst a gap, never a number issued twice. A write that is rolled back
// undoes its raise (Undo), so a refused case does not use up its number
// unless another write took a later one meanwhile. Restoring does not touch
// the file (docs/operations.md).
//
// Thread safety: not thread-safe on its own; the store uses it only with
// its connection lock held (from write transactions).
#ifndef GONGKAI_STORAGE_SQLITE_CASE_NO_MARK_H_
#define GONGKAI_STORAGE_SQLITE_CASE_NO_MARK_H_

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace gongkai::storage {

class CaseNoMark {
 public:
  // The file beside the database at `db_path`.
  static std::string PathFor(const std::string& db_path);

  // Reads `path` (a missing file is an empty one). FAILED_PRECONDITION for
  // a file that cannot be read or is not in the format Raise writes: without
  // it numbers could be issued twice, so the store refuses to open.
  static absl::StatusOr<std::unique_ptr<CaseNoMark>> Open(
      const std::string& path);

  // The highest number issued by `sequence` ("default", or "agency:CODE")
  // in `year`; 0 when none is recorded.
  int64_t Highest(const std::string& sequence, int year) const;

  // One raise, as Raise made it, for Undo.
  struct Raised {
    std::string sequence;
    int year = 0;
    int64_t before = 0;
    int64_t after = 0;
  };

  // Records that `n` is issued; durable when it returns OK. Lower numbers
  // change nothing (and return nullopt).
  absl::StatusOr<std::optional<Raised>> Raise(const std::string& sequence,
                                              int year, int64_t n);
  // Takes back the raises of a write that was rolled back, latest first;
  // each only while no later raise has gone past it. Best effort: a raise
  // left in place is only a gap in the numbers.
  void Undo(const std::vector<Raised>& raised);

  const std::string& path() const { return path_; }

 private:
  explicit CaseNoMark(std::string path) : path_(std::move(path)) {}
  absl::Status WriteFile(
      const std::map<std::pair<std::string, int>, int64_t>& marks) const;

  const std::string path_;
  std::map<std::pair<std::string, int>, int64_t> marks_;
};

}  // namespace gongkai::storage

#endif  // GONGKAI_STORAGE_SQLITE_CASE_NO_MARK_H_

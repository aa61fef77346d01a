// CaseNoMark: the highest case number ever issued by each number sequence,
// kept in a small file beside the database ("gongkai.db.case-numbers") so
// that restoring an older copy of the database cannot hand the same number
// out again. The database's own counters (case_no_sequences and
// case_no_counters) roll back with a restore; this file does not, and the
// next number is always past both.
//
// The file holds, per sequence, a number at or above every number issued:
// a number is issued only once the file covers it, so a crash or a restore
// leaves at worst a gap, never a number issued twice. Writing the file
// (write, fsync, rename, fsync of the folder) costs two disk flushes, too
// many to pay for every case, so a raise past what the file covers reserves
// a block of numbers (kReserveBlock) at once; the numbers of a block are
// then issued one by one without touching the disk. Closing the mark
// (Close, or the destructor) writes the numbers actually issued, so a clean
// restart continues without a gap; only a crash leaves the rest of a block
// unused. A write that is rolled back undoes its raise (Undo), in memory:
// a refused case does not use up its number unless another write took a
// later one meanwhile. Restoring does not touch the file
// (docs/operations.md).
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

  // Numbers reserved by one write of the file.
  static constexpr int64_t kReserveBlock = 64;

  // The highest number issued by `sequence` ("default", or "agency:CODE")
  // in `year`; 0 when none is recorded. Right after Open, after a crash,
  // this is the end of the block that was reserved: which of its numbers
  // were issued is not known, so none is issued again.
  int64_t Highest(const std::string& sequence, int year) const;

  // One raise, as Raise made it, for Undo.
  struct Raised {
    std::string sequence;
    int year = 0;
    int64_t before = 0;
    int64_t after = 0;
  };

  // Records that `n` is issued; the file covers it (durably) when this
  // returns OK, having reserved n .. n + kReserveBlock - 1 if it did not
  // already. Lower numbers change nothing (and return nullopt).
  absl::StatusOr<std::optional<Raised>> Raise(const std::string& sequence,
                                              int year, int64_t n);
  // Takes back the raises of a write that was rolled back, latest first;
  // each only while no later raise has gone past it. The reservation stays
  // in the file: the numbers are issued later from it.
  void Undo(const std::vector<Raised>& raised);

  // Writes the numbers issued, giving back what is reserved beyond them,
  // so that the next start continues without a gap. Call only once no
  // write is in progress (the store does on closing). A failure leaves the
  // reservation in place, which is safe: a gap at worst.
  absl::Status Close();
  // Closes (ignoring a failure, see Close).
  ~CaseNoMark();

  // Times the file was written since Open (for tests and benchmarks).
  int64_t file_writes() const { return file_writes_; }

  const std::string& path() const { return path_; }

 private:
  using Marks = std::map<std::pair<std::string, int>, int64_t>;

  explicit CaseNoMark(std::string path) : path_(std::move(path)) {}
  absl::Status WriteFile(const Marks& marks);

  const std::string path_;
  // What the file holds: the end of each sequence's reservation.
  Marks reserved_;
  // The highest number issued (or, for a sequence untouched since Open,
  // what the file held then); never above reserved_.
  Marks issued_;
  int64_t file_writes_ = 0;
};

}  // namespace gongkai::storage

#endif  // GONGKAI_STORAGE_SQLITE_CASE_NO_MARK_H_

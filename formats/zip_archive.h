// Reading the parts of a zip archive held in memory (an .xlsx or a .docx is
// one), for files that may come from anyone: every part is unpacked only up
// to a budget shared by the whole archive, counted as it is unpacked (the
// sizes an archive declares may lie), so a "zip bomb" is refused.
//
// Errors are INVALID_ARGUMENT in both languages and say what is wrong with
// the archive ("缺少 word/document.xml"); callers put in front what the file
// was meant to be. over_budget() tells a refusal for size apart from damage.
//
// One ZipArchive per thread: libzip's handle is not shared.
#ifndef GONGKAI_FORMATS_ZIP_ARCHIVE_H_
#define GONGKAI_FORMATS_ZIP_ARCHIVE_H_

#include <cstdint>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

struct zip;

namespace gongkai {

class ZipArchive {
 public:
  // Opens the archive in `bytes`, which must outlive it.
  static absl::StatusOr<ZipArchive> Open(absl::string_view bytes,
                                         int64_t budget);

  ZipArchive(ZipArchive&&) = default;
  ZipArchive& operator=(ZipArchive&&) = default;

  bool Has(const std::string& name) const;
  // The unpacked bytes of the part `name`.
  absl::StatusOr<std::string> Read(const std::string& name);
  // True once a Read was refused because the budget ran out.
  bool over_budget() const { return budget_ < 0; }

 private:
  struct Closer {
    void operator()(struct zip* z) const;
  };
  ZipArchive(std::unique_ptr<struct zip, Closer> zip, int64_t budget)
      : zip_(std::move(zip)), budget_(budget) {}

  std::unique_ptr<struct zip, Closer> zip_;
  int64_t budget_;
};

}  // namespace gongkai

#endif  // GONGKAI_FORMATS_ZIP_ARCHIVE_H_

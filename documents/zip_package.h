// An OOXML package (a DOCX is one) as the list of its parts: the zip read
// into memory and written back. Writing is deterministic: the parts keep
// their order, every entry gets the same fixed timestamp and is deflated, so
// the same parts always give byte-identical bytes (a document generated again
// has the same checksum). Reading refuses what is not a zip and caps the
// unpacked size, so a hostile upload cannot exhaust memory.
//
// Thread safety: pure functions on values; libzip is used on per-call
// handles only.
#ifndef GONGKAI_DOCUMENTS_ZIP_PACKAGE_H_
#define GONGKAI_DOCUMENTS_ZIP_PACKAGE_H_

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace gongkai::documents {

struct Part {
  std::string name;  // "word/document.xml"
  std::string data;
};

class Package {
 public:
  // The part called `name`, or null.
  const Part* Find(absl::string_view name) const;
  Part* Find(absl::string_view name);
  // Replaces the part called `name`, or appends it.
  void Put(absl::string_view name, std::string data);

  std::vector<Part>& parts() { return parts_; }
  const std::vector<Part>& parts() const { return parts_; }

 private:
  std::vector<Part> parts_;
};

// The unpacked size above which a package is refused (a DOCX template is a
// few hundred kilobytes; images included, a few megabytes).
inline constexpr size_t kMaxPackageBytes = 64 << 20;

// The parts of the zip `bytes`, in the zip's order. INVALID_ARGUMENT (zh+en)
// when `bytes` is not a readable zip or unpacks to more than
// kMaxPackageBytes.
absl::StatusOr<Package> ReadPackage(absl::string_view bytes);

// The zip of `package`'s parts, in order, deflated, dated 1980-01-01.
absl::StatusOr<std::string> WritePackage(const Package& package);

}  // namespace gongkai::documents

#endif  // GONGKAI_DOCUMENTS_ZIP_PACKAGE_H_

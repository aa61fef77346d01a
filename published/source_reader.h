// Reading a published annual report from the bytes of a file: CSV (UTF-8,
// GBK/GB18030, UTF-16), tab-separated text, XLSX, the HTML of a report page
// and DOCX, each into one Source (source.h). The format is detected from
// the bytes; the file name is only a hint.
//
// Pure functions; safe from any thread.
#ifndef GONGKAI_PUBLISHED_SOURCE_READER_H_
#define GONGKAI_PUBLISHED_SOURCE_READER_H_

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "published/source.h"

namespace gongkai::published {

// INVALID_ARGUMENT (in both languages) when the bytes are no format read
// here.
absl::StatusOr<Source> ReadSource(absl::string_view bytes,
                                  absl::string_view file_name);

}  // namespace gongkai::published

#endif  // GONGKAI_PUBLISHED_SOURCE_READER_H_

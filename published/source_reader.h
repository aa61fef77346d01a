// Reads a published annual report from the bytes of the file an office put
// online, in whichever format it came: CSV (UTF-8 with or without a byte-
// order mark, GBK/GB18030, UTF-16 LE/BE; comma, tab or semicolon separated),
// text copied from a report page (tab-separated rows among running text),
// XLSX, the HTML of the report page, and DOCX.
//
// The format is told from the bytes, the file name serving only as a hint:
// a zip holding word/document.xml is DOCX, one holding xl/workbook.xml is
// XLSX; markup (<html, <table, <!DOCTYPE) is HTML; other text is CSV or
// tab-separated text. What comes out is one Source (published/source.h):
// every table as a grid with merged cells expanded, and the running text.
//
// Readers keep every cell's text exactly as published: no trimming, no
// mapping of full-width digits or NBSP, no dropping of "/" or empty cells;
// recognising what a cell means is the checker's job. The one exception is
// what a browser does to HTML source: runs of ASCII white space are shown as
// one space, and a cell's leading and trailing ones are not shown at all.
//
// Errors are INVALID_ARGUMENT LocalizedErrors that tell a reviewer what to
// do ("不是 CSV、XLSX、HTML 或 DOCX 文件…"). Damaged or hostile files (a zip
// bomb, a colspan of a million, an entity) are refused, never a crash.
//
// Pure functions; safe from any thread.
#ifndef GONGKAI_PUBLISHED_SOURCE_READER_H_
#define GONGKAI_PUBLISHED_SOURCE_READER_H_

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "published/source.h"

namespace gongkai::published {

// The report in `bytes`; `file_name` (a path or a bare name) becomes
// Source::file_name and is a hint where the bytes leave the format open
// (".csv" keeps a tab-separated file a single table).
absl::StatusOr<Source> ReadSource(absl::string_view bytes,
                                  absl::string_view file_name);

// The largest table a reader builds (cells, merged copies included), and the
// most a DOCX or XLSX may unpack to: far above any annual report, far below
// what would exhaust a reviewer's machine.
inline constexpr size_t kMaxGridCells = 1'000'000;
inline constexpr int64_t kMaxUnpackedBytes = int64_t{256} << 20;

}  // namespace gongkai::published

#endif  // GONGKAI_PUBLISHED_SOURCE_READER_H_

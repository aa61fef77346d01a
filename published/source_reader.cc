#include "published/source_reader.h"

#include <algorithm>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "common/lang.h"
#include "formats/text_encoding.h"
#include "formats/xlsx_reader.h"
#include "formats/zip_archive.h"
#include "published/source_internal.h"

namespace gongkai::published {
namespace internal {

absl::Status SpanGrid::Place(size_t row, size_t col, size_t rows, size_t cols,
                             const std::string& text, bool all_copies) {
  rows = std::max<size_t>(rows, 1);
  cols = std::max<size_t>(cols, 1);
  // Counted before anything is allocated: a colspan of a million is refused
  // here, not by the allocator.
  if (rows > kMaxGridCells || cols > kMaxGridCells ||
      rows * cols > kMaxGridCells - std::min(cells_, kMaxGridCells) ||
      row + rows > kMaxGridCells || col + cols > kMaxGridCells) {
    return TooLarge();
  }
  if (rows_.size() < row + rows) rows_.resize(row + rows);
  for (size_t r = row; r < row + rows; ++r) {
    std::vector<std::optional<Cell>>& line = rows_[r];
    if (line.size() < col + cols) line.resize(col + cols);
    for (size_t c = col; c < col + cols; ++c) {
      if (line[c].has_value()) continue;
      line[c] = Cell{text, all_copies || r != row || c != col};
      ++cells_;
    }
  }
  return absl::OkStatus();
}

bool SpanGrid::Taken(size_t row, size_t col) const {
  return row < rows_.size() && col < rows_[row].size() &&
         rows_[row][col].has_value();
}

const std::string& SpanGrid::TextAt(size_t row, size_t col) const {
  static const std::string* const kEmpty = new std::string();
  return Taken(row, col) ? rows_[row][col]->text : *kEmpty;
}

void SpanGrid::AddRow(size_t row) {
  if (rows_.size() <= row) rows_.resize(row + 1);
}

std::vector<std::vector<Cell>> SpanGrid::Finish() && {
  size_t width = 0;
  for (const auto& line : rows_) width = std::max(width, line.size());
  std::vector<std::vector<Cell>> out(rows_.size());
  for (size_t r = 0; r < rows_.size(); ++r) {
    out[r].resize(width);
    for (size_t c = 0; c < rows_[r].size(); ++c) {
      if (rows_[r][c].has_value()) out[r][c] = std::move(*rows_[r][c]);
    }
  }
  rows_.clear();
  cells_ = 0;
  return out;
}

namespace {
void Silent(void*, const char*, ...) {}
}  // namespace

QuietLibxml::QuietLibxml()
    : saved_handler_(xmlGenericError), saved_context_(xmlGenericErrorContext) {
  xmlSetGenericErrorFunc(nullptr, &Silent);
}

QuietLibxml::~QuietLibxml() {
  xmlSetGenericErrorFunc(saved_context_,
                         reinterpret_cast<xmlGenericErrorFunc>(saved_handler_));
}

bool ShowsNothing(absl::string_view text) {
  while (!text.empty()) {
    if (absl::ascii_isspace(static_cast<unsigned char>(text.front()))) {
      text.remove_prefix(1);
    } else if (absl::ConsumePrefix(&text, "\u00A0") ||
               absl::ConsumePrefix(&text, "\u3000")) {
    } else {
      return false;
    }
  }
  return true;
}

void NameTable(int number, Grid* grid) {
  grid->where = absl::StrCat("第 ", number, " 个表格");
  grid->where_en = absl::StrCat("table ", number);
}

absl::Status TooLarge() {
  return LocalizedError(
      absl::StatusCode::kInvalidArgument,
      absl::StrCat("文件中的表格过大（超过 ", kMaxGridCells,
                   " 个单元格），不是一份年度报告的表格；请检查文件是否正确"),
      absl::StrCat("a table in the file is too large (more than ",
                   kMaxGridCells,
                   " cells) to be an annual report's; check that this is "
                   "the right file"));
}

std::string LowerExtension(absl::string_view file_name) {
  size_t slash = file_name.find_last_of("/\\");
  if (slash != absl::string_view::npos) file_name.remove_prefix(slash + 1);
  size_t dot = file_name.rfind('.');
  if (dot == absl::string_view::npos) return "";
  return absl::AsciiStrToLower(file_name.substr(dot + 1));
}

std::string ShortEncodingName(TextEncoding encoding) {
  switch (encoding) {
    case TextEncoding::kUtf8:
    case TextEncoding::kUtf8Bom:
      return "UTF-8";
    case TextEncoding::kGb18030:
      return "GB18030";
    case TextEncoding::kUtf16Le:
      return "UTF-16LE";
    case TextEncoding::kUtf16Be:
      return "UTF-16BE";
  }
  return "UTF-8";
}

}  // namespace internal

namespace {

constexpr absl::string_view kWhatZh = "不是 CSV、XLSX、HTML 或 DOCX 文件：";
constexpr absl::string_view kWhatEn = "not a CSV, XLSX, HTML or DOCX file: ";
constexpr absl::string_view kAskZh =
    "；请提供报告网页（另存为 HTML）、Word 文档（.docx）、Excel 工作簿"
    "（.xlsx）或 CSV 文件";
constexpr absl::string_view kAskEn =
    "; give the report's web page (saved as HTML), a Word document (.docx), "
    "an Excel workbook (.xlsx) or a CSV file";

absl::Status NotAReport(absl::string_view zh, absl::string_view en) {
  return LocalizedError(absl::StatusCode::kInvalidArgument,
                        absl::StrCat(kWhatZh, zh, kAskZh),
                        absl::StrCat(kWhatEn, en, kAskEn));
}

// Markup of a web page: "<" first (after white space), and an element only
// a page has near the start.
bool LooksLikeHtml(absl::string_view text, absl::string_view extension) {
  text = absl::StripLeadingAsciiWhitespace(text);
  if (!absl::StartsWith(text, "<")) return false;
  if (extension == "html" || extension == "htm" || extension == "shtml" ||
      extension == "xhtml") {
    return true;
  }
  const std::string head = absl::AsciiStrToLower(text.substr(0, 4096));
  for (absl::string_view tag :
       {"<html", "<table", "<!doctype html", "<head", "<body", "<meta"}) {
    if (absl::StrContains(head, tag)) return true;
  }
  return false;
}

// Text has no NUL and few control characters; a binary file read as
// GB18030 has many.
bool LooksLikeText(absl::string_view text) {
  size_t control = 0;
  for (char c : text) {
    const unsigned char u = static_cast<unsigned char>(c);
    if (u == 0) return false;
    if (u < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f') {
      ++control;
    }
  }
  return control * 100 <= text.size();
}

absl::StatusOr<Source> ReadZip(absl::string_view bytes) {
  absl::StatusOr<ZipArchive> zip = ZipArchive::Open(bytes, kMaxUnpackedBytes);
  if (!zip.ok()) {
    return NotAReport(MessageIn(zip.status(), Lang::kZh),
                      MessageIn(zip.status(), Lang::kEn));
  }
  if (zip->Has("word/document.xml")) return internal::ReadDocx(bytes);
  if (zip->Has("xl/workbook.xml")) return internal::ReadXlsxSource(bytes);
  if (zip->Has("content.xml")) {
    return NotAReport(
        "这是 OpenDocument 文件（.odt/.ods），请另存为 .docx 或 .xlsx",
        "this is an OpenDocument file (.odt/.ods); save it as "
        ".docx or .xlsx");
  }
  return NotAReport(
      "压缩包中既没有 Word 文档（word/document.xml）也没有 Excel 工作簿"
      "（xl/workbook.xml）",
      "the zip archive holds neither a Word document (word/document.xml) "
      "nor an Excel workbook (xl/workbook.xml)");
}

}  // namespace

absl::StatusOr<Source> ReadSource(absl::string_view bytes,
                                  absl::string_view file_name) {
  absl::StatusOr<Source> source;
  if (bytes.empty()) {
    source = NotAReport("文件是空的", "the file is empty");
  } else if (LooksLikeZip(bytes)) {
    source = ReadZip(bytes);
  } else if (absl::StartsWith(bytes, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1")) {
    source = NotAReport(
        "这是旧版 Office 文件（.doc/.xls），请在 Word 或 Excel 中另存为 "
        ".docx/.xlsx",
        "this is an old Office file (.doc/.xls); save it as .docx/.xlsx in "
        "Word or Excel");
  } else if (absl::StartsWith(bytes, "%PDF")) {
    source =
        NotAReport("这是 PDF 文件，无法可靠地读出其中的表格",
                   "this is a PDF file, whose tables cannot be read reliably");
  } else {
    absl::StatusOr<DecodedText> text = DecodeSpreadsheetText(bytes);
    if (!text.ok()) {
      source = NotAReport(MessageIn(text.status(), Lang::kZh),
                          MessageIn(text.status(), Lang::kEn));
    } else if (!LooksLikeText(text->text)) {
      source = NotAReport("文件不是文本，也不是能识别的文档格式",
                          "the file is not text, nor a document format "
                          "this program knows");
    } else if (LooksLikeHtml(text->text, internal::LowerExtension(file_name))) {
      source = internal::ReadHtml(bytes);
    } else {
      source = internal::ReadDelimitedText(*text, file_name);
    }
  }
  if (!source.ok()) return source.status();
  source->file_name = std::string(file_name);
  return source;
}

}  // namespace gongkai::published

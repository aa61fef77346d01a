#include "formats/xlsx_reader.h"

#include <libxml/xmlreader.h>

#include <cmath>
#include <map>
#include <memory>
#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/civil_time.h"
#include "common/lang.h"
#include "common/text_width.h"
#include "formats/zip_archive.h"

namespace gongkai {
namespace {

absl::Status Damaged(absl::string_view zh_what, absl::string_view en_what) {
  return LocalizedError(
      absl::StatusCode::kInvalidArgument,
      absl::StrCat("不是可读取的 Excel 工作簿（.xlsx）：", zh_what),
      absl::StrCat("not a readable Excel workbook (.xlsx): ", en_what));
}

// The workbook's zip archive: ZipArchive's errors as the workbook's.
class Archive {
 public:
  static absl::StatusOr<Archive> Open(absl::string_view bytes, int64_t budget) {
    absl::StatusOr<ZipArchive> zip = ZipArchive::Open(bytes, budget);
    if (!zip.ok()) {
      return Damaged(MessageIn(zip.status(), Lang::kZh),
                     MessageIn(zip.status(), Lang::kEn));
    }
    return Archive(std::move(*zip));
  }

  bool Has(const std::string& name) const { return zip_.Has(name); }

  // The unpacked bytes of the part `name`.
  absl::StatusOr<std::string> Read(const std::string& name) {
    absl::StatusOr<std::string> out = zip_.Read(name);
    if (out.ok()) return out;
    if (zip_.over_budget()) {
      return LocalizedError(
          absl::StatusCode::kInvalidArgument,
          "工作簿解压后过大，不予读取；请把台账拆分为多个文件",
          "the workbook is too large when unpacked; split the ledger into "
          "several files");
    }
    return Damaged(MessageIn(out.status(), Lang::kZh),
                   MessageIn(out.status(), Lang::kEn));
  }

 private:
  explicit Archive(ZipArchive zip) : zip_(std::move(zip)) {}
  ZipArchive zip_;
};

struct ReaderCloser {
  void operator()(xmlTextReader* r) const { xmlFreeTextReader(r); }
};

// A pull reader over one XML part. No DTD is loaded, no entity substituted
// and no network touched (libxml2's defaults, with NONET for certainty).
class Xml {
 public:
  Xml(const std::string& text, std::string part) : part_(std::move(part)) {
    reader_.reset(xmlReaderForMemory(
        text.data(), static_cast<int>(text.size()), nullptr, "UTF-8",
        XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING));
  }

  // Moves to the next node; false at the end. A damaged part sets error().
  bool Next() {
    if (reader_ == nullptr) {
      failed_ = true;
      return false;
    }
    int r = xmlTextReaderRead(reader_.get());
    if (r < 0) failed_ = true;
    return r == 1;
  }
  bool failed() const { return failed_; }
  absl::Status error() const {
    return Damaged(absl::StrCat(part_, " 不是有效的 XML"),
                   absl::StrCat(part_, " is not valid XML"));
  }

  int type() const { return xmlTextReaderNodeType(reader_.get()); }
  bool IsStart() const { return type() == XML_READER_TYPE_ELEMENT; }
  bool IsEnd() const { return type() == XML_READER_TYPE_END_ELEMENT; }
  bool IsText() const {
    int t = type();
    return t == XML_READER_TYPE_TEXT || t == XML_READER_TYPE_CDATA ||
           t == XML_READER_TYPE_SIGNIFICANT_WHITESPACE ||
           t == XML_READER_TYPE_WHITESPACE;
  }
  bool IsEmpty() const { return xmlTextReaderIsEmptyElement(reader_.get()); }
  absl::string_view name() const {
    const xmlChar* n = xmlTextReaderConstLocalName(reader_.get());
    return n == nullptr ? "" : reinterpret_cast<const char*>(n);
  }
  absl::string_view value() const {
    const xmlChar* v = xmlTextReaderConstValue(reader_.get());
    return v == nullptr ? "" : reinterpret_cast<const char*>(v);
  }
  // The attribute by local name (any namespace); "" when absent.
  std::string Attr(const char* local) const {
    std::string out;
    if (xmlTextReaderMoveToFirstAttribute(reader_.get()) != 1) return out;
    do {
      const xmlChar* n = xmlTextReaderConstLocalName(reader_.get());
      if (n != nullptr &&
          absl::string_view(reinterpret_cast<const char*>(n)) == local) {
        out = std::string(value());
        break;
      }
    } while (xmlTextReaderMoveToNextAttribute(reader_.get()) == 1);
    xmlTextReaderMoveToElement(reader_.get());
    return out;
  }
  int depth() const { return xmlTextReaderDepth(reader_.get()); }

 private:
  std::string part_;
  std::unique_ptr<xmlTextReader, ReaderCloser> reader_;
  bool failed_ = false;
};

// A part name relative to the workbook's folder ("worksheets/sheet1.xml" or
// "/xl/worksheets/sheet1.xml") as a name in the archive.
std::string PartName(absl::string_view target) {
  if (absl::StartsWith(target, "/")) return std::string(target.substr(1));
  std::string t(target);
  while (absl::StartsWith(t, "./")) t = t.substr(2);
  return absl::StrCat("xl/", t);
}

// True when a custom number format shows a date: it has a year or day part
// outside quoted text, escapes and [colour]/[$-locale] sections.
bool IsDateFormatCode(absl::string_view code) {
  bool quoted = false, bracket = false;
  for (size_t i = 0; i < code.size(); ++i) {
    char c = code[i];
    if (quoted) {
      if (c == '"') quoted = false;
      continue;
    }
    if (bracket) {
      if (c == ']') bracket = false;
      continue;
    }
    if (c == '"') {
      quoted = true;
    } else if ((c == 'G' || c == 'g') &&
               absl::EqualsIgnoreCase(code.substr(i, 7), "General")) {
      // The keyword of the plain number format, whose "e" is no era year:
      // LibreOffice writes every plain cell as a custom "General".
      i += 6;
    } else if (c == '[') {
      bracket = true;
    } else if (c == '\\' || c == '_' || c == '*') {
      ++i;  // the next character is literal (or padding)
    } else if (c == ';') {
      break;  // the first section decides
    } else if (c == 'y' || c == 'Y' || c == 'd' || c == 'D' || c == 'e' ||
               c == 'E') {
      return true;
    }
  }
  // 年/月/日 written without quotes, as WPS does.
  return absl::StrContains(code, "年") || absl::StrContains(code, "日");
}

// Built-in number formats that are dates: the international ones (14-22,
// 45-47) and the East Asian ones (27-36, 50-58) that WPS and Chinese Excel
// use for 2024年1月10日 and the like.
bool IsBuiltinDateFormat(int id) {
  return (id >= 14 && id <= 22) || (id >= 27 && id <= 36) ||
         (id >= 45 && id <= 47) || (id >= 50 && id <= 58);
}

struct Workbook {
  struct Sheet {
    std::string name, part;
  };
  std::vector<Sheet> sheets;
  bool date1904 = false;
  std::string shared_strings_part = "xl/sharedStrings.xml";
  std::string styles_part = "xl/styles.xml";
};

absl::StatusOr<Workbook> ReadWorkbook(Archive& zip) {
  Workbook wb;
  std::string workbook_part = "xl/workbook.xml";
  std::map<std::string, std::string> targets;  // relationship id -> part
  absl::StatusOr<std::string> rels = zip.Read("xl/_rels/workbook.xml.rels");
  if (!rels.ok()) return rels.status();
  Xml x(*rels, "xl/_rels/workbook.xml.rels");
  while (x.Next()) {
    if (!x.IsStart() || x.name() != "Relationship") continue;
    std::string type = x.Attr("Type");
    std::string part = PartName(x.Attr("Target"));
    targets[x.Attr("Id")] = part;
    if (absl::EndsWith(type, "/sharedStrings")) wb.shared_strings_part = part;
    if (absl::EndsWith(type, "/styles")) wb.styles_part = part;
  }
  if (x.failed()) return x.error();
  absl::StatusOr<std::string> text = zip.Read(workbook_part);
  if (!text.ok()) return text.status();
  Xml w(*text, workbook_part);
  while (w.Next()) {
    if (!w.IsStart()) continue;
    if (w.name() == "workbookPr") {
      std::string v = w.Attr("date1904");
      wb.date1904 = v == "1" || v == "true";
    } else if (w.name() == "sheet") {
      auto it = targets.find(w.Attr("id"));
      if (it == targets.end()) {
        return Damaged("工作表的位置缺失", "a worksheet's part is missing");
      }
      wb.sheets.push_back({w.Attr("name"), it->second});
    }
  }
  if (w.failed()) return w.error();
  return wb;
}

// OOXML escapes characters XML cannot carry, and Excel a carriage return,
// as _xHHHH_ (a line break typed as Alt+Enter on Windows is "_x000D_\n");
// "_x005F_" escapes an underscore that would otherwise start one.
std::string UnescapeXstring(std::string s) {
  if (s.find("_x") == std::string::npos) return s;
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    unsigned cp = 0;
    bool escape =
        s.compare(i, 2, "_x") == 0 && i + 7 <= s.size() && s[i + 6] == '_';
    for (size_t k = i + 2; escape && k < i + 6; ++k) {
      escape = absl::ascii_isxdigit(s[k]);
      cp = cp * 16 + (absl::ascii_isdigit(s[k])
                          ? s[k] - '0'
                          : absl::ascii_tolower(s[k]) - 'a' + 10);
    }
    if (escape && !(cp >= 0xD800 && cp <= 0xDFFF)) {
      if (cp < 0x80) {
        out.push_back(static_cast<char>(cp));
      } else if (cp < 0x800) {
        out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
      } else {
        out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
      }
      i += 7;
      continue;
    }
    out.push_back(s[i++]);
  }
  return out;
}

absl::StatusOr<std::vector<std::string>> ReadSharedStrings(
    Archive& zip, const std::string& part) {
  std::vector<std::string> strings;
  if (!zip.Has(part)) return strings;
  absl::StatusOr<std::string> text = zip.Read(part);
  if (!text.ok()) return text.status();
  Xml x(*text, part);
  int phonetic_depth = -1;  // inside <rPh> (furigana): not part of the text
  bool in_t = false;
  while (x.Next()) {
    if (x.IsStart()) {
      absl::string_view n = x.name();
      if (n == "si") {
        strings.emplace_back();
        if (x.IsEmpty()) continue;
      } else if (n == "rPh" && !x.IsEmpty()) {
        phonetic_depth = x.depth();
      } else if (n == "t" && !x.IsEmpty()) {
        in_t = true;
      }
    } else if (x.IsEnd()) {
      absl::string_view n = x.name();
      if (n == "t") in_t = false;
      if (n == "rPh") phonetic_depth = -1;
    } else if (x.IsText() && in_t && phonetic_depth < 0 && !strings.empty()) {
      absl::StrAppend(&strings.back(), x.value());
    }
  }
  if (x.failed()) return x.error();
  for (std::string& s : strings) s = UnescapeXstring(std::move(s));
  return strings;
}

// The cell formats (by index, as cells' s="" give them) that show dates.
absl::StatusOr<std::vector<bool>> ReadDateStyles(Archive& zip,
                                                 const std::string& part) {
  std::vector<bool> is_date;
  if (!zip.Has(part)) return is_date;
  absl::StatusOr<std::string> text = zip.Read(part);
  if (!text.ok()) return text.status();
  Xml x(*text, part);
  std::set<int> custom_dates;
  bool in_cell_xfs = false;
  while (x.Next()) {
    if (x.IsStart()) {
      absl::string_view n = x.name();
      if (n == "numFmt") {
        int id = 0;
        if (absl::SimpleAtoi(x.Attr("numFmtId"), &id) &&
            IsDateFormatCode(x.Attr("formatCode"))) {
          custom_dates.insert(id);
        }
      } else if (n == "cellXfs") {
        in_cell_xfs = !x.IsEmpty();
      } else if (n == "xf" && in_cell_xfs) {
        int id = 0;
        absl::SimpleAtoi(x.Attr("numFmtId"), &id);
        is_date.push_back(id < 164 ? IsBuiltinDateFormat(id)
                                   : custom_dates.count(id) > 0);
      }
    } else if (x.IsEnd() && x.name() == "cellXfs") {
      in_cell_xfs = false;
    }
  }
  if (x.failed()) return x.error();
  return is_date;
}

// Column index (A = 0) of a reference like "AB12"; -1 when malformed.
int ColumnOf(absl::string_view ref) {
  int col = 0;
  size_t i = 0;
  while (i < ref.size() && absl::ascii_isalpha(ref[i])) {
    col = col * 26 + (absl::ascii_toupper(ref[i]) - 'A' + 1);
    if (col > 16384) return -1;
    ++i;
  }
  return i == 0 ? -1 : col - 1;
}

// The range "B3:D4" (or the single cell "B3"); false when malformed.
bool RangeOf(absl::string_view ref, XlsxMerge* m) {
  auto cell = [](absl::string_view c, int* row, int* col) {
    *col = ColumnOf(c);
    size_t i = 0;
    while (i < c.size() && absl::ascii_isalpha(c[i])) ++i;
    return *col >= 0 && absl::SimpleAtoi(c.substr(i), row) && *row > 0 &&
           *row <= 1048576;
  };
  size_t colon = ref.find(':');
  absl::string_view first = ref.substr(0, colon);
  absl::string_view last =
      colon == absl::string_view::npos ? first : ref.substr(colon + 1);
  if (!cell(first, &m->first_row, &m->first_col) ||
      !cell(last, &m->last_row, &m->last_col)) {
    return false;
  }
  if (m->first_row > m->last_row) std::swap(m->first_row, m->last_row);
  if (m->first_col > m->last_col) std::swap(m->first_col, m->last_col);
  return true;
}

std::string NumberText(double v) {
  if (std::isfinite(v) && v == std::floor(v) && std::fabs(v) < 1e15) {
    return absl::StrCat(static_cast<int64_t>(v));
  }
  return absl::StrFormat("%.15g", v);
}

struct SheetContext {
  const std::vector<std::string>* strings;
  const std::vector<bool>* date_styles;
  bool date1904;
};

// The text of one cell from its type (t=""), style (s="") and its <v>, or
// its inline string.
absl::StatusOr<std::string> CellText(const SheetContext& ctx,
                                     absl::string_view type, int style,
                                     const std::string& v,
                                     const std::string& inline_text,
                                     absl::string_view ref) {
  if (type == "inlineStr") return UnescapeXstring(inline_text);
  if (type == "s") {
    size_t i = 0;
    if (!absl::SimpleAtoi(v, &i) || i >= ctx.strings->size()) {
      return Damaged(absl::StrCat("单元格 ", ref, " 引用了不存在的共享字符串"),
                     absl::StrCat("cell ", ref,
                                  " refers to a shared string that does not "
                                  "exist"));
    }
    return (*ctx.strings)[i];
  }
  if (type == "str") return UnescapeXstring(v);  // a formula's text
  if (type == "e") return v;                     // an error value
  if (type == "b") return std::string(v == "1" ? "TRUE" : "FALSE");
  if (type == "d") return v.substr(0, 10);  // ISO 8601 date: its day
  // A number (t="n" or none).
  if (v.empty()) return std::string();
  double d = 0;
  if (!absl::SimpleAtod(v, &d)) {
    return Damaged(absl::StrCat("单元格 ", ref, " 的数值无效"),
                   absl::StrCat("cell ", ref, " has an invalid number"));
  }
  if (style >= 0 && style < static_cast<int>(ctx.date_styles->size()) &&
      (*ctx.date_styles)[style]) {
    int y, m, day;
    if (ExcelSerialToDay(d, ctx.date1904, &y, &m, &day)) {
      return absl::StrFormat("%04d-%02d-%02d", y, m, day);
    }
  }
  return NumberText(d);
}

absl::Status ReadSheet(Archive& zip, const SheetContext& ctx, XlsxSheet* sheet,
                       const std::string& part) {
  absl::StatusOr<std::string> text = zip.Read(part);
  if (!text.ok()) return text.status();
  Xml x(*text, part);
  CsvRecord row;
  bool in_row = false;
  int next_row = 1, next_col = 0;
  // The cell being read.
  bool in_cell = false, in_v = false, in_is = false;
  std::string ref, type, v, inline_text;
  int style = -1, col = 0;
  auto end_row = [&] {
    bool any = false;
    for (const std::string& f : row.fields) any = any || !f.empty();
    if (any) sheet->rows.push_back(std::move(row));
    row = CsvRecord();
    in_row = false;
  };
  while (x.Next()) {
    if (x.IsStart()) {
      absl::string_view n = x.name();
      if (n == "row") {
        int r = 0;
        row = CsvRecord();
        row.line = absl::SimpleAtoi(x.Attr("r"), &r) && r > 0 ? r : next_row;
        next_row = row.line + 1;
        next_col = 0;
        in_row = true;
        if (x.IsEmpty()) end_row();
      } else if (n == "c" && in_row) {
        ref = x.Attr("r");
        col = ref.empty() ? next_col : ColumnOf(ref);
        if (col < 0) {
          return Damaged(
              absl::StrCat("单元格位置 “", ref, "” 无效"),
              absl::StrCat("the cell reference '", ref, "' is invalid"));
        }
        if (ref.empty()) ref = absl::StrCat("#", col + 1);
        type = x.Attr("t");
        std::string s = x.Attr("s");
        style = -1;
        if (!s.empty()) absl::SimpleAtoi(s, &style);
        v.clear();
        inline_text.clear();
        in_cell = !x.IsEmpty();
        if (!in_cell) next_col = col + 1;
      } else if (n == "mergeCell") {
        XlsxMerge m;
        const std::string range = x.Attr("ref");
        if (!RangeOf(range, &m)) {
          return Damaged(
              absl::StrCat("合并单元格的范围 “", range, "” 无效"),
              absl::StrCat("the merged range '", range, "' is invalid"));
        }
        sheet->merges.push_back(m);
      } else if (in_cell && n == "v") {
        in_v = !x.IsEmpty();
      } else if (in_cell && n == "is") {
        in_is = !x.IsEmpty();
      }
    } else if (x.IsEnd()) {
      absl::string_view n = x.name();
      if (n == "v") {
        in_v = false;
      } else if (n == "is") {
        in_is = false;
      } else if (n == "c" && in_cell) {
        in_cell = false;
        next_col = col + 1;
        absl::StatusOr<std::string> cell =
            CellText(ctx, type, style, v, inline_text, ref);
        if (!cell.ok()) return cell.status();
        if (!cell->empty()) {
          if (row.fields.size() <= static_cast<size_t>(col)) {
            row.fields.resize(col + 1);
          }
          row.fields[col] = std::move(*cell);
        }
      } else if (n == "row" && in_row) {
        end_row();
      }
    } else if (x.IsText() && in_cell) {
      // Inside <is>, the text of every <t> (runs included); phonetic runs
      // are rare in inline strings and read as text.
      if (in_v) {
        absl::StrAppend(&v, x.value());
      } else if (in_is) {
        absl::StrAppend(&inline_text, x.value());
      }
    }
  }
  if (x.failed()) return x.error();
  return absl::OkStatus();
}

}  // namespace

bool LooksLikeZip(absl::string_view bytes) {
  return absl::StartsWith(bytes, absl::string_view("PK\x03\x04", 4));
}

bool ExcelSerialToDay(double serial, bool date1904, int* year, int* month,
                      int* day) {
  if (!std::isfinite(serial) || serial < 1 || serial > 2958465) return false;
  const int64_t whole = static_cast<int64_t>(std::floor(serial));
  absl::CivilDay d;
  if (date1904) {
    d = absl::CivilDay(1904, 1, 1) + whole;
  } else if (whole == 60) {
    return false;  // 1900-02-29, which Excel counts and no calendar has
  } else {
    // Excel counts 1900 as a leap year: serials after 60 are one day ahead.
    d = absl::CivilDay(1899, 12, whole < 60 ? 31 : 30) + whole;
  }
  if (d.year() > 9999) return false;
  *year = static_cast<int>(d.year());
  *month = d.month();
  *day = d.day();
  return true;
}

absl::StatusOr<std::vector<XlsxSheet>> ReadXlsx(absl::string_view bytes,
                                                int64_t max_unpacked_bytes) {
  if (!LooksLikeZip(bytes)) {
    return Damaged("文件不是压缩包", "the file is not a zip archive");
  }
  absl::StatusOr<Archive> zip = Archive::Open(bytes, max_unpacked_bytes);
  if (!zip.ok()) return zip.status();
  absl::StatusOr<Workbook> wb = ReadWorkbook(*zip);
  if (!wb.ok()) return wb.status();
  absl::StatusOr<std::vector<std::string>> strings =
      ReadSharedStrings(*zip, wb->shared_strings_part);
  if (!strings.ok()) return strings.status();
  absl::StatusOr<std::vector<bool>> dates =
      ReadDateStyles(*zip, wb->styles_part);
  if (!dates.ok()) return dates.status();
  const SheetContext ctx{&*strings, &*dates, wb->date1904};
  std::vector<XlsxSheet> sheets;
  for (const Workbook::Sheet& s : wb->sheets) {
    XlsxSheet sheet;
    sheet.name = s.name;
    if (absl::Status st = ReadSheet(*zip, ctx, &sheet, s.part); !st.ok()) {
      return st;
    }
    for (const CsvRecord& r : sheet.rows) {
      for (const std::string& f : r.fields) {
        if (!IsValidUtf8(f)) {
          return Damaged("含有无效字符", "it holds invalid characters");
        }
      }
    }
    sheets.push_back(std::move(sheet));
  }
  if (sheets.empty()) {
    return Damaged("工作簿中没有工作表", "the workbook has no worksheet");
  }
  return sheets;
}

}  // namespace gongkai

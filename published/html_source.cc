// The HTML of a report page, read with libxml2's HTML parser (which repairs
// what browsers repair: unclosed cells, stray tags). Every table that holds
// no other table is a Grid; a table that holds tables is page layout, and
// its cells are read as running text around the tables inside it.
#include <libxml/HTMLparser.h>
#include <libxml/tree.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "common/lang.h"
#include "formats/text_encoding.h"
#include "published/source_internal.h"
#include "published/source_reader.h"

namespace gongkai::published::internal {
namespace {

// Deeper than any page; a hostile one is read down to here.
constexpr int kMaxDepth = 512;

bool IsHtmlSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

// Text as a browser lays it out: runs of white space shown as one space
// (except in <pre>), <br> a line end, a block element a line of its own.
// NBSP is not white space here and stays.
class TextSink {
 public:
  void Text(absl::string_view s, bool pre) {
    for (char c : s) {
      if (pre) {
        out_.push_back(c == '\r' ? '\n' : c);
        continue;
      }
      if (IsHtmlSpace(c)) {
        pending_space_ = true;
        continue;
      }
      if (pending_space_ && !out_.empty() && out_.back() != '\n') {
        out_.push_back(' ');
      }
      pending_space_ = false;
      out_.push_back(c);
    }
  }
  void LineBreak() {
    out_.push_back('\n');
    pending_space_ = false;
  }
  void Block() {
    if (!out_.empty() && out_.back() != '\n') out_.push_back('\n');
    pending_space_ = false;
  }
  // The last line with text in it, "" when none.
  std::string LastLine() const {
    for (absl::string_view line : Lines()) {
      if (!ShowsNothing(line)) return std::string(line);
    }
    return "";
  }
  // The lines with text, in order, joined by "\n".
  std::string Paragraphs() const {
    std::vector<absl::string_view> lines = Lines();
    std::vector<absl::string_view> kept;
    for (auto it = lines.rbegin(); it != lines.rend(); ++it) {
      if (!ShowsNothing(*it)) kept.push_back(*it);
    }
    return absl::StrJoin(kept, "\n");
  }
  // A cell's text: its line ends kept, none before or after the text.
  std::string CellText() const {
    absl::string_view s = out_;
    while (!s.empty() && s.front() == '\n') s.remove_prefix(1);
    while (!s.empty() && s.back() == '\n') s.remove_suffix(1);
    return std::string(s);
  }

 private:
  // Lines from the last to the first.
  std::vector<absl::string_view> Lines() const {
    std::vector<absl::string_view> lines = absl::StrSplit(out_, '\n');
    return std::vector<absl::string_view>(lines.rbegin(), lines.rend());
  }

  std::string out_;
  bool pending_space_ = false;
};

absl::string_view Name(const xmlNode* n) {
  return n->name == nullptr ? "" : reinterpret_cast<const char*>(n->name);
}

bool IsElement(const xmlNode* n, absl::string_view name) {
  return n->type == XML_ELEMENT_NODE && absl::EqualsIgnoreCase(Name(n), name);
}

bool Skipped(absl::string_view name) {
  for (absl::string_view s : {"script", "style", "noscript", "template", "head",
                              "title", "iframe", "object"}) {
    if (absl::EqualsIgnoreCase(name, s)) return true;
  }
  return false;
}

bool IsBlock(absl::string_view name) {
  static constexpr absl::string_view kBlocks[] = {
      "p",      "div",    "h1",         "h2",      "h3",       "h4",
      "h5",     "h6",     "ul",         "ol",      "li",       "dl",
      "dt",     "dd",     "tr",         "td",      "th",       "caption",
      "thead",  "tbody",  "tfoot",      "section", "article",  "header",
      "footer", "nav",    "aside",      "main",    "address",  "blockquote",
      "pre",    "figure", "figcaption", "form",    "fieldset", "legend",
      "hr",     "center", "body",       "html",    "details",  "summary",
      "table"};
  for (absl::string_view b : kBlocks) {
    if (absl::EqualsIgnoreCase(name, b)) return true;
  }
  return false;
}

bool HasTableInside(const xmlNode* node, int depth) {
  if (depth > kMaxDepth) return false;
  for (const xmlNode* c = node->children; c != nullptr; c = c->next) {
    if (c->type != XML_ELEMENT_NODE) continue;
    if (IsElement(c, "table") || HasTableInside(c, depth + 1)) return true;
  }
  return false;
}

// The text of `node`'s content, as a browser shows it.
void CollectText(const xmlNode* node, bool pre, int depth, TextSink* sink) {
  if (depth > kMaxDepth) return;
  for (const xmlNode* c = node->children; c != nullptr; c = c->next) {
    if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) {
      if (c->content != nullptr) {
        sink->Text(reinterpret_cast<const char*>(c->content), pre);
      }
      continue;
    }
    if (c->type != XML_ELEMENT_NODE || Skipped(Name(c))) continue;
    if (IsElement(c, "br")) {
      sink->LineBreak();
      continue;
    }
    const bool block = IsBlock(Name(c));
    if (block) sink->Block();
    CollectText(c, pre || IsElement(c, "pre"), depth + 1, sink);
    if (block) sink->Block();
  }
}

std::string CellTextOf(const xmlNode* cell) {
  TextSink sink;
  CollectText(cell, false, 0, &sink);
  return sink.CellText();
}

// A span attribute as browsers read it: leading digits, `fallback` when
// there are none.
size_t Span(const xmlNode* cell, const char* attr, size_t fallback) {
  xmlChar* v = xmlGetProp(cell, reinterpret_cast<const xmlChar*>(attr));
  if (v == nullptr) return fallback;
  absl::string_view s =
      absl::StripLeadingAsciiWhitespace(reinterpret_cast<const char*>(v));
  size_t digits = 0;
  while (digits < s.size() && digits < 9 && absl::ascii_isdigit(s[digits])) {
    ++digits;
  }
  size_t n = fallback;
  if (digits > 0) absl::SimpleAtoi(s.substr(0, digits), &n);
  xmlFree(v);
  return n;
}

void CollectRows(const xmlNode* node, int depth,
                 std::vector<const xmlNode*>* rows) {
  if (depth > kMaxDepth) return;
  for (const xmlNode* c = node->children; c != nullptr; c = c->next) {
    if (c->type != XML_ELEMENT_NODE) continue;
    if (IsElement(c, "tr")) {
      rows->push_back(c);
    } else if (IsElement(c, "thead") || IsElement(c, "tbody") ||
               IsElement(c, "tfoot")) {
      CollectRows(c, depth + 1, rows);
    }
  }
}

// The cells of a table that holds no table, rowspan and colspan expanded.
absl::StatusOr<std::vector<std::vector<Cell>>> TableRows(const xmlNode* table) {
  std::vector<const xmlNode*> rows;
  CollectRows(table, 0, &rows);
  SpanGrid grid;
  for (size_t r = 0; r < rows.size(); ++r) {
    grid.AddRow(r);
    size_t col = 0;
    for (const xmlNode* c = rows[r]->children; c != nullptr; c = c->next) {
      if (!IsElement(c, "td") && !IsElement(c, "th")) continue;
      while (grid.Taken(r, col)) ++col;
      // HTML's limits: colspan 1..1000; rowspan 0 ("to the end of the
      // table") .. 65534, and never past the last row.
      size_t colspan = std::clamp<size_t>(Span(c, "colspan", 1), 1, 1000);
      size_t rowspan = Span(c, "rowspan", 1);
      if (rowspan == 0 || rowspan > rows.size() - r) rowspan = rows.size() - r;
      if (absl::Status s = grid.Place(r, col, rowspan, colspan, CellTextOf(c));
          !s.ok()) {
        return s;
      }
      col += colspan;
    }
  }
  return std::move(grid).Finish();
}

class PageReader {
 public:
  explicit PageReader(Source* source) : source_(source) {}

  absl::Status Walk(const xmlNode* node, bool pre, int depth) {
    if (depth > kMaxDepth) return absl::OkStatus();
    for (const xmlNode* c = node->children; c != nullptr; c = c->next) {
      if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) {
        if (c->content != nullptr) {
          text_.Text(reinterpret_cast<const char*>(c->content), pre);
        }
        continue;
      }
      if (c->type != XML_ELEMENT_NODE || Skipped(Name(c))) continue;
      if (IsElement(c, "br")) {
        text_.LineBreak();
        continue;
      }
      if (IsElement(c, "table") && !HasTableInside(c, depth)) {
        text_.Block();
        if (absl::Status s = AddTable(c); !s.ok()) return s;
        continue;
      }
      // Layout tables included: their cells are blocks of running text.
      const bool block = IsBlock(Name(c));
      if (block) text_.Block();
      if (absl::Status s = Walk(c, pre || IsElement(c, "pre"), depth + 1);
          !s.ok()) {
        return s;
      }
      if (block) text_.Block();
    }
    return absl::OkStatus();
  }

  std::string RunningText() const { return text_.Paragraphs(); }

 private:
  absl::Status AddTable(const xmlNode* table) {
    Grid grid;
    NameTable(static_cast<int>(source_->tables.size()) + 1, &grid);
    for (const xmlNode* c = table->children; c != nullptr; c = c->next) {
      if (IsElement(c, "caption")) grid.caption = CellTextOf(c);
    }
    if (ShowsNothing(grid.caption)) {
      grid.caption = text_.LastLine();
    }
    absl::StatusOr<std::vector<std::vector<Cell>>> rows = TableRows(table);
    if (!rows.ok()) return rows.status();
    grid.rows = std::move(*rows);
    source_->tables.push_back(std::move(grid));
    return absl::OkStatus();
  }

  Source* source_;
  TextSink text_;
};

// The charset a page declares in <meta charset=...> or <meta
// http-equiv="Content-Type" content="text/html; charset=...">, lower case;
// "" when none is declared near the start.
std::string DeclaredCharset(absl::string_view bytes) {
  const std::string head = absl::AsciiStrToLower(bytes.substr(0, 8192));
  size_t at = 0;
  while ((at = head.find("charset", at)) != std::string::npos) {
    at += 7;
    size_t i = at;
    while (i < head.size() && IsHtmlSpace(head[i])) ++i;
    if (i >= head.size() || head[i] != '=') continue;
    ++i;
    while (i < head.size() &&
           (IsHtmlSpace(head[i]) || head[i] == '"' || head[i] == '\'')) {
      ++i;
    }
    size_t end = i;
    while (end < head.size() &&
           (absl::ascii_isalnum(head[end]) || head[end] == '-' ||
            head[end] == '_' || head[end] == '.' || head[end] == ':')) {
      ++end;
    }
    if (end > i) return head.substr(i, end - i);
  }
  return "";
}

struct PageText {
  std::string text;
  std::string encoding;
};

// The page as UTF-8. Bytes that are valid UTF-8 (or UTF-16 by its mark or
// NUL pattern) are read as such whatever the page declares: pages copied
// from a template often declare gb2312 and are UTF-8. Other bytes are
// GB18030, the superset of the GB2312 and GBK that gov.cn pages declare
// (and use beyond), unless the page declares Big5; a Western charset
// declared on a Chinese report page is a server's default, not the truth.
absl::StatusOr<PageText> DecodePage(absl::string_view bytes) {
  absl::StatusOr<DecodedText> decoded = DecodeSpreadsheetText(bytes);
  if (decoded.ok() && decoded->encoding != TextEncoding::kGb18030) {
    return PageText{std::move(decoded->text),
                    ShortEncodingName(decoded->encoding)};
  }
  const std::string declared = DeclaredCharset(bytes);
  if (absl::StartsWith(declared, "big5")) {
    absl::StatusOr<std::string> text = DecodeCharset(bytes, declared);
    if (text.ok()) {
      return PageText{std::move(*text), absl::AsciiStrToUpper(declared)};
    }
  }
  if (!decoded.ok()) return decoded.status();
  return PageText{std::move(decoded->text), "GB18030"};
}

struct DocFree {
  void operator()(xmlDoc* d) const { xmlFreeDoc(d); }
};

}  // namespace

absl::StatusOr<Source> ReadHtml(absl::string_view bytes) {
  absl::StatusOr<PageText> page = DecodePage(bytes);
  if (!page.ok()) {
    return PrefixError(page.status(), "网页无法读取：",
                       "the web page cannot be read: ");
  }
  if (page->text.size() > static_cast<size_t>(INT32_MAX)) return TooLarge();
  QuietLibxml quiet;
  // Already UTF-8: the page's own declaration is ignored, and nothing is
  // fetched from the network.
  std::unique_ptr<xmlDoc, DocFree> doc(htmlReadMemory(
      page->text.data(), static_cast<int>(page->text.size()), nullptr, "UTF-8",
      HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
          HTML_PARSE_NONET | HTML_PARSE_IGNORE_ENC | HTML_PARSE_COMPACT));
  if (doc == nullptr) {
    return LocalizedError(absl::StatusCode::kInvalidArgument,
                          "网页无法解析；请确认文件是报告网页的 HTML",
                          "the web page cannot be parsed; check that the "
                          "file is the HTML of the report page");
  }
  Source source;
  source.format = page->encoding == "UTF-8"
                      ? "HTML"
                      : absl::StrCat("HTML（", page->encoding, "）");
  source.format_en = page->encoding == "UTF-8"
                         ? "HTML"
                         : absl::StrCat("HTML (", page->encoding, ")");
  PageReader reader(&source);
  if (absl::Status s =
          reader.Walk(reinterpret_cast<xmlNode*>(doc.get()), false, 0);
      !s.ok()) {
    return s;
  }
  source.text = reader.RunningText();
  return source;
}

}  // namespace gongkai::published::internal

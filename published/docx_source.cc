// A Word document (word/document.xml of a .docx): paragraphs are running
// text, every table that holds no table is a Grid with w:gridSpan and
// w:vMerge expanded, and a table that holds tables is layout whose cells
// are read as running text around the tables inside.
#include <libxml/parser.h>
#include <libxml/tree.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/lang.h"
#include "formats/zip_archive.h"
#include "published/source_internal.h"
#include "published/source_reader.h"

namespace gongkai::published::internal {
namespace {

constexpr int kMaxDepth = 512;

absl::string_view Name(const xmlNode* n) {
  return n->name == nullptr ? "" : reinterpret_cast<const char*>(n->name);
}

bool Is(const xmlNode* n, absl::string_view local) {
  return n->type == XML_ELEMENT_NODE && Name(n) == local;
}

const xmlNode* Child(const xmlNode* n, absl::string_view local) {
  for (const xmlNode* c = n->children; c != nullptr; c = c->next) {
    if (Is(c, local)) return c;
  }
  return nullptr;
}

// w:val of an element, "" when absent (any namespace prefix).
std::string Val(const xmlNode* n) {
  for (const xmlAttr* a = n->properties; a != nullptr; a = a->next) {
    if (a->name != nullptr &&
        absl::string_view(reinterpret_cast<const char*>(a->name)) == "val") {
      xmlChar* v = xmlNodeGetContent(reinterpret_cast<const xmlNode*>(a));
      std::string out = v == nullptr ? "" : reinterpret_cast<const char*>(v);
      xmlFree(v);
      return out;
    }
  }
  return "";
}

size_t IntVal(const xmlNode* n, size_t fallback, size_t most) {
  size_t v = 0;
  if (n == nullptr || !absl::SimpleAtoi(Val(n), &v) || v < 1) return fallback;
  return std::min(v, most);
}

// Children of `n`, looking through the wrappers Word puts around
// block-level content, rows and cells (content controls, custom XML,
// tracked insertions).
void Children(const xmlNode* n, int depth, std::vector<const xmlNode*>* out) {
  if (depth > kMaxDepth) return;
  for (const xmlNode* c = n->children; c != nullptr; c = c->next) {
    if (c->type != XML_ELEMENT_NODE) continue;
    if (Is(c, "sdt")) {
      if (const xmlNode* content = Child(c, "sdtContent")) {
        Children(content, depth + 1, out);
      }
    } else if (Is(c, "customXml") || Is(c, "ins") || Is(c, "smartTag")) {
      Children(c, depth + 1, out);
    } else {
      out->push_back(c);
    }
  }
}

// The text of a paragraph's runs: w:t as it is, w:tab a tab, w:br and w:cr
// line ends. Deleted text, field codes and properties (whose w:tab are tab
// stops) are not text; of alternative content only the first choice is.
void RunText(const xmlNode* n, int depth, std::string* out) {
  if (depth > kMaxDepth) return;
  for (const xmlNode* c = n->children; c != nullptr; c = c->next) {
    if (c->type != XML_ELEMENT_NODE) continue;
    const absl::string_view name = Name(c);
    if (name == "t") {
      for (const xmlNode* t = c->children; t != nullptr; t = t->next) {
        if ((t->type == XML_TEXT_NODE || t->type == XML_CDATA_SECTION_NODE) &&
            t->content != nullptr) {
          out->append(reinterpret_cast<const char*>(t->content));
        }
      }
    } else if (name == "tab") {
      out->push_back('\t');
    } else if (name == "br" || name == "cr") {
      out->push_back('\n');
    } else if (name == "noBreakHyphen") {
      out->append("\u2011");
    } else if (name == "pPr" || name == "rPr" || name == "del" ||
               name == "moveFrom" || name == "instrText" || name == "delText" ||
               name == "fldChar" || name == "Fallback") {
      continue;
    } else if (name == "AlternateContent") {
      if (const xmlNode* choice = Child(c, "Choice")) {
        RunText(choice, depth + 1, out);
      }
    } else if (name == "p") {
      // A paragraph inside a text box within this one.
      if (!out->empty() && out->back() != '\n') out->push_back('\n');
      RunText(c, depth + 1, out);
    } else {
      RunText(c, depth + 1, out);
    }
  }
}

bool HasTableInside(const xmlNode* n, int depth) {
  if (depth > kMaxDepth) return false;
  for (const xmlNode* c = n->children; c != nullptr; c = c->next) {
    if (c->type != XML_ELEMENT_NODE) continue;
    if (Is(c, "tbl") || HasTableInside(c, depth + 1)) return true;
  }
  return false;
}

// A cell's text: its paragraphs, empty ones left out, one per line.
std::string CellText(const xmlNode* tc) {
  std::vector<const xmlNode*> blocks;
  Children(tc, 0, &blocks);
  std::vector<std::string> lines;
  for (const xmlNode* b : blocks) {
    if (!Is(b, "p")) continue;
    std::string text;
    RunText(b, 0, &text);
    if (!text.empty()) lines.push_back(std::move(text));
  }
  return absl::StrJoin(lines, "\n");
}

absl::StatusOr<std::vector<std::vector<Cell>>> TableRows(const xmlNode* tbl) {
  std::vector<const xmlNode*> rows;
  {
    std::vector<const xmlNode*> children;
    Children(tbl, 0, &children);
    for (const xmlNode* c : children) {
      if (Is(c, "tr")) rows.push_back(c);
    }
  }
  SpanGrid grid;
  for (size_t r = 0; r < rows.size(); ++r) {
    grid.AddRow(r);
    size_t col = 0;
    if (const xmlNode* pr = Child(rows[r], "trPr")) {
      col = IntVal(Child(pr, "gridBefore"), 0, 1000);  // cells left out
    }
    std::vector<const xmlNode*> cells;
    Children(rows[r], 0, &cells);
    for (const xmlNode* tc : cells) {
      if (!Is(tc, "tc")) continue;
      const xmlNode* pr = Child(tc, "tcPr");
      const size_t span =
          pr == nullptr ? 1 : IntVal(Child(pr, "gridSpan"), 1, 1000);
      const xmlNode* vmerge = pr == nullptr ? nullptr : Child(pr, "vMerge");
      const xmlNode* hmerge = pr == nullptr ? nullptr : Child(pr, "hMerge");
      absl::Status placed;
      if (vmerge != nullptr && Val(vmerge) != "restart" && r > 0) {
        // Continues the cell above: shows its text.
        placed = grid.Place(r, col, 1, span, grid.TextAt(r - 1, col),
                            /*all_copies=*/true);
      } else if (hmerge != nullptr && Val(hmerge) != "restart" && col > 0) {
        placed = grid.Place(r, col, 1, span, grid.TextAt(r, col - 1),
                            /*all_copies=*/true);
      } else {
        placed = grid.Place(r, col, 1, span, CellText(tc));
      }
      if (!placed.ok()) return placed;
      col += span;
    }
  }
  return std::move(grid).Finish();
}

class DocumentReader {
 public:
  explicit DocumentReader(Source* source) : source_(source) {}

  absl::Status Blocks(const xmlNode* n, int depth) {
    if (depth > kMaxDepth) return absl::OkStatus();
    std::vector<const xmlNode*> blocks;
    Children(n, depth, &blocks);
    for (const xmlNode* b : blocks) {
      if (Is(b, "p")) {
        std::string text;
        RunText(b, 0, &text);
        if (!ShowsNothing(text)) paragraphs_.push_back(std::move(text));
      } else if (Is(b, "tbl") && !HasTableInside(b, 0)) {
        if (absl::Status s = AddTable(b); !s.ok()) return s;
      } else if (Is(b, "tbl") || Is(b, "tr") || Is(b, "tc")) {
        // A layout table: its cells' content in reading order.
        if (absl::Status s = Blocks(b, depth + 1); !s.ok()) return s;
      }
    }
    return absl::OkStatus();
  }

  std::string RunningText() const { return absl::StrJoin(paragraphs_, "\n"); }

 private:
  absl::Status AddTable(const xmlNode* tbl) {
    Grid grid;
    NameTable(static_cast<int>(source_->tables.size()) + 1, &grid);
    if (!paragraphs_.empty()) {
      // The paragraph's last line, when it has line breaks.
      absl::string_view last = paragraphs_.back();
      size_t nl = last.find_last_of('\n');
      grid.caption = std::string(
          nl == absl::string_view::npos ? last : last.substr(nl + 1));
    }
    absl::StatusOr<std::vector<std::vector<Cell>>> rows = TableRows(tbl);
    if (!rows.ok()) return rows.status();
    grid.rows = std::move(*rows);
    source_->tables.push_back(std::move(grid));
    return absl::OkStatus();
  }

  Source* source_;
  std::vector<std::string> paragraphs_;
};

struct DocFree {
  void operator()(xmlDoc* d) const { xmlFreeDoc(d); }
};

absl::Status NotDocx(const absl::Status& why) {
  return PrefixError(why, "不是可读取的 Word 文档（.docx）：",
                     "not a readable Word document (.docx): ");
}

}  // namespace

absl::StatusOr<Source> ReadDocx(absl::string_view bytes) {
  absl::StatusOr<ZipArchive> zip = ZipArchive::Open(bytes, kMaxUnpackedBytes);
  if (!zip.ok()) return NotDocx(zip.status());
  absl::StatusOr<std::string> xml = zip->Read("word/document.xml");
  if (!xml.ok()) return NotDocx(xml.status());
  if (xml->size() > static_cast<size_t>(INT32_MAX)) return TooLarge();
  QuietLibxml quiet;
  // No DTD is loaded, no entity substituted, nothing fetched.
  std::unique_ptr<xmlDoc, DocFree> doc(xmlReadMemory(
      xml->data(), static_cast<int>(xml->size()), nullptr, nullptr,
      XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING |
          XML_PARSE_COMPACT));
  const xmlNode* root =
      doc == nullptr ? nullptr : xmlDocGetRootElement(doc.get());
  const xmlNode* body = root == nullptr ? nullptr : Child(root, "body");
  if (body == nullptr) {
    return NotDocx(
        LocalizedError(absl::StatusCode::kInvalidArgument,
                       "word/document.xml 不是有效的 XML 或没有正文",
                       "word/document.xml is not valid XML or has no body"));
  }
  Source source;
  source.format = "DOCX";
  source.format_en = "DOCX";
  DocumentReader reader(&source);
  if (absl::Status s = reader.Blocks(body, 0); !s.ok()) return s;
  source.text = reader.RunningText();
  return source;
}

}  // namespace gongkai::published::internal

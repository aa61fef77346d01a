#include "documents/docx_model.h"

#include <cstring>
#include <map>
#include <optional>
#include <set>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/lang.h"
#include "common/status_macros.h"
#include "documents/xml_util.h"
#include "documents/zip_package.h"

namespace gongkai::documents {
namespace {

// Formatting as a style, the defaults or a paragraph sets it: every field
// optional, later layers overriding earlier ones.
struct Props {
  std::optional<Align> align;
  std::optional<int> left, right, first_line, first_line_chars, before, after,
      line;
  std::optional<bool> line_exact, page_break_before, keep_next, bold;
  std::optional<int> half_points;

  void Over(const Props& o) {
#define GK_OVER(f) \
  if (o.f) f = o.f
    GK_OVER(align);
    GK_OVER(left);
    GK_OVER(right);
    GK_OVER(first_line);
    GK_OVER(first_line_chars);
    GK_OVER(before);
    GK_OVER(after);
    GK_OVER(line);
    GK_OVER(line_exact);
    GK_OVER(page_break_before);
    GK_OVER(keep_next);
    GK_OVER(bold);
    GK_OVER(half_points);
#undef GK_OVER
  }
};

std::optional<int> IntAttr(const xmlNode* n, const char* name) {
  bool found = false;
  std::string v = AttrW(n, name, &found);
  int out = 0;
  if (!found || !absl::SimpleAtoi(v, &out)) return std::nullopt;
  return out;
}

bool OnOff(const xmlNode* n) {
  bool found = false;
  std::string v = AttrW(n, "val", &found);
  return !found || !(v == "0" || v == "false" || v == "off");
}

void ReadPPr(const xmlNode* ppr, Props* p) {
  if (ppr == nullptr) return;
  if (const xmlNode* jc = ChildW(ppr, "jc")) {
    std::string v = AttrW(jc, "val");
    if (v == "center") {
      p->align = Align::kCenter;
    } else if (v == "right" || v == "end") {
      p->align = Align::kRight;
    } else if (v == "both" || v == "distribute") {
      p->align = Align::kJustify;
    } else {
      p->align = Align::kLeft;
    }
  }
  if (const xmlNode* ind = ChildW(ppr, "ind")) {
    if (auto v = IntAttr(ind, "left")) p->left = v;
    if (auto v = IntAttr(ind, "start")) p->left = v;
    if (auto v = IntAttr(ind, "right")) p->right = v;
    if (auto v = IntAttr(ind, "end")) p->right = v;
    if (auto v = IntAttr(ind, "firstLine")) p->first_line = v;
    if (auto v = IntAttr(ind, "hanging")) p->first_line = -*v;
    if (auto v = IntAttr(ind, "firstLineChars")) p->first_line_chars = v;
  }
  if (const xmlNode* sp = ChildW(ppr, "spacing")) {
    if (auto v = IntAttr(sp, "before")) p->before = v;
    if (auto v = IntAttr(sp, "after")) p->after = v;
    if (auto v = IntAttr(sp, "line")) {
      p->line = v;
      std::string rule = AttrW(sp, "lineRule");
      p->line_exact = rule == "exact" || rule == "atLeast";
    }
  }
  if (const xmlNode* kn = ChildW(ppr, "keepNext")) p->keep_next = OnOff(kn);
  if (const xmlNode* pb = ChildW(ppr, "pageBreakBefore")) {
    p->page_break_before = OnOff(pb);
  }
}

void ReadRPr(const xmlNode* rpr, Props* p) {
  if (rpr == nullptr) return;
  if (const xmlNode* b = ChildW(rpr, "b")) p->bold = OnOff(b);
  if (const xmlNode* sz = ChildW(rpr, "sz")) {
    if (auto v = IntAttr(sz, "val"); v && *v > 0) p->half_points = v;
  }
}

class Reader {
 public:
  explicit Reader(const Package& package) : package_(package) {}

  absl::Status ReadStyles() {
    const Part* part = package_.Find("word/styles.xml");
    if (part == nullptr) return absl::OkStatus();
    ASSIGN_OR_RETURN(styles_doc_, ParseXml(part->data, part->name));
    xmlNode* root = xmlDocGetRootElement(styles_doc_.get());
    if (xmlNode* dd = ChildW(root, "docDefaults")) {
      if (xmlNode* pd = ChildW(dd, "pPrDefault")) {
        ReadPPr(ChildW(pd, "pPr"), &defaults_);
      }
      if (xmlNode* rd = ChildW(dd, "rPrDefault")) {
        ReadRPr(ChildW(rd, "rPr"), &defaults_);
      }
    }
    for (xmlNode* s = root->children; s != nullptr; s = s->next) {
      if (!IsW(s, "style")) continue;
      const std::string id = AttrW(s, "styleId");
      styles_[id] = s;
      if (AttrW(s, "type") == "paragraph" && AttrW(s, "default") == "1") {
        default_paragraph_style_ = id;
      }
    }
    return absl::OkStatus();
  }

  // The properties of style `id` with those it is based on beneath.
  Props StyleProps(const std::string& id, int depth = 0) {
    Props out;
    auto it = styles_.find(id);
    if (it == styles_.end() || depth > 20) return out;
    if (xmlNode* based = ChildW(it->second, "basedOn")) {
      out = StyleProps(AttrW(based, "val"), depth + 1);
    }
    Props own;
    ReadPPr(ChildW(it->second, "pPr"), &own);
    ReadRPr(ChildW(it->second, "rPr"), &own);
    out.Over(own);
    return out;
  }

  void ReadBlocks(const xmlNode* parent, std::vector<Block>* out) {
    for (xmlNode* c = parent->children; c != nullptr; c = c->next) {
      if (IsW(c, "p")) {
        ReadParagraph(c, out);
      } else if (IsW(c, "tbl")) {
        Block b;
        b.table = ReadTable(c);
        out->push_back(std::move(b));
      } else if (IsW(c, "sdt")) {
        if (xmlNode* content = ChildW(c, "sdtContent"))
          ReadBlocks(content, out);
      }
    }
  }

 private:
  std::unique_ptr<Table> ReadTable(const xmlNode* tbl) {
    auto t = std::make_unique<Table>();
    if (xmlNode* grid = ChildW(tbl, "tblGrid")) {
      for (xmlNode* g = grid->children; g != nullptr; g = g->next) {
        if (IsW(g, "gridCol"))
          t->grid_twips.push_back(IntAttr(g, "w").value_or(0));
      }
    }
    for (xmlNode* tr = tbl->children; tr != nullptr; tr = tr->next) {
      if (!IsW(tr, "tr")) continue;
      const xmlNode* hdr = ChildW(ChildW(tr, "trPr"), "tblHeader");
      if (hdr != nullptr && OnOff(hdr) &&
          t->header_rows == static_cast<int>(t->rows.size())) {
        ++t->header_rows;
      }
      std::vector<Cell> row;
      for (xmlNode* tc = tr->children; tc != nullptr; tc = tc->next) {
        if (!IsW(tc, "tc")) continue;
        Cell cell;
        if (xmlNode* pr = ChildW(tc, "tcPr")) {
          if (xmlNode* gs = ChildW(pr, "gridSpan")) {
            cell.span = std::max(1, IntAttr(gs, "val").value_or(1));
          }
          if (xmlNode* vm = ChildW(pr, "vMerge")) {
            cell.vmerge = AttrW(vm, "val") == "restart" ? VMerge::kRestart
                                                        : VMerge::kContinue;
          }
        }
        ReadBlocks(tc, &cell.blocks);
        row.push_back(std::move(cell));
      }
      t->rows.push_back(std::move(row));
    }
    // A table without a grid: equal columns as wide as its widest row.
    if (t->grid_twips.empty()) {
      size_t cols = 0;
      for (const auto& row : t->rows) {
        size_t n = 0;
        for (const Cell& c : row) n += c.span;
        cols = std::max(cols, n);
      }
      t->grid_twips.assign(std::max<size_t>(cols, 1), 1);
    }
    return t;
  }

  void ReadParagraph(const xmlNode* p, std::vector<Block>* out) {
    Props props = defaults_;
    const xmlNode* ppr = ChildW(p, "pPr");
    std::string style = default_paragraph_style_;
    if (const xmlNode* ps = ChildW(ppr, "pStyle")) style = AttrW(ps, "val");
    props.Over(StyleProps(style));
    Props direct;
    ReadPPr(ppr, &direct);
    props.Over(direct);
    auto para = std::make_unique<Paragraph>();
    Fill(props, para.get());
    Paragraph* current = para.get();
    out->push_back(Block{std::move(para), nullptr});
    ReadRuns(p, props, &current, out);
  }

  void Fill(const Props& props, Paragraph* para) {
    para->align = props.align.value_or(Align::kLeft);
    para->left_twips = props.left.value_or(0);
    para->right_twips = props.right.value_or(0);
    para->first_line_twips = props.first_line.value_or(0);
    if (props.first_line_chars && !props.first_line) {
      // Hundredths of a character of the paragraph's font size.
      para->first_line_twips =
          *props.first_line_chars * props.half_points.value_or(21) * 10 / 100;
    }
    para->before_twips = props.before.value_or(0);
    para->after_twips = props.after.value_or(0);
    para->line_twips = props.line.value_or(240);
    para->line_exact = props.line_exact.value_or(false);
    para->page_break_before = props.page_break_before.value_or(false);
    para->keep_next = props.keep_next.value_or(false);
    para->half_points = props.half_points.value_or(21);
  }

  void ReadRuns(const xmlNode* parent, const Props& para_props,
                Paragraph** current, std::vector<Block>* out) {
    for (xmlNode* c = parent->children; c != nullptr; c = c->next) {
      if (c->type != XML_ELEMENT_NODE) continue;
      if (IsW(c, "pPr") || IsW(c, "del") || IsW(c, "moveFrom")) continue;
      if (!IsW(c, "r")) {
        ReadRuns(c, para_props, current, out);  // hyperlink, ins, smartTag...
        continue;
      }
      Props props = para_props;
      const xmlNode* rpr = ChildW(c, "rPr");
      if (const xmlNode* rs = ChildW(rpr, "rStyle")) {
        props.Over(StyleProps(AttrW(rs, "val")));
      }
      Props direct;
      ReadRPr(rpr, &direct);
      props.Over(direct);
      TextRun run;
      run.bold = props.bold.value_or(false);
      run.half_points = props.half_points.value_or(21);
      for (xmlNode* e = c->children; e != nullptr; e = e->next) {
        if (IsW(e, "t")) {
          run.text += TextOf(e);
        } else if (IsW(e, "tab")) {
          run.text += "\t";
        } else if (IsW(e, "br") && AttrW(e, "type") == "page") {
          if (!run.text.empty()) (*current)->runs.push_back(run);
          run.text.clear();
          auto next = std::make_unique<Paragraph>();
          Fill(para_props, next.get());
          next->page_break_before = true;
          *current = next.get();
          out->push_back(Block{std::move(next), nullptr});
        } else if (IsW(e, "br") || IsW(e, "cr")) {
          run.text += "\n";
        } else if (IsW(e, "noBreakHyphen")) {
          run.text += "-";
        }
      }
      if (!run.text.empty()) (*current)->runs.push_back(std::move(run));
    }
  }

  const Package& package_;
  XmlDocPtr styles_doc_;
  std::map<std::string, xmlNode*> styles_;
  std::string default_paragraph_style_;
  Props defaults_;
};

void PlainBlocks(const std::vector<Block>& blocks, std::string* out) {
  for (const Block& b : blocks) {
    if (b.paragraph) {
      absl::StrAppend(out, b.paragraph->Text(), "\n");
      continue;
    }
    for (const auto& row : b.table->rows) {
      std::string line;
      for (const Cell& c : row) {
        std::string text;
        PlainBlocks(c.blocks, &text);
        while (!text.empty() && text.back() == '\n') text.pop_back();
        absl::StrAppend(&line, line.empty() ? "" : " | ", text);
      }
      absl::StrAppend(out, line, "\n");
    }
  }
}

}  // namespace

std::string Paragraph::Text() const {
  std::string out;
  for (const TextRun& r : runs) out += r.text;
  return out;
}

absl::StatusOr<DocxModel> ReadDocx(absl::string_view docx) {
  ASSIGN_OR_RETURN(Package package, ReadPackage(docx));
  const Part* doc_part = package.Find("word/document.xml");
  if (doc_part == nullptr) {
    return LocalizedError(absl::StatusCode::kInvalidArgument,
                          "文件不是 Word 文档（缺少 word/document.xml）",
                          "the file is not a Word document (it has no "
                          "word/document.xml)");
  }
  Reader reader(package);
  RETURN_IF_ERROR(reader.ReadStyles());
  ASSIGN_OR_RETURN(XmlDocPtr doc, ParseXml(doc_part->data, doc_part->name));
  const xmlNode* body = ChildW(xmlDocGetRootElement(doc.get()), "body");
  DocxModel model;
  if (body == nullptr) return model;
  reader.ReadBlocks(body, &model.body);
  if (const xmlNode* sect = ChildW(body, "sectPr")) {
    if (const xmlNode* sz = ChildW(sect, "pgSz")) {
      model.page.width_twips = IntAttr(sz, "w").value_or(11906);
      model.page.height_twips = IntAttr(sz, "h").value_or(16838);
    }
    if (const xmlNode* m = ChildW(sect, "pgMar")) {
      model.page.top = std::abs(IntAttr(m, "top").value_or(1440));
      model.page.bottom = std::abs(IntAttr(m, "bottom").value_or(1440));
      model.page.left = IntAttr(m, "left").value_or(1800);
      model.page.right = IntAttr(m, "right").value_or(1800);
    }
  }
  // Nonsense sizes from a damaged file must not break the layout.
  Page& pg = model.page;
  if (pg.width_twips < 2880 || pg.width_twips > 31680 ||
      pg.height_twips < 2880 || pg.height_twips > 31680) {
    pg = Page{};
  }
  if (pg.left + pg.right > pg.width_twips - 1440 ||
      pg.top + pg.bottom > pg.height_twips - 1440) {
    pg.top = pg.bottom = pg.left = pg.right = 1134;
  }
  if (const Part* core = package.Find("docProps/core.xml")) {
    auto core_doc = ParseXml(core->data, core->name);
    if (core_doc.ok()) {
      for (xmlNode* n = xmlDocGetRootElement(core_doc->get())->children;
           n != nullptr; n = n->next) {
        if (n->type != XML_ELEMENT_NODE) continue;
        const char* name = reinterpret_cast<const char*>(n->name);
        if (std::strcmp(name, "created") == 0) model.created = TextOf(n);
        if (std::strcmp(name, "title") == 0) model.title = TextOf(n);
      }
    }
  }
  return model;
}

std::string PlainText(const DocxModel& model) {
  std::string out;
  PlainBlocks(model.body, &out);
  return out;
}

}  // namespace gongkai::documents

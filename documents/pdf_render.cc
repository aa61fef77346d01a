// DocxToPdf: the DOCX read into a DocxModel and laid out with pango on cairo
// PDF pages. Paragraphs wrap at any CJK character (PANGO_WRAP_WORD_CHAR),
// lines move to the next page when they do not fit, tables are drawn with
// their merged cells (gridSpan, vMerge) and break between rows.
#include <cairo-pdf.h>
#include <pango/pangocairo.h>

#include <algorithm>
#include <functional>
#include <memory>
#include <mutex>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "documents/documents.h"
#include "documents/docx_model.h"

namespace gongkai::documents {
namespace {

// 宋体 where it is installed (offices' own machines), else Noto Serif CJK
// from fonts-noto-cjk; cairo embeds the subset used.
constexpr char kFontFamilies[] =
    "SimSun,宋体,Noto Serif CJK SC,Noto Sans CJK SC,serif";

constexpr double kCellPadX = 108 / 20.0;  // Word's default cell margins
constexpr double kCellPadY = 2.0;

double Pt(int twips) { return twips / 20.0; }

cairo_status_t Append(void* closure, const unsigned char* data,
                      unsigned int length) {
  static_cast<std::string*>(closure)->append(
      reinterpret_cast<const char*>(data), length);
  return CAIRO_STATUS_SUCCESS;
}

struct LayoutFree {
  void operator()(PangoLayout* l) const { g_object_unref(l); }
};
using LayoutPtr = std::unique_ptr<PangoLayout, LayoutFree>;

class Renderer {
 public:
  Renderer(const DocxModel& model, std::string* out) : model_(model) {
    const Page& pg = model.page;
    surface_ = cairo_pdf_surface_create_for_stream(
        Append, out, Pt(pg.width_twips), Pt(pg.height_twips));
    cairo_pdf_surface_set_metadata(surface_, CAIRO_PDF_METADATA_CREATOR,
                                   "gongkai");
    if (!model.title.empty()) {
      cairo_pdf_surface_set_metadata(surface_, CAIRO_PDF_METADATA_TITLE,
                                     model.title.c_str());
    }
    if (!model.created.empty()) {
      cairo_pdf_surface_set_metadata(surface_, CAIRO_PDF_METADATA_CREATE_DATE,
                                     model.created.c_str());
    }
    cr_ = cairo_create(surface_);
    // Sizes are in points on a page measured in points: 72 dpi, not the
    // screen's 96.
    context_ = pango_cairo_create_context(cr_);
    pango_cairo_context_set_resolution(context_, 72);
    top_ = Pt(pg.top);
    bottom_ = Pt(pg.height_twips - pg.bottom);
    left_ = Pt(pg.left);
    width_ = Pt(pg.width_twips - pg.left - pg.right);
    y_ = top_;
  }

  ~Renderer() {
    g_object_unref(context_);
    cairo_destroy(cr_);
    cairo_surface_destroy(surface_);
  }

  absl::Status Render() {
    const std::vector<Block>& body = model_.body;
    for (size_t i = 0; i < body.size(); ++i) {
      const Block& b = body[i];
      if (b.paragraph) {
        // A heading stays with the start of what follows: a paragraph's
        // first lines, or a table that will be kept whole.
        if (b.paragraph->keep_next && i + 1 < body.size() && y_ > top_) {
          double need = Measure(*b.paragraph, width_);
          const Block& next = body[i + 1];
          if (next.table) {
            const double t = Plan(*next.table).total;
            need += t <= bottom_ - top_ ? t : 60;
          } else {
            need += std::min(Measure(*next.paragraph, width_), 60.0);
          }
          if (y_ + need > bottom_ && need <= bottom_ - top_) NewPage();
        }
        Flow(*b.paragraph);
      } else {
        FlowTable(*b.table);
      }
    }
    cairo_show_page(cr_);
    cairo_surface_finish(surface_);
    cairo_status_t st = cairo_surface_status(surface_);
    if (st != CAIRO_STATUS_SUCCESS) {
      return absl::InternalError(
          absl::StrCat("cairo: ", cairo_status_to_string(st)));
    }
    return absl::OkStatus();
  }

 private:
  void NewPage() {
    cairo_show_page(cr_);
    y_ = top_;
  }

  LayoutPtr Layout(const Paragraph& p, double width) {
    LayoutPtr layout(pango_layout_new(context_));
    std::string text;
    PangoAttrList* attrs = pango_attr_list_new();
    const int base_half_points =
        p.runs.empty() ? p.half_points : p.runs[0].half_points;
    for (const TextRun& r : p.runs) {
      const guint start = text.size();
      text += r.text;
      PangoAttribute* size =
          pango_attr_size_new(r.half_points * PANGO_SCALE / 2);
      size->start_index = start;
      size->end_index = text.size();
      pango_attr_list_insert(attrs, size);
      if (r.bold) {
        PangoAttribute* w = pango_attr_weight_new(PANGO_WEIGHT_BOLD);
        w->start_index = start;
        w->end_index = text.size();
        pango_attr_list_insert(attrs, w);
      }
    }
    PangoFontDescription* font =
        pango_font_description_from_string(kFontFamilies);
    pango_font_description_set_size(font, base_half_points * PANGO_SCALE / 2);
    pango_layout_set_font_description(layout.get(), font);
    pango_font_description_free(font);
    pango_layout_set_text(layout.get(), text.data(), text.size());
    pango_layout_set_attributes(layout.get(), attrs);
    pango_attr_list_unref(attrs);
    const double avail =
        std::max(12.0, width - Pt(p.left_twips) - Pt(p.right_twips));
    pango_layout_set_width(layout.get(), static_cast<int>(avail * PANGO_SCALE));
    pango_layout_set_wrap(layout.get(), PANGO_WRAP_WORD_CHAR);
    pango_layout_set_indent(
        layout.get(), static_cast<int>(Pt(p.first_line_twips) * PANGO_SCALE));
    switch (p.align) {
      case Align::kCenter:
        pango_layout_set_alignment(layout.get(), PANGO_ALIGN_CENTER);
        break;
      case Align::kRight:
        pango_layout_set_alignment(layout.get(), PANGO_ALIGN_RIGHT);
        break;
      case Align::kJustify:
        pango_layout_set_justify(layout.get(), TRUE);
        break;
      case Align::kLeft:
        break;
    }
    return layout;
  }

  // Calls f(line, x_offset, ascent, natural height, pitch) for each line.
  template <typename F>
  void Lines(PangoLayout* layout, const Paragraph& p, F f) {
    PangoLayoutIter* it = pango_layout_get_iter(layout);
    do {
      PangoRectangle logical;
      pango_layout_iter_get_line_extents(it, nullptr, &logical);
      const double natural = logical.height / double(PANGO_SCALE);
      const double ascent = (pango_layout_iter_get_baseline(it) - logical.y) /
                            double(PANGO_SCALE);
      const double pitch = p.line_exact ? std::max(Pt(p.line_twips), 1.0)
                                        : natural * p.line_twips / 240.0;
      f(pango_layout_iter_get_line_readonly(it),
        logical.x / double(PANGO_SCALE), ascent, natural, pitch);
    } while (pango_layout_iter_next_line(it));
    pango_layout_iter_free(it);
  }

  // The height of `p` laid out in `width`.
  double Measure(const Paragraph& p, double width) {
    LayoutPtr layout = Layout(p, width);
    double h = Pt(p.before_twips) + Pt(p.after_twips);
    Lines(layout.get(), p,
          [&](PangoLayoutLine*, double, double, double, double pitch) {
            h += pitch;
          });
    return h;
  }

  // Draws `p` at (x, y) without breaking pages; returns the height used.
  double Draw(const Paragraph& p, double x, double y, double width) {
    LayoutPtr layout = Layout(p, width);
    double cy = y + Pt(p.before_twips);
    Lines(layout.get(), p,
          [&](PangoLayoutLine* line, double dx, double ascent, double natural,
              double pitch) {
            cairo_move_to(cr_, x + Pt(p.left_twips) + dx,
                          cy + (pitch - natural) / 2 + ascent);
            pango_cairo_show_layout_line(cr_, line);
            cy += pitch;
          });
    return cy + Pt(p.after_twips) - y;
  }

  // The body flow: `p` at the current position, lines carried to the next
  // page when they do not fit.
  void Flow(const Paragraph& p) {
    if (p.page_break_before && y_ > top_) NewPage();
    y_ += Pt(p.before_twips);
    LayoutPtr layout = Layout(p, width_);
    Lines(layout.get(), p,
          [&](PangoLayoutLine* line, double dx, double ascent, double natural,
              double pitch) {
            if (y_ + pitch > bottom_ + 0.01 && y_ > top_) NewPage();
            cairo_move_to(cr_, left_ + Pt(p.left_twips) + dx,
                          y_ + (pitch - natural) / 2 + ascent);
            pango_cairo_show_layout_line(cr_, line);
            y_ += pitch;
          });
    y_ += Pt(p.after_twips);
  }

  // The paragraphs of a cell, nested tables read as their paragraphs.
  static void CellParagraphs(const std::vector<Block>& blocks,
                             std::vector<const Paragraph*>* out) {
    for (const Block& b : blocks) {
      if (b.paragraph) {
        out->push_back(b.paragraph.get());
        continue;
      }
      for (const auto& row : b.table->rows) {
        for (const Cell& c : row) CellParagraphs(c.blocks, out);
      }
    }
  }

  struct Geom {
    const Cell* cell;
    double x, w;
    int col;
    int rows = 1;  // rows the cell covers (vMerge restart)
    double content = 0;
  };

  struct TablePlan {
    std::vector<std::vector<Geom>> g;
    std::vector<double> height;
    double total = 0;
  };

  // Where the cells of `t` go and how tall its rows are.
  TablePlan Plan(const Table& t) {
    TablePlan plan;
    double total = 0;
    for (int w : t.grid_twips) total += std::max(w, 0);
    if (total <= 0 || t.rows.empty()) return plan;
    const double scale = std::min(1.0, width_ / Pt(total));
    std::vector<double> col_x = {0};
    for (int w : t.grid_twips) col_x.push_back(col_x.back() + Pt(w) * scale);
    const double table_w = col_x.back();
    const double x0 = left_ + (width_ - table_w) / 2;
    const int ncols = t.grid_twips.size();

    // Where each cell sits, and what each restart cell covers.
    std::vector<std::vector<Geom>>& g = plan.g;
    g.resize(t.rows.size());
    for (size_t r = 0; r < t.rows.size(); ++r) {
      int col = 0;
      for (const Cell& c : t.rows[r]) {
        const int from = std::min(col, ncols - 1);
        const int to = std::min(col + c.span, ncols);
        g[r].push_back({&c, x0 + col_x[from],
                        col_x[std::max(to, from + 1)] - col_x[from], col});
        col += c.span;
      }
    }
    auto below = [&](size_t r, int col) -> const Geom* {
      if (r >= g.size()) return nullptr;
      for (const Geom& e : g[r]) {
        if (e.col == col) return &e;
      }
      return nullptr;
    };
    std::vector<double>& height = plan.height;
    height.assign(t.rows.size(), 0);
    for (size_t r = 0; r < g.size(); ++r) {
      for (Geom& e : g[r]) {
        if (e.cell->vmerge == VMerge::kContinue) continue;
        std::vector<const Paragraph*> ps;
        CellParagraphs(e.cell->blocks, &ps);
        for (const Paragraph* p : ps)
          e.content += Measure(*p, e.w - 2 * kCellPadX);
        e.content += 2 * kCellPadY;
        if (e.cell->vmerge == VMerge::kRestart) {
          while (true) {
            const Geom* n = below(r + e.rows, e.col);
            if (n == nullptr || n->cell->vmerge != VMerge::kContinue) break;
            ++e.rows;
          }
        }
        if (e.rows == 1) height[r] = std::max(height[r], e.content);
      }
    }
    for (size_t r = 0; r < g.size(); ++r) {
      height[r] = std::max(height[r], 12.0);
    }
    for (size_t r = 0; r < g.size(); ++r) {
      for (const Geom& e : g[r]) {
        if (e.rows < 2) continue;
        double sum = 0;
        for (int k = 0; k < e.rows; ++k) sum += height[r + k];
        if (e.content > sum) height[r + e.rows - 1] += e.content - sum;
      }
    }
    for (double h : height) plan.total += h;
    return plan;
  }

  static const Geom* Below(const TablePlan& plan, size_t r, int col) {
    if (r >= plan.g.size()) return nullptr;
    for (const Geom& e : plan.g[r]) {
      if (e.col == col) return &e;
    }
    return nullptr;
  }

  // Draws row `r` of `plan` at the current position; `top` when it is the
  // first row on its page (a merge continued from the page before gets its
  // top border back).
  void DrawRow(const TablePlan& plan, size_t r, bool top) {
    const double h = plan.height[r];
    for (const Geom& e : plan.g[r]) {
      const double x = e.x, w = e.w;
      cairo_move_to(cr_, x, y_);
      cairo_line_to(cr_, x, y_ + h);
      cairo_move_to(cr_, x + w, y_);
      cairo_line_to(cr_, x + w, y_ + h);
      if (e.cell->vmerge != VMerge::kContinue || top) {
        cairo_move_to(cr_, x, y_);
        cairo_line_to(cr_, x + w, y_);
      }
      const Geom* n = Below(plan, r + 1, e.col);
      if (n == nullptr || n->cell->vmerge != VMerge::kContinue) {
        cairo_move_to(cr_, x, y_ + h);
        cairo_line_to(cr_, x + w, y_ + h);
      }
      cairo_stroke(cr_);
      if (e.cell->vmerge == VMerge::kContinue) continue;
      double span_h = 0;
      for (int k = 0; k < e.rows; ++k) span_h += plan.height[r + k];
      if (y_ + span_h > bottom_ + 0.01) span_h = h;  // split by a page
      double cy = y_ + std::max(0.0, (span_h - e.content) / 2) + kCellPadY;
      std::vector<const Paragraph*> ps;
      CellParagraphs(e.cell->blocks, &ps);
      for (const Paragraph* p : ps) {
        cy += Draw(*p, x + kCellPadX, cy, w - 2 * kCellPadX);
      }
    }
    y_ += h;
  }

  // Draws row `r`, taller than a page, across as many pages as it needs:
  // each cell's lines go on until the page is full and continue overleaf
  // (after the repeated header rows, if any).
  void DrawTallRow(const TablePlan& plan, size_t r,
                   const std::function<void()>& new_page) {
    struct LineItem {
      PangoLayoutLine* line;
      double x, ascent, natural, pitch, gap;
    };
    struct CellLines {
      std::vector<LineItem> lines;
      size_t next = 0;
    };
    std::vector<LayoutPtr> layouts;  // own the lines below
    std::vector<CellLines> cells(plan.g[r].size());
    for (size_t i = 0; i < plan.g[r].size(); ++i) {
      const Geom& e = plan.g[r][i];
      if (e.cell->vmerge == VMerge::kContinue) continue;
      std::vector<const Paragraph*> ps;
      CellParagraphs(e.cell->blocks, &ps);
      double gap = 0;
      for (const Paragraph* p : ps) {
        gap += Pt(p->before_twips);
        layouts.push_back(Layout(*p, e.w - 2 * kCellPadX));
        Lines(layouts.back().get(), *p,
              [&](PangoLayoutLine* line, double dx, double ascent,
                  double natural, double pitch) {
                cells[i].lines.push_back(
                    {line, e.x + kCellPadX + Pt(p->left_twips) + dx, ascent,
                     natural, pitch, gap});
                gap = 0;
              });
        gap += Pt(p->after_twips);
      }
    }
    bool top = true;
    while (true) {
      const double avail = bottom_ - y_;
      double used = 0;
      bool more = false;
      for (CellLines& c : cells) {
        double cy = kCellPadY;
        bool drawn = false;
        while (c.next < c.lines.size()) {
          const LineItem& l = c.lines[c.next];
          if (drawn && cy + l.gap + l.pitch + kCellPadY > avail) {
            more = true;
            break;
          }
          cy += l.gap;
          cairo_move_to(cr_, l.x,
                        y_ + cy + (l.pitch - l.natural) / 2 + l.ascent);
          pango_cairo_show_layout_line(cr_, l.line);
          cy += l.pitch;
          drawn = true;
          ++c.next;
        }
        used = std::max(used, cy + kCellPadY);
      }
      const double h = more ? avail : used;
      for (const Geom& e : plan.g[r]) {
        cairo_move_to(cr_, e.x, y_);
        cairo_line_to(cr_, e.x, y_ + h);
        cairo_move_to(cr_, e.x + e.w, y_);
        cairo_line_to(cr_, e.x + e.w, y_ + h);
        if (top) {
          cairo_move_to(cr_, e.x, y_);
          cairo_line_to(cr_, e.x + e.w, y_);
        }
        cairo_move_to(cr_, e.x, y_ + h);
        cairo_line_to(cr_, e.x + e.w, y_ + h);
      }
      cairo_stroke(cr_);
      y_ += h;
      if (!more) break;
      new_page();
      top = true;
    }
  }

  void FlowTable(const Table& t) {
    const TablePlan plan = Plan(t);
    const auto& g = plan.g;
    const auto& height = plan.height;
    if (g.empty()) return;
    const double page = bottom_ - top_;
    // A table that fits on a page is not split.
    if (plan.total <= page && y_ + plan.total > bottom_ + 0.01 && y_ > top_) {
      NewPage();
    }
    // Header rows (w:tblHeader) repeat on every page the table reaches,
    // unless they would fill half of it.
    const size_t header = std::min<size_t>(t.header_rows, g.size());
    double header_h = 0;
    for (size_t r = 0; r < header; ++r) header_h += height[r];
    const bool repeat = header > 0 && header_h < page / 2;
    cairo_set_line_width(cr_, 0.5);
    // A new page inside the table: the rows left open by a merge that goes
    // on overleaf are closed, and the header rows repeated.
    auto break_page = [&](size_t r) {
      cairo_move_to(cr_, g[r].front().x, y_);
      cairo_line_to(cr_, g[r].back().x + g[r].back().w, y_);
      cairo_stroke(cr_);
      NewPage();
      if (repeat && r >= header) {
        for (size_t k = 0; k < header; ++k) DrawRow(plan, k, k == 0);
      }
      cairo_set_line_width(cr_, 0.5);
    };
    for (size_t r = 0; r < g.size(); ++r) {
      const double room = page - (repeat && r >= header ? header_h : 0);
      if (height[r] > room) {
        // Taller than a page: it starts here and breaks where it must.
        if (bottom_ - y_ < 48 && y_ > top_ + 0.01) break_page(r);
        DrawTallRow(plan, r, [&] { break_page(r); });
        continue;
      }
      double group = height[r];
      for (const Geom& e : g[r]) {
        double sum = 0;
        for (int k = 0; k < e.rows; ++k) sum += height[r + k];
        group = std::max(group, sum);
      }
      // Keep a small merged group on one page; never leave the header rows
      // alone at the foot of a page.
      double need = group <= page / 3 ? group : height[r];
      if (r < header) need = header_h + (r + 1 < g.size() ? height[header] : 0);
      const bool top = y_ <= top_ + 0.01;
      if (y_ + need > bottom_ + 0.01 && !top) {
        break_page(r);
        DrawRow(plan, r, !(repeat && r >= header));
        continue;
      }
      DrawRow(plan, r, top);
    }
  }

  const DocxModel& model_;
  cairo_surface_t* surface_;
  cairo_t* cr_;
  PangoContext* context_;
  double top_, bottom_, left_, width_, y_;
};

// Cairo wants "YYYY-MM-DDThh:mm:ss" with an optional zone; core.xml has
// W3CDTF ("2024-03-06T00:00:00Z"). Anything else is left out.
std::string PdfDate(const std::string& created) {
  std::string s(absl::StripAsciiWhitespace(created));
  if (s.size() < 10 || s[4] != '-' || s[7] != '-') return "";
  for (char c : s) {
    if (!absl::ascii_isdigit(c) && c != '-' && c != ':' && c != 'T' &&
        c != 'Z' && c != '+' && c != '.')
      return "";
  }
  return s.size() == 10 ? s + "T00:00:00Z" : s;
}

// Cairo dates a PDF with the current time when not told otherwise, which
// would make every rendering differ. Without a date of its own the entry is
// blanked out with spaces of the same length, so the cross-reference
// offsets stay right and the PDF stays valid.
void OmitCreationDate(std::string* pdf) {
  const size_t at = pdf->find("/CreationDate (");
  if (at == std::string::npos) return;
  const size_t end = pdf->find(')', at);
  if (end == std::string::npos) return;
  std::fill(pdf->begin() + at, pdf->begin() + end + 1, ' ');
}

}  // namespace

absl::StatusOr<std::string> DocxToPdf(absl::string_view docx) {
  ASSIGN_OR_RETURN(DocxModel model, ReadDocx(docx));
  model.created = PdfDate(model.created);
  // Pango's font map is shared by the process; laying out from several
  // threads at once is not supported by pango 1.50's fontconfig backend.
  static std::mutex mu;
  std::lock_guard<std::mutex> lock(mu);
  std::string out;
  {
    Renderer renderer(model, &out);
    RETURN_IF_ERROR(renderer.Render());
  }
  if (model.created.empty()) OmitCreationDate(&out);
  return out;
}

}  // namespace gongkai::documents

#include "documents/report_document.h"

#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "common/status_macros.h"
#include "documents/documents.h"
#include "documents/ooxml_writer.h"
#include "formats/report_layout.h"
#include "formats/report_render.h"

namespace gongkai::documents {
namespace {

using VM = CellSpec::VMerge;

CellSpec Head(std::string text, int span = 1, VM vm = VM::kNone) {
  CellSpec c{std::move(text), span, vm};
  c.header = true;
  return c;
}
CellSpec Label(std::string text, int span = 1, VM vm = VM::kNone) {
  CellSpec c{std::move(text), span, vm};
  c.left = true;
  return c;
}
CellSpec Num(std::string text) { return CellSpec{std::move(text)}; }

std::string ItemLabel(ProactiveItem item) {
  for (const ProactiveInfo& p : AllProactiveItems()) {
    if (p.item == item) return std::string(p.label);
  }
  return "";
}

// Table 2: one table per block of 第二十条, as the official form has it.
std::string Table2Docx(const AnnualReport& r) {
  std::string out;
  for (const Table2Block& b : Table2Blocks()) {
    const int n = b.columns.size();
    const int label = n == 1 ? 4425 : 2845;
    std::vector<int> grid = {label};
    for (int i = 0; i < n; ++i) grid.push_back((kTextWidthTwips - label) / n);
    std::vector<std::vector<CellSpec>> rows;
    rows.push_back({Head(b.heading, n + 1)});
    std::vector<CellSpec> heads = {Head("信息内容")};
    for (const char* c : b.columns) heads.push_back(Head(c));
    rows.push_back(heads);
    for (ProactiveItem item : b.items) {
      const ProactiveRow& pr = r.proactive[static_cast<int>(item) - 1];
      std::vector<CellSpec> row = {Label(ItemLabel(item))};
      switch (item) {
        case ProactiveItem::kRules:
        case ProactiveItem::kNormativeDocuments:
          row.push_back(Num(absl::StrCat(pr.issued)));
          row.push_back(Num(absl::StrCat(pr.repealed)));
          row.push_back(Num(absl::StrCat(pr.in_force)));
          break;
        case ProactiveItem::kFees:
          row.push_back(Num(FormatWanYuan(pr.amount_fen)));
          break;
        default:
          row.push_back(Num(absl::StrCat(pr.decisions)));
      }
      rows.push_back(row);
    }
    out += TableXml(grid, rows, kStyleCell, 2);
    out += ParagraphXml(kStyleLeft, "");
  }
  return out;
}

// Table 3 with the official three-row header over the applicant columns,
// 三、本年度办理结果 merged down its 22 rows and each heading （三）to（六）
// down its items.
std::string Table3Docx(const AnnualReport& r) {
  const std::vector<int> grid = {1000, 1300, 2213, 619, 619,
                                 619,  619,  619,  619, 618};
  std::vector<std::vector<CellSpec>> rows;
  rows.push_back({Label(kTable3Note, 3, VM::kRestart), Head("申请人情况", 7)});
  rows.push_back({Label("", 3, VM::kContinue), Head("自然人", 1, VM::kRestart),
                  Head("法人或其他组织", 5), Head("总计", 1, VM::kRestart)});
  std::vector<CellSpec> types = {Label("", 3, VM::kContinue),
                                 Head("", 1, VM::kContinue)};
  for (int i = 1; i < kApplicantTypeCount; ++i) {
    types.push_back(Head(std::string(AllApplicantTypes()[i].label)));
  }
  types.push_back(Head("", 1, VM::kContinue));
  rows.push_back(types);
  const std::vector<Table3Row> t3 = Table3Rows(r.table3);
  for (size_t i = 0; i < t3.size(); ++i) {
    const Table3Row& row = t3[i];
    std::vector<CellSpec> cells;
    if (row.sub.empty()) {
      cells.push_back(Label(row.group, 3));
    } else {
      cells.push_back(Label(row.group, 1,
                            row.id == "（一）" ? VM::kRestart : VM::kContinue));
      if (row.item.empty()) {
        cells.push_back(Label(row.sub, 2));
      } else {
        const bool first = i == 0 || t3[i - 1].sub != row.sub;
        cells.push_back(
            Label(row.sub, 1, first ? VM::kRestart : VM::kContinue));
        cells.push_back(Label(row.item));
      }
    }
    for (int64_t v : row.counts->by_type) cells.push_back(Num(absl::StrCat(v)));
    cells.push_back(Num(absl::StrCat(row.counts->total())));
    rows.push_back(std::move(cells));
  }
  return TableXml(grid, rows, kStyleSmallCell, 3);
}

// Table 4: 行政复议 over five columns, 行政诉讼 over ten split into its two
// groups; 行政复议's result headings merged down over the row of the
// litigation groups.
std::string Table4Docx(const AnnualReport& r) {
  std::vector<int> grid(15, kTextWidthTwips / 15);
  std::vector<std::vector<CellSpec>> rows;
  rows.push_back({Head(kReconsideration, 5), Head(kLitigation, 10)});
  std::vector<CellSpec> second, third;
  for (const char* h : kResultHeads) {
    second.push_back(Head(h, 1, VM::kRestart));
    third.push_back(Head("", 1, VM::kContinue));
  }
  second.push_back(Head(kLitigationDirect, 5));
  second.push_back(Head(kLitigationAfter, 5));
  for (int g = 0; g < 2; ++g) {
    for (const char* h : kResultHeads) third.push_back(Head(h));
  }
  rows.push_back(second);
  rows.push_back(third);
  std::vector<CellSpec> values;
  for (int64_t v : Table4Values(r.table4))
    values.push_back(Num(absl::StrCat(v)));
  rows.push_back(values);
  return TableXml(grid, rows, kStyleSmallCell, 3);
}

constexpr const char* kSectionHeadings[] = {"一、总体情况",
                                            kTable2Title,
                                            kTable3Title,
                                            kTable4Title,
                                            "五、存在的主要问题及改进情况",
                                            "六、其他需要报告的事项"};

// The heading text of `line` when it is a heading: "#" marks, or one of
// the six section headings alone on its line. `level` is the number of "#".
bool Heading(absl::string_view line, std::string* text, int* level) {
  absl::string_view t = absl::StripAsciiWhitespace(line);
  *level = 0;
  while (absl::ConsumePrefix(&t, "#")) ++*level;
  if (*level > 0 && !absl::StartsWith(t, " ")) *level = 0;
  std::string plain =
      absl::StrReplaceAll(absl::StripAsciiWhitespace(t), {{"**", ""}});
  if (*level > 0) {
    *text = plain;
    return true;
  }
  std::string squeezed = absl::StrReplaceAll(plain, {{" ", ""}});
  for (const char* h : kSectionHeadings) {
    if (squeezed == h) {
      *text = squeezed;
      *level = 2;
      return true;
    }
  }
  return false;
}

}  // namespace

absl::StatusOr<std::string> ReportDocx(const AnnualReport& r,
                                       const std::string& narrative) {
  // The narrative is checked and its figures filled by the same code as the
  // Markdown document; the Markdown tables it inserted are then swapped for
  // the official ones.
  ASSIGN_OR_RETURN(std::string md, ReportDocument(r, narrative, false));
  const std::string markers[3] = {"\x01table2\x01", "\x01table3\x01",
                                  "\x01table4\x01"};
  md = absl::StrReplaceAll(md, {{Table2Markdown(r), "\n" + markers[0] + "\n"},
                                {Table3Markdown(r), "\n" + markers[1] + "\n"},
                                {Table4Markdown(r), "\n" + markers[2] + "\n"}});
  const std::string title = absl::StrCat(r.agency.empty() ? "" : r.agency,
                                         r.year, "年政府信息公开工作年度报告");
  std::string body;
  bool has_title = false;
  std::string para;
  auto flush = [&] {
    if (!para.empty()) body += ParagraphXml(kStyleBody, para);
    para.clear();
  };
  for (absl::string_view line : absl::StrSplit(md, '\n')) {
    absl::string_view t = absl::StripAsciiWhitespace(line);
    if (t.empty()) {
      flush();
      continue;
    }
    if (t == markers[0] || t == markers[1] || t == markers[2]) {
      flush();
      body += t == markers[0]   ? Table2Docx(r)
              : t == markers[1] ? Table3Docx(r) + ParagraphXml(kStyleLeft, "")
                                : Table4Docx(r) + ParagraphXml(kStyleLeft, "");
      continue;
    }
    std::string text;
    int level = 0;
    if (Heading(t, &text, &level)) {
      flush();
      if (level == 1 && !has_title && body.empty()) {
        body += ParagraphXml(kStyleTitle, text);
        has_title = true;
      } else {
        body += ParagraphXml(kStyleHeading, text);
      }
      continue;
    }
    absl::StrAppend(&para, para.empty() ? "" : "\n",
                    absl::StrReplaceAll(t, {{"**", ""}}));
  }
  flush();
  if (!has_title) body = ParagraphXml(kStyleTitle, title) + body;
  // A document ends with a paragraph, never a table.
  body += ParagraphXml(kStyleLeft, "");
  return BuildDocx(body, title);
}

absl::StatusOr<std::string> ReportPdf(const AnnualReport& r,
                                      const std::string& narrative) {
  ASSIGN_OR_RETURN(std::string docx, ReportDocx(r, narrative));
  return DocxToPdf(docx);
}

}  // namespace gongkai::documents

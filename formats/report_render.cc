#include "formats/report_render.h"

#include <xlsxwriter.h>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "common/status_macros.h"
#include "common/text_width.h"
#include "formats/report_layout.h"
#include "formats/report_narrative.h"
#include "formats/text_table.h"

namespace gongkai {

const std::vector<Table2Block>& Table2Blocks() {
  static const std::vector<Table2Block> kBlocks = {
      {"第二十条第（一）项",
       {ProactiveItem::kRules, ProactiveItem::kNormativeDocuments},
       {"本年制发件数", "本年废止件数", "现行有效件数"}},
      {"第二十条第（五）项", {ProactiveItem::kLicensing}, {"本年处理决定数量"}},
      {"第二十条第（六）项",
       {ProactiveItem::kPunishment, ProactiveItem::kEnforcement},
       {"本年处理决定数量"}},
      {"第二十条第（八）项",
       {ProactiveItem::kFees},
       {"本年收费金额（单位：万元）"}},
  };
  return kBlocks;
}

namespace {

std::string ItemLabel(ProactiveItem item) {
  for (const ProactiveInfo& p : AllProactiveItems()) {
    if (p.item == item) return std::string(p.label);
  }
  return "";
}

std::vector<std::string> ItemValues(const AnnualReport& r, ProactiveItem item) {
  const ProactiveRow& row = r.proactive[static_cast<int>(item) - 1];
  switch (item) {
    case ProactiveItem::kRules:
    case ProactiveItem::kNormativeDocuments:
      return {absl::StrCat(row.issued), absl::StrCat(row.repealed),
              absl::StrCat(row.in_force)};
    case ProactiveItem::kFees:
      return {FormatWanYuan(row.amount_fen)};
    default:
      return {absl::StrCat(row.decisions)};
  }
}

std::vector<std::string> Cells(const Counts& c) {
  std::vector<std::string> out;
  for (int64_t v : c.by_type) out.push_back(absl::StrCat(v));
  out.push_back(absl::StrCat(c.total()));
  return out;
}

std::string Title(const AnnualReport& r) {
  return absl::StrCat(r.agency.empty() ? "" : r.agency + " ", r.year,
                      "年政府信息公开工作年度报告");
}

}  // namespace

std::string HtmlEscape(absl::string_view s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out.push_back(c);
    }
  }
  return out;
}

namespace {

// Table 3 with the official three-level header over the applicant columns
// and the row labels indented under their headings. Nothing is cut: the
// label column is as wide as its longest label.
std::string Table3Text(const AnnualReport& r) {
  std::vector<std::vector<TextCell>> rows;
  rows.push_back({{""}, {"申请人情况", 7}});
  rows.push_back({{""}, {"自然人"}, {"法人或其他组织", 5}, {"总计"}});
  std::vector<TextCell> types = {{""}, {""}};
  for (int i = 1; i < kApplicantTypeCount; ++i) {
    types.push_back({std::string(AllApplicantTypes()[i].label)});
  }
  types.push_back({""});
  rows.push_back(types);
  std::string last_sub;
  for (const Table3Row& row : Table3Rows(r.table3)) {
    std::string label;
    if (row.sub.empty()) {
      label = row.group;
    } else if (row.item.empty()) {
      if (row.id == "（一）") rows.push_back({{row.group}});
      label = "  " + row.sub;
    } else {
      if (row.sub != last_sub) rows.push_back({{"  " + row.sub}});
      label = "    " + row.item;
    }
    last_sub = row.sub;
    std::vector<TextCell> cells = {{label}};
    for (std::string& c : Cells(*row.counts)) cells.push_back({std::move(c)});
    rows.push_back(std::move(cells));
  }
  return FormatSpannedTable(rows,
                            {false, true, true, true, true, true, true, true});
}

// Table 4 as the official form lays it out: 15 columns in one row under a
// two-level header.
std::string Table4Text(const AnnualReport& r) {
  std::vector<std::vector<TextCell>> rows;
  rows.push_back({{kReconsideration, 5}, {kLitigation, 10}});
  std::vector<TextCell> groups;
  for (const char* h : kResultHeads) groups.push_back({h});
  groups.push_back({kLitigationDirect, 5});
  groups.push_back({kLitigationAfter, 5});
  rows.push_back(groups);
  std::vector<TextCell> heads(5, TextCell{""});
  for (int g = 0; g < 2; ++g) {
    for (const char* h : kResultHeads) heads.push_back({h});
  }
  rows.push_back(heads);
  std::vector<TextCell> values;
  for (int64_t v : Table4Values(r.table4)) values.push_back({absl::StrCat(v)});
  rows.push_back(values);
  return FormatSpannedTable(rows, std::vector<bool>(15, true));
}

}  // namespace

std::string ReportText(const AnnualReport& r) {
  std::string out = absl::StrCat(Title(r), "\n\n", kTable2Title, "\n");
  for (const Table2Block& b : Table2Blocks()) {
    std::vector<std::vector<std::string>> rows;
    std::vector<std::string> head = {b.heading};
    rows.push_back(head);
    std::vector<std::string> cols = {"信息内容"};
    for (const char* c : b.columns) cols.push_back(c);
    rows.push_back(cols);
    for (ProactiveItem item : b.items) {
      std::vector<std::string> row = {ItemLabel(item)};
      for (std::string& v : ItemValues(r, item)) row.push_back(std::move(v));
      rows.push_back(row);
    }
    absl::StrAppend(&out, FormatTable(rows, {false, true, true, true}), "\n");
  }
  absl::StrAppend(&out, kTable3Title, "\n", Table3Text(r), kTable3Note, "\n\n",
                  kTable4Title, "\n", Table4Text(r));
  absl::StrAppend(
      &out, "\n依申请公开收费: ", r.fees_collected_fen / 100,
      r.fees_collected_fen % 100
          ? absl::StrCat(".", r.fees_collected_fen % 100 < 10 ? "0" : "",
                         r.fees_collected_fen % 100)
          : "",
      " 元\n");
  return out;
}

std::string Table2Markdown(const AnnualReport& r) {
  std::string out;
  for (const Table2Block& b : Table2Blocks()) {
    absl::StrAppend(&out, "| ", b.heading);
    for (size_t i = 0; i < b.columns.size(); ++i) out += " | ";
    out += " |\n|---";
    for (size_t i = 0; i < b.columns.size(); ++i) out += "|---:";
    out += "|\n| 信息内容";
    for (const char* c : b.columns) absl::StrAppend(&out, " | ", c);
    out += " |\n";
    for (ProactiveItem item : b.items) {
      absl::StrAppend(&out, "| ", ItemLabel(item));
      for (const std::string& v : ItemValues(r, item))
        absl::StrAppend(&out, " | ", v);
      out += " |\n";
    }
    out += "\n";
  }
  return out;
}

std::string Table3Markdown(const AnnualReport& r) {
  std::string out =
      "| 项目 | 自然人 | 商业企业 | 科研机构 | 社会公益组织 | 法律服务机构 | "
      "其他 | 总计 |\n"
      "|---|---:|---:|---:|---:|---:|---:|---:|\n";
  for (const Table3Row& row : Table3Rows(r.table3)) {
    std::string label = row.group;
    if (!row.sub.empty()) label += " " + row.sub;
    if (!row.item.empty()) label += " " + row.item;
    absl::StrAppend(&out, "| ", label);
    for (const std::string& c : Cells(*row.counts))
      absl::StrAppend(&out, " | ", c);
    out += " |\n";
  }
  absl::StrAppend(&out,
                  "\n商业企业、科研机构、社会公益组织、法律服务机构、其他 "
                  "均属“法人或其他组织”。",
                  kTable3Note, "\n");
  return out;
}

std::string Table4Markdown(const AnnualReport& r) {
  // Markdown has one header row and no merged cells: the header names each
  // group over its first column, and the first body row names the columns.
  std::string out;
  for (const std::string& group :
       {std::string(kReconsideration),
        absl::StrCat(kLitigation, " — ", kLitigationDirect),
        absl::StrCat(kLitigation, " — ", kLitigationAfter)}) {
    absl::StrAppend(&out, "| ", group, " |   |   |   |   ");
  }
  out += "|\n";
  for (int c = 0; c < 15; ++c) out += "|---:";
  out += "|\n";
  for (int g = 0; g < 3; ++g) {
    for (const char* h : kResultHeads) absl::StrAppend(&out, "| ", h, " ");
  }
  out += "|\n";
  for (int64_t v : Table4Values(r.table4)) absl::StrAppend(&out, "| ", v, " ");
  return out + "|\n";
}

std::string ReportMarkdown(const AnnualReport& r) {
  return absl::StrCat("# ", Title(r), "\n\n## ", kTable2Title, "\n\n",
                      Table2Markdown(r), "## ", kTable3Title, "\n\n",
                      Table3Markdown(r), "\n## ", kTable4Title, "\n\n",
                      Table4Markdown(r));
}

std::string Table2Html(const AnnualReport& r) {
  // One table per block, as in the official format: the blocks have
  // different columns.
  std::string out;
  for (const Table2Block& b : Table2Blocks()) {
    const int width = 1 + static_cast<int>(b.columns.size());
    absl::StrAppend(
        &out, "<table class=\"t2\">\n<tr><th class=\"block\" colspan=\"", width,
        "\">", b.heading, "</th></tr>\n<tr><th>信息内容</th>");
    for (const char* c : b.columns) absl::StrAppend(&out, "<th>", c, "</th>");
    out += "</tr>\n";
    for (ProactiveItem item : b.items) {
      absl::StrAppend(&out, "<tr><th class=\"label\">", ItemLabel(item),
                      "</th>");
      for (const std::string& v : ItemValues(r, item))
        absl::StrAppend(&out, "<td>", v, "</td>");
      out += "</tr>\n";
    }
    out += "</table>\n";
  }
  return out;
}

std::string Table3Html(const AnnualReport& r) {
  std::string out = absl::StrCat(
      "<table class=\"t3\">\n<tr><th colspan=\"3\" rowspan=\"3\" "
      "class=\"note\">",
      kTable3Note,
      "</th><th colspan=\"7\">申请人情况</th></tr>\n"
      "<tr><th rowspan=\"2\">自然人</th><th colspan=\"5\">法人或其他组织</th>"
      "<th rowspan=\"2\">总计</th></tr>\n<tr>");
  for (int i = 1; i < kApplicantTypeCount; ++i) {
    absl::StrAppend(&out, "<th>", AllApplicantTypes()[i].label, "</th>");
  }
  out += "</tr>\n";
  std::vector<Table3Row> rows = Table3Rows(r.table3);
  // Row spans: 三 covers the 22 outcome rows; each heading its items.
  for (size_t i = 0; i < rows.size(); ++i) {
    const Table3Row& row = rows[i];
    out += "<tr>";
    if (row.sub.empty()) {
      absl::StrAppend(&out, "<th colspan=\"3\" class=\"label\">", row.group,
                      "</th>");
    } else {
      if (row.id == "（一）") {
        absl::StrAppend(&out, "<th rowspan=\"22\" class=\"label\">", row.group,
                        "</th>");
      }
      if (row.item.empty()) {
        absl::StrAppend(&out, "<th colspan=\"2\" class=\"label\">", row.sub,
                        "</th>");
      } else {
        if (i == 0 || rows[i - 1].sub != row.sub) {
          int span = 0;
          for (size_t j = i; j < rows.size() && rows[j].sub == row.sub; ++j)
            ++span;
          absl::StrAppend(&out, "<th rowspan=\"", span, "\" class=\"label\">",
                          row.sub, "</th>");
        }
        absl::StrAppend(&out, "<th class=\"label item\">", row.item, "</th>");
      }
    }
    for (const std::string& c : Cells(*row.counts))
      absl::StrAppend(&out, "<td>", c, "</td>");
    out += "</tr>\n";
  }
  return out + "</table>\n";
}

std::string Table4Html(const AnnualReport& r) {
  // As the official form: 行政复议's result headings span the two header rows
  // that 行政诉讼 needs for its groups.
  std::string out = absl::StrCat("<table class=\"t4\">\n<tr><th colspan=\"5\">",
                                 kReconsideration, "</th><th colspan=\"10\">",
                                 kLitigation, "</th></tr>\n<tr>");
  for (const char* h : kResultHeads)
    absl::StrAppend(&out, "<th rowspan=\"2\">", h, "</th>");
  absl::StrAppend(&out, "<th colspan=\"5\">", kLitigationDirect,
                  "</th><th colspan=\"5\">", kLitigationAfter,
                  "</th></tr>\n<tr>");
  for (int g = 0; g < 2; ++g) {
    for (const char* h : kResultHeads)
      absl::StrAppend(&out, "<th>", h, "</th>");
  }
  out += "</tr>\n<tr>";
  for (int64_t v : Table4Values(r.table4))
    absl::StrAppend(&out, "<td>", v, "</td>");
  return out + "</tr>\n</table>\n";
}

namespace {

constexpr char kStyle[] = R"css(
@page { size: A4; margin: 18mm 15mm; }
body { font-family: "Noto Serif CJK SC", "Source Han Serif SC", "SimSun", serif;
       font-size: 10.5pt; color: #000; max-width: 180mm; margin: 0 auto; }
h1 { font-size: 16pt; text-align: center; }
h2 { font-size: 12pt; margin-top: 1.4em; }
table { border-collapse: collapse; width: 100%; margin: 0.6em 0; page-break-inside: avoid; }
th, td { border: 1px solid #000; padding: 2px 4px; }
th { font-weight: normal; text-align: center; background: #f3f3f3; }
th.label { text-align: left; }
th.note { font-size: 9pt; }
td { text-align: right; font-variant-numeric: tabular-nums; }
p.note { font-size: 9pt; }
@media print { th { background: none; } }
)css";

// Checks the rendered layout in the browser: merged header cells must span
// exactly the columns below them. The result is written into the page so a
// headless browser's DOM dump shows it.
constexpr char kLayoutCheck[] = R"js(
<script>
window.addEventListener('load', function () {
  var problems = [];
  document.querySelectorAll('table').forEach(function (t) {
    var rows = t.rows, width = null;
    var grid = [];
    for (var r = 0; r < rows.length; r++) {
      grid[r] = grid[r] || [];
      var c = 0;
      for (var k = 0; k < rows[r].cells.length; k++) {
        var cell = rows[r].cells[k];
        while (grid[r][c]) c++;
        for (var dr = 0; dr < cell.rowSpan; dr++) {
          grid[r + dr] = grid[r + dr] || [];
          for (var dc = 0; dc < cell.colSpan; dc++) grid[r + dr][c + dc] = true;
        }
        c += cell.colSpan;
      }
    }
    for (var r = 0; r < grid.length; r++) {
      var n = grid[r].length;
      if (width === null) width = n;
      if (n !== width) problems.push(t.className + ' row ' + r + ' spans ' + n + ' of ' + width);
    }
    var box = t.getBoundingClientRect();
    rows[rows.length - 1] && Array.prototype.forEach.call(rows[rows.length - 1].cells,
      function (cell) {
        var b = cell.getBoundingClientRect();
        if (b.right > box.right + 1) problems.push(t.className + ' overflows');
      });
  });
  var out = document.getElementById('layout-check');
  out.setAttribute('data-problems', problems.length);
  out.textContent = problems.length ? problems.join('; ') : 'layout ok';
});
</script>
)js";

std::string Page(const std::string& title, const std::string& body) {
  return absl::StrCat(
      "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta "
      "charset=\"utf-8\">\n<title>",
      HtmlEscape(title), "</title>\n<style>", kStyle,
      "#layout-check { display: none; }</style>\n</head>\n<body>\n", body,
      "<div id=\"layout-check\"></div>\n", kLayoutCheck, "</body>\n</html>\n");
}

}  // namespace

std::string ReportHtml(const AnnualReport& r) {
  std::string body = absl::StrCat(
      "<h1>", HtmlEscape(Title(r)), "</h1>\n<h2>", kTable2Title, "</h2>\n",
      Table2Html(r), "<h2>", kTable3Title, "</h2>\n", Table3Html(r), "<h2>",
      kTable4Title, "</h2>\n", Table4Html(r));
  return Page(Title(r), body);
}

absl::Status WriteReportXlsx(const AnnualReport& r, const std::string& path,
                             const std::vector<std::string>& notes) {
  lxw_workbook* wb = workbook_new(path.c_str());
  if (wb == nullptr)
    return absl::InternalError(absl::StrCat("cannot create ", path));
  if (!notes.empty()) {
    // The first sheet, so that it is what the workbook opens on.
    lxw_worksheet* ws = workbook_add_worksheet(wb, "说明");
    worksheet_set_column(ws, 0, 0, 100, nullptr);
    for (size_t i = 0; i < notes.size(); ++i) {
      worksheet_write_string(ws, static_cast<lxw_row_t>(i), 0, notes[i].c_str(),
                             nullptr);
    }
  }
  lxw_format* head = workbook_add_format(wb);
  format_set_bold(head);
  format_set_border(head, LXW_BORDER_THIN);
  format_set_align(head, LXW_ALIGN_CENTER);
  format_set_align(head, LXW_ALIGN_VERTICAL_CENTER);
  format_set_text_wrap(head);
  lxw_format* label = workbook_add_format(wb);
  format_set_border(label, LXW_BORDER_THIN);
  format_set_text_wrap(label);
  format_set_align(label, LXW_ALIGN_VERTICAL_CENTER);
  lxw_format* num = workbook_add_format(wb);
  format_set_border(num, LXW_BORDER_THIN);
  lxw_format* money = workbook_add_format(wb);
  format_set_border(money, LXW_BORDER_THIN);
  format_set_num_format(money, "0.0000");

  // 表二
  lxw_worksheet* ws2 = workbook_add_worksheet(wb, "表二");
  worksheet_set_column(ws2, 0, 0, 22, nullptr);
  worksheet_set_column(ws2, 1, 3, 16, nullptr);
  int row = 0;
  worksheet_write_string(ws2, row++, 0, kTable2Title, nullptr);
  for (const Table2Block& b : Table2Blocks()) {
    const int last = static_cast<int>(b.columns.size());
    worksheet_merge_range(ws2, row, 0, row, last, b.heading, head);
    ++row;
    worksheet_write_string(ws2, row, 0, "信息内容", head);
    for (int c = 0; c < last; ++c)
      worksheet_write_string(ws2, row, c + 1, b.columns[c], head);
    ++row;
    for (ProactiveItem item : b.items) {
      worksheet_write_string(ws2, row, 0, ItemLabel(item).c_str(), label);
      const ProactiveRow& pr = r.proactive[static_cast<int>(item) - 1];
      if (item == ProactiveItem::kFees) {
        worksheet_write_number(
            ws2, row, 1,
            static_cast<double>((pr.amount_fen + 50) / 100) / 10000.0, money);
      } else {
        std::vector<std::string> vals = ItemValues(r, item);
        for (size_t c = 0; c < vals.size(); ++c) {
          worksheet_write_number(ws2, row, static_cast<int>(c) + 1,
                                 std::stod(vals[c]), num);
        }
      }
      ++row;
    }
  }

  // 表三
  lxw_worksheet* ws3 = workbook_add_worksheet(wb, "表三");
  worksheet_set_column(ws3, 0, 0, 16, nullptr);
  worksheet_set_column(ws3, 1, 1, 20, nullptr);
  worksheet_set_column(ws3, 2, 2, 40, nullptr);
  worksheet_set_column(ws3, 3, 9, 10, nullptr);
  worksheet_write_string(ws3, 0, 0, kTable3Title, nullptr);
  worksheet_merge_range(ws3, 1, 0, 3, 2, kTable3Note, head);
  worksheet_merge_range(ws3, 1, 3, 1, 9, "申请人情况", head);
  worksheet_merge_range(ws3, 2, 3, 3, 3, "自然人", head);
  worksheet_merge_range(ws3, 2, 4, 2, 8, "法人或其他组织", head);
  worksheet_merge_range(ws3, 2, 9, 3, 9, "总计", head);
  for (int i = 1; i < kApplicantTypeCount; ++i) {
    worksheet_write_string(
        ws3, 3, 3 + i, std::string(AllApplicantTypes()[i].label).c_str(), head);
  }
  std::vector<Table3Row> rows = Table3Rows(r.table3);
  const int first = 4;
  for (size_t i = 0; i < rows.size(); ++i) {
    const int rr = first + static_cast<int>(i);
    const Table3Row& t = rows[i];
    if (t.sub.empty()) {
      worksheet_merge_range(ws3, rr, 0, rr, 2, t.group.c_str(), label);
    } else {
      if (t.id == "（一）") {
        worksheet_merge_range(ws3, rr, 0, rr + 21, 0, t.group.c_str(), label);
      }
      if (t.item.empty()) {
        worksheet_merge_range(ws3, rr, 1, rr, 2, t.sub.c_str(), label);
      } else {
        if (rows[i - 1].sub != t.sub) {
          int span = 0;
          for (size_t j = i; j < rows.size() && rows[j].sub == t.sub; ++j)
            ++span;
          worksheet_merge_range(ws3, rr, 1, rr + span - 1, 1, t.sub.c_str(),
                                label);
        }
        worksheet_write_string(ws3, rr, 2, t.item.c_str(), label);
      }
    }
    for (int c = 0; c < kApplicantTypeCount; ++c) {
      worksheet_write_number(ws3, rr, 3 + c,
                             static_cast<double>(t.counts->by_type[c]), num);
    }
    worksheet_write_number(ws3, rr, 9, static_cast<double>(t.counts->total()),
                           num);
  }

  // 表四
  lxw_worksheet* ws4 = workbook_add_worksheet(wb, "表四");
  worksheet_set_column(ws4, 0, 14, 9, nullptr);
  worksheet_write_string(ws4, 0, 0, kTable4Title, nullptr);
  worksheet_merge_range(ws4, 1, 0, 1, 4, kReconsideration, head);
  worksheet_merge_range(ws4, 1, 5, 1, 14, kLitigation, head);
  for (int c = 0; c < 5; ++c)
    worksheet_merge_range(ws4, 2, c, 3, c, kResultHeads[c], head);
  worksheet_merge_range(ws4, 2, 5, 2, 9, kLitigationDirect, head);
  worksheet_merge_range(ws4, 2, 10, 2, 14, kLitigationAfter, head);
  std::vector<int64_t> v = Table4Values(r.table4);
  for (int c = 0; c < 15; ++c) {
    if (c >= 5) worksheet_write_string(ws4, 3, c, kResultHeads[c % 5], head);
    worksheet_write_number(ws4, 4, c, static_cast<double>(v[c]), num);
  }
  lxw_error err = workbook_close(wb);
  if (err != LXW_NO_ERROR) {
    return absl::InternalError(
        absl::StrCat("cannot write ", path, ": ", lxw_strerror(err)));
  }
  return absl::OkStatus();
}

namespace {

// Minimal Markdown to HTML for narratives: headings, paragraphs, and raw
// HTML blocks (the inserted tables) passed through.
std::string MarkdownToHtml(const std::string& md) {
  std::string out, para;
  auto flush = [&] {
    if (!para.empty()) absl::StrAppend(&out, "<p>", para, "</p>\n");
    para.clear();
  };
  for (absl::string_view line : absl::StrSplit(md, '\n')) {
    absl::string_view t = absl::StripAsciiWhitespace(line);
    if (t.empty()) {
      flush();
      continue;
    }
    if (absl::StartsWith(t, "<table") || absl::StartsWith(t, "<tr") ||
        absl::StartsWith(t, "</table") || absl::StartsWith(t, "<p class")) {
      flush();
      absl::StrAppend(&out, line, "\n");
      continue;
    }
    int level = 0;
    while (level < static_cast<int>(t.size()) && t[level] == '#') ++level;
    if (level > 0 && level <= 4 && level < static_cast<int>(t.size()) &&
        t[level] == ' ') {
      flush();
      absl::StrAppend(&out, "<h", level, ">", HtmlEscape(t.substr(level + 1)),
                      "</h", level, ">\n");
      continue;
    }
    absl::StrAppend(&para, para.empty() ? "" : "<br>", HtmlEscape(t));
  }
  flush();
  return out;
}

const Json* Lookup(const Json& root, absl::string_view path) {
  const Json* cur = &root;
  for (absl::string_view part : absl::StrSplit(path, '.')) {
    cur = cur->Find(part);
    if (cur == nullptr) return nullptr;
  }
  return cur;
}

}  // namespace

absl::StatusOr<std::string> ReportDocument(const AnnualReport& r,
                                           const std::string& narrative,
                                           bool html) {
  // The missing sections and the unknown placeholders are reported together,
  // so the clerk fixes the narrative in one go.
  const absl::Status sections = CheckNarrative(narrative);
  const Json figures = ReportToJson(r);
  const std::string tables[3] = {
      html ? Table2Html(r) : Table2Markdown(r),
      html ? Table3Html(r) +
                 absl::StrCat("<p class=\"note\">", kTable3Note, "</p>\n")
           : Table3Markdown(r),
      html ? Table4Html(r) : Table4Markdown(r)};
  const char* const kHeadings[3] = {"二、", "三、", "四、"};
  bool placed[3] = {false, false, false};
  std::string out;
  std::vector<std::string> unknown;
  int line_no = 0;
  for (absl::string_view line : absl::StrSplit(narrative, '\n')) {
    ++line_no;
    std::string filled;
    size_t pos = 0;
    std::string text(line);
    while (true) {
      size_t open = text.find("{{", pos);
      if (open == std::string::npos) {
        filled += text.substr(pos);
        break;
      }
      size_t close = text.find("}}", open);
      if (close == std::string::npos) {
        filled += text.substr(pos);
        break;
      }
      filled += text.substr(pos, open - pos);
      std::string name(
          absl::StripAsciiWhitespace(text.substr(open + 2, close - open - 2)));
      if (name == "table2" || name == "table3" || name == "table4") {
        int k = name[5] - '2';
        filled += "\n" + tables[k] + "\n";
        placed[k] = true;
      } else if (name == "year") {
        filled += absl::StrCat(r.year);
      } else if (name == "agency") {
        filled += r.agency;
      } else if (const Json* v = Lookup(figures, name);
                 v != nullptr && !v->is_object() && !v->is_array()) {
        filled += v->is_string() ? v->as_string() : v->Dump();
      } else {
        unknown.push_back(absl::StrCat("line ", line_no, ": {{", name, "}}"));
      }
      pos = close + 2;
    }
    absl::StrAppend(&out, filled, "\n");
  }
  if (!unknown.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        sections.ok() ? "" : absl::StrCat(sections.message(), "\n"),
        "unknown placeholders (use paths of the JSON report, e.g. "
        "{{requests.new.total}}, {{fees.collected_yuan}}, or {{table3}}): ",
        absl::StrJoin(unknown, ", ")));
  }
  RETURN_IF_ERROR(sections);
  // Tables without a placeholder go right after their section heading.
  for (int k = 0; k < 3; ++k) {
    if (placed[k]) continue;
    std::vector<std::string> lines = absl::StrSplit(out, '\n');
    bool inserted = false;
    for (size_t i = 0; i < lines.size() && !inserted; ++i) {
      absl::string_view t = absl::StripLeadingAsciiWhitespace(lines[i]);
      while (absl::ConsumePrefix(&t, "#")) {
      }
      t = absl::StripLeadingAsciiWhitespace(t);
      if (absl::StartsWith(t, kHeadings[k])) {
        lines.insert(lines.begin() + i + 1, "\n" + tables[k]);
        inserted = true;
      }
    }
    if (!inserted) {
      return absl::InvalidArgumentError(
          absl::StrCat("the narrative has neither {{table", k + 2,
                       "}} nor a heading starting with ", kHeadings[k]));
    }
    out = absl::StrJoin(lines, "\n");
  }
  if (!html) return out;
  return Page(Title(r), MarkdownToHtml(out));
}

}  // namespace gongkai

#!/usr/bin/env python3
"""Writes every file of the corpus from the transcriptions.

Each transcription (transcriptions/*.json) holds the tables of one published
report cell by cell, exactly as published. This script renders them in the
formats the checker reads, the way an office or a reader would produce them:

  html_shanghai  the page's own table markup (2019 layout, &nbsp; for zero,
                 rowspan/colspan as on shanghai.gov.cn), tables and the
                 figures paragraph only
  html           a gov.cn-style page with rowspan/colspan (markup
                 reconstructed; the cell texts are the published ones)
  csv            what Excel writes for a sheet holding the tables: merged
                 cells give their text to the top-left position, the covered
                 positions stay empty, rows padded to the used width, CRLF
  unicode_text   Excel's “Unicode 文本”: UTF-16LE with BOM, tab-separated
  tsv            tab-separated UTF-8 text of the same sheet
  verbatim       the report as copied from the page (kept byte for byte)
  xlsx / docx    LibreOffice headless from a rendered HTML page, so merged
                 cells stay merged

A mutated copy (corpus.json "mutation") changes exactly one published cell or
one narrative number before rendering. Run from anywhere:
  python3 tests/data/published/make_renderings.py            # every file
  python3 tests/data/published/make_renderings.py pingtan-2021  # one report's files
(LibreOffice does not write XLSX/DOCX byte for byte the same twice, so render
only the reports you changed.)
"""
import copy
import csv
import html
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
COLUMNS = ["natural_person", "commercial_enterprise", "research_institution",
           "public_interest_org", "legal_service_org", "other_org", "total"]
T4_GROUPS = ["reconsideration", "litigation_direct",
             "litigation_after_reconsideration"]
T4_COLUMNS = ["upheld", "corrected", "other", "pending", "total"]
NBSP = "\u00a0"


def load(report_id):
    with open(os.path.join(HERE, "transcriptions", report_id + ".json"),
              encoding="utf-8") as f:
        return json.load(f)


def apply_mutation(rep, mutation):
    """Returns a copy of `rep` with the one change of `mutation`."""
    rep = copy.deepcopy(rep)
    if not mutation:
        return rep
    if mutation.get("table") == 3:
        row = next(r for r in rep["table3"] if r["row"] == mutation["row"])
        i = COLUMNS.index(mutation["column"])
        assert row["cells"][i] == mutation["from"], (row, mutation)
        row["cells"][i] = mutation["to"]
    elif mutation.get("table") == 4:
        cells = rep["table4"][mutation["row"]]
        i = T4_COLUMNS.index(mutation["column"])
        assert cells[i] == mutation["from"], (cells, mutation)
        cells[i] = mutation["to"]
    elif "narrative" in mutation:
        para = rep["narrative"][0]
        assert mutation["from"] in para["text"], mutation
        para["text"] = para["text"].replace(mutation["from"], mutation["to"])
    return rep


# ---------------------------------------------------------------------------
# Layout: a table is a list of rows; a row is a list of cells
# {"text", "rs", "cs"}. Both the HTML (spans kept) and the flat formats
# (spans expanded the way Excel saves merged cells) come from it.

def cell(text, rs=1, cs=1, **extra):
    c = {"text": text, "rs": rs, "cs": cs}
    c.update(extra)
    return c


def table2_layout(rep):
    if rep["table2"] and isinstance(rep["table2"][0], dict):
        return shanghai_table2_layout(rep)
    rows = []
    for r in rep["table2"]:
        rows.append([cell(**c) if isinstance(c, dict) else cell(c) for c in r])
    return rows


def table3_layout(rep):
    """The standard table-3 shape of both layouts, with the published
    labels. The note cell spans three header rows; 三、本年度办理结果 spans
    every outcome row and （七）总计."""
    header = rep.get("table3_header", {})
    note = header.get("note", "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）")
    names = header.get("columns", ["自然人", "商业企业", "科研机构", "社会公益组织",
                                   "法律服务机构", "其他", "总计"])
    rows = [
        [cell(note, rs=3, cs=3), cell(header.get("applicants", "申请人情况"), cs=7)],
        [cell(names[0], rs=2), cell("法人或其他组织", cs=5), cell(names[6], rs=2)],
        [cell(n) for n in names[1:6]],
    ]
    t3 = rep["table3"]
    outcome_rows = [r for r in t3 if r["row"] not in ("一", "二", "四")]
    # A page may repeat the group label 三、本年度办理结果 (Pingtan repeats
    # it before （四）); each one spans the outcome rows up to the next.
    starts = [i for i, r in enumerate(outcome_rows) if r["labels"][0].startswith("三、")]
    span_of = {outcome_rows[i]["row"]: (starts[k + 1] if k + 1 < len(starts) else len(outcome_rows)) - i
               for k, i in enumerate(starts)}
    groups = {}
    for r in t3:
        g = r["row"][:3] if r["row"][0] == "（" and len(r["row"]) > 3 else None
        if g:
            groups[g] = groups.get(g, 0) + 1
    for r in t3:
        out = []
        labels = list(r["labels"])
        rid = r["row"]
        if rid in ("一", "二", "四"):
            out.append(cell(labels[0], cs=3, role="label"))
        else:
            if labels[0].startswith("三、"):
                out.append(cell(labels.pop(0), rs=span_of[rid], role="label"))
            group = rid[:3] if len(rid) > 3 else None
            if group:
                if rid.endswith("1") and len(labels) == 2:
                    out.append(cell(labels.pop(0), rs=groups[group], role="label"))
                out.append(cell(labels[0], role="label"))
            else:
                out.append(cell(labels[0], cs=2, role="label"))
        out += [cell(t, role="count") for t in r["cells"]]
        rows.append(out)
    return rows


def table4_layout(rep):
    heads = rep.get("table4_heads",
                    ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"])
    rows = [
        [cell("行政复议", cs=5), cell("行政诉讼", cs=10)],
        [cell(h, rs=2) for h in heads]
        + [cell("未经复议直接起诉", cs=5), cell("复议后起诉", cs=5)],
        [cell(h) for h in heads] * 2,
        [cell(t, role="count") for g in T4_GROUPS for t in rep["table4"][g]],
    ]
    return rows


def expand(layout):
    """Spans expanded: the top-left position keeps the text, the covered
    positions are empty strings (what Excel writes for merged cells)."""
    grid = {}
    for y, row in enumerate(layout):
        x = 0
        for c in row:
            while (y, x) in grid:
                x += 1
            for dy in range(c["rs"]):
                for dx in range(c["cs"]):
                    grid[(y + dy, x + dx)] = c["text"] if dy == dx == 0 else ""
            x += c["cs"]
    height = max(y for y, _ in grid) + 1
    width = max(x for _, x in grid) + 1
    return [[grid.get((y, x), "") for x in range(width)] for y in range(height)]


HEADINGS = {"table2": "二、主动公开政府信息情况",
            "table3": "三、收到和处理政府信息公开申请情况",
            "table4": "四、政府信息公开行政复议、行政诉讼情况"}


def heading(rep, table):
    """The section heading as the report publishes it."""
    return rep.get("headings", {}).get(table, HEADINGS[table])


def sheet_rows(rep):
    """One worksheet holding the three tables under their section headings,
    as an office keeps them in Excel. &nbsp; becomes an empty cell."""
    rows = [[rep["title"]], []]
    for heading_text, layout in ((heading(rep, "table2"), table2_layout(rep)),
                                 (heading(rep, "table3"), table3_layout(rep)),
                                 (heading(rep, "table4"), table4_layout(rep))):
        rows.append([heading_text])
        for r in expand(layout):
            rows.append(["" if t.strip(NBSP + " ") == "" else t for t in r])
        rows.append([])
    while rows and not rows[-1]:
        rows.pop()
    width = max(len(r) for r in rows)
    return [r + [""] * (width - len(r)) for r in rows]


def write_delimited(rows, path, encoding, delimiter):
    buf = io.StringIO(newline="")
    csv.writer(buf, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    with open(path, "wb") as f:
        if encoding == "utf-16":
            f.write(b"\xff\xfe" + buf.getvalue().encode("utf-16-le"))
        elif encoding == "gbk":
            # GBK has no no-break space: a GBK file carries a plain space.
            f.write(buf.getvalue().replace(NBSP, " ").encode(encoding))
        else:
            f.write(buf.getvalue().encode(encoding))


# ---------------------------------------------------------------------------
# HTML

def html_text(t):
    """A cell's text as page markup: line breaks as <br />, no-break spaces
    as &nbsp; (as the pages write them; GBK has no U+00A0 either)."""
    if t.strip(NBSP) == "" and t != "":
        return "&nbsp;"
    return "<br />".join(html.escape(line, quote=False).replace(NBSP, "&nbsp;")
                         for line in t.split("\n"))


def html_table(layout):
    out = ['<table border="1" cellspacing="0" cellpadding="0" style="border-collapse:collapse;">', "<tbody>"]
    for row in layout:
        tds = []
        for c in row:
            attrs = ""
            if c["cs"] > 1:
                attrs += ' colspan="%d"' % c["cs"]
            if c["rs"] > 1:
                attrs += ' rowspan="%d"' % c["rs"]
            align = "" if c.get("role") == "label" else ' style="text-align:center;"'
            tds.append("<td%s><p%s>%s</p></td>" % (attrs, align, html_text(c["text"])))
        out.append("<tr>" + "".join(tds) + "</tr>")
    out.append("</tbody>")
    out.append("</table>")
    return "\n".join(out)


def page(rep, body, charset, meta_style="html5"):
    if meta_style == "http-equiv":
        meta = '<meta http-equiv="Content-Type" content="text/html; charset=%s" />' % charset
    else:
        meta = '<meta charset="%s">' % charset
    return ("<!DOCTYPE html>\n<html>\n<head>\n%s\n<title>%s</title>\n</head>\n"
            "<body>\n%s\n</body>\n</html>\n") % (meta, html.escape(rep["title"]), body)


def html_generic(rep, with_narrative=True):
    parts = ['<div class="article-content" id="zoom">',
             '<p style="text-align:center;"><strong>%s</strong></p>' % html.escape(rep["title"])]
    if with_narrative:
        parts.append("<p>一、总体情况</p>")
        for para in rep["narrative"]:
            parts.append("<p>%s</p>" % html.escape(para["text"], quote=False))
    parts.append("<p>%s</p>" % heading(rep, "table2"))
    parts.append(html_table(table2_layout(rep)))
    parts.append("<p>%s</p>" % heading(rep, "table3"))
    parts.append(html_table(table3_layout(rep)))
    parts.append("<p>%s</p>" % heading(rep, "table4"))
    parts.append(html_table(table4_layout(rep)))
    if with_narrative:
        for extra in rep.get("closing", []):
            parts.append("<p>%s</p>" % html.escape(extra, quote=False))
    parts.append("</div>")
    return "\n".join(parts)


# The shanghai.gov.cn markup, attribute for attribute: <td nowrap> with a
# pixel width and a <p>, centred for counts; zero as &nbsp;.
SH_T3_WIDTHS = [38, 47, 47, 66, 57, 38, 62]


def sh_td(text, width, colspan=None, rowspan=None, center=True, nowrap=True, wrap_p=True):
    attrs = ""
    if colspan:
        attrs += ' colspan=\"%d\"' % colspan
    if nowrap:
        attrs += ' nowrap="nowrap"'
    if rowspan:
        attrs += ' rowspan=\"%d\"' % rowspan
    attrs += ' style="width:%dpx;"' % width
    inner = html_text(text)
    if wrap_p:
        inner = ('<p align="center">%s</p>' if center else "<p>%s</p>") % inner
    return "<td%s>%s</td>" % (attrs, inner)


def html_shanghai(rep):
    t2 = rep["table2"]
    tr = lambda cells: "<tr>" + "".join(cells) + "</tr>"
    # Table 2 (2019 layout), the page's own uneven colspans.
    rows2 = []
    for block in t2:
        kind = block["kind"]
        rows2.append(tr([sh_td(block["heading"], 559, colspan=5)]))
        h = block["head"]
        if kind == "a":      # 第二十条第（一）项
            rows2.append(tr([sh_td(h[0], 219), sh_td(h[1], 149), sh_td(h[2], 101, colspan=2), sh_td(h[3], 89)]))
            for r in block["rows"]:
                rows2.append(tr([sh_td(r[0], 219, center=False), sh_td(r[1], 149), sh_td(r[2], 101, colspan=2), sh_td(r[3], 89)]))
        elif kind == "b":    # 第二十条第（五）、（六）项
            rows2.append(tr([sh_td(h[0], 219), sh_td(h[1], 149), sh_td(h[2], 101, colspan=2), sh_td(h[3], 89)]))
            for r in block["rows"]:
                rows2.append(tr([sh_td(r[0], 219, center=False), sh_td(r[1], 150, colspan=2), sh_td(r[2], 101), sh_td(r[3], 89)]))
        else:                # 第二十条第（八）、（九）项
            rows2.append(tr([sh_td(h[0], 219), sh_td(h[1], 150, colspan=2), sh_td(h[2], 190, colspan=2)]))
            for r in block["rows"]:
                rows2.append(tr([sh_td(r[0], 219, center=False), sh_td(r[1], 150, colspan=2), sh_td(r[2], 190, colspan=2)]))
    table2 = '<table align="center" border="1" cellspacing="1"><tbody>%s</tbody></table>' % "".join(rows2)

    note = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
    rows3 = [
        tr([sh_td(note, 217, colspan=3, rowspan=3), sh_td("申请人情况", 355, colspan=7)]),
        tr([sh_td("自然人", 38, rowspan=2), sh_td("法人或其他组织", 255, colspan=5), sh_td("总计", 62, rowspan=2)]),
        tr([sh_td("商业企业", 47), sh_td("科研机构", 47), sh_td("社会公益组织", 66), sh_td("法律服务机构", 57), sh_td("其他", 38)]),
    ]
    group_len = {"（三）": 8, "（四）": 3, "（五）": 5}
    for r in rep["table3"]:
        rid, labels = r["row"], list(r["labels"])
        tds = []
        if rid in ("一", "二", "四"):
            tds.append(sh_td(labels[0], 217, colspan=3, center=False))
        else:
            if labels[0].startswith("三、"):
                tds.append(sh_td(labels.pop(0), 23, rowspan=20))
            if len(rid) > 3:
                if len(labels) == 2:
                    tds.append(sh_td(labels.pop(0), 57, rowspan=group_len[rid[:3]], center=False))
                tds.append(sh_td(labels[0], 137, center=False))
            else:
                tds.append(sh_td(labels[0], 194, colspan=2, center=False))
        tds += [sh_td(t, w) for t, w in zip(r["cells"], SH_T3_WIDTHS)]
        rows3.append(tr(tds))
    table3 = '<table align="center" border="1" cellspacing="1"><tbody>%s</tbody></table>' % "".join(rows3)

    heads = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
    t4 = lambda text, width, **kw: sh_td(text, width, nowrap=False, center=False, **kw)
    rows4 = [
        tr([t4("行政复议", 190, colspan=5), t4("行政诉讼", 383, colspan=10)]),
        tr([t4(h, w, rowspan=2) for h, w in zip(heads, [28, 40, 40, 40, 43])]
           + [t4("未经复议直接起诉", 196, colspan=5), t4("复议后起诉", 187, colspan=5)]),
        tr([t4(h, w) for h, w in zip(heads * 2, [36, 40, 40, 40, 40, 40, 40, 40, 40, 27])]),
    ]
    values = [t for g in T4_GROUPS for t in rep["table4"][g]]
    widths = [28, 40, 40, 40, 43, 36, 40, 40, 40, 40, 40, 40, 40, 40, 27]
    # The page writes an empty table-4 cell as a bare &nbsp; without <p>.
    rows4.append(tr([sh_td(v, w, nowrap=False, center=False, wrap_p=v.strip(NBSP) != "")
                     for v, w in zip(values, widths)]))
    table4 = '<table align="center" border="1" cellspacing="1"><tbody>%s</tbody></table>' % "".join(rows4)

    body = "".join([
        "<p style='text-align: center;font-weight: bold;'>%s</p>" % rep["title"],
        "\t<p style='text-align: center'>发布日期：%s</p>" % rep["published"],
        "<p>一、总体情况</p>",
        "<p>（二）依申请公开方面</p>",
        "".join("<p>%s</p>" % html.escape(p["text"], quote=False) for p in rep["narrative"]),
        "<p>二、主动公开政府信息情况</p>", table2,
        "<p>三、收到和处理政府信息公开申请情况</p>", table3,
        "<p><br />四、政府信息公开行政复议、行政诉讼情况</p>", table4,
        "<p>五、政府信息公开工作存在的主要问题及改进情况</p>",
        "<p>六、其他需要报告的事项</p><p>无。</p>",
    ])
    return body


def shanghai_table2_layout(rep):
    """Table 2 of the Shanghai page as a plain layout (for the flat formats
    and the XLSX/DOCX pages)."""
    rows = []
    for block in rep["table2"]:
        rows.append([cell(block["heading"], cs=5)])
        h = block["head"]
        if block["kind"] in ("a", "b"):
            rows.append([cell(h[0]), cell(h[1]), cell(h[2], cs=2), cell(h[3])])
        else:
            rows.append([cell(h[0]), cell(h[1], cs=2), cell(h[2], cs=2)])
        for r in block["rows"]:
            if block["kind"] == "a":
                rows.append([cell(r[0], role="label"), cell(r[1]), cell(r[2], cs=2), cell(r[3])])
            elif block["kind"] == "b":
                rows.append([cell(r[0], role="label"), cell(r[1], cs=2), cell(r[2]), cell(r[3])])
            else:
                rows.append([cell(r[0], role="label"), cell(r[1], cs=2), cell(r[2], cs=2)])
    return rows


# ---------------------------------------------------------------------------
# LibreOffice

def soffice(src_path, out_path, target, infilter):
    """Converts with LibreOffice headless, in a private profile (parallel
    runs must not share one) and a separate output folder (the input may
    have the target's extension)."""
    with tempfile.TemporaryDirectory() as tmp:
        profile = "file://" + os.path.join(tmp, "profile")
        src = os.path.join(tmp, "page" + os.path.splitext(src_path)[1])
        shutil.copy(src_path, src)
        outdir = os.path.join(tmp, "out")
        os.makedirs(outdir)
        cmd = ["soffice", "-env:UserInstallation=" + profile, "--headless",
               "--infilter=" + infilter, "--convert-to", target, "--outdir", outdir, src]
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        produced = os.listdir(outdir)
        assert len(produced) == 1, produced
        shutil.move(os.path.join(outdir, produced[0]), out_path)



# ---------------------------------------------------------------------------
# XLSX the way an office keeps the tables: one sheet per table, merged cells
# as in the page. The workbook is written as plain SpreadsheetML and then
# saved again by LibreOffice, so the file is one LibreOffice wrote.

def col_name(i):
    name = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        name = chr(65 + r) + name
    return name


def merges_of(layout, top):
    out, taken = [], set()
    for y, row in enumerate(layout):
        x = 0
        for c in row:
            while (y, x) in taken:
                x += 1
            for dy in range(c["rs"]):
                for dx in range(c["cs"]):
                    taken.add((y + dy, x + dx))
            if c["rs"] > 1 or c["cs"] > 1:
                out.append("%s%d:%s%d" % (col_name(x), top + y + 1,
                                          col_name(x + c["cs"] - 1), top + y + c["rs"]))
            x += c["cs"]
    return out


def sheet_xml(rows, merges):
    from xml.sax.saxutils import escape
    out = ['<?xml version="1.0" encoding="UTF-8" standalone="yes"?>',
           '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>']
    for y, row in enumerate(rows):
        cells = []
        for x, t in enumerate(row):
            ref = "%s%d" % (col_name(x), y + 1)
            if t == "":
                continue
            if t.isdigit():
                cells.append('<c r="%s"><v>%s</v></c>' % (ref, t))
            else:
                cells.append('<c r="%s" t="inlineStr"><is><t xml:space="preserve">%s</t></is></c>' % (ref, escape(t)))
        out.append('<row r="%d">%s</row>' % (y + 1, "".join(cells)))
    out.append("</sheetData>")
    if merges:
        out.append('<mergeCells count="%d">%s</mergeCells>' % (
            len(merges), "".join('<mergeCell ref="%s"/>' % m for m in merges)))
    out.append("</worksheet>")
    return "".join(out)


def write_xlsx_sheets(rep, path):
    import zipfile
    sheets = [("表二", heading(rep, "table2"), table2_layout(rep)),
              ("表三", heading(rep, "table3"), table3_layout(rep)),
              ("表四", heading(rep, "table4"), table4_layout(rep))]
    with tempfile.TemporaryDirectory() as tmp:
        raw = os.path.join(tmp, "raw.xlsx")
        with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as z:
            z.writestr("[Content_Types].xml",
                '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                '<Default Extension="xml" ContentType="application/xml"/>'
                '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
                + "".join('<Override PartName="/xl/worksheets/sheet%d.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>' % (i + 1) for i in range(len(sheets)))
                + "</Types>")
            z.writestr("_rels/.rels",
                '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
                "</Relationships>")
            z.writestr("xl/workbook.xml",
                '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
                'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
                + "".join('<sheet name="%s" sheetId="%d" r:id="rId%d"/>' % (n, i + 1, i + 1) for i, (n, _, _) in enumerate(sheets))
                + "</sheets></workbook>")
            z.writestr("xl/_rels/workbook.xml.rels",
                '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                + "".join('<Relationship Id="rId%d" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet%d.xml"/>' % (i + 1, i + 1) for i in range(len(sheets)))
                + "</Relationships>")
            for i, (_, heading_text, layout) in enumerate(sheets):
                rows = [[heading_text]] + [["" if t.strip(NBSP + " ") == "" else t for t in r] for r in expand(layout)]
                z.writestr("xl/worksheets/sheet%d.xml" % (i + 1), sheet_xml(rows, merges_of(layout, 1)))
        soffice(raw, path, "xlsx:Calc MS Excel 2007 XML", "Calc MS Excel 2007 XML")


def main():
    with open(os.path.join(HERE, "corpus.json"), encoding="utf-8") as f:
        corpus = json.load(f)
    only = set(sys.argv[1:])
    for entry in corpus["files"]:
        if only and entry["report"] not in only:
            continue
        path = os.path.join(HERE, entry["file"])
        os.makedirs(os.path.dirname(path), exist_ok=True)
        rep = apply_mutation(load(entry["report"]), entry.get("mutation"))
        render = entry["render"]
        if render == "verbatim":
            src = os.path.join(HERE, rep["id"] + ".txt")
            with open(src, encoding="utf-8") as f:
                text = f.read()
            m = entry.get("mutation")
            if m:
                assert text.count(m["from"]) == 1, m
                text = text.replace(m["from"], m["to"])
            if os.path.abspath(src) != os.path.abspath(path):
                with open(path, "w", encoding="utf-8", newline="") as f:
                    f.write(text)
            continue
        if render in ("csv", "unicode_text", "tsv"):
            rows = sheet_rows(rep)
            delim = "," if render == "csv" else "\t"
            write_delimited(rows, path, entry["encoding"], delim)
        elif render == "html_shanghai":
            charset = "utf-8" if entry["encoding"] == "utf-8" else "gb2312"
            doc = page(rep, html_shanghai(rep), charset,
                       meta_style="html5" if charset == "utf-8" else "http-equiv")
            with open(path, "wb") as f:
                f.write(doc.encode(entry["encoding"]))
        elif render == "html":
            charset = "utf-8" if entry["encoding"] == "utf-8" else "gb2312"
            doc = page(rep, html_generic(rep, True), charset,
                       meta_style="html5" if charset == "utf-8" else "http-equiv")
            with open(path, "wb") as f:
                f.write(doc.encode(entry["encoding"]))
        elif render in ("xlsx", "docx"):
            with tempfile.TemporaryDirectory() as tmp:
                src = os.path.join(tmp, "page.html")
                if render == "xlsx" and entry.get("xlsx_style") == "sheets":
                    write_xlsx_sheets(rep, path)
                elif render == "xlsx":
                    # The page opened in a spreadsheet: tables only (a sheet
                    # has no running text), LibreOffice lays all tables on
                    # one column grid and merges cells to fit.
                    body = html_generic(rep, False)
                    with open(src, "w", encoding="utf-8") as f:
                        f.write(page(rep, body, "utf-8"))
                    soffice(src, path, 'xlsx:Calc MS Excel 2007 XML', "HTML (StarCalc)")
                else:
                    if rep["id"].startswith("shanghai"):
                        body = html_shanghai(rep)
                    else:
                        body = html_generic(rep, True)
                    with open(src, "w", encoding="utf-8") as f:
                        f.write(page(rep, body, "utf-8"))
                    soffice(src, path, 'docx:MS Word 2007 XML', "HTML (StarWriter)")
        else:
            sys.exit("unknown render " + render)
        print("wrote", entry["file"])


if __name__ == "__main__":
    main()

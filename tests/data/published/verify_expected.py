#!/usr/bin/env python3
"""Computes expected.json from the transcriptions, and checks every file.

The expectations are not typed by hand: for each file of corpus.json this
script takes the transcription of its report (the numbers as published, see
transcriptions/*.json), applies the file's one-cell mutation if it has one,
and evaluates the error rules of the shared contract of `gongkai report
check` on it:

  t3.total_column  总计 column = sum of the six applicant columns, per row
  t3.total_row     （七）总计 = sum of the outcome rows, per column
  t3.balance       一 + 二 = （七）总计 + 四, per column
  t4.total         each group's 总计 = 维持 + 纠正 + 其他 + 尚未审结
  narrative.*      a figure stated in the running text = its table cell
  prev.carry       with a previous report (corpus.json "previous"): this
                   year's 二 = last year's 四, per column
  cell.unreadable  a cell that is not a count (none in this corpus)

Blank, “/”, “—”, “-”, “无” and &nbsp; count as 0 (one cell.blank_zero note
per file). Only the files that carry the running text get narrative
findings.

It then reads every rendered file back with its own small readers (HTML
tables with spans, CSV/TSV in its encoding, XLSX and DOCX XML) and checks
that the cells of tables 3 and 4, and the narrative sentence, are the
transcription's, so a rendering cannot drift from what the expectations were
computed on.

  python3 verify_expected.py          # rewrite expected.json, check files
  python3 verify_expected.py --check  # fail if expected.json is stale
"""
import copy
import csv
import html.parser
import io
import json
import os
import re
import sys
import unicodedata
import zipfile
import xml.etree.ElementTree as ET

HERE = os.path.dirname(os.path.abspath(__file__))
COLUMNS = ["natural_person", "commercial_enterprise", "research_institution",
           "public_interest_org", "legal_service_org", "other_org", "total"]
T4_GROUPS = ["reconsideration", "litigation_direct",
             "litigation_after_reconsideration"]
T4_COLUMNS = ["upheld", "corrected", "other", "pending", "total"]
ZERO_MARKS = {"", "/", "／", "—", "-", "－", "无"}
NARRATIVE_CELL = {"received": "一", "carried_in": "二", "closed": "（七）",
                  "carried_over": "四"}


# ---------------------------------------------------------------------------
# Expectations

def count_of(text):
    """(value, blank, readable) of a published cell."""
    t = text.replace("\u00a0", "").replace("\u3000", "").strip()
    if t in ZERO_MARKS:
        return 0, True, True
    if re.fullmatch(r"[0-9]+", t):
        return int(t), False, True
    return None, False, False


def mutate(rep, mutation):
    rep = copy.deepcopy(rep)
    if not mutation:
        return rep
    if mutation.get("table") == 3:
        row = next(r for r in rep["table3"] if r["row"] == mutation["row"])
        i = COLUMNS.index(mutation["column"])
        assert row["cells"][i] == mutation["from"]
        row["cells"][i] = mutation["to"]
    elif mutation.get("table") == 4:
        i = T4_COLUMNS.index(mutation["column"])
        assert rep["table4"][mutation["row"]][i] == mutation["from"]
        rep["table4"][mutation["row"]][i] = mutation["to"]
    else:
        para = rep["narrative"][0]
        assert mutation["from"] in para["text"]
        para["text"] = para["text"].replace(mutation["from"], mutation["to"])
        para["claims"][mutation["narrative"]] = int(re.search(r"\d+", mutation["to"]).group())
    return rep


def carried_over(rep):
    """Row 四 of a report's table 3, as counts (None where unreadable)."""
    r = next(r for r in rep["table3"] if r["row"] == "四")
    return [count_of(t)[0] for t in r["cells"]]


def findings(rep, with_narrative, previous=None):
    errors, blanks = [], 0
    t3 = {}
    for r in rep["table3"]:
        vals = []
        for col, text in zip(COLUMNS, r["cells"]):
            v, blank, ok = count_of(text)
            blanks += blank
            if not ok:
                errors.append({"table": 3, "rule": "cell.unreadable", "row": r["row"],
                               "column": col, "expected": None, "found": None})
            vals.append(v)
        t3[r["row"]] = vals
    t4 = {}
    for g in T4_GROUPS:
        vals = []
        for col, text in zip(T4_COLUMNS, rep["table4"][g]):
            v, blank, ok = count_of(text)
            blanks += blank
            if not ok:
                errors.append({"table": 4, "rule": "cell.unreadable", "row": g,
                               "column": col, "expected": None, "found": None})
            vals.append(v)
        t4[g] = vals

    outcome = [rid for rid in t3 if rid not in ("一", "二", "（七）", "四")]
    expected_rows = 23 if rep["layout"] == "2019" else 25
    assert len(t3) == expected_rows, (rep["id"], len(t3))

    def known(*vs):
        return all(v is not None for v in vs)

    for rid, vals in t3.items():
        if known(*vals) and sum(vals[:6]) != vals[6]:
            errors.append({"table": 3, "rule": "t3.total_column", "row": rid, "column": "total",
                           "expected": sum(vals[:6]), "found": vals[6]})
    for i, col in enumerate(COLUMNS):
        parts = [t3[rid][i] for rid in outcome]
        total = t3["（七）"][i]
        if known(total, *parts) and sum(parts) != total:
            errors.append({"table": 3, "rule": "t3.total_row", "row": "（七）", "column": col,
                           "expected": sum(parts), "found": total})
    for i, col in enumerate(COLUMNS):
        a, b, c, d = t3["一"][i], t3["二"][i], t3["（七）"][i], t3["四"][i]
        if known(a, b, c, d) and a + b != c + d:
            errors.append({"table": 3, "rule": "t3.balance", "row": None, "column": col,
                           "expected": a + b, "found": c + d})
    for g, vals in t4.items():
        if known(*vals) and sum(vals[:4]) != vals[4]:
            errors.append({"table": 4, "rule": "t4.total", "row": g, "column": "total",
                           "expected": sum(vals[:4]), "found": vals[4]})
    if with_narrative:
        for para in rep["narrative"]:
            for claim, stated in para["claims"].items():
                row = NARRATIVE_CELL[claim]
                cell = t3[row][6]
                if cell is not None and cell != stated:
                    errors.append({"table": 3, "rule": "narrative." + claim, "row": row,
                                   "column": "total", "expected": cell, "found": stated})
    if previous is not None:
        last = carried_over(previous)
        for i, col in enumerate(COLUMNS):
            if known(last[i], t3["二"][i]) and last[i] != t3["二"][i]:
                errors.append({"table": 3, "rule": "prev.carry", "row": "二", "column": col,
                               "expected": last[i], "found": t3["二"][i]})
    notes = [{"rule": "cell.blank_zero", "cells_in_tables_3_and_4": blanks}] if blanks else []
    return errors, notes


def expectations(corpus):
    files = []
    by_file = {e["file"]: e for e in corpus["files"]}
    for entry in corpus["files"]:
        base = load(entry["report"])
        rep = mutate(base, entry.get("mutation"))
        previous = None
        if entry.get("previous"):
            prev_entry = by_file[entry["previous"]]
            previous = mutate(load(prev_entry["report"]), prev_entry.get("mutation"))
            assert previous["year"] == rep["year"] - 1, (entry["file"], entry["previous"])
        errors, notes = findings(rep, entry["narrative"], previous)
        files.append({
            "file": entry["file"],
            "report": rep["id"],
            "agency": rep["agency"],
            "year": rep["year"],
            "province": rep["province"],
            "source": rep["source"],
            "layout": rep["layout"],
            "format": entry["format"],
            "carries_narrative": entry["narrative"],
            "mutation": entry.get("mutation"),
            "previous": entry.get("previous"),
            "consistent": not errors,
            "errors": errors,
            "warnings_expected": rep.get("label_variants", []),
            "notes_expected": notes,
        })
    return {
        "comment": ("Generated by verify_expected.py from transcriptions/ and corpus.json; do not edit. "
                    "errors: every error-severity finding a correct `gongkai report check` must report "
                    "for tables 3 and 4 and the narrative (table 2 has no expectation). Conventions: "
                    "t3.balance expected = 一+二, found = （七）+四; t3.total_row/t3.total_column/t4.total "
                    "expected = the sum, found = the published total; narrative.* expected = the table "
                    "cell, found = the number in the text; prev.carry (only when \"previous\" names the "
                    "previous year's file of the same office, to be passed as --previous) expected = last "
                    "year's 四, found = this year's 二. warnings_expected lists label.variant warnings "
                    "(none: every label of these reports matches once width, spaces — including no-break "
                    "spaces — and line breaks are ignored). notes_expected counts the blank cells of tables "
                    "3 and 4 read as 0."),
        "files": files,
    }


def load(report_id):
    with open(os.path.join(HERE, "transcriptions", report_id + ".json"), encoding="utf-8") as f:
        return json.load(f)


# ---------------------------------------------------------------------------
# Reading the renderings back

class Tables(html.parser.HTMLParser):
    """HTML tables as grids (rowspan/colspan expanded, covered positions
    empty) and the text outside them."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tables, self.text, self.depth = [], [], 0
        self.rows = self.cell = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "table":
            self.depth += 1
            self.rows = []
        elif tag == "tr" and self.depth:
            self.rows.append([])
        elif tag in ("td", "th") and self.depth:
            self.cell = {"text": "", "rs": int(a.get("rowspan", 1)), "cs": int(a.get("colspan", 1))}
        elif tag == "br" and self.cell is not None:
            self.cell["text"] += "\n"
        elif tag == "p" and not self.depth:
            self.text.append("")

    def handle_endtag(self, tag):
        if tag == "table":
            self.depth -= 1
            self.tables.append(spans_to_grid(self.rows))
        elif tag in ("td", "th") and self.cell is not None:
            self.rows[-1].append(self.cell)
            self.cell = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell["text"] += data
        elif not self.depth:
            if not self.text:
                self.text.append("")
            self.text[-1] += data


def spans_to_grid(rows):
    grid = {}
    for y, row in enumerate(rows):
        x = 0
        for c in row:
            while (y, x) in grid:
                x += 1
            for dy in range(c["rs"]):
                for dx in range(c["cs"]):
                    grid[(y + dy, x + dx)] = c["text"] if dy == dx == 0 else ""
            x += c["cs"]
    if not grid:
        return []
    h = max(y for y, _ in grid) + 1
    w = max(x for _, x in grid) + 1
    return [[grid.get((y, x), "") for x in range(w)] for y in range(h)]


def read_file(entry):
    """(list of grids, running text) of one corpus file."""
    path = os.path.join(HERE, entry["file"])
    data = open(path, "rb").read()
    render = entry["render"]
    if render in ("html", "html_shanghai"):
        charset = re.search(rb'charset="?([A-Za-z0-9-]+)', data).group(1).decode()
        p = Tables()
        p.feed(data.decode({"gb2312": "gbk"}.get(charset, charset)))
        return p.tables, "\n".join(p.text)
    if render in ("csv", "tsv", "unicode_text", "verbatim"):
        enc = entry["encoding"]
        text = data.decode("utf-16" if enc == "utf-16" else enc)
        if render == "verbatim":
            return [[line.split("\t") for line in text.split("\n")]], text
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter="," if render == "csv" else "\t"))
        return [rows], ""
    if render == "xlsx":
        return read_xlsx(path), ""
    if render == "docx":
        return read_docx(path)
    raise SystemExit("unknown render " + render)


def col_index(ref):
    letters = re.match(r"[A-Z]+", ref).group()
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n - 1, int(ref[len(letters):]) - 1


def read_xlsx(path):
    ns = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
    z = zipfile.ZipFile(path)
    shared = []
    if "xl/sharedStrings.xml" in z.namelist():
        for si in ET.fromstring(z.read("xl/sharedStrings.xml")).findall("m:si", ns):
            shared.append("".join(t.text or "" for t in si.iter("{%s}t" % ns["m"])))
    grids = []
    for name in sorted(n for n in z.namelist() if re.match(r"xl/worksheets/sheet\d+\.xml$", n)):
        cells = {}
        for c in ET.fromstring(z.read(name)).iter("{%s}c" % ns["m"]):
            x, y = col_index(c.get("r"))
            v = c.find("m:v", ns)
            if c.get("t") == "s":
                cells[(y, x)] = shared[int(v.text)]
            elif c.get("t") == "inlineStr":
                cells[(y, x)] = "".join(t.text or "" for t in c.iter("{%s}t" % ns["m"]))
            elif v is not None:
                num = v.text
                cells[(y, x)] = num[:-2] if num.endswith(".0") else num
        if cells:
            h = max(y for y, _ in cells) + 1
            w = max(x for _, x in cells) + 1
            grids.append([[cells.get((y, x), "") for x in range(w)] for y in range(h)])
    return grids


def read_docx(path):
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    body = ET.fromstring(zipfile.ZipFile(path).read("word/document.xml")).find(w + "body")
    grids, text = [], []
    for el in body:
        if el.tag == w + "p":
            text.append("".join(t.text or "" for t in el.iter(w + "t")))
        elif el.tag == w + "tbl":
            grid = []
            for tr in el.findall(w + "tr"):
                row = []
                for tc in tr.findall(w + "tc"):
                    paras = ["".join(t.text or "" for t in p.iter(w + "t")) for p in tc.findall(w + "p")]
                    span = tc.find(w + "tcPr/" + w + "gridSpan")
                    row.append("\n".join(paras))
                    row += [""] * (int(span.get(w + "val")) - 1 if span is not None else 0)
                grid.append(row)
            grids.append(grid)
    return grids, "\n".join(text)


def norm(label):
    return re.sub(r"\s", "", unicodedata.normalize("NFKC", label))


def t3_row_cells(grids, label):
    """The cells after the row label `label` (ragged copies: surplus empty
    cells around the seven counts dropped)."""
    want = norm(label)
    for grid in grids:
        for row in grid:
            for i, c in enumerate(row):
                if norm(c) == want:
                    rest = row[i + 1:]
                    while len(rest) > 7 and rest[0].strip() == "":
                        rest = rest[1:]
                    while len(rest) > 7 and rest[-1].strip() == "":
                        rest = rest[:-1]
                    return rest
    return None


def t4_values(grids):
    for grid in grids:
        for y, row in enumerate(grid):
            if sum(norm(c) == "总计" for c in row) == 2 and y + 1 < len(grid):
                return grid[y + 1]
    return None


def same_counts(found, published):
    """Positional match of found cells with the published ones (blank =
    blank); `found` may be wider when a spreadsheet merged columns, then
    the non-empty cells must match in order."""
    pub = [count_of(t)[0] if not count_of(t)[1] else None for t in published]
    got = [count_of(t)[0] if not count_of(t)[1] else None for t in found]
    if len(got) >= len(pub) and got[:len(pub)] == pub and all(g is None for g in got[len(pub):]):
        return "positions"
    if [g for g in got if g is not None] == [p for p in pub if p is not None]:
        return "order"
    return None


def check_file(entry):
    rep = mutate(load(entry["report"]), entry.get("mutation"))
    grids, text = read_file(entry)
    modes, problems = set(), []
    for r in rep["table3"]:
        found = t3_row_cells(grids, r["labels"][-1])
        if found is None:
            problems.append("row %s not found" % r["row"])
            continue
        mode = same_counts(found, r["cells"])
        if not mode:
            problems.append("row %s: %r != %r" % (r["row"], found, r["cells"]))
        modes.add(mode)
    values = t4_values(grids)
    published = [t for g in T4_GROUPS for t in rep["table4"][g]]
    mode = same_counts(values or [], published)
    if not mode:
        problems.append("table 4: %r != %r" % (values, published))
    modes.add(mode)
    if entry["narrative"]:
        for para in rep["narrative"]:
            if norm(para["text"]) not in norm(text):
                problems.append("narrative sentence missing")
    return problems, "order" if "order" in modes else "positions"


def main():
    with open(os.path.join(HERE, "corpus.json"), encoding="utf-8") as f:
        corpus = json.load(f)
    ok = True
    for entry in corpus["files"]:
        problems, mode = check_file(entry)
        status = "ok" if not problems else "MISMATCH"
        print("%-55s %s (cells matched by %s)" % (entry["file"], status, mode))
        for p in problems:
            print("    " + p)
        ok &= not problems
    result = json.dumps(expectations(corpus), ensure_ascii=False, indent=2) + "\n"
    out = os.path.join(HERE, "expected.json")
    if "--check" in sys.argv:
        current = open(out, encoding="utf-8").read() if os.path.exists(out) else ""
        if current != result:
            print("expected.json is stale: run verify_expected.py")
            ok = False
    else:
        with open(out, "w", encoding="utf-8") as f:
            f.write(result)
    for e in json.loads(result)["files"]:
        print("%-55s %s %d error(s): %s" % (
            e["file"], "consistent" if e["consistent"] else "INCONSISTENT", len(e["errors"]),
            ", ".join("%s %s %s" % (x["rule"], x["row"] or "", x["column"] or "") for x in e["errors"])))
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()

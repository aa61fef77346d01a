#include "documents/ooxml_writer.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "documents/zip_package.h"
#include "formats/report_render.h"

namespace gongkai::documents {
namespace {

constexpr char kContentTypes[] =
    R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/><Override PartName="/word/settings.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"/><Override PartName="/word/fontTable.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.fontTable+xml"/><Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/><Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/></Types>)";

constexpr char kRootRels[] =
    R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" Target="docProps/app.xml"/></Relationships>)";

constexpr char kDocumentRels[] =
    R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings" Target="settings.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/fontTable" Target="fontTable.xml"/></Relationships>)";

constexpr char kSettings[] =
    R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:settings xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:defaultTabStop w:val="420"/><w:characterSpacingControl w:val="compressPunctuation"/><w:compat><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat></w:settings>)";

// 宋体 is named in Chinese (as Word and WPS on Chinese Windows write it)
// with SimSun as its alternative name; where neither is installed
// (LibreOffice on Linux), fontconfig substitutes Noto Serif CJK SC, which
// the table names too.
constexpr char kFontTable[] =
    R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:fonts xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:font w:name="宋体"><w:altName w:val="SimSun"/><w:panose1 w:val="02010600030101010101"/><w:charset w:val="86"/><w:family w:val="auto"/><w:pitch w:val="variable"/></w:font><w:font w:name="黑体"><w:altName w:val="SimHei"/><w:panose1 w:val="02010609060101010101"/><w:charset w:val="86"/><w:family w:val="modern"/><w:pitch w:val="fixed"/></w:font><w:font w:name="Noto Serif CJK SC"><w:charset w:val="86"/><w:family w:val="roman"/><w:pitch w:val="variable"/></w:font><w:font w:name="Times New Roman"><w:panose1 w:val="02020603050405020304"/><w:charset w:val="00"/><w:family w:val="roman"/><w:pitch w:val="variable"/></w:font></w:fonts>)";

constexpr char kStyles[] =
    R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="Times New Roman" w:eastAsia="宋体" w:hAnsi="Times New Roman" w:cs="Times New Roman"/><w:kern w:val="2"/><w:sz w:val="32"/><w:szCs w:val="32"/><w:lang w:val="en-US" w:eastAsia="zh-CN" w:bidi="ar-SA"/></w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:spacing w:line="579" w:lineRule="exact"/><w:jc w:val="both"/></w:pPr></w:pPrDefault></w:docDefaults><w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/></w:style><w:style w:type="paragraph" w:customStyle="1" w:styleId="GkBody"><w:name w:val="正文段落"/><w:basedOn w:val="Normal"/><w:qFormat/><w:pPr><w:ind w:firstLine="640"/></w:pPr></w:style><w:style w:type="paragraph" w:customStyle="1" w:styleId="GkTitle"><w:name w:val="文书标题"/><w:basedOn w:val="Normal"/><w:next w:val="GkRight"/><w:qFormat/><w:pPr><w:spacing w:before="240" w:after="240" w:line="240" w:lineRule="auto"/><w:jc w:val="center"/></w:pPr><w:rPr><w:b/><w:bCs/><w:sz w:val="44"/><w:szCs w:val="44"/></w:rPr></w:style><w:style w:type="paragraph" w:customStyle="1" w:styleId="GkRight"><w:name w:val="右对齐"/><w:basedOn w:val="Normal"/><w:qFormat/><w:pPr><w:jc w:val="right"/></w:pPr></w:style><w:style w:type="paragraph" w:customStyle="1" w:styleId="GkLeft"><w:name w:val="左对齐"/><w:basedOn w:val="Normal"/><w:qFormat/><w:pPr><w:jc w:val="left"/></w:pPr></w:style><w:style w:type="paragraph" w:customStyle="1" w:styleId="GkHeading"><w:name w:val="一级标题"/><w:basedOn w:val="Normal"/><w:next w:val="GkBody"/><w:qFormat/><w:pPr><w:keepNext/><w:ind w:firstLine="640"/><w:jc w:val="left"/><w:outlineLvl w:val="0"/></w:pPr><w:rPr><w:rFonts w:eastAsia="黑体"/><w:b/><w:bCs/></w:rPr></w:style><w:style w:type="paragraph" w:customStyle="1" w:styleId="GkCell"><w:name w:val="表格文字"/><w:basedOn w:val="Normal"/><w:qFormat/><w:pPr><w:snapToGrid w:val="0"/><w:spacing w:line="240" w:lineRule="auto"/><w:jc w:val="center"/></w:pPr><w:rPr><w:sz w:val="21"/><w:szCs w:val="21"/></w:rPr></w:style><w:style w:type="paragraph" w:customStyle="1" w:styleId="GkSmallCell"><w:name w:val="小号表格文字"/><w:basedOn w:val="GkCell"/><w:qFormat/><w:rPr><w:sz w:val="18"/><w:szCs w:val="18"/></w:rPr></w:style><w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/><w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style></w:styles>)";

// A4 portrait; GB/T 9704 margins (top 37 mm, bottom 35, left 28, right 26).
constexpr char kSection[] =
    R"(<w:sectPr><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="2098" w:right="1474" w:bottom="1984" w:left="1587" w:header="851" w:footer="992" w:gutter="0"/><w:cols w:space="425"/><w:docGrid w:linePitch="312"/></w:sectPr>)";

}  // namespace

std::string XmlEscape(absl::string_view text) {
  // Text and attribute values escape the same in XML as in HTML.
  return HtmlEscape(text);
}

namespace {

std::string RunsXml(absl::string_view text, bool bold) {
  std::string out;
  bool first = true;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    absl::StrAppend(&out, "<w:r>", bold ? "<w:rPr><w:b/><w:bCs/></w:rPr>" : "",
                    first ? "" : "<w:br/>");
    if (!line.empty()) {
      absl::StrAppend(&out, "<w:t xml:space=\"preserve\">", XmlEscape(line),
                      "</w:t>");
    }
    out += "</w:r>";
    first = false;
  }
  return out;
}

}  // namespace

std::string ParagraphXml(absl::string_view style, absl::string_view text,
                         bool bold) {
  return absl::StrCat("<w:p><w:pPr><w:pStyle w:val=\"", style, "\"/></w:pPr>",
                      text.empty() ? "" : RunsXml(text, bold), "</w:p>");
}

std::string TableXml(const std::vector<int>& grid,
                     const std::vector<std::vector<CellSpec>>& rows,
                     absl::string_view cell_style, int header_rows) {
  int total = 0;
  for (int w : grid) total += w;
  std::string out = absl::StrCat(
      "<w:tbl><w:tblPr><w:tblW w:w=\"", total,
      "\" w:type=\"dxa\"/><w:jc w:val=\"center\"/><w:tblBorders>"
      "<w:top w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"000000\"/>"
      "<w:left w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"000000\"/>"
      "<w:bottom w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"000000\"/>"
      "<w:right w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"000000\"/>"
      "<w:insideH w:val=\"single\" w:sz=\"4\" w:space=\"0\" "
      "w:color=\"000000\"/><w:insideV w:val=\"single\" w:sz=\"4\" "
      "w:space=\"0\" w:color=\"000000\"/></w:tblBorders><w:tblLayout "
      "w:type=\"fixed\"/><w:tblLook w:val=\"0000\"/></w:tblPr><w:tblGrid>");
  for (int w : grid) absl::StrAppend(&out, "<w:gridCol w:w=\"", w, "\"/>");
  out += "</w:tblGrid>";
  for (size_t r = 0; r < rows.size(); ++r) {
    out += "<w:tr>";
    if (static_cast<int>(r) < header_rows) {
      out += "<w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>";
    } else {
      out += "<w:trPr><w:cantSplit/></w:trPr>";
    }
    size_t col = 0;
    for (const CellSpec& c : rows[r]) {
      int width = 0;
      for (int k = 0; k < c.span && col + k < grid.size(); ++k)
        width += grid[col + k];
      col += c.span;
      absl::StrAppend(&out, "<w:tc><w:tcPr><w:tcW w:w=\"", width,
                      "\" w:type=\"dxa\"/>");
      if (c.span > 1)
        absl::StrAppend(&out, "<w:gridSpan w:val=\"", c.span, "\"/>");
      if (c.vmerge == CellSpec::VMerge::kRestart) {
        out += "<w:vMerge w:val=\"restart\"/>";
      } else if (c.vmerge == CellSpec::VMerge::kContinue) {
        out += "<w:vMerge/>";
      }
      out +=
          "<w:vAlign w:val=\"center\"/></w:tcPr><w:p><w:pPr><w:pStyle w:val=\"";
      absl::StrAppend(&out, cell_style, "\"/>",
                      c.left ? "<w:jc w:val=\"left\"/>" : "", "</w:pPr>");
      if (c.vmerge != CellSpec::VMerge::kContinue && !c.text.empty()) {
        out += RunsXml(c.text, c.header);
      }
      out += "</w:p></w:tc>";
    }
    out += "</w:tr>";
  }
  return out + "</w:tbl>";
}

absl::StatusOr<std::string> BuildDocx(absl::string_view body_xml,
                                      absl::string_view title) {
  Package p;
  p.Put("[Content_Types].xml", kContentTypes);
  p.Put("_rels/.rels", kRootRels);
  p.Put("docProps/core.xml",
        absl::StrCat(
            R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:title>)",
            XmlEscape(title),
            "</dc:title><dc:language>zh-CN</dc:language></cp:coreProperties>"));
  p.Put("docProps/app.xml",
        R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"><Application>gongkai</Application></Properties>)");
  p.Put("word/_rels/document.xml.rels", kDocumentRels);
  p.Put("word/document.xml",
        absl::StrCat(
            R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><w:body>)",
            body_xml, kSection, "</w:body></w:document>"));
  p.Put("word/styles.xml", kStyles);
  p.Put("word/settings.xml", kSettings);
  p.Put("word/fontTable.xml", kFontTable);
  return WritePackage(p);
}

}  // namespace gongkai::documents

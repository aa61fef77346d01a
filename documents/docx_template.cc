// ListPlaceholders and FillTemplate: placeholders are found in the text of
// each paragraph as a whole, whatever runs Word cut it into.
#include <algorithm>
#include <functional>
#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/strip.h"
#include "common/lang.h"
#include "common/status_macros.h"
#include "documents/documents.h"
#include "documents/xml_util.h"
#include "documents/zip_package.h"

namespace gongkai::documents {
namespace {

// Inside a filled value, a line break waiting to become <w:br/>. A control
// character cannot occur in XML text, so it cannot come from the template.
constexpr char kBreak = '\x01';

// The parts whose text may hold placeholders, in reading order: the body,
// then headers, footers, footnotes and endnotes by name.
std::vector<std::string> TextPartNames(const Package& package) {
  std::vector<std::string> out;
  if (package.Find("word/document.xml")) out.push_back("word/document.xml");
  std::vector<std::string> rest;
  for (const Part& p : package.parts()) {
    absl::string_view n = p.name;
    if (!absl::ConsumePrefix(&n, "word/") || !absl::EndsWith(n, ".xml") ||
        absl::StrContains(n, "/")) {
      continue;
    }
    if (absl::StartsWith(n, "header") || absl::StartsWith(n, "footer") ||
        n == "footnotes.xml" || n == "endnotes.xml") {
      rest.push_back(p.name);
    }
  }
  std::sort(rest.begin(), rest.end());
  out.insert(out.end(), rest.begin(), rest.end());
  return out;
}

// A w:t element of a paragraph and its text, being edited.
struct Segment {
  xmlNode* node;
  std::string text;
  bool changed = false;
};

// The w:t elements of paragraph `p` in order, skipping paragraphs nested in
// it (text boxes), which are visited on their own.
void CollectSegments(xmlNode* n, std::vector<Segment>* out) {
  for (xmlNode* c = n->children; c != nullptr; c = c->next) {
    if (c->type != XML_ELEMENT_NODE) continue;
    if (IsW(c, "p")) continue;
    if (IsW(c, "t")) {
      out->push_back({c, TextOf(c)});
      continue;
    }
    CollectSegments(c, out);
  }
}

void ForEachParagraph(xmlNode* n, const std::function<void(xmlNode*)>& f) {
  for (xmlNode* c = n->children; c != nullptr; c = c->next) {
    if (c->type != XML_ELEMENT_NODE) continue;
    if (IsW(c, "p")) f(c);
    ForEachParagraph(c, f);  // text boxes hold paragraphs inside paragraphs
  }
}

struct Occurrence {
  size_t begin, end;  // byte offsets of "{{" and one past "}}"
  std::string name;
};

// The placeholders of `text`: "{{", a name without braces or line breaks,
// "}}". A "{{" left open is ordinary text.
std::vector<Occurrence> FindPlaceholders(const std::string& text) {
  std::vector<Occurrence> out;
  size_t pos = 0;
  while ((pos = text.find("{{", pos)) != std::string::npos) {
    size_t close = text.find("}}", pos + 2);
    if (close == std::string::npos) break;
    size_t reopen = text.find("{{", pos + 2);
    if (reopen != std::string::npos && reopen < close) {
      pos = reopen;
      continue;
    }
    std::string name(
        absl::StripAsciiWhitespace(text.substr(pos + 2, close - pos - 2)));
    if (name.empty() || name.find_first_of("{}\n") != std::string::npos) {
      pos += 2;
      continue;
    }
    out.push_back({pos, close + 2, std::move(name)});
    pos = close + 2;
  }
  return out;
}

std::string Concat(const std::vector<Segment>& segs) {
  std::string out;
  for (const Segment& s : segs) out += s.text;
  return out;
}

// Replaces [begin, end) of the paragraph's text by `value`: the value goes
// into the segment where the placeholder starts; the rest of the
// placeholder is cut from the segments after it.
void Replace(std::vector<Segment>* segs, size_t begin, size_t end,
             const std::string& value) {
  size_t off = 0;
  for (Segment& s : *segs) {
    const size_t s_begin = off, s_end = off + s.text.size();
    off = s_end;
    if (s_end <= begin || s_begin >= end) continue;
    const size_t cut_from = std::max(begin, s_begin) - s_begin;
    const size_t cut_to = std::min(end, s_end) - s_begin;
    std::string text = s.text.substr(0, cut_from);
    if (begin >= s_begin && begin < s_end) text += value;
    text += s.text.substr(cut_to);
    s.text = std::move(text);
    s.changed = true;
  }
}

xmlNode* NewW(xmlNode* like, const char* local) {
  return xmlNewNode(like->ns, reinterpret_cast<const xmlChar*>(local));
}

void SetText(xmlNode* t, absl::string_view text) {
  while (t->children) {
    xmlNode* c = t->children;
    xmlUnlinkNode(c);
    xmlFreeNode(c);
  }
  std::string s(text);
  xmlAddChild(t, xmlNewText(reinterpret_cast<const xmlChar*>(s.c_str())));
  // Leading and trailing spaces of a value must survive.
  xmlSetProp(t, reinterpret_cast<const xmlChar*>("xml:space"),
             reinterpret_cast<const xmlChar*>("preserve"));
}

bool RunIsEmpty(const xmlNode* r) {
  for (xmlNode* c = r->children; c != nullptr; c = c->next) {
    if (c->type == XML_ELEMENT_NODE && !IsW(c, "rPr")) return false;
  }
  return true;
}

// Writes an edited segment back: its text, with <w:br/> for each line
// break, or nothing at all (and no run left empty) when its text is gone.
void WriteBack(const Segment& s) {
  xmlNode* t = s.node;
  if (s.text.empty()) {
    xmlNode* run = t->parent;
    xmlUnlinkNode(t);
    xmlFreeNode(t);
    if (run != nullptr && IsW(run, "r") && RunIsEmpty(run)) {
      xmlUnlinkNode(run);
      xmlFreeNode(run);
    }
    return;
  }
  size_t start = 0;
  xmlNode* last = t;
  bool first = true;
  while (true) {
    size_t brk = s.text.find(kBreak, start);
    absl::string_view piece = absl::string_view(s.text).substr(
        start, brk == std::string::npos ? std::string::npos : brk - start);
    if (first) {
      SetText(t, piece);
      first = false;
    } else if (!piece.empty()) {
      xmlNode* nt = NewW(t, "t");
      SetText(nt, piece);
      last = xmlAddNextSibling(last, nt);
    }
    if (brk == std::string::npos) break;
    last = xmlAddNextSibling(last, NewW(t, "br"));
    start = brk + 1;
  }
}

bool ValidUtf8(absl::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    const unsigned char c = s[i];
    int len = c < 0x80         ? 1
              : (c >> 5) == 6  ? 2
              : (c >> 4) == 14 ? 3
              : (c >> 3) == 30 ? 4
                               : 0;
    if (len == 0 || i + len > s.size()) return false;
    for (int k = 1; k < len; ++k) {
      if ((static_cast<unsigned char>(s[i + k]) >> 6) != 2) return false;
    }
    i += len;
  }
  return true;
}

// A value as it goes into the XML text: line breaks marked, tabs as
// spaces, other control characters (which XML cannot carry) dropped.
std::string PrepareValue(absl::string_view value) {
  std::string v = absl::StrReplaceAll(value, {{"\r\n", "\n"}, {"\r", "\n"}});
  std::string out;
  for (char c : v) {
    if (c == '\n') {
      out.push_back(kBreak);
    } else if (c == '\t') {
      out.push_back(' ');
    } else if (static_cast<unsigned char>(c) >= 0x20) {
      out.push_back(c);
    }
  }
  return out;
}

// Visits every paragraph of every text part. `edit` may change segments;
// the parts it changed are written back into `package`.
absl::Status VisitParagraphs(
    Package* package,
    const std::function<absl::Status(std::vector<Segment>*, bool* changed)>&
        edit) {
  for (const std::string& name : TextPartNames(*package)) {
    Part* part = package->Find(name);
    ASSIGN_OR_RETURN(XmlDocPtr doc, ParseXml(part->data, name));
    bool part_changed = false;
    absl::Status status;
    ForEachParagraph(xmlDocGetRootElement(doc.get()), [&](xmlNode* p) {
      if (!status.ok()) return;
      std::vector<Segment> segs;
      CollectSegments(p, &segs);
      if (segs.empty()) return;
      bool changed = false;
      status = edit(&segs, &changed);
      if (!changed) return;
      part_changed = true;
      for (const Segment& s : segs) {
        if (s.changed) WriteBack(s);
      }
    });
    RETURN_IF_ERROR(status);
    if (part_changed) part->data = SerializeXml(doc.get());
  }
  return absl::OkStatus();
}

absl::StatusOr<Package> OpenDocx(absl::string_view docx) {
  ASSIGN_OR_RETURN(Package package, ReadPackage(docx));
  if (package.Find("word/document.xml") == nullptr) {
    return LocalizedError(absl::StatusCode::kInvalidArgument,
                          "文件不是 Word 文档（缺少 word/document.xml）",
                          "the file is not a Word document (it has no "
                          "word/document.xml)");
  }
  return package;
}

}  // namespace

absl::StatusOr<std::vector<std::string>> ListPlaceholders(
    absl::string_view docx) {
  ASSIGN_OR_RETURN(Package package, OpenDocx(docx));
  std::vector<std::string> names;
  std::set<std::string> seen;
  RETURN_IF_ERROR(
      VisitParagraphs(&package, [&](std::vector<Segment>* segs, bool*) {
        for (Occurrence& o : FindPlaceholders(Concat(*segs))) {
          if (seen.insert(o.name).second) names.push_back(std::move(o.name));
        }
        return absl::OkStatus();
      }));
  return names;
}

absl::StatusOr<std::string> FillTemplate(
    absl::string_view docx, const std::map<std::string, std::string>& values) {
  ASSIGN_OR_RETURN(std::vector<std::string> names, ListPlaceholders(docx));
  for (const std::string& name : names) {
    if (values.count(name) == 0) {
      return LocalizedError(
          absl::StatusCode::kInvalidArgument,
          absl::StrCat("模板中的占位符 {{", name, "}} 没有可填写的内容"),
          absl::StrCat("the template's placeholder {{", name,
                       "}} has no value"));
    }
  }
  for (const auto& [name, value] : values) {
    if (!ValidUtf8(value)) {
      return LocalizedError(
          absl::StatusCode::kInvalidArgument,
          absl::StrCat("占位符 {{", name, "}} 的内容不是有效的 UTF-8 文本"),
          absl::StrCat("the value of {{", name, "}} is not valid UTF-8"));
    }
  }
  ASSIGN_OR_RETURN(Package package, OpenDocx(docx));
  RETURN_IF_ERROR(
      VisitParagraphs(&package, [&](std::vector<Segment>* segs, bool* changed) {
        std::vector<Occurrence> found = FindPlaceholders(Concat(*segs));
        // From the last to the first, so earlier offsets stay valid.
        for (auto it = found.rbegin(); it != found.rend(); ++it) {
          Replace(segs, it->begin, it->end, PrepareValue(values.at(it->name)));
          *changed = true;
        }
        return absl::OkStatus();
      }));
  return WritePackage(package);
}

}  // namespace gongkai::documents

#include "documents/xml_util.h"

#include <libxml/parser.h>

#include <cstring>
#include <mutex>

#include "absl/strings/str_cat.h"
#include "common/lang.h"

namespace gongkai::documents {

void InitXml() {
  static std::once_flag once;
  std::call_once(once, [] { xmlInitParser(); });
}

absl::StatusOr<XmlDocPtr> ParseXml(absl::string_view xml,
                                   absl::string_view part) {
  InitXml();
  xmlDoc* doc =
      xmlReadMemory(xml.data(), static_cast<int>(xml.size()), nullptr, nullptr,
                    XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
  if (doc == nullptr || xmlDocGetRootElement(doc) == nullptr) {
    if (doc) xmlFreeDoc(doc);
    return LocalizedError(
        absl::StatusCode::kInvalidArgument,
        absl::StrCat("DOCX 文档的 ", part, " 不是有效的 XML"),
        absl::StrCat("the DOCX part ", part, " is not well-formed XML"));
  }
  // OOXML parts never carry a DTD; one in an upload can only be an attempt
  // to expand entities (billion laughs) when the text is read.
  if (doc->intSubset != nullptr || doc->extSubset != nullptr) {
    xmlFreeDoc(doc);
    return LocalizedError(
        absl::StatusCode::kInvalidArgument,
        absl::StrCat("DOCX 文档的 ", part, " 含有 DTD 声明，不予处理"),
        absl::StrCat("the DOCX part ", part,
                     " has a DTD declaration, which is refused"));
  }
  return XmlDocPtr(doc);
}

std::string SerializeXml(xmlDoc* doc) {
  xmlChar* mem = nullptr;
  int size = 0;
  xmlDocDumpMemoryEnc(doc, &mem, &size, "UTF-8");
  std::string out(reinterpret_cast<const char*>(mem), size);
  xmlFree(mem);
  return out;
}

bool IsW(const xmlNode* n, const char* local) {
  return n != nullptr && n->type == XML_ELEMENT_NODE && n->ns != nullptr &&
         std::strcmp(reinterpret_cast<const char*>(n->name), local) == 0 &&
         std::strcmp(reinterpret_cast<const char*>(n->ns->href), kWordNs) == 0;
}

xmlNode* ChildW(const xmlNode* n, const char* local) {
  if (n == nullptr) return nullptr;
  for (xmlNode* c = n->children; c != nullptr; c = c->next) {
    if (IsW(c, local)) return c;
  }
  return nullptr;
}

std::string AttrW(const xmlNode* n, const char* local, bool* found) {
  if (found) *found = false;
  if (n == nullptr) return "";
  xmlChar* v = xmlGetNsProp(n, reinterpret_cast<const xmlChar*>(local),
                            reinterpret_cast<const xmlChar*>(kWordNs));
  if (v == nullptr) return "";
  if (found) *found = true;
  std::string out(reinterpret_cast<const char*>(v));
  xmlFree(v);
  return out;
}

std::string TextOf(const xmlNode* n) {
  xmlChar* v = xmlNodeGetContent(n);
  if (v == nullptr) return "";
  std::string out(reinterpret_cast<const char*>(v));
  xmlFree(v);
  return out;
}

}  // namespace gongkai::documents

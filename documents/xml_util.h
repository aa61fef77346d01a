// Small helpers over libxml2 for WordprocessingML: parse and serialise a part,
// match elements by namespace and local name, read w: attributes. Parsing
// never loads external entities or DTDs (XML_PARSE_NONET, no entity
// substitution), so a hostile template cannot read files or the network.
//
// Thread safety: libxml2 is initialised once (InitXml, called by every
// entry point); after that, separate documents may be used from separate
// threads.
#ifndef GONGKAI_DOCUMENTS_XML_UTIL_H_
#define GONGKAI_DOCUMENTS_XML_UTIL_H_

#include <libxml/tree.h>

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace gongkai::documents {

inline constexpr char kWordNs[] =
    "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

struct XmlDocFree {
  void operator()(xmlDoc* d) const { xmlFreeDoc(d); }
};
using XmlDocPtr = std::unique_ptr<xmlDoc, XmlDocFree>;

void InitXml();

// INVALID_ARGUMENT (zh+en) naming `part` when `xml` is not well-formed or
// declares a DTD (which OOXML never does; entity expansion is refused).
absl::StatusOr<XmlDocPtr> ParseXml(absl::string_view xml,
                                   absl::string_view part);
std::string SerializeXml(xmlDoc* doc);

// True when `n` is the element w:`local`.
bool IsW(const xmlNode* n, const char* local);
// The first child element w:`local` of `n`, or null.
xmlNode* ChildW(const xmlNode* n, const char* local);
// The value of attribute w:`local` of `n` ("" when absent; `*found` tells).
std::string AttrW(const xmlNode* n, const char* local, bool* found = nullptr);
// The text content of `n`.
std::string TextOf(const xmlNode* n);

}  // namespace gongkai::documents

#endif  // GONGKAI_DOCUMENTS_XML_UTIL_H_

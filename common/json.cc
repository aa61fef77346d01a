#include "common/json.h"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/strip.h"
#include "common/text_width.h"

namespace gongkai {

Json& Json::Set(std::string key, Json value) {
  Object& obj = as_object();
  for (auto& [k, v] : obj) {
    if (k == key) {
      v = std::move(value);
      return v;
    }
  }
  obj.emplace_back(std::move(key), std::move(value));
  return obj.back().second;
}

const Json* Json::Find(absl::string_view key) const {
  if (!is_object()) return nullptr;
  for (const auto& [k, v] : as_object()) {
    if (k == key) return &v;
  }
  return nullptr;
}

namespace {

using OrderedJson = nlohmann::ordered_json;

// Containers nested deeper than this are refused: nothing gongkai writes comes
// close, and it bounds the recursion of Dump() and of Json's destructor.
constexpr int kMaxDepth = 64;

// Builds a Json straight from nlohmann's SAX events, so a document is parsed
// once, without an intermediate nlohmann tree. The parser itself (grammar,
// escapes, surrogate pairs, UTF-8 checking, number ranges) is nlohmann's.
class JsonBuilder {
 public:
  bool null() { return Add(Json(nullptr)); }
  bool boolean(bool b) { return Add(Json(b)); }
  bool number_integer(OrderedJson::number_integer_t v) {
    return Add(Json(static_cast<int64_t>(v)));
  }
  // nlohmann reads every integer without a sign as unsigned; Json has no
  // unsigned kind, so those past INT64_MAX can only be doubles.
  bool number_unsigned(OrderedJson::number_unsigned_t v) {
    if (v <= static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
      return Add(Json(static_cast<int64_t>(v)));
    }
    return Add(Json(static_cast<double>(v)));
  }
  bool number_float(OrderedJson::number_float_t v,
                    const OrderedJson::string_t&) {
    return Add(Json(v));
  }
  bool string(OrderedJson::string_t& s) { return Add(Json(std::move(s))); }
  bool binary(OrderedJson::binary_t&) {
    error_ = "binary values are not JSON";  // Only CBOR and friends have them.
    return false;
  }
  bool start_object(std::size_t) { return Open(Json::MakeObject()); }
  bool key(OrderedJson::string_t& k) {
    key_ = std::move(k);
    return true;
  }
  bool end_object() { return Close(); }
  bool start_array(std::size_t) { return Open(Json::MakeArray()); }
  bool end_array() { return Close(); }
  bool parse_error(std::size_t position, const std::string& /*last_token*/,
                   const OrderedJson::exception& e) {
    // e.what() reads "[json.exception.parse_error.101] parse error at line 1,
    // column 4: syntax error ..."; the bracketed id means nothing to users,
    // and line and column say more than a byte offset in a pretty file.
    absl::string_view what = e.what();
    if (size_t end = what.find("] ");
        absl::StartsWith(what, "[") && end != absl::string_view::npos) {
      what.remove_prefix(end + 2);
    }
    if (absl::ConsumePrefix(&what, "parse error ")) {
      error_ = absl::StrCat("invalid JSON ", what);
    } else {
      error_ = absl::StrCat("invalid JSON at byte ", position, ": ", what);
    }
    // The message quotes the text it stopped in, which may be the very bytes
    // that are not UTF-8; messages reach terminals and protobuf string fields,
    // which both want UTF-8.
    if (!IsValidUtf8(error_)) {
      error_.erase(std::min(error_.find("; last read:"), error_.size()));
      if (!IsValidUtf8(error_)) error_ = "invalid JSON: text is not UTF-8";
    }
    return false;
  }

  Json TakeResult() { return std::move(root_); }
  const std::string& error() const { return error_; }

 private:
  // Places `value` as the document, the next array element or the value of
  // the last key, and returns where it now lives.
  Json* Place(Json value) {
    if (open_.empty()) {
      root_ = std::move(value);
      return &root_;
    }
    Json* parent = open_.back();
    if (parent->is_array()) {
      parent->Push(std::move(value));
      return &parent->as_array().back();
    }
    // A repeated key keeps its first position and takes the last value.
    return &parent->Set(std::move(key_), std::move(value));
  }

  bool Add(Json value) {
    Place(std::move(value));
    return true;
  }

  // Pointers in open_ stay valid: only the innermost open container grows,
  // and the containers holding it are not touched until it is closed.
  bool Open(Json container) {
    if (open_.size() >= kMaxDepth) {
      error_ =
          absl::StrCat("invalid JSON: arrays and objects nested more than ",
                       kMaxDepth, " deep");
      return false;
    }
    open_.push_back(Place(std::move(container)));
    return true;
  }

  bool Close() {
    open_.pop_back();
    return true;
  }

  Json root_;
  std::vector<Json*> open_;
  std::string key_;
  std::string error_;
};

}  // namespace

void AppendJsonString(std::string* out, absl::string_view s) {
  // nlohmann escapes exactly what the old hand-written writer escaped: '"',
  // '\\', \b \f \n \r \t by name, other bytes below 0x20 as \u00xx (lower-case
  // hex); everything else, U+2028/U+2029 and DEL included, goes out as UTF-8.
  // One difference, on purpose: bytes that are not UTF-8 used to be copied
  // through, making text that no JSON parser (ours included) reads back; they
  // now become U+FFFD. Domain text is checked for UTF-8 before it gets here.
  out->append(OrderedJson(std::string(s))
                  .dump(-1, ' ', /*ensure_ascii=*/false,
                        OrderedJson::error_handler_t::replace));
}

std::string Json::Dump(int indent) const {
  std::string out;
  DumpTo(&out, indent, 0);
  return out;
}

// The layout is walked here rather than handed to nlohmann's dump() because of
// doubles: nlohmann writes the shortest text that reads back ("0.1", "1000.0",
// "-0.0"), while stored audit chains and published reports hold C's %.17g
// ("0.10000000000000001", "1000", "-0"), and nlohmann has no hook for number
// formatting. The layout itself (",", ":" and ": ", `indent` spaces per level,
// "{}" and "[]" for empty containers) is nlohmann's, byte for byte.
void Json::DumpTo(std::string* out, int indent, int depth) const {
  auto newline = [&](int d) {
    if (indent < 0) return;
    out->push_back('\n');
    out->append(static_cast<size_t>(indent * d), ' ');
  };
  if (is_null()) {
    out->append("null");
  } else if (is_bool()) {
    out->append(as_bool() ? "true" : "false");
  } else if (is_int()) {
    absl::StrAppend(out, std::get<int64_t>(value_));
  } else if (is_double()) {
    double d = std::get<double>(value_);
    if (!std::isfinite(d)) {
      out->append("null");  // JSON has no NaN or infinity; nlohmann agrees.
    } else {
      absl::StrAppendFormat(out, "%.17g", d);
    }
  } else if (is_string()) {
    AppendJsonString(out, as_string());
  } else if (is_array()) {
    const Array& a = as_array();
    out->push_back('[');
    for (size_t i = 0; i < a.size(); ++i) {
      if (i > 0) out->push_back(',');
      newline(depth + 1);
      a[i].DumpTo(out, indent, depth + 1);
    }
    if (!a.empty()) newline(depth);
    out->push_back(']');
  } else {
    const Object& o = as_object();
    out->push_back('{');
    for (size_t i = 0; i < o.size(); ++i) {
      if (i > 0) out->push_back(',');
      newline(depth + 1);
      AppendJsonString(out, o[i].first);
      out->append(indent < 0 ? ":" : ": ");
      o[i].second.DumpTo(out, indent, depth + 1);
    }
    if (!o.empty()) newline(depth);
    out->push_back('}');
  }
}

absl::StatusOr<Json> Json::Parse(absl::string_view text) {
  JsonBuilder builder;
  if (!OrderedJson::sax_parse(text.begin(), text.end(), &builder)) {
    return absl::InvalidArgumentError(
        builder.error().empty() ? "invalid JSON" : builder.error());
  }
  return builder.TakeResult();
}

}  // namespace gongkai

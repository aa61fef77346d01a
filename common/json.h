// A small JSON value with a strict parser and a compact or pretty writer.
// Used for the CLI's --json output and for event details stored as text.
// Parsing (RFC 8259, UTF-8 checked) and string escaping are nlohmann/json's;
// the bytes Dump() writes are fixed, because audit checksums hash them.
// Values are plain data: safe to share between threads when not mutated.
#ifndef GONGKAI_COMMON_JSON_H_
#define GONGKAI_COMMON_JSON_H_

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace gongkai {

class Json {
 public:
  using Array = std::vector<Json>;
  // Objects keep insertion order, which keeps output stable and readable.
  using Object = std::vector<std::pair<std::string, Json>>;

  Json() : value_(nullptr) {}
  Json(std::nullptr_t) : value_(nullptr) {}
  Json(bool b) : value_(b) {}
  Json(int v) : value_(static_cast<int64_t>(v)) {}
  Json(int64_t v) : value_(v) {}
  Json(double v) : value_(v) {}
  Json(const char* s) : value_(std::string(s)) {}
  Json(std::string s) : value_(std::move(s)) {}
  Json(absl::string_view s) : value_(std::string(s)) {}
  Json(Array a) : value_(std::move(a)) {}
  Json(Object o) : value_(std::move(o)) {}

  static Json MakeObject() { return Json(Object{}); }
  static Json MakeArray() { return Json(Array{}); }

  bool is_null() const {
    return std::holds_alternative<std::nullptr_t>(value_);
  }
  bool is_bool() const { return std::holds_alternative<bool>(value_); }
  bool is_int() const { return std::holds_alternative<int64_t>(value_); }
  bool is_double() const { return std::holds_alternative<double>(value_); }
  bool is_number() const { return is_int() || is_double(); }
  bool is_string() const { return std::holds_alternative<std::string>(value_); }
  bool is_array() const { return std::holds_alternative<Array>(value_); }
  bool is_object() const { return std::holds_alternative<Object>(value_); }

  bool as_bool() const { return std::get<bool>(value_); }
  int64_t as_int() const {
    return is_int() ? std::get<int64_t>(value_)
                    : static_cast<int64_t>(std::get<double>(value_));
  }
  double as_double() const {
    return is_double() ? std::get<double>(value_)
                       : static_cast<double>(std::get<int64_t>(value_));
  }
  const std::string& as_string() const { return std::get<std::string>(value_); }
  const Array& as_array() const { return std::get<Array>(value_); }
  Array& as_array() { return std::get<Array>(value_); }
  const Object& as_object() const { return std::get<Object>(value_); }
  Object& as_object() { return std::get<Object>(value_); }

  // Object access. Set() replaces an existing key; Find() returns nullptr
  // when the key is absent or this is not an object.
  Json& Set(std::string key, Json value);
  const Json* Find(absl::string_view key) const;
  // Array append.
  void Push(Json value) { as_array().push_back(std::move(value)); }

  // Compact (indent < 0) or pretty-printed with `indent` spaces. Non-ASCII
  // text is written as UTF-8, not escaped; bytes that are not UTF-8 as U+FFFD.
  // Doubles are written as %.17g, NaN and infinity as null.
  std::string Dump(int indent = -1) const;

  // Strict JSON: no comments, trailing commas or leading zeros, UTF-8 only,
  // at most 64 nested arrays/objects. Integers that fit int64 become ints;
  // other numbers doubles. A repeated key keeps its first place and takes
  // the last value. Errors are InvalidArgument and say where.
  static absl::StatusOr<Json> Parse(absl::string_view text);

  friend bool operator==(const Json& a, const Json& b) {
    return a.value_ == b.value_;
  }

 private:
  void DumpTo(std::string* out, int indent, int depth) const;
  std::variant<std::nullptr_t, bool, int64_t, double, std::string, Array,
               Object>
      value_;
};

// Appends `s` as a quoted JSON string literal (escaped as Dump() does).
void AppendJsonString(std::string* out, absl::string_view s);

}  // namespace gongkai

#endif  // GONGKAI_COMMON_JSON_H_

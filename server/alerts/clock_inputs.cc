#include "server/alerts/clock_inputs.h"

#include <cstdint>
#include <cstring>
#include <iterator>

#include "absl/status/status.h"
#include "domain/alerts.h"
#include "domain/amendment.h"

namespace gongkai::alerts {
namespace {

// The event kinds ComputeClocks tells apart; the position is the code.
// Code 0 stands for any other kind.
constexpr const char* kKinds[] = {
    "other",
    "received",
    "answered",
    "withdrawn",
    "consultation_started",
    "consultation_received",
    "consultation_replied",
    "fee_notified",
    "fee_paid",
    "correction_requested",
    "corrected",
    "extended",
    "complete",
};
constexpr uint8_t kOther = 0;

uint8_t CodeOf(absl::string_view kind) {
  for (uint8_t i = 1; i < std::size(kKinds); ++i) {
    if (kind == kKinds[i]) return i;
  }
  return kOther;
}

// The details each kind's clocks read, texts first, then whole numbers.
struct DetailKeys {
  std::vector<const char*> texts;
  std::vector<const char*> ints;
};
const DetailKeys& KeysOf(absl::string_view kind) {
  static const DetailKeys kNone;
  static const DetailKeys kConsultation{{"id", "party", "kind", "received_on"},
                                        {}};
  static const DetailKeys kConsultationStep{{"id"}, {}};
  static const DetailKeys kCorrection{{}, {"period_days"}};
  static const DetailKeys kExtension{{"kind"}, {"days"}};
  if (kind == "consultation_started") return kConsultation;
  if (kind == "consultation_received" || kind == "consultation_replied")
    return kConsultationStep;
  if (kind == "correction_requested") return kCorrection;
  if (kind == "extended") return kExtension;
  return kNone;
}

// As ComputeClocks reads a text detail: a string as is, anything else as
// JSON, absent as "".
std::string DetailText(const CaseEvent& e, const char* key) {
  const Json* v = e.details.Find(key);
  if (v == nullptr) return "";
  return v->is_string() ? v->as_string() : v->Dump();
}

void PutVarint(uint64_t v, std::string* out) {
  while (v >= 0x80) {
    out->push_back(static_cast<char>(v | 0x80));
    v >>= 7;
  }
  out->push_back(static_cast<char>(v));
}

void PutFixed32(int32_t v, std::string* out) {
  uint32_t u = static_cast<uint32_t>(v);
  for (int i = 0; i < 4; ++i) out->push_back(static_cast<char>(u >> (8 * i)));
}

class Reader {
 public:
  explicit Reader(absl::string_view in) : in_(in) {}
  bool done() const { return in_.empty(); }
  bool Byte(uint8_t* v) {
    if (in_.empty()) return false;
    *v = static_cast<uint8_t>(in_[0]);
    in_.remove_prefix(1);
    return true;
  }
  bool Fixed32(int32_t* v) {
    if (in_.size() < 4) return false;
    uint32_t u = 0;
    for (int i = 0; i < 4; ++i)
      u |= static_cast<uint32_t>(static_cast<uint8_t>(in_[i])) << (8 * i);
    *v = static_cast<int32_t>(u);
    in_.remove_prefix(4);
    return true;
  }
  bool Varint(uint64_t* v) {
    *v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      uint8_t b;
      if (!Byte(&b)) return false;
      *v |= static_cast<uint64_t>(b & 0x7f) << shift;
      if ((b & 0x80) == 0) return true;
    }
    return false;
  }
  bool Text(std::string* v) {
    uint64_t n;
    if (!Varint(&n) || n > in_.size()) return false;
    v->assign(in_.data(), n);
    in_.remove_prefix(n);
    return true;
  }

 private:
  absl::string_view in_;
};

}  // namespace

std::string EncodeClockInputs(const std::vector<CaseEvent>& events) {
  std::vector<CaseEvent> corrected;
  const std::vector<CaseEvent>* source = &events;
  if (HasCorrections(events)) {
    corrected = EffectiveHistory(events);
    source = &corrected;
  }
  // The earliest event (by day, then position: how ComputeClocks orders
  // them) is the only one of another kind that can change the clocks.
  size_t earliest = 0;
  for (size_t i = 1; i < source->size(); ++i) {
    if ((*source)[i].effective_on < (*source)[earliest].effective_on)
      earliest = i;
  }
  std::string out;
  for (size_t i = 0; i < source->size(); ++i) {
    const CaseEvent& e = (*source)[i];
    const uint8_t code = CodeOf(e.kind);
    if (code == kOther && i != earliest) continue;
    out.push_back(static_cast<char>(code));
    PutFixed32(DayNumber(e.effective_on), &out);
    const DetailKeys& keys = KeysOf(e.kind);
    for (const char* key : keys.texts) {
      const std::string text = DetailText(e, key);
      PutVarint(text.size(), &out);
      out += text;
    }
    for (const char* key : keys.ints) {
      const Json* v = e.details.Find(key);
      if (v == nullptr || !v->is_int()) {
        out.push_back(0);
        continue;
      }
      out.push_back(1);
      // Zigzag, so that a negative number stays short.
      const int64_t n = v->as_int();
      PutVarint(
          (static_cast<uint64_t>(n) << 1) ^ static_cast<uint64_t>(n >> 63),
          &out);
    }
  }
  return out;
}

absl::StatusOr<std::vector<CaseEvent>> DecodeClockInputs(
    absl::string_view packed) {
  const absl::Status bad = absl::InternalError("corrupt clock inputs");
  std::vector<CaseEvent> events;
  Reader in(packed);
  while (!in.done()) {
    uint8_t code;
    int32_t day;
    if (!in.Byte(&code) || code >= std::size(kKinds) || !in.Fixed32(&day))
      return bad;
    CaseEvent e;
    e.seq = static_cast<int64_t>(events.size()) + 1;
    e.kind = kKinds[code];
    e.effective_on = DayOfNumber(day);
    const DetailKeys& keys = KeysOf(e.kind);
    for (const char* key : keys.texts) {
      std::string text;
      if (!in.Text(&text)) return bad;
      if (!text.empty()) e.details.Set(key, Json(std::move(text)));
    }
    for (const char* key : keys.ints) {
      uint8_t present;
      if (!in.Byte(&present)) return bad;
      if (present == 0) continue;
      uint64_t z;
      if (!in.Varint(&z)) return bad;
      const int64_t n =
          static_cast<int64_t>(z >> 1) ^ -static_cast<int64_t>(z & 1);
      e.details.Set(key, Json(n));
    }
    events.push_back(std::move(e));
  }
  return events;
}

}  // namespace gongkai::alerts

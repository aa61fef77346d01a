// Hashing and random tokens (OpenSSL). Thread-safe.
#ifndef GONGKAI_COMMON_CRYPTO_H_
#define GONGKAI_COMMON_CRYPTO_H_

#include <string>

#include "absl/strings/string_view.h"

namespace gongkai {

// Lower-case hex SHA-256 of `data`.
std::string Sha256Hex(absl::string_view data);

// Lower-case hex HMAC-SHA256 of `data` under `key` (raw key bytes).
std::string HmacSha256Hex(absl::string_view key, absl::string_view data);

// `n` bytes of cryptographic randomness (aborts when the system has none).
std::string RandomBytes(size_t n);

// A new API token: "gk_" and 64 hex digits of cryptographic randomness.
std::string NewApiToken();

}  // namespace gongkai

#endif  // GONGKAI_COMMON_CRYPTO_H_

// Hashing and random tokens (OpenSSL). Thread-safe.
#ifndef GONGKAI_COMMON_CRYPTO_H_
#define GONGKAI_COMMON_CRYPTO_H_

#include <string>

#include "absl/strings/string_view.h"

namespace gongkai {

// Lower-case hex SHA-256 of `data`.
std::string Sha256Hex(absl::string_view data);

// A new API token: "gk_" and 64 hex digits of cryptographic randomness.
std::string NewApiToken();

}  // namespace gongkai

#endif  // GONGKAI_COMMON_CRYPTO_H_

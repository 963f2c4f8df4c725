// Small OpenSSL wrappers for webhook signatures and HTTP Basic auth.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace centinela {

std::string base64_encode(std::string_view bytes);
// Strict standard alphabet with padding; nullopt on anything else.
std::optional<std::string> base64_decode(std::string_view text);

std::string hmac_sha1(std::string_view key, std::string_view data);  // 20 raw bytes
std::string sha256_hex(std::string_view data);                       // 64 lower-case hex digits

// Constant-time comparison (CRYPTO_memcmp): a plain == leaks through timing how many leading
// bytes of a forged signature were right. Sizes are not secret, so unequal sizes return early.
bool constant_time_equal(std::string_view a, std::string_view b);

}  // namespace centinela

// API bearer tokens are stored in config only as "sha256:<hex>". Tokens are long random strings
// (see `centinela hash-token`), so a fast hash is enough: there is no password to brute-force.
#pragma once

#include <string>
#include <string_view>

namespace centinela {

std::string hash_token(std::string_view token);  // "sha256:" + 64 lowercase hex
// Constant-time comparison of hash_token(token) with `expected_hash`.
bool token_matches(std::string_view token, std::string_view expected_hash);
// A new random token: 32 bytes of randomness, base64url without padding.
std::string generate_token();

}  // namespace centinela

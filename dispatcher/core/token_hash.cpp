#include "dispatcher/core/token_hash.hpp"

#include <sodium.h>

#include <array>
#include <stdexcept>

namespace centinela {

std::string hash_token(std::string_view token) {
  if (sodium_init() < 0) throw std::runtime_error("libsodium failed to initialize");
  std::array<unsigned char, crypto_hash_sha256_BYTES> digest{};
  crypto_hash_sha256(digest.data(), reinterpret_cast<const unsigned char*>(token.data()), token.size());
  std::string hex(digest.size() * 2 + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), digest.data(), digest.size());
  hex.pop_back();
  return "sha256:" + hex;
}

bool token_matches(std::string_view token, std::string_view expected_hash) {
  if (token.empty()) return false;
  const std::string actual = hash_token(token);
  return actual.size() == expected_hash.size() &&
         sodium_memcmp(actual.data(), expected_hash.data(), actual.size()) == 0;
}

std::string generate_token() {
  if (sodium_init() < 0) throw std::runtime_error("libsodium failed to initialize");
  std::array<unsigned char, 32> raw{};
  randombytes_buf(raw.data(), raw.size());
  std::string out(sodium_base64_ENCODED_LEN(raw.size(), sodium_base64_VARIANT_URLSAFE_NO_PADDING), '\0');
  sodium_bin2base64(out.data(), out.size(), raw.data(), raw.size(),
                    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  out.resize(std::char_traits<char>::length(out.c_str()));
  return out;
}

}  // namespace centinela

// libsodium does the cryptography; this file only picks primitives and derives subkeys.
#include "dispatcher/storage/crypto.hpp"

#include <sodium.h>

#include <stdexcept>

namespace centinela::storage {
namespace {

void ensure_sodium() {
  if (sodium_init() < 0) throw std::runtime_error("libsodium failed to initialize");
}

constexpr char kdf_context[crypto_kdf_CONTEXTBYTES] = {'c', 'e', 'n', 't', 'i', 'n', 'e', 'l'};
constexpr std::uint64_t encryption_subkey_id = 1;
constexpr std::uint64_t index_subkey_id = 2;

}  // namespace

DataCipher::DataCipher(std::string_view master_key_hex) {
  ensure_sodium();
  std::array<unsigned char, crypto_kdf_KEYBYTES> master{};
  std::size_t decoded = 0;
  const char* end = nullptr;
  if (master_key_hex.size() != master.size() * 2 ||
      sodium_hex2bin(master.data(), master.size(), master_key_hex.data(), master_key_hex.size(),
                     nullptr, &decoded, &end) != 0 ||
      decoded != master.size()) {
    throw std::invalid_argument("the data key must be 64 hex characters (see `centinela keygen`)");
  }
  static_assert(key_bytes == crypto_aead_xchacha20poly1305_ietf_KEYBYTES);
  static_assert(key_bytes >= crypto_generichash_KEYBYTES_MIN);
  crypto_kdf_derive_from_key(encryption_key_.data(), encryption_key_.size(), encryption_subkey_id,
                             kdf_context, master.data());
  crypto_kdf_derive_from_key(index_key_.data(), index_key_.size(), index_subkey_id, kdf_context,
                             master.data());
  sodium_memzero(master.data(), master.size());
}

DataCipher::~DataCipher() {
  sodium_memzero(encryption_key_.data(), encryption_key_.size());
  sodium_memzero(index_key_.data(), index_key_.size());
}

Bytes DataCipher::encrypt(std::string_view plaintext) const {
  constexpr auto nonce_bytes = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
  Bytes out(nonce_bytes + plaintext.size() + crypto_aead_xchacha20poly1305_ietf_ABYTES, 0);
  randombytes_buf(out.data(), nonce_bytes);
  unsigned long long sealed_len = 0;
  crypto_aead_xchacha20poly1305_ietf_encrypt(
      out.data() + nonce_bytes, &sealed_len, reinterpret_cast<const unsigned char*>(plaintext.data()),
      plaintext.size(), nullptr, 0, nullptr, out.data(), encryption_key_.data());
  out.resize(nonce_bytes + sealed_len);
  return out;
}

std::optional<std::string> DataCipher::decrypt(const Bytes& sealed) const {
  constexpr auto nonce_bytes = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
  constexpr auto tag_bytes = crypto_aead_xchacha20poly1305_ietf_ABYTES;
  if (sealed.size() < nonce_bytes + tag_bytes) return std::nullopt;
  std::string plain(sealed.size() - nonce_bytes - tag_bytes, '\0');
  unsigned long long plain_len = 0;
  if (crypto_aead_xchacha20poly1305_ietf_decrypt(
          reinterpret_cast<unsigned char*>(plain.data()), &plain_len, nullptr,
          sealed.data() + nonce_bytes, sealed.size() - nonce_bytes, nullptr, 0, sealed.data(),
          encryption_key_.data()) != 0) {
    return std::nullopt;
  }
  plain.resize(plain_len);
  return plain;
}

Bytes DataCipher::blind_index(std::string_view value) const {
  Bytes out(crypto_generichash_BYTES, 0);
  crypto_generichash(out.data(), out.size(), reinterpret_cast<const unsigned char*>(value.data()),
                     value.size(), index_key_.data(), index_key_.size());
  return out;
}

std::string DataCipher::generate_key_hex() {
  ensure_sodium();
  std::array<unsigned char, crypto_kdf_KEYBYTES> key{};
  crypto_kdf_keygen(key.data());
  std::string hex(key.size() * 2 + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), key.data(), key.size());
  hex.pop_back();
  sodium_memzero(key.data(), key.size());
  return hex;
}

}  // namespace centinela::storage

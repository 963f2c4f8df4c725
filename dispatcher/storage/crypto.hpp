// Encryption at rest for phone numbers and reporter text. The member list is a target: a copy of
// the database alone must not reveal who is on it, so the key lives outside the database
// (CENTINELA_DATA_KEY) and every number is stored as AEAD ciphertext plus a keyed blind index
// that allows equality lookups without decrypting.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>

namespace centinela::storage {

using Bytes = std::basic_string<unsigned char>;

class DataCipher {
 public:
  static constexpr std::size_t key_bytes = 32;

  // `master_key_hex` is 64 hex characters (from `centinela keygen`); throws std::invalid_argument
  // otherwise. Two independent subkeys are derived from it: one to encrypt, one to index.
  explicit DataCipher(std::string_view master_key_hex);
  ~DataCipher();
  DataCipher(const DataCipher&) = delete;
  DataCipher& operator=(const DataCipher&) = delete;

  // XChaCha20-Poly1305 with a random nonce: nonce || ciphertext || tag.
  Bytes encrypt(std::string_view plaintext) const;
  // nullopt when the ciphertext was tampered with or made with another key.
  std::optional<std::string> decrypt(const Bytes& sealed) const;

  // Keyed BLAKE2b of the value: equal inputs give equal indexes, and without the key the index
  // cannot be reversed by hashing every phone number.
  Bytes blind_index(std::string_view value) const;

  // A fresh random master key as 64 hex characters.
  static std::string generate_key_hex();

 private:
  std::array<unsigned char, key_bytes> encryption_key_{};
  std::array<unsigned char, key_bytes> index_key_{};
};

}  // namespace centinela::storage

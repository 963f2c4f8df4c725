#include <gtest/gtest.h>

#include "dispatcher/core/token_hash.hpp"
#include "dispatcher/storage/crypto.hpp"
#include "tests/support/test_config.hpp"

namespace centinela::storage {
namespace {

TEST(DataCipher, RoundTripAndTamperDetection) {
  const DataCipher cipher(testing::test_data_key);
  const auto sealed = cipher.encrypt("+13235550001");
  EXPECT_EQ(cipher.decrypt(sealed), "+13235550001");
  EXPECT_NE(cipher.encrypt("+13235550001"), sealed) << "random nonce: equal numbers look different";
  auto tampered = sealed;
  tampered.back() ^= 1;
  EXPECT_FALSE(cipher.decrypt(tampered));
  EXPECT_FALSE(cipher.decrypt(Bytes(3, 0)));
  const DataCipher other(DataCipher::generate_key_hex());
  EXPECT_FALSE(other.decrypt(sealed)) << "another key cannot read it";
}

TEST(DataCipher, BlindIndexIsStableAndKeyed) {
  const DataCipher a(testing::test_data_key);
  const DataCipher b(DataCipher::generate_key_hex());
  EXPECT_EQ(a.blind_index("+13235550001"), a.blind_index("+13235550001"));
  EXPECT_NE(a.blind_index("+13235550001"), a.blind_index("+13235550002"));
  EXPECT_NE(a.blind_index("+13235550001"), b.blind_index("+13235550001"));
}

TEST(DataCipher, RejectsMalformedKeys) {
  EXPECT_THROW(DataCipher("abc"), std::invalid_argument);
  EXPECT_THROW(DataCipher(std::string(64, 'z')), std::invalid_argument);
  EXPECT_EQ(DataCipher::generate_key_hex().size(), 64u);
}

TEST(TokenHash, MatchesOnlyItsToken) {
  const auto h = hash_token("dev-operator-token");
  EXPECT_EQ(h, "sha256:277e6a75a6980887d1bc5c738e59a2504e3e2696d8f9fbf675b7fc49dabd2cf8");
  EXPECT_TRUE(token_matches("dev-operator-token", h));
  EXPECT_FALSE(token_matches("dev-operator-tokeN", h));
  EXPECT_FALSE(token_matches("", h));
  EXPECT_NE(generate_token(), generate_token());
}

}  // namespace
}  // namespace centinela::storage

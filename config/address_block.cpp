#include "config/address_block.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <charconv>
#include <string>

namespace centinela::config {
namespace {

bool prefix_matches(std::span<const unsigned char> a, std::span<const unsigned char> b, int bits) {
  const auto whole = static_cast<std::size_t>(bits / 8);
  if (!std::equal(a.begin(), a.begin() + whole, b.begin())) return false;
  if (bits % 8 == 0) return true;
  const auto mask = static_cast<unsigned char>(0xff << (8 - bits % 8));
  return (a[whole] & mask) == (b[whole] & mask);
}

constexpr std::array<unsigned char, 12> v4_mapped_prefix{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};

}  // namespace

std::optional<AddressBlock> parse_address_block(std::string_view text) {
  const auto slash = text.find('/');
  const std::string address(text.substr(0, slash));
  AddressBlock block;
  if (inet_pton(AF_INET, address.c_str(), block.bytes.data()) == 1) {
    block.prefix_bits = 32;
  } else if (inet_pton(AF_INET6, address.c_str(), block.bytes.data()) == 1) {
    block.v6 = true;
    block.prefix_bits = 128;
  } else {
    return std::nullopt;
  }
  if (slash != std::string_view::npos) {
    const auto bits = text.substr(slash + 1);
    int prefix = -1;
    const auto [end, ec] = std::from_chars(bits.data(), bits.data() + bits.size(), prefix);
    if (bits.empty() || ec != std::errc{} || end != bits.data() + bits.size() || prefix < 0 ||
        prefix > block.prefix_bits)
      return std::nullopt;
    block.prefix_bits = prefix;
  }
  const std::size_t size = block.v6 ? 16 : 4;
  for (int bit = block.prefix_bits; bit < static_cast<int>(size) * 8; ++bit)
    if (block.bytes[bit / 8] & (0x80 >> (bit % 8))) return std::nullopt;  // host bits set
  if (block.v6 && block.prefix_bits >= 96 &&
      std::equal(v4_mapped_prefix.begin(), v4_mapped_prefix.end(), block.bytes.begin())) {
    std::copy(block.bytes.begin() + 12, block.bytes.end(), block.bytes.begin());
    std::fill(block.bytes.begin() + 4, block.bytes.end(), 0);
    block.v6 = false;
    block.prefix_bits -= 96;
  }
  return block;
}

bool block_contains(const AddressBlock& block, std::span<const unsigned char> address) {
  if (address.size() != (block.v6 ? 16u : 4u)) return false;
  return prefix_matches(std::span(block.bytes).first(address.size()), address, block.prefix_bits);
}

}  // namespace centinela::config

// IP addresses and CIDR blocks as written in the config (server.trusted_proxies): "10.0.0.7",
// "10.0.0.0/8", "2001:db8::/32". One parser for check-config and for the server, so what
// validation accepts is what the server matches.
#pragma once

#include <array>
#include <optional>
#include <span>
#include <string_view>

namespace centinela::config {

struct AddressBlock {
  bool v6 = false;
  std::array<unsigned char, 16> bytes{};  // network order; IPv4 uses the first 4
  int prefix_bits = 0;                    // 32 (IPv4) or 128 (IPv6) for a single address
};

// nullopt unless `text` is an address or a block whose host bits are zero ("10.0.0.1/8" is
// refused: it reads like a typo). An IPv4-mapped IPv6 block ("::ffff:10.0.0.0/104") becomes
// its IPv4 block, since the server matches peers in IPv4 form.
std::optional<AddressBlock> parse_address_block(std::string_view text);

// Whether the address (4 bytes for IPv4, 16 for IPv6, network order) lies in `block`.
bool block_contains(const AddressBlock& block, std::span<const unsigned char> address);

}  // namespace centinela::config

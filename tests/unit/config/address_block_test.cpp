// config::parse_address_block and block_contains: what server.trusted_proxies may say.
#include <array>

#include <gtest/gtest.h>

#include "config/address_block.hpp"

namespace centinela::config {
namespace {

bool contains(const char* block, std::initializer_list<unsigned char> address) {
  const auto b = parse_address_block(block);
  if (!b) throw std::runtime_error(std::string("does not parse: ") + block);
  const std::vector<unsigned char> bytes(address);
  return block_contains(*b, bytes);
}

TEST(AddressBlock, AddressesAndBlocksParse) {
  for (const char* ok : {"127.0.0.1", "10.0.0.0/8", "0.0.0.0/0", "192.168.1.0/24", "::1", "2001:db8::/32",
                         "fe80::/10", "::/0", "::ffff:10.0.0.0/104"}) {
    SCOPED_TRACE(ok);
    EXPECT_TRUE(parse_address_block(ok).has_value());
  }
  EXPECT_EQ(parse_address_block("10.0.0.7")->prefix_bits, 32);
  EXPECT_EQ(parse_address_block("::1")->prefix_bits, 128);
}

TEST(AddressBlock, NonsenseIsRefused) {
  for (const char* bad : {"", "localhost", "proxy.example.org", "10.0.0", "10.0.0.256", "10.0.0.1/8", "10.0.0.0/33",
                          "10.0.0.0/", "10.0.0.0/-1", "10.0.0.0/8x", "2001:db8::1/32", "::/129", "1.2.3.4:80",
                          " 10.0.0.1"}) {
    SCOPED_TRACE(bad);
    EXPECT_FALSE(parse_address_block(bad).has_value());
  }
}

TEST(AddressBlock, Contains) {
  EXPECT_TRUE(contains("10.0.0.0/8", {10, 200, 3, 4}));
  EXPECT_FALSE(contains("10.0.0.0/8", {11, 0, 0, 1}));
  EXPECT_TRUE(contains("192.168.1.128/25", {192, 168, 1, 200}));
  EXPECT_FALSE(contains("192.168.1.128/25", {192, 168, 1, 127}));
  EXPECT_TRUE(contains("127.0.0.1", {127, 0, 0, 1}));
  EXPECT_FALSE(contains("127.0.0.1", {127, 0, 0, 2}));
  EXPECT_TRUE(contains("0.0.0.0/0", {8, 8, 8, 8}));
  EXPECT_TRUE(contains("::1", {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}));
  EXPECT_TRUE(contains("2001:db8::/32", {0x20, 0x01, 0x0d, 0xb8, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}));
  EXPECT_FALSE(contains("2001:db8::/32", {0x20, 0x01, 0x0d, 0xb9, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}));
  EXPECT_FALSE(contains("10.0.0.0/8", {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 10, 0, 0, 1})) << "families differ";
}

TEST(AddressBlock, Ipv4MappedBlocksBecomeIpv4) {
  const auto b = parse_address_block("::ffff:10.0.0.0/104");
  ASSERT_TRUE(b);
  EXPECT_FALSE(b->v6);
  EXPECT_EQ(b->prefix_bits, 8);
  EXPECT_TRUE(contains("::ffff:10.0.0.0/104", {10, 9, 9, 9}));
}

}  // namespace
}  // namespace centinela::config

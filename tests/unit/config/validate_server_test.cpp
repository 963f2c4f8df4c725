// The server: section's connection limits, on YAML so the positions of problems are checked too.
#include <gtest/gtest.h>

#include "config/validate.hpp"
#include "config_fixture.hpp"

namespace centinela::config::testing {
namespace {

TEST(ValidateServer, ConnectionDefaults) {
  const LoadResult r = load(minimal_yaml());
  ASSERT_TRUE(r.ok()) << dump(r);
  const auto& s = r.config->server;
  EXPECT_EQ(s.max_connections, 1024);
  EXPECT_EQ(s.idle_timeout, std::chrono::seconds{5});
  EXPECT_EQ(per_address_limit(s), 256) << "a quarter of the connections: one client never holds them all";
  EXPECT_EQ(s.trusted_proxies, (std::vector<std::string>{"127.0.0.1", "::1"})) << "a reverse proxy on this machine";
  const LoadResult small = load("server:\n  max_connections: 6\n" + minimal_yaml());
  ASSERT_TRUE(small.ok()) << dump(small);
  EXPECT_EQ(per_address_limit(small.config->server), 1);
  const LoadResult off = load("server:\n  max_connections_per_address: 0\n  trusted_proxies: []\n" + minimal_yaml());
  ASSERT_TRUE(off.ok()) << dump(off);
  EXPECT_EQ(per_address_limit(off.config->server), 0);
  EXPECT_TRUE(off.config->server.trusted_proxies.empty());
}

TEST(ValidateServer, KeysAreRead) {
  const LoadResult r = load("server:\n"
                            "  max_connections: 200\n"
                            "  idle_timeout: \"2s\"\n"
                            "  max_connections_per_address: 16\n"
                            "  trusted_proxies: [\"127.0.0.1\", \"10.0.0.0/8\", \"::1\"]\n" +
                            minimal_yaml());
  ASSERT_TRUE(r.ok()) << dump(r);
  const auto& s = r.config->server;
  EXPECT_EQ(s.max_connections, 200);
  EXPECT_EQ(s.idle_timeout, std::chrono::seconds{2});
  EXPECT_EQ(s.max_connections_per_address, 16);
  EXPECT_EQ(s.trusted_proxies, (std::vector<std::string>{"127.0.0.1", "10.0.0.0/8", "::1"}));
}

TEST(ValidateServer, NonsenseLimitsHaveLineAndColumn) {
  const LoadResult r = load("server:\n"
                            "  max_connections: 0\n"
                            "  idle_timeout: \"0s\"\n"
                            "  max_connections_per_address: -1\n"
                            "  trusted_proxies: [\"10.0.0.1\", \"proxy.internal\", \"10.0.0.1/8\"]\n" +
                            minimal_yaml());
  EXPECT_TRUE(has_error(r, "server.max_connections", {.line = 2, .column = 20, .message_part = "between 1 and"}));
  EXPECT_TRUE(has_error(r, "server.idle_timeout", {.line = 3}));
  EXPECT_TRUE(has_error(r, "server.max_connections_per_address", {.line = 4, .message = "must not be negative"}));
  EXPECT_FALSE(has_error(r, "server.trusted_proxies[0]"));
  EXPECT_TRUE(has_error(r, "server.trusted_proxies[1]",
                        {.line = 5, .message = "\"proxy.internal\" is not an IP address or CIDR block"}));
  EXPECT_TRUE(has_error(r, "server.trusted_proxies[2]", {.line = 5}));
}

TEST(ValidateServer, PerAddressLimitAboveTheCapAndUselessProxies) {
  const LoadResult r = load("server:\n"
                            "  max_connections: 10\n"
                            "  max_connections_per_address: 11\n" +
                            minimal_yaml());
  EXPECT_TRUE(has_error(r, "server.max_connections_per_address", {.message = "must not exceed server.max_connections"}));
  const LoadResult w =
      load("server:\n  trusted_proxies: [\"10.0.0.1\"]\n  max_connections_per_address: 0\n" + minimal_yaml());
  ASSERT_TRUE(w.ok()) << dump(w);
  EXPECT_TRUE(has_warning(w, "server.trusted_proxies", {.line = 2, .message_part = "has no effect"}));
}

}  // namespace
}  // namespace centinela::config::testing

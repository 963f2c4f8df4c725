// URL parsing and the loopback rule (providers/common/url.cpp).
#include <gtest/gtest.h>

#include "providers/common/url.hpp"

namespace centinela {
namespace {

TEST(ParseUrl, Parts) {
  const auto u = parse_url("HTTPS://API.Twilio.com:8443/base/path?x=1#frag");
  ASSERT_TRUE(u.has_value());
  EXPECT_EQ(u->scheme, "https");
  EXPECT_EQ(u->host, "api.twilio.com");
  EXPECT_EQ(u->port, "8443");
  EXPECT_EQ(u->path_and_query, "/base/path?x=1");
  EXPECT_EQ(u->authority(true), "api.twilio.com:8443");
}

TEST(ParseUrl, DefaultsAndIpv6) {
  const auto u = parse_url("https://api.twilio.com");
  ASSERT_TRUE(u.has_value());
  EXPECT_EQ(u->port, "");
  EXPECT_EQ(u->effective_port(), "443");
  EXPECT_EQ(u->path_and_query, "");
  const auto v6 = parse_url("http://[::1]:8080/x");
  ASSERT_TRUE(v6.has_value());
  EXPECT_EQ(v6->host, "::1");
  EXPECT_EQ(v6->port, "8080");
  EXPECT_EQ(v6->authority(false), "[::1]");
}

TEST(ParseUrl, Rejects) {
  for (const char* bad : {"", "api.twilio.com", "ftp://x", "https://", "https://:443", "https://h:0", "https://h:65536",
                          "https://h:x", "https://h:", "https://user:pw@h/", "http://[::1", "http://[::1]x"}) {
    SCOPED_TRACE(bad);
    EXPECT_FALSE(parse_url(bad).has_value());
  }
}

TEST(IsLoopbackHost, OnlyThisMachine) {
  for (const char* yes : {"127.0.0.1", "127.1.2.3", "::1", "localhost", "LOCALHOST"}) EXPECT_TRUE(is_loopback_host(yes)) << yes;
  for (const char* no : {"10.0.0.1", "128.0.0.1", "127.0.0.1.example.com", "127.example.com", "localhost.evil.com",
                         "0.0.0.0", "::", "api.twilio.com", "1270.0.0.1", "127.0.0.256"}) {
    EXPECT_FALSE(is_loopback_host(no)) << no;
  }
}

}  // namespace
}  // namespace centinela

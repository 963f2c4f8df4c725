// Just enough URL handling for provider base URLs and signed webhook URLs.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace centinela {

struct Url {
  std::string scheme;          // "https" or "http", lower-cased
  std::string host;            // "api.twilio.com", "127.0.0.1", "::1" (no brackets)
  std::string port;            // as written; empty when the URL has none
  std::string path_and_query;  // "/2010-04-01?x=1"; empty when the URL has none

  std::string_view default_port() const { return scheme == "https" ? "443" : "80"; }
  std::string effective_port() const { return port.empty() ? std::string(default_port()) : port; }
  // "host" or "host:port" (brackets around IPv6), as in a Host header or a URL.
  std::string authority(bool with_port) const;
};

// Parses "scheme://host[:port][/path][?query]"; nullopt for other schemes, user info, an empty
// host or a port that is not a number in 1..65535. The fragment, if any, is dropped.
std::optional<Url> parse_url(std::string_view text);

// 127.0.0.0/8, ::1 and "localhost": the only hosts where plain http is allowed, because traffic
// to them never leaves the machine.
bool is_loopback_host(std::string_view host);

}  // namespace centinela

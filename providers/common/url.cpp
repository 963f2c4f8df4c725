// URL parsing: see url.hpp.
#include "providers/common/url.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>

namespace centinela {
namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

bool valid_port(std::string_view p) {
  unsigned value = 0;
  const auto [end, ec] = std::from_chars(p.data(), p.data() + p.size(), value);
  return ec == std::errc{} && end == p.data() + p.size() && value >= 1 && value <= 65535;
}

// Dotted quad with every part 0..255; we only need to know the first octet.
std::optional<unsigned> ipv4_first_octet(std::string_view host) {
  unsigned first = 0;
  for (int part = 0; part < 4; ++part) {
    unsigned value = 0;
    const auto [end, ec] = std::from_chars(host.data(), host.data() + host.size(), value);
    const auto used = static_cast<std::size_t>(end - host.data());
    if (ec != std::errc{} || used == 0 || used > 3 || value > 255) return std::nullopt;
    if (part == 0) first = value;
    host.remove_prefix(used);
    if (part < 3) {
      if (host.empty() || host.front() != '.') return std::nullopt;
      host.remove_prefix(1);
    }
  }
  if (!host.empty()) return std::nullopt;
  return first;
}

}  // namespace

std::string Url::authority(bool with_port) const {
  std::string out = host.find(':') != std::string::npos ? "[" + host + "]" : host;
  if (with_port) out += ":" + effective_port();
  return out;
}

std::optional<Url> parse_url(std::string_view text) {
  const auto sep = text.find("://");
  if (sep == std::string_view::npos) return std::nullopt;
  Url url;
  url.scheme = lower(text.substr(0, sep));
  if (url.scheme != "http" && url.scheme != "https") return std::nullopt;
  text.remove_prefix(sep + 3);
  if (const auto hash = text.find('#'); hash != std::string_view::npos) text = text.substr(0, hash);

  const auto auth_end = text.find_first_of("/?");
  std::string_view authority = text.substr(0, auth_end);
  url.path_and_query = auth_end == std::string_view::npos ? std::string{} : std::string(text.substr(auth_end));
  if (authority.find('@') != std::string_view::npos) return std::nullopt;  // credentials in URLs leak into logs

  if (!authority.empty() && authority.front() == '[') {  // [v6]:port
    const auto close = authority.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    url.host = lower(authority.substr(1, close - 1));
    authority.remove_prefix(close + 1);
    if (!authority.empty()) {
      if (authority.front() != ':') return std::nullopt;
      url.port = std::string(authority.substr(1));
    }
  } else {
    const auto colon = authority.rfind(':');
    url.host = lower(authority.substr(0, colon));
    if (colon != std::string_view::npos) url.port = std::string(authority.substr(colon + 1));
  }
  if (url.host.empty()) return std::nullopt;
  const bool has_colon = authority.find(':') != std::string_view::npos;  // after any [v6] part
  if ((has_colon || !url.port.empty()) && !valid_port(url.port)) return std::nullopt;
  return url;
}

bool is_loopback_host(std::string_view host) {
  const std::string h = lower(host);
  if (h == "localhost" || h == "::1" || h == "0:0:0:0:0:0:0:1") return true;
  const auto first = ipv4_first_octet(h);
  return first && *first == 127;
}

}  // namespace centinela

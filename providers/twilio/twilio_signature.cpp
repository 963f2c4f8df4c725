// Twilio webhook signatures: see twilio_signature.hpp.
#include "providers/twilio/twilio_signature.hpp"

#include <algorithm>
#include <cctype>
#include <utility>

#include "providers/common/crypto.hpp"

namespace centinela::providers::twilio {
namespace {

// Positions of the authority ("host[:port]") inside a URL, or nullopt.
struct Authority {
  std::size_t begin = 0;
  std::size_t end = 0;       // one past the last character
  std::size_t port_colon = std::string_view::npos;  // the ':' before the port, if any
};

std::optional<Authority> find_authority(std::string_view url) {
  const auto sep = url.find("://");
  if (sep == std::string_view::npos) return std::nullopt;
  Authority a;
  a.begin = sep + 3;
  a.end = std::min(url.find_first_of("/?#", a.begin), url.size());
  if (a.end == a.begin) return std::nullopt;
  const auto colon = url.rfind(':', a.end - 1);
  const auto bracket = url.rfind(']', a.end - 1);
  if (colon != std::string_view::npos && colon >= a.begin &&
      (bracket == std::string_view::npos || bracket < a.begin || colon > bracket)) {
    a.port_colon = colon;
  }
  return a;
}

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::string_view query_of(std::string_view url) {
  const auto q = url.find('?');
  if (q == std::string_view::npos) return {};
  url.remove_prefix(q + 1);
  return url.substr(0, url.find('#'));
}

}  // namespace

std::string signed_data(std::string_view url, const FormFields& params) {
  std::vector<std::pair<std::string_view, std::string_view>> sorted(params.begin(), params.end());
  std::sort(sorted.begin(), sorted.end());  // by name, then value: byte order
  sorted.erase(std::unique(sorted.begin(), sorted.end()), sorted.end());
  std::string data(url);
  for (const auto& [name, value] : sorted) {
    data += name;
    data += value;
  }
  return data;
}

std::string compute_signature(std::string_view auth_token, std::string_view url, const FormFields& params) {
  return base64_encode(hmac_sha1(auth_token, signed_data(url, params)));
}

std::vector<std::string> url_port_variants(std::string_view url) {
  const auto a = find_authority(url);
  if (!a) return {std::string(url)};
  const std::string scheme = lower(url.substr(0, url.find("://")));
  std::string without_port(url);
  std::string with_port(url);
  if (a->port_colon != std::string_view::npos) {
    without_port.erase(a->port_colon, a->end - a->port_colon);
  } else {
    with_port.insert(a->end, scheme == "https" ? ":443" : ":80");
  }
  return {std::move(without_port), std::move(with_port)};
}

bool verify_signature(std::string_view auth_token, std::string_view url, const FormFields& params,
                      std::string_view signature) {
  if (signature.empty() || auth_token.empty()) return false;
  // Check every variant (no early exit) so the time taken does not depend on which one matched.
  bool ok = false;
  for (const auto& candidate : url_port_variants(url)) {
    ok |= constant_time_equal(compute_signature(auth_token, candidate, params), signature);
  }
  return ok;
}

bool verify_request(std::string_view auth_token, const WebRequest& req, std::string_view public_url) {
  const std::string_view signature = req.header("x-twilio-signature");
  if (signature.empty()) return false;

  const auto query = decode_form(query_of(public_url));
  if (!query) return false;
  if (const auto body_hash = form_value(*query, "bodySHA256")) {
    // JSON webhook: the body is covered by its hash in the signed URL.
    const bool body_ok = constant_time_equal(sha256_hex(req.body), lower(*body_hash));
    const bool url_ok = verify_signature(auth_token, public_url, {}, signature);
    return body_ok && url_ok;
  }
  if (req.method == "GET") return verify_signature(auth_token, public_url, {}, signature);

  const auto params = decode_form(req.body);
  if (!params) return false;
  return verify_signature(auth_token, public_url, *params, signature);
}

}  // namespace centinela::providers::twilio

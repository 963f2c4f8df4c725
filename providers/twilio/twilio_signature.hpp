// X-Twilio-Signature: Base64(HMAC-SHA1(auth token, URL + sorted params)). Pure functions.
// Reference: ../shared/providers.md §1 "Signature" (twilio-python request_validator.py).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "providers/common/form.hpp"
#include "providers/common/web_request.hpp"

namespace centinela::providers::twilio {

// The string Twilio signs: the URL exactly as configured, then for each POST parameter sorted by
// name (byte order) its name and decoded value, no separators. Like twilio-python, the values of a
// repeated name are sorted and de-duplicated.
std::string signed_data(std::string_view url, const FormFields& params);
std::string compute_signature(std::string_view auth_token, std::string_view url, const FormFields& params);

// The URL without any port and with the scheme's default port added, in that order. Twilio's SDKs
// accept a signature over either, because proxies and load balancers add or strip the port.
// A URL whose authority cannot be found is returned alone.
std::vector<std::string> url_port_variants(std::string_view url);

// Constant-time check of `signature` against every port variant of `url`.
bool verify_signature(std::string_view auth_token, std::string_view url, const FormFields& params,
                      std::string_view signature);

// Checks a whole webhook request against the URL Twilio called (`public_url`: scheme, host, path
// and query as configured). Form POST: URL + body params. JSON POST: the URL carries
// bodySHA256=<hex SHA-256 of the body>, which must match, and only the URL is signed. GET: the
// URL alone. False for a missing header or an undecodable body.
bool verify_request(std::string_view auth_token, const WebRequest& req, std::string_view public_url);

}  // namespace centinela::providers::twilio

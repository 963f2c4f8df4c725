// Shared set-up of the Twilio tests: a provider with test credentials and a signer.
#pragma once

#include <memory>
#include <string>

#include "providers/twilio/twilio_client.hpp"

#include <boost/asio/io_context.hpp>

#include "providers/common/form.hpp"
#include "providers/twilio/twilio_signature.hpp"
#include "tests/support/provider_harness.hpp"

namespace centinela::testing {

inline constexpr std::string_view test_account_sid = "AC00000000000000000000000000000001";
inline constexpr std::string_view test_auth_token = "test-auth-token-0123456789abcdef";

inline config::Provider twilio_config(std::string base_url = "") {
  config::Provider cfg;
  cfg.name = "twilio-test";
  cfg.type = "twilio";
  cfg.base_url = std::move(base_url);
  cfg.credentials = {{"account_sid", std::string(test_account_sid)}, {"auth_token", std::string(test_auth_token)}};
  cfg.max_connections = 2;
  return cfg;
}

inline std::unique_ptr<providers::twilio::TwilioProvider> make_test_twilio(asio::io_context& io, std::string base_url = "") {
  return std::make_unique<providers::twilio::TwilioProvider>(twilio_config(std::move(base_url)), io.get_executor());
}

// Signs like Twilio does: over the URL and the decoded form parameters.
inline const Signer twilio_signer = [](WebRequest& req, std::string_view url, bool valid) {
  const auto params = decode_form(req.body).value_or(FormFields{});
  const std::string_view key = valid ? test_auth_token : std::string_view{"forger-does-not-know-the-token"};
  req.headers["x-twilio-signature"] = providers::twilio::compute_signature(key, url, params);
};

}  // namespace centinela::testing

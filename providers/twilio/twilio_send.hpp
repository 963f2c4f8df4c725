// The Messages API request and the meaning of its answer, as pure functions (the I/O is in
// twilio_client.cpp). Reference: ../shared/providers.md §1 "Send".
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "providers/common/form.hpp"
#include "providers/common/http_client.hpp"
#include "providers/provider.hpp"

namespace centinela::providers::twilio {

inline constexpr std::string_view default_base_url = "https://api.twilio.com";
inline constexpr std::chrono::seconds max_validity{36'000};  // Twilio's maximum and default (10 h)

// "/2010-04-01/Accounts/{sid}/Messages.json"
std::string messages_path(std::string_view account_sid);

// To, From, Body, then ValidityPeriod (clamped to 1..36000 s) when sms.validity > 0 and
// StatusCallback when a callback URL is set.
FormFields send_form(const OutboundSms& sms);

// "Basic base64(sid:token)"
std::string basic_auth(std::string_view user, std::string_view password);

// Retry-After in delay-seconds form; the HTTP-date form is rare for APIs and ignored.
std::optional<std::chrono::milliseconds> parse_retry_after(std::string_view value);

// 200/201 with a sid: accepted. A JSON error {code, message}: classified by twilio_codes.hpp.
// A transport failure: retryable (the message may or may not have reached Twilio). The detail
// never carries Twilio's message text, which can quote the phone number.
SendOutcome interpret_send_response(const HttpResult& result);

}  // namespace centinela::providers::twilio

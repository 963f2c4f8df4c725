// Twilio send request and answer: see twilio_send.hpp.
#include "providers/twilio/twilio_send.hpp"

#include <algorithm>
#include <charconv>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "providers/common/crypto.hpp"
#include "providers/twilio/twilio_codes.hpp"

namespace centinela::providers::twilio {

std::string messages_path(std::string_view account_sid) {
  return fmt::format("/2010-04-01/Accounts/{}/Messages.json", form_escape(account_sid));
}

FormFields send_form(const OutboundSms& sms) {
  FormFields form{{"To", sms.to.e164}, {"From", sms.from.e164}, {"Body", sms.body}};
  if (sms.validity.count() > 0) {
    const auto seconds = std::clamp(sms.validity, std::chrono::seconds{1}, max_validity);
    form.emplace_back("ValidityPeriod", std::to_string(seconds.count()));
  }
  if (!sms.status_callback_url.empty()) form.emplace_back("StatusCallback", sms.status_callback_url);
  return form;
}

std::string basic_auth(std::string_view user, std::string_view password) {
  std::string pair(user);
  pair.push_back(':');
  pair.append(password);
  return "Basic " + base64_encode(pair);
}

std::optional<std::chrono::milliseconds> parse_retry_after(std::string_view value) {
  while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
  while (!value.empty() && value.back() == ' ') value.remove_suffix(1);
  long long seconds = 0;
  const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), seconds);
  if (value.empty() || ec != std::errc{} || end != value.data() + value.size() || seconds < 0) return std::nullopt;
  // A day is far beyond any alert's life; larger values are nonsense, not advice.
  seconds = std::min<long long>(seconds, 24 * 60 * 60);
  return std::chrono::seconds{seconds};
}

SendOutcome interpret_send_response(const HttpResult& result) {
  SendOutcome out;
  if (result.transport_failed()) {
    out.cls = SendClass::retryable;
    out.maybe_delivered = result.request_sent;
    out.detail = fmt::format("transport error: {}{}", result.error.message(),
                             result.request_sent ? " (request was sent: Twilio may have queued it)" : "");
    return out;
  }
  const auto json = nlohmann::json::parse(result.body, nullptr, /*allow_exceptions=*/false);
  if (result.status == 200 || result.status == 201) {
    out.cls = SendClass::accepted;
    if (json.is_object() && json.contains("sid") && json["sid"].is_string()) {
      out.provider_message_id = json["sid"].get<std::string>();
    } else {
      // Twilio took it (2xx) but we cannot read the id: resending would duplicate the alert, so it
      // still counts as accepted; receipts for it will not match anything.
      out.detail = "accepted without a readable sid";
    }
    return out;
  }
  int code = 0;
  if (json.is_object() && json.contains("code") && json["code"].is_number_integer()) code = json["code"].get<int>();
  out.code = code != 0 ? code : result.status;
  out.cls = classify_error(result.status, code);
  const CodeRule* rule = find_code(code);
  out.detail = fmt::format("http {} code {}: {}", result.status, code, rule ? rule->meaning : "unknown code");
  if (const auto ra = result.header("retry-after"); !ra.empty()) out.retry_after = parse_retry_after(ra);
  return out;
}

}  // namespace centinela::providers::twilio

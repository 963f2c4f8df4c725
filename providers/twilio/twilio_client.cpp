// Twilio provider: send() builds the request, calls the API and classifies the answer; the
// webhook methods delegate to the pure functions in twilio_signature/twilio_parse.
#include "providers/twilio/twilio_client.hpp"

#include <stdexcept>

#include <spdlog/spdlog.h>

#include "providers/twilio/twilio_codes.hpp"
#include "providers/twilio/twilio_parse.hpp"
#include "providers/twilio/twilio_send.hpp"
#include "providers/twilio/twilio_signature.hpp"

namespace centinela::providers::twilio {
namespace {

std::string credential(const config::Provider& cfg, const std::string& key) {
  const auto it = cfg.credentials.find(key);
  if (it == cfg.credentials.end() || it->second.empty()) {
    // Names the key, never a value.
    throw std::invalid_argument("provider '" + cfg.name + "' (twilio): credential '" + key + "' is missing or empty");
  }
  return it->second;
}

HttpClientOptions client_options(const config::Provider& cfg) {
  HttpClientOptions o;
  o.base_url = cfg.base_url.empty() ? std::string(default_base_url) : cfg.base_url;
  o.ca_file = cfg.ca_file;
  o.max_connections = cfg.max_connections;
  return o;
}

void append_escaped(std::string& out, std::string_view text) {
  for (const char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      default: out.push_back(c);
    }
  }
}

}  // namespace

TwilioProvider::TwilioProvider(const config::Provider& cfg, asio::any_io_executor executor)
    : name_(cfg.name),
      account_sid_(credential(cfg, "account_sid")),
      auth_token_(credential(cfg, "auth_token")),
      authorization_(basic_auth(account_sid_, auth_token_)),
      http_(std::make_unique<HttpClient>(std::move(executor), client_options(cfg))) {}

asio::awaitable<SendOutcome> TwilioProvider::send(const OutboundSms& sms) {
  // What is needed from `sms` is copied as soon as the body starts, so the caller's object need
  // not outlive the request itself (only the start of the co_await).
  const PhoneNumber to = sms.to;
  std::string form = encode_form(send_form(sms));
  HttpHeaders headers{{"Authorization", authorization_},
                      {"Content-Type", "application/x-www-form-urlencoded"},
                      {"Accept", "application/json"}};
  const HttpResult result =
      co_await http_->request("POST", messages_path(account_sid_), std::move(headers), std::move(form));
  SendOutcome out = interpret_send_response(result);

  switch (out.cls) {
    case SendClass::accepted:
      spdlog::debug("event=twilio_accepted provider={} to={} sid={}", name_, to, out.provider_message_id);
      break;
    case SendClass::retryable:
      spdlog::info("event=twilio_retryable provider={} to={} code={} detail=\"{}\"", name_, to, out.code, out.detail);
      break;
    case SendClass::throttled:
      spdlog::info("event=twilio_throttled provider={} code={} retry_after_ms={}", name_, out.code,
                   out.retry_after ? out.retry_after->count() : -1);
      break;
    case SendClass::opted_out:
      spdlog::info("event=twilio_opted_out provider={} to={}", name_, to);
      break;
    case SendClass::permanent:
      if (out.code == 20003 || result.status == 401) {
        // Every send fails until someone fixes the credentials: this needs a person.
        spdlog::error("event=twilio_auth_failed provider={} status={}", name_, result.status);
      } else if (find_code(out.code) == nullptr) {
        spdlog::warn("event=twilio_unknown_code provider={} to={} code={} status={}", name_, to, out.code,
                     result.status);
      } else {
        spdlog::info("event=twilio_rejected provider={} to={} code={} detail=\"{}\"", name_, to, out.code, out.detail);
      }
      break;
  }
  co_return out;
}

bool TwilioProvider::verify_signature(const WebRequest& req, std::string_view public_url) const {
  return twilio::verify_request(auth_token_, req, public_url);
}

InboundParse TwilioProvider::parse_inbound(const WebRequest& req) const {
  const auto params = webhook_params(req);
  if (!params) return InboundError::malformed;
  return twilio::parse_inbound(*params);
}

std::optional<DeliveryReceipt> TwilioProvider::parse_receipt(const WebRequest& req) const {
  const auto params = webhook_params(req);
  if (!params) return std::nullopt;
  return twilio::parse_receipt(*params);
}

Provider::WebhookAnswer TwilioProvider::answer_inbound(std::string_view reply_text) const {
  return {"text/xml", twiml_reply(reply_text)};
}

std::string twiml_reply(std::string_view reply_text) {
  std::string xml = R"(<?xml version="1.0" encoding="UTF-8"?>)";
  if (reply_text.empty()) return xml + "<Response/>";  // no reply: Twilio bills nothing
  xml += "<Response><Message>";
  append_escaped(xml, reply_text);
  xml += "</Message></Response>";
  return xml;
}

}  // namespace centinela::providers::twilio

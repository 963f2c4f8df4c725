// The Twilio provider: Programmable Messaging API 2010-04-01 over HTTPS.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "providers/provider.hpp"  // first: net.hpp includes <utility> before any Asio header

#include <boost/asio/any_io_executor.hpp>

#include "config/config.hpp"
#include "providers/common/http_client.hpp"

namespace centinela::providers::twilio {

class TwilioProvider final : public Provider {
 public:
  // Reads credentials "account_sid" and "auth_token" (both required); base_url defaults to
  // https://api.twilio.com, ca_file and max_connections go to the HTTP client. Throws
  // std::invalid_argument for missing credentials or a base_url the HTTP client refuses.
  // No I/O happens here: the first send opens the first connection.
  TwilioProvider(const config::Provider& cfg, asio::any_io_executor executor);

  std::string_view name() const override { return name_; }
  std::string_view type() const override { return "twilio"; }

  asio::awaitable<SendOutcome> send(const OutboundSms& sms) override;

  bool verify_signature(const WebRequest& req, std::string_view public_url) const override;
  InboundParse parse_inbound(const WebRequest& req) const override;
  std::optional<DeliveryReceipt> parse_receipt(const WebRequest& req) const override;
  WebhookAnswer answer_inbound(std::string_view reply_text) const override;
  std::vector<std::string> secrets() const override { return {auth_token_, authorization_}; }

 private:
  std::string name_;
  std::string account_sid_;
  std::string auth_token_;
  std::string authorization_;  // "Basic ...", built once
  std::unique_ptr<HttpClient> http_;
};

// TwiML answer: an empty <Response/>, or one <Message> with the XML-escaped reply.
std::string twiml_reply(std::string_view reply_text);

}  // namespace centinela::providers::twilio

// Fuzz target: raw webhook bodies through the form decoder, the Twilio signature check and the
// inbound/receipt parsers: the first code that touches a stranger's bytes.
#include <cstdint>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>

#include "providers/common/form.hpp"
#include "providers/registry.hpp"

std::vector<std::string> fuzz_seeds() {
  return {"MessageSid=SM1&From=%2B13235550001&To=%2B12135550100&Body=JOIN+EASTLA",
          "MessageSid=SM1&MessageStatus=delivered&ErrorCode=30003&From=%2B1&To=x",
          "SmsSid=SM2&From=whatsapp%3A%2B13235550001&Body=%F0%9F%9A%A8&FromCity=LA", "a=%zz&b", "=&&=", ""};
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static boost::asio::io_context io;
  static const auto provider = [] {
    centinela::config::Provider cfg;
    cfg.name = "twilio";
    cfg.type = "twilio";
    cfg.base_url = "http://127.0.0.1:9";
    cfg.credentials = {{"account_sid", "AC00000000000000000000000000000000"}, {"auth_token", "12345"}};
    cfg.senders = {{"+12135550100", 1.0}};
    return centinela::providers::make_provider(cfg, io.get_executor());
  }();
  centinela::WebRequest req;
  req.method = "POST";
  req.target = "/webhooks/twilio/sms";
  req.headers["content-type"] = "application/x-www-form-urlencoded";
  req.headers["x-twilio-signature"] = "0/KCTR6DLpKmkAf8muzZqo1nDgQ=";
  req.body.assign(reinterpret_cast<const char*>(data), size);
  (void)centinela::decode_form(req.body);
  (void)provider->verify_signature(req, "https://example.org/webhooks/twilio/sms");
  (void)provider->parse_inbound(req);
  (void)provider->parse_receipt(req);
  return 0;
}

// The one interface between the dispatcher and an SMS provider. Only `send` does I/O; webhook
// parsing and signature checks are pure so they can be tested with canned requests.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "providers/common/net.hpp"
#include "providers/common/phone.hpp"
#include "providers/common/web_request.hpp"

namespace centinela::providers {

struct OutboundSms {
  PhoneNumber to;
  PhoneNumber from;  // one of the provider's configured sender numbers
  std::string body;
  // How long the provider may keep trying; a raid alert delivered hours late does harm.
  std::chrono::seconds validity{0};  // 0: provider default
  std::string status_callback_url;   // empty: no receipts requested
};

// What a send attempt means for the fan-out. Providers only classify; the fan-out decides.
enum class SendClass {
  accepted,   // the provider took the message (it may still fail later: see receipts)
  retryable,  // network error, timeout, 5xx: try again later
  throttled,  // 429 and the like: not processed, try again later, and slow the whole sender down
  permanent,  // this message to this number will never work (invalid number, landline...)
  opted_out,  // the recipient opted out at the provider: never text this number again
};

struct SendOutcome {
  SendClass cls = SendClass::permanent;
  std::string provider_message_id;  // set when accepted
  int code = 0;                     // provider error code or HTTP status, 0 when none
  std::string detail;               // short, safe for logs: never a phone number or a secret
  std::optional<std::chrono::milliseconds> retry_after;  // from Retry-After, when given
  // The request reached the provider but no answer came back (a timeout, a dropped connection):
  // the provider may have queued the text, so a resend can be a duplicate. Counted, never hidden.
  bool maybe_delivered = false;
};

struct InboundSms {
  std::string provider_message_id;  // dedupe key: providers retry webhooks
  PhoneNumber from;
  PhoneNumber to;
  std::string body;
  // Set when the provider itself already acted on a standard keyword and answered the sender:
  // "STOP", "START" or "HELP" (Twilio's OptOutType with Advanced Opt-Out). We still record the
  // effect but send no reply of our own, so the member never gets a second confirmation.
  std::string provider_handled;
};

// Why an inbound webhook carries no usable text: a field is missing or undecodable (400), or its
// sender or recipient is not a phone number by the one rule of providers/common/phone.hpp (422).
enum class InboundError { malformed, invalid_phone };

// An inbound text, or why there is none. Reads like an optional (has_value, *, ->).
class InboundParse {
 public:
  InboundParse(InboundSms sms) : sms_(std::move(sms)) {}  // NOLINT: implicit, like optional
  InboundParse(InboundError error) : error_(error) {}     // NOLINT
  bool has_value() const { return sms_.has_value(); }
  explicit operator bool() const { return has_value(); }
  const InboundSms& operator*() const { return *sms_; }
  const InboundSms* operator->() const { return &*sms_; }
  InboundError error() const { return error_; }

 private:
  std::optional<InboundSms> sms_;
  InboundError error_ = InboundError::malformed;
};

// Delivery receipt states, in the order a message moves through them. A receipt only ever moves
// a delivery forward (webhooks arrive unordered and more than once).
enum class ReceiptState { queued, sent, delivered, undelivered, failed };

struct DeliveryReceipt {
  std::string provider_message_id;
  ReceiptState state = ReceiptState::queued;
  int error_code = 0;
  bool recipient_opted_out = false;  // the error says the number opted out (Twilio 21610)
};

class Provider {
 public:
  virtual ~Provider() = default;

  virtual std::string_view name() const = 0;  // the configured name, e.g. "twilio-main"
  virtual std::string_view type() const = 0;  // "twilio", "console"

  // The only I/O. Never throws for provider or network trouble: that is a SendOutcome.
  virtual asio::awaitable<SendOutcome> send(const OutboundSms& sms) = 0;

  // `public_url` is the full URL the provider called, as configured (scheme, host, path, query).
  virtual bool verify_signature(const WebRequest& req, std::string_view public_url) const = 0;
  virtual InboundParse parse_inbound(const WebRequest& req) const = 0;
  virtual std::optional<DeliveryReceipt> parse_receipt(const WebRequest& req) const = 0;

  // The HTTP body and content type a provider expects in answer to an inbound webhook, with an
  // optional reply text that the provider sends back to the sender (empty: no reply).
  struct WebhookAnswer {
    std::string content_type;
    std::string body;
  };
  virtual WebhookAnswer answer_inbound(std::string_view reply_text) const = 0;

  // Values that must never reach a log (tokens, secrets), for the redaction tests.
  virtual std::vector<std::string> secrets() const = 0;
};

}  // namespace centinela::providers

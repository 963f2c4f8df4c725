// The console provider, for the quick start and local development: "sends" by appending a JSON
// line to a file and logging a masked line. Nothing leaves the machine.
#pragma once

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "providers/provider.hpp"

#include "config/config.hpp"

namespace centinela::providers::console {

class ConsoleProvider final : public Provider {
 public:
  // Creates the parent directory of cfg.output_file (throws std::runtime_error if it cannot).
  // An empty output_file only logs.
  explicit ConsoleProvider(const config::Provider& cfg);

  std::string_view name() const override { return name_; }
  std::string_view type() const override { return "console"; }

  // Appends {"at","to","from","body","id"} as one JSON line; "to" and "from" are masked, like in
  // the logs. Returns accepted with id "console-<n>" (n starts from the clock, so ids stay unique
  // across restarts), or retryable when the file cannot be written.
  asio::awaitable<SendOutcome> send(const OutboundSms& sms) override;

  // Local development has no one to sign requests: every request is accepted.
  bool verify_signature(const WebRequest&, std::string_view) const override { return true; }
  // The Twilio field names (From, To, Body, MessageSid), so the quick-start curl reads like a real
  // webhook. A '+' that curl -d turned into a space is put back; To defaults to the first sender
  // and MessageSid to a generated id.
  InboundParse parse_inbound(const WebRequest& req) const override;
  std::optional<DeliveryReceipt> parse_receipt(const WebRequest&) const override { return std::nullopt; }
  // {"reply": text} as application/json.
  WebhookAnswer answer_inbound(std::string_view reply_text) const override;
  std::vector<std::string> secrets() const override { return {}; }

 private:
  bool append_line(const std::string& line);

  std::string name_;
  std::filesystem::path output_file_;
  std::vector<std::string> senders_;
  std::uint64_t next_id_;
  mutable std::atomic<std::uint64_t> next_inbound_id_;
};

}  // namespace centinela::providers::console

// Table-driven harness for provider tests (STYLE 2.12): canned webhook requests go through a
// provider's signature check and pure parsers, and every run checks that no secret and no raw
// phone number reached the log.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include "providers/provider.hpp"

namespace centinela::testing {

using providers::Provider;
using providers::ReceiptState;

// Routes every spdlog line, at every level, into a string while alive; restores the previous
// default logger afterwards.
class LogCapture {
 public:
  LogCapture() : previous_(spdlog::default_logger()) {
    auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(stream_);
    auto logger = std::make_shared<spdlog::logger>("log-capture", std::move(sink));
    logger->set_level(spdlog::level::trace);
    spdlog::set_default_logger(std::move(logger));
  }
  ~LogCapture() { spdlog::set_default_logger(previous_); }
  LogCapture(const LogCapture&) = delete;
  LogCapture& operator=(const LogCapture&) = delete;

  std::string text() const { return stream_.str(); }

 private:
  std::ostringstream stream_;
  std::shared_ptr<spdlog::logger> previous_;
};

// A webhook POST with a form body, as the HTTP layer hands it to a provider.
inline WebRequest form_post(std::string body, std::string target = "/webhooks/sms") {
  WebRequest req;
  req.method = "POST";
  req.target = std::move(target);
  req.headers["content-type"] = "application/x-www-form-urlencoded";
  req.body = std::move(body);
  return req;
}

// Adds the provider's signature header for `url`: a correct one when `valid`, otherwise one made
// with a wrong key (what a forger would send).
using Signer = std::function<void(WebRequest& req, std::string_view url, bool valid)>;

struct ExpectedInbound {
  std::string id;
  std::string from;  // E.164
  std::string to;
  std::string body;
};

struct InboundCase {
  std::string label;
  std::string body;  // form-encoded
  bool signed_ok = true;
  std::optional<ExpectedInbound> expect;  // nullopt: rejected (bad signature or unusable)
};

struct StatusCase {
  std::string label;
  std::string body;
  bool signed_ok = true;
  std::optional<ReceiptState> expect;
  std::string expect_id = {};
  int expect_error_code = 0;
};

// Fails the test when a secret of `p` or any of `raw_phones` appears in `logs`.
inline void expect_no_leaks(const std::string& logs, const Provider& p, const std::vector<std::string>& raw_phones) {
  for (const auto& secret : p.secrets()) {
    if (!secret.empty()) {
      EXPECT_EQ(logs.find(secret), std::string::npos) << "a secret reached the log";
    }
  }
  for (const auto& phone : raw_phones) {
    EXPECT_EQ(logs.find(phone), std::string::npos) << "unmasked phone number in the log";
  }
}

inline void run_inbound_cases(const Provider& p, std::string_view url, const std::vector<InboundCase>& cases,
                              const Signer& sign, const std::vector<std::string>& raw_phones) {
  LogCapture logs;
  for (const auto& c : cases) {
    SCOPED_TRACE(c.label);
    WebRequest req = form_post(c.body);
    sign(req, url, c.signed_ok);
    const bool verified = p.verify_signature(req, url);
    EXPECT_EQ(verified, c.signed_ok);
    const auto got = verified ? p.parse_inbound(req) : providers::InboundParse(providers::InboundError::malformed);
    ASSERT_EQ(got.has_value(), c.expect.has_value());
    if (!got) continue;
    EXPECT_EQ(got->provider_message_id, c.expect->id);
    EXPECT_EQ(got->from.e164, c.expect->from);
    EXPECT_EQ(got->to.e164, c.expect->to);
    EXPECT_EQ(got->body, c.expect->body);
  }
  expect_no_leaks(logs.text(), p, raw_phones);
}

inline void run_status_cases(const Provider& p, std::string_view url, const std::vector<StatusCase>& cases,
                             const Signer& sign, const std::vector<std::string>& raw_phones) {
  LogCapture logs;
  for (const auto& c : cases) {
    SCOPED_TRACE(c.label);
    WebRequest req = form_post(c.body, "/webhooks/status");
    sign(req, url, c.signed_ok);
    const bool verified = p.verify_signature(req, url);
    EXPECT_EQ(verified, c.signed_ok);
    const auto got = verified ? p.parse_receipt(req) : std::nullopt;
    ASSERT_EQ(got.has_value(), c.expect.has_value());
    if (!got) continue;
    EXPECT_EQ(got->state, *c.expect);
    if (!c.expect_id.empty()) {
      EXPECT_EQ(got->provider_message_id, c.expect_id);
    }
    EXPECT_EQ(got->error_code, c.expect_error_code);
  }
  expect_no_leaks(logs.text(), p, raw_phones);
}

}  // namespace centinela::testing

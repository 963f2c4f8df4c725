// The real TwilioProvider::send against the fake provider over HTTPS with the test CA: the
// provider's wire format, certificate checks and outcome classes, end to end over loopback.
#include <gtest/gtest.h>

#include <regex>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <nlohmann/json.hpp>

#include "providers/twilio/twilio_client.hpp"
#include "tests/fake_provider/test_support.hpp"

namespace centinela::fake_provider::testing {
namespace {

using nlohmann::json;
using providers::OutboundSms;
using providers::SendClass;
using providers::SendOutcome;
using providers::twilio::TwilioProvider;

class TwilioAgainstFake : public ::testing::Test {
 protected:
  void start(std::vector<std::string> extra = {}, std::string cert = {}, std::string key = {}) {
    proc_.emplace(pki_, std::move(extra), std::move(cert), std::move(key));
    config::Provider cfg;
    cfg.name = "twilio-test";
    cfg.type = "twilio";
    cfg.base_url = "https://127.0.0.1:" + std::to_string(proc_->https_port());
    cfg.credentials = {{"account_sid", test_account_sid}, {"auth_token", test_auth_token}};
    cfg.ca_file = pki_.ca();
    provider_ = std::make_unique<TwilioProvider>(cfg, ioc_.get_executor());
  }
  void TearDown() override {
    provider_.reset();
    if (proc_) {
      EXPECT_EQ(proc_->stop(), 0);
    }
  }

  SendOutcome send(OutboundSms sms) {
    std::optional<SendOutcome> out;
    // Named lambda, not a temporary in the co_spawn call: dodges a g++ 12 coroutine bug.
    auto task = [&]() -> asio::awaitable<void> { out = co_await provider_->send(sms); };
    asio::co_spawn(ioc_, std::move(task), asio::detached);
    ioc_.restart();
    // The client's own deadlines end every request; idle pooled connections may keep the
    // io_context busy, so run until the answer is in rather than until it runs dry.
    while (!out && ioc_.run_one_for(std::chrono::seconds(20)) > 0) {
    }
    if (!out) throw std::runtime_error("send did not finish");
    return *out;
  }

  void control(const std::string& body) {
    ASSERT_EQ(TestClient::plain(proc_->http_port()).post_json("/_control", body).status(), 200u);
  }
  json stats() { return json::parse(TestClient::plain(proc_->http_port()).get("/_stats").res.body()); }

  static OutboundSms sms(std::string to = "+15551234567") {
    OutboundSms s;
    s.to = PhoneNumber{std::move(to)};
    s.from = PhoneNumber{"+15557654321"};
    s.body = "Alerta: operativo en Calle 5. Conozca sus derechos.";
    s.validity = std::chrono::seconds(900);
    return s;
  }

  TestPki pki_ = make_test_pki();
  std::optional<FakeProviderProcess> proc_;
  asio::io_context ioc_{1};
  std::unique_ptr<TwilioProvider> provider_;
};

TEST_F(TwilioAgainstFake, AcceptedSendReturnsTheSid) {
  start();
  const SendOutcome out = send(sms());
  ASSERT_EQ(out.cls, SendClass::accepted) << out.code << " " << out.detail;
  EXPECT_TRUE(std::regex_match(out.provider_message_id, std::regex("SM[0-9a-f]{32}"))) << out.provider_message_id;
  const json kept = json::parse(TestClient::plain(proc_->http_port()).get("/_messages").res.body());
  ASSERT_EQ(kept.size(), 1u);
  EXPECT_EQ(kept[0].at("sid"), out.provider_message_id);
  EXPECT_EQ(kept[0].at("to"), "+15551234567");
  EXPECT_EQ(kept[0].at("body"), sms().body);
  EXPECT_EQ(kept[0].at("validity_period"), 900);  // alerts expire: ValidityPeriod must be sent
  EXPECT_EQ(send(sms()).cls, SendClass::accepted);  // and again on the kept-alive connection
}

TEST_F(TwilioAgainstFake, ServerWithCertificateOutsideTheCaIsRefused) {
  start({}, pki_.wrong_cert(), pki_.wrong_key());
  const SendOutcome out = send(sms());
  EXPECT_NE(out.cls, SendClass::accepted);
  EXPECT_EQ(out.cls, SendClass::retryable);  // a transport failure; the text never left
  EXPECT_EQ(stats().at("accepted"), 0);
}

TEST_F(TwilioAgainstFake, ThrottlingIsThrottledWithRetryAfter) {
  start();
  control(R"({"fail_next_429": 1, "retry_after_s": 7})");
  const SendOutcome out = send(sms());
  EXPECT_EQ(out.cls, SendClass::throttled);
  ASSERT_TRUE(out.retry_after);
  EXPECT_EQ(*out.retry_after, std::chrono::seconds(7));
  EXPECT_EQ(send(sms()).cls, SendClass::accepted);
}

TEST_F(TwilioAgainstFake, ServerErrorIsRetryable) {
  start();
  control(R"({"fail_next_500": 1})");
  EXPECT_EQ(send(sms()).cls, SendClass::retryable);
  EXPECT_EQ(send(sms()).cls, SendClass::accepted);
}

TEST_F(TwilioAgainstFake, DroppedConnectionIsRetryable) {
  start();
  EXPECT_EQ(send(sms()).cls, SendClass::accepted);  // leaves a pooled connection to be dropped
  control(R"({"drop_next": 1})");
  EXPECT_EQ(send(sms()).cls, SendClass::retryable);
  EXPECT_EQ(send(sms()).cls, SendClass::accepted);
  EXPECT_EQ(stats().at("dropped"), 1);
}

TEST_F(TwilioAgainstFake, OptedOutRecipientIsOptedOut) {
  start({"--opted-out", "+15550009999"});
  const SendOutcome out = send(sms("+15550009999"));
  EXPECT_EQ(out.cls, SendClass::opted_out);
  EXPECT_EQ(out.code, 21610);
}

TEST_F(TwilioAgainstFake, InvalidNumberIsPermanent) {
  start();
  const SendOutcome out = send(sms("+0123"));  // not E.164: the fake answers 21211
  EXPECT_EQ(out.cls, SendClass::permanent);
  EXPECT_EQ(out.code, 21211);
}

// The fake's callbacks must satisfy the provider's own signature check and receipt parser.
TEST_F(TwilioAgainstFake, StatusCallbacksVerifyWithTheProvider) {
  CallbackListener listener;
  start({"--callback-delay-ms", "10"});
  OutboundSms s = sms();
  s.status_callback_url = "http://127.0.0.1:" + std::to_string(listener.port()) + "/webhooks/twilio/status";
  const SendOutcome out = send(s);
  ASSERT_EQ(out.cls, SendClass::accepted);
  const auto got = listener.wait_for(2, std::chrono::seconds(5));
  ASSERT_EQ(got.size(), 2u);
  const providers::ReceiptState expected[] = {providers::ReceiptState::sent, providers::ReceiptState::delivered};
  for (std::size_t i = 0; i < 2; ++i) {
    WebRequest req{"POST", got[i].target, {{"x-twilio-signature", got[i].signature}, {"content-type", got[i].content_type}},
                   got[i].body};
    EXPECT_TRUE(provider_->verify_signature(req, s.status_callback_url));
    EXPECT_FALSE(provider_->verify_signature(req, s.status_callback_url + "x"));
    const auto receipt = provider_->parse_receipt(req);
    ASSERT_TRUE(receipt);
    EXPECT_EQ(receipt->provider_message_id, out.provider_message_id);
    EXPECT_EQ(receipt->state, expected[i]);
  }
}

}  // namespace
}  // namespace centinela::fake_provider::testing

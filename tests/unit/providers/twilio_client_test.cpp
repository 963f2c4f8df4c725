// The Twilio send path: request building, answer classification, TwiML, and a send through the
// real HTTP client to a loopback server.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "providers/twilio/twilio_send.hpp"
#include "tests/unit/providers/loopback_server.hpp"
#include "tests/unit/providers/twilio_test_support.hpp"

namespace centinela::providers::twilio {
namespace {

OutboundSms alert_sms() {
  OutboundSms sms;
  sms.to = PhoneNumber{"+12135550123"};
  sms.from = PhoneNumber{"+13105550199"};
  sms.body = "Alerta: ICE en 5th & Main";
  return sms;
}

TEST(TwilioSend, FormFields) {
  OutboundSms sms = alert_sms();
  EXPECT_EQ(send_form(sms), (FormFields{{"To", "+12135550123"}, {"From", "+13105550199"}, {"Body", "Alerta: ICE en 5th & Main"}}));
  sms.validity = std::chrono::seconds{900};
  sms.status_callback_url = "https://c.example.org/webhooks/twilio/status";
  const auto form = send_form(sms);
  EXPECT_EQ(form_value(form, "ValidityPeriod"), "900");
  EXPECT_EQ(form_value(form, "StatusCallback"), "https://c.example.org/webhooks/twilio/status");
}

TEST(TwilioSend, ValidityIsClamped) {
  OutboundSms sms = alert_sms();
  sms.validity = std::chrono::hours{12};
  EXPECT_EQ(form_value(send_form(sms), "ValidityPeriod"), "36000");
  sms.validity = std::chrono::seconds{-5};
  EXPECT_FALSE(form_value(send_form(sms), "ValidityPeriod").has_value());
}

TEST(TwilioSend, PathAndAuth) {
  EXPECT_EQ(messages_path("AC123"), "/2010-04-01/Accounts/AC123/Messages.json");
  EXPECT_EQ(basic_auth("AC123", "tok"), "Basic QUMxMjM6dG9r");
}

TEST(TwilioSend, RetryAfter) {
  EXPECT_EQ(parse_retry_after("7"), std::chrono::seconds{7});
  EXPECT_EQ(parse_retry_after(" 0 "), std::chrono::seconds{0});
  EXPECT_EQ(parse_retry_after("999999999"), std::chrono::hours{24});
  EXPECT_FALSE(parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT").has_value());
  EXPECT_FALSE(parse_retry_after("-1").has_value());
  EXPECT_FALSE(parse_retry_after("").has_value());
}

HttpResult answer(int status, std::string body, HttpHeaders headers = {}) {
  HttpResult r;
  r.status = status;
  r.body = std::move(body);
  r.headers = std::move(headers);
  r.request_sent = true;
  return r;
}

TEST(TwilioSend, InterpretAnswers) {
  auto ok = interpret_send_response(answer(201, R"({"sid":"SM123","status":"queued"})"));
  EXPECT_EQ(ok.cls, SendClass::accepted);
  EXPECT_EQ(ok.provider_message_id, "SM123");

  auto stop = interpret_send_response(answer(400, R"({"code":21610,"message":"Attempt to send to unsubscribed recipient","status":400})"));
  EXPECT_EQ(stop.cls, SendClass::opted_out);
  EXPECT_EQ(stop.code, 21610);

  // Twilio's message can quote the number: the detail must not carry it.
  auto invalid = interpret_send_response(answer(400, R"({"code":21211,"message":"The 'To' number +12135550123 is not valid."})"));
  EXPECT_EQ(invalid.cls, SendClass::permanent);
  EXPECT_EQ(invalid.detail.find("2135550123"), std::string::npos);

  auto limited = interpret_send_response(answer(429, R"({"code":20429,"message":"Too Many Requests"})", {{"retry-after", "7"}}));
  EXPECT_EQ(limited.cls, SendClass::throttled);
  EXPECT_EQ(limited.retry_after, std::chrono::seconds{7});

  auto down = interpret_send_response(answer(503, "<html>Service Unavailable</html>"));
  EXPECT_EQ(down.cls, SendClass::retryable);
  EXPECT_EQ(down.code, 503);

  auto odd = interpret_send_response(answer(201, "not json"));
  EXPECT_EQ(odd.cls, SendClass::accepted) << "2xx means Twilio has it: resending would duplicate";
  EXPECT_TRUE(odd.provider_message_id.empty());

  HttpResult dropped;
  dropped.error = asio::error::connection_reset;
  dropped.request_sent = true;
  auto lost = interpret_send_response(dropped);
  EXPECT_EQ(lost.cls, SendClass::retryable);
  EXPECT_NE(lost.detail.find("may have queued"), std::string::npos);
  EXPECT_TRUE(lost.maybe_delivered) << "a resend of this one may duplicate: it must be counted";

  HttpResult refused;
  refused.error = asio::error::connection_refused;
  EXPECT_FALSE(interpret_send_response(refused).maybe_delivered) << "nothing reached Twilio";
  EXPECT_FALSE(down.maybe_delivered) << "an HTTP error answer means it was not queued";
}

TEST(TwilioProvider, TwimlAnswers) {
  asio::io_context io;
  auto p = testing::make_test_twilio(io);
  EXPECT_EQ(p->answer_inbound("").body, R"(<?xml version="1.0" encoding="UTF-8"?><Response/>)");
  const auto a = p->answer_inbound(R"(Recibido <5th & "Main"> 'ok')");
  EXPECT_EQ(a.content_type, "text/xml");
  EXPECT_EQ(a.body, R"(<?xml version="1.0" encoding="UTF-8"?><Response><Message>Recibido &lt;5th &amp; &quot;Main&quot;&gt; &apos;ok&apos;</Message></Response>)");
}

TEST(TwilioProvider, ConstructionChecksSettings) {
  asio::io_context io;
  auto cfg = testing::twilio_config();
  cfg.credentials.erase("auth_token");
  EXPECT_THROW(TwilioProvider(cfg, io.get_executor()), std::invalid_argument);
  EXPECT_THROW(TwilioProvider(testing::twilio_config("http://api.twilio.com"), io.get_executor()), std::invalid_argument);
  const TwilioProvider p(testing::twilio_config(), io.get_executor());
  EXPECT_EQ(p.name(), "twilio-test");
  EXPECT_EQ(p.type(), "twilio");
  const auto secrets = p.secrets();
  EXPECT_NE(std::find(secrets.begin(), secrets.end(), std::string(testing::test_auth_token)), secrets.end());
}

TEST(TwilioProvider, SendsThroughTheHttpClient) {
  asio::io_context io;
  testing::LoopbackServer server(io);
  server.handler = [](const testing::RecordedRequest& r) {
    const auto form = decode_form(r.body).value_or(FormFields{});
    if (form_value(form, "To") == "+12135550123") return testing::CannedResponse{201, R"({"sid":"SM777"})"};
    return testing::CannedResponse{400, R"({"code":21610,"message":"unsubscribed"})"};
  };
  auto provider = testing::make_test_twilio(io, server.base_url());
  testing::LogCapture logs;
  SendOutcome first, second;
  OutboundSms other = alert_sms();
  other.to = PhoneNumber{"+12135550124"};
  ASSERT_TRUE(testing::run_coroutine(io, [&]() -> asio::awaitable<void> {
    first = co_await provider->send(alert_sms());
    second = co_await provider->send(other);
    server.stop();
  }));

  EXPECT_EQ(first.cls, SendClass::accepted);
  EXPECT_EQ(first.provider_message_id, "SM777");
  EXPECT_EQ(second.cls, SendClass::opted_out);
  ASSERT_EQ(server.requests.size(), 2u);
  const auto& req = server.requests[0];
  EXPECT_EQ(req.method, "POST");
  EXPECT_EQ(req.target, "/2010-04-01/Accounts/AC00000000000000000000000000000001/Messages.json");
  EXPECT_EQ(req.headers.at("authorization"), basic_auth(testing::test_account_sid, testing::test_auth_token));
  EXPECT_EQ(req.headers.at("content-type"), "application/x-www-form-urlencoded");
  EXPECT_EQ(form_value(*decode_form(req.body), "Body"), "Alerta: ICE en 5th & Main");
  EXPECT_EQ(server.connections_accepted, 1) << "the second send reuses the keep-alive connection";
  testing::expect_no_leaks(logs.text(), *provider, {"+12135550123", "+12135550124", "Alerta"});
}

}  // namespace
}  // namespace centinela::providers::twilio

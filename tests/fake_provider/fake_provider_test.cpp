// Runs centinela-fake-provider as a real process and talks to it over loopback HTTP and HTTPS
// (test CA from make_test_ca.sh), as the dispatcher's tests and benchmarks will.
#include <gtest/gtest.h>

#include <fstream>
#include <regex>
#include <thread>

#include <nlohmann/json.hpp>

#include "tests/fake_provider/test_support.hpp"
#include "tests/fake_provider/twilio_wire.hpp"

namespace centinela::fake_provider::testing {
namespace {

using nlohmann::json;
using Form = std::vector<std::pair<std::string, std::string>>;

const Form valid_sms{{"To", "+15551234567"}, {"From", "+15557654321"}, {"Body", "Alerta: redada en 5a y Main"}};

class FakeProvider : public ::testing::Test {
 protected:
  void start(std::vector<std::string> extra = {}) { proc_.emplace(pki_, std::move(extra)); }
  void TearDown() override {
    if (proc_) {
      EXPECT_EQ(proc_->stop(), 0) << "SIGTERM must end the fake provider cleanly";
    }
  }
  TestClient https() { return TestClient::tls(proc_->https_port(), pki_.ca()); }
  TestClient control() { return TestClient::plain(proc_->http_port()); }
  json stats() { return json::parse(control().get("/_stats").res.body()); }

  TestPki pki_ = make_test_pki();
  std::optional<FakeProviderProcess> proc_;
};

TEST_F(FakeProvider, ValidSendOverHttpsIsAcceptedAndRecorded) {
  start();
  auto client = https();
  const Reply r = client.send_sms({{"To", "+15551234567"}, {"From", "+15557654321"}, {"Body", "Hola, ¿qué tal?"},
                                   {"ValidityPeriod", "900"}});
  ASSERT_FALSE(r.ec) << r.ec.message();
  ASSERT_EQ(r.status(), 201u) << r.res.body();
  const json msg = json::parse(r.res.body());
  const std::string sid = msg.at("sid");
  EXPECT_TRUE(std::regex_match(sid, std::regex("SM[0-9a-f]{32}"))) << sid;
  EXPECT_EQ(msg.at("status"), "queued");
  EXPECT_EQ(msg.at("to"), "+15551234567");
  EXPECT_EQ(msg.at("body"), "Hola, ¿qué tal?");
  EXPECT_EQ(msg.at("num_segments"), "1");
  EXPECT_TRUE(msg.at("error_code").is_null());

  const Reply second = client.send_sms(valid_sms);  // same TLS connection: keep-alive works
  ASSERT_EQ(second.status(), 201u);

  const json kept = json::parse(control().get("/_messages").res.body());
  ASSERT_EQ(kept.size(), 2u);
  EXPECT_EQ(kept[0].at("sid"), sid);
  EXPECT_EQ(kept[0].at("validity_period"), 900);
  EXPECT_TRUE(kept[0].at("status_callback").is_null());
  EXPECT_GT(kept[0].at("received_at_ms").get<std::int64_t>(), 0);

  std::ifstream rec(proc_->record_path());
  std::string line;
  ASSERT_TRUE(std::getline(rec, line));  // flushed per line: readable while the fake runs
  EXPECT_EQ(json::parse(line).at("sid"), sid);
  EXPECT_EQ(stats().at("accepted"), 2);
}

TEST_F(FakeProvider, WrongTokenGets401With20003) {
  start();
  const Reply r = https().send_sms(valid_sms, "not-the-token");
  ASSERT_EQ(r.status(), 401u);
  EXPECT_EQ(json::parse(r.res.body()).at("code"), 20003);
  EXPECT_EQ(stats().at("auth_failed"), 1);
  EXPECT_EQ(stats().at("accepted"), 0);
}

TEST_F(FakeProvider, ValidationErrorsCarryTwilioCodes) {
  start({"--opted-out", "+15550009999"});
  auto client = https();
  const std::vector<std::pair<Form, int>> cases{
      {{{"To", "+15551234567"}, {"From", "+15557654321"}}, 21602},
      {{{"To", "5551234567"}, {"From", "+15557654321"}, {"Body", "x"}}, 21211},
      {{{"To", "+15551234567"}, {"From", "+15557654321"}, {"Body", std::string(1601, 'x')}}, 21617},
      {{{"To", "+15550009999"}, {"From", "+15557654321"}, {"Body", "x"}}, 21610},
  };
  for (const auto& [form, code] : cases) {
    SCOPED_TRACE(code);
    const Reply r = client.send_sms(form);
    ASSERT_EQ(r.status(), 400u);
    const json err = json::parse(r.res.body());
    EXPECT_EQ(err.at("code"), code);
    EXPECT_EQ(err.at("status"), 400);
    EXPECT_EQ(err.at("more_info"), "https://www.twilio.com/docs/errors/" + std::to_string(code));
  }
  EXPECT_EQ(json::parse(control().get("/_messages").res.body()).size(), 0u);
}

TEST_F(FakeProvider, FailNext429AnswersRetryAfterThenRecovers) {
  start();
  auto ctl = control();
  ASSERT_EQ(ctl.post_json("/_control", R"({"fail_next_429": 1, "fail_next_500": 1, "retry_after_s": 7})").status(), 200u);
  auto client = https();
  const Reply throttled = client.send_sms(valid_sms);
  ASSERT_EQ(throttled.status(), 429u);
  EXPECT_EQ(throttled.res[http::field::retry_after], "7");
  EXPECT_EQ(json::parse(throttled.res.body()).at("code"), 20429);
  EXPECT_EQ(client.send_sms(valid_sms).status(), 500u);
  EXPECT_EQ(client.send_sms(valid_sms).status(), 201u);
  const json s = stats();
  EXPECT_EQ(s.at("rejected_429"), 1);
  EXPECT_EQ(s.at("rejected_500"), 1);
  EXPECT_EQ(s.at("accepted"), 1);
  EXPECT_EQ(ctl.post_json("/_control", R"({"fail_next_429": "x"})").status(), 400u);
}

TEST_F(FakeProvider, DropNextClosesWithoutAnswering) {
  start({"--drop-next", "1"});  // the start flag is the same control
  auto client = https();
  const Reply dropped = client.send_sms(valid_sms);
  EXPECT_TRUE(dropped.ec) << "expected a closed connection, got HTTP " << dropped.status();
  EXPECT_EQ(client.send_sms(valid_sms).status(), 201u);  // the client reconnects
  EXPECT_EQ(stats().at("dropped"), 1);
  EXPECT_EQ(json::parse(control().get("/_messages").res.body()).size(), 1u);
}

TEST_F(FakeProvider, SignedStatusCallbacksArriveInOrder) {
  CallbackListener listener;
  start({"--callback-delay-ms", "10"});
  const std::string url = "http://127.0.0.1:" + std::to_string(listener.port()) + "/webhooks/twilio/status?k=a%20b";
  Form form = valid_sms;
  form.emplace_back("StatusCallback", url);
  const Reply r = https().send_sms(form);
  ASSERT_EQ(r.status(), 201u);
  const std::string sid = json::parse(r.res.body()).at("sid");

  const auto got = listener.wait_for(2, std::chrono::seconds(5));
  ASSERT_EQ(got.size(), 2u);
  const char* expected_status[] = {"sent", "delivered"};
  for (std::size_t i = 0; i < 2; ++i) {
    SCOPED_TRACE(expected_status[i]);
    EXPECT_EQ(got[i].target, "/webhooks/twilio/status?k=a%20b");
    const auto params = decode_form(got[i].body);
    ASSERT_TRUE(params);
    EXPECT_EQ(*find_param(*params, "MessageSid"), sid);
    EXPECT_EQ(*find_param(*params, "MessageStatus"), expected_status[i]);
    EXPECT_EQ(*find_param(*params, "AccountSid"), test_account_sid);
    EXPECT_EQ(*find_param(*params, "To"), "+15551234567");
    EXPECT_EQ(*find_param(*params, "From"), "+15557654321");
    EXPECT_EQ(*find_param(*params, "ApiVersion"), "2010-04-01");
    // The signed URL is the StatusCallback as given (twilio_signature matches the published
    // vectors in wire_test.cpp).
    EXPECT_EQ(got[i].signature, twilio_signature(test_auth_token, url, *params));
    EXPECT_NE(got[i].signature, twilio_signature("other-token", url, *params));
  }
  for (int i = 0; i < 100 && stats().at("callbacks_sent") != 2; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  EXPECT_EQ(stats().at("callbacks_sent"), 2);
  EXPECT_EQ(stats().at("callbacks_failed"), 0);
}

TEST_F(FakeProvider, UnreachableOrForeignCallbacksAreCountedNotFatal) {
  start({"--callback-delay-ms", "0"});
  Form to_nowhere = valid_sms;
  to_nowhere.emplace_back("StatusCallback", "http://127.0.0.1:1/none");  // nothing listens on port 1
  Form foreign = valid_sms;
  foreign.emplace_back("StatusCallback", "http://192.0.2.1/cb");  // TEST-NET: must never be called
  auto client = https();
  EXPECT_EQ(client.send_sms(to_nowhere).status(), 201u);
  EXPECT_EQ(client.send_sms(foreign).status(), 201u);
  json s;
  for (int i = 0; i < 200; ++i, std::this_thread::sleep_for(std::chrono::milliseconds(10)))
    if ((s = stats()).at("callbacks_failed") == 4) break;
  EXPECT_EQ(s.at("callbacks_failed"), 4);
  EXPECT_EQ(s.at("callbacks_dropped"), 2);
  EXPECT_EQ(s.at("callbacks_sent"), 0);
}

TEST_F(FakeProvider, LatencyIsATimerNotASleepingThread) {
  start();
  ASSERT_EQ(control().post_json("/_control", R"({"latency_ms": 400})").status(), 200u);
  const auto t0 = std::chrono::steady_clock::now();
  std::thread slow([&] { EXPECT_EQ(https().send_sms(valid_sms).status(), 201u); });
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  const auto t1 = std::chrono::steady_clock::now();
  EXPECT_EQ(control().get("/_stats").status(), 200u);  // answered while the send waits
  const auto stats_took = std::chrono::steady_clock::now() - t1;
  slow.join();
  EXPECT_LT(stats_took, std::chrono::milliseconds(200));
  EXPECT_GE(std::chrono::steady_clock::now() - t0, std::chrono::milliseconds(400));
}

TEST_F(FakeProvider, OversizedBodyGets413AndResetClears) {
  start();
  auto client = control();
  EXPECT_EQ(client.send_sms(valid_sms).status(), 201u);
  const Reply big = client.request(http::verb::post, "/_control", std::string(70 * 1024, ' '));
  EXPECT_EQ(big.status(), 413u);
  EXPECT_EQ(control().request(http::verb::post, "/_reset").status(), 200u);
  EXPECT_EQ(stats().at("accepted"), 0);
  EXPECT_EQ(json::parse(control().get("/_messages").res.body()).size(), 0u);
  EXPECT_EQ(control().get("/no/such/path").status(), 404u);
  EXPECT_EQ(control().get("/_reset").status(), 405u);
}

TEST_F(FakeProvider, WrongCertificateIsRefusedByAVerifyingClient) {
  proc_.emplace(pki_, std::vector<std::string>{}, pki_.wrong_cert(), pki_.wrong_key());
  const Reply r = https().send_sms(valid_sms);
  EXPECT_TRUE(r.ec) << "a self-signed certificate must fail verification";
  EXPECT_EQ(stats().at("accepted"), 0);
}

TEST(FakeProviderProcess, RefusesNonLoopbackAddresses) {
  EXPECT_EQ(run_fake_provider_to_exit({"--http", "0.0.0.0:0"}), 2);
  EXPECT_EQ(run_fake_provider_to_exit({"--http", "127.0.0.1:0", "--ratio-429", "2"}), 2);
}

}  // namespace
}  // namespace centinela::fake_provider::testing

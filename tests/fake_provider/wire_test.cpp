// Unit tests of the fake provider's pure parts: Twilio wire format, signatures, fault plan,
// flags and callback URL checks.
#include <gtest/gtest.h>

#include <regex>
#include <set>

#include "tests/fake_provider/callbacks.hpp"
#include "tests/fake_provider/faults.hpp"
#include "tests/fake_provider/json_text.hpp"
#include "tests/fake_provider/options.hpp"
#include "tests/fake_provider/store.hpp"
#include "tests/fake_provider/twilio_wire.hpp"

namespace centinela::fake_provider {
namespace {

// The published vectors from providers.md (token 12345; twilio-python's tests carry rows 2-4).
TEST(TwilioSignature, MatchesPublishedVectors) {
  const FormParams base{{"CallSid", "CA1234567890ABCDE"}, {"Caller", "+12349013030"}, {"Digits", "1234"},
                        {"From", "+12349013030"},         {"To", "+18005551212"}};
  EXPECT_EQ(twilio_signature("12345", "https://mycompany.com/myapp.php?foo=1&bar=2", base),
            "0/KCTR6DLpKmkAf8muzZqo1nDgQ=");
  FormParams other = base;
  other[1].second = other[3].second = "+14158675309";
  EXPECT_EQ(twilio_signature("12345", "https://mycompany.com/myapp.php?foo=1&bar=2", other),
            "RSOYDt4T1cUTdK1PDd93/VVr8B8=");
  EXPECT_EQ(twilio_signature("12345", "https://mycompany.com:443/myapp.php?foo=1&bar=2", other),
            "kvajT1Ptam85bY51eRf/AJRuM3w=");
  EXPECT_EQ(twilio_signature("12345", "http://mycompany.com:1234/myapp.php?foo=1&bar=2", other),
            "Zmvh+3yNM1Phv2jhDCwEM3q5ebU=");
}

TEST(TwilioSignature, ParamOrderDoesNotMatter) {
  const FormParams a{{"To", "+1"}, {"AccountSid", "AC1"}, {"MessageStatus", "sent"}};
  const FormParams b{{"MessageStatus", "sent"}, {"To", "+1"}, {"AccountSid", "AC1"}};
  EXPECT_EQ(twilio_signature("t", "http://127.0.0.1/cb", a), twilio_signature("t", "http://127.0.0.1/cb", b));
}

TEST(Form, DecodesPlusAndPercentAndRoundTrips) {
  const auto p = decode_form("To=%2B15551234567&Body=hola+mundo%21&Empty=&Flag");
  ASSERT_TRUE(p);
  ASSERT_EQ(p->size(), 4u);
  EXPECT_EQ((*p)[0].second, "+15551234567");
  EXPECT_EQ((*p)[1].second, "hola mundo!");
  EXPECT_EQ((*p)[2].second, "");
  EXPECT_EQ((*p)[3].first, "Flag");
  const FormParams tricky{{"Body", "a+b c&d=é%"}, {"To", "+1555"}};
  EXPECT_EQ(decode_form(form_encode(tricky)), tricky);
  EXPECT_FALSE(decode_form("Body=%Z1"));
  EXPECT_FALSE(decode_form("Body=%4"));
  // An unencoded '+' is a space on the wire: a client that forgets to encode it sends " 1555...".
  EXPECT_EQ((*decode_form("To=+15551234567"))[0].second, " 15551234567");
}

struct ValidationCase {
  const char* label;
  FormParams params;
  int code;  // 0: valid
};

TEST(ValidateSend, UsesTwilioErrorCodes) {
  const std::unordered_set<std::string> opted_out{"+15550000000"};
  const std::string long_body(1601, 'x');
  const std::string max_body_utf8 = [] { std::string s; for (int i = 0; i < 1600; ++i) s += "é"; return s; }();
  const std::vector<ValidationCase> cases{
      {"valid", {{"To", "+15551234567"}, {"From", "+15557654321"}, {"Body", "hi"}}, 0},
      {"1600 two-byte chars is fine", {{"To", "+15551234567"}, {"From", "+15557654321"}, {"Body", max_body_utf8}}, 0},
      {"missing To", {{"From", "+15557654321"}, {"Body", "hi"}}, 21604},
      {"To without +", {{"To", "15551234567"}, {"From", "+15557654321"}, {"Body", "hi"}}, 21211},
      {"To with letters", {{"To", "+1555ABC4567"}, {"From", "+15557654321"}, {"Body", "hi"}}, 21211},
      {"missing From", {{"To", "+15551234567"}, {"Body", "hi"}}, 21603},
      {"missing Body", {{"To", "+15551234567"}, {"From", "+15557654321"}}, 21602},
      {"empty Body", {{"To", "+15551234567"}, {"From", "+15557654321"}, {"Body", ""}}, 21602},
      {"Body too long", {{"To", "+15551234567"}, {"From", "+15557654321"}, {"Body", long_body}}, 21617},
      {"bad ValidityPeriod", {{"To", "+15551234567"}, {"From", "+15557654321"}, {"Body", "x"}, {"ValidityPeriod", "36001"}}, 21624},
      {"bad StatusCallback", {{"To", "+15551234567"}, {"From", "+15557654321"}, {"Body", "x"}, {"StatusCallback", "ftp://x"}}, 21609},
      {"opted out", {{"To", "+15550000000"}, {"From", "+15557654321"}, {"Body", "x"}}, 21610},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.label);
    const auto got = validate_send(c.params, opted_out);
    const auto* err = std::get_if<TwilioError>(&got);
    EXPECT_EQ(err ? err->code : 0, c.code);
    if (err) {
      EXPECT_EQ(err->http_status, 400);
    }
  }
  const auto ok = validate_send({{"To", "+15551234567"}, {"From", "+15557654321"}, {"Body", "x"},
                                 {"ValidityPeriod", "900"}, {"StatusCallback", "http://127.0.0.1:1/s"}},
                                opted_out);
  ASSERT_TRUE(std::holds_alternative<SendRequest>(ok));
  EXPECT_EQ(std::get<SendRequest>(ok).validity_period, 900);
  EXPECT_EQ(std::get<SendRequest>(ok).status_callback, "http://127.0.0.1:1/s");
}

TEST(ErrorJson, HasTwilioShape) {
  const auto j = nlohmann::json::parse(error_json({400, 21211, "bad"}));
  EXPECT_EQ(j, nlohmann::json::parse(
                   R"({"code":21211,"message":"bad","more_info":"https://www.twilio.com/docs/errors/21211","status":400})"));
}

TEST(JsonText, EscapesAndReplacesInvalidUtf8) {
  std::string out;
  append_json_string(out, "a\"b\\c\n\x01é€😀");
  EXPECT_EQ(nlohmann::json::parse(out), "a\"b\\c\n\x01é€😀");
  out.clear();
  append_json_string(out, "ok\xff\xc3(\xed\xa0\x80" "end");  // stray byte, truncated, surrogate
  EXPECT_EQ(nlohmann::json::parse(out), "ok\uFFFD\uFFFD(\uFFFD\uFFFD\uFFFDend");
}

TEST(MessageJson, IsValidJsonWithTwilioFields) {
  const SendRequest req{"+15551234567", "+15557654321", "Hola \"amigo\"\n", 900, ""};
  const auto j = nlohmann::json::parse(message_json(req, "SM0123", "AC1", 1438287151));
  EXPECT_EQ(j.at("sid"), "SM0123");
  EXPECT_EQ(j.at("status"), "queued");
  EXPECT_EQ(j.at("body"), req.body);
  EXPECT_EQ(j.at("num_segments"), "1");
  EXPECT_TRUE(j.at("error_code").is_null());
  EXPECT_EQ(j.at("date_created"), "Thu, 30 Jul 2015 20:12:31 +0000");
  EXPECT_EQ(j.at("subresource_uris").at("media"), "/2010-04-01/Accounts/AC1/Messages/SM0123/Media.json");
  const auto rec = nlohmann::json::parse(record_json({"SM1", "+1", "+2", "b\"", 900, "", 5}));
  EXPECT_EQ(rec, nlohmann::json::parse(
                     R"({"sid":"SM1","to":"+1","from":"+2","body":"b\"","validity_period":900,"status_callback":null,"received_at_ms":5})"));
}

TEST(Sids, AreTwilioShapedAndUnique) {
  SidGenerator gen{0xfeedfacecafebeefull};
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    const std::string sid = gen.next();
    ASSERT_TRUE(std::regex_match(sid, std::regex("SM[0-9a-f]{32}"))) << sid;
    seen.insert(sid);
  }
  EXPECT_EQ(seen.size(), 1000u);
}

TEST(BasicAuth, AcceptsOnlyTheConfiguredPair) {
  const std::string good = "Basic " + base64_encode("AC1:tok");
  EXPECT_TRUE(check_basic_auth(good, "AC1", "tok"));
  EXPECT_TRUE(check_basic_auth("basic " + base64_encode("AC1:tok"), "AC1", "tok"));
  EXPECT_FALSE(check_basic_auth("Basic " + base64_encode("AC1:tok2"), "AC1", "tok"));
  EXPECT_FALSE(check_basic_auth("Basic " + base64_encode("AC2:tok"), "AC1", "tok"));
  EXPECT_FALSE(check_basic_auth("Bearer tok", "AC1", "tok"));
  EXPECT_FALSE(check_basic_auth("Basic !!!!", "AC1", "tok"));
  EXPECT_FALSE(check_basic_auth("", "AC1", "tok"));
  EXPECT_EQ(base64_decode(base64_encode("ab")), "ab");  // padding trimmed
}

TEST(Segments, CountGsmAndUnicode) {
  EXPECT_EQ(count_segments(std::string(160, 'a')), 1);
  EXPECT_EQ(count_segments(std::string(161, 'a')), 2);
  EXPECT_EQ(count_segments("¡Alerta!"), 1);
  std::string s;
  for (int i = 0; i < 71; ++i) s += "ñ";
  EXPECT_EQ(count_segments(s), 2);
}

TEST(Faults, CountersComeFirstThenSeededRatios) {
  FaultInjector f;
  ASSERT_FALSE(f.apply({{"fail_next_429", 1}, {"fail_next_500", 1}, {"drop_next", 1}}));
  EXPECT_EQ(f.next(), Fault::http_429);
  EXPECT_EQ(f.next(), Fault::http_500);
  EXPECT_EQ(f.next(), Fault::drop);
  EXPECT_EQ(f.next(), Fault::none);

  auto draw = [](std::uint64_t seed) {
    FaultInjector g;
    EXPECT_FALSE(g.apply({{"ratio_429", 0.2}, {"ratio_500", 0.2}, {"ratio_drop", 0.2}, {"seed", seed}}));
    std::vector<Fault> out;
    for (int i = 0; i < 200; ++i) out.push_back(g.next());
    return out;
  };
  const auto a = draw(7);
  EXPECT_EQ(a, draw(7));  // same seed, same faults: a failing run can be replayed
  EXPECT_NE(a, draw(8));
  const auto nones = std::count(a.begin(), a.end(), Fault::none);
  EXPECT_GT(nones, 40);
  EXPECT_LT(nones, 120);
}

TEST(Faults, EveryNthRequestFailsDeterministically) {
  FaultInjector f;
  ASSERT_FALSE(f.apply(nlohmann::json{{"every_nth_429", 5}, {"every_nth_500", 7}}));
  std::string seen;
  for (int i = 1; i <= 35; ++i) {
    const auto fault = f.next();
    seen += fault == Fault::http_429 ? 'T' : fault == Fault::http_500 ? 'E' : '.';
  }
  // Requests 5, 10, ... are 429; 7, 14, ... are 500; the 35th is both and a 429 wins.
  EXPECT_EQ(seen, "....T.E..T...ET....TE...T..E.T....T");
}

TEST(Faults, BadControlChangesNothing) {
  FaultInjector f;
  EXPECT_TRUE(f.apply({{"fail_next_429", 3}, {"ratio_500", 1.5}}));
  EXPECT_TRUE(f.apply({{"typo_key", 1}}));
  EXPECT_TRUE(f.apply({{"latency_ms", -1}}));
  EXPECT_TRUE(f.apply(nlohmann::json::array()));
  EXPECT_EQ(f.plan().fail_next_429, 0u);
  EXPECT_EQ(f.next(), Fault::none);
  ASSERT_FALSE(f.apply({{"latency_ms", 25}, {"retry_after_s", 9}}));
  EXPECT_EQ(f.plan().latency, std::chrono::milliseconds(25));
  EXPECT_EQ(f.plan().retry_after_s, 9);
}

TEST(Options, RefuseNonLoopbackAndMapFaultFlags) {
  using Args = std::vector<std::string_view>;
  EXPECT_TRUE(std::holds_alternative<std::string>(parse_options(Args{"--http", "0.0.0.0:0"})));
  EXPECT_TRUE(std::holds_alternative<std::string>(parse_options(Args{"--http", "10.1.2.3:80"})));
  EXPECT_TRUE(std::holds_alternative<std::string>(parse_options(Args{"--https", "127.0.0.1:0"})));  // no cert
  EXPECT_TRUE(std::holds_alternative<std::string>(parse_options(Args{"--http", "127.0.0.1:0", "--bogus", "1"})));
  const auto ok = parse_options(Args{"--http", "127.0.0.2:0", "--fail-next-429", "2", "--ratio-drop", "0.5",
                                     "--opted-out", "+15550001111,+15550002222", "--no-callbacks"});
  ASSERT_TRUE(std::holds_alternative<Options>(ok)) << std::get<std::string>(ok);
  const auto& o = std::get<Options>(ok);
  EXPECT_EQ(o.faults, (nlohmann::json{{"fail_next_429", 2}, {"ratio_drop", 0.5}}));
  EXPECT_EQ(o.opted_out.size(), 2u);
  EXPECT_FALSE(o.callbacks);
  EXPECT_TRUE(parse_listen("[::1]:0"));
  EXPECT_FALSE(parse_listen("[::]:0"));
}

TEST(CallbackUrl, OnlyLoopbackHttp) {
  const auto u = parse_loopback_http_url("http://127.0.0.1:8080/webhooks/twilio/status?a=1");
  ASSERT_TRUE(u);
  EXPECT_EQ(u->endpoint.port(), 8080);
  EXPECT_EQ(u->host_header, "127.0.0.1:8080");
  EXPECT_EQ(u->target, "/webhooks/twilio/status?a=1");
  EXPECT_EQ(parse_loopback_http_url("http://localhost:9/")->endpoint.address().to_string(), "127.0.0.1");
  EXPECT_EQ(parse_loopback_http_url("http://[::1]:9")->target, "/");
  EXPECT_EQ(parse_loopback_http_url("http://127.0.0.1")->endpoint.port(), 80);
  EXPECT_FALSE(parse_loopback_http_url("https://127.0.0.1:9/"));  // plain HTTP only
  EXPECT_FALSE(parse_loopback_http_url("http://10.0.0.1:9/"));
  EXPECT_FALSE(parse_loopback_http_url("http://example.com/"));
  EXPECT_FALSE(parse_loopback_http_url("http://user@127.0.0.1:9/"));
  EXPECT_FALSE(parse_loopback_http_url("http://127.0.0.1:0/"));
}

}  // namespace
}  // namespace centinela::fake_provider

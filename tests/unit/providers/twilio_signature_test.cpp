// X-Twilio-Signature: the published vectors (../shared/providers.md §1) and forgeries.
#include <gtest/gtest.h>

#include "providers/common/crypto.hpp"
#include "providers/twilio/twilio_signature.hpp"
#include "tests/support/provider_harness.hpp"

namespace centinela::providers::twilio {
namespace {

constexpr std::string_view token = "12345";
constexpr std::string_view url = "https://mycompany.com/myapp.php?foo=1&bar=2";

FormFields params_row1() {
  return {{"CallSid", "CA1234567890ABCDE"}, {"Caller", "+12349013030"}, {"Digits", "1234"},
          {"From", "+12349013030"},         {"To", "+18005551212"}};
}
FormFields params_row2() {
  return {{"CallSid", "CA1234567890ABCDE"}, {"Caller", "+14158675309"}, {"Digits", "1234"},
          {"From", "+14158675309"},         {"To", "+18005551212"}};
}

TEST(TwilioSignature, SignedStringOfRow1) {
  EXPECT_EQ(signed_data(url, params_row1()),
            "https://mycompany.com/myapp.php?foo=1&bar=2CallSidCA1234567890ABCDECaller+12349013030Digits1234"
            "From+12349013030To+18005551212");
}

struct Vector {
  std::string url;
  FormFields params;
  std::string signature;
};

TEST(TwilioSignature, PublishedVectors) {
  const std::vector<Vector> vectors{
      {std::string(url), params_row1(), "0/KCTR6DLpKmkAf8muzZqo1nDgQ="},
      {std::string(url), params_row2(), "RSOYDt4T1cUTdK1PDd93/VVr8B8="},
      {"https://mycompany.com:443/myapp.php?foo=1&bar=2", params_row2(), "kvajT1Ptam85bY51eRf/AJRuM3w="},
      {"http://mycompany.com:1234/myapp.php?foo=1&bar=2", params_row2(), "Zmvh+3yNM1Phv2jhDCwEM3q5ebU="},
  };
  for (const auto& v : vectors) {
    SCOPED_TRACE(v.url);
    EXPECT_EQ(compute_signature(token, v.url, v.params), v.signature);
    EXPECT_TRUE(verify_signature(token, v.url, v.params, v.signature));
  }
}

TEST(TwilioSignature, ParamOrderDoesNotMatter) {
  FormFields shuffled = params_row1();
  std::reverse(shuffled.begin(), shuffled.end());
  EXPECT_TRUE(verify_signature(token, url, shuffled, "0/KCTR6DLpKmkAf8muzZqo1nDgQ="));
}

TEST(TwilioSignature, JsonBodyVector) {
  const std::string body = R"({"property": "value", "boolean": true})";
  const std::string signed_url =
      "https://mycompany.com/myapp.php?foo=1&bar=2&bodySHA256="
      "0a1ff7634d9ab3b95db5c9a2dfe9416e41502b283a80c7cf19632632f96e6620";
  EXPECT_EQ(sha256_hex(body), "0a1ff7634d9ab3b95db5c9a2dfe9416e41502b283a80c7cf19632632f96e6620");
  EXPECT_EQ(compute_signature(token, signed_url, {}), "a9nBmqA0ju/hNViExpshrM61xv4=");

  WebRequest req;
  req.method = "POST";
  req.headers["content-type"] = "application/json";
  req.headers["x-twilio-signature"] = "a9nBmqA0ju/hNViExpshrM61xv4=";
  req.body = body;
  EXPECT_TRUE(verify_request(token, req, signed_url));
  req.body = R"({"property": "value", "boolean": false})";  // body changed, hash in URL did not
  EXPECT_FALSE(verify_request(token, req, signed_url));
}

TEST(TwilioSignature, TamperingIsRejected) {
  const std::string good = "0/KCTR6DLpKmkAf8muzZqo1nDgQ=";
  FormFields tampered = params_row1();
  tampered[2].second = "1235";
  EXPECT_FALSE(verify_signature(token, url, tampered, good)) << "changed param";
  FormFields extra = params_row1();
  extra.emplace_back("Body", "x");
  EXPECT_FALSE(verify_signature(token, url, extra, good)) << "added param";
  EXPECT_FALSE(verify_signature(token, "https://mycompany.com/myapp.php?foo=1&bar=3", params_row1(), good)) << "URL";
  EXPECT_FALSE(verify_signature(token, "https://evil.com/myapp.php?foo=1&bar=2", params_row1(), good)) << "host";
  EXPECT_FALSE(verify_signature("12346", url, params_row1(), good)) << "token";
  EXPECT_FALSE(verify_signature(token, url, params_row1(), "")) << "empty signature";
  EXPECT_FALSE(verify_signature("", url, params_row1(), good)) << "empty token";
  EXPECT_FALSE(verify_signature(token, url, params_row1(), good.substr(0, 27))) << "truncated";
}

TEST(TwilioSignature, PortQuirkAcceptsEitherForm) {
  // Signed without a port, received through a proxy that shows :443, and the other way round.
  EXPECT_TRUE(verify_signature(token, "https://mycompany.com:443/myapp.php?foo=1&bar=2", params_row2(),
                               "RSOYDt4T1cUTdK1PDd93/VVr8B8="));
  EXPECT_TRUE(verify_signature(token, url, params_row2(), "kvajT1Ptam85bY51eRf/AJRuM3w="));
  // An explicit non-default port may be stripped too (as the SDKs do) ...
  const std::string signed_without = compute_signature(token, "http://mycompany.com/myapp.php?foo=1&bar=2", params_row2());
  EXPECT_TRUE(verify_signature(token, "http://mycompany.com:1234/myapp.php?foo=1&bar=2", params_row2(), signed_without));
  // ... but never swapped for another port.
  EXPECT_FALSE(verify_signature(token, "http://mycompany.com:4321/myapp.php?foo=1&bar=2", params_row2(),
                                "Zmvh+3yNM1Phv2jhDCwEM3q5ebU="));
}

TEST(TwilioSignature, UrlPortVariants) {
  EXPECT_EQ(url_port_variants("https://h.com/p?q=1"), (std::vector<std::string>{"https://h.com/p?q=1", "https://h.com:443/p?q=1"}));
  EXPECT_EQ(url_port_variants("http://h.com:8080"), (std::vector<std::string>{"http://h.com", "http://h.com:8080"}));
  EXPECT_EQ(url_port_variants("http://[::1]/x"), (std::vector<std::string>{"http://[::1]/x", "http://[::1]:80/x"}));
  EXPECT_EQ(url_port_variants("not a url"), (std::vector<std::string>{"not a url"}));
}

TEST(TwilioSignature, RepeatedParamsAreSortedAndDeduplicated) {
  // twilio-python: sorted(set(values)) per name.
  const FormFields a{{"MediaUrl", "b"}, {"MediaUrl", "a"}, {"MediaUrl", "b"}};
  EXPECT_EQ(signed_data("u", a), "uMediaUrlaMediaUrlb");
}

TEST(TwilioSignature, VerifyRequestFormGetAndMissingHeader) {
  WebRequest req = testing::form_post(encode_form(params_row1()));
  EXPECT_FALSE(verify_request(token, req, url)) << "no header";
  req.headers["x-twilio-signature"] = "0/KCTR6DLpKmkAf8muzZqo1nDgQ=";
  EXPECT_TRUE(verify_request(token, req, url));
  req.body += "&%zz=1";
  EXPECT_FALSE(verify_request(token, req, url)) << "undecodable body";

  WebRequest get;
  get.method = "GET";
  get.headers["x-twilio-signature"] = compute_signature(token, url, {});
  EXPECT_TRUE(verify_request(token, get, url));
  EXPECT_FALSE(verify_request(token, get, "https://mycompany.com/myapp.php?foo=1&bar=9"));
}

}  // namespace
}  // namespace centinela::providers::twilio

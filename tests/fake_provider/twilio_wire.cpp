// Twilio wire-format helpers for the fake provider (see twilio_wire.hpp).
#include "tests/fake_provider/twilio_wire.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <ctime>

#include <nlohmann/json.hpp>

#include "tests/fake_provider/json_text.hpp"

namespace centinela::fake_provider {
namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::optional<std::string> url_decode(std::string_view in) {
  std::string out;
  out.reserve(in.size());
  for (std::size_t i = 0; i < in.size(); ++i) {
    if (in[i] == '+') {
      out.push_back(' ');
    } else if (in[i] == '%') {
      if (i + 2 >= in.size()) return std::nullopt;
      const int hi = hex_value(in[i + 1]);
      const int lo = hex_value(in[i + 2]);
      if (hi < 0 || lo < 0) return std::nullopt;
      out.push_back(static_cast<char>(hi * 16 + lo));
      i += 2;
    } else {
      out.push_back(in[i]);
    }
  }
  return out;
}

// RFC 2822 date as Twilio prints it: "Thu, 30 Jul 2015 20:12:31 +0000".
std::string rfc2822(std::int64_t unix_s) {
  const std::time_t t = static_cast<std::time_t>(unix_s);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[40];
  const std::size_t n = std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S +0000", &tm);
  return std::string(buf, n);
}

}  // namespace

std::string dump_json(const nlohmann::json& j) {
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::optional<FormParams> decode_form(std::string_view body) {
  FormParams out;
  while (!body.empty()) {
    const auto amp = body.find('&');
    const std::string_view pair = body.substr(0, amp);
    body = amp == std::string_view::npos ? std::string_view{} : body.substr(amp + 1);
    if (pair.empty()) continue;
    const auto eq = pair.find('=');
    auto name = url_decode(pair.substr(0, eq));
    auto value = url_decode(eq == std::string_view::npos ? std::string_view{} : pair.substr(eq + 1));
    if (!name || !value) return std::nullopt;
    out.emplace_back(std::move(*name), std::move(*value));
  }
  return out;
}

std::string form_encode(const FormParams& params) {
  static constexpr char hex[] = "0123456789ABCDEF";
  std::string out;
  auto encode = [&out](std::string_view s) {
    for (const unsigned char c : s) {
      if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
        out.push_back(static_cast<char>(c));
      } else if (c == ' ') {
        out.push_back('+');
      } else {
        out.push_back('%');
        out.push_back(hex[c >> 4]);
        out.push_back(hex[c & 15]);
      }
    }
  };
  for (const auto& [name, value] : params) {
    if (!out.empty()) out.push_back('&');
    encode(name);
    out.push_back('=');
    encode(value);
  }
  return out;
}

const std::string* find_param(const FormParams& params, std::string_view name) {
  for (const auto& [n, v] : params)
    if (n == name) return &v;
  return nullptr;
}

std::string error_json(const TwilioError& e) {
  return dump_json(nlohmann::json{{"code", e.code},
                        {"message", e.message},
                        {"more_info", "https://www.twilio.com/docs/errors/" + std::to_string(e.code)},
                        {"status", e.http_status}});
}

bool is_e164(std::string_view s) {
  // '+', a non-zero country code digit, 7..15 digits in all (E.164 caps numbers at 15 digits).
  if (s.size() < 8 || s.size() > 16 || s[0] != '+' || s[1] == '0') return false;
  return std::all_of(s.begin() + 1, s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::size_t utf8_chars(std::string_view s) {
  return static_cast<std::size_t>(
      std::count_if(s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

int count_segments(std::string_view body) {
  const bool gsm = std::all_of(body.begin(), body.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
  const std::size_t n = utf8_chars(body);
  const std::size_t single = gsm ? 160 : 70, multi = gsm ? 153 : 67;  // concatenation header costs
  return n <= single ? 1 : static_cast<int>((n + multi - 1) / multi);
}

std::variant<SendRequest, TwilioError> validate_send(const FormParams& params,
                                                     const std::unordered_set<std::string>& opted_out) {
  SendRequest req;
  const std::string* to = find_param(params, "To");
  if (!to || to->empty()) return TwilioError{400, 21604, "A 'To' phone number is required."};
  if (!is_e164(*to)) return TwilioError{400, 21211, "The 'To' number " + *to + " is not a valid phone number."};
  req.to = *to;

  const std::string* from = find_param(params, "From");
  if (!from || from->empty()) return TwilioError{400, 21603, "A 'From' phone number is required."};
  if (!is_e164(*from)) return TwilioError{400, 21212, "The 'From' number " + *from + " is not a valid phone number."};
  req.from = *from;

  const std::string* body = find_param(params, "Body");
  if (!body || body->empty()) return TwilioError{400, 21602, "Message body is required."};
  if (utf8_chars(*body) > 1600)
    return TwilioError{400, 21617, "The concatenated message body exceeds the 1600 character limit."};
  req.body = *body;

  if (const std::string* vp = find_param(params, "ValidityPeriod")) {
    int v = 0;
    const auto [end, ec] = std::from_chars(vp->data(), vp->data() + vp->size(), v);
    // 1..36000 s is Twilio's documented range (providers.md).
    if (ec != std::errc{} || end != vp->data() + vp->size() || v < 1 || v > 36000)
      return TwilioError{400, 21624, "Invalid validity period value."};
    req.validity_period = v;
  }
  if (const std::string* cb = find_param(params, "StatusCallback")) {
    if (!cb->starts_with("http://") && !cb->starts_with("https://"))
      return TwilioError{400, 21609, "The StatusCallback URL " + *cb + " is not a valid URL."};
    req.status_callback = *cb;
  }
  if (opted_out.contains(req.to))
    return TwilioError{400, 21610, "Attempt to send to unsubscribed recipient"};
  return req;
}

std::string SidGenerator::next() {
  char buf[34] = {'S', 'M'};
  const std::uint64_t parts[2] = {prefix_, ++counter_};
  static constexpr char hex[] = "0123456789abcdef";
  for (int p = 0; p < 2; ++p)
    for (int i = 0; i < 16; ++i) buf[2 + p * 16 + i] = hex[(parts[p] >> (60 - 4 * i)) & 15];
  return std::string(buf, sizeof buf);
}

std::string message_json(const SendRequest& req, std::string_view sid, std::string_view account_sid,
                         std::int64_t now_unix_s) {
  // Hand-built (see json_text.hpp); the field set and order follow a real Twilio 201 answer.
  const std::string date = rfc2822(now_unix_s);
  std::string out;
  out.reserve(640 + req.body.size());
  auto field = [&out](std::string_view key, std::string_view value) {
    append_json_key(out, key);
    append_json_string(out, value);
    out.push_back(',');
  };
  auto raw = [&out](std::string_view key, std::string_view json_value) {
    append_json_key(out, key);
    out += json_value;
    out.push_back(',');
  };
  const std::string base = "/2010-04-01/Accounts/" + std::string(account_sid) + "/Messages/" + std::string(sid);
  out.push_back('{');
  field("account_sid", account_sid);
  field("api_version", "2010-04-01");
  field("body", req.body);
  field("date_created", date);
  raw("date_sent", "null");
  field("date_updated", date);
  field("direction", "outbound-api");
  raw("error_code", "null");
  raw("error_message", "null");
  field("from", req.from);
  raw("messaging_service_sid", "null");
  field("num_media", "0");
  field("num_segments", std::to_string(count_segments(req.body)));  // a string, as Twilio sends it
  raw("price", "null");
  field("price_unit", "USD");
  field("sid", sid);
  field("status", "queued");
  append_json_key(out, "subresource_uris");
  out += "{";
  field("media", base + "/Media.json");
  out.back() = '}';
  out.push_back(',');
  field("to", req.to);
  field("uri", base + ".json");
  out.back() = '}';
  return out;
}

std::string base64_encode(std::string_view bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3), '\0');
  const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(bytes.data()), static_cast<int>(bytes.size()));
  out.resize(static_cast<std::size_t>(n));
  return out;
}

std::optional<std::string> base64_decode(std::string_view text) {
  if (text.size() % 4 != 0) return std::nullopt;
  std::string out(3 * text.size() / 4, '\0');
  const int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(text.data()), static_cast<int>(text.size()));
  if (n < 0) return std::nullopt;
  // EVP_DecodeBlock counts the padding as zero bytes: trim one per '='.
  std::size_t len = static_cast<std::size_t>(n);
  for (auto it = text.rbegin(); it != text.rend() && *it == '=' && len > 0; ++it) --len;
  out.resize(len);
  return out;
}

bool check_basic_auth(std::string_view authorization, std::string_view account_sid,
                      std::string_view auth_token) {
  constexpr std::string_view scheme = "Basic ";
  if (authorization.size() <= scheme.size()) return false;
  for (std::size_t i = 0; i < scheme.size(); ++i)  // the scheme is case-insensitive (RFC 7235)
    if (std::tolower(static_cast<unsigned char>(authorization[i])) != std::tolower(scheme[i])) return false;
  const auto creds = base64_decode(authorization.substr(scheme.size()));
  if (!creds) return false;
  const std::string expected = std::string(account_sid) + ":" + std::string(auth_token);
  return creds->size() == expected.size() && CRYPTO_memcmp(creds->data(), expected.data(), expected.size()) == 0;
}

std::string twilio_signature(std::string_view auth_token, std::string_view url, FormParams params) {
  // Byte-order sort by name (then value, as twilio-python does for repeated names).
  std::sort(params.begin(), params.end());
  std::string data(url);
  for (const auto& [name, value] : params) {
    data += name;
    data += value;
  }
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int mac_len = 0;
  HMAC(EVP_sha1(), auth_token.data(), static_cast<int>(auth_token.size()),
       reinterpret_cast<const unsigned char*>(data.data()), data.size(), mac, &mac_len);
  return base64_encode(std::string_view(reinterpret_cast<const char*>(mac), mac_len));
}

}  // namespace centinela::fake_provider

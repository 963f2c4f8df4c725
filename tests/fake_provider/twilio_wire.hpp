// Twilio's Messages API wire format as pure functions (form codec, validation, JSON bodies,
// signatures), so the fake's behaviour can be unit-tested without sockets.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <utility>
#include <variant>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace centinela::fake_provider {

// JSON text with invalid UTF-8 from a client replaced (U+FFFD) instead of thrown.
std::string dump_json(const nlohmann::json& j);

using FormParams = std::vector<std::pair<std::string, std::string>>;  // decoded, in wire order

// application/x-www-form-urlencoded: '+' is a space, %XX a byte. nullopt on a broken escape.
std::optional<FormParams> decode_form(std::string_view body);
std::string form_encode(const FormParams& params);
const std::string* find_param(const FormParams& params, std::string_view name);

// A Twilio REST error: {"code","message","more_info","status"}.
struct TwilioError {
  int http_status;
  int code;
  std::string message;
};
std::string error_json(const TwilioError& e);

struct SendRequest {
  std::string to;
  std::string from;
  std::string body;
  std::optional<int> validity_period;  // seconds, as given
  std::string status_callback;         // empty: none
};

bool is_e164(std::string_view s);
std::size_t utf8_chars(std::string_view s);
int count_segments(std::string_view body);  // GSM-7 160/153, else UCS-2 70/67 (approximate)

// Validates a send the way Twilio does, with Twilio's codes. `opted_out` holds E.164 numbers
// that replied STOP: Twilio refuses them with 21610 before the message is queued.
std::variant<SendRequest, TwilioError> validate_send(const FormParams& params,
                                                     const std::unordered_set<std::string>& opted_out);

// "SM" + 32 lower-case hex: a per-process random prefix plus a counter, so sids never repeat
// within a run (the dispatcher dedupes receipts on them) and rarely across runs.
class SidGenerator {
 public:
  explicit SidGenerator(std::uint64_t prefix) : prefix_(prefix) {}
  std::string next();

 private:
  std::uint64_t prefix_;
  std::uint64_t counter_ = 0;
};

// The 201 body Twilio answers a successful send with.
std::string message_json(const SendRequest& req, std::string_view sid, std::string_view account_sid,
                         std::int64_t now_unix_s);

// Basic auth: true only for "Basic base64(account_sid:auth_token)".
bool check_basic_auth(std::string_view authorization, std::string_view account_sid,
                      std::string_view auth_token);

std::string base64_encode(std::string_view bytes);
std::optional<std::string> base64_decode(std::string_view text);

// X-Twilio-Signature = Base64(HMAC-SHA1(token, url + each param sorted by name: name + value)).
std::string twilio_signature(std::string_view auth_token, std::string_view url, FormParams params);

}  // namespace centinela::fake_provider

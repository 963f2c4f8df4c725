// Twilio webhook parsing: see twilio_parse.hpp.
#include "providers/twilio/twilio_parse.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>

#include "providers/twilio/twilio_codes.hpp"

namespace centinela::providers::twilio {
namespace {

std::optional<std::string_view> first_of(const FormFields& form, std::initializer_list<std::string_view> names) {
  for (const auto name : names) {
    if (auto v = form_value(form, name); v && !v->empty()) return v;
  }
  return std::nullopt;
}

// Twilio ids are 34 characters ("SM" + 32 hex); anything far longer is not an id worth storing.
constexpr std::size_t max_id_length = 64;

bool usable_id(std::string_view id) { return !id.empty() && id.size() <= max_id_length; }

}  // namespace

bool is_location_field(std::string_view name) {
  static constexpr std::array<std::string_view, 4> prefixes{"From", "To", "Caller", "Called"};
  static constexpr std::array<std::string_view, 4> suffixes{"City", "State", "Zip", "Country"};
  for (const auto p : prefixes) {
    if (!name.starts_with(p)) continue;
    const auto rest = name.substr(p.size());
    if (std::find(suffixes.begin(), suffixes.end(), rest) != suffixes.end()) return true;
  }
  return false;
}

FormFields drop_location_fields(FormFields fields) {
  std::erase_if(fields, [](const auto& field) { return is_location_field(field.first); });
  return fields;
}

std::optional<FormFields> webhook_params(const WebRequest& req) {
  if (req.method == "GET") {
    const auto q = req.target.find('?');
    return decode_form(q == std::string::npos ? std::string_view{} : std::string_view(req.target).substr(q + 1));
  }
  return decode_form(req.body);
}

InboundParse parse_inbound(const FormFields& raw) {
  const FormFields form = drop_location_fields(raw);
  if (const auto status = form_value(form, "SmsStatus"); status && *status != "received") return InboundError::malformed;
  const auto id = first_of(form, {"MessageSid", "SmsSid", "SmsMessageSid"});
  const auto from = form_value(form, "From");
  const auto to = form_value(form, "To");
  if (!id || !usable_id(*id) || !from || !to) return InboundError::malformed;
  auto from_number = parse_provider_phone(*from);
  auto to_number = parse_provider_phone(*to);
  if (!from_number || !to_number) return InboundError::invalid_phone;
  InboundSms sms;
  sms.provider_message_id = std::string(*id);
  sms.from = std::move(*from_number);
  sms.to = std::move(*to_number);
  sms.body = std::string(form_value(form, "Body").value_or(""));  // media-only messages have none
  // Advanced Opt-Out: Twilio names the keyword class it handled (and already replied to).
  if (const auto handled = form_value(form, "OptOutType"); handled && !handled->empty()) {
    for (const char c : *handled) sms.provider_handled.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
  }
  return sms;
}

std::optional<DeliveryReceipt> parse_receipt(const FormFields& form) {
  const auto id = first_of(form, {"MessageSid", "SmsSid"});
  const auto status = first_of(form, {"MessageStatus", "SmsStatus"});
  if (!id || !usable_id(*id) || !status) return std::nullopt;
  const auto state = map_status(*status);
  if (!state) return std::nullopt;
  DeliveryReceipt receipt;
  receipt.provider_message_id = std::string(*id);
  receipt.state = *state;
  if (const auto code = form_value(form, "ErrorCode"); code && !code->empty()) {
    int value = 0;
    const auto [end, ec] = std::from_chars(code->data(), code->data() + code->size(), value);
    if (ec == std::errc{} && end == code->data() + code->size()) receipt.error_code = value;
    const auto* rule = find_code(receipt.error_code);
    receipt.recipient_opted_out = rule && rule->cls == SendClass::opted_out;
  }
  return receipt;
}

}  // namespace centinela::providers::twilio

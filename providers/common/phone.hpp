// Phone numbers: one type that always holds E.164 and whose formatter masks it, so that logging
// a number the obvious way never leaks it.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <fmt/format.h>

namespace centinela {

struct PhoneNumber {
  std::string e164;  // "+15551234567": always valid E.164 once constructed by parse_phone
  friend bool operator==(const PhoneNumber&, const PhoneNumber&) = default;
};

// "+15551234567" -> "+1******4567". Anything that does not look like E.164 is never echoed.
std::string mask_phone(std::string_view e164);

// The one rule for what is a phone number, wherever a number comes from (a webhook's From and To,
// a web form's contact_phone, the config): libphonenumber must parse it and find its length
// possible for its country code (IsPossibleNumber). Whether the range is assigned
// (IsValidNumber) is not asked: Debian's metadata dates from 2022, new area codes open every year,
// and refusing a real member's number would cost them their alerts.
//
// Parses what a person or a provider typed ("(213) 555-0123", "+52 55 1234 5678") into E.164;
// `default_region` (ISO 3166 alpha-2, e.g. "US") applies to numbers without a country code.
std::optional<PhoneNumber> parse_phone(std::string_view raw, std::string_view default_region = "US");

// True for "+" followed by 7 to 15 digits, the first not 0: the shape of E.164, nothing more.
bool is_e164_syntax(std::string_view s);

// For numbers a provider reports in a webhook (From/To), which are E.164 already: anything not
// shaped like E.164 ("whatsapp:+1...", a short code, an alphanumeric sender) is refused, then the
// rule of parse_phone applies.
std::optional<PhoneNumber> parse_provider_phone(std::string_view raw);

}  // namespace centinela

template <>
struct fmt::formatter<centinela::PhoneNumber> : fmt::formatter<std::string_view> {
  auto format(const centinela::PhoneNumber& p, fmt::format_context& ctx) const {
    return fmt::formatter<std::string_view>::format(centinela::mask_phone(p.e164), ctx);
  }
};

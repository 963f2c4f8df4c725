// Phone number parsing (libphonenumber) and masking for logs.
#include "providers/common/phone.hpp"

#include <algorithm>
#include <string>

#include <phonenumbers/logger.h>
#include <phonenumbers/phonenumber.pb.h>
#include <phonenumbers/phonenumberutil.h>

namespace centinela {
namespace {

using i18n::phonenumbers::PhoneNumberUtil;

// E.164 allows at most 15 digits; anything longer is not a number we will ever dial.
constexpr std::size_t max_e164_digits = 15;
// Far above any formatted number ("+52 (55) 1234-5678 ext. 123"); bounds the work on junk input.
constexpr std::size_t max_raw_length = 64;

PhoneNumberUtil& util() {
  // libphonenumber's default logger writes diagnostics to stdout, where they could echo the input;
  // install the silent one once (SetLogger takes ownership).
  static PhoneNumberUtil* const instance = [] {
    PhoneNumberUtil* u = PhoneNumberUtil::GetInstance();
    u->SetLogger(new i18n::phonenumbers::NullLogger());
    return u;
  }();
  return *instance;
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

}  // namespace

std::string mask_phone(std::string_view e164) {
  // Shorter than "+" + 7 digits cannot be a real subscriber number, and masking it would leave
  // too few stars to hide anything; never echo what we could not recognise.
  constexpr std::string_view unparseable = "<unparseable-phone>";
  if (e164.size() < 8 || e164.size() > 1 + max_e164_digits || e164[0] != '+') return std::string(unparseable);
  if (!std::all_of(e164.begin() + 1, e164.end(), is_digit)) return std::string(unparseable);
  std::string out(e164);
  std::fill(out.begin() + 2, out.end() - 4, '*');  // keep the first digit (region) and the last 4
  return out;
}

std::optional<PhoneNumber> parse_phone(std::string_view raw, std::string_view default_region) {
  if (raw.empty() || raw.size() > max_raw_length) return std::nullopt;
  PhoneNumberUtil& u = util();
  i18n::phonenumbers::PhoneNumber number;
  if (u.Parse(std::string(raw), std::string(default_region), &number) != PhoneNumberUtil::NO_PARSING_ERROR) {
    return std::nullopt;
  }
  // Parse alone accepts "12" as +112; a possible length is the rule (see phone.hpp).
  if (!u.IsPossibleNumber(number)) return std::nullopt;
  PhoneNumber out;
  u.Format(number, PhoneNumberUtil::E164, &out.e164);
  return out;
}

bool is_e164_syntax(std::string_view s) {
  if (s.size() < 8 || s.size() > 1 + max_e164_digits || s[0] != '+' || s[1] == '0') return false;
  return std::all_of(s.begin() + 1, s.end(), is_digit);
}

std::optional<PhoneNumber> parse_provider_phone(std::string_view raw) {
  // Strict shape first: libphonenumber would dig a number out of "whatsapp:+1..." or other
  // channel addresses, which are not SMS numbers.
  if (!is_e164_syntax(raw)) return std::nullopt;
  return parse_phone(raw, "US");
}

}  // namespace centinela

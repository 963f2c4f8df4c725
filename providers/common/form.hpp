// application/x-www-form-urlencoded: the body of Twilio's webhooks and of its send API.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace centinela {

// Fields in the order they arrived. Order and repeats matter: signature checks sort and
// concatenate every received parameter, so nothing may be merged or dropped before that.
using FormFields = std::vector<std::pair<std::string, std::string>>;

// Decodes "a=1&b=x+y%21" ('+' is a space). Empty segments ("a=1&&b=2") are skipped; a segment
// without '=' is a name with an empty value. nullopt for a malformed %-escape: a body we cannot
// decode exactly cannot be signature-checked either.
std::optional<FormFields> decode_form(std::string_view body);

// Percent-decodes one component; `plus_is_space` for form bodies and query strings.
std::optional<std::string> percent_decode(std::string_view in, bool plus_is_space);

// Encodes in the form Twilio's SDKs send: unreserved characters as is, space as '+', the rest %XX.
std::string encode_form(const FormFields& fields);
std::string form_escape(std::string_view in);

// The first value of `name`, if present.
std::optional<std::string_view> form_value(const FormFields& fields, std::string_view name);

}  // namespace centinela

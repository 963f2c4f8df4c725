// What every text we send must respect: no control or direction-override characters forwarded
// from someone else's words, and a length the provider accepts (Twilio refuses a body over 1,600
// characters with 21617 and the text is never sent). Pure functions over UTF-8.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace centinela {

// Words we forward (a reporter's text in a page, an operator's summary in an alert) without what
// could hide or disguise them: C0 and C1 control characters (NUL included; newlines and tabs
// become spaces), DEL, and the bidirectional embeddings, overrides, isolates and marks (U+202A-E,
// U+2066-9, U+200E-F, U+061C) that can make a text read differently from what it says. Invalid
// UTF-8 becomes U+FFFD.
std::string sanitize_forwarded(std::string_view text);

// A text's length as providers count it: UTF-16 code units (an emoji outside the BMP counts two).
std::size_t sms_length(std::string_view utf8);

// The longest prefix of `utf8` of at most `max_units` (sms_length), cut on a character boundary,
// and at a space when one lies in the last tenth of it (so a word is not cut in half).
std::string sms_prefix(std::string_view utf8, std::size_t max_units);

// `utf8` itself when it fits in `max_units`; otherwise a prefix with `marker` appended, the whole
// within `max_units`.
std::string fit_text(std::string_view utf8, std::size_t max_units, std::string_view marker);

// `utf8` in consecutive parts of at most `max_units` each, cut as sms_prefix cuts; the spaces at
// a cut belong to no part.
std::vector<std::string> split_text(std::string_view utf8, std::size_t max_units);

}  // namespace centinela

// The configurable words of member commands, folded once at start-up: which keywords pick a
// language ("ESPAÑOL" -> "es") and which extra words opt out ("ARRET").
#pragma once

#include <functional>
#include <map>
#include <set>
#include <string>
#include <string_view>

#include "config/config.hpp"

namespace centinela::intake {

struct Vocabulary {
  std::map<std::string, std::string, std::less<>> language_by_keyword;  // folded keyword -> code
  std::set<std::string, std::less<>> extra_opt_outs;                   // canonical_request() forms

  // The language a folded word names ("ES", "ESPANOL"), or "" when it names none.
  std::string language(std::string_view folded_word) const;
};

// Every template language is reachable by its code; config.languages adds keywords (or, when
// empty, config::default_language_keywords() does, for the languages that have templates).
Vocabulary make_vocabulary(const config::Config& config);

}  // namespace centinela::intake

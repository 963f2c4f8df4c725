// Does a whole text ask us to stop texting? The standard keywords ("STOP", "ALTO") and a small,
// conservative set of plain-language requests ("stop texting me", "no más mensajes"). Pure.
#pragma once

#include <set>
#include <string>
#include <string_view>

namespace centinela::intake {

// The text reduced to the form the matcher compares: folded words, apostrophes dropped
// ("DON'T" -> "DONT"), synonyms merged ("texts", "mensajes" -> "MSG") and politeness trimmed
// from both ends ("please ... thanks", "por favor"). Exposed so configured extra words are reduced
// the same way.
std::string canonical_request(std::string_view text);

// True only when the WHOLE canonical text is an opt-out request: a report that merely contains
// "stop" ("they told us to stop") never matches. `extra` holds configured words, already canonical.
bool is_opt_out_request(const std::string& canonical, const std::set<std::string, std::less<>>& extra);

}  // namespace centinela::intake

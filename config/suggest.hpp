// "Did you mean ...?" for misspelt keys, region ids and template keys: a typo in a config key
// must fail loudly, and the fix should be one glance away.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace centinela::config {

// Edit distance counting insertions, deletions, substitutions and adjacent swaps, byte-wise.
std::size_t edit_distance(std::string_view a, std::string_view b);

// The candidate most likely meant by `word` (case-insensitive, at most two edits and less than
// half the word), or an empty string when nothing is close enough to be a plausible typo.
std::string closest_match(std::string_view word, const std::vector<std::string_view>& candidates);

// "did you mean \"listen\"?" or, when nothing is close, "expected one of: a, b, c".
std::string suggestion_hint(std::string_view word, const std::vector<std::string_view>& candidates);

}  // namespace centinela::config

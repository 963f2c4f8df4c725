// Folding of what people type on phones so that commands match however they are written:
// "  join  EastLA." and "Español" both match, accents and trailing punctuation ignored.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "config/keyword_fold.hpp"

namespace centinela::intake {

// Folding lives with the config so check-config compares keywords exactly as the parser does.
using config::fold_word;

// Splits on ASCII whitespace; empty words are dropped.
std::vector<std::string_view> split_words(std::string_view text);

// Everything after the first `n` words, with its original spelling and inner spacing kept.
std::string_view rest_after_words(std::string_view text, std::size_t n);

// Levenshtein distance, for near-miss commands ("JION").
std::size_t edit_distance(std::string_view a, std::string_view b);

}  // namespace centinela::intake

// How a keyword is compared: the one folding rule shared by check-config (which rejects keywords
// that would clash) and the SMS parser (which matches what people type), so that what validates
// is exactly what matches.
#pragma once

#include <string>
#include <string_view>

namespace centinela::config {

// Upper-case ASCII, Spanish accents folded ("ñ" -> "N", "á" -> "A"), punctuation removed from
// both ends. Inner punctuation stays ("90022-1234").
std::string fold_word(std::string_view word);

}  // namespace centinela::config

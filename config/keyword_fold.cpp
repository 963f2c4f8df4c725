#include "config/keyword_fold.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <utility>

namespace centinela::config {
namespace {

// Two-byte UTF-8 sequences of the Latin-1 letters Spanish speakers type, and their folded form.
// The inverted marks "¡" and "¿" fold to their ASCII twins, so they are trimmed like punctuation.
constexpr std::array<std::pair<std::string_view, char>, 26> accent_folds{{
    {"\xC2\xA1", '!'}, {"\xC2\xBF", '?'},
    {"\xC3\xA1", 'A'}, {"\xC3\x81", 'A'}, {"\xC3\xA9", 'E'}, {"\xC3\x89", 'E'},
    {"\xC3\xAD", 'I'}, {"\xC3\x8D", 'I'}, {"\xC3\xB3", 'O'}, {"\xC3\x93", 'O'},
    {"\xC3\xBA", 'U'}, {"\xC3\x9A", 'U'}, {"\xC3\xBC", 'U'}, {"\xC3\x9C", 'U'},
    {"\xC3\xB1", 'N'}, {"\xC3\x91", 'N'}, {"\xC3\xA0", 'A'}, {"\xC3\xA8", 'E'},
    {"\xC3\xAC", 'I'}, {"\xC3\xB2", 'O'}, {"\xC3\xB9", 'U'}, {"\xC3\xA7", 'C'},
    {"\xC3\x87", 'C'}, {"\xC3\xA2", 'A'}, {"\xC3\xAA", 'E'}, {"\xC3\xB4", 'O'},
}};

bool is_word_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || static_cast<unsigned char>(c) >= 0x80;
}

}  // namespace

std::string fold_word(std::string_view word) {
  std::string out;
  out.reserve(word.size());
  for (std::size_t i = 0; i < word.size();) {
    bool folded = false;
    for (const auto& [utf8, ascii] : accent_folds) {
      if (word.substr(i, utf8.size()) == utf8) {
        out.push_back(ascii);
        i += utf8.size();
        folded = true;
        break;
      }
    }
    if (folded) continue;
    out.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(word[i]))));
    ++i;
  }
  const auto first = std::find_if(out.begin(), out.end(), is_word_char);
  const auto last = std::find_if(out.rbegin(), out.rend(), is_word_char).base();
  return first < last ? std::string(first, last) : std::string{};
}

}  // namespace centinela::config

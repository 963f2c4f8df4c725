#include "dispatcher/intake/text_fold.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <utility>

namespace centinela::intake {
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

bool is_space(char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; }
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

std::vector<std::string_view> split_words(std::string_view text) {
  std::vector<std::string_view> words;
  std::size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && is_space(text[i])) ++i;
    const std::size_t start = i;
    while (i < text.size() && !is_space(text[i])) ++i;
    if (i > start) words.push_back(text.substr(start, i - start));
  }
  return words;
}

std::string_view rest_after_words(std::string_view text, std::size_t n) {
  std::size_t i = 0;
  for (std::size_t w = 0; w < n; ++w) {
    while (i < text.size() && is_space(text[i])) ++i;
    while (i < text.size() && !is_space(text[i])) ++i;
  }
  while (i < text.size() && is_space(text[i])) ++i;
  std::size_t end = text.size();
  while (end > i && is_space(text[end - 1])) --end;
  return text.substr(i, end - i);
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

}  // namespace centinela::intake

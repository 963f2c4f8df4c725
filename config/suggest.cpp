// Edit distance and the typo suggestions built on it.
#include "config/suggest.hpp"

#include <algorithm>
#include <cctype>

#include <fmt/format.h>

namespace centinela::config {
namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

std::size_t edit_distance(std::string_view a, std::string_view b) {
  // Optimal string alignment: Levenshtein plus swaps of adjacent letters, the commonest typing
  // slip ("nmae" is one edit from "name"). Keys are short, so the full table is cheap.
  std::vector<std::vector<std::size_t>> d(a.size() + 1, std::vector<std::size_t>(b.size() + 1));
  for (std::size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (std::size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.size()][b.size()];
}

std::string closest_match(std::string_view word, const std::vector<std::string_view>& candidates) {
  const std::string needle = lower(word);
  // Two edits catch the usual slips (a dropped letter, a swap); requiring less than half the
  // word to change keeps "id" from "suggesting" every other two-letter key.
  std::string best;
  std::size_t best_distance = 3;
  for (const auto candidate : candidates) {
    const std::size_t d = edit_distance(needle, lower(candidate));
    if (d < best_distance && 2 * d < needle.size()) {
      best_distance = d;
      best = std::string(candidate);
    }
  }
  return best;
}

std::string suggestion_hint(std::string_view word, const std::vector<std::string_view>& candidates) {
  if (auto best = closest_match(word, candidates); !best.empty())
    return fmt::format("did you mean \"{}\"?", best);
  if (candidates.empty()) return {};
  return fmt::format("expected one of: {}", fmt::join(candidates, ", "));
}

}  // namespace centinela::config

#include "dispatcher/intake/region_guess.hpp"

#include "dispatcher/intake/text_fold.hpp"

namespace centinela::intake {

std::string guess_region(std::string_view text, const RegionTree& regions,
                         const std::vector<std::string>& sender_regions) {
  for (auto word : split_words(text)) {
    const auto folded = fold_word(word);
    if (const auto* r = regions.by_keyword(folded)) return r->id;
    // "90022" and "90022-1234" both name the ZIP code 90022.
    if (folded.size() >= 5 && regions.by_zip(folded.substr(0, 5)) &&
        (folded.size() == 5 || folded[5] == '-'))
      return regions.by_zip(folded.substr(0, 5))->id;
  }
  if (sender_regions.size() == 1 && regions.find(sender_regions.front())) return sender_regions.front();
  return {};
}

}  // namespace centinela::intake

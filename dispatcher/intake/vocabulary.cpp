#include "dispatcher/intake/vocabulary.hpp"

#include "dispatcher/intake/opt_out_request.hpp"
#include "dispatcher/intake/text_fold.hpp"

namespace centinela::intake {

std::string Vocabulary::language(std::string_view folded_word) const {
  const auto it = language_by_keyword.find(folded_word);
  return it == language_by_keyword.end() ? std::string{} : it->second;
}

Vocabulary make_vocabulary(const config::Config& config) {
  Vocabulary v;
  const auto keywords = config.languages.empty() ? config::default_language_keywords() : config.languages;
  for (const auto& [code, entry] : keywords) {
    if (!config.templates.contains(code)) continue;  // a keyword must never pick a language we cannot send
    for (const auto& k : entry.keywords) v.language_by_keyword.emplace(fold_word(k), code);
  }
  for (const auto& [code, _] : config.templates) v.language_by_keyword.emplace(fold_word(code), code);
  for (const auto& w : config.members.opt_out_words)
    if (auto c = canonical_request(w); !c.empty()) v.extra_opt_outs.insert(std::move(c));
  return v;
}

}  // namespace centinela::intake

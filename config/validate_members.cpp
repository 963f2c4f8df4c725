// Checks of the member settings: the join confirmation window, the language keywords (each names
// a language that has templates, and picks exactly one thing) and the extra opt-out words.
#include <array>
#include <map>
#include <string>

#include <fmt/format.h>

#include "config/keyword_fold.hpp"
#include "config/suggest.hpp"
#include "config/validate_detail.hpp"

namespace centinela::config::detail {
namespace {

// Words the member command parser owns: a language keyword or an extra opt-out word equal to
// one would make "JOIN EASTLA ES" or "START" mean two things.
constexpr std::array<std::string_view, 12> command_words{
    "JOIN", "LEAVE", "SALIR", "START", "UNSTOP", "YES", "SI", "HELP", "INFO", "AYUDA", "REPORT", "NO"};

bool has_space(std::string_view s) {
  for (const char c : s)
    if (std::isspace(static_cast<unsigned char>(c))) return true;
  return false;
}

bool is_command_word(std::string_view folded) {
  for (const auto w : command_words)
    if (w == folded) return true;
  return false;
}

void check_language_keywords(Reporter& r, const Config& c) {
  std::map<std::string, std::string> region_keywords;  // folded keyword -> region id
  for (const auto& region : c.regions)
    for (const auto& k : region.keywords) region_keywords.emplace(fold_word(k), region.id);
  std::vector<std::string_view> template_languages;
  for (const auto& [language, _] : c.templates) template_languages.push_back(language);

  std::map<std::string, std::string> seen;  // folded keyword -> the path that first used it
  for (const auto& [language, entry] : c.languages) {
    const std::string path = "languages." + language;
    if (!c.templates.contains(language))
      r.error(path, fmt::format("no templates for language \"{}\"", language),
              template_languages.empty() ? std::string{"add a templates: section for it"}
                                         : suggestion_hint(language, template_languages));
    // The code itself is a keyword too ("ES"): count it so another language cannot claim it.
    seen.emplace(fold_word(language), path);
    for (std::size_t i = 0; i < entry.keywords.size(); ++i) {
      const std::string kpath = fmt::format("{}.keywords[{}]", path, i);
      const std::string& keyword = entry.keywords[i];
      const std::string folded = fold_word(keyword);
      if (keyword.empty() || has_space(keyword)) {
        r.error(kpath, "must be one word", "members text it alone or after JOIN <area>, e.g. \"ESPAÑOL\"");
      } else if (is_command_word(folded)) {
        r.error(kpath, fmt::format("\"{}\" is a command word", keyword), "choose another keyword");
      } else if (auto it = region_keywords.find(folded); it != region_keywords.end()) {
        r.error(kpath, fmt::format("\"{}\" is also a keyword of region \"{}\"", keyword, it->second),
                "a keyword must pick either an area or a language");
      } else if (auto [first, fresh] = seen.emplace(folded, path); !fresh && first->second != path) {
        r.error(kpath, fmt::format("\"{}\" already picks {}", keyword, first->second),
                "each keyword may pick only one language");
      }
    }
  }
}

void check_opt_out_words(Reporter& r, const Config& c) {
  for (std::size_t i = 0; i < c.members.opt_out_words.size(); ++i) {
    const std::string path = fmt::format("members.opt_out_words[{}]", i);
    const std::string folded = fold_word(c.members.opt_out_words[i]);
    if (folded.find_first_not_of(" \t") == std::string::npos) {
      r.error(path, "is empty", "a word or phrase that means \"stop texting me\", e.g. \"ARRET\"");
    } else if (is_command_word(folded)) {
      r.error(path, fmt::format("\"{}\" is a command word", c.members.opt_out_words[i]),
              "an opt-out word must not also join, confirm or ask for help");
    }
  }
}

}  // namespace

void validate_members(Reporter& r, const Config& c) {
  if (c.members.join_confirmation_window.count() <= 0)
    r.error("members.join_confirmation_window", "must be longer than zero",
            "how long a JOIN waits for its YES, e.g. \"24h\"");
  check_language_keywords(r, c);
  check_opt_out_words(r, c);
}

}  // namespace centinela::config::detail

// Checks of message templates: the default language is complete, every key and placeholder is
// one the dispatcher knows, and braces are balanced. A language missing a key is only a warning,
// since the dispatcher falls back to the default language.
#include <algorithm>
#include <cctype>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "config/suggest.hpp"
#include "config/template_render.hpp"
#include "config/templates.hpp"
#include "config/validate_detail.hpp"

namespace centinela::config::detail {
namespace {

// "en", "es", "pt-BR", "zh-Hant": what members send after JOIN <keyword>.
bool is_language_code(std::string_view code) {
  const auto dash = code.find('-');
  const std::string_view base = code.substr(0, dash);
  if (base.size() < 2 || base.size() > 3) return false;
  for (const char c : base)
    if (c < 'a' || c > 'z') return false;
  if (dash == std::string_view::npos) return true;
  const std::string_view sub = code.substr(dash + 1);
  if (sub.size() < 2 || sub.size() > 8) return false;
  for (const char c : sub)
    if (!std::isalnum(static_cast<unsigned char>(c))) return false;
  return true;
}

std::string braces_list(const std::vector<std::string_view>& names) {
  if (names.empty()) return "none";
  std::string out;
  for (const auto name : names) out += fmt::format("{}{{{}}}", out.empty() ? "" : " ", name);
  return out;
}

void check_text(Reporter& r, const std::string& path, const TemplateSpec& spec,
                const std::string& text) {
  if (text.empty()) {
    r.error(path, "is empty", fmt::format("write the text for: {}", spec.purpose));
    return;
  }
  const TemplateScan scan = scan_template(text);
  if (!scan.ok()) {
    r.error(path, fmt::format("{} at character {}", scan.error, scan.error_offset + 1),
            "placeholders are written {name}; write \"{{\" and \"}}\" for literal braces");
    return;
  }
  const auto allowed = allowed_placeholders(spec);
  for (const auto& name : scan.placeholders) {
    if (std::find(allowed.begin(), allowed.end(), name) != allowed.end()) continue;
    std::string hint = fmt::format("\"{}\" may use: {}", spec.key, braces_list(allowed));
    if (auto close = closest_match(name, allowed); !close.empty())
      hint = fmt::format("did you mean {{{}}}? {}", close, hint);
    r.error(path, fmt::format("unknown placeholder {{{}}}", name), hint);
  }
}

}  // namespace

void validate_templates(Reporter& r, const Config& c) {
  std::vector<std::string_view> languages;
  for (const auto& [language, _] : c.templates) languages.push_back(language);
  if (c.default_language.empty()) {
    r.error("default_language", "is required", "e.g. \"en\"");
  } else if (!c.templates.contains(c.default_language)) {
    r.error("default_language",
            fmt::format("no templates for the default language \"{}\"", c.default_language),
            languages.empty() ? std::string{"add a templates: section for it"}
                              : suggestion_hint(c.default_language, languages));
  }
  if (c.templates.empty()) return;  // the default_language error above already says it all

  std::vector<std::string_view> keys;
  for (const auto& spec : template_specs) keys.push_back(spec.key);
  for (const auto& [language, texts] : c.templates) {
    const std::string lang_path = "templates." + language;
    if (!is_language_code(language))
      r.error(lang_path, fmt::format("\"{}\" is not a language code", language),
              "use a code such as \"en\", \"es\" or \"pt-BR\"");
    for (const auto& [key, text] : texts) {
      const std::string path = lang_path + "." + key;
      if (const TemplateSpec* spec = find_template_spec(key)) {
        check_text(r, path, *spec, text);
      } else {
        r.error(path, fmt::format("unknown template key \"{}\"", key), suggestion_hint(key, keys));
      }
    }
    const bool is_default = language == c.default_language;
    for (const auto& spec : template_specs) {
      if (texts.contains(std::string{spec.key})) continue;
      // The built-in English text serves when the default language has none either.
      const bool builtin_serves =
          !spec.builtin.empty() && (is_default || !c.templates.contains(c.default_language) ||
                                    !c.templates.at(c.default_language).contains(std::string{spec.key}));
      if (builtin_serves) continue;
      if (is_default) {
        r.error(lang_path,
                fmt::format("default language \"{}\" has no \"{}\" template", language, spec.key),
                fmt::format("every message needs a text in the default language ({})",
                            spec.purpose));
      } else {
        r.warning(lang_path, fmt::format("no \"{}\" template", spec.key),
                  fmt::format("members whose language is \"{}\" will get the \"{}\" text",
                              language, c.default_language));
      }
    }
  }
}

}  // namespace centinela::config::detail

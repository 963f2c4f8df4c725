// Scanning, rendering and language fallback of message templates.
#include "config/template_render.hpp"

#include <stdexcept>

#include <fmt/format.h>

namespace centinela::config {
namespace {

bool is_name_start(char c) { return (c >= 'a' && c <= 'z') || c == '_'; }
bool is_name_char(char c) { return is_name_start(c) || (c >= '0' && c <= '9'); }

// Calls on_text(piece) for literal text and on_placeholder(name) for each {name}; stops at the
// first malformed brace and returns its description (empty when the whole template is fine).
template <class OnText, class OnPlaceholder>
std::string walk_template(std::string_view t, std::size_t& offset, OnText on_text,
                          OnPlaceholder on_placeholder) {
  std::size_t i = 0;
  while (i < t.size()) {
    const char c = t[i];
    if (c == '{' && i + 1 < t.size() && t[i + 1] == '{') {
      on_text(std::string_view{"{"});
      i += 2;
    } else if (c == '}' && i + 1 < t.size() && t[i + 1] == '}') {
      on_text(std::string_view{"}"});
      i += 2;
    } else if (c == '}') {
      offset = i;
      return "unbalanced \"}\"";
    } else if (c == '{') {
      const std::size_t close = t.find('}', i + 1);
      if (close == std::string_view::npos) {
        offset = i;
        return "unbalanced \"{\"";
      }
      const std::string_view name = t.substr(i + 1, close - i - 1);
      bool valid = !name.empty() && is_name_start(name[0]);
      for (const char n : name) valid = valid && is_name_char(n);
      if (!valid) {
        offset = i;
        return fmt::format("\"{{{}}}\" is not a placeholder: names are lower-case letters, "
                           "digits and '_'",
                           name);
      }
      on_placeholder(name);
      i = close + 1;
    } else {
      const std::size_t next = t.find_first_of("{}", i);
      const std::size_t end = next == std::string_view::npos ? t.size() : next;
      on_text(t.substr(i, end - i));
      i = end;
    }
  }
  return {};
}

}  // namespace

TemplateScan scan_template(std::string_view tmpl) {
  TemplateScan scan;
  scan.error = walk_template(
      tmpl, scan.error_offset, [](std::string_view) {},
      [&](std::string_view name) { scan.placeholders.emplace_back(name); });
  return scan;
}

std::vector<std::string_view> allowed_placeholders(const TemplateSpec& spec) {
  std::vector<std::string_view> names;
  std::string_view rest = spec.placeholders;
  while (!rest.empty()) {
    const std::size_t space = rest.find(' ');
    const std::string_view word = rest.substr(0, space);
    if (!word.empty()) names.push_back(word);
    if (space == std::string_view::npos) break;
    rest.remove_prefix(space + 1);
  }
  return names;
}

std::string render_template(std::string_view tmpl,
                            const std::map<std::string, std::string>& values) {
  std::string out;
  out.reserve(tmpl.size() + 64);
  std::size_t error_offset = 0;
  const std::string error = walk_template(
      tmpl, error_offset, [&](std::string_view text) { out.append(text); },
      [&](std::string_view name) {
        if (auto it = values.find(std::string{name}); it != values.end()) {
          out.append(it->second);
        } else {
          out.append("{").append(name).append("}");
        }
      });
  if (!error.empty()) out.append(tmpl.substr(error_offset));  // copy the rest through as written
  return out;
}

std::string_view template_for(const Config& config, std::string_view language, std::string_view key) {
  const std::string key_string{key};
  if (auto lang = config.templates.find(std::string{language}); lang != config.templates.end()) {
    if (auto text = lang->second.find(key_string); text != lang->second.end()) return text->second;
  }
  if (auto lang = config.templates.find(config.default_language); lang != config.templates.end()) {
    if (auto text = lang->second.find(key_string); text != lang->second.end()) return text->second;
  }
  if (const auto* spec = find_template_spec(key); spec && !spec->builtin.empty()) return spec->builtin;
  throw std::out_of_range(fmt::format("no template \"{}\" in language \"{}\" nor in the default "
                                      "language \"{}\"",
                                      key, language, config.default_language));
}

}  // namespace centinela::config

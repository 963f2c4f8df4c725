// Message templates: "{name}" placeholders, "{{" and "}}" for literal braces. One scanner serves
// both check-config (which placeholders does a template use, are its braces balanced) and the
// dispatcher's rendering, so what validates is exactly what renders.
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.hpp"
#include "config/templates.hpp"

namespace centinela::config {

struct TemplateScan {
  std::vector<std::string> placeholders;  // names used, in order, repeats included
  std::string error;                      // empty when the braces are well-formed
  std::size_t error_offset = 0;           // byte offset into the template of the first error
  bool ok() const { return error.empty(); }
};

// Placeholder names are [a-z_][a-z0-9_]*; "{ region }", "{Region}" or a lone "{" are errors.
TemplateScan scan_template(std::string_view tmpl);

// The placeholders a spec allows: "region time summary" -> {"region", "time", "summary"}.
std::vector<std::string_view> allowed_placeholders(const TemplateSpec& spec);

// Replaces each {name} with values.at(name). A name with no value is left as "{name}", visibly,
// rather than silently dropping part of a message; check-config has already rejected names the
// spec does not allow, so this only happens when dispatcher code forgets to pass a value.
// Malformed braces (not possible in a validated config) are copied through unchanged.
std::string render_template(std::string_view tmpl, const std::map<std::string, std::string>& values);

// The text for `key` in `language`, falling back to the default language when that language
// lacks it or is not configured at all, then to the spec's built-in text. Validation guarantees
// the default language has every key without one; a key outside template_specs is a programming
// error and throws std::out_of_range.
std::string_view template_for(const Config& config, std::string_view language, std::string_view key);

}  // namespace centinela::config

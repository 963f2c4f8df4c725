// Shared by the config unit tests: a small valid configuration as YAML text, and an environment
// the tests control instead of the process's.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "config/loader.hpp"
#include "config/template_render.hpp"
#include "config/templates.hpp"

namespace centinela::config::testing {

inline const std::string operator_hash = "sha256:" + std::string(64, 'b');
inline const std::string intake_hash = "sha256:" + std::string(64, 'a');

// One template text per key, using every placeholder the key allows, so the fixture follows
// template_specs as it grows.
inline std::string templates_yaml(std::string_view language) {
  std::string out = fmt::format("  {}:\n", language);
  for (const auto& spec : template_specs) {
    std::string text = fmt::format("{} text", spec.key);
    for (const auto name : allowed_placeholders(spec)) text += fmt::format(" {{{}}}", name);
    out += fmt::format("    {}: \"{}\"\n", spec.key, text);
  }
  return out;
}

// A complete, valid configuration. Tests put their own lines *before* it (so the line numbers
// they assert are the ones they wrote) or replace a section.
inline std::string minimal_yaml() {
  return "organization_contact: \"Test Network\"\n"
         "intake_token_hash: \"" + intake_hash + "\"\n"
         "regions:\n"
         "  - id: la\n"
         "    name: Los Angeles\n"
         "    keywords: [LACOUNTY]\n"
         "  - id: la-east\n"
         "    name: East Los Angeles\n"
         "    parent: la\n"
         "    keywords: [EASTLA, ELA]\n"
         "    zip_codes: [\"90022\", \"90063\"]\n"
         "operators:\n"
         "  - name: Op\n"
         "    phone: \"+12135550123\"\n"
         "    regions: [la]\n"
         "    api_token_hash: \"" + operator_hash + "\"\n"
         "providers:\n"
         "  - name: console\n"
         "    type: console\n"
         "    senders:\n"
         "      - number: \"+12135550100\"\n"
         "        messages_per_second: 1\n"
         "templates:\n" +
         templates_yaml("en");
}

// The fixture with its operators section removed and `operators` put first, so the line numbers
// a test asserts are the ones it wrote (line 1 is the test's first line).
inline std::string with_operators(std::string_view operators) {
  std::string yaml = minimal_yaml();
  const auto begin = yaml.find("operators:\n");
  const auto end = yaml.find("providers:\n");
  yaml.erase(begin, end - begin);
  return std::string{operators} + yaml;
}

inline EnvLookup env_from(std::map<std::string, std::string> vars) {
  return [vars = std::move(vars)](const std::string& name) -> std::optional<std::string> {
    if (auto it = vars.find(name); it != vars.end()) return it->second;
    return std::nullopt;
  };
}

inline LoadResult load(std::string_view yaml, std::map<std::string, std::string> env = {}) {
  return load_config_from_string(yaml, "test.yaml", env_from(std::move(env)));
}

// All problems as lines, for readable failure messages.
inline std::string dump(const LoadResult& r) {
  std::string out;
  for (const auto& line : format_problems(r)) out += line + "\n";
  return out;
}

// The first error whose path is `path`, or nullptr.
inline const ConfigProblem* error_at(const LoadResult& r, std::string_view path) {
  for (const auto& p : r.errors)
    if (p.path == path) return &p;
  return nullptr;
}

}  // namespace centinela::config::testing

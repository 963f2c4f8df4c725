// Shared by the config unit tests: a small valid configuration as YAML text, an environment the
// tests control instead of the process's, and checks of the problems a load reports.
#pragma once

#include <map>
#include <optional>
#include <source_location>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "config/loader.hpp"
#include "config/template_render.hpp"
#include "config/templates.hpp"

// The config tests open this namespace, so they use what follows without a using-declaration each.
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
         "time_zone: \"America/Los_Angeles\"\n"  // here: the lines above keep the numbers tests assert
         "templates:\n" +
         templates_yaml("en");
}

// `yaml` with `text` put in just before the first `marker` (say, a key inside a region).
inline std::string insert_before(std::string yaml, std::string_view marker, std::string_view text) {
  return yaml.insert(yaml.find(marker), text);
}

// `yaml` with everything from `begin` up to (not including) the next `end` replaced by `text`.
inline std::string replace_between(std::string yaml, std::string_view begin, std::string_view end,
                                   std::string_view text) {
  const auto from = yaml.find(begin);
  return yaml.replace(from, yaml.find(end, from) - from, text);
}

// The fixture with its operators section removed and `operators` put first, so the line numbers
// a test asserts are the ones it wrote (line 1 is the test's first line).
inline std::string with_operators(std::string_view operators) {
  return std::string{operators} + replace_between(minimal_yaml(), "operators:\n", "providers:\n", "");
}

// The fixture with its regions section replaced by `regions` (the operator covers "la").
inline std::string with_regions(std::string_view regions) {
  return replace_between(minimal_yaml(), "regions:\n", "operators:\n", regions);
}

// The fixture with its providers section (the "providers:" line included) replaced by `providers`.
inline std::string with_providers(std::string_view providers) {
  return replace_between(minimal_yaml(), "providers:\n", "time_zone:", providers);
}

// The fixture with its top-level time_zone line replaced by `time_zone` (empty: no such key).
inline std::string with_time_zone(std::string_view time_zone) {
  return replace_between(minimal_yaml(), "time_zone:", "templates:\n", time_zone);
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

// What a test expects of one problem; a field left empty is not checked. Designated
// initializers keep a check readable: {.line = 3, .column = 5, .hint = "did you mean ..."}.
struct Expected {
  std::optional<std::string_view> path;
  std::optional<int> line;
  std::optional<int> column;
  std::optional<std::string_view> message;
  std::optional<std::string_view> message_part;  // the message contains it
  std::optional<std::string_view> hint;
};

// The first problem in `problems` whose path is `path`, or nullptr.
inline const ConfigProblem* find_at(const std::vector<ConfigProblem>& problems,
                                    std::string_view path) {
  for (const auto& p : problems)
    if (p.path == path) return &p;
  return nullptr;
}

// Whether `p` is as `want` says; a failure names every field that differs.
inline ::testing::AssertionResult matches(const ConfigProblem& p, const Expected& want) {
  std::string wrong;
  const auto check = [&wrong](std::string_view field, const auto& actual, const auto& expected) {
    if (expected && actual != *expected)
      wrong += fmt::format("\n  {} is {}, expected {}", field, ::testing::PrintToString(actual),
                           ::testing::PrintToString(*expected));
  };
  check("path", p.path, want.path);
  check("line", p.line, want.line);
  check("column", p.column, want.column);
  check("message", p.message, want.message);
  check("hint", p.hint, want.hint);
  if (want.message_part && p.message.find(*want.message_part) == std::string::npos)
    wrong += fmt::format("\n  message {} does not contain {}", ::testing::PrintToString(p.message),
                         ::testing::PrintToString(*want.message_part));
  if (wrong.empty()) return ::testing::AssertionSuccess() << format_problem(p);
  return ::testing::AssertionFailure() << format_problem(p) << wrong;
}

namespace detail {
inline ::testing::AssertionResult has_problem(const LoadResult& r,
                                              const std::vector<ConfigProblem>& problems,
                                              std::string_view kind, std::string_view path,
                                              const Expected& want) {
  const ConfigProblem* p = find_at(problems, path);
  if (p == nullptr)
    return ::testing::AssertionFailure() << "no " << kind << " at " << path << "; all problems:\n"
                                         << dump(r);
  ::testing::AssertionResult result = matches(*p, want);
  if (!result) result << "\nall problems:\n" << dump(r);
  return result;
}
}  // namespace detail

// Whether the first error at `path` exists and is as `want` says. A failure lists every problem;
// under EXPECT_FALSE, a success shows the error that should not be there.
inline ::testing::AssertionResult has_error(const LoadResult& r, std::string_view path,
                                            const Expected& want = {}) {
  return detail::has_problem(r, r.errors, "error", path, want);
}

// The same for warnings.
inline ::testing::AssertionResult has_warning(const LoadResult& r, std::string_view path,
                                              const Expected& want = {}) {
  return detail::has_problem(r, r.warnings, "warning", path, want);
}

// The first error at `path`, for checks an Expected cannot say. A missing one ends the test like
// an ASSERT: gtest reports the exception, whose text is the caller's position and every problem.
inline const ConfigProblem& error_at(const LoadResult& r, std::string_view path,
                                     std::source_location where = std::source_location::current()) {
  if (const ConfigProblem* p = find_at(r.errors, path)) return *p;
  throw std::runtime_error(fmt::format("{}:{}: no error at {}; all problems:\n{}", where.file_name(),
                                       where.line(), path, dump(r)));
}

}  // namespace centinela::config::testing

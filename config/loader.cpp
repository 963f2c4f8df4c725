// load_config: parse, then validate, then merge both lists of problems into one report.
#include "config/loader.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <limits>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "config/parse.hpp"
#include "config/validate.hpp"

namespace centinela::config {
namespace {

// A field the parser could not read keeps its default, and the validator may then complain
// about that default too ("is required" after "expected a string"). The parser's message is
// the precise one, so the validator's about the same node or anything below it is dropped.
std::vector<ConfigProblem> without_echoes(std::vector<ConfigProblem> checks,
                                          const std::vector<ConfigProblem>& parse_errors) {
  std::erase_if(checks, [&](const ConfigProblem& p) {
    return std::any_of(parse_errors.begin(), parse_errors.end(), [&](const ConfigProblem& e) {
      return !e.path.empty() && path_is_within(p.path, e.path);
    });
  });
  return checks;
}

void sort_by_position(std::vector<ConfigProblem>& problems) {
  // Unknown positions (line 0) go last; ties keep discovery order.
  std::stable_sort(problems.begin(), problems.end(), [](const auto& a, const auto& b) {
    const auto key = [](const ConfigProblem& p) {
      return std::pair{p.line == 0 ? std::numeric_limits<int>::max() : p.line, p.column};
    };
    return key(a) < key(b);
  });
}

}  // namespace

LoadResult load_config_from_string(std::string_view text, std::string_view name,
                                   const EnvLookup& env) {
  ParsedConfig parsed = parse_config(text, name, env);
  LoadResult result;
  result.errors = std::move(parsed.errors);
  const bool syntax_failed = std::any_of(result.errors.begin(), result.errors.end(),
                                         [](const ConfigProblem& p) { return p.path.empty(); });
  if (!syntax_failed) {
    // Validate even when some fields failed to parse: the remaining problems are still real,
    // and an operator fixing the file wants them all in one pass.
    ValidationReport report = validate(parsed.config, parsed.positions);
    auto checks = without_echoes(std::move(report.errors), result.errors);
    result.errors.insert(result.errors.end(), std::make_move_iterator(checks.begin()),
                         std::make_move_iterator(checks.end()));
    result.warnings = std::move(report.warnings);
  }
  sort_by_position(result.errors);
  sort_by_position(result.warnings);
  result.positions = std::move(parsed.positions);
  if (result.errors.empty()) result.config = std::move(parsed.config);
  return result;
}

LoadResult load_config(const std::string& path, const EnvLookup& env) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    LoadResult result;
    result.errors.push_back(ConfigProblem{path, 0, 0, "",
                                          fmt::format("cannot read the file: {}",
                                                      std::strerror(errno)),
                                          "check the path given to --config", Severity::error});
    return result;
  }
  std::ostringstream text;
  text << in.rdbuf();
  return load_config_from_string(text.str(), path, env);
}

std::vector<std::string> format_problems(const LoadResult& result) {
  std::vector<std::string> lines;
  for (const auto& p : result.errors) lines.push_back(format_problem(p));
  for (const auto& p : result.warnings) lines.push_back(format_problem(p));
  return lines;
}

}  // namespace centinela::config

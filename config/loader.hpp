// Loading the configuration: read the file, parse the YAML, resolve ${ENV_VAR} secrets and
// validate, reporting every problem at once. The service and `centinela check-config` both
// start here; nothing else in the dispatcher touches YAML.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.hpp"
#include "config/env_refs.hpp"
#include "config/problem.hpp"

namespace centinela::config {

struct LoadResult {
  std::optional<Config> config;          // present exactly when `errors` is empty
  std::vector<ConfigProblem> errors;     // sorted by position; the service must not start
  std::vector<ConfigProblem> warnings;   // printed by check-config; do not stop the service
  SourceMap positions;                   // path -> line/column, for later messages
  bool ok() const { return errors.empty(); }
};

// Reads and validates the YAML file at `path`. An unreadable file is one error (no line).
LoadResult load_config(const std::string& path, const EnvLookup& env = process_environment());

// The same from text already in memory; `name` stands in for the file name in problems.
LoadResult load_config_from_string(std::string_view text, std::string_view name,
                                   const EnvLookup& env = process_environment());

// Every error, then every warning, one format_problem line each, for check-config and startup.
std::vector<std::string> format_problems(const LoadResult& result);

}  // namespace centinela::config

// YAML text -> Config, without semantic validation: syntax, unknown keys, types, durations and
// ${ENV_VAR} secrets. Most callers want load_config (loader.hpp), which also validates.
#pragma once

#include <string_view>
#include <vector>

#include "config/config.hpp"
#include "config/env_refs.hpp"
#include "config/problem.hpp"

namespace centinela::config {

struct ParsedConfig {
  Config config;                       // defaults, overridden by whatever could be read
  SourceMap positions;                 // document path -> line/column, for the validator
  std::vector<ConfigProblem> errors;   // everything that could not be read
};

// `name` labels problems and becomes Config::source_path.
ParsedConfig parse_config(std::string_view text, std::string_view name, const EnvLookup& env);

// Default console output when a console provider names none.
inline constexpr std::string_view default_console_output = "var/console-outbox.jsonl";

}  // namespace centinela::config

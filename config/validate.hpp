// Semantic checks of a whole Config, run at startup and by `centinela check-config`: every
// problem at once, each with the YAML position of the offending node when the config came from
// a file. Errors stop the service; warnings are printed but do not.
#pragma once

#include <string_view>
#include <vector>

#include "config/config.hpp"
#include "config/problem.hpp"

namespace centinela::config {

struct ValidationReport {
  std::vector<ConfigProblem> errors;    // the service must not start with any of these
  std::vector<ConfigProblem> warnings;  // worth fixing, safe to run (e.g. a template fallback)
  bool ok() const { return errors.empty(); }
};

// `positions` comes from the loader; with an empty map (a Config built in code) problems carry
// their document path but no line/column.
ValidationReport validate(const Config& config, const SourceMap& positions = {});

// "sha256:" followed by 64 lower-case hex digits, as `centinela hash-token` prints.
bool is_token_hash(std::string_view text);

// Lower-case letters, digits, '-' and '_', starting with a letter or digit: region ids and
// provider names appear in URLs, SQL rows and log lines, so keep them plain.
bool is_plain_id(std::string_view text);

}  // namespace centinela::config

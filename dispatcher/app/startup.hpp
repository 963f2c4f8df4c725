// Start-up helpers shared by the subcommands: option parsing and loading the configuration with
// every problem printed.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "config/config.hpp"

namespace centinela::app {

// "--name value" pairs; every name in `required` must appear and nothing outside `allowed`
// (which includes `required`) may. Prints a usage error and returns nullopt otherwise.
std::optional<std::map<std::string, std::string>> parse_options(const std::vector<std::string>& args,
                                                                const std::set<std::string>& required,
                                                                const std::set<std::string>& optional = {});

// Loads and validates; prints every error and warning to stderr. nullopt when there are errors.
std::optional<config::Config> load_config_or_report(const std::string& path);

// CENTINELA_DATA_KEY, or nullopt when it is unset or empty.
std::optional<std::string> data_key_from_env();

}  // namespace centinela::app

#include "dispatcher/app/startup.hpp"

#include <cstdlib>
#include <iostream>

#include "config/loader.hpp"

namespace centinela::app {

std::optional<std::map<std::string, std::string>> parse_options(const std::vector<std::string>& args,
                                                                const std::set<std::string>& required,
                                                                const std::set<std::string>& optional) {
  std::map<std::string, std::string> out;
  for (std::size_t i = 0; i < args.size(); i += 2) {
    const auto& name = args[i];
    if (!required.count(name) && !optional.count(name)) {
      std::cerr << "centinela: unknown option '" << name << "'\n";
      return std::nullopt;
    }
    if (i + 1 >= args.size()) {
      std::cerr << "centinela: option '" << name << "' needs a value\n";
      return std::nullopt;
    }
    out[name] = args[i + 1];
  }
  for (const auto& name : required) {
    if (!out.count(name)) {
      std::cerr << "centinela: option '" << name << "' is required\n";
      return std::nullopt;
    }
  }
  return out;
}

std::optional<std::string> data_key_from_env() {
  const char* key = std::getenv("CENTINELA_DATA_KEY");
  if (!key || !*key) return std::nullopt;
  return std::string(key);
}

std::optional<config::Config> load_config_or_report(const std::string& path) {
  auto result = config::load_config(path);
  for (const auto& line : config::format_problems(result)) std::cerr << line << "\n";
  if (!result.ok()) return std::nullopt;
  return std::move(*result.config);
}

}  // namespace centinela::app

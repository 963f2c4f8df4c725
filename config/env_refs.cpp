// Parsing and resolution of ${ENV_VAR} references.
#include "config/env_refs.hpp"

#include <cctype>
#include <cstdlib>

#include <fmt/format.h>

namespace centinela::config {
namespace {

bool valid_env_name(std::string_view name) {
  if (name.empty()) return false;
  if (std::isdigit(static_cast<unsigned char>(name[0]))) return false;
  for (const char c : name)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_')) return false;
  return true;
}

}  // namespace

EnvLookup process_environment() {
  return [](const std::string& name) -> std::optional<std::string> {
    const char* value = std::getenv(name.c_str());
    if (value == nullptr) return std::nullopt;
    return std::string{value};
  };
}

std::optional<std::string> whole_env_reference(std::string_view text) {
  if (text.size() < 4 || !text.starts_with("${") || !text.ends_with("}")) return std::nullopt;
  const std::string_view name = text.substr(2, text.size() - 3);
  if (!valid_env_name(name)) return std::nullopt;
  return std::string{name};
}

Interpolated interpolate_env(std::string_view text, const EnvLookup& env) {
  Interpolated out;
  std::size_t i = 0;
  while (i < text.size()) {
    const std::size_t start = text.find("${", i);
    if (start == std::string_view::npos) {
      out.text.append(text.substr(i));
      break;
    }
    out.text.append(text.substr(i, start - i));
    const std::size_t close = text.find('}', start + 2);
    if (close == std::string_view::npos) {
      out.syntax_error = fmt::format("\"${{\" at offset {} is never closed by \"}}\"", start);
      return out;
    }
    const std::string name{text.substr(start + 2, close - start - 2)};
    if (!valid_env_name(name)) {
      out.syntax_error = fmt::format(
          "\"${{{}}}\" is not a valid environment variable name (letters, digits, '_')", name);
      return out;
    }
    if (auto value = env(name)) {
      out.text.append(*value);
    } else {
      out.unset.push_back(name);
    }
    i = close + 1;
  }
  return out;
}

}  // namespace centinela::config

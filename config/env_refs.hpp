// ${ENV_VAR} references: the only way secrets enter the configuration, so a config file can be
// committed, copied and pasted into a bug report without leaking a provider account.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace centinela::config {

// Looks an environment variable up; nullopt when unset. Tests pass their own.
using EnvLookup = std::function<std::optional<std::string>(const std::string& name)>;

// The real process environment (getenv).
EnvLookup process_environment();

// "${TWILIO_AUTH_TOKEN}" -> "TWILIO_AUTH_TOKEN"; nullopt unless the whole text is exactly one
// reference with a valid name ([A-Za-z_][A-Za-z0-9_]*).
std::optional<std::string> whole_env_reference(std::string_view text);

struct Interpolated {
  std::string text;                  // every ${NAME} replaced; unset ones replaced by nothing
  std::vector<std::string> unset;    // names referenced but not set, in order of appearance
  std::string syntax_error;          // e.g. an unterminated "${"; empty when fine
};

// Replaces every ${NAME} inside `text` (e.g. a database URL carrying a password). A '$' not
// followed by '{' is kept as is, since libpq conninfo strings may legitimately contain one.
Interpolated interpolate_env(std::string_view text, const EnvLookup& env);

}  // namespace centinela::config

// The `centinela` command line: each subcommand is a function from its arguments to an exit code.
#pragma once

#include <string>
#include <vector>

namespace centinela::app {

// Exit codes: 0 success, 1 runtime failure, 2 bad usage or bad configuration.
inline constexpr int exit_ok = 0;
inline constexpr int exit_failure = 1;
inline constexpr int exit_usage = 2;

int run_serve(const std::vector<std::string>& args);
int run_migrate(const std::vector<std::string>& args);
int run_check_config(const std::vector<std::string>& args);
int run_keygen(const std::vector<std::string>& args);
int run_hash_token(const std::vector<std::string>& args);

}  // namespace centinela::app

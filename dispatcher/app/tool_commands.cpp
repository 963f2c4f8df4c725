// The small subcommands: migrate, check-config, keygen, hash-token.
#include <unistd.h>

#include <iostream>
#include <memory>

#include <pqxx/pqxx>

#include "config/loader.hpp"
#include "dispatcher/app/commands.hpp"
#include "dispatcher/app/startup.hpp"
#include "dispatcher/core/token_hash.hpp"
#include "dispatcher/storage/conninfo.hpp"
#include "dispatcher/storage/crypto.hpp"
#include "dispatcher/storage/migrations.hpp"

namespace centinela::app {

int run_migrate(const std::vector<std::string>& args) {
  const auto options = parse_options(args, {"--config"});
  if (!options) return exit_usage;
  const auto cfg = load_config_or_report(options->at("--config"));
  if (!cfg) return exit_usage;
  try {
    // The key is needed only by steps that encrypt what older versions stored in clear.
    std::unique_ptr<storage::DataCipher> cipher;
    if (const auto key = data_key_from_env()) cipher = std::make_unique<storage::DataCipher>(*key);
    // Fail fast on a dead server, but let a migration's statements (an index over a large table)
    // take as long as they take.
    auto limits = storage::connection_defaults(cfg->database);
    limits.statement_timeout = std::chrono::milliseconds{0};
    pqxx::connection conn(storage::with_connection_defaults(cfg->database.url, limits));
    const auto applied = storage::migrate(conn, cipher.get());
    if (applied.empty()) {
      std::cout << "database is up to date\n";
    } else {
      for (int v : applied) std::cout << "applied migration " << v << "\n";
    }
    return exit_ok;
  } catch (const std::exception& e) {
    std::cerr << "centinela migrate: " << e.what() << "\n";
    return exit_failure;
  }
}

int run_check_config(const std::vector<std::string>& args) {
  if (args.size() != 1) {
    std::cerr << "usage: centinela check-config FILE\n";
    return exit_usage;
  }
  const auto cfg = load_config_or_report(args[0]);
  if (!cfg) return exit_usage;
  std::cout << args[0] << ": ok (" << cfg->regions.size() << " regions, " << cfg->operators.size()
            << " operators, " << cfg->providers.size() << " providers)\n";
  return exit_ok;
}

int run_keygen(const std::vector<std::string>& args) {
  if (!args.empty()) {
    std::cerr << "usage: centinela keygen\n";
    return exit_usage;
  }
  std::cout << storage::DataCipher::generate_key_hex() << "\n";
  return exit_ok;
}

int run_hash_token(const std::vector<std::string>& args) {
  if (args.size() > 1) {
    std::cerr << "usage: centinela hash-token [TOKEN]\n";
    return exit_usage;
  }
  std::string token;
  if (!args.empty()) {
    token = args[0];
  } else if (!isatty(STDIN_FILENO)) {
    std::getline(std::cin, token);  // keeps the token out of shell history and `ps`
  }
  if (token.empty()) {
    token = generate_token();
    std::cout << "token: " << token << "\n";
  }
  std::cout << hash_token(token) << "\n";
  return exit_ok;
}

}  // namespace centinela::app

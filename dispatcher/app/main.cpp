// centinela: entry point. Dispatches to one subcommand; see `centinela help`.
#include <cstdio>
#include <iostream>
#include <string>
#include <vector>

#include "dispatcher/app/commands.hpp"

namespace {

constexpr const char* usage = R"(usage: centinela <command> [options]

commands:
  serve --config FILE [--listen HOST:PORT] [--ready-file PATH]
        run the dispatcher (needs CENTINELA_DATA_KEY and a migrated database)
  migrate --config FILE     apply pending database migrations
  check-config FILE         validate a configuration; every problem with file:line:column
  keygen                    print a new data key for CENTINELA_DATA_KEY
  hash-token [TOKEN]        print the config hash of an API token (a new token when none given)
)";

}  // namespace

int main(int argc, char** argv) {
  using namespace centinela::app;
  if (argc < 2) {
    std::cerr << usage;
    return exit_usage;
  }
  const std::string command = argv[1];
  const std::vector<std::string> args(argv + 2, argv + argc);
  if (command == "serve") return run_serve(args);
  if (command == "migrate") return run_migrate(args);
  if (command == "check-config") return run_check_config(args);
  if (command == "keygen") return run_keygen(args);
  if (command == "hash-token") return run_hash_token(args);
  if (command == "help" || command == "--help" || command == "-h") {
    std::cout << usage;
    return exit_ok;
  }
  std::cerr << "centinela: unknown command '" << command << "'\n" << usage;
  return exit_usage;
}

// `centinela serve`: wires the service together and runs it until SIGTERM/SIGINT. One thread
// runs all network I/O (HTTP server and provider clients); the database pool has its own.
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>

#include <spdlog/spdlog.h>

#include "dispatcher/api/http_server.hpp"
#include "dispatcher/app/commands.hpp"
#include "dispatcher/app/logging.hpp"
#include "dispatcher/app/startup.hpp"
#include "dispatcher/core/context.hpp"
#include "dispatcher/fanout/fanout_engine.hpp"
#include "dispatcher/storage/migrations.hpp"
#include "providers/registry.hpp"

namespace centinela::app {
namespace {

// Written only once the listener is bound, and atomically (rename), so a test that sees the file
// can connect at once.
void write_ready_file(const std::string& path, const std::string& address) {
  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << address << "\n";
    if (!out) throw std::runtime_error("cannot write the ready file " + path);
  }
  std::filesystem::rename(tmp, path);
}

std::optional<std::string> data_key_from_env() {
  const char* key = std::getenv("CENTINELA_DATA_KEY");
  if (!key || !*key) return std::nullopt;
  return std::string(key);
}

struct Service {
  asio::io_context io{1};
  SystemClock clock;
  std::unique_ptr<storage::DataCipher> cipher;
  std::unique_ptr<storage::DbPool> db;
  std::unique_ptr<Context> ctx;
  std::unique_ptr<fanout::FanoutEngine> fanout;
  std::unique_ptr<api::ApiContext> api;
  std::unique_ptr<api::HttpServer> server;
};

asio::awaitable<void> shut_down(Service& s, std::chrono::milliseconds grace) {
  spdlog::info("event=shutdown_started grace_ms={}", grace.count());
  s.server->stop_accepting();
  co_await s.server->drain(grace);
  co_await s.fanout->stop();
  spdlog::info("event=shutdown_complete");
  s.io.stop();
}

void log_escape(std::string_view what, std::exception_ptr e) {
  if (!e) return;
  try {
    std::rethrow_exception(e);
  } catch (const std::exception& ex) {
    spdlog::critical("event=task_failed task={} what={}", what, ex.what());
  }
}

}  // namespace

int run_serve(const std::vector<std::string>& args) {
  const auto options = parse_options(args, {"--config"}, {"--listen", "--ready-file"});
  if (!options) return exit_usage;
  auto cfg = load_config_or_report(options->at("--config"));
  if (!cfg) return exit_usage;
  if (options->count("--listen")) cfg->server.listen = options->at("--listen");
  const auto key = data_key_from_env();
  if (!key) {
    std::cerr << "centinela serve: CENTINELA_DATA_KEY is not set (create one with `centinela keygen` and "
                 "keep it: stored phone numbers cannot be read without it)\n";
    return exit_usage;
  }
  configure_logging();

  Service s;
  try {
    s.cipher = std::make_unique<storage::DataCipher>(*key);
    s.db = std::make_unique<storage::DbPool>(cfg->database.url, cfg->database.pool_threads);
    const auto pending = s.db->run_blocking([](pqxx::connection& c) { return storage::pending_migrations(c); });
    if (!pending.empty()) {
      spdlog::critical("event=schema_behind pending={} hint=\"run centinela migrate --config FILE\"", pending.size());
      return exit_failure;
    }
    s.ctx = std::make_unique<Context>(*cfg, *s.cipher, s.clock);
    std::vector<std::shared_ptr<providers::Provider>> providers;
    for (const auto& p : cfg->providers) providers.push_back(providers::make_provider(p, s.io.get_executor()));
    s.fanout = std::make_unique<fanout::FanoutEngine>(s.io.get_executor(), *s.ctx, *s.db, providers);
    s.api = std::make_unique<api::ApiContext>(api::ApiContext{*s.ctx, *s.db, *s.fanout, {}});
    for (const auto& p : providers) s.api->providers.emplace(std::string(p->name()), p);
    s.server = std::make_unique<api::HttpServer>(s.io.get_executor(), *s.api, cfg->server);
    const auto bound = s.server->listen(cfg->server.listen);
    spdlog::info("event=listening address={} public_url={}", bound, cfg->server.public_base_url);
    if (options->count("--ready-file")) write_ready_file(options->at("--ready-file"), bound);
  } catch (const std::exception& e) {
    spdlog::critical("event=startup_failed what={}", e.what());
    return exit_failure;
  }

  asio::signal_set signals(s.io, SIGINT, SIGTERM);
  signals.async_wait([&s, grace = cfg->server.shutdown_grace](const error_code& ec, int) {
    if (ec) return;
    asio::co_spawn(s.io, shut_down(s, grace), [](std::exception_ptr e) { log_escape("shutdown", e); });
  });
  asio::co_spawn(s.io, s.fanout->start(), [](std::exception_ptr e) { log_escape("fanout_start", e); });
  asio::co_spawn(s.io, s.server->run(), [](std::exception_ptr e) { log_escape("http_accept", e); });
  s.io.run();
  return exit_ok;
}

}  // namespace centinela::app

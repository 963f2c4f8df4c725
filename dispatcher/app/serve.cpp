// `centinela serve`: wires the service together and runs it until SIGTERM/SIGINT. One thread
// runs all network I/O (HTTP server and provider clients); the database pool has its own.
#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>

#include <pqxx/pqxx>
#include <spdlog/spdlog.h>

#include "dispatcher/api/http_server.hpp"
#include "dispatcher/app/commands.hpp"
#include "dispatcher/app/escalation_loop.hpp"
#include "dispatcher/app/fd_limit.hpp"
#include "dispatcher/app/logging.hpp"
#include "dispatcher/app/startup.hpp"
#include "dispatcher/core/context.hpp"
#include "dispatcher/fanout/fanout_engine.hpp"
#include "dispatcher/storage/conninfo.hpp"
#include "dispatcher/storage/data_key_check.hpp"
#include "dispatcher/storage/migrations.hpp"
#include "providers/common/url.hpp"
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

// One `serve` per database: a second one would requeue the first one's texts in flight at start-up
// and send them again. A session-level advisory lock, held for the life of the process, says so.
constexpr long long serve_lock_id = 0x43454e55;  // "CENU"

std::unique_ptr<pqxx::connection> lock_single_instance(const std::string& conninfo) {
  auto conn = std::make_unique<pqxx::connection>(conninfo);
  pqxx::nontransaction tx{*conn};
  if (!tx.exec_params1("SELECT pg_try_advisory_lock($1)", serve_lock_id)[0].as<bool>()) return nullptr;
  return conn;
}

// Unsigned webhooks are only acceptable where nobody else can reach them.
bool console_on_public_address(const config::Config& cfg) {
  const auto host = cfg.server.listen.substr(0, cfg.server.listen.rfind(':'));
  const bool loopback = is_loopback_host(host.size() > 2 && host.front() == '[' ? host.substr(1, host.size() - 2) : host);
  for (const auto& p : cfg.providers)
    if (p.type == "console" && !loopback) return true;
  return false;
}

// Descriptors kept out of the HTTP server's reach: the process's own (logs, epoll, timers, the
// listener, refusals in progress), one per database thread and the instance lock, and every
// provider connection.
int descriptors_reserved(const config::Config& cfg) {
  int reserved = 128 + cfg.database.pool_threads + 1;
  for (const auto& p : cfg.providers) reserved += std::max(1, p.max_connections);
  return reserved;
}

// Raises the descriptor limit and lowers server.max_connections to what fits in it, saying so:
// a cap the kernel cannot give would turn a flood of idle sockets back into failed accepts.
void fit_connections_to_fd_limit(config::Config& cfg) {
  const FdLimit fds = raise_fd_limit();
  const int wanted = cfg.server.max_connections;
  const int fit = connections_that_fit(fds.soft, wanted, descriptors_reserved(cfg));
  spdlog::info("event=fd_limit soft={} hard={} max_connections={}", fds.soft, fds.hard, fit);
  if (fit < wanted) {
    spdlog::warn("event=max_connections_lowered configured={} using={} hint=\"raise LimitNOFILE (ulimit -n)\"",
                 wanted, fit);
    cfg.server.max_connections = fit;
  }
}

struct Service {
  int exit_code = exit_ok;
  asio::io_context io{1};
  std::unique_ptr<pqxx::connection> instance_lock;
  SystemClock clock;
  std::unique_ptr<storage::DataCipher> cipher;
  std::unique_ptr<storage::DbPool> db;
  std::unique_ptr<Context> ctx;
  std::unique_ptr<fanout::FanoutEngine> fanout;
  std::unique_ptr<EscalationLoop> escalation;
  std::unique_ptr<api::ApiContext> api;
  std::unique_ptr<api::HttpServer> server;
};

asio::awaitable<void> shut_down(Service& s, std::chrono::milliseconds grace) {
  spdlog::info("event=shutdown_started grace_ms={}", grace.count());
  s.server->stop_accepting();
  co_await s.server->drain(grace);
  s.escalation->stop();
  co_await s.fanout->stop();
  spdlog::info("event=shutdown_complete");
  s.io.stop();
}

// A part of the service that must run has stopped: exit non-zero so the supervisor (systemd's
// Restart=always) starts a fresh process, rather than answer webhooks that nothing will send.
void fail(Service& s, std::string_view what) {
  spdlog::critical("event=service_failed part={} action=exit", what);
  s.exit_code = exit_failure;
  s.io.stop();
}

auto fail_on_exception(Service& s, std::string_view what) {
  return [&s, what](std::exception_ptr e) {
    if (!e) return;
    try {
      std::rethrow_exception(e);
    } catch (const std::exception& ex) {
      spdlog::critical("event=task_failed task={} what={}", what, ex.what());
    }
    fail(s, what);
  };
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
  if (console_on_public_address(*cfg)) {
    std::cerr << "centinela serve: the console provider's webhooks are unsigned; it only runs on a loopback "
                 "address, not " << cfg->server.listen << "\n";
    return exit_usage;
  }
  configure_logging();
  fit_connections_to_fd_limit(*cfg);

  Service s;
  try {
    const std::string conninfo =
        storage::with_connection_defaults(cfg->database.url, storage::connection_defaults(cfg->database));
    s.instance_lock = lock_single_instance(conninfo);
    if (!s.instance_lock) {
      spdlog::critical("event=already_running hint=\"another centinela serve uses this database\"");
      return exit_failure;
    }
    s.cipher = std::make_unique<storage::DataCipher>(*key);
    s.db = std::make_unique<storage::DbPool>(conninfo, cfg->database.pool_threads,
                                             storage::DbPoolOptions{.call_timeout = cfg->database.call_timeout});
    const auto pending = s.db->run_blocking([](pqxx::connection& c) { return storage::pending_migrations(c); });
    if (!pending.empty()) {
      spdlog::critical("event=schema_behind pending={} hint=\"run centinela migrate --config FILE\"", pending.size());
      return exit_failure;
    }
    if (s.db->run_blocking([&](pqxx::connection& c) { return storage::check_data_key(c, *s.cipher, s.clock.now()); }) ==
        storage::DataKeyCheck::wrong_key) {
      // Refuse rather than fail every text one by one: the stored numbers open only with their key.
      std::cerr << "centinela serve: CENTINELA_DATA_KEY is not the key this database's data was sealed with; "
                   "start it with the original key (the quick start keeps it in var/data.key)\n";
      spdlog::critical("event=wrong_data_key action=refuse_to_start");
      return exit_failure;
    }
    s.ctx = std::make_unique<Context>(*cfg, *s.cipher, s.clock);
    std::vector<std::shared_ptr<providers::Provider>> providers;
    for (const auto& p : cfg->providers) providers.push_back(providers::make_provider(p, s.io.get_executor()));
    s.fanout = std::make_unique<fanout::FanoutEngine>(s.io.get_executor(), *s.ctx, *s.db, providers);
    s.fanout->on_failure([&s](std::string_view what) { fail(s, what); });
    s.escalation = std::make_unique<EscalationLoop>(s.io.get_executor(), *s.ctx, *s.db, [&s] { s.fanout->wake(); });
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
    asio::co_spawn(s.io, shut_down(s, grace), fail_on_exception(s, "shutdown"));
  });
  asio::co_spawn(s.io, s.fanout->start(), fail_on_exception(s, "fanout_start"));
  asio::co_spawn(s.io, s.server->run(), fail_on_exception(s, "http_accept"));
  asio::co_spawn(s.io, s.escalation->run(), fail_on_exception(s, "escalation"));
  s.io.run();
  // Database work still queued may use the context and the API: finish it (the pool joins) while
  // they are alive, before members are destroyed in reverse order.
  s.server.reset();
  s.db.reset();
  return s.exit_code;
}

}  // namespace centinela::app

// centinela-fake-provider: impersonates Twilio's Messages API on loopback for tests and
// benchmarks. Start-up order: flags -> record file -> TLS -> listeners -> ready file -> serve.
#include <utility>  // first: Boost 1.74's awaitable.hpp uses std::exchange without including it

#include <csignal>
#include <cstdio>
#include <fstream>
#include <random>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/ssl/context.hpp>
#include <nlohmann/json.hpp>

#include "tests/fake_provider/server.hpp"

namespace asio = boost::asio;
using asio::ip::tcp;
using boost::system::error_code;
namespace fp = centinela::fake_provider;

namespace {

constexpr int exit_usage = 2;

bool open_listener(tcp::acceptor& acc, const fp::ListenAddress& where, const char* what) {
  const tcp::endpoint ep{where.address, where.port};
  error_code ec;
  acc.open(ep.protocol(), ec);
  if (!ec) acc.set_option(tcp::acceptor::reuse_address(true), ec);
  if (!ec) acc.bind(ep, ec);
  if (!ec) acc.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) std::fprintf(stderr, "event=listen_failed listener=%s error=%s\n", what, ec.message().c_str());
  return !ec;
}

bool setup_tls(asio::ssl::context& tls, const fp::Options& o) {
  error_code ec;
  tls.set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2 |
                      asio::ssl::context::no_sslv3 | asio::ssl::context::no_tlsv1 | asio::ssl::context::no_tlsv1_1,
                  ec);
  if (!ec) tls.use_certificate_chain_file(o.tls_cert, ec);
  if (!ec) tls.use_private_key_file(o.tls_key, asio::ssl::context::pem, ec);
  if (ec) std::fprintf(stderr, "event=tls_setup_failed error=%s\n", ec.message().c_str());
  return !ec;
}

// Tmp file + rename: a test polling for the file never reads half of it.
bool write_ready_file(const std::string& path, const nlohmann::json& addresses) {
  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << addresses.dump() << '\n';
    if (!out.flush()) return false;
  }
  return std::rename(tmp.c_str(), path.c_str()) == 0;
}

}  // namespace

int main(int argc, char** argv) {
  const std::vector<std::string_view> args(argv + 1, argv + argc);
  auto parsed = fp::parse_options(args);
  if (auto* msg = std::get_if<std::string>(&parsed)) {
    const bool help = args.size() == 1 && (args[0] == "--help" || args[0] == "-h");
    std::fputs(msg->c_str(), help ? stdout : stderr);
    std::fputc('\n', help ? stdout : stderr);
    return help ? 0 : exit_usage;
  }
  const fp::Options& opts = std::get<fp::Options>(parsed);

  fp::Store store;
  if (!opts.record_file.empty() && !store.open_record_file(opts.record_file)) {
    std::fprintf(stderr, "event=record_open_failed path=%s\n", opts.record_file.c_str());
    return exit_usage;
  }
  if (!opts.request_log_file.empty() && !store.open_request_log(opts.request_log_file)) {
    std::fprintf(stderr, "event=request_log_open_failed path=%s\n", opts.request_log_file.c_str());
    return exit_usage;
  }
  fp::FaultInjector faults;
  if (auto err = faults.apply(opts.faults)) {
    std::fprintf(stderr, "bad fault flags: %s\n", err->c_str());
    return exit_usage;
  }
  fp::SidGenerator sids{std::random_device{}() * 0x100000000ull + std::random_device{}()};
  asio::ssl::context tls{asio::ssl::context::tls_server};
  if (opts.https && !setup_tls(tls, opts)) return exit_usage;

  asio::io_context ioc{1};  // one thread owns every piece of state: no locks anywhere
  tcp::acceptor http_acceptor{ioc}, https_acceptor{ioc};
  nlohmann::json ready = nlohmann::json::object();
  if (opts.http) {
    if (!open_listener(http_acceptor, *opts.http, "http")) return exit_usage;
    ready["http"] = fp::format_listen(opts.http->address, http_acceptor.local_endpoint().port());
  }
  if (opts.https) {
    if (!open_listener(https_acceptor, *opts.https, "https")) return exit_usage;
    ready["https"] = fp::format_listen(opts.https->address, https_acceptor.local_endpoint().port());
  }

  fp::CallbackSender callbacks{ioc.get_executor(), store,
                               {opts.account_sid, opts.auth_token, opts.callback_delay, opts.callback_concurrency,
                                opts.max_pending_callbacks}};
  fp::App app{opts, store, faults, sids, opts.callbacks ? &callbacks : nullptr};
  if (opts.callbacks) callbacks.start();
  auto log_end = [](const char* which) {
    return [which](std::exception_ptr e) {
      if (e) std::fprintf(stderr, "event=accept_loop_failed listener=%s\n", which);
    };
  };
  if (opts.http) asio::co_spawn(ioc, fp::accept_loop(http_acceptor, app, nullptr), log_end("http"));
  if (opts.https) asio::co_spawn(ioc, fp::accept_loop(https_acceptor, app, &tls), log_end("https"));

  asio::signal_set signals{ioc, SIGINT, SIGTERM};
  signals.async_wait([&](const error_code&, int sig) {
    std::fprintf(stderr, "event=stopping signal=%d\n", sig);
    error_code ignored;  // closing a closed acceptor is harmless
    http_acceptor.close(ignored);
    https_acceptor.close(ignored);
    callbacks.stop();
    ioc.stop();  // open sessions are torn down with the io_context: this is a test double
  });

  if (!opts.ready_file.empty() && !write_ready_file(opts.ready_file, ready)) {
    std::fprintf(stderr, "event=ready_file_failed path=%s\n", opts.ready_file.c_str());
    return exit_usage;
  }
  std::fprintf(stderr, "event=listening addresses=%s\n", ready.dump().c_str());
  ioc.run();
  return 0;
}

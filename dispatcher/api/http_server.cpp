#include "dispatcher/api/http_server.hpp"

#include <array>
#include <cerrno>
#include <memory>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <pqxx/except>

#include <spdlog/spdlog.h>

#include "dispatcher/api/connection_table.hpp"
#include "dispatcher/api/router.hpp"
#include "dispatcher/storage/db_failure.hpp"
#include "dispatcher/storage/safe_error.hpp"

namespace centinela::api {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using Request = http::request<http::string_body>;
using Response = http::response<http::string_body>;

constexpr std::size_t header_limit = 8 * 1024;
constexpr std::size_t first_read_bytes = 4 * 1024;  // the first read of a request: most fit whole
constexpr auto accept_error_pause = std::chrono::milliseconds{100};
// Refusals (429, 503) get this long to be written and their request drained, and at most this
// many are in progress: past that a newcomer is closed at once, without an answer.
constexpr auto refusal_linger = std::chrono::seconds{1};
constexpr int max_refusing = 64;
constexpr int overload_retry_after_seconds = 1;  // room is made by closing idle connections: soon
constexpr auto overload_log_interval = std::chrono::seconds{10};

WebRequest to_web_request(const Request& req) {
  WebRequest out;
  out.method = std::string(req.method_string());
  out.target = std::string(req.target());
  for (const auto& field : req) {
    std::string name(field.name_string());
    for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    out.headers[name] = std::string(field.value());
  }
  out.body = req.body();
  return out;
}

Response to_beast(const WebResponse& r, unsigned version) {
  Response res{static_cast<http::status>(r.status), version};
  res.set(http::field::server, "centinela");
  res.set(http::field::content_type, r.content_type);
  for (const auto& [name, value] : r.headers) res.set(name, value);
  res.body() = r.body;
  return res;
}

// The one place where a failed request gets its answer. A database that cannot be reached (or
// gave up: statement_timeout, shutdown) is a 503 the client may retry: nothing was stored, or,
// when the connection was lost during the commit, it may have been, and a retried webhook is
// applied once either way. Anything else is a bug: a bare 500. SQL errors are logged by
// SQLSTATE only: their text can echo row values, and rows hold phone numbers.
asio::awaitable<WebResponse> handle_safely(const WebRequest& req, ApiContext& api) {
  try {
    co_return co_await route(req, api);
  } catch (const std::exception& e) {
    if (storage::is_database_unavailable(e)) {
      spdlog::warn("event=request_failed kind=database_unavailable what={}", storage::safe_what(e));
      co_return unavailable_response(storage::is_outcome_unknown(e)
                                         ? "the database connection was lost while storing this request: it may or "
                                           "may not be stored; retry shortly (a retried webhook is applied once)"
                                         : "the database is unavailable; nothing was stored, retry shortly");
    }
    if (const auto* sql = dynamic_cast<const pqxx::sql_error*>(&e)) {
      spdlog::error("event=request_failed kind=sql sqlstate={}", sql->sqlstate());
    } else {
      spdlog::error("event=request_failed kind=internal what={}", storage::safe_what(e));
    }
  }
  co_return error_response(500, "internal", "the request failed; nothing was changed unless it was answered 2xx");
}

std::pair<std::string, std::string> split_host_port(const std::string& host_port) {
  const auto colon = host_port.rfind(':');
  if (colon == std::string::npos) throw std::invalid_argument("listen address must be host:port");
  auto host = host_port.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  return {host, host_port.substr(colon + 1)};
}

void log_escape(std::string_view what, std::exception_ptr e) {
  if (!e) return;
  try {
    std::rethrow_exception(e);
  } catch (const std::exception& ex) {
    spdlog::error("event={}_failed what={}", what, ex.what());
  }
}

// One admitted connection: the stream lives on the heap so the table's pointer to its socket
// stays valid; the entry is declared last, so it unregisters before the socket goes.
struct Connection {
  std::unique_ptr<beast::tcp_stream> stream;
  ConnectionTable::Entry entry;
};

ConnectionTable::Limits limits_of(const config::ServerConfig& cfg) {
  ConnectionTable::Limits limits{cfg.max_connections, config::per_address_limit(cfg), {}};
  for (const auto& text : cfg.trusted_proxies)
    if (const auto block = config::parse_address_block(text)) limits.trusted.push_back(*block);  // validated
  return limits;
}

}  // namespace

struct HttpServer::Impl {
  asio::any_io_executor ex;
  ApiContext& api;
  config::ServerConfig cfg;
  tcp::acceptor acceptor;
  ConnectionTable table;
  bool accepting = true;
  int in_flight = 0;  // requests being handled or answered
  asio::steady_timer idle;
  int refusing = 0;  // refusals being written
  ConnectionTable::Counters logged;  // counters as of the last overload log line
  std::chrono::steady_clock::time_point logged_at{};

  Impl(asio::any_io_executor e, ApiContext& a, const config::ServerConfig& c)
      : ex(e), api(a), cfg(c), acceptor(e), table(limits_of(c)), idle(e, asio::steady_timer::time_point::max()) {}

  asio::awaitable<void> write(beast::tcp_stream& stream, Response& res, error_code& ec) {
    res.prepare_payload();
    stream.expires_after(cfg.write_timeout);
    co_await http::async_write(stream, res, ec_into(ec));
  }

  // Waits for the first byte of the next request within idle_timeout, the connection marked idle
  // meanwhile: the first to be closed when a newcomer needs room. False: closed (by the peer, the
  // idle timeout or for a newcomer).
  asio::awaitable<bool> await_request(Connection& c, beast::flat_buffer& buffer) {
    if (buffer.size() > 0) co_return true;  // a pipelined request is already here
    c.entry.idle();
    c.stream->expires_after(cfg.idle_timeout);
    error_code ec;
    const std::size_t n = co_await c.stream->async_read_some(buffer.prepare(first_read_bytes), ec_into(ec));
    c.entry.busy();
    if (ec || c.entry.evicted()) co_return false;
    buffer.commit(n);
    co_return true;
  }

  asio::awaitable<void> session(Connection c) {
    beast::tcp_stream& stream = *c.stream;
    beast::flat_buffer buffer;
    error_code ec;
    while (co_await await_request(c, buffer)) {
      http::request_parser<http::string_body> parser;
      parser.header_limit(header_limit);
      parser.body_limit(cfg.max_body_bytes);
      stream.expires_after(cfg.read_timeout);  // the whole request, from its first byte
      co_await http::async_read(stream, buffer, parser, ec_into(ec));
      if (ec == http::error::end_of_stream) break;
      if (ec == http::error::body_limit || ec == http::error::header_limit) {
        // Answer, don't just drop: a client (or a provider) needs the 413 to know why.
        const bool body = ec == http::error::body_limit;
        Response res = to_beast(body ? error_response(413, "body_too_large",
                                                      "the body exceeds " + std::to_string(cfg.max_body_bytes) + " bytes")
                                     : error_response(431, "headers_too_large", "the request headers are too large"),
                                11);
        res.keep_alive(false);
        co_await write(stream, res, ec);
        break;
      }
      if (ec == beast::error::timeout || ec == asio::error::connection_reset || ec == asio::error::eof) break;
      if (ec) {
        Response res = to_beast(error_response(400, "malformed_http", "the request could not be parsed"), 11);
        res.keep_alive(false);
        co_await write(stream, res, ec);
        break;
      }
      const Request& req = parser.get();
      ++in_flight;
      // Not a conditional expression: g++ 12 mishandles temporaries around a co_await inside ?:.
      WebResponse answer;
      if (accepting) {
        const WebRequest web_request = to_web_request(req);
        answer = co_await handle_safely(web_request, api);
      } else {
        answer = error_response(503, "shutting_down", "the service is stopping; retry shortly");
      }
      Response res = to_beast(answer, req.version());
      res.keep_alive(accepting && req.keep_alive());
      if (answer.status == 503 && res.find(http::field::retry_after) == res.end())
        res.set(http::field::retry_after, std::to_string(unavailable_retry_after_seconds));
      co_await write(stream, res, ec);
      if (--in_flight == 0 && !accepting) idle.cancel();
      if (ec || !res.keep_alive()) break;
    }
    stream.socket().shutdown(tcp::socket::shutdown_send, ec);  // the peer may be gone (or evicted): fine
  }

  // Answers a connection that cannot be admitted, then closes it. The client's request (if it
  // sent one) is read and dropped for a moment first: closing with it unread would send a reset,
  // which can destroy our answer before the client has read it.
  asio::awaitable<void> refuse(std::unique_ptr<beast::tcp_stream> stream, WebResponse answer) {
    struct Counted {
      int& n;
      explicit Counted(int& count) : n(count) { ++n; }
      ~Counted() { --n; }
    } counted(refusing);
    Response res = to_beast(answer, 11);
    res.keep_alive(false);
    res.set(http::field::retry_after, std::to_string(overload_retry_after_seconds));
    res.prepare_payload();
    error_code ec;
    stream->expires_after(refusal_linger);
    co_await http::async_write(*stream, res, ec_into(ec));
    stream->socket().shutdown(tcp::socket::shutdown_send, ec);
    std::array<char, 1024> sink{};
    while (!ec) co_await stream->async_read_some(asio::buffer(sink), ec_into(ec));
  }

  void admit(tcp::socket socket) {
    error_code ec;
    const auto remote = socket.remote_endpoint(ec);
    if (ec) return;  // already gone: the socket closes here
    auto stream = std::make_unique<beast::tcp_stream>(std::move(socket));
    auto admission = table.admit(remote.address(), stream->socket());
    log_shedding();
    if (!admission.entry) {
      if (refusing >= max_refusing) return;  // a flood of refusals: close at once, keep the descriptors
      const bool peer = admission.refused_for == Room::from_peer;
      WebResponse answer = peer ? error_response(429, "too_many_connections", "too many connections from your address")
                                : error_response(503, "overloaded", "every connection is busy; retry shortly");
      auto refusal = [this, s = std::move(stream), a = std::move(answer)]() mutable {
        return refuse(std::move(s), std::move(a));
      };
      asio::co_spawn(ex, std::move(refusal), [](std::exception_ptr e) { log_escape("http_refusal", e); });
      return;
    }
    auto run = [this, c = Connection{std::move(stream), std::move(*admission.entry)}]() mutable {
      return session(std::move(c));
    };
    asio::co_spawn(ex, std::move(run), [](std::exception_ptr e) { log_escape("http_session", e); });
  }

  // One line per interval at most: a flood of idle sockets must not become a flood of log lines.
  void log_shedding() {
    const auto& now_counts = table.counters();
    const auto now = std::chrono::steady_clock::now();
    const long long evicted = now_counts.evicted_idle - logged.evicted_idle;
    const long long busy = now_counts.refused_busy - logged.refused_busy;
    const long long peer = now_counts.refused_peer - logged.refused_peer;
    if (evicted + busy + peer == 0 || now - logged_at < overload_log_interval) return;
    spdlog::warn("event=http_connections_shed closed_idle={} refused_busy={} refused_per_address={} open={} max={}",
                 evicted, busy, peer, table.open(), cfg.max_connections);
    logged = now_counts;
    logged_at = now;
  }
};

HttpServer::HttpServer(asio::any_io_executor ex, ApiContext& api, const config::ServerConfig& cfg)
    : impl_(std::make_unique<Impl>(ex, api, cfg)) {}

HttpServer::~HttpServer() = default;

std::string HttpServer::listen(const std::string& host_port) {
  const auto [host, port] = split_host_port(host_port);
  tcp::resolver resolver(impl_->ex);
  const auto endpoint = *resolver.resolve(host, port, tcp::resolver::passive | tcp::resolver::numeric_service).begin();
  auto& acceptor = impl_->acceptor;
  acceptor.open(endpoint.endpoint().protocol());
  acceptor.set_option(asio::socket_base::reuse_address(true));
  acceptor.bind(endpoint.endpoint());
  acceptor.listen(asio::socket_base::max_listen_connections);
  const auto bound = acceptor.local_endpoint();
  const auto address = bound.address().to_string();
  return (bound.address().is_v6() ? "[" + address + "]" : address) + ":" + std::to_string(bound.port());
}

// Never waits for room: a full server closes an idle connection or refuses the newcomer at once,
// so no request queues behind idle sockets in the listen backlog.
asio::awaitable<void> HttpServer::run() {
  auto& impl = *impl_;
  for (;;) {
    error_code ec;
    tcp::socket socket = co_await impl.acceptor.async_accept(ec_into(ec));
    if (ec == asio::error::operation_aborted || !impl.acceptor.is_open()) co_return;
    if (ec == asio::error::no_descriptors || ec == error_code(ENFILE, boost::system::system_category())) {
      // Out of descriptors: an idle connection gives one back, and the next accept can use it.
      if (impl.table.shed_idle()) continue;
    }
    if (ec) {
      // Retrying at once would spin the only network thread, which also sends the alerts.
      spdlog::warn("event=accept_failed error={}", ec.message());
      asio::steady_timer pause(impl.ex, accept_error_pause);
      co_await pause.async_wait(ec_into(ec));
      continue;
    }
    impl.admit(std::move(socket));
  }
}

void HttpServer::stop_accepting() {
  impl_->accepting = false;
  error_code ec;
  impl_->acceptor.close(ec);
  impl_->table.close_idle();  // kept-alive connections between requests: nothing to finish there
}

asio::awaitable<void> HttpServer::drain(std::chrono::milliseconds grace) {
  auto& impl = *impl_;
  const auto deadline = std::chrono::steady_clock::now() + grace;
  while (impl.in_flight > 0 && std::chrono::steady_clock::now() < deadline) {
    impl.idle.expires_at(deadline);
    error_code ec;
    co_await impl.idle.async_wait(ec_into(ec));
  }
}

}  // namespace centinela::api

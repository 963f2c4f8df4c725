#include "dispatcher/api/http_server.hpp"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <pqxx/except>

#include <spdlog/spdlog.h>

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
// Open connections at most. Each idle one costs a descriptor until its read deadline; past this
// the listener waits, so a flood of idle sockets cannot take the descriptors that provider and
// database connections need.
constexpr int max_sessions = 1024;
constexpr auto accept_error_pause = std::chrono::milliseconds{100};

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
// gave up: statement_timeout, shutdown) is a 503 the client may retry: nothing was stored, and a
// retried webhook is applied once. Anything else is a bug: a bare 500. SQL errors are logged by
// SQLSTATE only: their text can echo row values, and rows hold phone numbers.
asio::awaitable<WebResponse> handle_safely(const WebRequest& req, ApiContext& api) {
  try {
    co_return co_await route(req, api);
  } catch (const std::exception& e) {
    if (storage::is_database_unavailable(e)) {
      spdlog::warn("event=request_failed kind=database_unavailable what={}", storage::safe_what(e));
      co_return unavailable_response("the database is unavailable; nothing was stored, retry shortly");
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

}  // namespace

struct HttpServer::Impl {
  asio::any_io_executor ex;
  ApiContext& api;
  config::ServerConfig cfg;
  tcp::acceptor acceptor;
  bool accepting = true;
  int in_flight = 0;  // requests being handled or answered
  asio::steady_timer idle;
  int sessions = 0;
  asio::steady_timer session_ended;  // wakes the accept loop when it waits at max_sessions

  Impl(asio::any_io_executor e, ApiContext& a, const config::ServerConfig& c)
      : ex(e),
        api(a),
        cfg(c),
        acceptor(e),
        idle(e, asio::steady_timer::time_point::max()),
        session_ended(e, asio::steady_timer::time_point::max()) {}

  asio::awaitable<void> write(beast::tcp_stream& stream, Response& res, error_code& ec) {
    res.prepare_payload();
    stream.expires_after(cfg.write_timeout);
    co_await http::async_write(stream, res, ec_into(ec));
  }

  asio::awaitable<void> session(beast::tcp_stream stream) {
    beast::flat_buffer buffer;
    error_code ec;
    for (;;) {
      http::request_parser<http::string_body> parser;
      parser.header_limit(header_limit);
      parser.body_limit(cfg.max_body_bytes);
      stream.expires_after(cfg.read_timeout);
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
    stream.socket().shutdown(tcp::socket::shutdown_send, ec);  // the peer may be gone: fine
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

asio::awaitable<void> HttpServer::run() {
  auto& impl = *impl_;
  for (;;) {
    error_code ec;
    while (impl.sessions >= max_sessions && impl.acceptor.is_open()) {
      co_await impl.session_ended.async_wait(ec_into(ec));  // cancelled when a session ends
    }
    tcp::socket socket = co_await impl.acceptor.async_accept(ec_into(ec));
    if (ec == asio::error::operation_aborted || !impl.acceptor.is_open()) co_return;
    if (ec) {
      // Out of descriptors (EMFILE) and the like: retrying at once would spin the only network
      // thread that also sends the alerts.
      spdlog::warn("event=accept_failed error={}", ec.message());
      asio::steady_timer pause(impl.ex, accept_error_pause);
      co_await pause.async_wait(ec_into(ec));
      continue;
    }
    Impl* owner = &impl;
    ++impl.sessions;
    auto session = [owner, s = std::move(socket)]() mutable { return owner->session(beast::tcp_stream(std::move(s))); };
    asio::co_spawn(impl.ex, std::move(session), [owner](std::exception_ptr e) {
      --owner->sessions;
      owner->session_ended.cancel();
      if (!e) return;
      try {
        std::rethrow_exception(e);
      } catch (const std::exception& ex) {
        spdlog::error("event=http_session_failed what={}", ex.what());
      }
    });
  }
}

void HttpServer::stop_accepting() {
  impl_->accepting = false;
  error_code ec;
  impl_->acceptor.close(ec);
  impl_->session_ended.cancel();  // an accept loop waiting at max_sessions sees the close
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

// Accept loops and sessions of the fake provider (see server.hpp).
#include "tests/fake_provider/server.hpp"

#include <cstdio>
#include <exception>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

namespace centinela::fake_provider {

namespace asio = boost::asio;
namespace beast = boost::beast;
using boost::system::error_code;
using asio::ip::tcp;

namespace {

inline auto ec_into(error_code& ec) { return asio::redirect_error(asio::use_awaitable, ec); }

// Clients keep pooled connections idle between bursts; a short idle timeout would turn into
// spurious "connection reset" retries in the dispatcher's tests.
constexpr auto idle_timeout = std::chrono::seconds(60);
constexpr auto read_timeout = std::chrono::seconds(30);
constexpr auto write_timeout = std::chrono::seconds(30);  // GET /_messages can be ~40 MB
constexpr auto handshake_timeout = std::chrono::seconds(10);
constexpr std::size_t header_limit = 8 * 1024;
constexpr std::size_t body_limit = 64 * 1024;  // a Twilio send is < 8 KiB even with 1600 chars

void log_escape(const char* where, std::exception_ptr e) {
  if (!e) return;
  try {
    std::rethrow_exception(e);
  } catch (const std::exception& ex) {
    std::fprintf(stderr, "event=coroutine_failed where=%s what=%s\n", where, ex.what());
  }
}

Response internal_error(const Request& req) {
  Response res{http::status::internal_server_error, req.version()};
  res.set(http::field::content_type, "application/json; charset=utf-8");
  res.body() = error_json({500, 20500, "Internal Server Error"});
  return res;
}

// Answer, don't just drop: the client needs to know why. The connection closes afterwards.
// (No temporaries inside the co_await expression: g++ 12 can destroy those twice.)
template <class Stream>
asio::awaitable<bool> answer_too_large(Stream& stream) {
  http::response<http::string_body> res{http::status::payload_too_large, 11};
  res.set(http::field::content_type, "application/json; charset=utf-8");
  res.body() = error_json({413, 20001, "Request body larger than 64 KiB"});
  res.keep_alive(false);
  res.prepare_payload();
  error_code ec;
  beast::get_lowest_layer(stream).expires_after(write_timeout);
  co_await http::async_write(stream, res, ec_into(ec));  // best effort: we close next anyway
  co_return false;
}

// Reads one request; false when the connection is finished (closed, timed out, or answered 413).
template <class Stream>
asio::awaitable<bool> read_request(Stream& stream, beast::flat_buffer& buf, http::request_parser<http::string_body>& parser) {
  error_code ec;
  beast::get_lowest_layer(stream).expires_after(idle_timeout);
  co_await http::async_read_header(stream, buf, parser, ec_into(ec));
  // A Content-Length over the limit fails here already, before any body byte is read.
  if (ec == http::error::body_limit) {
    const bool keep = co_await answer_too_large(stream);
    co_return keep;
  }
  if (ec) co_return false;  // end_of_stream between requests is the normal close
  // curl sends "Expect: 100-continue" for bodies over 1 KiB and stalls a second without this.
  if (beast::iequals(parser.get()[http::field::expect], "100-continue")) {
    http::response<http::empty_body> cont{http::status::continue_, 11};
    beast::get_lowest_layer(stream).expires_after(write_timeout);
    co_await http::async_write(stream, cont, ec_into(ec));
    if (ec) co_return false;
  }
  if (!parser.is_done()) {
    beast::get_lowest_layer(stream).expires_after(read_timeout);
    co_await http::async_read(stream, buf, parser, ec_into(ec));
  }
  if (ec == http::error::body_limit) {
    const bool keep = co_await answer_too_large(stream);
    co_return keep;
  }
  co_return !ec;
}

template <class Stream>
asio::awaitable<void> run_session(Stream& stream, App& app) {
  beast::flat_buffer buf;
  error_code ec;
  for (;;) {
    http::request_parser<http::string_body> parser;
    parser.header_limit(header_limit);
    parser.body_limit(body_limit);
    if (!co_await read_request(stream, buf, parser)) co_return;
    const Request& req = parser.get();

    Outcome out;
    try {
      out = route(req, app);
    } catch (const std::exception& e) {  // a bug, not a client problem: answer 500 and go on
      std::fprintf(stderr, "event=request_failed what=%s\n", e.what());
      out = Outcome{internal_error(req)};
    }
    if (out.delay.count() > 0) {  // latency injection: a timer, never a sleeping thread
      asio::steady_timer timer(stream.get_executor(), out.delay);
      co_await timer.async_wait(ec_into(ec));
    }
    if (out.drop) {  // the request was read in full; the client sees the connection close
      beast::get_lowest_layer(stream).socket().close(ec);
      co_return;
    }
    if (out.callback && app.callbacks)
      app.callbacks->enqueue(std::move(out.callback->url), std::move(out.callback->message_sid),
                             std::move(out.callback->from), std::move(out.callback->to));
    out.res.keep_alive(req.keep_alive());
    out.res.prepare_payload();
    beast::get_lowest_layer(stream).expires_after(write_timeout);
    co_await http::async_write(stream, out.res, ec_into(ec));
    if (ec || !out.res.keep_alive()) co_return;
  }
}

asio::awaitable<void> serve_plain(tcp::socket sock, App& app) {
  beast::tcp_stream stream(std::move(sock));
  co_await run_session(stream, app);
  error_code ec;
  stream.socket().shutdown(tcp::socket::shutdown_send, ec);  // the peer may be gone: fine
}

asio::awaitable<void> serve_tls(tcp::socket sock, App& app, asio::ssl::context& tls) {
  beast::ssl_stream<beast::tcp_stream> stream(std::move(sock), tls);
  error_code ec;
  beast::get_lowest_layer(stream).expires_after(handshake_timeout);
  co_await stream.async_handshake(asio::ssl::stream_base::server, ec_into(ec));
  if (ec) co_return;  // e.g. a client refusing our certificate: exactly what some tests want
  co_await run_session(stream, app);
  if (!beast::get_lowest_layer(stream).socket().is_open()) co_return;  // dropped on purpose
  beast::get_lowest_layer(stream).expires_after(std::chrono::seconds(2));
  co_await stream.async_shutdown(ec_into(ec));  // close_notify; errors mean the peer left first
}

}  // namespace

asio::awaitable<void> accept_loop(tcp::acceptor& acceptor, App& app, asio::ssl::context* tls) {
  error_code ec;
  for (;;) {
    tcp::socket sock = co_await acceptor.async_accept(ec_into(ec));
    if (ec == asio::error::operation_aborted || !acceptor.is_open()) co_return;  // shutting down
    if (ec) {  // e.g. out of file descriptors: back off instead of spinning
      std::fprintf(stderr, "event=accept_failed error=%s\n", ec.message().c_str());
      asio::steady_timer pause(acceptor.get_executor(), std::chrono::milliseconds(50));
      co_await pause.async_wait(ec_into(ec));
      continue;
    }
    sock.set_option(tcp::no_delay(true), ec);  // small request/response pairs: no Nagle stalls
    // Named lambdas, not temporaries in the co_spawn call: dodges a g++ coroutine bug.
    if (tls) {
      auto session = [&app, tls, s = std::move(sock)]() mutable { return serve_tls(std::move(s), app, *tls); };
      asio::co_spawn(acceptor.get_executor(), std::move(session), [](std::exception_ptr e) { log_escape("tls_session", e); });
    } else {
      auto session = [&app, s = std::move(sock)]() mutable { return serve_plain(std::move(s), app); };
      asio::co_spawn(acceptor.get_executor(), std::move(session), [](std::exception_ptr e) { log_escape("session", e); });
    }
  }
}

}  // namespace centinela::fake_provider

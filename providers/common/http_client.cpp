// HTTP/1.1 client over Beast: see http_client.hpp for the contract.
#include "providers/common/http_client.hpp"

#include <algorithm>
#include <cctype>
#include <stdexcept>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <spdlog/spdlog.h>

#include "providers/common/url.hpp"

namespace centinela {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;

constexpr std::size_t header_limit = 16 * 1024;  // provider answers carry a handful of headers

// One connection to the provider; exactly one of plain/tls is set.
struct Connection {
  std::unique_ptr<beast::tcp_stream> plain;
  std::unique_ptr<beast::ssl_stream<beast::tcp_stream>> tls;
  beast::flat_buffer buffer;  // survives between requests: may hold the start of the next answer
  Clock::time_point idle_since{};

  beast::tcp_stream& lowest() { return tls ? beast::get_lowest_layer(*tls) : *plain; }
};

// True when an idle keep-alive socket has nothing to read. EOF or any byte the server sent
// unasked (a close_notify, a 408) means it is closing the connection: reusing it would fail the
// next request for nothing. A non-blocking peek answers without waiting.
bool idle_socket_alive(tcp::socket& socket) {
  error_code ec;
  socket.non_blocking(true, ec);
  if (ec) return false;
  char byte = 0;
  socket.receive(asio::buffer(&byte, 1), tcp::socket::message_peek, ec);
  const bool alive = ec == asio::error::would_block;
  socket.non_blocking(false, ec);
  return alive && !ec;
}

bool is_ip_literal(const std::string& host) {
  error_code ec;
  asio::ip::make_address(host, ec);
  return !ec;
}

ssl::context make_tls_context(const std::string& ca_file) {
  ssl::context ctx{ssl::context::tls_client};
  SSL_CTX_set_min_proto_version(ctx.native_handle(), TLS1_2_VERSION);
  ctx.set_default_verify_paths();  // Debian's ca-certificates
  if (!ca_file.empty()) {
    error_code ec;
    ctx.load_verify_file(ca_file, ec);
    if (ec) throw std::runtime_error("cannot load CA file '" + ca_file + "': " + ec.message());
  }
  ctx.set_verify_mode(ssl::verify_peer);
  return ctx;
}

template <class Stream>
asio::awaitable<void> exchange(Stream& stream, beast::flat_buffer& buffer,
                               const http::request<http::string_body>& req,
                               http::response_parser<http::string_body>& parser, std::uint64_t body_limit,
                               HttpResult& out) {
  error_code ec;
  const std::size_t written = co_await http::async_write(stream, req, ec_into(ec));
  // Zero bytes of plaintext written: the server cannot have seen a request to act on.
  out.request_sent = written > 0 || !ec;
  if (ec) {
    out.error = ec;
    co_return;
  }
  // Header first: Beast 1.74 parses eagerly inside async_read and then loses the body_limit error
  // of a response with a Content-Length (the parser moves on into the body), so the limit is
  // checked here against the announced length. Chunked and read-to-EOF bodies are still limited
  // by the parser itself.
  co_await http::async_read_header(stream, buffer, parser, ec_into(ec));
  if (!ec) {
    const auto announced = parser.content_length();
    if (announced && *announced > body_limit) {
      ec = http::error::body_limit;
    } else if (!parser.is_done()) {
      co_await http::async_read(stream, buffer, parser, ec_into(ec));
    }
  }
  out.error = ec;
}

}  // namespace

struct HttpClient::Impl {
  asio::any_io_executor executor;
  HttpClientOptions options;
  Url base;
  std::string base_path;  // without a trailing '/'
  std::string host_header;
  std::optional<ssl::context> tls_context;  // only for https
  // The pool. No mutex: all requests run on one thread (see the class comment).
  std::vector<std::unique_ptr<Connection>> idle;
  int active = 0;
  asio::steady_timer slot_freed;  // never expires; cancel_one() wakes the oldest waiter

  Impl(asio::any_io_executor ex, HttpClientOptions opts)
      : executor(std::move(ex)), options(std::move(opts)), slot_freed(executor, Clock::time_point::max()) {}

  asio::awaitable<void> acquire_slot() {
    while (active >= options.max_connections) {
      error_code ec;  // operation_aborted is the wake-up
      co_await slot_freed.async_wait(ec_into(ec));
    }
    ++active;
  }
  void release_slot() {
    --active;
    slot_freed.cancel_one();
  }

  asio::awaitable<std::unique_ptr<Connection>> take_connection(error_code& ec);
  asio::awaitable<std::unique_ptr<Connection>> connect(error_code& ec);
  asio::awaitable<HttpResult> request(std::string method, std::string target, HttpHeaders headers, std::string body);
  void give_back(std::unique_ptr<Connection> conn);
};

asio::awaitable<std::unique_ptr<Connection>> HttpClient::Impl::take_connection(error_code& ec) {
  // Most recently used first: the least likely to have been closed by the server.
  while (!idle.empty()) {
    std::unique_ptr<Connection> conn = std::move(idle.back());
    idle.pop_back();
    if (Clock::now() - conn->idle_since < options.idle_timeout && idle_socket_alive(conn->lowest().socket())) {
      co_return conn;
    }
  }
  co_return co_await connect(ec);
}

asio::awaitable<std::unique_ptr<Connection>> HttpClient::Impl::connect(error_code& ec) {
  const auto deadline = Clock::now() + options.connect_timeout;

  // The resolver has no deadline of its own: a timer cancels it. Shared so that a timer handler
  // still queued after this frame is gone touches nothing freed.
  auto resolver = std::make_shared<tcp::resolver>(executor);
  asio::steady_timer resolve_timer(executor, deadline);
  bool resolve_timed_out = false;
  resolve_timer.async_wait([weak = std::weak_ptr<tcp::resolver>(resolver), &resolve_timed_out](error_code e) {
    if (e) return;  // cancelled: the resolve finished first
    if (auto r = weak.lock()) {
      resolve_timed_out = true;
      r->cancel();
    }
  });
  const auto endpoints = co_await resolver->async_resolve(base.host, base.effective_port(), ec_into(ec));
  resolve_timer.cancel();
  resolver.reset();  // after this the handler, if still queued, finds nothing and never touches the flag
  if (ec) {
    if (resolve_timed_out) ec = asio::error::timed_out;
    co_return nullptr;
  }

  auto conn = std::make_unique<Connection>();
  if (tls_context) {
    conn->tls = std::make_unique<beast::ssl_stream<beast::tcp_stream>>(executor, *tls_context);
  } else {
    conn->plain = std::make_unique<beast::tcp_stream>(executor);
  }
  conn->lowest().expires_at(deadline);
  co_await conn->lowest().async_connect(endpoints, ec_into(ec));
  if (ec) co_return nullptr;
  if (tls_context) {
    // SNI is for names only (RFC 6066); the certificate must match the host we asked for.
    if (!is_ip_literal(base.host) && SSL_set_tlsext_host_name(conn->tls->native_handle(), base.host.c_str()) != 1) {
      ec = error_code(static_cast<int>(::ERR_get_error()), asio::error::get_ssl_category());
      co_return nullptr;
    }
    conn->tls->set_verify_mode(ssl::verify_peer);
    conn->tls->set_verify_callback(ssl::host_name_verification(base.host));
    co_await conn->tls->async_handshake(ssl::stream_base::client, ec_into(ec));
    if (ec) co_return nullptr;
  }
  spdlog::debug("event=http_connected host={} tls={}", base.host, tls_context.has_value());
  co_return conn;
}

void HttpClient::Impl::give_back(std::unique_ptr<Connection> conn) {
  if (static_cast<int>(idle.size()) >= options.max_connections) return;  // closed by the destructor
  conn->lowest().expires_never();  // an idle socket must not time out under the pool
  conn->idle_since = Clock::now();
  idle.push_back(std::move(conn));
}

asio::awaitable<HttpResult> HttpClient::Impl::request(std::string method, std::string target,
                                                      HttpHeaders headers, std::string body) {
  const http::verb verb = http::string_to_verb(method);
  if (verb == http::verb::unknown) throw std::invalid_argument("unknown HTTP method: " + method);

  http::request<http::string_body> req{verb, base_path + (target.starts_with('/') ? "" : "/") + target, 11};
  req.set(http::field::host, host_header);
  req.set(http::field::user_agent, "centinela/0.1");
  for (auto& [name, value] : headers) req.insert(name, value);
  req.body() = std::move(body);
  req.keep_alive(true);
  req.prepare_payload();

  co_await acquire_slot();
  struct SlotGuard {
    Impl* impl;
    ~SlotGuard() { impl->release_slot(); }
  } guard{this};

  HttpResult result;
  std::unique_ptr<Connection> conn = co_await take_connection(result.error);
  if (!conn) {
    spdlog::debug("event=http_connect_failed host={} error={}", base.host, result.error.message());
    co_return result;
  }

  http::response_parser<http::string_body> parser;
  parser.header_limit(header_limit);
  parser.body_limit(options.max_response_bytes);
  if (verb == http::verb::head) parser.skip(true);
  // One deadline for writing the request and reading the whole answer: what the caller waits.
  conn->lowest().expires_after(options.request_timeout);
  if (conn->tls) {
    co_await exchange(*conn->tls, conn->buffer, req, parser, options.max_response_bytes, result);
  } else {
    co_await exchange(*conn->plain, conn->buffer, req, parser, options.max_response_bytes, result);
  }
  if (result.error) {
    spdlog::debug("event=http_request_failed host={} sent={} error={}", base.host, result.request_sent,
                  result.error.message());
    co_return result;  // the connection is in an unknown state: closed with `conn`
  }

  auto& res = parser.get();
  result.status = static_cast<int>(res.result_int());
  for (const auto& field : res) {
    std::string name(field.name_string());
    std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    result.headers.emplace_back(std::move(name), std::string(field.value()));
  }
  const bool reusable = res.keep_alive() && !parser.need_eof();
  result.body = std::move(res.body());
  if (reusable) give_back(std::move(conn));
  co_return result;
}

HttpClient::HttpClient(asio::any_io_executor executor, HttpClientOptions options)
    : impl_(std::make_shared<Impl>(std::move(executor), std::move(options))) {
  Impl& s = *impl_;
  auto url = parse_url(s.options.base_url);
  // The URL is configuration, not a secret (user info is rejected by parse_url), so it may be shown.
  if (!url) throw std::invalid_argument("provider base_url is not an http(s) URL: '" + s.options.base_url + "'");
  if (url->scheme == "http" && !is_loopback_host(url->host)) {
    throw std::invalid_argument("provider base_url '" + s.options.base_url +
                                "' uses plain http to a non-loopback host; use https (http is allowed only for "
                                "127.0.0.0/8, ::1 and localhost)");
  }
  if (s.options.max_connections < 1) throw std::invalid_argument("max_connections must be at least 1");
  s.base = std::move(*url);
  const auto query = s.base.path_and_query.find('?');
  if (query != std::string::npos) throw std::invalid_argument("provider base_url must not have a query string");
  s.base_path = s.base.path_and_query;
  while (!s.base_path.empty() && s.base_path.back() == '/') s.base_path.pop_back();
  s.host_header = s.base.authority(!s.base.port.empty() && s.base.port != s.base.default_port());
  if (s.base.scheme == "https") s.tls_context.emplace(make_tls_context(s.options.ca_file));
}

HttpClient::~HttpClient() {
  // Requests still running keep the state alive; idle sockets have no one left to use them.
  impl_->idle.clear();
}

asio::awaitable<HttpResult> HttpClient::request(std::string method, std::string target, HttpHeaders headers,
                                                std::string body) {
  std::shared_ptr<Impl> keep = impl_;  // this frame keeps the pool alive even if the client goes
  co_return co_await keep->request(std::move(method), std::move(target), std::move(headers), std::move(body));
}

const HttpClientOptions& HttpClient::options() const { return impl_->options; }
std::size_t HttpClient::idle_connections() const { return impl_->idle.size(); }

}  // namespace centinela

// Status callback sender (see callbacks.hpp).
#include "tests/fake_provider/callbacks.hpp"

#include <charconv>
#include <cstdio>
#include <exception>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "tests/fake_provider/options.hpp"
#include "tests/fake_provider/twilio_wire.hpp"

namespace centinela::fake_provider {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using boost::system::error_code;

namespace {

inline auto ec_into(error_code& ec) { return asio::redirect_error(asio::use_awaitable, ec); }

constexpr auto connect_timeout = std::chrono::seconds(5);
constexpr auto io_timeout = std::chrono::seconds(10);  // the receiver may commit to a database

}  // namespace

std::optional<CallbackUrl> parse_loopback_http_url(std::string_view url) {
  constexpr std::string_view scheme = "http://";
  if (!url.starts_with(scheme)) return std::nullopt;
  const std::string_view rest = url.substr(scheme.size());
  const auto path_start = rest.find_first_of("/?#");
  const std::string_view authority = rest.substr(0, path_start);
  std::string target(path_start == std::string_view::npos ? "/" : rest.substr(path_start));
  if (target.find('#') != std::string::npos) target.resize(target.find('#'));  // never sent
  if (target.empty() || target[0] != '/') target.insert(0, "/");
  if (authority.empty() || authority.find('@') != std::string_view::npos) return std::nullopt;

  std::string_view host = authority;
  std::string_view port = "80";
  if (authority.starts_with('[')) {
    const auto close = authority.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    host = authority.substr(1, close - 1);
    if (close + 1 < authority.size()) {
      if (authority[close + 1] != ':') return std::nullopt;
      port = authority.substr(close + 2);
    }
  } else if (const auto colon = authority.rfind(':'); colon != std::string_view::npos) {
    host = authority.substr(0, colon);
    port = authority.substr(colon + 1);
  }
  unsigned short p = 0;
  const auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), p);
  if (ec != std::errc{} || end != port.data() + port.size() || p == 0) return std::nullopt;

  error_code aec;
  // "localhost" is resolved here, without DNS, so nothing can redirect a callback off the host.
  const auto addr = host == "localhost" ? asio::ip::make_address("127.0.0.1")
                                        : asio::ip::make_address(std::string(host), aec);
  if (aec || !is_loopback(addr)) return std::nullopt;
  return CallbackUrl{{addr, p}, std::string(authority), std::move(target)};
}

struct CallbackSender::Connection {
  explicit Connection(asio::any_io_executor ex) : stream(std::move(ex)) {}
  beast::tcp_stream stream;
  std::optional<asio::ip::tcp::endpoint> peer;  // set while connected
  beast::flat_buffer buf;

  void reset() {
    error_code ignored;  // the peer may be gone already: nothing to do about it
    stream.socket().close(ignored);
    peer.reset();
    buf.clear();
  }
};

CallbackSender::CallbackSender(asio::any_io_executor ex, Store& store, CallbackSettings settings)
    : ex_(ex), store_(store), settings_(std::move(settings)), wake_(ex) {
  wake_.expires_at(asio::steady_timer::time_point::max());
}

void CallbackSender::start() {
  for (std::size_t i = 0; i < settings_.workers; ++i) {
    asio::co_spawn(ex_, worker(), [](std::exception_ptr e) {
      if (!e) return;
      try {
        std::rethrow_exception(e);
      } catch (const std::exception& ex) {
        std::fprintf(stderr, "event=callback_worker_failed what=%s\n", ex.what());
      }
    });
  }
}

void CallbackSender::stop() {
  closed_ = true;
  wake_.cancel();
}

void CallbackSender::enqueue(std::string url, std::string message_sid, std::string from, std::string to) {
  if (closed_ || pending_ >= settings_.max_pending) {
    // Two callbacks per message: counted the way they would have been sent.
    store_.stats().callbacks_dropped += 2;
    store_.stats().callbacks_failed += 2;
    return;
  }
  ++pending_;
  jobs_.push_back(CallbackJob{std::move(url), std::move(message_sid), std::move(from), std::move(to),
                              std::chrono::steady_clock::now() + settings_.delay});
  wake_.cancel_one();
}

asio::awaitable<void> CallbackSender::worker() {
  Connection conn(ex_);
  asio::steady_timer due_timer(ex_);
  error_code ec;
  for (;;) {
    while (jobs_.empty() && !closed_) co_await wake_.async_wait(ec_into(ec));  // aborted = woken
    if (closed_) co_return;
    CallbackJob job = std::move(jobs_.front());
    jobs_.pop_front();
    // FIFO with one fixed delay: the front job is always the next one due.
    due_timer.expires_at(job.due);
    co_await due_timer.async_wait(ec_into(ec));
    if (closed_) co_return;

    if (const auto url = parse_loopback_http_url(job.url)) {
      for (const std::string_view status : {"sent", "delivered"}) {
        const bool ok = co_await post_status(conn, *url, job, status);
        ++(ok ? store_.stats().callbacks_sent : store_.stats().callbacks_failed);
      }
    } else {
      store_.stats().callbacks_dropped += 2;  // not loopback http: refused, never attempted
      store_.stats().callbacks_failed += 2;
    }
    --pending_;
  }
}

asio::awaitable<bool> CallbackSender::post_status(Connection& conn, const CallbackUrl& url, const CallbackJob& job,
                                                  std::string_view status) {
  const FormParams params{{"MessageSid", job.message_sid}, {"MessageStatus", std::string(status)},
                          {"AccountSid", settings_.account_sid}, {"From", job.from},
                          {"To", job.to},                        {"ApiVersion", "2010-04-01"}};
  http::request<http::string_body> req{http::verb::post, url.target, 11};
  req.set(http::field::host, url.host_header);
  req.set(http::field::user_agent, "TwilioProxy/1.1");
  req.set(http::field::content_type, "application/x-www-form-urlencoded");
  req.set("X-Twilio-Signature", twilio_signature(settings_.auth_token, job.url, params));
  req.body() = form_encode(params);
  req.keep_alive(true);
  req.prepare_payload();

  // A kept-alive connection may have been closed by the receiver meanwhile: one retry on a new one.
  for (int attempt = 0; attempt < 2; ++attempt) {
    const bool reused = conn.peer == url.endpoint;
    error_code ec;
    if (!reused) {
      conn.reset();
      conn.stream.expires_after(connect_timeout);
      co_await conn.stream.async_connect(url.endpoint, ec_into(ec));
      if (ec) co_return false;
      conn.peer = url.endpoint;
    }
    conn.stream.expires_after(io_timeout);
    co_await http::async_write(conn.stream, req, ec_into(ec));
    http::response_parser<http::string_body> parser;
    parser.body_limit(64 * 1024);
    if (!ec) {
      conn.stream.expires_after(io_timeout);
      co_await http::async_read(conn.stream, conn.buf, parser, ec_into(ec));
    }
    if (ec) {
      conn.reset();
      if (reused) continue;
      co_return false;
    }
    if (!parser.get().keep_alive()) conn.reset();
    const unsigned code = parser.get().result_int();
    co_return code >= 200 && code < 300;
  }
  co_return false;
}

}  // namespace centinela::fake_provider

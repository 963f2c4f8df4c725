// A tiny scripted HTTP/1.1 server on 127.0.0.1 for the HTTP client tests, written with plain Asio
// (no Beast) so the client is checked against bytes it did not produce itself. The full fake
// provider (HTTPS, callbacks, fault injection) lives in tests/fake_provider/.
#pragma once

#include <algorithm>
#include <chrono>
#include <exception>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "providers/common/net.hpp"

#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>

namespace centinela::testing {

struct RecordedRequest {
  std::string method;
  std::string target;
  std::map<std::string, std::string> headers;  // names lower-cased
  std::string body;
};

struct CannedResponse {
  int status = 200;
  std::string body = "ok";
  std::vector<std::pair<std::string, std::string>> headers;
  bool close_after = false;  // close the connection after answering
  std::string raw;           // when set, written verbatim instead of the fields above
};

class LoopbackServer {
 public:
  using tcp = asio::ip::tcp;

  explicit LoopbackServer(asio::io_context& io) : io_(io), acceptor_(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)) {
    asio::co_spawn(io_, accept_loop(), asio::detached);  // ends when stop() closes the acceptor
  }

  unsigned short port() const { return port_; }
  std::string base_url() const { return "http://127.0.0.1:" + std::to_string(port_); }

  void stop() {
    error_code ec;
    acceptor_.close(ec);
    for (auto& s : sockets_) s->close(ec);
  }
  // Closes the server side of every connection (idle keep-alive ones included).
  void drop_connections() {
    error_code ec;
    for (auto& s : sockets_) s->close(ec);
  }

  std::function<CannedResponse(const RecordedRequest&)> handler = [](const RecordedRequest&) { return CannedResponse{}; };
  std::chrono::milliseconds delay{0};  // before each answer
  std::vector<RecordedRequest> requests;
  int connections_accepted = 0;
  int open_now = 0;
  int max_open = 0;

 private:
  asio::awaitable<void> accept_loop() {
    for (;;) {
      error_code ec;
      auto socket = std::make_shared<tcp::socket>(co_await acceptor_.async_accept(ec_into(ec)));
      if (ec) co_return;
      ++connections_accepted;
      sockets_.push_back(socket);
      asio::co_spawn(io_, serve(socket), asio::detached);
    }
  }

  asio::awaitable<void> serve(std::shared_ptr<tcp::socket> socket) {
    ++open_now;
    max_open = std::max(max_open, open_now);
    std::string buffer;
    for (;;) {
      error_code ec;
      const std::size_t head_len = co_await asio::async_read_until(*socket, asio::dynamic_buffer(buffer), "\r\n\r\n", ec_into(ec));
      if (ec) break;
      RecordedRequest req = parse_head(buffer.substr(0, head_len));
      buffer.erase(0, head_len);
      const std::size_t length = req.headers.count("content-length") ? std::stoul(req.headers["content-length"]) : 0;
      if (buffer.size() < length) {
        co_await asio::async_read(*socket, asio::dynamic_buffer(buffer), asio::transfer_at_least(length - buffer.size()), ec_into(ec));
        if (ec) break;
      }
      req.body = buffer.substr(0, length);
      buffer.erase(0, length);
      requests.push_back(req);
      const CannedResponse res = handler(req);
      if (delay.count() > 0) {
        asio::steady_timer t(io_, delay);
        co_await t.async_wait(ec_into(ec));
      }
      std::string out = "HTTP/1.1 " + std::to_string(res.status) + " X\r\nContent-Length: " + std::to_string(res.body.size()) + "\r\n";
      for (const auto& [n, v] : res.headers) out += n + ": " + v + "\r\n";
      if (res.close_after) out += "Connection: close\r\n";
      out += "\r\n" + res.body;
      if (!res.raw.empty()) out = res.raw;
      co_await asio::async_write(*socket, asio::buffer(out), ec_into(ec));
      if (ec || res.close_after) break;
    }
    error_code ignored;
    socket->close(ignored);
    --open_now;
  }

  static RecordedRequest parse_head(const std::string& head) {
    RecordedRequest req;
    std::size_t pos = head.find("\r\n");
    const std::string line = head.substr(0, pos);
    const auto sp1 = line.find(' ');
    const auto sp2 = line.find(' ', sp1 + 1);
    req.method = line.substr(0, sp1);
    req.target = line.substr(sp1 + 1, sp2 - sp1 - 1);
    while (pos + 2 < head.size()) {
      const auto next = head.find("\r\n", pos + 2);
      const std::string field = head.substr(pos + 2, next - pos - 2);
      pos = next;
      const auto colon = field.find(':');
      if (colon == std::string::npos) continue;
      std::string name = field.substr(0, colon);
      std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
      std::string value = field.substr(colon + 1);
      value.erase(0, value.find_first_not_of(' '));
      req.headers[name] = value;
    }
    return req;
  }

  asio::io_context& io_;
  tcp::acceptor acceptor_;
  unsigned short port_ = acceptor_.local_endpoint().port();
  std::vector<std::shared_ptr<tcp::socket>> sockets_;
};

// Runs `coro` on `io` until it finishes (or 20 s pass) and rethrows what escaped it. Assertions go
// after this call: ASSERT_* cannot be used inside a coroutine.
template <class Coro>
bool run_coroutine(asio::io_context& io, Coro coro) {
  bool done = false;
  std::exception_ptr error;
  asio::co_spawn(io, std::move(coro), [&](std::exception_ptr e) {
    error = e;
    done = true;
    io.stop();  // the server's accept loop would otherwise keep run_for() busy
  });
  io.run_for(std::chrono::seconds(20));
  if (error) std::rethrow_exception(error);
  return done;
}

}  // namespace centinela::testing

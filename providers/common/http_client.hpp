// An HTTP/1.1 client for provider APIs: HTTPS with certificate checks, keep-alive connection
// reuse, a cap on concurrent requests and a deadline on every step. Beast stays in the .cpp
// (pimpl) so that including this header costs little.
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "providers/common/net.hpp"  // first: it includes <utility> before any Asio header

#include <boost/asio/any_io_executor.hpp>

namespace centinela {

struct HttpClientOptions {
  std::string base_url;   // "https://api.twilio.com"; http:// only for loopback hosts
  std::string ca_file;    // extra PEM bundle to trust (tests); the system store is always used
  int max_connections = 8;  // concurrent requests; further callers wait for a free slot
  std::chrono::milliseconds connect_timeout{5'000};   // DNS + TCP + TLS handshake
  std::chrono::milliseconds request_timeout{15'000};  // writing the request + reading the answer
  // An idle keep-alive connection older than this is closed rather than reused: servers drop
  // idle connections after a while, and a request written into a dead one fails for nothing.
  std::chrono::milliseconds idle_timeout{30'000};
  std::size_t max_response_bytes = 1024 * 1024;  // provider answers are small JSON documents
};

using HttpHeaders = std::vector<std::pair<std::string, std::string>>;

struct HttpResult {
  // Transport failure (DNS, connect, TLS, write, read, timeout, oversize answer); status is 0 then.
  error_code error;
  // False when the failure happened before any byte of the request was written, so a retry
  // cannot duplicate it. When true and `error` is set, the server may have acted on the request.
  bool request_sent = false;
  int status = 0;
  HttpHeaders headers;  // names lower-cased, in received order (Retry-After is here)
  std::string body;

  bool transport_failed() const { return static_cast<bool>(error); }
  std::string_view header(std::string_view lower_name) const {
    for (const auto& [n, v] : headers) {
      if (n == lower_name) return v;
    }
    return {};
  }
};

// Threading: every request of one client must run on one thread (the service runs all network
// I/O on a single io_context thread), so the connection pool and the slot counter need no
// mutex. Calling request() from coroutines on several threads at once is not supported.
class HttpClient {
 public:
  // Throws std::invalid_argument for a malformed base_url, a non-HTTP(S) scheme, or plain http://
  // to a host that is not loopback (credentials and alert texts must not cross a network in clear
  // text); std::runtime_error when the CA file cannot be loaded.
  HttpClient(asio::any_io_executor executor, HttpClientOptions options);
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // `method` is "GET", "POST"...; `target` is appended to the base URL's path ("/Messages.json").
  // Host, Content-Length and User-Agent are set here. Never throws for network trouble: that is
  // HttpResult::error. A dropped keep-alive connection is reported, not retried, because a
  // provider may already have queued the message. The client may be destroyed while requests are
  // in flight: they hold the state they need.
  asio::awaitable<HttpResult> request(std::string method, std::string target, HttpHeaders headers,
                                      std::string body);

  const HttpClientOptions& options() const;
  std::size_t idle_connections() const;  // for tests of keep-alive reuse

 private:
  struct Impl;
  std::shared_ptr<Impl> impl_;
};

}  // namespace centinela

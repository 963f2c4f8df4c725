// Signed Twilio status callbacks ("sent", then "delivered") from the fake provider to the system
// under test: a bounded FIFO drained by a few keep-alive workers, loopback http:// targets only.
#pragma once

#include <utility>  // first: Boost 1.74's awaitable.hpp uses std::exchange without including it

#include <chrono>
#include <cstddef>
#include <deque>
#include <optional>
#include <string>
#include <string_view>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>

#include "tests/fake_provider/store.hpp"

namespace centinela::fake_provider {

struct CallbackUrl {
  boost::asio::ip::tcp::endpoint endpoint;
  std::string host_header;  // host[:port] exactly as written in the URL
  std::string target;       // path and query, "/" when the URL has none
};

// Only http:// to 127.0.0.0/8, [::1] or localhost: a test must never call a real host.
std::optional<CallbackUrl> parse_loopback_http_url(std::string_view url);

struct CallbackJob {
  std::string url;  // exactly as given in StatusCallback: it is part of the signed data
  std::string message_sid;
  std::string from;
  std::string to;
  std::chrono::steady_clock::time_point due;
};

struct CallbackSettings {
  std::string account_sid;
  std::string auth_token;
  std::chrono::milliseconds delay{50};
  std::size_t workers = 16;
  std::size_t max_pending = 10'000;  // beyond this, callbacks are dropped and counted
};

class CallbackSender {
 public:
  CallbackSender(boost::asio::any_io_executor ex, Store& store, CallbackSettings settings);

  void start();  // spawns the workers
  void stop();   // workers finish their current callback and exit
  // Queues "sent" + "delivered" for one message, due after the configured delay.
  void enqueue(std::string url, std::string message_sid, std::string from, std::string to);
  std::size_t pending() const { return pending_; }

 private:
  struct Connection;
  boost::asio::awaitable<void> worker();
  boost::asio::awaitable<bool> post_status(Connection& conn, const CallbackUrl& url, const CallbackJob& job,
                                           std::string_view status);

  boost::asio::any_io_executor ex_;
  Store& store_;
  CallbackSettings settings_;
  std::deque<CallbackJob> jobs_;
  std::size_t pending_ = 0;  // queued + being sent
  bool closed_ = false;
  boost::asio::steady_timer wake_;  // set to max(); cancelling it wakes an idle worker
};

}  // namespace centinela::fake_provider

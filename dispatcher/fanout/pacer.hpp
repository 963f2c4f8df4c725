// Paces one sender to its exact rate limit at the provider: texts leave at most one every
// 1/rate seconds, with no bursts, because providers count messages per second per sender and a
// 429 costs more time than waiting does. Used from the single network thread only.
#pragma once

#include <chrono>

#include <boost/asio/steady_timer.hpp>

#include "providers/common/net.hpp"

namespace centinela::fanout {

class Pacer {
 public:
  Pacer(asio::any_io_executor ex, double messages_per_second)
      : timer_(ex),
        interval_(std::chrono::duration_cast<std::chrono::steady_clock::duration>(
            std::chrono::duration<double>(1.0 / messages_per_second))) {}

  // Resumes when the next text may leave. Concurrent callers get consecutive slots.
  asio::awaitable<void> next_slot() {
    const auto now = std::chrono::steady_clock::now();
    // An idle sender does not bank credit: after a pause the next text waits a full interval
    // at most, never zero for a burst.
    if (next_ < now) next_ = now;
    const auto slot = next_;
    next_ += interval_;
    if (slot <= now) co_return;
    asio::steady_timer wait(timer_.get_executor(), slot);
    error_code ec;
    co_await wait.async_wait(ec_into(ec));
  }

 private:
  asio::steady_timer timer_;
  std::chrono::steady_clock::duration interval_;
  std::chrono::steady_clock::time_point next_{};
};

}  // namespace centinela::fanout

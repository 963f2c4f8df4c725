// Waits for a set of coroutines to finish. Boost 1.74 has no parallel_group, so a counter and a
// timer that never fires on its own do the job: the last one to finish cancels the timer.
// Single-threaded use only (the network thread).
#pragma once

#include <boost/asio/steady_timer.hpp>

#include "providers/common/net.hpp"

namespace centinela::fanout {

class WaitGroup {
 public:
  explicit WaitGroup(asio::any_io_executor ex) : done_(ex, asio::steady_timer::time_point::max()) {}

  void add(int n = 1) { pending_ += n; }
  void finish() {
    if (--pending_ == 0) done_.cancel();
  }
  asio::awaitable<void> wait() {
    while (pending_ > 0) {
      error_code ec;  // operation_aborted is the wake-up
      co_await done_.async_wait(ec_into(ec));
    }
  }

 private:
  asio::steady_timer done_;
  int pending_ = 0;
};

}  // namespace centinela::fanout

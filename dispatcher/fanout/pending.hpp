// The result of a coroutine started now and awaited later: lets a sender loop claim its next
// batch and record its last one while the current batch is on the wire. Boost 1.74 has no
// futures for awaitables or parallel_group; a timer that the completion cancels does the job.
// Single-threaded use only (the network thread). The owner must await get() before destroying
// a Pending that was started.
#pragma once

#include <exception>
#include <optional>
#include <utility>

#include <boost/asio/steady_timer.hpp>

#include "providers/common/net.hpp"

namespace centinela::fanout {

template <class T>
class Pending {
 public:
  explicit Pending(asio::any_io_executor ex) : ex_(ex), ready_(ex, asio::steady_timer::time_point::max()) {}
  Pending(const Pending&) = delete;
  Pending& operator=(const Pending&) = delete;

  bool started() const { return started_; }

  void start(asio::awaitable<T> work) {
    started_ = true;
    done_ = false;
    asio::co_spawn(ex_, std::move(work), [this](std::exception_ptr e, T value) {
      error_ = e;
      value_ = std::move(value);
      done_ = true;
      ready_.cancel();
    });
  }

  // The result (or the exception) of the started work; the Pending is idle again afterwards.
  asio::awaitable<T> get() {
    while (!done_) {
      error_code ec;  // operation_aborted is the wake-up
      co_await ready_.async_wait(ec_into(ec));
    }
    started_ = false;
    if (error_) std::rethrow_exception(std::exchange(error_, nullptr));
    co_return std::move(*value_);
  }

 private:
  asio::any_io_executor ex_;
  asio::steady_timer ready_;
  std::optional<T> value_;
  std::exception_ptr error_;
  bool started_ = false;
  bool done_ = false;
};

}  // namespace centinela::fanout

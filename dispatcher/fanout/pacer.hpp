// Paces one sender to its exact rate limit at the provider: texts leave at most one every
// 1/rate seconds, with no bursts, because providers count messages per second per sender and a
// 429 costs more time than waiting does. A throttled answer holds the whole sender: no text
// leaves before the hold ends, whichever lane it waits in. Used from the single network thread only.
#pragma once

#include <chrono>

#include <boost/asio/steady_timer.hpp>

#include "providers/common/net.hpp"

namespace centinela::fanout {

class Pacer {
 public:
  using Clock = std::chrono::steady_clock;

  Pacer(asio::any_io_executor ex, double messages_per_second)
      : ex_(ex),
        interval_(std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(1.0 / messages_per_second))) {}

  // Resumes when the next text may leave, true; or false at once, taking no slot, when that
  // would be after `latest` (a hold longer than the caller may keep its text). Concurrent callers
  // get consecutive slots.
  asio::awaitable<bool> next_slot(Clock::time_point latest = Clock::time_point::max()) {
    for (;;) {
      const auto now = Clock::now();
      // An idle sender does not bank credit: after a pause the next text waits a full interval
      // at most, never zero for a burst.
      if (next_ < now) next_ = now;
      if (next_ > latest) co_return false;
      const auto slot = next_;
      next_ += interval_;
      if (slot > now) {
        asio::steady_timer wait(ex_, slot);
        error_code ec;
        co_await wait.async_wait(ec_into(ec));
      }
      // A hold that began while this text waited voids its slot if the slot falls inside it.
      if (slot >= held_until_) co_return true;
    }
  }

  // Nothing leaves before `until` (a 429's Retry-After, a provider failing every request).
  void hold_until(Clock::time_point until) {
    if (until > held_until_) held_until_ = until;
    if (until > next_) next_ = until;
  }
  bool holding() const { return Clock::now() < held_until_; }

 private:
  asio::any_io_executor ex_;
  Clock::duration interval_;
  Clock::time_point next_{};
  Clock::time_point held_until_{};
};

}  // namespace centinela::fanout

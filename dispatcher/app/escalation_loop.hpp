// Drives the escalation timers (queue/escalation.hpp) from the service: once a second it fires
// whatever is due. The timers themselves live in the database, so this loop holds no state a
// crash could lose, and several instances running it page each tier once.
#pragma once

#include <functional>

#include <boost/asio/steady_timer.hpp>

#include "dispatcher/core/context.hpp"
#include "dispatcher/storage/db_pool.hpp"

namespace centinela::app {

class EscalationLoop {
 public:
  // `on_pages`: texts were queued (wake the fan-out so they leave now).
  EscalationLoop(asio::any_io_executor ex, const Context& ctx, storage::DbPool& db, std::function<void()> on_pages);

  asio::awaitable<void> run();  // until stop()
  void stop();

 private:
  const Context& ctx_;
  storage::DbPool& db_;
  std::function<void()> on_pages_;
  asio::steady_timer tick_;
  bool stopping_ = false;
};

}  // namespace centinela::app

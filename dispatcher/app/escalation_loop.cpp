#include "dispatcher/app/escalation_loop.hpp"

#include <spdlog/spdlog.h>

#include "dispatcher/queue/escalation.hpp"
#include "dispatcher/storage/safe_error.hpp"

namespace centinela::app {
namespace {

// Escalation waits are minutes; a second of lateness is nothing, and the due-timer query is one
// index range scan.
constexpr auto tick_period = std::chrono::seconds{1};

}  // namespace

EscalationLoop::EscalationLoop(asio::any_io_executor ex, const Context& ctx, storage::DbPool& db,
                               std::function<void()> on_pages)
    : ctx_(ctx), db_(db), on_pages_(std::move(on_pages)), tick_(ex) {}

asio::awaitable<void> EscalationLoop::run() {
  while (!stopping_) {
    try {
      // Keep firing while whole batches come back: a restart after a long outage has many due.
      for (bool more = true; more && !stopping_;) {
        const auto counts = co_await db_.run([this](pqxx::connection& c) { return queue::escalate_due(c, ctx_); });
        if (counts.operators_paged > 0 || counts.claims_lapsed > 0) on_pages_();
        more = counts.escalated + counts.claims_lapsed >= 50;
      }
    } catch (const std::exception& e) {
      // The timers are rows: nothing is lost, the next tick tries again.
      spdlog::error("event=escalation_failed what={}", storage::safe_what(e));
    }
    tick_.expires_after(tick_period);
    error_code ec;
    co_await tick_.async_wait(ec_into(ec));
  }
}

void EscalationLoop::stop() {
  stopping_ = true;
  tick_.cancel();
}

}  // namespace centinela::app

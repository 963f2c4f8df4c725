#include "dispatcher/fanout/fanout_engine.hpp"

#include <algorithm>

#include <spdlog/spdlog.h>

#include "dispatcher/core/sms_text.hpp"
#include "dispatcher/fanout/pacer.hpp"
#include "dispatcher/fanout/pending.hpp"
#include "dispatcher/fanout/text_store.hpp"
#include "dispatcher/fanout/wait_group.hpp"
#include "dispatcher/storage/safe_error.hpp"
#include "providers/text_limits.hpp"

namespace centinela::fanout {
namespace {

using namespace std::chrono_literals;

// How long an idle loop sleeps before looking at the database again when nobody woke it: the
// backstop for work queued by another process.
constexpr auto idle_poll = 500ms;
constexpr auto error_pause = 1s;
constexpr int record_attempts = 30;  // half a minute of database trouble before texts stay in doubt
// A provider that fails this many requests in a row (5xx, network) is failing, not flaky: the
// sender pauses a little longer after each further failure, up to the cap, until one succeeds.
constexpr int failing_streak = 5;
constexpr auto failing_first_pause = std::chrono::milliseconds{250};
constexpr auto failing_max_pause = std::chrono::seconds{10};
// A text `sending` for longer than this was lost by this process (a record that gave up, a lane
// that died): far longer than a send can take (request timeout, record retries), so the sweep
// never races a send that is still going on.
constexpr auto stale_sending = std::chrono::minutes{5};
// How long a claimed batch may wait for its sender. A sender held longer (a long Retry-After, a
// provider failing every request) gives the rest of its batch back to the queue unsent, so that
// no text waits in memory until the sweep takes it for lost and it is sent twice.
constexpr auto batch_lifetime = std::chrono::minutes{1};
static_assert(batch_lifetime < stale_sending / 2);

// A batch holds about half a second of the sender's rate, and a sender holds at most three
// batches in `sending` (one being recorded, one on the wire, the next one claimed ahead): what a
// crash can leave in doubt is about 1.5 s of sending, never the whole list.
int batch_limit(double messages_per_second) {
  return std::clamp(static_cast<int>(messages_per_second / 2), 1, 500);
}

asio::awaitable<void> pause(asio::any_io_executor ex, std::chrono::steady_clock::duration d) {
  asio::steady_timer t(ex, d);
  error_code ec;
  co_await t.async_wait(ec_into(ec));
}

const config::Provider* provider_config(const Context& ctx, std::string_view name) {
  for (const auto& p : ctx.config().providers)
    if (p.name == name) return &p;
  return nullptr;
}

}  // namespace

struct FanoutEngine::SenderLoop {
  std::shared_ptr<providers::Provider> provider;
  config::Sender sender;
  int lanes = 1;
  Pacer pacer;
  asio::steady_timer wake;
  bool woken = false;
  std::int64_t rotate_after_alert = 0;  // live alerts take turns being served first
  int failures_in_a_row = 0;            // retryable failures since the last answer that was not one
};

FanoutEngine::FanoutEngine(asio::any_io_executor ex, const Context& ctx, storage::DbPool& db,
                           std::vector<std::shared_ptr<providers::Provider>> providers)
    : ex_(ex),
      ctx_(ctx),
      db_(db),
      providers_(std::move(providers)),
      materializer_wake_(ex),
      random_(std::random_device{}()),
      all_stopped_(ex, asio::steady_timer::time_point::max()) {
  for (const auto& provider : providers_) {
    const auto* cfg = provider_config(ctx, provider->name());
    if (!cfg) throw std::invalid_argument("no configuration for provider " + std::string(provider->name()));
    for (const auto& sender : cfg->senders) {
      loops_.push_back(std::unique_ptr<SenderLoop>(new SenderLoop{
          provider, sender, std::max(1, cfg->max_connections), Pacer(ex, sender.messages_per_second),
          asio::steady_timer(ex), false}));
    }
  }
}

FanoutEngine::~FanoutEngine() = default;

asio::awaitable<void> FanoutEngine::start() {
  const auto resumed = co_await db_.run([](pqxx::connection& c) { return requeue_in_doubt(c); });
  if (resumed.deliveries_in_doubt + resumed.outbox_in_doubt > 0) {
    spdlog::warn(
        "event=fanout_resumed in_doubt_deliveries={} in_doubt_outbox={} note=\"in flight at a crash: "
        "resent once, counted as possible duplicates\"",
        resumed.deliveries_in_doubt, resumed.outbox_in_doubt);
  }
  // A loop that dies would leave alerts unsent while the API still answers 2xx: that is a
  // failure of the whole service, reported to its owner (serve exits and is restarted).
  const auto on_exit = [this](std::exception_ptr e, std::string_view what) {
    if (e) {
      try {
        std::rethrow_exception(e);
      } catch (const std::exception& ex) {
        spdlog::critical("event=fanout_loop_died loop={} what={}", what, storage::safe_what(ex));
      }
      if (!stopping_ && on_failure_) on_failure_(what);
    }
    if (--running_ == 0) all_stopped_.cancel();
  };
  ++running_;
  asio::co_spawn(ex_, [this]() { return run_materializer(); },
                 [on_exit](std::exception_ptr e) { on_exit(e, "materializer"); });
  for (auto& loop : loops_) {
    ++running_;
    SenderLoop* l = loop.get();
    asio::co_spawn(ex_, [this, l]() { return run_sender(*l); },
                   [on_exit](std::exception_ptr e) { on_exit(e, "sender"); });
  }
  spdlog::info("event=fanout_started senders={}", loops_.size());
}

void FanoutEngine::wake() {
  materializer_woken_ = true;
  materializer_wake_.cancel();
  wake_senders();
}

asio::awaitable<void> FanoutEngine::stop() {
  stopping_ = true;
  wake();
  while (running_ > 0) {
    error_code ec;
    co_await all_stopped_.async_wait(ec_into(ec));
  }
  spdlog::info("event=fanout_stopped sent={} failed={} retried={} throttled={} expired={} undecryptable={} "
               "handed_back={}", stats_.sent, stats_.failed, stats_.retried, stats_.throttled, stats_.expired,
               stats_.undecryptable, stats_.handed_back);
}

asio::awaitable<void> FanoutEngine::idle(asio::steady_timer& wake_timer) {
  wake_timer.expires_after(idle_poll);
  error_code ec;
  co_await wake_timer.async_wait(ec_into(ec));
}

asio::awaitable<void> FanoutEngine::run_materializer() {
  const auto chunk = ctx_.config().alerts.fanout_chunk;
  while (!stopping_) {
    materializer_woken_ = false;
    bool failed = false;  // co_await is not allowed inside a catch block
    try {
      co_await sweep();
      // One chunk of every alert in turn, the list asked for again each round: an alert confirmed
      // while a large one is being planned gets its first chunk within one round, not after it.
      // A follow-up whose original is still fanning out is left `waiting` until the next poll or
      // wake-up: it grows as the original's texts are sent, without spinning.
      std::set<std::int64_t> waiting;
      for (bool planned_any = true; planned_any && !stopping_;) {
        planned_any = false;
        for (const auto alert : co_await db_.run([](pqxx::connection& c) { return alerts_to_materialize(c); })) {
          if (waiting.count(alert) || stopping_) continue;
          const auto r = co_await db_.run([&](pqxx::connection& c) {
            return materialize_chunk(c, alert, chunk, ctx_.clock().now());
          });
          if (r.waiting) waiting.insert(alert);
          if (r.planned > 0) wake_senders();
          if (r.done) spdlog::info("event=alert_materialized alert_id={}", alert);
          planned_any = planned_any || !r.waiting;
        }
      }
    } catch (const std::exception& e) {
      spdlog::error("event=materializer_failed what={}", storage::safe_what(e));
      failed = true;
    }
    if (failed) {
      co_await pause(ex_, error_pause);
    } else if (!stopping_ && !materializer_woken_) {
      co_await idle(materializer_wake_);
    }
  }
}

asio::awaitable<void> FanoutEngine::sweep() {
  const auto now = ctx_.clock().now();
  if (const auto expired = co_await db_.run([now](pqxx::connection& c) { return expire_overdue(c, now); }))
    spdlog::warn("event=deliveries_expired count={}", expired);
  if (const auto leftovers = co_await db_.run([now](pqxx::connection& c) { return cancel_leftovers_of_closed(c, now); }))
    spdlog::info("event=closed_alert_leftovers_cancelled count={}", leftovers);
  const auto stale = co_await db_.run([now](pqxx::connection& c) { return requeue_stale(c, now - stale_sending); });
  if (stale > 0) {
    spdlog::warn("event=stale_sends_requeued count={} note=\"left sending by a failed record: resent once, "
                 "counted as possible duplicates\"", stale);
    wake_senders();
  }
}

void FanoutEngine::wake_senders() {
  for (auto& loop : loops_) {
    loop->woken = true;
    loop->wake.cancel();
  }
}

asio::awaitable<void> FanoutEngine::run_sender(SenderLoop& loop) {
  const std::string provider(loop.provider->name());
  // The next batch is claimed, and the last one recorded, while the current one is on the wire:
  // otherwise every database round trip is time the sender's rate limit goes unused.
  Pending<std::vector<OutgoingText>> next_batch(ex_);
  Pending<bool> recording(ex_);
  const auto start_claim = [&] {
    loop.woken = false;
    next_batch.start(claim_batch(loop));
  };
  start_claim();
  while (next_batch.started()) {
    std::vector<OutgoingText> batch;
    bool failed = false;  // co_await is not allowed inside a catch block
    try {
      batch = co_await next_batch.get();
    } catch (const std::exception& e) {
      spdlog::error("event=claim_failed provider={} what={}", loop.provider->name(), storage::safe_what(e));
      failed = true;
    }
    if (batch.empty()) {
      if (stopping_) break;
      if (failed) {
        co_await pause(ex_, error_pause);
      } else if (!loop.woken) {
        co_await idle(loop.wake);
      }
      if (!stopping_) start_claim();
      continue;
    }
    // Claimed texts are always sent or given back, even when stopping: they are marked `sending`.
    if (!stopping_) start_claim();
    std::vector<SendResult> results;
    try {
      results = co_await send_texts(loop, batch, Pacer::Clock::now() + batch_lifetime);
    } catch (const std::exception& e) {
      // The batch stays `sending`; the stale sweep requeues it as possible duplicates.
      spdlog::error("event=send_batch_failed texts={} what={}", batch.size(), storage::safe_what(e));
    }
    if (recording.started()) co_await recording.get();  // one record in flight per sender
    recording.start(record_batch(provider, std::move(results)));
  }
  if (recording.started()) co_await recording.get();
}

asio::awaitable<std::vector<OutgoingText>> FanoutEngine::claim_batch(SenderLoop& loop) {
  // A held sender claims nothing: its texts stay queued, where another sender can take them.
  while (loop.pacer.holding() && !stopping_) co_await idle(loop.wake);
  const ClaimRequest request{std::string(loop.provider->name()), loop.sender.number,
                             batch_limit(loop.sender.messages_per_second), loop.rotate_after_alert};
  // Every claim also refreshes the alerts closed lately: a RETRACT then reaches the batches on the
  // wire within one claim, not only the texts still queued. No batch is older than stale_sending.
  const auto since = ctx_.clock().now() - stale_sending;
  auto [batch, closed] = co_await db_.run([&](pqxx::connection& c) {
    return std::pair{claim_texts(c, ctx_, request), alerts_closed_since(c, since)};
  });
  closed_alerts_ = std::set<std::int64_t>(closed.begin(), closed.end());
  if (batch.first_alert) loop.rotate_after_alert = batch.first_alert;
  stats_.undecryptable += batch.undecryptable;
  co_return std::move(batch.texts);
}

asio::awaitable<std::vector<SendResult>> FanoutEngine::send_texts(SenderLoop& loop,
                                                                   const std::vector<OutgoingText>& batch,
                                                                   std::chrono::steady_clock::time_point give_back_after) {
  std::vector<SendResult> results(batch.size());
  std::size_t next = 0;
  WaitGroup lanes(ex_);
  const auto callback_url =
      ctx_.config().server.public_base_url + "/webhooks/" + std::string(loop.provider->name()) + "/status";
  auto lane = [&]() -> asio::awaitable<void> {
    while (next < batch.size()) {
      const std::size_t i = next++;
      results[i] = co_await send_one(loop, batch[i], callback_url, give_back_after);
    }
  };
  const int lane_count = std::min<int>(loop.lanes, static_cast<int>(batch.size()));
  for (int l = 0; l < lane_count; ++l) {
    lanes.add();
    asio::co_spawn(ex_, lane, [&lanes](std::exception_ptr e) {
      if (e) {
        try {
          std::rethrow_exception(e);
        } catch (const std::exception& ex) {
          spdlog::error("event=send_lane_failed what={}", ex.what());
        }
      }
      lanes.finish();
    });
  }
  co_await lanes.wait();
  // Texts whose lane died have no result: they stay `sending`, and the in-doubt path covers them.
  std::erase_if(results, [](const SendResult& r) { return r.id == 0; });
  co_return results;
}

asio::awaitable<SendResult> FanoutEngine::send_one(SenderLoop& loop, const OutgoingText& text,
                                                   const std::string& callback_url,
                                                   std::chrono::steady_clock::time_point give_back_after) {
  if (!text.member_active) {
    ++stats_.skipped_opted_out;
    co_return result_for(text, NextState::failed, "member opted out");
  }
  // Before the pacer (a dropped text must not use up one of the sender's slots) and again after
  // it: pacing, a hold and a busy provider can keep a text past its alert's expiry or retraction.
  if (auto dropped = drop_before_send(text)) co_return std::move(*dropped);
  // Stopping, a text waits for a slot, never for a hold: the next start sends it.
  const auto latest = stopping_ ? Pacer::Clock::now() : give_back_after;
  if (!co_await loop.pacer.next_slot(latest)) {
    ++stats_.handed_back;
    co_return handed_back(text);
  }
  if (auto dropped = drop_before_send(text)) co_return std::move(*dropped);
  const auto now = ctx_.clock().now();
  const auto validity = std::max(std::chrono::seconds{1},
                                 std::chrono::duration_cast<std::chrono::seconds>(text.expires_at - now));
  // The last guard of "every text fits": a body over the provider's limit would be refused (Twilio
  // 21617) and never sent; texts are fitted where they are written, this catches a long template.
  const auto limit = providers::max_body_length(loop.provider->type());
  const providers::OutboundSms sms{text.to, PhoneNumber{loop.sender.number}, fit_text(text.body, limit, "\u2026"),
                                   validity, callback_url};
  const auto outcome = co_await loop.provider->send(sms);
  slow_down(loop, outcome);
  auto result = next_step(text, outcome, retry_, ctx_.clock().now(), unit_random());
  count_outcome(text, outcome, result, loop.provider->name());
  co_return result;
}

void FanoutEngine::slow_down(SenderLoop& loop, const providers::SendOutcome& outcome) {
  using providers::SendClass;
  if (outcome.cls == SendClass::throttled) {
    const auto hold = throttle_hold(outcome, retry_);
    loop.pacer.hold_until(Pacer::Clock::now() + hold);
    spdlog::warn("event=sender_throttled provider={} sender={} hold_ms={}", loop.provider->name(),
                 PhoneNumber{loop.sender.number}, hold.count());
    return;
  }
  if (outcome.cls != SendClass::retryable) {
    loop.failures_in_a_row = 0;
    return;
  }
  if (++loop.failures_in_a_row < failing_streak) return;
  const int doublings = std::min(loop.failures_in_a_row - failing_streak, 10);
  const auto pause = std::min<std::chrono::milliseconds>(failing_first_pause * (1 << doublings), failing_max_pause);
  loop.pacer.hold_until(Pacer::Clock::now() + pause);
  spdlog::warn("event=sender_backing_off provider={} sender={} failures_in_a_row={} pause_ms={}", loop.provider->name(),
               PhoneNumber{loop.sender.number}, loop.failures_in_a_row, pause.count());
}

double FanoutEngine::unit_random() { return std::uniform_real_distribution<double>(0.0, 1.0)(random_); }

std::optional<SendResult> FanoutEngine::drop_before_send(const OutgoingText& text) {
  // A raid alert must never arrive late, nor a retracted one at all.
  if (ctx_.clock().now() >= text.expires_at) {
    ++stats_.expired;
    return result_for(text, NextState::expired, "expired before sending");
  }
  if (text.kind == TextKind::delivery && closed_alerts_.count(text.alert_id)) {
    ++stats_.cancelled;
    return result_for(text, NextState::cancelled, "alert closed before sending");
  }
  return std::nullopt;
}

void FanoutEngine::count_outcome(const OutgoingText& text, const providers::SendOutcome& outcome,
                                 const SendResult& result, std::string_view provider) {
  switch (result.state) {
    case NextState::sent:
      ++stats_.sent;
      break;
    case NextState::queued:
      ++(result.counts_as_attempt ? stats_.retried : stats_.throttled);
      if (result.counts_as_attempt)
        spdlog::info("event=send_retry to={} provider={} code={} attempt={} detail=\"{}\"", text.to, provider,
                     outcome.code, text.attempts, outcome.detail);
      break;
    case NextState::expired:
      ++stats_.expired;
      spdlog::warn("event=send_expired to={} provider={} code={} attempts={} detail=\"{}\"", text.to, provider,
                   outcome.code, text.attempts, outcome.detail);
      break;
    case NextState::failed:
    case NextState::cancelled:
      ++stats_.failed;
      spdlog::warn("event=send_failed to={} provider={} code={} detail=\"{}\"", text.to, provider, outcome.code,
                   outcome.detail);
      break;
  }
}

asio::awaitable<bool> FanoutEngine::record_batch(std::string provider, std::vector<SendResult> results) {
  for (int attempt = 1;; ++attempt) {
    try {
      co_await db_.run([&](pqxx::connection& c) { record_results(c, ctx_, provider, results); });
      co_return true;
    } catch (const std::exception& e) {
      spdlog::error("event=record_failed attempt={} texts={} what={}", attempt, results.size(),
                    storage::safe_what(e));
      if (attempt >= record_attempts) co_return false;  // left `sending`: requeued as in doubt at restart
    }
    co_await pause(ex_, error_pause);
  }
}

}  // namespace centinela::fanout

// The fan-out: turns confirmed alerts into texts and sends them. One materializer grows each
// alert's deliveries chunk by chunk (so the first texts leave before a large list is fully
// planned); one sender loop per sender number claims batches, paces them to the sender's rate
// limit, sends them through the provider and records the results.
#pragma once

#include <functional>
#include <random>
#include <memory>
#include <optional>
#include <set>
#include <string_view>
#include <vector>

#include <boost/asio/steady_timer.hpp>

#include "dispatcher/core/context.hpp"
#include "dispatcher/fanout/next_step.hpp"
#include "dispatcher/fanout/text_store.hpp"
#include "dispatcher/storage/db_pool.hpp"
#include "providers/provider.hpp"

namespace centinela::fanout {

struct FanoutStats {
  long long sent = 0;
  long long failed = 0;
  long long retried = 0;
  long long throttled = 0;      // 429s: retried, and the sender held (none of them an attempt)
  long long expired = 0;        // their deadline passed before a send could succeed
  long long skipped_opted_out = 0;
  long long cancelled = 0;      // claimed, then their alert was retracted or cleared before sending
  long long undecryptable = 0;  // failed at the claim: the stored number or words do not open
  long long handed_back = 0;    // given back unsent by a sender held longer than a batch may wait
};

class FanoutEngine {
 public:
  FanoutEngine(asio::any_io_executor ex, const Context& ctx, storage::DbPool& db,
               std::vector<std::shared_ptr<providers::Provider>> providers);
  ~FanoutEngine();

  // Requeues texts left in doubt by a crash, then starts the materializer and the senders.
  asio::awaitable<void> start();
  // New work exists (an alert was created, a notification queued): look now, not at the next poll.
  void wake();
  // Stop claiming; texts already claimed are sent and recorded. Resumes when every loop is done.
  asio::awaitable<void> stop();

  const FanoutStats& stats() const { return stats_; }

  // Called (on the network thread) when a fan-out loop dies of an unexpected error.
  void on_failure(std::function<void(std::string_view)> handler) { on_failure_ = std::move(handler); }

 private:
  struct SenderLoop;
  asio::awaitable<void> run_materializer();
  asio::awaitable<void> run_sender(SenderLoop& loop);
  asio::awaitable<std::vector<OutgoingText>> claim_batch(SenderLoop& loop);
  // Texts still waiting for their sender at `give_back_after` go back to the queue unsent.
  asio::awaitable<std::vector<SendResult>> send_texts(SenderLoop& loop, const std::vector<OutgoingText>& batch,
                                                      std::chrono::steady_clock::time_point give_back_after);
  asio::awaitable<SendResult> send_one(SenderLoop& loop, const OutgoingText& text, const std::string& callback_url,
                                       std::chrono::steady_clock::time_point give_back_after);
  // A throttled answer holds the sender for its Retry-After; a run of failures holds it a little
  // longer each time, so a provider that fails everything is not hammered at the full rate.
  void slow_down(SenderLoop& loop, const providers::SendOutcome& outcome);
  asio::awaitable<bool> record_batch(std::string provider, std::vector<SendResult> results);
  // The text's alert expired or was closed since the claim: the result that records it unsent.
  std::optional<SendResult> drop_before_send(const OutgoingText& text);
  void count_outcome(const OutgoingText& text, const providers::SendOutcome& outcome, const SendResult& result,
                     std::string_view provider);
  double unit_random();  // jitter for retry backoff
  asio::awaitable<void> idle(asio::steady_timer& wake_timer);
  asio::awaitable<void> sweep();  // expiry and stale `sending` texts
  void wake_senders();

  asio::any_io_executor ex_;
  const Context& ctx_;
  storage::DbPool& db_;
  std::vector<std::shared_ptr<providers::Provider>> providers_;
  std::vector<std::unique_ptr<SenderLoop>> loops_;
  asio::steady_timer materializer_wake_;
  RetryPolicy retry_;
  std::mt19937_64 random_;
  FanoutStats stats_;
  std::set<std::int64_t> closed_alerts_;  // alerts closed lately: their claimed texts are dropped
  std::function<void(std::string_view)> on_failure_;
  bool materializer_woken_ = false;
  bool stopping_ = false;
  int running_ = 0;
  asio::steady_timer all_stopped_;
};

}  // namespace centinela::fanout

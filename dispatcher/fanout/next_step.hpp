// The one place that turns a provider's classified outcome into what happens to a text next.
#pragma once

#include <chrono>

#include "dispatcher/core/clock.hpp"
#include "dispatcher/fanout/outgoing.hpp"
#include "providers/provider.hpp"

namespace centinela::fanout {

struct RetryPolicy {
  int max_attempts = 3;
  std::chrono::milliseconds first_backoff{2'000};
  std::chrono::milliseconds max_backoff{60'000};
  // Exponential: 2 s, 4 s, 8 s ... capped; a provider's Retry-After wins when it is longer.
  std::chrono::milliseconds backoff(int attempt) const;
};

SendResult next_step(const OutgoingText& text, const providers::SendOutcome& outcome,
                     const RetryPolicy& policy, Timestamp now);

}  // namespace centinela::fanout

// The one place that turns a provider's classified outcome into what happens to a text next.
#pragma once

#include <chrono>

#include "dispatcher/core/clock.hpp"
#include "dispatcher/fanout/outgoing.hpp"
#include "providers/provider.hpp"

namespace centinela::fanout {

// A retryable failure never fails a text: it is retried, with capped exponential backoff and
// jitter, until the text's deadline (its alert's expiry), and then the text is `expired`. There
// is no count of attempts: a provider outage of an hour costs an alert with two hours to live
// nothing but the hour.
struct RetryPolicy {
  std::chrono::milliseconds first_backoff{1'000};
  std::chrono::milliseconds max_backoff{30'000};
  // A throttled answer (429) without Retry-After holds the whole sender this long.
  std::chrono::milliseconds throttle_pause{1'000};

  // Exponential from first_backoff, doubling per attempt, capped: 1 s, 2 s, 4 s ... 30 s.
  std::chrono::milliseconds backoff(int attempt) const;
  // "Equal jitter": half the backoff plus `unit_random` (in [0, 1)) of the other half, so texts
  // that failed together (a provider outage) do not all come back in the same instant.
  std::chrono::milliseconds jittered_backoff(int attempt, double unit_random) const;
};

// The result of `text` (which row, whose) in `state`, with `error` as its reason.
SendResult result_for(const OutgoingText& text, NextState state, std::string error = {});

// `unit_random` is a uniform draw in [0, 1) (a parameter, so that tests are exact).
SendResult next_step(const OutgoingText& text, const providers::SendOutcome& outcome, const RetryPolicy& policy,
                     Timestamp now, double unit_random);

// A claimed text the sender gives back unsent (its sender is held for longer than a batch may
// last): queued again at once for any sender, and no attempt.
SendResult handed_back(const OutgoingText& text);

// How long a throttled answer holds the sender that got it: its Retry-After, else the policy's pause.
std::chrono::milliseconds throttle_hold(const providers::SendOutcome& outcome, const RetryPolicy& policy);

}  // namespace centinela::fanout

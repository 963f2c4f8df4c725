#include "dispatcher/fanout/next_step.hpp"

#include <algorithm>

namespace centinela::fanout {
namespace {

using std::chrono::milliseconds;

// A retry is planned no later than this before the deadline, so it can still be claimed and sent.
constexpr milliseconds last_chance{1'000};

// Queued again at `at` (never past the last chance before the deadline), or expired when no time is left.
SendResult retry_or_expire(SendResult r, const OutgoingText& text, Timestamp now, Timestamp at) {
  if (now >= text.retry_until) {
    r.state = NextState::expired;
    r.error += r.error.empty() ? "deadline passed" : " (deadline passed)";
    return r;
  }
  const auto latest = std::max(now, text.retry_until - last_chance);
  r.state = NextState::queued;
  r.retry_at = std::min(at, latest);
  return r;
}

}  // namespace

std::string_view to_sql(NextState s) {
  switch (s) {
    case NextState::sent: return "sent";
    case NextState::queued: return "queued";
    case NextState::failed: return "failed";
    case NextState::expired: return "expired";
    case NextState::cancelled: return "cancelled";
  }
  return "failed";
}

milliseconds RetryPolicy::backoff(int attempt) const {
  auto delay = first_backoff;
  for (int i = 1; i < attempt && delay < max_backoff; ++i) delay *= 2;
  return std::min(delay, max_backoff);
}

milliseconds RetryPolicy::jittered_backoff(int attempt, double unit_random) const {
  const auto full = backoff(attempt);
  const auto half = full / 2;
  return half + milliseconds{static_cast<long long>(static_cast<double>((full - half).count()) *
                                                    std::clamp(unit_random, 0.0, 1.0))};
}

milliseconds throttle_hold(const providers::SendOutcome& outcome, const RetryPolicy& policy) {
  return outcome.retry_after.value_or(policy.throttle_pause);
}

SendResult result_for(const OutgoingText& text, NextState state, std::string error) {
  SendResult r;
  r.kind = text.kind;
  r.id = text.id;
  r.subscriber_id = text.subscriber_id;
  r.to = text.to;
  r.state = state;
  r.error = std::move(error);
  return r;
}

SendResult handed_back(const OutgoingText& text) {
  auto r = result_for(text, NextState::queued);
  r.counts_as_attempt = false;
  return r;
}

SendResult next_step(const OutgoingText& text, const providers::SendOutcome& outcome, const RetryPolicy& policy,
                     Timestamp now, double unit_random) {
  auto r = result_for(text, NextState::failed, outcome.detail);
  r.possible_duplicate = outcome.maybe_delivered;
  switch (outcome.cls) {
    case providers::SendClass::accepted:
      r.state = NextState::sent;
      r.provider_message_id = outcome.provider_message_id;
      r.error.clear();
      return r;
    case providers::SendClass::throttled:
      // Refused before the provider looked at it: no attempt, and the sender waits (see throttle_hold).
      r.counts_as_attempt = false;
      return retry_or_expire(std::move(r), text, now, now + throttle_hold(outcome, policy));
    case providers::SendClass::retryable: {
      auto delay = policy.jittered_backoff(text.attempts, unit_random);
      if (outcome.retry_after) delay = std::max(delay, *outcome.retry_after);
      return retry_or_expire(std::move(r), text, now, now + delay);
    }
    case providers::SendClass::permanent:
      r.state = NextState::failed;
      return r;
    case providers::SendClass::opted_out:
      r.state = NextState::failed;
      r.recipient_opted_out = true;
      return r;
  }
  return r;
}

}  // namespace centinela::fanout
